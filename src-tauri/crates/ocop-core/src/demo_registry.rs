//! The demo province's record: about sixty products recognised over the last three years (as the
//! lists kept before the app would give them), seed 001's plan for 2025 and a plan for this year,
//! an upgrade, a revocation, lapsed certificates and re-recognitions in progress. Dates are
//! counted back from the day the demo is loaded, so the statuses are the same whenever it is.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;

use crate::error::Result;
use crate::model::{Owner, OwnerKind, ProductInput};
use crate::registry::{LocalityLevel, PlanTarget, RenewalInput, RenewalKind, RevocationGround};
use crate::store::registry::{ensure_locality, record_certificate, write_targets};
use crate::store::Store;

/// Seed 001 (Thanh Hóa, plan for 2025): targets per district as [3★, 4★, 5★].
pub const SEED_001_PLAN: &[(&str, [u32; 3])] = &[
    ("TP Thanh Hóa", [6, 2, 0]),
    ("TP Sầm Sơn", [1, 1, 0]),
    ("Huyện Quảng Xương", [11, 1, 0]),
    ("Huyện Nga Sơn", [4, 2, 2]),
    ("TX Bỉm Sơn", [1, 1, 0]),
    ("TX Nghi Sơn", [7, 3, 0]),
    ("Huyện Yên Định", [6, 1, 0]),
    ("Huyện Nông Cống", [10, 0, 0]),
    ("Huyện Thọ Xuân", [4, 2, 0]),
    ("Huyện Triệu Sơn", [8, 2, 0]),
    ("Huyện Hậu Lộc", [9, 2, 0]),
    ("Huyện Hà Trung", [3, 0, 0]),
    ("Huyện Vĩnh Lộc", [5, 0, 0]),
    ("Huyện Thạch Thành", [5, 0, 0]),
    ("Huyện Cẩm Thủy", [4, 0, 0]),
    ("Huyện Như Thanh", [2, 1, 0]),
    ("Huyện Như Xuân", [7, 1, 0]),
    ("Huyện Ngọc Lặc", [3, 0, 0]),
    ("Huyện Thường Xuân", [5, 0, 0]),
    ("Huyện Lang Chánh", [4, 0, 0]),
    ("Huyện Quan Sơn", [8, 0, 0]),
    ("Huyện Quan Hóa", [4, 0, 0]),
    ("Huyện Mường Lát", [2, 0, 0]),
    ("Huyện Bá Thước", [3, 0, 0]),
    ("Huyện Thiệu Hóa", [8, 0, 0]),
    ("Huyện Hoằng Hóa", [7, 1, 1]),
];

/// Product kinds of the demo registry: name, set (QĐ 148 and QĐ 26 number them alike).
const KINDS: &[(&str, &str)] = &[
    ("Chè xanh", "11"),
    ("Mật ong hoa rừng", "04"),
    ("Nước mắm", "09"),
    ("Nem chua", "08"),
    ("Gạo nếp cái hoa vàng", "03"),
    ("Bánh gai", "06"),
    ("Rượu nếp cái", "14"),
    ("Cam đường canh", "01"),
    ("Miến dong", "06"),
    ("Tinh dầu sả", "20"),
    ("Chiếu cói", "21"),
    ("Mắm tép", "09"),
    ("Bưởi Luận Văn", "01"),
    ("Dưa hấu", "01"),
    ("Thổ cẩm", "22"),
];

const COMMUNES: &[&str] = &[
    "Xã Hoằng Lộc",
    "Xã Nga Thủy",
    "Xã Thiệu Trung",
    "Xã Xuân Lập",
    "Xã Hà Lĩnh",
    "Xã Vĩnh Hùng",
];

/// One demo registry entry: its product and when it was recognised (days before the demo day).
pub struct DemoEntry {
    pub product: String,
    pub owner: String,
    pub kind: OwnerKind,
    pub sex: &'static str,
    pub ethnicity: &'static str,
    pub district: &'static str,
    pub commune: &'static str,
    pub set: &'static str,
    pub star: u8,
    pub days_ago: i64,
    pub decision_no: String,
}

