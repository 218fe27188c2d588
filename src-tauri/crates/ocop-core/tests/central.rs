//! The commune's pre-assessment (Mẫu 03) on a dossier, and the central results back at the
//! province (QĐ 26/2026 Điều 7.2 and 7.4) against an in-memory store on the demo province.

use ocop_core::central::{CentralResultInput, CentralVerdict};
use ocop_core::demo::DEMO_PASSPHRASE;
use ocop_core::model::{CommuneReport, RoundStatus};
use ocop_core::procedure::Level;
use ocop_core::store::Store;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn demo() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    ocop_core::demo::load(&mut s).unwrap();
    s
}

/// The finalised demo round and its products forwarded to the centre, and those not.
fn round1(s: &Store) -> (String, Vec<String>, Vec<String>) {
    let r = s
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status == RoundStatus::Finalised)
        .unwrap();
    let res = s.round_results(&r.id).unwrap();
    let (fwd, rest): (Vec<_>, Vec<_>) = res
        .products
        .iter()
        .partition(|l| l.result.forward == Some(Level::Centre));
    (
        r.id,
        fwd.iter().map(|l| l.product_id.clone()).collect(),
        rest.iter().map(|l| l.product_id.clone()).collect(),
    )
}

fn keyed(product: &str, round: Option<&str>, mean: f64, star: Option<u8>) -> CentralResultInput {
    CentralResultInput {
        product_id: product.into(),
        round_id: round.map(Into::into),
        decision_id: String::new(),
        body: String::new(),
        reference: format!("Biên bản {mean}"),
        scored_on: "2026-09-25".into(),
        mean_total: mean,
        star,
        eliminated: false,
    }
}

