//! A clearly marked demo province so a newcomer sees a lived-in app: a council, owners, products,
//! one finalised round and one round being scored. Every demo PIN is `1234`, and so is the demo
//! office's passphrase (scripts give it as `OCOP_PASSPHRASE=1234`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::criteria::ProductSet;
use crate::error::Result;
use crate::model::*;
use crate::rules::{Level, Procedure, Role, RoundRules};
use crate::store::Store;

pub mod msg {
    crate::messages! {
        NO_SAMPLE_SHEET = "demo.no_sample_sheet" {
            vi: "Không tạo được phiếu mẫu {target} điểm",
            en: "No sample sheet of {target} points could be made",
        }
    }
}

/// The PIN of every demo member.
pub const DEMO_PIN: &str = "1234";
/// The passphrase of the demo office's signing key.
pub const DEMO_PASSPHRASE: &str = "1234";
const ACTOR: &str = "Dữ liệu mẫu";

#[derive(Debug, Serialize)]
pub struct DemoSummary {
    pub loaded: bool,
    pub rounds: Vec<String>,
    pub persons: usize,
    pub owners: usize,
    pub products: usize,
    pub message: String,
    /// Entries of the demo registry (products recognised before the app).
    #[serde(default)]
    pub registry: usize,
}

/// Answers reaching exactly `total` points, keeping every minimum up to `keep` stars met when
/// given. Starts from each criterion's best option and lowers criteria from the end of the sheet.
/// Returns `None` when `total` cannot be reached that way.
pub fn answers_for_total(
    set: &ProductSet,
    total: u32,
    keep: Option<u8>,
) -> Option<BTreeMap<String, i64>> {
    let leaves = set.leaves();
    let mut chosen: Vec<usize> = leaves
        .iter()
        .map(|l| {
            let opts = &l.criterion.options;
            (0..opts.len())
                .max_by_key(|&i| (opts[i].points, std::cmp::Reverse(i)))
                .unwrap_or(0)
        })
        .collect();
    let points = |i: usize, c: &[usize]| leaves[i].criterion.options[c[i]].points;
    let mut current: u32 = (0..leaves.len()).map(|i| points(i, &chosen)).sum();
    if total > current {
        return None;
    }
    for i in (0..leaves.len()).rev() {
        if current == total {
            break;
        }
        let c = leaves[i].criterion;
        let floor = keep.and_then(|s| c.min_points_for(s)).unwrap_or(0);
        let have = points(i, &chosen);
        let need = have.saturating_sub(current - total).max(floor);
        let case = c.options[chosen[i]].case.clone();
        if let Some((j, o)) = c
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.case == case && o.points >= need)
            .min_by_key(|(_, o)| o.points)
        {
            current = current - have + o.points;
            chosen[i] = j;
        }
    }
    (current == total).then(|| {
        leaves
            .iter()
            .zip(chosen)
            .map(|(l, i)| (l.criterion.code.clone(), i as i64))
            .collect()
    })
}

struct DemoProduct {
    name: &'static str,
    set: &'static str,
    owner: usize,
    code: &'static str,
}

const PRODUCTS: [DemoProduct; 8] = [
    DemoProduct {
        name: "Chè xanh Bình Sơn",
        set: "11",
        owner: 0,
        code: "38-16213-001-2026",
    },
    DemoProduct {
        name: "Mật ong hoa ban Mường Lát",
        set: "04",
        owner: 1,
        code: "38-15001-002-2026",
    },
    DemoProduct {
        name: "Nem chua Thanh Hóa",
        set: "08",
        owner: 2,
        code: "38-14755-003-2026",
    },
    DemoProduct {
        name: "Thổ cẩm Pù Luông",
        set: "22",
        owner: 3,
        code: "38-15412-004-2026",
    },
    DemoProduct {
        name: "Nước mắm Ba Làng",
        set: "09",
        owner: 4,
        code: "38-15817-005-2026",
    },
    DemoProduct {
        name: "Cam Vân Du",
        set: "01",
        owner: 5,
        code: "38-15562-006-2026",
    },
    DemoProduct {
        name: "Trà hoa vàng Xuân Du",
        set: "12",
        owner: 0,
        code: "38-16213-007-2026",
    },
    DemoProduct {
        name: "Du lịch cộng đồng bản Đôn",
        set: "26",
        owner: 3,
        code: "38-15412-008-2026",
    },
];

