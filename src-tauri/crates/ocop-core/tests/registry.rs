//! The provincial registry against an in-memory store, on the demo province: statuses and the
//! start list, revocation's refusals, re-recognition by written opinions with and without
//! divergence, certificates of a round entering the registry and superseding, plans and the
//! dashboard.

use ocop_core::demo::DEMO_PASSPHRASE;
use ocop_core::model::RoundStatus;
use ocop_core::registry::{
    RegistryFilter, RegistryStatus, RenewalInput, RenewalKind, RenewalStatus, RevocationGround,
    RevocationInput,
};
use ocop_core::store::Store;
use ocop_core::Lang;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn demo() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    ocop_core::demo::load(&mut s).unwrap();
    s
}

fn with_status(s: &Store, status: RegistryStatus) -> Vec<ocop_core::registry::RegistryEntry> {
    s.registry_page(
        &RegistryFilter {
            status: Some(status),
            limit: Some(1000),
            ..Default::default()
        },
        today(),
    )
    .unwrap()
    .entries
}

#[test]
fn the_demo_registry_has_every_status_and_the_filters_agree_with_it() {
    let s = demo();
    let all = s
        .registry_page(
            &RegistryFilter {
                limit: Some(1000),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    assert_eq!(all.total, 61, "60 entries and one upgrade");
    let mut total = 0;
    for status in RegistryStatus::ALL {
        let list = with_status(&s, status);
        assert!(!list.is_empty(), "no {status:?} in the demo");
        assert!(list.iter().all(|e| e.status == status), "{status:?}");
        total += list.len();
    }
    assert_eq!(total as u32, all.total, "each entry in exactly one status");
    // Paging: the second page starts where the first ends.
    let p1 = s
        .registry_page(
            &RegistryFilter {
                limit: Some(20),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    let p2 = s
        .registry_page(
            &RegistryFilter {
                offset: Some(20),
                limit: Some(20),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    assert_eq!(p1.entries.len(), 20);
    assert_eq!(p1.total, 61);
    assert_ne!(p1.entries[19].id, p2.entries[0].id);
    assert_eq!(all.entries[20].id, p2.entries[0].id);
    // Search folds diacritics: "nuoc mam" finds "Nước mắm".
    let found = s
        .registry_page(
            &RegistryFilter {
                query: Some("nuoc mam".into()),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    assert!(found.total >= 1);
    assert!(found
        .entries
        .iter()
        .all(|e| e.product.starts_with("Nước mắm")));
    // The start list: windows opening or closing within 30 days.
    let due = s.registry_due(today()).unwrap();
    assert!(!due.is_empty());
    assert!(due.iter().all(|d| (0..=30).contains(&d.in_days)));
}

#[test]
fn an_expired_or_revoked_certificate_is_not_revoked_again() {
    let mut s = demo();
    let expired = &with_status(&s, RegistryStatus::Expired)[0];
    let input = |id: &str| RevocationInput {
        entry_id: Some(id.into()),
        certificate_no: None,
        ground: RevocationGround::B,
        decision_no: "1/QĐ-UBND".into(),
        decision_date: today().to_string(),
        concluded_on: None,
        reason: String::new(),
    };
    let e = s.revoke("t", &input(&expired.id), today()).unwrap_err();
    assert_eq!(e.code(), "revocation.not_in_force");
    let revoked = &with_status(&s, RegistryStatus::Revoked)[0];
    let e = s.revoke("t", &input(&revoked.id), today()).unwrap_err();
    assert_eq!(e.code(), "revocation.already");
    // A decision before its conclusion, or without a number, is refused.
    let valid = &with_status(&s, RegistryStatus::Valid)[0];
    let mut bad = input(&valid.id);
    bad.concluded_on = Some((today() + chrono::Duration::days(1)).to_string());
    assert_eq!(
        s.revoke("t", &bad, today()).unwrap_err().code(),
        "revocation.before_conclusion"
    );
    let mut bad = input(&valid.id);
    bad.decision_no = "  ".into();
    assert_eq!(
        s.revoke("t", &bad, today()).unwrap_err().code(),
        "revocation.decision_missing"
    );
    // Late: more than 15 days after the conclusion is recorded and flagged.
    let mut late = input(&valid.id);
    late.concluded_on = Some((today() - chrono::Duration::days(20)).to_string());
    let r = s.revoke("t", &late, today()).unwrap();
    assert_eq!(r.status, RegistryStatus::Revoked);
    assert!(r.revocation.unwrap().late);
    assert!(s.audit_verify().unwrap().ok);
}

fn open_window_entry(s: &Store) -> ocop_core::registry::RegistryEntry {
    // An entry in its window without a renewal in progress.
    let busy: Vec<String> = s
        .renewals()
        .unwrap()
        .into_iter()
        .map(|r| r.entry.id)
        .collect();
    with_status(s, RegistryStatus::WindowOpen)
        .into_iter()
        .find(|e| !busy.contains(&e.id))
        .expect("an entry in its window")
}

#[test]
fn rerecognition_by_written_opinions_supersedes_the_old_certificate() {
    let mut s = demo();
    let entry = open_window_entry(&s);
    // Outside the window is refused, naming the window.
    let late = RenewalInput {
        entry_id: entry.id.clone(),
        kind: RenewalKind::Rerecognition,
        filed_on: entry.valid_until.clone(),
        complete_on: None,
        changes: String::new(),
    };
    assert_eq!(
        s.renewal_start("t", &late).unwrap_err().code(),
        "renewal.outside_window"
    );
    let r = s
        .renewal_start(
            "t",
            &RenewalInput {
                filed_on: today().to_string(),
                complete_on: Some(today().to_string()),
                ..late
            },
        )
        .unwrap();
    assert_eq!(r.status, RenewalStatus::Opinions);
    assert_eq!(r.deadline_days, Some(45));
    let people = s.persons(None).unwrap();
    // Too few opinions: no decision yet.
    s.renewal_opinion("t", &r.id, &people[0].id, true, "")
        .unwrap();
    assert_eq!(
        s.renewal_decide("t", &r.id, &today().to_string(), Some(DEMO_PASSPHRASE))
            .unwrap_err()
            .code(),
        "renewal.too_few_opinions"
    );
    // A disagreeing opinion needs its reason.
    assert_eq!(
        s.renewal_opinion("t", &r.id, &people[1].id, false, " ")
            .unwrap_err()
            .code(),
        "renewal.remark_needed"
    );
    s.renewal_opinion("t", &r.id, &people[1].id, true, "")
        .unwrap();
    s.renewal_opinion("t", &r.id, &people[2].id, true, "Đồng ý")
        .unwrap();
    let done = s
        .renewal_decide("t", &r.id, &today().to_string(), Some(DEMO_PASSPHRASE))
        .unwrap();
    assert_eq!(done.status, RenewalStatus::Decided);
    let new_id = done.new_entry_id.unwrap();
    let new = s.registry_entry(&new_id, today()).unwrap();
    assert_eq!(new.kind, "rerecognition");
    assert_eq!(new.star, entry.star);
    assert_eq!(new.status, RegistryStatus::Valid);
    assert!(new.signed);
    assert_eq!(new.supersedes.as_deref(), Some(entry.id.as_str()));
    let old = s.registry_entry(&entry.id, today()).unwrap();
    assert_eq!(old.status, RegistryStatus::Superseded);
    // The new certificate's payload verifies offline, and is revoked once revoked.
    let payload: String = s
        .conn()
        .query_row(
            "SELECT payload FROM registry_entry WHERE id = ?1",
            [&new_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        s.verify_certificate(&payload, Lang::Vi).unwrap().code,
        "verify.valid"
    );
    s.revoke(
        "t",
        &RevocationInput {
            entry_id: Some(new_id),
            certificate_no: None,
            ground: RevocationGround::C,
            decision_no: "77/QĐ-UBND".into(),
            decision_date: today().to_string(),
            concluded_on: None,
            reason: "Vi phạm ghi nhãn".into(),
        },
        today(),
    )
    .unwrap();
    let v = s.verify_certificate(&payload, Lang::Vi).unwrap();
    assert_eq!(v.code, "verify.revoked");
    assert!(v.message.contains("Vi phạm ghi nhãn"), "{}", v.message);
    // Decided means closed.
    assert_eq!(
        s.renewal_opinion("t", &r.id, &people[3].id, true, "")
            .unwrap_err()
            .code(),
        "renewal.closed"
    );
}

#[test]
fn divergent_opinions_send_the_renewal_to_a_meeting() {
    let mut s = demo();
    let divergent = s
        .renewals()
        .unwrap()
        .into_iter()
        .find(|r| r.disagree > 0)
        .expect("the demo's divergent renewal");
    let e = s
        .renewal_decide(
            "t",
            &divergent.id,
            &today().to_string(),
            Some(DEMO_PASSPHRASE),
        )
        .unwrap_err();
    assert_eq!(e.code(), "renewal.divergent");
    // The meeting is a round holding the product's dossier.
    let open = s
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status != RoundStatus::Finalised)
        .unwrap();
    assert_eq!(
        s.renewal_to_round("t", &divergent.id, &open.id)
            .unwrap_err()
            .code(),
        "renewal.not_in_round"
    );
    // The meeting scores under the criteria in force: the product moves to QĐ 26/2026.
    let product = s.product(&divergent.entry.product_id).unwrap();
    s.save_product(
        "t",
        &ocop_core::model::ProductInput {
            id: product.id.clone(),
            owner_id: product.owner_id.clone(),
            name: product.name.clone(),
            decision_id: "QD26-2026".into(),
            set_code: product.set_code.clone(),
            code: product.code.clone(),
        },
    )
    .unwrap();
    s.save_dossier(
        "t",
        &open.id,
        &ocop_core::model::DossierInput {
            product_id: divergent.entry.product_id.clone(),
            application_type: ocop_core::model::ApplicationType::Reevaluation,
            received_on: today().to_string(),
            checklist: Default::default(),
            permits: Vec::new(),
        },
    )
    .unwrap();
    let m = s.renewal_to_round("t", &divergent.id, &open.id).unwrap();
    assert_eq!(m.status, RenewalStatus::Meeting);
    assert_eq!(m.round_id.as_deref(), Some(open.id.as_str()));
}

#[test]
fn an_upgrade_needs_its_changes_and_a_round_recognition_enters_the_registry() {
    let mut s = demo();
    let entry = with_status(&s, RegistryStatus::Valid)
        .into_iter()
        .find(|e| e.star < 5)
        .unwrap();
    let input = RenewalInput {
        entry_id: entry.id.clone(),
        kind: RenewalKind::Upgrade,
        filed_on: today().to_string(),
        complete_on: None,
        changes: String::new(),
    };
    assert_eq!(
        s.renewal_start("t", &input).unwrap_err().code(),
        "renewal.upgrade_changes"
    );
    let up = s
        .renewal_start(
            "t",
            &RenewalInput {
                changes: "Bao bì mới, đạt chứng nhận VietGAP".into(),
                ..input
            },
        )
        .unwrap();
    assert_eq!(up.status, RenewalStatus::Meeting);
    // The demo's finalised round: its recognition decision puts its certificates in the registry.
    let done = s
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status == RoundStatus::Finalised)
        .unwrap();
    let rec = s
        .issue_recognition("t", &done.id, &today().to_string(), Some(DEMO_PASSPHRASE))
        .unwrap();
    for c in &rec.certificates {
        let page = s
            .registry_page(
                &RegistryFilter {
                    query: Some(c.number.clone()),
                    ..Default::default()
                },
                today(),
            )
            .unwrap();
        assert_eq!(page.total, 1, "{}", c.number);
        let e = &page.entries[0];
        assert_eq!(
            (e.kind.as_str(), e.imported, e.signed),
            ("new", false, true)
        );
        assert_eq!(e.valid_until, c.valid_until);
    }
}

#[test]
fn the_dashboard_reads_seed_001s_plan_for_2025() {
    let s = demo();
    let d = s.dashboard(2025, None, today()).unwrap();
    assert_eq!(d.plan_total.target, [137, 20, 3]);
    assert_eq!(d.plan_total.target_total, 160);
    let nga_son = d
        .plan
        .iter()
        .find(|r| r.locality == "Huyện Nga Sơn")
        .unwrap();
    assert_eq!(nga_son.target, [4, 2, 2]);
    assert_eq!(nga_son.locality_code, "thanh-hoa/nga-son");
    // Achievements are the demo's entries recognised in 2025 (not re-recognitions).
    let facts = s
        .registry_page(
            &RegistryFilter {
                year: Some(2025),
                limit: Some(1000),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
    let counted = facts
        .entries
        .iter()
        .filter(|e| e.kind != "rerecognition")
        .count() as u32;
    assert_eq!(d.plan_total.achieved_total, counted);
    assert!(d.in_force > 0);
    assert_eq!(d.by_status.iter().map(|c| c.count).sum::<u32>(), 61);
}
