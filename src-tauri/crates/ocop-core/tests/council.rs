//! The rules of a round, against an in-memory store: roster, recusal, quorum, signing, reopening
//! with the chair's PIN, the finalise gate and the audit chain.

use std::collections::BTreeMap;

use ocop_core::model::*;
use ocop_core::rules::{Level, Procedure, Role, RoundRules};
use ocop_core::store::Store;
use ocop_core::Lang;

const ACTOR: &str = "Thư ký kiểm thử";

struct Fixture {
    store: Store,
    round: Round,
    /// chair, vice chair, three members
    people: Vec<Person>,
    secretary: Person,
    products: Vec<Product>,
}

fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let names = [
        ("Lê Văn Chủ", Role::Chair),
        ("Trần Thị Phó", Role::ViceChair),
        ("Nguyễn Văn Một", Role::Member),
        ("Phạm Thị Hai", Role::Member),
        ("Hoàng Văn Ba", Role::Member),
    ];
    let round = store
        .create_round(
            ACTOR,
            &RoundInput {
                name: "Đợt 2 năm 2026".into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-11-20".into(),
                place: "Sở Nông nghiệp và Môi trường".into(),
                rules: RoundRules::default(),
            },
        )
        .unwrap();
    let mut people = Vec::new();
    for (name, role) in names {
        let p = store
            .add_person(
                ACTOR,
                &PersonInput {
                    full_name: name.into(),
                    ..Default::default()
                },
            )
            .unwrap();
        store.set_pin(&p.id, None, "1234").unwrap();
        store
            .set_round_member(ACTOR, &round.id, &p.id, role)
            .unwrap();
        people.push(store.person(&p.id).unwrap());
    }
    let secretary = store
        .add_person(
            ACTOR,
            &PersonInput {
                full_name: "Đỗ Thư Ký".into(),
                ..Default::default()
            },
        )
        .unwrap();
    store.set_pin(&secretary.id, None, "5678").unwrap();
    store
        .set_round_member(ACTOR, &round.id, &secretary.id, Role::Advisor)
        .unwrap();
    let owners: Vec<Owner> = ["Hợp tác xã Chè Bình Sơn", "Công ty TNHH Mật ong Hoa Ban"]
        .into_iter()
        .map(|n| {
            store
                .save_owner(
                    ACTOR,
                    &Owner {
                        name: n.into(),
                        commune: "Xã Bình Sơn".into(),
                        ..Default::default()
                    },
                )
                .unwrap()
        })
        .collect();
    let mut products = Vec::new();
    for (i, (name, set)) in [
        ("Chè xanh Bình Sơn", "11"),
        ("Trà hoa vàng", "12"),
        ("Mật ong hoa ban", "04"),
    ]
    .into_iter()
    .enumerate()
    {
        let p = store
            .save_product(
                ACTOR,
                &ProductInput {
                    owner_id: owners[i.min(1)].id.clone(),
                    name: name.into(),
                    decision_id: "QD26-2026".into(),
                    set_code: set.into(),
                    code: format!("38-16213-{:03}-2026", i + 1),
                    ..Default::default()
                },
            )
            .unwrap();
        store
            .save_dossier(
                ACTOR,
                &round.id,
                &DossierInput {
                    product_id: p.id.clone(),
                    ..dossier()
                },
            )
            .unwrap();
        products.push(p);
    }
    let round = store.start_scoring(ACTOR, &round.id).unwrap();
    Fixture {
        store,
        round,
        people,
        secretary,
        products,
    }
}

fn dossier() -> DossierInput {
    DossierInput {
        product_id: String::new(),
        application_type: ApplicationType::First,
        received_on: "2026-10-01".into(),
        checklist: BTreeMap::new(),
        permits: vec![],
    }
}

