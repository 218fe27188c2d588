//! Benchmark of a large round: 200 products × 9 members × ~30 criteria on a file database with the
//! app's settings (WAL, synchronous=FULL). Prints the time to save one answer, to aggregate the
//! round, to list and search 20,000 products, and to plan and apply an import of 200 rows.
//! `cargo bench -p ocop-core`.

use std::time::{Duration, Instant};

use ocop_core::demo::answers_for_total;
use ocop_core::model::*;
use ocop_core::rules::{Level, Procedure, Role, RoundRules};
use ocop_core::store::Store;

const PRODUCTS: usize = 200;
const MEMBERS: usize = 9;
const CATALOGUE: usize = 20_000;
const A: &str = "bench";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    // Fast setup; measurements below run with the app's durable setting.
    s.conn().pragma_update(None, "synchronous", "OFF").unwrap();
    let t0 = Instant::now();
    let round = s
        .create_round(
            A,
            &RoundInput {
                name: "Đợt đo hiệu năng".into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-11-30".into(),
                place: String::new(),
                rules: RoundRules::default(),
            },
        )
        .unwrap();
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let p = s
            .add_person(
                A,
                &PersonInput {
                    full_name: format!("Thành viên số {i}"),
                    ..Default::default()
                },
            )
            .unwrap();
        let role = if i == 0 { Role::Chair } else { Role::Member };
        s.set_round_member(A, &round.id, &p.id, role).unwrap();
        members.push(p);
    }
    let mut owners = Vec::new();
    for i in 0..500 {
        owners.push(
            s.save_owner(
                A,
                &Owner {
                    name: format!("Hợp tác xã Nông nghiệp số {i}"),
                    commune: format!("Xã Đông Tiến {}", i % 50),
                    ..Default::default()
                },
            )
            .unwrap(),
        );
    }
    let sets = ["01", "04", "07", "08", "11", "13", "14", "21", "22", "26"];
    let mut products = Vec::new();
    for i in 0..CATALOGUE {
        let p = s
            .save_product(
                A,
                &ProductInput {
                    owner_id: owners[i % owners.len()].id.clone(),
                    name: format!(
                        "{} đặc sản số {i}",
                        ["Chè", "Mật ong", "Nem chua", "Trà hoa vàng", "Nước mắm"][i % 5]
                    ),
                    decision_id: "QD26-2026".into(),
                    set_code: sets[i % sets.len()].into(),
                    code: format!("38-16213-{:03}-2026", i % 1000),
                    ..Default::default()
                },
            )
            .unwrap();
        if i < PRODUCTS {
            s.save_dossier(
                A,
                &round.id,
                &DossierInput {
                    product_id: p.id.clone(),
                    application_type: ApplicationType::First,
                    received_on: String::new(),
                    checklist: Default::default(),
                    permits: vec![],
                },
            )
            .unwrap();
        }
        products.push(p);
    }
    s.start_scoring(A, &round.id).unwrap();
    let mut sheets = Vec::new();
    let mut answers_total = 0;
    for (pi, p) in products.iter().take(PRODUCTS).enumerate() {
        let (_, set) = s.current_sheet(&p.decision_id, &p.set_code).unwrap();
        for (mi, m) in members.iter().enumerate() {
            let sheet = s.open_sheet(A, &round.id, &p.id, &m.id, None, 1).unwrap();
            let target = 55 + ((pi * 7 + mi * 3) % 40) as u32;
            let answers = answers_for_total(&set, target, None).unwrap();
            answers_total += answers.len();
            for (code, i) in answers {
                s.save_answer(A, &sheet.id, &code, Some(i as u32)).unwrap();
            }
            sheets.push((
                sheet.id,
                set.leaves()
                    .iter()
                    .map(|l| (l.criterion.code.clone(), l.criterion.options.len()))
                    .collect::<Vec<_>>(),
            ));
        }
    }
    println!("setup: {PRODUCTS} products × {MEMBERS} members, {answers_total} answers, {CATALOGUE} products in the directory ({:.1} s)", t0.elapsed().as_secs_f64());

    s.conn().pragma_update(None, "synchronous", "FULL").unwrap();
    let mut save = Vec::new();
    for k in 0..400 {
        let (sheet, leaves) = &sheets[(k * 37) % sheets.len()];
        let (code, n) = &leaves[k % leaves.len()];
        let t = Instant::now();
        s.save_answer(A, sheet, code, Some((k % n) as u32)).unwrap();
        save.push(t.elapsed());
    }
    println!(
        "save one answer (durable, audited):  median {}  (n=400)",
        ms(median(save))
    );

    let mut agg = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = s.round_results(&round.id).unwrap();
        agg.push(t.elapsed());
        assert_eq!(r.products.len(), PRODUCTS);
    }
    println!(
        "aggregate the round ({} sheets):     median {}  (n=5)",
        PRODUCTS * MEMBERS,
        ms(median(agg))
    );

    let mut list = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let all = s.products(&ListFilter::default()).unwrap();
        list.push(t.elapsed());
        assert_eq!(all.len(), CATALOGUE);
    }
    println!(
        "list {CATALOGUE} products:               median {}  (n=5)",
        ms(median(list))
    );

    let mut search = Vec::new();
    for q in [
        "tra hoa",
        "Mật ong",
        "dac san so 1999",
        "dong tien 7",
        "xyz",
    ] {
        let t = Instant::now();
        let hits = s
            .products(&ListFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap();
        search.push(t.elapsed());
        std::hint::black_box(hits);
    }
    println!(
        "search {CATALOGUE} products (folded):    median {}  (n=5 queries)",
        ms(median(search))
    );
    // An import of 200 rows into the round: existing owners, new products and dossiers.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ocop_core::import::TEMPLATE_HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..PRODUCTS {
        let o = &owners[(i * 7) % owners.len()];
        let r = i as u32 + 1;
        ws.write_string(r, 0, &o.name).unwrap();
        ws.write_string(r, 6, &o.commune).unwrap();
        ws.write_string(r, 12, format!("Sản phẩm nhập số {i}"))
            .unwrap();
        ws.write_string(r, 13, sets[i % sets.len()]).unwrap();
    }
    let file = wb.save_to_buffer().unwrap();
    let mut plan = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let p = s
            .import_plan(&file, Some(&round.id), ocop_core::Lang::Vi)
            .unwrap();
        plan.push(t.elapsed());
        assert_eq!((p.counts.new, p.counts.error), (PRODUCTS as u32, 0));
    }
    println!(
        "plan an import of {PRODUCTS} rows:        median {}  (n=5, against {CATALOGUE} products)",
        ms(median(plan))
    );
    let t = Instant::now();
    let done = s
        .import_apply(A, &file, Some(&round.id), None, ocop_core::Lang::Vi)
        .unwrap();
    assert_eq!(done.counts.dossiers_new, PRODUCTS as u32);
    println!("apply it (durable, audited):         {}", ms(t.elapsed()));

    let size = std::fs::metadata(dir.path().join(ocop_core::store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("database file: {:.1} MB", size as f64 / 1e6);
}
