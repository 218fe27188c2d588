//! Rounds (đợt đánh giá): the roster from the member directory, attendance, recusals, dossiers
//! with their checklist and content-addressed attachments.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{params, OptionalExtension, Row};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::directory::{product_from, PRODUCT_SELECT};
use super::{new_id, now, Store, Tx};
use crate::error::{CoreError, Entity, Notice, Result};
use crate::model::{
    ApplicationType, AttachmentRef, ChecklistItem, CommuneReport, Dossier, DossierInput, Permit,
    Recusal, Round, RoundInput, RoundMember, RoundStatus,
};
use crate::rules::{Level, Procedure, Role, RoundRules};
use crate::store::stored::StoredCommuneReport;
use crate::text::nfc;

pub mod msg {
    crate::messages! {
        NAME_MISSING = "round.name_missing" {
            vi: "Chưa nhập tên đợt đánh giá",
            en: "The round has no name",
        }
        LEVEL_MISMATCH = "round.level_mismatch" {
            vi: "Quy trình {procedure} là của cấp {procedure_level}, không phải cấp {level}",
            en: "Procedure {procedure} belongs to level {procedure_level}, not {level}",
        }
        FINALISED = "round.finalised" {
            vi: "Đợt đánh giá '{round}' đã kết thúc, không sửa được",
            en: "Round '{round}' is finalised and cannot be changed",
        }
        DECISION_LOCKED = "round.decision_locked" {
            vi: "Đã bắt đầu chấm điểm: không đổi quyết định hoặc quy trình được",
            en: "Scoring has started: the decision and procedure cannot change",
        }
        NOT_DRAFT = "round.not_draft" {
            vi: "Đợt đánh giá không ở trạng thái dự thảo",
            en: "The round is not a draft",
        }
        NO_CHAIR = "round.no_chair" {
            vi: "Hội đồng chưa có Chủ tịch",
            en: "The council has no chair",
        }
        NO_PRODUCTS = "round.no_products" {
            vi: "Đợt đánh giá chưa có sản phẩm nào",
            en: "The round has no products",
        }
        CHAIR_TAKEN = "round.chair_taken" {
            vi: "Hội đồng đã có Chủ tịch",
            en: "The council already has a chair",
        }
        MEMBER_REMOVE_AFTER_START = "round.member_remove_after_start" {
            vi: "Đã bắt đầu chấm: chỉ ghi vắng mặt, không xóa thành viên",
            en: "Scoring has started: mark the member absent instead of removing them",
        }
        RECUSAL_REASON_MISSING = "recusal.reason_missing" {
            vi: "Cần ghi lý do tránh xung đột lợi ích",
            en: "A recusal needs a reason",
        }
        PRODUCT_WRONG_DECISION = "dossier.wrong_decision" {
            vi: "Sản phẩm '{product}' đăng ký theo {product_decision}, đợt này chấm theo {round_decision}",
            en: "Product '{product}' is registered under {product_decision}; this round scores under {round_decision}",
        }
        DOSSIER_REMOVE_AFTER_START = "dossier.remove_after_start" {
            vi: "Đã bắt đầu chấm: không rút sản phẩm khỏi đợt được",
            en: "Scoring has started: a product cannot be withdrawn from the round",
        }
        ATTACHMENT_KIND = "attachment.kind" {
            vi: "Tệp '{name}' không phải PDF hay ảnh (PNG, JPEG): chỉ nhận các loại này",
            en: "File '{name}' is not a PDF or an image (PNG, JPEG), the only kinds accepted",
        }
        ATTACHMENT_TAMPERED = "attachment.tampered" {
            vi: "Tệp đính kèm {sha256} bị thay đổi trên đĩa (mã băm không khớp)",
            en: "Attachment {sha256} was changed on disk (its hash does not match)",
        }
        BAD_SPREAD = "round.bad_spread" {
            vi: "Chênh lệch tối đa phải từ 0 đến 100 điểm",
            en: "The maximum spread must be between 0 and 100 points",
        }
        NO_COMMUNE_REPORT = "dossier.no_commune_report" {
            vi: "Chưa có báo cáo đánh giá của UBND cấp xã (Mẫu số 03)",
            en: "The commune's pre-assessment (Form 03) has not been entered",
        }
        COMMUNE_NOT_PROPOSED = "dossier.commune_not_proposed" {
            vi: "UBND cấp xã chưa đề nghị đánh giá sản phẩm này (Mẫu số 03)",
            en: "The commune has not proposed this product for evaluation (Form 03)",
        }
        COMMUNE_REPORT_TOO_LONG = "dossier.commune_report_too_long" {
            vi: "Nội dung \"{field}\" của Mẫu số 03 dài quá {max} ký tự",
            en: "The Form 03 field \"{field}\" is longer than {max} characters",
        }
        PERMIT_EXPIRED = "dossier.permit_expired" {
            vi: "{permit} {number} hết hạn ngày {date} (trước ngày họp Hội đồng)",
            en: "{permit} {number} expired on {date} (before the council meets)",
        }
        BAD_QUORUM = "round.bad_quorum" {
            vi: "Tỷ lệ túc số không hợp lệ",
            en: "Invalid quorum ratio",
        }
    }
}