#[test]
fn a_central_result_under_90_lets_the_province_recognise_it_on_that_result() {
    let mut s = demo();
    let (round, forwarded, others) = round1(&s);
    assert_eq!(forwarded.len(), 1, "the demo forwards its tea (mean 92)");
    // The demo's central result is there, and waits for the province.
    let demo_results = s.central_results(None).unwrap();
    assert_eq!(demo_results.len(), 1);
    let cr = &demo_results[0];
    assert_eq!(cr.verdict, CentralVerdict::ProvinceMayRecognise);
    assert_eq!(cr.source, "keyed");
    assert!(cr.entry_id.is_none());

    // A product the round did not forward is refused when its round is named.
    let e = s
        .record_central_result("test", &keyed(&others[0], Some(&round), 80.0, Some(4)))
        .unwrap_err();
    assert_eq!(e.code(), "central.not_forwarded");
    // The same result twice is refused.
    let e = s
        .record_central_result(
            "test",
            &CentralResultInput {
                reference: cr.reference.clone(),
                scored_on: cr.scored_on.clone(),
                ..keyed(&cr.product_id, Some(&round), 87.4, Some(4))
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "central.duplicate");

    let count = |s: &Store| -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM registry_entry", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&s);
    let entry = s
        .recognise_on_central_result("test", &cr.id, "2026-10-05", Some(DEMO_PASSPHRASE), today())
        .unwrap();
    assert_eq!(entry.star, 4);
    assert_eq!(entry.issuing_level, "province");
    assert_eq!(entry.valid_until, "2029-10-05");
    assert!(entry.signed);
    assert_eq!(count(&s), before + 1);
    // Its certificate verifies offline against this office's key.
    let payload: String = s
        .conn()
        .query_row(
            "SELECT payload FROM registry_entry WHERE id = ?1",
            [&entry.id],
            |r| r.get(0),
        )
        .unwrap();
    let v = s.verify_certificate(&payload, ocop_core::Lang::Vi).unwrap();
    assert_eq!(v.code, "verify.valid", "{v:?}");
    assert_eq!(v.claim.unwrap().s, 4);
    // Linked, and once only.
    assert_eq!(
        s.central_result(&cr.id).unwrap().entry_id.as_deref(),
        Some(entry.id.as_str())
    );
    let e = s
        .recognise_on_central_result("test", &cr.id, "2026-10-05", Some(DEMO_PASSPHRASE), today())
        .unwrap_err();
    assert_eq!(e.code(), "central.already_recognised");
    // Audited.
    let audit = s.audit_verify().unwrap();
    assert!(audit.ok, "{audit:?}");
}

#[test]
fn a_5_star_central_result_is_the_ministrys_and_148_results_do_not_return() {
    let mut s = demo();
    let (round, forwarded, _) = round1(&s);
    let five = s
        .record_central_result("test", &keyed(&forwarded[0], Some(&round), 91.5, Some(5)))
        .unwrap();
    assert_eq!(five.verdict, CentralVerdict::CentreRecognises);
    let e = s
        .recognise_on_central_result(
            "test",
            &five.id,
            "2026-10-05",
            Some(DEMO_PASSPHRASE),
            today(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "central.not_province");
    let e = s
        .record_centre_decision("test", &five.id, " ", "2026-10-20", "", today())
        .unwrap_err();
    assert_eq!(e.code(), "central.decision_no_missing");
    let entry = s
        .record_centre_decision(
            "test",
            &five.id,
            "1234/QĐ-BNNMT",
            "2026-10-20",
            "1234/QĐ-BNNMT-07",
            today(),
        )
        .unwrap();
    assert_eq!((entry.star, entry.issuing_level.as_str()), (5, "centre"));
    assert_eq!(entry.decision_no, "1234/QĐ-BNNMT");

    // Under QĐ 148 a 4★ central result stops at the centre.
    let r148 = keyed(&forwarded[0], None, 85.0, Some(4));
    let cr = s
        .record_central_result(
            "test",
            &CentralResultInput {
                decision_id: "QD148-2023".into(),
                ..r148
            },
        )
        .unwrap();
    assert_eq!(cr.verdict, CentralVerdict::NotRecognised);
    let e = s
        .recognise_on_central_result("test", &cr.id, "2026-10-05", Some(DEMO_PASSPHRASE), today())
        .unwrap_err();
    assert_eq!(e.code(), "central.not_province");
    // A star the mean cannot carry, and an unknown product, are refused with nothing written.
    let n = s.central_results(None).unwrap().len();
    let e = s
        .record_central_result("test", &keyed(&forwarded[0], None, 85.0, Some(5)))
        .unwrap_err();
    assert_eq!(e.code(), "central.bad_star");
    assert!(e.message(ocop_core::Lang::Vi).contains("85.00"));
    assert!(s
        .record_central_result("test", &keyed("no-such-product", None, 85.0, Some(4)))
        .is_err());
    assert_eq!(s.central_results(None).unwrap().len(), n);
}

#[test]
fn the_commune_report_is_kept_on_the_dossier_and_its_absence_is_noticed() {
    let mut s = demo();
    let open = s
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status != RoundStatus::Finalised)
        .unwrap();
    let dossiers = s.dossiers(&open.id).unwrap();
    // The demo's dossiers carry their Mẫu 03.
    assert!(dossiers.iter().all(|d| d.commune_report.is_some()));
    let d = &dossiers[0];
    let has = |d: &ocop_core::model::Dossier, code: &str| d.notices.iter().any(|n| n.code == code);
    assert!(!has(d, "dossier.no_commune_report"));

    let report = CommuneReport {
        raw_materials: "100% chè búp tươi của các hộ trong xã".into(),
        local_labour: "15 lao động địa phương".into(),
        idea_origin: "Nghề chè truyền thống".into(),
        local_identity: "Chè vùng cao gắn với bản sắc người Mường".into(),
        assessed_on: "2026-10-21".into(),
        assessed_by: "UBND xã Bình Sơn".into(),
        proposed: false,
    };
    let saved = s.save_commune_report("test", &d.id, &report).unwrap();
    assert_eq!(saved.commune_report.as_ref(), Some(&report));
    assert!(has(&saved, "dossier.commune_not_proposed"));
    // Read back from the row.
    let again = s.dossier(&d.id).unwrap();
    assert_eq!(again.commune_report, Some(report.clone()));

    // Bad input is refused and the report stays as it was.
    for (bad, code) in [
        (
            CommuneReport {
                assessed_on: "21/10/2026".into(),
                ..report.clone()
            },
            "input.bad_date",
        ),
        (
            CommuneReport {
                idea_origin: "x".repeat(8001),
                ..report.clone()
            },
            "dossier.commune_report_too_long",
        ),
    ] {
        let e = s.save_commune_report("test", &d.id, &bad).unwrap_err();
        assert_eq!(e.code(), code);
        assert_eq!(
            s.dossier(&d.id).unwrap().commune_report,
            Some(report.clone())
        );
    }
    // A finalised round's dossiers are closed.
    let (r1, _, _) = round1(&s);
    let closed = &s.dossiers(&r1).unwrap()[0];
    let e = s
        .save_commune_report("test", &closed.id, &report)
        .unwrap_err();
    assert_eq!(e.code(), "round.finalised");
    // A 26/2026 dossier without a report is noticed.
    let in_round: Vec<String> = dossiers.iter().map(|d| d.product.id.clone()).collect();
    let other = s
        .products(&Default::default())
        .unwrap()
        .into_iter()
        .find(|p| !in_round.contains(&p.id))
        .unwrap();
    let bare = s
        .save_dossier(
            "test",
            &open.id,
            &ocop_core::model::DossierInput {
                product_id: other.id,
                application_type: Default::default(),
                received_on: String::new(),
                checklist: Default::default(),
                permits: Vec::new(),
            },
        )
        .unwrap();
    assert!(bare.commune_report.is_none());
    assert!(has(&bare, "dossier.no_commune_report"));
    assert!(bare.warnings.iter().any(|w| w.contains("Mẫu số 03")));
    let audit = s.audit_verify().unwrap();
    assert!(audit.ok);
}