/// Fills a sheet with the option reaching `target` points per criterion share (best options first).
fn fill(f: &mut Fixture, sheet_id: &str, best: bool) {
    let sheet = f.store.sheet(sheet_id).unwrap();
    let set = f.store.sheet_by_hash(&sheet.sheet_sha256).unwrap();
    for l in set.leaves() {
        let opts = &l.criterion.options;
        let i = (0..opts.len())
            .max_by_key(|&i| {
                if best {
                    opts[i].points as i64
                } else {
                    -(opts[i].points as i64)
                }
            })
            .unwrap();
        f.store
            .save_answer(ACTOR, sheet_id, &l.criterion.code, Some(i as u32))
            .unwrap();
    }
}

fn score_all(f: &mut Fixture, product: usize, skip: &[usize]) {
    let pid = f.products[product].id.clone();
    for (i, p) in f.people.clone().iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let s = f
            .store
            .open_sheet(ACTOR, &f.round.id, &pid, &p.id, None, 1)
            .unwrap();
        fill(f, &s.id, true);
        f.store.sign_sheet(&s.id, "1234").unwrap();
    }
}

#[test]
fn a_full_round_finalises_with_the_chairs_pin() {
    let mut f = fixture();
    for p in 0..3 {
        score_all(&mut f, p, &[]);
    }
    let r = f.store.round_results(&f.round.id).unwrap();
    assert!(r.blockers.is_empty(), "{:?}", r.blockers);
    assert_eq!(r.products.len(), 3);
    for line in &r.products {
        assert_eq!(line.result.mean_total, Some(100.0));
        assert_eq!(line.result.star, Some(5));
        assert_eq!(line.result.quorum_met, Some(true));
    }
    assert!(
        f.store.finalise_round(&f.round.id, "0000").is_err(),
        "wrong PIN refused"
    );
    let done = f.store.finalise_round(&f.round.id, "1234").unwrap();
    assert_eq!(done.round.status, RoundStatus::Finalised);
    let frozen_at = done.round.finalised_at.clone();
    // Finalising again is refused and leaves the frozen record alone.
    let again = f.store.finalise_round(&f.round.id, "1234").unwrap_err();
    assert_eq!(again.code(), "results.finalise_blocked");
    assert!(again.message(Lang::En).contains("already finalised"));
    assert_eq!(f.store.round(&f.round.id).unwrap().finalised_at, frozen_at);
    assert_eq!(
        f.store
            .round_results(&f.round.id)
            .unwrap()
            .blocker_codes
            .iter()
            .map(|b| b.code.as_str())
            .collect::<Vec<_>>(),
        ["blocker.finalised"]
    );
    // A finalised round is read-only.
    let s = f
        .store
        .product_sheets(&f.round.id, &f.products[0].id)
        .unwrap();
    assert!(f
        .store
        .save_answer(ACTOR, &s[0].id, "1.1", Some(0))
        .is_err());
    assert!(f
        .store
        .set_attendance(ACTOR, &f.round.id, &f.people[1].id, false)
        .is_err());
    assert!(f.store.audit_verify().unwrap().ok);
}

