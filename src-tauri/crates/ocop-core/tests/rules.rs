//! Table-driven tests of the scoring rules on the official sheets (QĐ 26/2026 set 07 "Chế biến từ
//! rau, củ, quả, hạt", whose full text is Appendix A of the rules notes, and QĐ 148 sets).

use std::collections::BTreeMap;

use ocop_core::criteria::{Catalog, ProductSet};
use ocop_core::demo::answers_for_total;
use ocop_core::rules::{
    band_star, consolidate, score_sheet, Level, MemberScore, Procedure, ProductResult, Role,
    RoundRules, SheetInput,
};
use ocop_core::score_input::{score, ScoreRequest};
use ocop_core::CoreError;

fn set(decision: &str, code: &str) -> &'static ProductSet {
    Catalog::builtin().set(decision, code).unwrap()
}

fn s07() -> &'static ProductSet {
    set("QD26-2026", "07")
}

/// Answers reaching exactly `total`, keeping every minimum of `keep` stars (and below) met.
fn answers(set: &ProductSet, total: u32, keep: Option<u8>) -> BTreeMap<String, i64> {
    answers_for_total(set, total, keep)
        .unwrap_or_else(|| panic!("could not reach {total} on {}", set.code))
}

/// Changes `answers` so criterion `code` falls below its `star` minimum, keeping the total.
fn break_minimum(set: &ProductSet, a: &mut BTreeMap<String, i64>, code: &str, star: u8) {
    let c = set.leaf(code).unwrap().criterion;
    let min = c.min_points_for(star).expect("criterion has a minimum");
    let before = c.options[a[code] as usize].points;
    let (j, o) = c
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.points < min)
        .max_by_key(|(_, o)| o.points)
        .unwrap();
    a.insert(code.into(), j as i64);
    let mut deficit = before - o.points;
    // Give the points back on criteria without any minimum.
    for l in set.leaves() {
        if deficit == 0 {
            break;
        }
        let lc = l.criterion;
        if lc.code == code || (3..=5).any(|s| lc.min_points_for(s).is_some()) {
            continue;
        }
        let have = lc.options[a[&lc.code] as usize].points;
        if let Some((k, better)) = lc
            .options
            .iter()
            .enumerate()
            .filter(|(_, x)| x.points > have && x.points - have <= deficit)
            .max_by_key(|(_, x)| x.points)
        {
            deficit -= better.points - have;
            a.insert(lc.code.clone(), k as i64);
        }
    }
    assert_eq!(deficit, 0, "could not keep the total");
}

fn sheet(member: &str, role: Role, answers: BTreeMap<String, i64>) -> SheetInput {
    SheetInput {
        member: member.into(),
        role,
        recused: false,
        answers,
        elimination: None,
    }
}

fn council(set: &ProductSet, totals: &[u32], keep: Option<u8>) -> Vec<SheetInput> {
    totals
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let role = if i == 0 { Role::Chair } else { Role::Member };
            sheet(
                &format!("Thành viên {}", i + 1),
                role,
                answers(set, t, keep),
            )
        })
        .collect()
}

fn result(
    set: &ProductSet,
    procedure: Procedure,
    rules: &RoundRules,
    sheets: &[SheetInput],
) -> ProductResult {
    let members: Vec<MemberScore> = sheets
        .iter()
        .map(|s| score_sheet(set, s).unwrap())
        .collect();
    consolidate(set, procedure, rules, members)
}

#[test]
fn band_boundaries() {
    for (mean, star) in [
        (100.0, 5),
        (90.0, 5),
        (89.99, 4),
        (70.0, 4),
        (69.99, 3),
        (50.0, 3),
        (49.99, 2),
        (30.0, 2),
        (29.99, 1),
        (0.0, 1),
    ] {
        assert_eq!(band_star(mean), star, "mean {mean}");
    }
}