/// Loads the demo province unless it is already there.
pub fn load(store: &mut Store) -> Result<DemoSummary> {
    if store.rounds()?.iter().any(|r| r.demo) {
        return Ok(DemoSummary {
            loaded: false,
            rounds: Vec::new(),
            persons: 0,
            owners: 0,
            products: 0,
            message: "Dữ liệu mẫu đã có sẵn; không nạp lại.".into(),
            registry: 0,
        });
    }
    store.save_office(
        ACTOR,
        &crate::office::OfficeSettings {
            province: "Thanh Hóa".into(),
            place: "Thanh Hóa".into(),
            people_committee: "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
            authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
            council_parent: "UBND TỈNH THANH HÓA".into(),
            council_name: "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA".into(),
            standing_body: "Sở Nông nghiệp và Môi trường".into(),
            decision_symbol: "QĐ-UBND".into(),
            next_decision_no: 125,
            decision_signer: crate::office::SignerSettings {
                sign_for: "KT. CHỦ TỊCH".into(),
                title: "PHÓ CHỦ TỊCH".into(),
                name: "Lê Đức Giang".into(),
            },
        },
    )?;
    // The demo office's signing key, under the demo passphrase (an office's own key stays).
    if store.own_key()?.is_none() {
        store.set_up_key_unchecked(ACTOR, DEMO_PASSPHRASE)?;
    }
    let council = [
        (
            "Lê Đức Giang",
            "Phó Chủ tịch UBND tỉnh",
            "UBND tỉnh",
            Role::Chair,
        ),
        (
            "Nguyễn Văn Hưng",
            "Giám đốc Sở",
            "Sở Nông nghiệp và Môi trường",
            Role::ViceChair,
        ),
        (
            "Trần Thị Thu Hà",
            "Phó Giám đốc Sở",
            "Sở Công Thương",
            Role::Member,
        ),
        ("Phạm Minh Tuấn", "Phó Giám đốc Sở", "Sở Y tế", Role::Member),
        (
            "Hoàng Thị Lan",
            "Phó Giám đốc Sở",
            "Sở Khoa học và Công nghệ",
            Role::Member,
        ),
        (
            "Bùi Thị Ngọc",
            "Chi cục trưởng",
            "Chi cục Phát triển nông thôn",
            Role::Secretary,
        ),
        (
            "Lường Văn Khánh",
            "Chuyên viên",
            "Tổ tư vấn giúp việc Hội đồng",
            Role::Advisor,
        ),
    ];
    let mut people = Vec::new();
    for (name, title, unit, role) in council {
        let p = store.add_person(
            ACTOR,
            &PersonInput {
                full_name: name.into(),
                title: title.into(),
                unit: unit.into(),
            },
        )?;
        store.set_pin(&p.id, None, DEMO_PIN)?;
        people.push((p, role));
    }
    let owners_data = [
        (
            "Hợp tác xã Chè Bình Sơn",
            OwnerKind::Htx,
            "Lê Thị Mai",
            "nu",
            "Kinh",
            "Xã Bình Sơn",
        ),
        (
            "Công ty TNHH Mật ong Hoa Ban",
            OwnerKind::Dn,
            "Hà Văn Pạ",
            "nam",
            "Thái",
            "Xã Mường Lát",
        ),
        (
            "Hộ kinh doanh Nem chua Lê Thị Hạnh",
            OwnerKind::Hkd,
            "Lê Thị Hạnh",
            "nu",
            "Kinh",
            "Phường Hạc Thành",
        ),
        (
            "Hợp tác xã Dệt thổ cẩm Pù Luông",
            OwnerKind::Htx,
            "Hà Thị Dung",
            "nu",
            "Thái",
            "Xã Pù Luông",
        ),
        (
            "Hợp tác xã Nước mắm Ba Làng",
            OwnerKind::Htx,
            "Nguyễn Văn Tài",
            "nam",
            "Kinh",
            "Phường Hải Bình",
        ),
        (
            "Trang trại Cam Vân Du",
            OwnerKind::TrangTrai,
            "Trịnh Văn Phúc",
            "nam",
            "Kinh",
            "Xã Vân Du",
        ),
    ];
    let mut owners = Vec::new();
    for (i, (name, kind, rep, sex, eth, commune)) in owners_data.into_iter().enumerate() {
        owners.push(store.save_owner(
            ACTOR,
            &Owner {
                name: name.into(),
                kind,
                representative: rep.into(),
                rep_sex: sex.into(),
                rep_ethnicity: eth.into(),
                address: format!("Thôn {}, {commune}", i + 1),
                commune: commune.into(),
                province: "Thanh Hóa (dữ liệu mẫu)".into(),
                phone: format!("0237 38{:05}", 10_000 + i * 1_234),
                registration_no: format!("2801{:06}", 100_000 + i * 7),
                ..Default::default()
            },
        )?);
    }
    let mut products = Vec::new();
    for d in &PRODUCTS {
        products.push(store.save_product(
            ACTOR,
            &ProductInput {
                owner_id: owners[d.owner].id.clone(),
                name: d.name.into(),
                decision_id: "QD26-2026".into(),
                set_code: d.set.into(),
                code: d.code.into(),
                ..Default::default()
            },
        )?);
    }
    let full_checklist = |set: &str| -> BTreeMap<String, bool> {
        crate::store::rounds::checklist_items("QD26-2026", set)
            .into_iter()
            .map(|(k, _, _)| (k.to_string(), true))
            .collect()
    };

    // Round 1: scored, signed and finalised.
    let r1 = store.create_round_with(
        ACTOR,
        &RoundInput {
            name: "Đợt 1 năm 2026 (dữ liệu mẫu)".into(),
            level: Level::Province,
            decision_id: "QD26-2026".into(),
            procedure: Procedure::Province26,
            date: "2026-06-25".into(),
            place: "Hội trường Sở Nông nghiệp và Môi trường".into(),
            rules: RoundRules::default(),
        },
        true,
    )?;
    for (p, role) in &people {
        store.set_round_member(ACTOR, &r1.id, &p.id, *role)?;
    }
    // (product, members' targets)
    let plan1: [(usize, [u32; 6]); 5] = [
        (0, [92, 93, 91, 92, 94, 90]),
        (1, [78, 80, 76, 79, 77, 81]),
        (2, [64, 62, 66, 63, 65, 61]),
        (4, [84, 86, 83, 85, 88, 82]),
        (5, [46, 44, 48, 45, 47, 43]),
    ];
    for (pi, _) in &plan1 {
        let d = store.save_dossier(
            ACTOR,
            &r1.id,
            &DossierInput {
                product_id: products[*pi].id.clone(),
                application_type: ApplicationType::First,
                received_on: "2026-05-30".into(),
                checklist: full_checklist(PRODUCTS[*pi].set),
                permits: vec![Permit {
                    kind: "Giấy chứng nhận cơ sở đủ điều kiện ATTP".into(),
                    number: format!("{}/2025/ATTP-CNĐK", 100 + pi),
                    valid_until: "2028-12-31".into(),
                }],
            },
        )?;
        store.save_commune_report(
            ACTOR,
            &d.id,
            &commune_report(&owners[PRODUCTS[*pi].owner], "2026-05-20"),
        )?;
    }
    store.start_scoring(ACTOR, &r1.id)?;
    for (pi, targets) in &plan1 {
        score_product(store, &r1.id, &products[*pi], &people, targets, true)?;
    }
    store.finalise_round(&r1.id, DEMO_PIN)?;

    // Round 2: being scored.
    let r2 = store.create_round_with(
        ACTOR,
        &RoundInput {
            name: "Đợt 2 năm 2026 (dữ liệu mẫu)".into(),
            level: Level::Province,
            decision_id: "QD26-2026".into(),
            procedure: Procedure::Province26,
            date: "2026-11-26".into(),
            place: "Hội trường Sở Nông nghiệp và Môi trường".into(),
            rules: RoundRules::default(),
        },
        true,
    )?;
    for (p, role) in &people {
        store.set_round_member(ACTOR, &r2.id, &p.id, *role)?;
    }
    for (pi, expired) in [(3usize, false), (6, true), (7, false)] {
        let d = store.save_dossier(
            ACTOR,
            &r2.id,
            &DossierInput {
                product_id: products[pi].id.clone(),
                application_type: if pi == 6 {
                    ApplicationType::Upgrade
                } else {
                    ApplicationType::First
                },
                received_on: "2026-10-28".into(),
                checklist: full_checklist(PRODUCTS[pi].set),
                permits: if expired {
                    vec![Permit {
                        kind: "Giấy chứng nhận cơ sở đủ điều kiện ATTP".into(),
                        number: "57/2023/ATTP-CNĐK".into(),
                        valid_until: "2026-09-30".into(),
                    }]
                } else {
                    Vec::new()
                },
            },
        )?;
        store.save_commune_report(
            ACTOR,
            &d.id,
            &commune_report(&owners[PRODUCTS[pi].owner], "2026-10-20"),
        )?;
    }
    store.set_recusal(
        ACTOR,
        &r2.id,
        &people[4].0.id,
        &products[3].id,
        Some("Có người thân là thành viên hợp tác xã"),
    )?;
    store.start_scoring(ACTOR, &r2.id)?;
    score_product(
        store,
        &r2.id,
        &products[3],
        &people,
        &[81, 79, 83, 80, 0, 78],
        false,
    )?;

    // The centre scored round 1's forwarded tea under 90: the province may recognise it 4★.
    store.record_central_result(
        ACTOR,
        &crate::central::CentralResultInput {
            product_id: products[0].id.clone(),
            round_id: Some(r1.id.clone()),
            decision_id: "QD26-2026".into(),
            body: "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương".into(),
            reference: "Biên bản số 12/BB-HĐTW (dữ liệu mẫu)".into(),
            scored_on: "2026-09-22".into(),
            mean_total: 87.4,
            star: Some(4),
            eliminated: false,
        },
    )?;

    let registry = crate::demo_registry::load(store, chrono::Local::now().date_naive())?;
    let summary = DemoSummary {
        registry,
        loaded: true,
        rounds: vec![r1.name, r2.name],
        persons: people.len(),
        owners: owners.len(),
        products: products.len(),
        message: format!("Đã nạp dữ liệu mẫu. Mã PIN của mọi thành viên mẫu: {DEMO_PIN}."),
    };
    Ok(summary)
}