#[test]
fn the_finalise_gate_lists_every_reason() {
    let mut f = fixture();
    score_all(&mut f, 0, &[4]);
    let open = f
        .store
        .open_sheet(
            ACTOR,
            &f.round.id,
            &f.products[0].id,
            &f.people[4].id,
            None,
            1,
        )
        .unwrap();
    fill(&mut f, &open.id, false);
    let r = f.store.round_results(&f.round.id).unwrap();
    let text = r.blockers.join("\n");
    assert!(
        text.contains("Chè xanh Bình Sơn: chưa ký phiếu — Hoàng Văn Ba"),
        "{text}"
    );
    assert!(text.contains("chênh lệch điểm"), "{text}");
    assert!(text.contains("Trà hoa vàng: chưa ký phiếu"), "{text}");
    // The same reasons as codes with parameters, in order.
    let codes: Vec<&str> = r.blocker_codes.iter().map(|b| b.code.as_str()).collect();
    assert!(
        codes.starts_with(&["blocker.unsigned", "blocker.spread_not_reviewed"]),
        "{codes:?}"
    );
    assert_eq!(r.blocker_codes[0].params["product_id"], f.products[0].id);
    assert_eq!(r.blocker_codes[0].params["members"], "Hoàng Văn Ba");
    assert_eq!(
        r.blockers,
        r.blocker_codes
            .iter()
            .map(|b| b.message.clone())
            .collect::<Vec<_>>()
    );
    // Worded in English for an English caller, with no Vietnamese but the names.
    let en = r.clone().in_lang(Lang::En);
    assert_eq!(
        en.blockers[0],
        "Chè xanh Bình Sơn: sheets not signed yet — Hoàng Văn Ba"
    );
    assert!(en.blockers.iter().all(|b| !b.contains("chưa")), "{en:?}");
    let err = f.store.finalise_round(&f.round.id, "1234").unwrap_err();
    let e = err.to_string();
    assert!(e.contains("Chưa kết thúc được"), "{e}");
    assert!(e.contains("chưa ký phiếu — Hoàng Văn Ba"), "{e}");
    // The refusal lists the reasons in the user's language.
    let dto = err.to_dto(Lang::En);
    assert_eq!(dto.code, "results.finalise_blocked");
    assert!(
        dto.message.contains("sheets not signed yet — Hoàng Văn Ba")
            && dto.message.contains("the spread of"),
        "{}",
        dto.message
    );
    assert!(
        !dto.message.contains("chưa") && !dto.message.contains("chênh lệch"),
        "{}",
        dto.message
    );
    assert!(dto.params["codes"].starts_with("blocker.unsigned,blocker.spread_not_reviewed"));
    assert_eq!(
        f.store.round(&f.round.id).unwrap().status,
        RoundStatus::Scoring
    );
}

#[test]
fn quorum_counts_attendance_and_recusal() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    // Two members absent of five: 3/5 < 3/4.
    for i in [3, 4] {
        f.store
            .set_attendance(ACTOR, &f.round.id, &f.people[i].id, false)
            .unwrap();
    }
    score_all(&mut f, 0, &[3, 4]);
    let line = |f: &Fixture| {
        f.store
            .round_results(&f.round.id)
            .unwrap()
            .products
            .into_iter()
            .find(|l| l.product_id == p0)
            .unwrap()
    };
    assert_eq!(line(&f).result.quorum_met, Some(false));
    // One comes back and scores: 4/5 ≥ 3/4.
    f.store
        .set_attendance(ACTOR, &f.round.id, &f.people[3].id, true)
        .unwrap();
    let s = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &f.people[3].id, None, 1)
        .unwrap();
    fill(&mut f, &s.id, true);
    f.store.sign_sheet(&s.id, "1234").unwrap();
    assert_eq!(line(&f).result.quorum_met, Some(true));

    // Recusal: the member cannot open a sheet, and leaves both the mean and the quorum base.
    let p1 = f.products[1].id.clone();
    f.store
        .set_recusal(
            ACTOR,
            &f.round.id,
            &f.people[2].id,
            &p1,
            Some("Là thành viên hợp tác xã"),
        )
        .unwrap();
    assert!(f
        .store
        .open_sheet(ACTOR, &f.round.id, &p1, &f.people[2].id, None, 1)
        .is_err());
    assert!(
        f.store
            .set_recusal(ACTOR, &f.round.id, &f.people[2].id, &p1, Some("  "))
            .is_err(),
        "a recusal needs a reason"
    );
    score_all(&mut f, 1, &[2, 4]);
    let l1 = f
        .store
        .round_results(&f.round.id)
        .unwrap()
        .products
        .into_iter()
        .find(|l| l.product_id == p1)
        .unwrap();
    // Base 5 - 1 recused = 4; 3 scored (member 4 absent).
    assert_eq!(l1.result.scoring_members, 3);
    assert_eq!(l1.result.quorum_met, Some(true));
    assert!(l1
        .result
        .members
        .iter()
        .any(|m| m.recused && m.member == "Nguyễn Văn Một"));
}