#[test]
fn mean_of_totals_decides_the_band_at_full_precision() {
    let s = s07();
    let rules = RoundRules::default();
    // (members' totals, mean, band star, final star when all minima are met)
    let table: &[(&[u32], f64, u8, Option<u8>)] = &[
        (&[90], 90.0, 5, Some(5)),
        (&[90, 90, 89], 269.0 / 3.0, 4, Some(4)),
        (&[70, 70, 70, 70], 70.0, 4, Some(4)),
        (&[70, 70, 69], 209.0 / 3.0, 3, Some(3)),
        (&[50, 50, 50], 50.0, 3, Some(3)),
        (&[50, 50, 49], 149.0 / 3.0, 2, None),
        (
            &[95, 93, 91, 90, 92, 94, 90, 91, 93],
            829.0 / 9.0,
            5,
            Some(5),
        ),
    ];
    for &(totals, mean, band, star) in table {
        let keep = star.or(Some(5)).filter(|_| star.is_some());
        let r = result(s, Procedure::Province26, &rules, &council(s, totals, keep));
        assert!((r.mean_total.unwrap() - mean).abs() < 1e-9, "{totals:?}");
        assert_eq!(r.band_star, Some(band), "{totals:?}");
        assert_eq!(r.star, star, "{totals:?}: unmet {:?}", r.unmet_minima);
        assert_eq!(r.recognised, star.is_some());
        assert_eq!(r.scoring_members as usize, totals.len());
        let parts = r.part_means.unwrap();
        assert!((parts.A + parts.B + parts.C - mean).abs() < 1e-9);
    }
}

#[test]
fn star_minima_lower_the_star_to_the_highest_star_whose_minima_hold() {
    let s = s07();
    let rules = RoundRules::default();
    // Criteria of set 07 with markers: 1.1 (***), 1.5 (****, *****), 2.2 (***).
    // (total, criterion broken, star whose minimum it breaks, expected final star)
    let table: &[(u32, &str, u8, Option<u8>)] = &[
        (95, "1.5", 5, Some(4)), // 5★ minimum unmet → 4★
        (95, "1.5", 4, Some(3)), // 4★ minimum unmet binds 5★ too → 3★
        (80, "1.5", 4, Some(3)),
        (80, "1.5", 5, Some(4)), // a 5★ minimum does not bind 4★
        (60, "2.2", 3, None),    // 3★ minimum unmet → not recognised
        (60, "1.5", 4, Some(3)),
    ];
    for &(total, code, star, expected) in table {
        let keep = Some(5);
        let mut a = answers(s, total, keep);
        break_minimum(s, &mut a, code, star);
        let sheets = vec![
            sheet("Chủ tịch", Role::Chair, a.clone()),
            sheet("Ủy viên", Role::Member, a),
        ];
        let r = result(s, Procedure::Province26, &rules, &sheets);
        assert_eq!(r.mean_total, Some(total as f64));
        assert_eq!(
            r.star, expected,
            "{total} {code} {star}: {:?}",
            r.unmet_minima
        );
        for s_ in star..=5 {
            assert!(
                r.unmet_minima[&s_.to_string()].contains(&code.to_string()),
                "{s_}★ lists {code}"
            );
        }
        for s_ in 3..star {
            assert!(!r.unmet_minima[&s_.to_string()].contains(&code.to_string()));
        }
    }
}

#[test]
fn minima_are_checked_on_the_council_mean_of_each_criterion() {
    let s = s07();
    let c = s.leaf("1.5").unwrap().criterion;
    let min4 = c.min_points_for(4).unwrap();
    let mut low = answers(s, 80, Some(5));
    break_minimum(s, &mut low, "1.5", 4);
    let high = answers(s, 80, Some(5));
    let r = result(
        s,
        Procedure::Province26,
        &RoundRules::default(),
        &[
            sheet("A", Role::Chair, high.clone()),
            sheet("B", Role::Member, high),
            sheet("C", Role::Member, low),
        ],
    );
    let mean = r.criterion_means["1.5"];
    // Two members at the top (3), one below the 4★ minimum: the mean decides.
    assert_eq!(mean >= min4 as f64, r.unmet_minima["4"].is_empty());
}