/// The commune's Mẫu 03 for a demo owner's dossier.
fn commune_report(owner: &Owner, on: &str) -> crate::model::CommuneReport {
    crate::model::CommuneReport {
        raw_materials: "Trên 80% nguyên liệu được trồng, khai thác tại địa phương, có hợp đồng liên kết với các hộ trong xã.".into(),
        local_labour: "Sử dụng 12 lao động thường xuyên là người địa phương, trong đó 7 lao động nữ.".into(),
        idea_origin: "Ý tưởng từ nghề truyền thống của địa phương, được chủ thể phát triển thành sản phẩm hàng hóa.".into(),
        local_identity: "Sản phẩm gắn với tên địa danh và tập quán sản xuất lâu đời của cộng đồng.".into(),
        assessed_on: on.into(),
        assessed_by: format!("UBND {}", owner.commune),
        proposed: true,
    }
}

fn score_product(
    store: &mut Store,
    round_id: &str,
    product: &Product,
    people: &[(Person, Role)],
    targets: &[u32],
    sign: bool,
) -> Result<()> {
    let (_, set) = store.current_sheet(&product.decision_id, &product.set_code)?;
    let scorers = people.iter().filter(|(_, r)| *r != Role::Advisor);
    for ((person, _), &target) in scorers.zip(targets) {
        if target == 0 {
            continue; // recused
        }
        let keep = match target {
            90.. => Some(5),
            70.. => Some(4),
            50.. => Some(3),
            _ => None,
        };
        let answers = answers_for_total(&set, target, keep)
            .or_else(|| answers_for_total(&set, target, None))
            .ok_or_else(|| msg::NO_SAMPLE_SHEET.with("target", target))?;
        let sheet = store.open_sheet(ACTOR, round_id, &product.id, &person.id, None, 1)?;
        for (code, i) in answers {
            store.save_answer(&person.full_name, &sheet.id, &code, Some(i as u32))?;
        }
        if sign {
            store.sign_sheet(&sheet.id, DEMO_PIN)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_loads_once_with_a_finalised_and_an_open_round() {
        let mut s = Store::open_in_memory().unwrap();
        let sum = load(&mut s).unwrap();
        assert!(sum.loaded);
        let rounds = s.rounds().unwrap();
        assert_eq!(rounds.len(), 2);
        assert!(rounds
            .iter()
            .all(|r| r.demo && r.name.contains("dữ liệu mẫu")));
        let done = rounds
            .iter()
            .find(|r| r.status == RoundStatus::Finalised)
            .unwrap();
        let res = s.round_results(&done.id).unwrap();
        let stars: Vec<Option<u8>> = res.products.iter().map(|p| p.result.star).collect();
        assert!(
            stars.contains(&Some(5))
                && stars.contains(&Some(4))
                && stars.contains(&Some(3))
                && stars.contains(&None),
            "{stars:?}"
        );
        assert!(rounds.iter().any(|r| r.status == RoundStatus::Scoring));
        assert!(!load(&mut s).unwrap().loaded, "second load is a no-op");
        assert!(s.audit_verify().unwrap().ok);
    }
}