#[test]
fn a_signed_sheet_is_read_only_and_reopens_only_with_the_chairs_pin() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    let member = f.people[2].id.clone();
    let s = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &member, None, 1)
        .unwrap();
    assert!(
        f.store.sign_sheet(&s.id, "1234").is_err(),
        "an incomplete sheet cannot be signed"
    );
    fill(&mut f, &s.id, true);
    assert!(f.store.sign_sheet(&s.id, "9999").is_err());
    let signed = f.store.sign_sheet(&s.id, "1234").unwrap();
    assert_eq!(signed.status, SheetStatus::Signed);
    assert!(f.store.save_answer(ACTOR, &s.id, "1.1", Some(0)).is_err());
    assert!(
        f.store.reopen_sheet(&s.id, "1234", "").is_err(),
        "a reason is needed"
    );
    // The chair and the member share a PIN in the fixture, so change the chair's to tell them apart.
    f.store
        .set_pin(&f.people[0].id, Some("1234"), "2468")
        .unwrap();
    assert!(f
        .store
        .reopen_sheet(&s.id, "1234", "Chấm lại sau thảo luận")
        .is_err());
    let v2 = f
        .store
        .reopen_sheet(&s.id, "2468", "Chấm lại sau thảo luận")
        .unwrap();
    assert_eq!((v2.version, v2.status), (2, SheetStatus::Open));
    assert_eq!(
        v2.answers, signed.answers,
        "the new version starts from the signed answers"
    );
    f.store.save_answer(ACTOR, &v2.id, "1.1", Some(0)).unwrap();
    let history = f.store.sheet_history(&f.round.id, &p0, &member).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].status, SheetStatus::Superseded);
    assert_eq!(
        history[0].answers, signed.answers,
        "the signed version is kept"
    );
    assert_ne!(history[1].answers["1.1"], signed.answers["1.1"]);
}

#[test]
fn pin_lockout_after_repeated_failures() {
    let mut f = fixture();
    let id = f.people[1].id.clone();
    for _ in 0..5 {
        assert!(f.store.verify_pin(&id, "0000").is_err());
    }
    let e = f.store.verify_pin(&id, "1234").unwrap_err().to_string();
    assert!(e.contains("tạm khóa"), "{e}");
    assert!(
        f.store.set_pin(&id, None, "12").is_err(),
        "PIN format checked"
    );
}

#[test]
fn spread_flag_is_cleared_by_a_recorded_rescore() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    score_all(&mut f, 0, &[4]);
    let low = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &f.people[4].id, None, 1)
        .unwrap();
    fill(&mut f, &low.id, false);
    f.store.sign_sheet(&low.id, "1234").unwrap();
    let flagged = |f: &Fixture| {
        f.store
            .round_results(&f.round.id)
            .unwrap()
            .products
            .into_iter()
            .find(|l| l.product_id == p0)
            .unwrap()
    };
    assert!(flagged(&f).result.spread_exceeded);
    // Recording a review before anyone re-scored is refused.
    assert!(f
        .store
        .record_spread_review(ACTOR, &f.round.id, &p0, "Đã thảo luận")
        .is_err());
    let v2 = f
        .store
        .reopen_sheet(&low.id, "1234", "Chênh lệch quá 10 điểm")
        .unwrap();
    fill(&mut f, &v2.id, true);
    f.store.sign_sheet(&v2.id, "1234").unwrap();
    assert!(!flagged(&f).result.spread_exceeded);
    f.store
        .record_spread_review(
            ACTOR,
            &f.round.id,
            &p0,
            "Hội đồng thảo luận tiêu chí 1.5, thành viên chấm lại",
        )
        .unwrap();
    assert!(flagged(&f).spread_reviewed);
}