#[test]
fn spread_of_exactly_ten_is_allowed_and_above_is_flagged() {
    let s = s07();
    let rules = RoundRules::default();
    for (totals, exceeded) in [
        (&[80u32, 70][..], false),
        (&[81, 70], true),
        (&[75, 75, 75], false),
    ] {
        let r = result(s, Procedure::Province26, &rules, &council(s, totals, None));
        assert_eq!(r.spread_exceeded, exceeded, "{totals:?}");
    }
    let custom = RoundRules {
        max_spread: 5.0,
        ..RoundRules::default()
    };
    let r = result(
        s,
        Procedure::Province26,
        &custom,
        &council(s, &[80, 74], None),
    );
    assert!(r.spread_exceeded);
}

#[test]
fn recused_members_leave_the_mean_the_spread_and_the_quorum() {
    let s = s07();
    let rules = RoundRules {
        council_size: Some(5),
        ..RoundRules::default()
    };
    let mut sheets = council(s, &[80, 80, 80, 40], None);
    // A recused member's sheet is ignored whatever it holds.
    sheets[3].recused = true;
    let r = result(s, Procedure::Province26, &rules, &sheets);
    assert_eq!(r.mean_total, Some(80.0));
    assert_eq!(r.spread, Some(0.0));
    assert_eq!(r.scoring_members, 3);
    // Eligible 5 - 1 = 4; 3 of 4 scored: 3/4 holds.
    assert_eq!(r.quorum_met, Some(true));
}

#[test]
fn quorum_needs_three_quarters_and_the_chair() {
    let s = s07();
    // (council size, sheets present (first is chair unless `no_chair`), no_chair, met)
    let table = [
        (5, 4, false, true),
        (5, 3, false, false),
        (4, 3, false, true),
        (9, 7, false, true),
        (9, 6, false, false),
        (5, 4, true, false),
        (3, 3, false, true),
    ];
    for (size, present, no_chair, met) in table {
        let rules = RoundRules {
            council_size: Some(size),
            ..RoundRules::default()
        };
        let mut sheets = council(s, &vec![75; present], None);
        if no_chair {
            sheets[0].role = Role::Member;
        }
        let r = result(s, Procedure::Province26, &rules, &sheets);
        assert_eq!(
            r.quorum_met,
            Some(met),
            "size {size} present {present} no_chair {no_chair}"
        );
    }
    // Unknown council size: quorum not computed.
    let r = result(
        s,
        Procedure::Province26,
        &RoundRules::default(),
        &council(s, &[75], None),
    );
    assert_eq!(r.quorum_met, None);
}

#[test]
fn a_recused_chair_is_replaced_by_a_vice_chair_for_quorum() {
    let s = s07();
    let rules = RoundRules {
        council_size: Some(5),
        ..RoundRules::default()
    };
    let mut sheets = council(s, &[75, 75, 75, 75, 75], None);
    sheets[0].recused = true;
    sheets[1].role = Role::ViceChair;
    assert_eq!(
        result(s, Procedure::Province26, &rules, &sheets).quorum_met,
        Some(true)
    );
    sheets[1].role = Role::Member;
    assert_eq!(
        result(s, Procedure::Province26, &rules, &sheets).quorum_met,
        Some(false)
    );
}

