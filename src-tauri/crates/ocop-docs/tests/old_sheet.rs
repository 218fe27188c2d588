//! An evaluation keeps the sheet version it was scored on. The criteria data corrections of
//! issue 7 (item 6) give sets 21 and 22 (both decisions), 19 and 23 (26/2026) new hashes; a round
//! scored before the correction must still read, score and print as it was.

mod common;

use std::collections::BTreeMap;

use ocop_core::criteria::{Catalog, Criterion, ProductSet};
use ocop_core::model::*;
use ocop_core::office::{OfficeSettings, SignerSettings};
use ocop_core::rules::{Level, Procedure, Role, RoundRules};
use ocop_core::store::Store;
use ocop_docs::papers::{self, PaperKind};

const ACTOR: &str = "Thư ký kiểm thử";
const IP_NOTE: &str = "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ";
const OPTION_3: &str = "Phong cách độc đáo riêng, thể hiện trí tuệ địa phương";

fn criterion_mut<'a>(s: &'a mut ProductSet, code: &str) -> &'a mut Criterion {
    fn walk<'a>(cs: &'a mut [Criterion], code: &str) -> Option<&'a mut Criterion> {
        for c in cs {
            if c.code == code {
                return Some(c);
            }
            if let Some(found) = walk(&mut c.children, code) {
                return Some(found);
            }
        }
        None
    }
    s.parts
        .iter_mut()
        .flat_map(|p| p.groups.iter_mut())
        .find_map(|g| walk(&mut g.criteria, code))
        .expect("criterion")
}

/// The criteria as shipped before the corrections: the current data with the old text put back.
fn old_catalogue() -> Catalog {
    let mut c = Catalog::builtin().clone();
    for d in &mut c.decisions {
        for s in &mut d.sets {
            match (d.decision.id.as_str(), s.code.as_str()) {
                (_, "21" | "22") => {
                    let k = criterion_mut(s, "6.2");
                    k.notes.clear();
                    k.eliminating.clear();
                    k.options[2].text = format!("{OPTION_3} {IP_NOTE}");
                }
                ("QD26-2026", "19") => s.disqualification = None,
                ("QD26-2026", "23") => criterion_mut(s, "9").options[1].inferred = true,
                _ => {}
            }
        }
    }
    c
}

fn office() -> OfficeSettings {
    OfficeSettings {
        province: "Thanh Hóa".into(),
        place: "Thanh Hóa".into(),
        people_committee: "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
        council_parent: "UBND TỈNH THANH HÓA".into(),
        council_name: "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA".into(),
        standing_body: "Sở Nông nghiệp và Môi trường".into(),
        decision_symbol: "QĐ-UBND".into(),
        next_decision_no: 125,
        decision_signer: SignerSettings {
            sign_for: "KT. CHỦ TỊCH".into(),
            title: "PHÓ CHỦ TỊCH".into(),
            name: "Lê Đức Giang".into(),
        },
    }
}

