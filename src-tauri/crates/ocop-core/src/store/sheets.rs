//! Score sheets: one per member × product, saved answer by answer (each save is durable when it
//! returns), signed with the member's PIN, reopened only with the chair's PIN and a reason.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};
use serde_json::json;

use super::{new_id, now, Store};
use crate::error::{CoreError, Entity, Result};
use crate::model::{Entry, Mismatch, RoundStatus, ScoreSheet, SheetStatus};
use crate::rules::{score_sheet, Role, SheetInput};

pub mod msg {
    crate::messages! {
        ROUND_NOT_STARTED = "sheet.round_not_started" {
            vi: "Đợt đánh giá chưa bắt đầu chấm điểm",
            en: "Scoring has not started in this round",
        }
        ROUND_OVER = "sheet.round_over" {
            vi: "Đợt đánh giá đã kết thúc",
            en: "The round is finalised",
        }
        BAD_PASS = "sheet.bad_pass" {
            vi: "Lượt nhập chỉ là 1 hoặc 2",
            en: "The keying pass is 1 or 2",
        }
        SECOND_PASS_KEYED_ONLY = "sheet.second_pass_keyed_only" {
            vi: "Nhập lần hai chỉ dành cho phiếu giấy do thư ký nhập",
            en: "A second keying is only for paper sheets keyed by a secretary",
        }
        NOT_IN_COUNCIL = "sheet.not_in_council" {
            vi: "Người này không thuộc Hội đồng của đợt",
            en: "This person is not on the round's council",
        }
        ADVISOR_DOES_NOT_SCORE = "sheet.advisor" {
            vi: "Tổ tư vấn/giúp việc không chấm điểm",
            en: "Advisors do not score",
        }
        MEMBER_ABSENT = "sheet.member_absent" {
            vi: "{member} được ghi vắng mặt",
            en: "{member} is marked absent",
        }
        MEMBER_RECUSED = "sheet.member_recused" {
            vi: "{member} tránh xung đột lợi ích với sản phẩm này, không chấm",
            en: "{member} is recused from this product and does not score it",
        }
        PRODUCT_NOT_IN_ROUND = "sheet.product_not_in_round" {
            vi: "Sản phẩm '{product}' không có trong đợt này",
            en: "Product '{product}' is not in this round",
        }
        SIGNED_READ_ONLY = "sheet.signed" {
            vi: "Phiếu của {member} đã ký, chỉ đọc; mở lại cần mã PIN của Chủ tịch Hội đồng và lý do",
            en: "The sheet of {member} is signed and read-only; reopening needs the chair's PIN and a reason",
        }
        NOT_SCORING = "sheet.not_scoring" {
            vi: "Đợt đánh giá không ở giai đoạn chấm điểm",
            en: "The round is not being scored",
        }
        ELIMINATION_REASON_MISSING = "sheet.elimination_reason_missing" {
            vi: "Đánh dấu loại cần ghi lý do",
            en: "An elimination mark needs a reason",
        }
        SIGN_SECOND_PASS = "sheet.sign_second_pass" {
            vi: "Chỉ ký phiếu nhập lần một; lần hai dùng để đối chiếu",
            en: "Only the first keying is signed; the second is for comparison",
        }
        KEYINGS_DIFFER = "sheet.keyings_differ" {
            vi: "Hai lần nhập phiếu giấy còn khác nhau ở tiêu chí {criteria}",
            en: "The two keyings of the paper sheet still differ at {criteria}",
        }
        REOPEN_UNSIGNED = "sheet.reopen_unsigned" {
            vi: "Chỉ mở lại được phiếu đã ký",
            en: "Only a signed sheet can be reopened",
        }
        REOPEN_REASON_MISSING = "sheet.reopen_reason_missing" {
            vi: "Mở lại phiếu cần ghi lý do",
            en: "Reopening a sheet needs a reason",
        }
    }
}

struct SheetRow {
    id: String,
    round_id: String,
    product_id: String,
    person_id: String,
    member_name: String,
    role: Role,
    sheet_sha256: String,
    decision_id: String,
    set_code: String,
    version: u32,
    pass: u8,
    entry: Entry,
    keyed_by: Option<String>,
    status: SheetStatus,
    elimination: Option<String>,
    comment: String,
    signed_at: Option<String>,
    reopen_reason: Option<String>,
}