#[test]
fn each_procedure_recognises_its_stars_and_forwards_from_its_threshold() {
    let s = s07();
    let rules = RoundRules::default();
    // (procedure, total, star, recognisable here, forward)
    let table = [
        (Procedure::District148, 60, Some(3), true, None),
        (
            Procedure::District148,
            70,
            Some(4),
            false,
            Some(Level::Province),
        ),
        (Procedure::District148, 69, Some(3), true, None),
        (Procedure::Province148, 75, Some(4), true, None),
        (Procedure::Province148, 60, Some(3), false, None),
        (
            Procedure::Province148,
            90,
            Some(5),
            false,
            Some(Level::Centre),
        ),
        (Procedure::Province26, 60, Some(3), true, None),
        (Procedure::Province26, 89, Some(4), true, None),
        (
            Procedure::Province26,
            90,
            Some(5),
            false,
            Some(Level::Centre),
        ),
        (Procedure::Province26, 45, None, false, None),
        (Procedure::Centre, 92, Some(5), true, None),
        (Procedure::Centre, 85, Some(4), false, None),
    ];
    for (procedure, total, star, here, forward) in table {
        // Keeping every 5★ minimum needs at least 57 points on this sheet.
        let keep = (total >= 60).then_some(5);
        let r = result(
            s,
            procedure,
            &rules,
            &council(s, &[total, total, total], keep),
        );
        assert_eq!(r.star, star, "{procedure:?} {total}");
        assert_eq!(r.recognisable_here, here, "{procedure:?} {total}");
        assert_eq!(r.forward, forward, "{procedure:?} {total}");
    }
}

/// QĐ 26/2026 (after QĐ 1489): a product the province forwarded that scores under 90 at the
/// centre goes back to the province, whose chair may recognise it 3★ or 4★ on the central result.
/// QĐ 148 provides nothing of the kind, and the centre's own 5★ or a failed product go nowhere.
#[test]
fn a_central_result_under_90_returns_to_the_province_under_26_2026_only() {
    let rules = RoundRules::default();
    let s148 = set("QD148-2023", "07");
    // (sheet, total, star, returns to)
    let table: [(&ProductSet, u32, Option<u8>, Option<Level>); 8] = [
        (s07(), 89, Some(4), Some(Level::Province)),
        (s07(), 70, Some(4), Some(Level::Province)),
        (s07(), 60, Some(3), Some(Level::Province)),
        (s07(), 92, Some(5), None),
        (s07(), 45, None, None),
        (s148, 85, Some(4), None),
        (s148, 60, Some(3), None),
        (s148, 95, Some(5), None),
    ];
    for (set, total, star, back) in table {
        let keep = match total {
            90.. => Some(5),
            70.. => Some(4),
            50.. => Some(3),
            _ => None,
        };
        let r = result(
            set,
            Procedure::Centre,
            &rules,
            &council(set, &[total, total, total], keep),
        );
        let what = format!("{} {total}", set.decision);
        assert_eq!(r.star, star, "{what}");
        assert_eq!(r.forward, None, "{what}");
        assert_eq!(r.returns_to, back, "{what}");
        assert_eq!(r.recognisable_here, star == Some(5), "{what}");
    }
    // A provincial council never sends a product back.
    for procedure in [
        Procedure::Province26,
        Procedure::Province148,
        Procedure::District148,
    ] {
        let r = result(
            s07(),
            procedure,
            &rules,
            &council(s07(), &[80, 80, 80], Some(5)),
        );
        assert_eq!(r.returns_to, None, "{procedure:?}");
    }
    // An eliminated product has no star and returns nowhere.
    let mut sheets = council(s07(), &[85, 85, 85], Some(5));
    sheets[0].elimination = Some("Hồ sơ giả mạo".into());
    let r = result(s07(), Procedure::Centre, &rules, &sheets);
    assert_eq!((r.star, r.returns_to), (None, None));
}

#[test]
fn elimination_takes_the_product_out_with_its_reason() {
    let s = s07();
    let mut sheets = council(s, &[95, 95, 95], Some(5));
    sheets[1].elimination = Some("Sử dụng toàn bộ nguyên liệu nhập khẩu".into());
    let r = result(s, Procedure::Province26, &RoundRules::default(), &sheets);
    assert!(r.eliminated);
    assert_eq!(r.star, None);
    assert!(!r.recognised && !r.recognisable_here);
    assert_eq!(r.forward, None);
    assert_eq!(r.eliminations[0].member, "Thành viên 2");
    assert!(r.eliminations[0].reason.contains("nhập khẩu"));
}