/// A scoring round on QĐ 26/2026 with a chair and two members and one set-21 product (hand
/// embroidery); returns (round id, product id, member ids).
fn round(store: &mut Store, name: &str, product: &str) -> (String, String, Vec<String>) {
    let round = store
        .create_round(
            ACTOR,
            &RoundInput {
                name: name.into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-11-20".into(),
                place: "Sở Nông nghiệp và Môi trường".into(),
                rules: RoundRules::default(),
            },
        )
        .unwrap();
    let mut members = Vec::new();
    for (who, role) in [
        ("Lê Văn Chủ", Role::Chair),
        ("Trần Thị Phó", Role::ViceChair),
        ("Nguyễn Văn Một", Role::Member),
    ] {
        let p = store
            .add_person(
                ACTOR,
                &PersonInput {
                    full_name: format!("{who} ({name})"),
                    ..Default::default()
                },
            )
            .unwrap();
        store.set_pin(&p.id, None, "1234").unwrap();
        store
            .set_round_member(ACTOR, &round.id, &p.id, role)
            .unwrap();
        members.push(p.id);
    }
    let owner = store
        .save_owner(
            ACTOR,
            &Owner {
                name: format!("Hợp tác xã Thêu tay {product}"),
                commune: "Xã Bình Sơn".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let p = store
        .save_product(
            ACTOR,
            &ProductInput {
                owner_id: owner.id.clone(),
                name: product.into(),
                decision_id: "QD26-2026".into(),
                set_code: "21".into(),
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
                application_type: ApplicationType::First,
                received_on: "2026-10-01".into(),
                checklist: BTreeMap::new(),
                permits: vec![],
            },
        )
        .unwrap();
    store.start_scoring(ACTOR, &round.id).unwrap();
    (round.id, p.id, members)
}

/// Every member picks the top option of every criterion and signs.
fn score(store: &mut Store, round: &str, product: &str, members: &[String]) -> Vec<ScoreSheet> {
    members
        .iter()
        .map(|m| {
            let s = store.open_sheet(ACTOR, round, product, m, None, 1).unwrap();
            let set = store.sheet_by_hash(&s.sheet_sha256).unwrap();
            for l in set.leaves() {
                let opts = &l.criterion.options;
                let top = (0..opts.len()).max_by_key(|&i| opts[i].points).unwrap();
                store
                    .save_answer(ACTOR, &s.id, &l.criterion.code, Some(top as u32))
                    .unwrap();
            }
            store.sign_sheet(&s.id, "1234").unwrap()
        })
        .collect()
}

fn sheet_text(store: &mut Store, round: &str) -> String {
    let paper = papers::render(
        store,
        papers::Issue::by(ACTOR),
        PaperKind::Sheet,
        round,
        None,
        Some("2026-11-20"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(&paper.file_name);
    std::fs::write(&path, &paper.bytes).unwrap();
    common::text(&path, None)
}

#[test]
fn an_evaluation_scored_on_the_old_sheet_keeps_it_after_the_correction() {
    let mut store = Store::open_in_memory().unwrap();
    store.save_office(ACTOR, &office()).unwrap();
    // The database as the build before the correction left it.
    assert_eq!(store.load_criteria(&old_catalogue()).unwrap(), 6);
    let (old_hash, old_set) = store.current_sheet("QD26-2026", "21").unwrap();
    assert_eq!(
        criterion_mut(&mut old_set.clone(), "6.2").options[2].text,
        format!("{OPTION_3} {IP_NOTE}")
    );

    let (round_id, product, members) = round(&mut store, "Đợt 1", "Khăn thêu tay");
    let before = score(&mut store, &round_id, &product, &members);
    assert!(before.iter().all(|s| s.sheet_sha256 == old_hash));
    let results_before = store.round_results(&round_id).unwrap();
    let paper_before = sheet_text(&mut store, &round_id);
    assert!(
        paper_before.contains(&format!("{OPTION_3} {IP_NOTE}")),
        "{paper_before}"
    );

    // The corrected build starts: its data becomes current.
    assert_eq!(store.load_criteria(Catalog::builtin()).unwrap(), 6);
    let (new_hash, new_set) = store.current_sheet("QD26-2026", "21").unwrap();
    assert_ne!(new_hash, old_hash);
    assert_eq!(&new_set, Catalog::builtin().set("QD26-2026", "21").unwrap());

    // The evaluation still reads with the old hash, the old text and the old scores.
    for s in &before {
        let now = store.sheet(&s.id).unwrap();
        assert_eq!(now.sheet_sha256, old_hash);
        assert_eq!((&now.answers, &now.score), (&s.answers, &s.score));
        assert_eq!(now.status, s.status);
    }
    assert_eq!(store.sheet_by_hash(&old_hash).unwrap(), old_set);
    let results_after = store.round_results(&round_id).unwrap();
    assert_eq!(
        serde_json::to_value(&results_after.products).unwrap(),
        serde_json::to_value(&results_before.products).unwrap()
    );
    // … and its paper prints the old option text, unchanged.
    let paper_after = sheet_text(&mut store, &round_id);
    assert!(
        paper_after.contains(&format!("{OPTION_3} {IP_NOTE}")),
        "{paper_after}"
    );
    assert_eq!(paper_after, paper_before);

    // A new evaluation is scored and printed on the corrected sheet: the note under the title.
    let (round2, product2, members2) = round(&mut store, "Đợt 2", "Túi thêu tay");
    let after = score(&mut store, &round2, &product2, &members2);
    assert!(after.iter().all(|s| s.sheet_sha256 == new_hash));
    let paper_new = sheet_text(&mut store, &round2);
    assert!(
        !paper_new.contains(&format!("{OPTION_3} {IP_NOTE}")),
        "{paper_new}"
    );
    assert!(
        paper_new.contains(IP_NOTE) && paper_new.contains(OPTION_3),
        "{paper_new}"
    );
}