/// The demo registry (also the rows of the sample list in `assets/samples/`).
pub fn entries() -> Vec<DemoEntry> {
    let kinds = [
        OwnerKind::Htx,
        OwnerKind::Dn,
        OwnerKind::Hkd,
        OwnerKind::Tht,
        OwnerKind::TrangTrai,
    ];
    (0..60)
        .map(|i| {
            let (district, _) = SEED_001_PLAN[i % SEED_001_PLAN.len()];
            let (kind_name, set) = KINDS[i % KINDS.len()];
            let place = district
                .trim_start_matches("Huyện ")
                .trim_start_matches("TP ")
                .trim_start_matches("TX ");
            let mountain = [
                "Thường Xuân",
                "Lang Chánh",
                "Quan Sơn",
                "Quan Hóa",
                "Mường Lát",
                "Bá Thước",
                "Như Xuân",
                "Ngọc Lặc",
            ]
            .contains(&place);
            let kind = kinds[i % kinds.len()];
            let owner = match kind {
                OwnerKind::Htx => format!("Hợp tác xã {kind_name} {place}"),
                OwnerKind::Dn => format!("Công ty TNHH {kind_name} {place}"),
                OwnerKind::Hkd => format!("Hộ kinh doanh {kind_name} {place} số {}", i + 1),
                OwnerKind::Tht => format!("Tổ hợp tác {kind_name} {place}"),
                _ => format!("Trang trại {kind_name} {place}"),
            };
            DemoEntry {
                product: format!("{kind_name} {place}"),
                owner,
                kind,
                sex: if i % 2 == 0 { "nu" } else { "nam" },
                ethnicity: if mountain {
                    if i % 3 == 0 {
                        "Mường"
                    } else {
                        "Thái"
                    }
                } else {
                    "Kinh"
                },
                district,
                commune: COMMUNES[i % COMMUNES.len()],
                set,
                star: if i % 20 == 7 {
                    5
                } else if i % 6 == 1 {
                    4
                } else {
                    3
                },
                // From 30 days to a little over three years ago: the oldest have lapsed, some
                // are in their re-recognition window, some have just missed it.
                days_ago: 30 + i as i64 * 19,
                decision_no: format!("{}/QĐ-UBND", 1_000 + i * 13),
            }
        })
        .collect()
}

const ACTOR: &str = "Dữ liệu mẫu";