#[test]
fn an_incomplete_sheet_is_reported_and_never_scored_as_zero() {
    let s = s07();
    let mut a = answers(s, 80, None);
    a.remove("2.1");
    a.remove("6.5");
    let m = score_sheet(s, &sheet("Lê Văn Tám", Role::Member, a.clone())).unwrap();
    assert!(!m.complete);
    assert_eq!(m.missing, ["2.1", "6.5"]);
    let full = score_sheet(s, &sheet("Chủ tịch", Role::Chair, answers(s, 80, None))).unwrap();
    let r = consolidate(
        s,
        Procedure::Province26,
        &RoundRules::default(),
        vec![full, m],
    );
    assert!(!r.complete);
    assert_eq!((r.mean_total, r.star, r.band_star), (None, None, None));

    let req = ScoreRequest {
        decision: "QD26-2026".into(),
        set: "07".into(),
        procedure: None,
        rules: None,
        sheets: vec![sheet("Lê Văn Tám", Role::Member, a)],
    };
    let e = score(Catalog::builtin(), &req).unwrap_err();
    assert!(matches!(e, CoreError::IncompleteSheet { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("Lê Văn Tám") && msg.contains("2.1") && msg.contains("6.5"),
        "{msg}"
    );
}

#[test]
fn bad_answers_name_the_member_and_the_criterion() {
    let s = s07();
    let mut a = answers(s, 80, None);
    a.insert("9.9".into(), 0);
    let e = score_sheet(s, &sheet("Phạm Thị Hoa", Role::Member, a))
        .unwrap_err()
        .to_string();
    assert!(e.contains("Phạm Thị Hoa") && e.contains("9.9"), "{e}");
    for bad in [-1i64, 99] {
        let mut a = answers(s, 80, None);
        a.insert("1.1".into(), bad);
        let e = score_sheet(s, &sheet("Phạm Thị Hoa", Role::Member, a)).unwrap_err();
        assert!(matches!(e, CoreError::OptionOutOfRange { .. }));
        assert!(e.to_string().contains("1.1"));
    }
}

#[test]
fn nested_and_case_criteria_score_by_leaf() {
    // Tea (set 11) answers the nested leaves 6.1.1 …; tourism (set 26) picks an option of one case.
    for (decision, code) in [
        ("QD26-2026", "11"),
        ("QD26-2026", "26"),
        ("QD148-2023", "11"),
        ("QD148-2023", "26"),
    ] {
        let s = set(decision, code);
        let r = result(
            s,
            Procedure::default_for(decision),
            &RoundRules::default(),
            &council(s, &[88, 86], Some(4)),
        );
        assert_eq!(r.mean_total, Some(87.0), "{decision} {code}");
        assert!(r.criterion_means.keys().all(|k| s.leaf(k).is_some()));
    }
}

#[test]
fn the_procedure_must_belong_to_the_decision() {
    let s = s07();
    let req = ScoreRequest {
        decision: "QD26-2026".into(),
        set: "07".into(),
        procedure: Some("148-district".into()),
        rules: None,
        sheets: vec![sheet("A", Role::Chair, answers(s, 80, None))],
    };
    assert!(matches!(
        score(Catalog::builtin(), &req),
        Err(CoreError::ProcedureNotForDecision { .. })
    ));
}

mod finalise_gate {
    use ocop_core::rules::{finalise_blockers, Blocker, GateFacts, ProductFacts, RoundRules};
    use ocop_core::Lang;

    /// A product nothing blocks.
    fn ok(name: &str) -> ProductFacts {
        ProductFacts {
            product_id: format!("id-{name}"),
            product_name: name.into(),
            quorum_met: Some(true),
            spread: Some(4.0),
            ..Default::default()
        }
    }

    fn gate(started: bool, finalised: bool, products: Vec<ProductFacts>) -> Vec<Blocker> {
        finalise_blockers(&GateFacts {
            started,
            finalised,
            rules: RoundRules::default(),
            products,
        })
    }

    fn codes(b: &[Blocker]) -> Vec<&'static str> {
        b.iter().map(|b| b.code()).collect()
    }

    #[test]
    fn each_fact_gives_its_code_in_order() {
        let unsigned = ProductFacts {
            unsigned: vec!["Hoàng Văn Ba".into(), "Phạm Thị Hai".into()],
            ..ok("Chè")
        };
        let no_quorum = ProductFacts {
            quorum_met: Some(false),
            ..ok("Chè")
        };
        let spread = ProductFacts {
            spread: Some(15.0),
            spread_exceeded: true,
            ..ok("Chè")
        };
        let reviewed = ProductFacts {
            spread_reviewed: true,
            ..spread.clone()
        };
        let blank = ProductFacts {
            elimination_without_reason: true,
            ..ok("Chè")
        };
        let unknown_quorum = ProductFacts {
            quorum_met: None,
            ..ok("Chè")
        };
        let all = ProductFacts {
            unsigned: vec!["Ba".into()],
            quorum_met: Some(false),
            elimination_without_reason: true,
            ..spread.clone()
        };
        // (started, finalised, products, codes)
        let cases: Vec<(bool, bool, Vec<ProductFacts>, Vec<&str>)> = vec![
            (true, false, vec![ok("Chè"), ok("Mật ong")], vec![]),
            (false, false, vec![ok("Chè")], vec!["blocker.not_started"]),
            (true, true, vec![ok("Chè")], vec!["blocker.finalised"]),
            (true, false, vec![], vec!["blocker.no_products"]),
            (
                false,
                false,
                vec![],
                vec!["blocker.not_started", "blocker.no_products"],
            ),
            (true, false, vec![unsigned], vec!["blocker.unsigned"]),
            (true, false, vec![no_quorum], vec!["blocker.no_quorum"]),
            (true, false, vec![unknown_quorum], vec![]),
            (
                true,
                false,
                vec![spread],
                vec!["blocker.spread_not_reviewed"],
            ),
            (true, false, vec![reviewed], vec![]),
            (
                true,
                false,
                vec![blank],
                vec!["blocker.elimination_without_reason"],
            ),
            (
                true,
                false,
                vec![ok("A"), all],
                vec![
                    "blocker.unsigned",
                    "blocker.no_quorum",
                    "blocker.spread_not_reviewed",
                    "blocker.elimination_without_reason",
                ],
            ),
        ];
        for (started, finalised, products, want) in cases {
            let names: Vec<String> = products.iter().map(|p| p.product_name.clone()).collect();
            assert_eq!(
                codes(&gate(started, finalised, products)),
                want,
                "started {started}, finalised {finalised}, products {names:?}"
            );
        }
    }

    #[test]
    fn reasons_carry_their_parameters_in_both_languages() {
        let facts = ProductFacts {
            unsigned: vec!["Hoàng Văn Ba".into(), "Phạm Thị Hai".into()],
            quorum_met: Some(false),
            spread: Some(15.0),
            spread_exceeded: true,
            ..ok("Chè xanh Bình Sơn")
        };
        let b = gate(true, false, vec![facts]);
        assert_eq!(
            b.iter().map(|b| b.message(Lang::Vi)).collect::<Vec<_>>(),
            [
                "Chè xanh Bình Sơn: chưa ký phiếu — Hoàng Văn Ba, Phạm Thị Hai",
                "Chè xanh Bình Sơn: không đủ túc số (cần ít nhất 3/4 thành viên, có Chủ tịch)",
                "Chè xanh Bình Sơn: chênh lệch điểm 15 vượt 10 điểm mà chưa ghi nhận thảo luận và chấm lại",
            ]
        );
        assert_eq!(
            b[2].message(Lang::En),
            "Chè xanh Bình Sơn: the spread of 15 points exceeds 10 and no discussion and re-scoring is recorded"
        );
        let params: Vec<(&str, String)> = b[2].params();
        assert!(params.contains(&("product_id", "id-Chè xanh Bình Sơn".into())));
        assert!(params.contains(&("spread", "15".into())));
        assert_eq!(
            gate(false, false, vec![])[0].message(Lang::En),
            "Scoring has not started in this round"
        );
    }
}