/// The dossier checklist of a decision: (key, label, required).
pub fn checklist_items(
    decision_id: &str,
    set_code: &str,
) -> Vec<(&'static str, &'static str, bool)> {
    let tourism = set_code == "26";
    if decision_id.contains("148") {
        vec![
            ("phieu_dang_ky", "Phiếu đăng ký sản phẩm", true),
            (
                "phuong_an_kd",
                "Phương án, kế hoạch sản xuất kinh doanh",
                true,
            ),
            ("dkkd", "Bản sao Giấy chứng nhận đăng ký kinh doanh", true),
            (
                "attp",
                "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (nếu có)",
                false,
            ),
            (
                "cong_bo",
                "Bản công bố chất lượng, phiếu kiểm nghiệm",
                false,
            ),
            ("minh_chung", "Tài liệu minh chứng theo bộ tiêu chí", false),
            ("cau_chuyen", "Câu chuyện sản phẩm", false),
            ("mau", "Sản phẩm mẫu", !tourism),
            ("ho_so_dien_tu", "01 bộ hồ sơ điện tử (bản scan)", true),
        ]
    } else {
        vec![
            ("mau01", "Phiếu đăng ký (Mẫu số 01)", true),
            ("mau02", "Báo cáo tự đánh giá về sản phẩm (Mẫu số 02)", true),
            ("de_nghi_xa", "Văn bản đề nghị của UBND cấp xã", true),
            (
                "mau03",
                "Báo cáo đánh giá một số nội dung của UBND cấp xã (Mẫu số 03)",
                true,
            ),
            (
                "mau",
                "05 sản phẩm mẫu (trừ sản phẩm dịch vụ du lịch)",
                !tourism,
            ),
            ("dkkd", "Giấy chứng nhận đăng ký kinh doanh", false),
            (
                "attp",
                "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
                false,
            ),
            ("cong_bo", "Hồ sơ công bố chất lượng sản phẩm", false),
            ("ho_so_dien_tu", "01 bộ hồ sơ điện tử", true),
        ]
    }
}

fn round_from(r: &Row) -> rusqlite::Result<Round> {
    let rules: String = r.get("rules")?;
    let level: String = r.get("level")?;
    let procedure: String = r.get("procedure")?;
    Ok(Round {
        id: r.get("id")?,
        name: r.get("name")?,
        level: match level.as_str() {
            "district" => Level::District,
            "centre" => Level::Centre,
            _ => Level::Province,
        },
        decision_id: r.get("decision_id")?,
        procedure: Procedure::parse(&procedure).unwrap_or(Procedure::Province26),
        date: r.get("date")?,
        place: r.get("place")?,
        status: RoundStatus::parse(&r.get::<_, String>("status")?),
        rules: serde_json::from_str(&rules).unwrap_or_default(),
        demo: r.get::<_, i64>("demo")? != 0,
        finalised_at: r.get("finalised_at")?,
        member_count: r.get("member_count")?,
        product_count: r.get("product_count")?,
    })
}