/// Loads the registry part of the demo as of `today`.
pub(crate) fn load(store: &mut Store, today: NaiveDate) -> Result<usize> {
    let office = store.office()?;
    let list = entries();
    // Localities and plans: seed 001 for 2025, the same table for this year.
    store.write(ACTOR, |tx| {
        let mut targets = Vec::new();
        for (name, t) in SEED_001_PLAN {
            let code = ensure_locality(tx, name, LocalityLevel::District, &office.province)?;
            for year in [2025, today.year()] {
                for (k, n) in t.iter().enumerate() {
                    targets.push(PlanTarget {
                        year,
                        locality_code: code.clone(),
                        star: 3 + k as u8,
                        target: *n,
                    });
                }
            }
        }
        write_targets(tx, &targets)?;
        tx.audit(
            "demo.plan",
            "plan",
            "2025",
            None,
            Some(json!({ "localities": SEED_001_PLAN.len() })),
        )
    })?;
    let mut entry_ids = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let owner = store.save_owner(
            ACTOR,
            &Owner {
                name: e.owner.clone(),
                kind: e.kind,
                representative: format!("Người đại diện {}", i + 1),
                rep_sex: e.sex.into(),
                rep_ethnicity: e.ethnicity.into(),
                commune: e.commune.into(),
                district: e.district.into(),
                province: "Thanh Hóa (dữ liệu mẫu)".into(),
                ..Default::default()
            },
        )?;
        let date = today - Duration::days(e.days_ago);
        let decision = if date >= NaiveDate::from_ymd_opt(2026, 5, 22).expect("a date") {
            "QD26-2026"
        } else {
            "QD148-2023"
        };
        let product = store.save_product(
            ACTOR,
            &ProductInput {
                owner_id: owner.id.clone(),
                name: e.product.clone(),
                decision_id: decision.into(),
                set_code: e.set.into(),
                ..Default::default()
            },
        )?;
        let until = crate::registry::valid_until(date).expect("a date");
        let level = match (e.star, decision) {
            (5, _) => "centre",
            (3, "QD148-2023") => "district",
            _ => "province",
        };
        let body = match level {
            "centre" => "Bộ Nông nghiệp và Môi trường".to_string(),
            "district" => format!("UBND {}", e.district),
            _ => office.people_committee.clone(),
        };
        let id = store.write(ACTOR, |tx| {
            let id = record_certificate(
                tx,
                &product.id,
                None,
                &format!("{}-01", e.decision_no),
                e.star,
                None,
                &e.decision_no,
                &date.to_string(),
                level,
                &body,
                &until.to_string(),
                None,
                Some("imported"),
            )?;
            tx.audit(
                "registry.import",
                "registry_entry",
                &id,
                None,
                Some(json!({ "product_id": product.id, "star": e.star, "decision_no": e.decision_no, "demo": true })),
            )?;
            Ok(id)
        })?;
        entry_ids.push((id, product.id));
    }
    // An upgrade: product 3 recognised 4 stars 100 days ago (superseding its 3 stars).
    let (_, up_product) = &entry_ids[3];
    let up_date = today - Duration::days(100);
    store.write(ACTOR, |tx| {
        let id = record_certificate(
            tx,
            up_product,
            None,
            "1790/QĐ-UBND-01",
            4,
            None,
            "1790/QĐ-UBND",
            &up_date.to_string(),
            "province",
            &office.people_committee,
            &crate::registry::valid_until(up_date)
                .expect("a date")
                .to_string(),
            None,
            Some("upgrade"),
        )?;
        tx.audit(
            "registry.upgrade",
            "registry_entry",
            &id,
            None,
            Some(json!({ "product_id": up_product, "star": 4, "demo": true })),
        )
    })?;
    // A revocation: production stopped (điểm đ), decided 60 days ago.
    store.revoke(
        ACTOR,
        &crate::registry::RevocationInput {
            entry_id: Some(entry_ids[10].0.clone()),
            certificate_no: None,
            ground: RevocationGround::Dd,
            decision_no: "2045/QĐ-UBND".into(),
            decision_date: (today - Duration::days(60)).to_string(),
            concluded_on: Some((today - Duration::days(70)).to_string()),
            reason: "Chủ thể đã ngừng sản xuất từ quý II theo báo cáo của UBND xã".into(),
        },
        today,
    )?;
    // Re-recognitions in their window: one with agreeing opinions, one divergent.
    let people = store.persons(None)?;
    for (k, i) in [47usize, 48].into_iter().enumerate() {
        let entry = store.registry_entry(&entry_ids[i].0, today)?;
        let (from, _) = crate::registry::filing_window(
            NaiveDate::parse_from_str(&entry.valid_until, "%Y-%m-%d").expect("a date"),
        );
        let filed = from.max(today - Duration::days(10)).min(today);
        let r = store.renewal_start(
            ACTOR,
            &RenewalInput {
                entry_id: entry.id.clone(),
                kind: RenewalKind::Rerecognition,
                filed_on: filed.to_string(),
                complete_on: Some(filed.to_string()),
                changes: "Không thay đổi về sản phẩm; bổ sung kết quả kiểm nghiệm mới".into(),
            },
        );
        let Ok(r) = r else { continue };
        for (j, p) in people.iter().take(4).enumerate() {
            let agree = !(k == 1 && j == 2);
            store.renewal_opinion(
                ACTOR,
                &r.id,
                &p.id,
                agree,
                if agree {
                    ""
                } else {
                    "Cần kiểm tra lại hồ sơ an toàn thực phẩm"
                },
            )?;
        }
    }
    Ok(list.len())
}
