//! Benchmark of the provincial registry at 20,000 products (issue "The provincial record"): the
//! list is imported as a province's list would be (`registry_import_apply`), then the time to open
//! the registry list (the first page and the count), to search it, to filter it by status and to
//! compute the dashboard, each against the 50 ms target. `cargo bench -p ocop-core --bench registry`.

use std::time::{Duration, Instant};

use ocop_core::registry::{RegistryFilter, RegistryStatus};
use ocop_core::store::Store;
use ocop_core::Lang;

const N: usize = 20_000;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn list_file() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ocop_core::import::REGISTRY_HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let kinds = [
        "Chè xanh",
        "Mật ong",
        "Nước mắm",
        "Nem chua",
        "Gạo nếp",
        "Bánh gai",
    ];
    let districts = [
        "Huyện Nga Sơn",
        "Huyện Hoằng Hóa",
        "TP Thanh Hóa",
        "Huyện Thọ Xuân",
    ];
    for i in 0..N {
        let r = i as u32 + 1;
        let year = 2023 + (i % 4);
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let cells = [
            r.to_string(),
            format!("{} số {i}", kinds[i % kinds.len()]),
            format!("Hợp tác xã số {i}"),
            "Hợp tác xã".into(),
            String::new(),
            format!("Xã {}", i % 500),
            districts[i % districts.len()].into(),
            format!("{:02}", 1 + i % 17),
            (3 + (i % 7 == 0) as usize + (i % 50 == 0) as usize).to_string(),
            format!("{}/QĐ-UBND", 100 + i),
            format!("{day:02}/{month:02}/{year}"),
            format!("{}/QĐ-UBND-01", 100 + i),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r, c as u16, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.conn().pragma_update(None, "synchronous", "OFF").unwrap();
    let t0 = Instant::now();
    let bytes = list_file();
    let plan = s.registry_import_plan(&bytes, Lang::Vi).unwrap();
    assert!(plan.refusal().is_none(), "{:?}", plan.refusal());
    let t_plan = t0.elapsed();
    s.registry_import_apply("bench", &bytes, Some(&plan.fingerprint), Lang::Vi)
        .unwrap();
    println!(
        "setup: {N} registry entries imported from .xlsx (plan {:.1} s, in all {:.1} s)",
        t_plan.as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    s.conn().pragma_update(None, "synchronous", "FULL").unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let time = |f: &mut dyn FnMut()| {
        f();
        median(
            (0..7)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed()
                })
                .collect(),
        )
    };
    let open = time(&mut || {
        let p = s.registry_page(&RegistryFilter::default(), today).unwrap();
        assert_eq!(p.total as usize, N);
        assert_eq!(p.entries.len(), 100);
    });
    let search = time(&mut || {
        let p = s
            .registry_page(
                &RegistryFilter {
                    query: Some("mat ong so 1".into()),
                    ..Default::default()
                },
                today,
            )
            .unwrap();
        assert!(p.total > 0);
    });
    let status = time(&mut || {
        s.registry_page(
            &RegistryFilter {
                status: Some(RegistryStatus::WindowOpen),
                ..Default::default()
            },
            today,
        )
        .unwrap();
    });
    let dashboard = time(&mut || {
        let d = s.dashboard(2025, None, today).unwrap();
        assert_eq!(
            d.by_status.iter().map(|c| c.count as usize).sum::<usize>(),
            N
        );
    });
    for (what, d) in [
        ("open the registry list (page 1 + count)", open),
        ("search it (folded, 'mat ong so 1')    ", search),
        ("filter it by status (window open)     ", status),
        ("compute the dashboard of 2025          ", dashboard),
    ] {
        println!(
            "{what}: median {}  (n=7)  {}",
            ms(d),
            if d <= Duration::from_millis(50) {
                "≤ 50 ms"
            } else {
                "OVER 50 ms"
            }
        );
    }
}