#[test]
fn double_entry_highlights_every_mismatch_and_blocks_signing() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    let (member, sec) = (f.people[3].id.clone(), f.secretary.id.clone());
    let first = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &member, Some(&sec), 1)
        .unwrap();
    assert_eq!(first.entry, Entry::Keyed);
    fill(&mut f, &first.id, true);
    let second = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &member, Some(&sec), 2)
        .unwrap();
    fill(&mut f, &second.id, true);
    f.store
        .save_answer(ACTOR, &second.id, "2.2", Some(0))
        .unwrap();
    f.store
        .save_answer(ACTOR, &second.id, "6.2.3", None)
        .unwrap();
    let m = f.store.mismatches(&first.id).unwrap();
    let codes: Vec<&str> = m.iter().map(|x| x.criterion.as_str()).collect();
    assert_eq!(codes, ["2.2", "6.2.3"]);
    assert!(f
        .store
        .sign_sheet(&first.id, "5678")
        .unwrap_err()
        .to_string()
        .contains("2.2"));
    let full = f.store.sheet(&first.id).unwrap();
    f.store
        .save_answer(ACTOR, &second.id, "2.2", Some(full.answers["2.2"]))
        .unwrap();
    f.store
        .save_answer(ACTOR, &second.id, "6.2.3", Some(full.answers["6.2.3"]))
        .unwrap();
    // The keyed sheet is confirmed with the secretary's PIN, not the member's.
    assert!(f.store.sign_sheet(&first.id, "1234").is_err());
    assert_eq!(
        f.store.sign_sheet(&first.id, "5678").unwrap().status,
        SheetStatus::Signed
    );
}

#[test]
fn elimination_needs_a_reason_and_takes_the_product_out() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    let s = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &f.people[0].id, None, 1)
        .unwrap();
    assert!(f.store.set_elimination(ACTOR, &s.id, Some(" ")).is_err());
    f.store
        .set_elimination(
            ACTOR,
            &s.id,
            Some("Phát hiện tạp chất không chấp nhận được"),
        )
        .unwrap();
    fill(&mut f, &s.id, true);
    f.store.sign_sheet(&s.id, "1234").unwrap();
    score_all(&mut f, 0, &[0]);
    let line = f
        .store
        .round_results(&f.round.id)
        .unwrap()
        .products
        .into_iter()
        .find(|l| l.product_id == p0)
        .unwrap();
    assert!(line.result.eliminated);
    assert_eq!(line.result.star, None);
}

#[test]
fn the_audit_chain_detects_an_edited_row() {
    let mut f = fixture();
    score_all(&mut f, 0, &[]);
    let v = f.store.audit_verify().unwrap();
    assert!(v.ok && v.entries > 50, "{v:?}");
    // The log refuses edits through SQL …
    assert!(f
        .store
        .conn()
        .execute("UPDATE audit_log SET actor = 'x' WHERE seq = 5", [])
        .is_err());
    assert!(f
        .store
        .conn()
        .execute("DELETE FROM audit_log WHERE seq = 5", [])
        .is_err());
    // … and someone who drops the guard is caught by the chain.
    f.store
        .conn()
        .execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = 'tổng 100 điểm (sửa)' WHERE seq = 40;")
        .unwrap();
    let v = f.store.audit_verify().unwrap();
    assert!(!v.ok);
    assert_eq!(v.first_bad_seq, Some(40));
    f.store
        .conn()
        .execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 20;")
        .unwrap();
    assert_eq!(f.store.audit_verify().unwrap().first_bad_seq, Some(21));
}

#[test]
fn every_score_change_is_in_the_audit_log() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    let s = f
        .store
        .open_sheet(ACTOR, &f.round.id, &p0, &f.people[0].id, None, 1)
        .unwrap();
    f.store.save_answer(ACTOR, &s.id, "1.1", Some(1)).unwrap();
    f.store.save_answer(ACTOR, &s.id, "1.1", Some(2)).unwrap();
    let log = f
        .store
        .audit_list(&AuditFilter {
            entity_id: Some(s.id.clone()),
            limit: Some(10),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log[0].action, "sheet.answer");
    assert_eq!(
        (log[0].before.clone(), log[0].after.clone()),
        (
            Some(serde_json::json!({ "criterion": "1.1", "option": 1 })),
            Some(serde_json::json!({ "criterion": "1.1", "option": 2 }))
        )
    );
    assert_eq!(log[0].actor, ACTOR);
    assert_eq!(log[0].round_id.as_deref(), Some(f.round.id.as_str()));
}