const ROUND_SELECT: &str = "SELECT r.*,
    (SELECT COUNT(*) FROM round_member m WHERE m.round_id = r.id AND m.role IN ('chair','vice_chair','member','secretary')) AS member_count,
    (SELECT COUNT(*) FROM dossier d WHERE d.round_id = r.id) AS product_count
    FROM round r";

fn check_date(d: &str) -> Result<()> {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| crate::error::msg::BAD_DATE.with("date", d))
}

impl Store {
    pub fn create_round(&mut self, actor: &str, input: &RoundInput) -> Result<Round> {
        self.create_round_with(actor, input, false)
    }

    pub(crate) fn create_round_with(
        &mut self,
        actor: &str,
        input: &RoundInput,
        demo: bool,
    ) -> Result<Round> {
        let name = nfc(input.name.trim());
        if name.is_empty() {
            return Err(msg::NAME_MISSING.err());
        }
        check_date(&input.date)?;
        let catalog = self.catalog()?;
        let d = catalog
            .decision(&input.decision_id)
            .ok_or_else(|| CoreError::UnknownDecision(input.decision_id.clone()))?;
        if !d.decision.procedures.contains(&input.procedure) {
            return Err(CoreError::ProcedureNotForDecision {
                procedure: input.procedure.as_str().into(),
                decision: d.decision.id.clone(),
            });
        }
        if input.procedure.level() != input.level {
            return Err(msg::LEVEL_MISMATCH
                .with("procedure", input.procedure.as_str())
                .with("procedure_level", input.procedure.level().as_str())
                .with("level", input.level.as_str()));
        }
        check_rules(&input.rules)?;
        let id = new_id();
        let rules = serde_json::to_string(&input.rules).expect("rules serialise");
        let decision_id = d.decision.id.clone();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO round (id, name, level, decision_id, procedure, date, place, status, rules, demo, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', ?8, ?9, ?10, ?10)",
                params![id, name, input.level.as_str(), decision_id, input.procedure.as_str(), input.date, nfc(input.place.trim()), rules, demo, now()],
            )?;
            tx.audit(
                "round.create",
                "round",
                &id,
                None,
                Some(json!({ "name": name, "decision": decision_id, "procedure": input.procedure.as_str(), "date": input.date })),
            )
        })?;
        self.round(&id)
    }

    pub fn update_round(&mut self, actor: &str, id: &str, input: &RoundInput) -> Result<Round> {
        let before = self.round(id)?;
        if before.status == RoundStatus::Finalised {
            return Err(msg::FINALISED.with("round", &before.name));
        }
        check_date(&input.date)?;
        check_rules(&input.rules)?;
        if before.status != RoundStatus::Draft
            && (input.decision_id != before.decision_id || input.procedure != before.procedure)
        {
            return Err(msg::DECISION_LOCKED.err());
        }
        let rules = serde_json::to_string(&input.rules).expect("rules serialise");
        let snapshot = |name: &str,
                        decision: &str,
                        procedure: &str,
                        date: &str,
                        place: &str,
                        rules: &RoundRules| {
            json!({ "name": name, "decision": decision, "procedure": procedure, "date": date, "place": place, "rules": rules })
        };
        let old = snapshot(
            &before.name,
            &before.decision_id,
            before.procedure.as_str(),
            &before.date,
            &before.place,
            &before.rules,
        );
        let (name, place) = (nfc(input.name.trim()), nfc(input.place.trim()));
        let new = snapshot(
            &name,
            &input.decision_id,
            input.procedure.as_str(),
            &input.date,
            &place,
            &input.rules,
        );
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE round SET name=?2, level=?3, decision_id=?4, procedure=?5, date=?6, place=?7, rules=?8, updated_at=?9 WHERE id=?1",
                params![id, name, input.level.as_str(), input.decision_id, input.procedure.as_str(), input.date, place, rules, now()],
            )?;
            tx.audit("round.update", "round", id, Some(old), Some(new))
        })?;
        self.round(id)
    }

    pub fn round(&self, id: &str) -> Result<Round> {
        self.conn
            .query_row(&format!("{ROUND_SELECT} WHERE r.id = ?1"), [id], round_from)
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Round,
                id: id.into(),
            })
    }

    pub fn rounds(&self) -> Result<Vec<Round>> {
        let mut stmt = self.conn.prepare(&format!(
            "{ROUND_SELECT} ORDER BY r.date DESC, r.created_at DESC"
        ))?;
        let rows = stmt.query_map([], round_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Draft → scoring. Needs a chair, at least one product, and a dossier per product.
    pub fn start_scoring(&mut self, actor: &str, round_id: &str) -> Result<Round> {
        let r = self.round(round_id)?;
        if r.status != RoundStatus::Draft {
            return Err(msg::NOT_DRAFT.err());
        }
        let roster = self.roster(round_id)?;
        if !roster.iter().any(|m| m.role == Role::Chair) {
            return Err(msg::NO_CHAIR.err());
        }
        if r.product_count == 0 {
            return Err(msg::NO_PRODUCTS.err());
        }
        self.set_round_status(actor, round_id, RoundStatus::Draft, RoundStatus::Scoring)?;
        self.round(round_id)
    }

    pub(crate) fn set_round_status(
        &mut self,
        actor: &str,
        id: &str,
        from: RoundStatus,
        to: RoundStatus,
    ) -> Result<()> {
        self.write(actor, |tx| set_round_status_tx(tx, id, from, to))
    }

    pub(crate) fn require_open(&self, round_id: &str) -> Result<Round> {
        let r = self.round(round_id)?;
        if r.status == RoundStatus::Finalised {
            return Err(msg::FINALISED.with("round", &r.name));
        }
        Ok(r)
    }

    /// Adds or changes a member of the council.
    pub fn set_round_member(
        &mut self,
        actor: &str,
        round_id: &str,
        person_id: &str,
        role: Role,
    ) -> Result<()> {
        self.require_open(round_id)?;
        let p = self.person(person_id)?;
        if role == Role::Chair {
            let other: Option<String> = self
                .conn
                .query_row(
                    "SELECT person_id FROM round_member WHERE round_id = ?1 AND role = 'chair' AND person_id <> ?2",
                    params![round_id, person_id],
                    |r| r.get(0),
                )
                .optional()?;
            if other.is_some() {
                return Err(msg::CHAIR_TAKEN.err());
            }
        }
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO round_member (round_id, person_id, role) VALUES (?1, ?2, ?3)
                 ON CONFLICT(round_id, person_id) DO UPDATE SET role = ?3",
                params![round_id, person_id, role.as_str()],
            )?;
            tx.audit(
                "round.member",
                "round",
                round_id,
                None,
                Some(
                    json!({ "person_id": person_id, "person": p.full_name, "role": role.as_str() }),
                ),
            )
        })
    }

    pub fn remove_round_member(
        &mut self,
        actor: &str,
        round_id: &str,
        person_id: &str,
    ) -> Result<()> {
        let r = self.require_open(round_id)?;
        if r.status != RoundStatus::Draft {
            return Err(msg::MEMBER_REMOVE_AFTER_START.err());
        }
        self.write(actor, |tx| {
            tx.execute(
                "DELETE FROM round_member WHERE round_id = ?1 AND person_id = ?2",
                params![round_id, person_id],
            )?;
            tx.audit(
                "round.member_remove",
                "round",
                round_id,
                Some(json!({ "person_id": person_id })),
                None,
            )
        })
    }

    pub fn set_attendance(
        &mut self,
        actor: &str,
        round_id: &str,
        person_id: &str,
        present: bool,
    ) -> Result<()> {
        self.require_open(round_id)?;
        self.write(actor, |tx| {
            let n = tx.execute(
                "UPDATE round_member SET present = ?3 WHERE round_id = ?1 AND person_id = ?2",
                params![round_id, person_id, present],
            )?;
            if n == 0 {
                return Err(CoreError::NotFound {
                    kind: Entity::RoundMember,
                    id: person_id.into(),
                });
            }
            tx.audit(
                "round.attendance",
                "round",
                round_id,
                None,
                Some(json!({ "person_id": person_id, "present": present })),
            )
        })
    }

    pub fn roster(&self, round_id: &str) -> Result<Vec<RoundMember>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.*, m.role, m.present FROM round_member m JOIN person p ON p.id = m.person_id WHERE m.round_id = ?1
             ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 WHEN 'member' THEN 2 WHEN 'secretary' THEN 3 ELSE 4 END, p.full_name",
        )?;
        let rows = stmt.query_map([round_id], |r| {
            Ok(RoundMember {
                person: crate::model::Person {
                    id: r.get("id")?,
                    full_name: r.get("full_name")?,
                    title: r.get("title")?,
                    unit: r.get("unit")?,
                    has_pin: r.get::<_, Option<String>>("pin_hash")?.is_some(),
                },
                role: Role::parse(&r.get::<_, String>("role")?).unwrap_or_default(),
                present: r.get::<_, i64>("present")? != 0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn set_recusal(
        &mut self,
        actor: &str,
        round_id: &str,
        person_id: &str,
        product_id: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        self.require_open(round_id)?;
        if reason.is_some_and(|r| r.trim().is_empty()) {
            return Err(msg::RECUSAL_REASON_MISSING.err());
        }
        self.write(actor, |tx| match reason.map(|r| nfc(r.trim())) {
            Some(r) => {
                tx.execute(
                    "INSERT INTO recusal (round_id, person_id, product_id, reason) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(round_id, person_id, product_id) DO UPDATE SET reason = ?4",
                    params![round_id, person_id, product_id, r],
                )?;
                tx.audit(
                    "recusal.set",
                    "product",
                    product_id,
                    None,
                    Some(json!({ "round_id": round_id, "person_id": person_id, "reason": r })),
                )
            }
            None => {
                tx.execute(
                    "DELETE FROM recusal WHERE round_id = ?1 AND person_id = ?2 AND product_id = ?3",
                    params![round_id, person_id, product_id],
                )?;
                tx.audit(
                    "recusal.clear",
                    "product",
                    product_id,
                    Some(json!({ "round_id": round_id, "person_id": person_id })),
                    None,
                )
            }
        })
    }

    pub fn recusals(&self, round_id: &str) -> Result<Vec<Recusal>> {
        let mut stmt = self
            .conn
            .prepare("SELECT person_id, product_id, reason FROM recusal WHERE round_id = ?1")?;
        let rows = stmt.query_map([round_id], |r| {
            Ok(Recusal {
                person_id: r.get(0)?,
                product_id: r.get(1)?,
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Registers (or updates) a product's dossier in a round.
    pub fn save_dossier(
        &mut self,
        actor: &str,
        round_id: &str,
        input: &DossierInput,
    ) -> Result<Dossier> {
        let round = self.require_open(round_id)?;
        let product = self.product(&input.product_id)?;
        if product.decision_id != round.decision_id {
            return Err(msg::PRODUCT_WRONG_DECISION
                .with("product", &product.name)
                .with("product_decision", &product.decision_id)
                .with("round_decision", &round.decision_id));
        }
        if !input.received_on.is_empty() {
            check_date(&input.received_on)?;
        }
        for p in &input.permits {
            if !p.valid_until.is_empty() {
                check_date(&p.valid_until)?;
            }
        }
        let id = self.write(actor, |tx| save_dossier_tx(tx, round_id, input))?;
        self.dossier(&id)
    }

    pub fn remove_dossier(&mut self, actor: &str, round_id: &str, product_id: &str) -> Result<()> {
        let r = self.require_open(round_id)?;
        if r.status != RoundStatus::Draft {
            return Err(msg::DOSSIER_REMOVE_AFTER_START.err());
        }
        self.write(actor, |tx| {
            tx.execute(
                "DELETE FROM dossier_attachment WHERE dossier_id IN (SELECT id FROM dossier WHERE round_id = ?1 AND product_id = ?2)",
                params![round_id, product_id],
            )?;
            tx.execute(
                "DELETE FROM dossier WHERE round_id = ?1 AND product_id = ?2",
                params![round_id, product_id],
            )?;
            tx.audit(
                "dossier.remove",
                "product",
                product_id,
                Some(json!({ "round_id": round_id })),
                None,
            )
        })
    }

    pub fn dossier(&self, id: &str) -> Result<Dossier> {
        let row = self
            .conn
            .query_row(
                "SELECT d.id, d.round_id, d.product_id, d.application_type, d.received_on, d.checklist, d.permits, r.date,
                        d.commune_report
                 FROM dossier d JOIN round r ON r.id = d.round_id WHERE d.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound { kind: Entity::Dossier, id: id.into() })?;
        let (
            id,
            round_id,
            product_id,
            app_type,
            received_on,
            checklist,
            permits,
            round_date,
            report,
        ) = row;
        let commune_report = StoredCommuneReport::read(&report)?;
        let product = self.product(&product_id)?;
        let received: BTreeMap<String, bool> = serde_json::from_str(&checklist).unwrap_or_default();
        let permits: Vec<Permit> = serde_json::from_str(&permits).unwrap_or_default();
        let checklist: Vec<ChecklistItem> =
            checklist_items(&product.decision_id, &product.set_code)
                .into_iter()
                .map(|(key, label, required)| ChecklistItem {
                    key: key.into(),
                    label: label.into(),
                    required,
                    received: received.get(key).copied().unwrap_or(false),
                })
                .collect();
        let mut notices: Vec<Notice> = permits
            .iter()
            .filter(|p| !p.valid_until.is_empty() && p.valid_until < round_date)
            .map(|p| {
                Notice::new(
                    msg::PERMIT_EXPIRED,
                    &[
                        ("permit", p.kind.clone()),
                        ("number", p.number.clone()),
                        ("date", crate::text::dmy(&p.valid_until)),
                    ],
                )
            })
            .collect();
        // Under QĐ 26/2026 the commune pre-assesses every dossier it sends (Điều 7.2).
        if Procedure::default_for(&product.decision_id) == Procedure::Province26 {
            match &commune_report {
                None => notices.push(Notice::new(msg::NO_COMMUNE_REPORT, &[])),
                Some(r) if !r.proposed => notices.push(Notice::new(msg::COMMUNE_NOT_PROPOSED, &[])),
                Some(_) => {}
            }
        }
        let warnings = notices.iter().map(|n| n.message.clone()).collect();
        let complete = checklist.iter().all(|c| !c.required || c.received);
        let mut stmt = self.conn.prepare(
            "SELECT a.sha256, da.name, a.mime, a.size FROM dossier_attachment da JOIN attachment a ON a.sha256 = da.sha256
             WHERE da.dossier_id = ?1 ORDER BY da.name",
        )?;
        let attachments = stmt
            .query_map([&id], |r| {
                Ok(AttachmentRef {
                    sha256: r.get(0)?,
                    name: r.get(1)?,
                    mime: r.get(2)?,
                    size: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Dossier {
            id,
            round_id,
            product,
            application_type: ApplicationType::parse(&app_type).unwrap_or_default(),
            received_on,
            checklist,
            permits,
            warnings,
            notices,
            attachments,
            complete,
            commune_report,
        })
    }

    /// Saves the commune's pre-assessment of a dossier (Mẫu 03), replacing the one before; the
    /// audit keeps both.
    pub fn save_commune_report(
        &mut self,
        actor: &str,
        dossier_id: &str,
        report: &CommuneReport,
    ) -> Result<Dossier> {
        let before = self.dossier(dossier_id)?;
        self.require_open(&before.round_id)?;
        if !report.assessed_on.trim().is_empty() {
            check_date(report.assessed_on.trim())?;
        }
        const MAX: usize = 8000;
        for (field, text) in [
            ("Nguyên liệu địa phương", &report.raw_materials),
            ("Lao động địa phương", &report.local_labour),
            ("Nguồn gốc ý tưởng", &report.idea_origin),
            ("Tính đặc trưng, bản sắc địa phương", &report.local_identity),
            ("UBND cấp xã", &report.assessed_by),
        ] {
            if text.chars().count() > MAX {
                return Err(msg::COMMUNE_REPORT_TOO_LONG
                    .with("field", field)
                    .with("max", MAX));
            }
        }
        let stored = StoredCommuneReport::from(report);
        let json = serde_json::to_string(&stored).expect("commune report serialises");
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE dossier SET commune_report = ?2, updated_at = ?3 WHERE id = ?1",
                params![dossier_id, json, now()],
            )?;
            tx.audit(
                "dossier.commune_report",
                "dossier",
                dossier_id,
                before
                    .commune_report
                    .as_ref()
                    .map(|r| serde_json::to_value(StoredCommuneReport::from(r)).expect("json")),
                Some(serde_json::to_value(&stored).expect("json")),
            )
        })?;
        self.dossier(dossier_id)
    }

    pub fn dossiers(&self, round_id: &str) -> Result<Vec<Dossier>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id FROM dossier d JOIN product p ON p.id = d.product_id WHERE d.round_id = ?1 ORDER BY p.name",
        )?;
        let ids = stmt
            .query_map([round_id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter().map(|id| self.dossier(id)).collect()
    }

    /// Products registered in a round, in name order.
    pub fn round_products(&self, round_id: &str) -> Result<Vec<crate::model::Product>> {
        let sql = format!("{PRODUCT_SELECT} JOIN dossier d ON d.product_id = p.id WHERE d.round_id = ?1 ORDER BY p.name");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([round_id], product_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a file under its SHA-256 in `data_dir/attachments/` and links it to a dossier.
    pub fn attach(
        &mut self,
        actor: &str,
        data_dir: &Path,
        dossier_id: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<AttachmentRef> {
        let d = self.dossier(dossier_id)?;
        self.require_open(&d.round_id)?;
        let mime = sniff_mime(bytes).ok_or_else(|| msg::ATTACHMENT_KIND.with("name", name))?;
        let sha = hex::encode(Sha256::digest(bytes));
        let path = attachment_path(data_dir, &sha);
        if !path.exists() {
            let dir = path.parent().expect("attachment path has a parent");
            let io = |e: std::io::Error| CoreError::Io {
                path: path.display().to_string(),
                reason: e.to_string(),
            };
            std::fs::create_dir_all(dir).map_err(io)?;
            let tmp = path.with_extension("part");
            std::fs::write(&tmp, bytes).map_err(io)?;
            std::fs::rename(&tmp, &path).map_err(io)?;
        }
        self.write(actor, |tx| {
            tx.execute(
                "INSERT OR IGNORE INTO attachment (sha256, mime, size, added_at) VALUES (?1, ?2, ?3, ?4)",
                params![sha, mime, bytes.len() as i64, now()],
            )?;
            tx.execute(
                "INSERT INTO dossier_attachment (dossier_id, sha256, name) VALUES (?1, ?2, ?3)
                 ON CONFLICT(dossier_id, sha256) DO UPDATE SET name = ?3",
                params![dossier_id, sha, nfc(name)],
            )?;
            tx.audit(
                "dossier.attach",
                "dossier",
                dossier_id,
                None,
                Some(json!({ "name": nfc(name), "sha256": sha, "mime": mime, "size": bytes.len() })),
            )
        })?;
        Ok(AttachmentRef {
            sha256: sha,
            name: nfc(name),
            mime: mime.into(),
            size: bytes.len() as u64,
        })
    }

    /// Reads an attachment back, checking its content still matches its address.
    pub fn attachment_bytes(&self, data_dir: &Path, sha256: &str) -> Result<(String, Vec<u8>)> {
        let mime: String = self
            .conn
            .query_row(
                "SELECT mime FROM attachment WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Attachment,
                id: sha256.into(),
            })?;
        let path = attachment_path(data_dir, sha256);
        let bytes = std::fs::read(&path).map_err(|e| CoreError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(msg::ATTACHMENT_TAMPERED.with("sha256", sha256));
        }
        Ok((mime, bytes))
    }
}

fn check_rules(r: &RoundRules) -> Result<()> {
    if !(r.max_spread.is_finite() && r.max_spread >= 0.0 && r.max_spread <= 100.0) {
        return Err(msg::BAD_SPREAD.err());
    }
    if r.quorum_denominator == 0 || r.quorum_numerator > r.quorum_denominator {
        return Err(msg::BAD_QUORUM.err());
    }
    Ok(())
}

/// Moves a round from one status to another, audited, inside `tx`.
pub(crate) fn set_round_status_tx(
    tx: &Tx,
    id: &str,
    from: RoundStatus,
    to: RoundStatus,
) -> Result<()> {
    let finalised_at = (to == RoundStatus::Finalised).then(now);
    tx.execute(
        "UPDATE round SET status = ?2, updated_at = ?3, finalised_at = COALESCE(?4, finalised_at) WHERE id = ?1",
        params![id, to.as_str(), now(), finalised_at],
    )?;
    tx.audit(
        "round.status",
        "round",
        id,
        Some(json!({ "status": from.as_str() })),
        Some(json!({ "status": to.as_str() })),
    )
}

pub(crate) fn save_dossier_tx(tx: &Tx, round_id: &str, input: &DossierInput) -> Result<String> {
    let existing: Option<String> = tx
        .query_row(
            "SELECT id FROM dossier WHERE round_id = ?1 AND product_id = ?2",
            params![round_id, input.product_id],
            |r| r.get(0),
        )
        .optional()?;
    let checklist = serde_json::to_string(&input.checklist).expect("checklist serialises");
    let permits = serde_json::to_string(&input.permits).expect("permits serialise");
    let t = now();
    let id = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE dossier SET application_type=?2, received_on=?3, checklist=?4, permits=?5, updated_at=?6 WHERE id=?1",
                params![id, input.application_type.as_str(), input.received_on, checklist, permits, t],
            )?;
            tx.audit(
                "dossier.update",
                "dossier",
                &id,
                None,
                Some(json!({ "application_type": input.application_type.as_str(), "received_on": input.received_on, "checklist": input.checklist, "permits": input.permits })),
            )?;
            id
        }
        None => {
            let id = new_id();
            tx.execute(
                "INSERT INTO dossier (id, round_id, product_id, application_type, received_on, checklist, permits, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![id, round_id, input.product_id, input.application_type.as_str(), input.received_on, checklist, permits, t],
            )?;
            tx.audit(
                "dossier.add",
                "dossier",
                &id,
                None,
                Some(json!({ "round_id": round_id, "product_id": input.product_id, "application_type": input.application_type.as_str() })),
            )?;
            id
        }
    };
    Ok(id)
}

/// `attachments/ab/abcdef…` under the data directory.
pub fn attachment_path(data_dir: &Path, sha256: &str) -> std::path::PathBuf {
    data_dir
        .join("attachments")
        .join(&sha256[..2.min(sha256.len())])
        .join(sha256)
}

fn sniff_mime(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if b.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("image/png")
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}
