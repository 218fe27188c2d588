//! Does the window stay responsive while a round's papers print? Builds a finalised round of
//! 200 products × 9 members on a file database, starts the batch that writes every paper of it
//! (`papers::write_all` on a connection of its own, as the desktop shell runs it off the main
//! thread), and meanwhile answers "clicks" through the same `App` facade the shell calls: list the
//! rounds, open the round, open a product's sheets, read the audit log, list members. Prints the
//! answer time of every click (median, 95th percentile, worst) against the 100 ms target, and how
//! long the batch took. `cargo bench -p ocop-docs --bench click_latency` (setup takes a minute or
//! two: 1,800 sheets are answered and signed with PINs).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ocop_core::app::App;
use ocop_core::demo::answers_for_total;
use ocop_core::model::*;
use ocop_core::office::{OfficeSettings, SignerSettings};
use ocop_core::rules::{Level, Procedure, Role, RoundRules};
use ocop_core::store::Store;
use ocop_core::Lang;

const PRODUCTS: usize = 200;
const MEMBERS: usize = 9;
const PIN: &str = "1234";
const A: &str = "bench";

fn build(dir: &std::path::Path) -> (String, Vec<String>) {
    let mut s = Store::open_dir(dir).unwrap();
    s.conn().pragma_update(None, "synchronous", "OFF").unwrap();
    s.save_office(
        A,
        &OfficeSettings {
            province: "Thanh Hóa".into(),
            place: "Thanh Hóa".into(),
            people_committee: "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
            authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
            council_parent: "UBND TỈNH THANH HÓA".into(),
            council_name: "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA".into(),
            standing_body: "Sở Nông nghiệp và Môi trường".into(),
            decision_symbol: "QĐ-UBND".into(),
            next_decision_no: 1,
            decision_signer: SignerSettings {
                sign_for: "KT. CHỦ TỊCH".into(),
                title: "PHÓ CHỦ TỊCH".into(),
                name: "Lê Đức Giang".into(),
            },
        },
    )
    .unwrap();
    let round = s
        .create_round(
            A,
            &RoundInput {
                name: "Đợt đo độ trễ".into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-11-30".into(),
                place: "Thanh Hóa".into(),
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
        s.set_pin(&p.id, None, PIN).unwrap();
        let role = if i == 0 { Role::Chair } else { Role::Member };
        s.set_round_member(A, &round.id, &p.id, role).unwrap();
        members.push(p);
    }
    let sets = ["01", "04", "07", "08", "11", "13", "14", "21", "22"];
    let mut products = Vec::new();
    for i in 0..PRODUCTS {
        let o = s
            .save_owner(
                A,
                &Owner {
                    name: format!("Hợp tác xã Nông nghiệp số {i}"),
                    commune: format!("Xã Đông Tiến {}", i % 50),
                    ..Default::default()
                },
            )
            .unwrap();
        let p = s
            .save_product(
                A,
                &ProductInput {
                    owner_id: o.id,
                    name: format!("Đặc sản Thanh Hóa số {i}"),
                    decision_id: "QD26-2026".into(),
                    set_code: sets[i % sets.len()].into(),
                    code: format!("38-16213-{:03}-2026", i),
                    ..Default::default()
                },
            )
            .unwrap();
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
        products.push(p);
    }
    s.start_scoring(A, &round.id).unwrap();
    for (pi, p) in products.iter().enumerate() {
        let (_, set) = s.current_sheet(&p.decision_id, &p.set_code).unwrap();
        // Every member within 8 points of the others: no spread review needed.
        let base = 52 + (pi % 40) as u32;
        for (mi, m) in members.iter().enumerate() {
            let sheet = s.open_sheet(A, &round.id, &p.id, &m.id, None, 1).unwrap();
            let answers = answers_for_total(&set, base + (mi % 3) as u32, None).unwrap();
            for (code, i) in answers {
                s.save_answer(A, &sheet.id, &code, Some(i as u32)).unwrap();
            }
            s.sign_sheet(&sheet.id, PIN).unwrap();
        }
    }
    s.finalise_round(&round.id, PIN).unwrap();
    // The decision is issued once, with the office's passphrase; the batch reprints it.
    s.set_up_key(A, "mật khẩu cơ quan").unwrap();
    s.issue_recognition(A, &round.id, "2026-12-01", Some("mật khẩu cơ quan"))
        .unwrap();
    s.conn().pragma_update(None, "synchronous", "FULL").unwrap();
    (round.id, products.into_iter().map(|p| p.id).collect())
}

fn pct(v: &[Duration], p: f64) -> Duration {
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let (round_id, products) = build(dir.path());
    println!(
        "setup: finalised round of {PRODUCTS} products × {MEMBERS} members ({:.0} s)",
        t0.elapsed().as_secs_f64()
    );

    let app = Arc::new(App::open(dir.path()).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let out = dir.path().join("giay-to");
    let job = {
        let (app, done, round_id) = (app.clone(), done.clone(), round_id.clone());
        std::thread::spawn(move || {
            let t = Instant::now();
            let mut files = 0;
            let r = app.with_job_store(|s, a| {
                ocop_docs::papers::write_all(
                    s,
                    a,
                    &out,
                    &round_id,
                    Some("2026-12-01"),
                    Lang::Vi,
                    &mut |_| {
                        files += 1;
                        true
                    },
                )
            });
            done.store(true, Ordering::SeqCst);
            let r = r.expect("batch prints");
            (t.elapsed(), files, r.skipped.len(), out)
        })
    };

    let mut clicks: Vec<(&str, Duration)> = Vec::new();
    let mut k = 0usize;
    while !done.load(Ordering::SeqCst) {
        let product = &products[k % products.len()];
        let (name, t) = match k % 5 {
            0 => ("rounds", timed(|| app.rounds().map(|_| ()))),
            1 => ("round", timed(|| app.round(&round_id).map(|_| ()))),
            2 => (
                "product sheets",
                timed(|| app.product_sheets(&round_id, product).map(|_| ())),
            ),
            3 => (
                "audit log",
                timed(|| {
                    app.audit_list(ocop_core::model::AuditFilter {
                        round_id: Some(round_id.clone()),
                        limit: Some(100),
                        ..Default::default()
                    })
                    .map(|_| ())
                }),
            ),
            _ => ("members", timed(|| app.persons(None).map(|_| ()))),
        };
        clicks.push((name, t));
        k += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
    let (elapsed, files, skipped, out) = job.join().unwrap();
    let bytes: u64 = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!(
        "batch: {files} files ({skipped} skipped), {:.1} MB, in {:.1} s",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64()
    );
    let mut all: Vec<Duration> = clicks.iter().map(|c| c.1).collect();
    all.sort();
    println!(
        "clicks answered during the batch: {}; median {}, p95 {}, worst {} (target ≤ 100 ms)",
        all.len(),
        ms(pct(&all, 0.5)),
        ms(pct(&all, 0.95)),
        ms(*all.last().unwrap())
    );
    for name in ["rounds", "round", "product sheets", "audit log", "members"] {
        let mut v: Vec<Duration> = clicks.iter().filter(|c| c.0 == name).map(|c| c.1).collect();
        v.sort();
        if !v.is_empty() {
            println!(
                "  {name:15} median {}, worst {}",
                ms(pct(&v, 0.5)),
                ms(*v.last().unwrap())
            );
        }
    }
    let worst = *all.last().unwrap();
    println!(
        "verdict: {}",
        if worst <= Duration::from_millis(100) {
            "within target"
        } else {
            "OVER TARGET"
        }
    );
}

fn timed(f: impl FnOnce() -> Result<(), ocop_core::ErrorDto>) -> Duration {
    let t = Instant::now();
    f().expect("click answered");
    t.elapsed()
}