#[test]
fn the_audit_log_lists_a_rounds_history_and_an_entitys() {
    let mut f = fixture();
    let p0 = f.products[0].id.clone();
    f.store
        .set_recusal(ACTOR, &f.round.id, &f.people[2].id, &p0, Some("Người nhà"))
        .unwrap();
    score_all(&mut f, 0, &[2]);
    // A second round, whose entries must not show in the first one's history.
    let other = f
        .store
        .create_round(
            ACTOR,
            &RoundInput {
                name: "Đợt 3 năm 2026".into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-12-20".into(),
                place: String::new(),
                rules: RoundRules::default(),
            },
        )
        .unwrap();
    f.store
        .set_round_member(ACTOR, &other.id, &f.people[0].id, Role::Chair)
        .unwrap();
    let list = |filter: AuditFilter| {
        f.store
            .audit_list(&AuditFilter {
                limit: filter.limit.or(Some(10_000)),
                ..filter
            })
            .unwrap()
    };
    let everything = list(AuditFilter::default());
    let round = list(AuditFilter {
        round_id: Some(f.round.id.clone()),
        ..Default::default()
    });
    let actions: std::collections::BTreeSet<&str> =
        round.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "round.create",
        "round.member",
        "dossier.add",
        "round.status",
        "recusal.set",
        "sheet.open",
        "sheet.answer",
        "sheet.sign",
    ] {
        assert!(
            actions.contains(a),
            "the round's history has {a}: {actions:?}"
        );
    }
    assert!(round
        .iter()
        .all(|e| e.round_id.as_deref() == Some(f.round.id.as_str())));
    // Exactly the entries that belong to it: not the directory, not the other round.
    let expected: Vec<i64> = everything
        .iter()
        .filter(|e| e.round_id.as_deref() == Some(f.round.id.as_str()))
        .map(|e| e.seq)
        .collect();
    assert_eq!(round.iter().map(|e| e.seq).collect::<Vec<_>>(), expected);
    assert!(everything
        .iter()
        .any(|e| e.action == "person.add" && e.round_id.is_none()));
    assert_eq!(
        list(AuditFilter {
            round_id: Some(other.id.clone()),
            ..Default::default()
        })
        .iter()
        .map(|e| e.action.as_str())
        .collect::<Vec<_>>(),
        ["round.member", "round.create"]
    );
    // By kind of record and by record, within the round, newest first, paged.
    let sheets = list(AuditFilter {
        round_id: Some(f.round.id.clone()),
        entity: Some("score_sheet".into()),
        ..Default::default()
    });
    assert!(!sheets.is_empty() && sheets.iter().all(|e| e.entity == "score_sheet"));
    assert!(sheets.windows(2).all(|w| w[0].seq > w[1].seq));
    let product = list(AuditFilter {
        entity_id: Some(p0.clone()),
        ..Default::default()
    });
    assert_eq!(
        product
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["recusal.set", "product.add"]
    );
    let page = list(AuditFilter {
        round_id: Some(f.round.id.clone()),
        before_seq: Some(round[9].seq),
        limit: Some(5),
        ..Default::default()
    });
    assert_eq!(
        page.iter().map(|e| e.seq).collect::<Vec<_>>(),
        round[10..15].iter().map(|e| e.seq).collect::<Vec<_>>()
    );
    assert!(f.store.audit_verify().unwrap().ok);
}