const SHEET_SELECT: &str =
    "SELECT s.*, p.full_name, COALESCE(m.role, 'member') AS role, cs.decision_id, cs.set_code
    FROM score_sheet s
    JOIN person p ON p.id = s.person_id
    JOIN criteria_sheet cs ON cs.sha256 = s.sheet_sha256
    LEFT JOIN round_member m ON m.round_id = s.round_id AND m.person_id = s.person_id";

fn sheet_row(r: &Row) -> rusqlite::Result<SheetRow> {
    Ok(SheetRow {
        id: r.get("id")?,
        round_id: r.get("round_id")?,
        product_id: r.get("product_id")?,
        person_id: r.get("person_id")?,
        member_name: r.get("full_name")?,
        role: Role::parse(&r.get::<_, String>("role")?).unwrap_or_default(),
        sheet_sha256: r.get("sheet_sha256")?,
        decision_id: r.get("decision_id")?,
        set_code: r.get("set_code")?,
        version: r.get("version")?,
        pass: r.get("pass")?,
        entry: if r.get::<_, String>("entry")? == "keyed" {
            Entry::Keyed
        } else {
            Entry::Member
        },
        keyed_by: r.get("keyed_by")?,
        status: SheetStatus::parse(&r.get::<_, String>("status")?),
        elimination: r.get("elimination")?,
        comment: r.get("comment")?,
        signed_at: r.get("signed_at")?,
        reopen_reason: r.get("reopen_reason")?,
    })
}