#[test]
fn dossier_warns_of_expired_permits_and_tracks_the_checklist() {
    let mut f = fixture();
    let d = f
        .store
        .save_dossier(
            ACTOR,
            &f.round.id,
            &DossierInput {
                product_id: f.products[0].id.clone(),
                permits: vec![
                    Permit {
                        kind: "Giấy chứng nhận ATTP".into(),
                        number: "123/ATTP".into(),
                        valid_until: "2026-06-30".into(),
                    },
                    Permit {
                        kind: "Công bố chất lượng".into(),
                        number: "45".into(),
                        valid_until: "2027-01-01".into(),
                    },
                ],
                checklist: [("mau01".to_string(), true)].into_iter().collect(),
                ..dossier()
            },
        )
        .unwrap();
    // The expired permit, and (a QĐ 26/2026 dossier) the commune's Mẫu 03 not yet entered.
    let codes: Vec<&str> = d.notices.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(
        codes,
        ["dossier.permit_expired", "dossier.no_commune_report"]
    );
    assert_eq!(d.warnings.len(), 2);
    assert!(
        d.warnings[0].contains("123/ATTP") && d.warnings[0].contains("30/06/2026"),
        "{:?}",
        d.warnings
    );
    assert!(!d.complete);
    assert!(d
        .checklist
        .iter()
        .any(|c| c.key == "mau03" && c.required && !c.received));
}

#[test]
fn attachments_are_content_addressed_and_checked_on_read() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let d = &f.store.dossiers(&f.round.id).unwrap()[0];
    let pdf = b"%PDF-1.4\n% test\n".to_vec();
    let a = f
        .store
        .attach(ACTOR, dir.path(), &d.id, "Phiếu đăng ký.pdf", &pdf)
        .unwrap();
    let again = f
        .store
        .attach(ACTOR, dir.path(), &d.id, "Phiếu đăng ký.pdf", &pdf)
        .unwrap();
    assert_eq!(a.sha256, again.sha256);
    assert_eq!(a.mime, "application/pdf");
    assert_eq!(
        f.store.attachment_bytes(dir.path(), &a.sha256).unwrap().1,
        pdf
    );
    assert!(f
        .store
        .attach(ACTOR, dir.path(), &d.id, "virus.exe", b"MZ....")
        .is_err());
    let path = ocop_core::store::rounds::attachment_path(dir.path(), &a.sha256);
    std::fs::write(&path, b"%PDF-1.4 changed").unwrap();
    assert!(
        f.store.attachment_bytes(dir.path(), &a.sha256).is_err(),
        "tampering detected"
    );
}

#[test]
fn search_is_diacritic_insensitive() {
    let f = fixture();
    let hits = |q: &str| {
        f.store
            .products(&ListFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(hits("tra"), ["Trà hoa vàng"]);
    assert_eq!(hits("CHÈ XANH"), ["Chè xanh Bình Sơn"]);
    assert_eq!(
        hits("binh son").len(),
        3,
        "owner name and commune match too"
    );
    assert_eq!(hits("hoa vang"), ["Trà hoa vàng"]);
    assert_eq!(
        hits("mat ong").len(),
        2,
        "product name, and the owner of the other"
    );
    let by_set = f
        .store
        .products(&ListFilter {
            set_code: Some("04".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_set.len(), 1);
}

#[test]
fn round_input_is_validated() {
    let mut store = Store::open_in_memory().unwrap();
    let mut input = RoundInput {
        name: "Đợt thử".into(),
        level: Level::Province,
        decision_id: "QD26-2026".into(),
        procedure: Procedure::District148,
        date: "2026-11-20".into(),
        place: String::new(),
        rules: RoundRules::default(),
    };
    assert!(store
        .create_round(ACTOR, &input)
        .unwrap_err()
        .to_string()
        .contains("148-district"));
    input.procedure = Procedure::Province26;
    input.date = "20/11/2026".into();
    assert!(store.create_round(ACTOR, &input).is_err());
    input.date = "2026-11-20".into();
    input.rules.max_spread = -1.0;
    assert!(store.create_round(ACTOR, &input).is_err());
    input.rules.max_spread = 10.0;
    let r = store.create_round(ACTOR, &input).unwrap();
    assert!(store
        .start_scoring(ACTOR, &r.id)
        .unwrap_err()
        .to_string()
        .contains("Chủ tịch"));
}