impl Store {
    fn sheet_row(&self, id: &str) -> Result<SheetRow> {
        self.conn
            .query_row(&format!("{SHEET_SELECT} WHERE s.id = ?1"), [id], sheet_row)
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Sheet,
                id: id.into(),
            })
    }

    pub(crate) fn answers(&self, sheet_id: &str) -> Result<BTreeMap<String, u32>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT criterion, option_index FROM answer WHERE sheet_id = ?1")?;
        let rows = stmt.query_map([sheet_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn build_sheet(&self, row: SheetRow) -> Result<ScoreSheet> {
        let answers = self.answers(&row.id)?;
        let set = self.sheet_arc(&row.sheet_sha256)?;
        let input = SheetInput {
            member: row.member_name.clone(),
            role: row.role,
            recused: false,
            answers: answers
                .iter()
                .map(|(k, v)| (k.clone(), *v as i64))
                .collect(),
            elimination: row.elimination.clone(),
        };
        let score = score_sheet(&set, &input)?;
        Ok(ScoreSheet {
            id: row.id,
            round_id: row.round_id,
            product_id: row.product_id,
            person_id: row.person_id,
            member_name: row.member_name,
            role: row.role,
            sheet_sha256: row.sheet_sha256,
            decision_id: row.decision_id,
            set_code: row.set_code,
            version: row.version,
            pass: row.pass,
            entry: row.entry,
            keyed_by: row.keyed_by,
            status: row.status,
            elimination: row.elimination,
            comment: row.comment,
            signed_at: row.signed_at,
            reopen_reason: row.reopen_reason,
            answers,
            score,
        })
    }

    pub fn sheet(&self, id: &str) -> Result<ScoreSheet> {
        let row = self.sheet_row(id)?;
        self.build_sheet(row)
    }

    /// The member's current sheet for a product (pass 1 or 2), created on first use.
    pub fn open_sheet(
        &mut self,
        actor: &str,
        round_id: &str,
        product_id: &str,
        person_id: &str,
        keyed_by: Option<&str>,
        pass: u8,
    ) -> Result<ScoreSheet> {
        if let Some(id) = self.current_sheet_id(round_id, product_id, person_id, pass)? {
            return self.sheet(&id);
        }
        let round = self.round(round_id)?;
        if round.status != RoundStatus::Scoring {
            return Err(match round.status {
                RoundStatus::Draft => msg::ROUND_NOT_STARTED.err(),
                _ => msg::ROUND_OVER.err(),
            });
        }
        if !(1..=2).contains(&pass) {
            return Err(msg::BAD_PASS.err());
        }
        if pass == 2 && keyed_by.is_none() {
            return Err(msg::SECOND_PASS_KEYED_ONLY.err());
        }
        let roster = self.roster(round_id)?;
        let member = roster
            .iter()
            .find(|m| m.person.id == person_id)
            .ok_or_else(|| msg::NOT_IN_COUNCIL.err())?;
        if member.role == Role::Advisor {
            return Err(msg::ADVISOR_DOES_NOT_SCORE.err());
        }
        if !member.present {
            return Err(msg::MEMBER_ABSENT.with("member", &member.person.full_name));
        }
        if self
            .recusals(round_id)?
            .iter()
            .any(|r| r.person_id == person_id && r.product_id == product_id)
        {
            return Err(msg::MEMBER_RECUSED.with("member", &member.person.full_name));
        }
        if let Some(k) = keyed_by {
            self.person(k)?;
        }
        let product = self.product(product_id)?;
        let in_round: bool = self
            .conn
            .query_row(
                "SELECT 1 FROM dossier WHERE round_id = ?1 AND product_id = ?2",
                params![round_id, product_id],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if !in_round {
            return Err(msg::PRODUCT_NOT_IN_ROUND.with("product", &product.name));
        }
        let (hash, _) = self.current_sheet(&product.decision_id, &product.set_code)?;
        let id = new_id();
        let t = now();
        let member_name = member.person.full_name.clone();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO score_sheet (id, round_id, product_id, person_id, sheet_sha256, version, pass, entry, keyed_by, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, 'open', ?9, ?9)",
                params![id, round_id, product_id, person_id, hash, pass, if keyed_by.is_some() { "keyed" } else { "member" }, keyed_by, t],
            )?;
            tx.audit(
                "sheet.open",
                "score_sheet",
                &id,
                None,
                Some(json!({
                    "round_id": round_id, "product_id": product_id, "person_id": person_id,
                    "member": member_name, "product": product.name, "sheet_sha256": hash,
                    "pass": pass, "keyed_by": keyed_by,
                })),
            )
        })?;
        self.sheet(&id)
    }

    fn current_sheet_id(
        &self,
        round_id: &str,
        product_id: &str,
        person_id: &str,
        pass: u8,
    ) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM score_sheet WHERE round_id = ?1 AND product_id = ?2 AND person_id = ?3 AND pass = ?4
                 AND status <> 'superseded' ORDER BY version DESC LIMIT 1",
                params![round_id, product_id, person_id, pass],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Current (not superseded) sheets of a product, pass 1 first.
    pub fn product_sheets(&self, round_id: &str, product_id: &str) -> Result<Vec<ScoreSheet>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SHEET_SELECT} WHERE s.round_id = ?1 AND s.product_id = ?2 AND s.status <> 'superseded' ORDER BY s.pass, p.full_name"
        ))?;
        let rows = stmt
            .query_map(params![round_id, product_id], sheet_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|r| self.build_sheet(r)).collect()
    }

    /// Every version of a member's sheet for a product, oldest first (reopened sheets keep theirs).
    pub fn sheet_history(
        &self,
        round_id: &str,
        product_id: &str,
        person_id: &str,
    ) -> Result<Vec<ScoreSheet>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SHEET_SELECT} WHERE s.round_id = ?1 AND s.product_id = ?2 AND s.person_id = ?3 ORDER BY s.pass, s.version"
        ))?;
        let rows = stmt
            .query_map(params![round_id, product_id, person_id], sheet_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|r| self.build_sheet(r)).collect()
    }

    fn editable(&self, sheet_id: &str) -> Result<SheetRow> {
        let row = self.sheet_row(sheet_id)?;
        if row.status != SheetStatus::Open {
            return Err(msg::SIGNED_READ_ONLY.with("member", &row.member_name));
        }
        if self.round(&row.round_id)?.status != RoundStatus::Scoring {
            return Err(msg::NOT_SCORING.err());
        }
        Ok(row)
    }

    /// Saves one answer (`None` clears it). Durable when this returns.
    pub fn save_answer(
        &mut self,
        actor: &str,
        sheet_id: &str,
        criterion: &str,
        option: Option<u32>,
    ) -> Result<ScoreSheet> {
        let row = self.editable(sheet_id)?;
        let set = self.sheet_arc(&row.sheet_sha256)?;
        let leaf = set
            .leaf(criterion)
            .ok_or_else(|| CoreError::UnknownCriterion {
                member: row.member_name.clone(),
                criterion: criterion.into(),
            })?;
        if let Some(i) = option {
            if i as usize >= leaf.criterion.options.len() {
                return Err(CoreError::OptionOutOfRange {
                    member: row.member_name.clone(),
                    criterion: criterion.into(),
                    index: i as i64,
                    count: leaf.criterion.options.len(),
                });
            }
        }
        let before: Option<u32> = self
            .conn
            .query_row(
                "SELECT option_index FROM answer WHERE sheet_id = ?1 AND criterion = ?2",
                params![sheet_id, criterion],
                |r| r.get(0),
            )
            .optional()?;
        if before != option {
            let t = now();
            self.write(actor, |tx| {
                match option {
                    Some(i) => tx.execute(
                        "INSERT INTO answer (sheet_id, criterion, option_index, updated_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT(sheet_id, criterion) DO UPDATE SET option_index = ?3, updated_at = ?4",
                        params![sheet_id, criterion, i, t],
                    )?,
                    None => tx.execute("DELETE FROM answer WHERE sheet_id = ?1 AND criterion = ?2", params![sheet_id, criterion])?,
                };
                tx.execute(
                    "UPDATE score_sheet SET updated_at = ?2 WHERE id = ?1",
                    params![sheet_id, t],
                )?;
                let value = |o: Option<u32>| o.map(|i| json!({ "criterion": criterion, "option": i }));
                tx.audit(
                    "sheet.answer",
                    "score_sheet",
                    sheet_id,
                    value(before),
                    value(option),
                )
            })?;
        }
        self.sheet(sheet_id)
    }

    /// Marks (or clears, with `None`) the sheet's elimination; a mark needs a reason.
    pub fn set_elimination(
        &mut self,
        actor: &str,
        sheet_id: &str,
        reason: Option<&str>,
    ) -> Result<ScoreSheet> {
        let row = self.editable(sheet_id)?;
        let reason = match reason.map(str::trim) {
            Some("") => return Err(msg::ELIMINATION_REASON_MISSING.err()),
            r => r.map(crate::text::nfc),
        };
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE score_sheet SET elimination = ?2, updated_at = ?3 WHERE id = ?1",
                params![sheet_id, reason, now()],
            )?;
            tx.audit(
                "sheet.elimination",
                "score_sheet",
                sheet_id,
                Some(json!({ "elimination": row.elimination })),
                Some(json!({ "elimination": reason })),
            )
        })?;
        self.sheet(sheet_id)
    }

    pub fn set_comment(
        &mut self,
        actor: &str,
        sheet_id: &str,
        comment: &str,
    ) -> Result<ScoreSheet> {
        let row = self.editable(sheet_id)?;
        let comment = crate::text::nfc(comment.trim());
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE score_sheet SET comment = ?2, updated_at = ?3 WHERE id = ?1",
                params![sheet_id, comment, now()],
            )?;
            tx.audit(
                "sheet.comment",
                "score_sheet",
                sheet_id,
                Some(json!({ "comment": row.comment })),
                Some(json!({ "comment": comment })),
            )
        })?;
        self.sheet(sheet_id)
    }

    /// Differences between the first and second keying of a paper sheet.
    pub fn mismatches(&self, sheet_id: &str) -> Result<Vec<Mismatch>> {
        let row = self.sheet_row(sheet_id)?;
        let Some(first) =
            self.current_sheet_id(&row.round_id, &row.product_id, &row.person_id, 1)?
        else {
            return Ok(Vec::new());
        };
        let Some(second) =
            self.current_sheet_id(&row.round_id, &row.product_id, &row.person_id, 2)?
        else {
            return Ok(Vec::new());
        };
        let (a, b) = (self.answers(&first)?, self.answers(&second)?);
        let set = self.sheet_arc(&row.sheet_sha256)?;
        Ok(set
            .leaves()
            .iter()
            .map(|l| &l.criterion.code)
            .filter(|c| a.get(*c) != b.get(*c))
            .map(|c| Mismatch {
                criterion: c.clone(),
                first: a.get(c).copied(),
                second: b.get(c).copied(),
            })
            .collect())
    }

    /// Signs a complete sheet. The member signs their own sheet with their PIN; a keyed paper sheet
    /// is confirmed with the PIN of the secretary who keyed it, after both keyings agree.
    pub fn sign_sheet(&mut self, sheet_id: &str, pin: &str) -> Result<ScoreSheet> {
        self.sign_sheet_via(sheet_id, pin, None)
    }

    /// [`Store::sign_sheet`] from a paired device of the council room: the audit actor names the
    /// device after the signer.
    pub fn sign_sheet_via(
        &mut self,
        sheet_id: &str,
        pin: &str,
        device: Option<&str>,
    ) -> Result<ScoreSheet> {
        let row = self.editable(sheet_id)?;
        if row.pass != 1 {
            return Err(msg::SIGN_SECOND_PASS.err());
        }
        let sheet = self.sheet(sheet_id)?;
        if !sheet.score.complete {
            return Err(CoreError::IncompleteSheet {
                member: row.member_name,
                missing: sheet.score.missing,
            });
        }
        let signer = row
            .keyed_by
            .clone()
            .unwrap_or_else(|| row.person_id.clone());
        if row.keyed_by.is_some() {
            let m = self.mismatches(sheet_id)?;
            if !m.is_empty() {
                let codes: Vec<&str> = m.iter().map(|x| x.criterion.as_str()).collect();
                return Err(msg::KEYINGS_DIFFER.with("criteria", codes.join(", ")));
            }
        }
        self.verify_pin(&signer, pin)?;
        let signer_name = self.person(&signer)?.full_name;
        let signer_name = match device {
            Some(d) => crate::room::actor_label(&signer_name, d),
            None => signer_name,
        };
        self.write(&signer_name, |tx| {
            tx.execute("UPDATE score_sheet SET status = 'signed', signed_at = ?2, updated_at = ?2 WHERE id = ?1", params![sheet_id, now()])?;
            tx.audit(
                "sheet.sign",
                "score_sheet",
                sheet_id,
                Some(json!({ "status": "open" })),
                Some(json!({ "status": "signed", "total": sheet.score.total, "answers": sheet.answers })),
            )
        })?;
        self.sheet(sheet_id)
    }

    /// Reopens a signed sheet: needs the chair's PIN and a reason. The signed version stays
    /// (superseded) and a new open version starts from its answers.
    pub fn reopen_sheet(
        &mut self,
        sheet_id: &str,
        chair_pin: &str,
        reason: &str,
    ) -> Result<ScoreSheet> {
        let row = self.sheet_row(sheet_id)?;
        if row.status != SheetStatus::Signed {
            return Err(msg::REOPEN_UNSIGNED.err());
        }
        if self.round(&row.round_id)?.status != RoundStatus::Scoring {
            return Err(msg::NOT_SCORING.err());
        }
        let reason = crate::text::nfc(reason.trim());
        if reason.is_empty() {
            return Err(msg::REOPEN_REASON_MISSING.err());
        }
        let chair = self
            .roster(&row.round_id)?
            .into_iter()
            .find(|m| m.role == Role::Chair)
            .ok_or_else(|| super::rounds::msg::NO_CHAIR.err())?;
        self.verify_pin(&chair.person.id, chair_pin)?;
        let id = new_id();
        let t = now();
        self.write(&chair.person.full_name, |tx| {
        tx.execute(
            "UPDATE score_sheet SET status = 'superseded', updated_at = ?2 WHERE id = ?1",
            params![sheet_id, t],
        )?;
        tx.execute(
            "INSERT INTO score_sheet (id, round_id, product_id, person_id, sheet_sha256, version, pass, entry, keyed_by, status,
                elimination, comment, reopen_reason, created_at, updated_at)
             SELECT ?2, round_id, product_id, person_id, sheet_sha256, version + 1, pass, entry, keyed_by, 'open',
                elimination, comment, ?3, ?4, ?4 FROM score_sheet WHERE id = ?1",
            params![sheet_id, id, reason, t],
        )?;
        tx.execute(
            "INSERT INTO answer (sheet_id, criterion, option_index, updated_at) SELECT ?2, criterion, option_index, ?3 FROM answer WHERE sheet_id = ?1",
            params![sheet_id, id, t],
        )?;
        tx.audit(
            "sheet.reopen",
            "score_sheet",
            sheet_id,
            Some(json!({ "status": "signed" })),
            Some(json!({ "status": "superseded", "new_sheet_id": id, "reason": reason })),
        )
        })?;
        self.sheet(&id)
    }
}
