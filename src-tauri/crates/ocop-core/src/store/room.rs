//! The council room's SQL (migration 0010): the office's TLS identity (in `setting`), each room
//! opened and closed, each device paired and revoked, and the facts the member page and the live
//! board read. Tokens and session secrets never reach the database.

use base64::Engine;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{new_id, now, Store};
use crate::error::Result;
use crate::model::{RoundStatus, SheetStatus};
use crate::room::msg;

const TLS_KEY: &str = "room.tls";

/// The office's TLS identity for the room (storage type, in `setting` under `room.tls`), made once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRoomTls {
    pub format: u32,
    /// The self-signed certificate, DER, base64.
    pub cert_der: String,
    /// Its private key, PKCS#8 DER, base64.
    pub key_der: String,
    /// SHA-256 of the certificate (DER), lowercase hex.
    pub fingerprint: String,
    pub created_at: String,
}

impl StoredRoomTls {
    pub fn new(cert_der: &[u8], key_der: &[u8]) -> StoredRoomTls {
        use sha2::{Digest, Sha256};
        let b64 = base64::engine::general_purpose::STANDARD;
        StoredRoomTls {
            format: 1,
            cert_der: b64.encode(cert_der),
            key_der: b64.encode(key_der),
            fingerprint: hex::encode(Sha256::digest(cert_der)),
            created_at: now(),
        }
    }
    /// The certificate and key bytes.
    pub fn der(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let b64 = base64::engine::general_purpose::STANDARD;
        Some((
            b64.decode(&self.cert_der).ok()?,
            b64.decode(&self.key_der).ok()?,
        ))
    }
}

/// A pairing as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PairingRow {
    pub id: String,
    pub room_id: String,
    pub round_id: String,
    pub person_id: String,
    pub device: String,
    pub public_key: String,
    pub paired_at: String,
    pub revoked_at: Option<String>,
    pub room_closed_at: Option<String>,
}

/// A row of [`Store::room_progress`]'s query: sheet, person, product, status, sheet hash,
/// signed at, answers.
type ProgressRow = (String, String, String, String, String, Option<String>, u32);

/// One current first-pass sheet of a round, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetProgress {
    pub sheet_id: String,
    pub person_id: String,
    pub product_id: String,
    pub status: SheetStatus,
    pub sheet_sha256: String,
    pub signed_at: Option<String>,
    pub answered: u32,
    pub total: u32,
}

impl Store {
    /// The office's room identity, if one was made.
    pub fn room_tls(&self) -> Result<Option<StoredRoomTls>> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [TLS_KEY], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(
            v.and_then(|v| serde_json::from_str::<StoredRoomTls>(&v).ok())
                .filter(|t| t.format == 1 && t.der().is_some()),
        )
    }

    /// Keeps the office's room identity (audited by its fingerprint; the key is not in the log).
    pub fn save_room_tls(&mut self, actor: &str, tls: &StoredRoomTls) -> Result<()> {
        let value = serde_json::to_string(tls).expect("a struct of strings serialises");
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                params![TLS_KEY, value],
            )?;
            tx.audit(
                "room.certificate",
                "setting",
                TLS_KEY,
                None,
                Some(json!({ "fingerprint": tls.fingerprint, "created_at": tls.created_at })),
            )
        })
    }

    /// Opens a room for a round in scoring. Rooms the hub left open (it stopped without closing
    /// them) are closed first, so at most one is open.
    pub fn open_room(&mut self, actor: &str, round_id: &str, fingerprint: &str) -> Result<String> {
        let round = self.round(round_id)?;
        if round.status != RoundStatus::Scoring {
            return Err(msg::NOT_SCORING.err());
        }
        self.close_open_rooms(actor, "hub stopped")?;
        let id = new_id();
        let t = now();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO room (id, round_id, fingerprint, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, round_id, fingerprint, t, actor],
            )?;
            tx.audit(
                "room.open",
                "room",
                &id,
                None,
                Some(json!({ "round_id": round_id, "round": round.name, "fingerprint": fingerprint })),
            )
        })?;
        Ok(id)
    }

    /// Closes a room (idempotent): every pairing in it ends.
    pub fn close_room(&mut self, actor: &str, room_id: &str, reason: &str) -> Result<()> {
        let round_id: Option<String> = self
            .conn
            .query_row(
                "SELECT round_id FROM room WHERE id = ?1 AND closed_at IS NULL",
                [room_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(round_id) = round_id else {
            return Ok(());
        };
        let t = now();
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE room SET closed_at = ?2, close_reason = ?3 WHERE id = ?1",
                params![room_id, t, reason],
            )?;
            tx.audit(
                "room.close",
                "room",
                room_id,
                Some(json!({ "closed": false })),
                Some(json!({ "round_id": round_id, "closed": true, "reason": reason })),
            )
        })
    }

    /// Closes every room still open (after the hub stopped without closing its own).
    pub fn close_open_rooms(&mut self, actor: &str, reason: &str) -> Result<u32> {
        let open: Vec<String> = self
            .conn
            .prepare("SELECT id FROM room WHERE closed_at IS NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &open {
            self.close_room(actor, id, reason)?;
        }
        Ok(open.len() as u32)
    }

    /// Records a device paired with a member in an open room.
    pub fn add_pairing(
        &mut self,
        actor: &str,
        room_id: &str,
        person_id: &str,
        device: &str,
        public_key: &str,
    ) -> Result<String> {
        let (round_id, closed): (String, Option<String>) = self.conn.query_row(
            "SELECT round_id, closed_at FROM room WHERE id = ?1",
            [room_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if closed.is_some() {
            return Err(msg::CLOSED.err());
        }
        let member = self.person(person_id)?.full_name;
        let id = new_id();
        let t = now();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO room_pairing (id, room_id, person_id, device, public_key, paired_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, room_id, person_id, device, public_key, t],
            )?;
            tx.audit(
                "room.pair",
                "room_pairing",
                &id,
                None,
                Some(json!({
                    "round_id": round_id, "room_id": room_id, "person_id": person_id,
                    "member": member, "device": device, "public_key": public_key,
                })),
            )
        })?;
        Ok(id)
    }

    /// Revokes a pairing (idempotent).
    pub fn revoke_pairing(&mut self, actor: &str, pairing_id: &str, reason: &str) -> Result<()> {
        let p = self.pairing(pairing_id)?;
        if p.revoked_at.is_some() {
            return Ok(());
        }
        let t = now();
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE room_pairing SET revoked_at = ?2, revoke_reason = ?3 WHERE id = ?1",
                params![pairing_id, t, reason],
            )?;
            tx.audit(
                "room.revoke",
                "room_pairing",
                pairing_id,
                Some(json!({ "revoked": false })),
                Some(json!({ "round_id": p.round_id, "person_id": p.person_id, "device": p.device, "revoked": true, "reason": reason })),
            )
        })
    }

    /// A pairing, with its room's round and whether the room is closed.
    pub fn pairing(&self, pairing_id: &str) -> Result<PairingRow> {
        self.conn
            .query_row(
                "SELECT p.id, p.room_id, r.round_id, p.person_id, p.device, p.public_key, p.paired_at, p.revoked_at, r.closed_at
                 FROM room_pairing p JOIN room r ON r.id = p.room_id WHERE p.id = ?1",
                [pairing_id],
                |r| {
                    Ok(PairingRow {
                        id: r.get(0)?,
                        room_id: r.get(1)?,
                        round_id: r.get(2)?,
                        person_id: r.get(3)?,
                        device: r.get(4)?,
                        public_key: r.get(5)?,
                        paired_at: r.get(6)?,
                        revoked_at: r.get(7)?,
                        room_closed_at: r.get(8)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| msg::NOT_IN_ROOM.with("what", msg::ENTITY_PAIRING.vi))
    }

    /// Every current first-pass sheet of a round with its count of answers, in one query.
    pub fn room_progress(&self, round_id: &str) -> Result<Vec<SheetProgress>> {
        let rows: Vec<ProgressRow> = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.person_id, s.product_id, s.status, s.sheet_sha256, s.signed_at,
                        (SELECT COUNT(*) FROM answer a WHERE a.sheet_id = s.id)
                 FROM score_sheet s WHERE s.round_id = ?1 AND s.pass = 1 AND s.status <> 'superseded'",
            )?
            .query_map([round_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut totals = std::collections::HashMap::<String, u32>::new();
        let mut out = Vec::with_capacity(rows.len());
        for (sheet_id, person_id, product_id, status, hash, signed_at, answered) in rows {
            let total = match totals.get(&hash) {
                Some(t) => *t,
                None => {
                    let t = self.sheet_arc(&hash)?.leaves().len() as u32;
                    totals.insert(hash.clone(), t);
                    t
                }
            };
            out.push(SheetProgress {
                sheet_id,
                person_id,
                product_id,
                status: SheetStatus::parse(&status),
                sheet_sha256: hash,
                signed_at,
                answered,
                total,
            });
        }
        Ok(out)
    }

    /// Whether an attachment belongs to a dossier of the round.
    pub fn attachment_in_round(&self, round_id: &str, sha256: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM dossier_attachment da JOIN dossier d ON d.id = da.dossier_id
                 WHERE d.round_id = ?1 AND da.sha256 = ?2 LIMIT 1",
                params![round_id, sha256],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false))
    }

    /// The stored option of one answer.
    pub fn stored_answer(&self, sheet_id: &str, criterion: &str) -> Result<Option<u32>> {
        Ok(self
            .conn
            .query_row(
                "SELECT option_index FROM answer WHERE sheet_id = ?1 AND criterion = ?2",
                params![sheet_id, criterion],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl Store {
    /// The round's products as one member sees them: recusal, the sheet they are scored on, and
    /// the member's current sheet with its count.
    pub fn member_products(
        &self,
        round_id: &str,
        person_id: &str,
    ) -> Result<Vec<crate::room::MemberProduct>> {
        let recused: std::collections::HashSet<String> = self
            .recusals(round_id)?
            .into_iter()
            .filter(|r| r.person_id == person_id)
            .map(|r| r.product_id)
            .collect();
        let progress: std::collections::HashMap<String, SheetProgress> = self
            .room_progress(round_id)?
            .into_iter()
            .filter(|p| p.person_id == person_id)
            .map(|p| (p.product_id.clone(), p))
            .collect();
        let mut out = Vec::new();
        for d in self.dossiers(round_id)? {
            let p = d.product;
            let sheet = progress.get(&p.id);
            let sheet_sha256 = match sheet {
                Some(s) => s.sheet_sha256.clone(),
                None => self.current_sheet(&p.decision_id, &p.set_code)?.0,
            };
            out.push(crate::room::MemberProduct {
                recused: recused.contains(&p.id),
                sheet: sheet.map(|s| crate::room::MemberSheetSummary {
                    id: s.sheet_id.clone(),
                    status: s.status,
                    answered: s.answered,
                    total: s.total,
                    complete: s.answered >= s.total,
                    signed_at: s.signed_at.clone(),
                }),
                product_id: p.id,
                name: p.name,
                owner: p.owner_name,
                decision_id: p.decision_id,
                set_code: p.set_code,
                sheet_sha256,
            });
        }
        Ok(out)
    }
}

impl Store {
    /// Whose sheet it is and which keying, without building the sheet (each write from a device
    /// checks it).
    pub fn sheet_owner(&self, sheet_id: &str) -> Result<(String, u8)> {
        self.conn
            .query_row(
                "SELECT person_id, pass FROM score_sheet WHERE id = ?1",
                [sheet_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| crate::error::CoreError::NotFound {
                kind: crate::error::Entity::Sheet,
                id: sheet_id.into(),
            })
    }
}

/// One change of a member's answers file, with what importing it does.
struct PlannedChange {
    change: crate::exchange::member::ExRoomChange,
    action: crate::exchange::PlanAction,
}

impl Store {
    /// The plan of a member's answers file (`member_answers`): the sender must be a device paired
    /// here (its key the pairing's), each sheet that member's own; each change is new (applied),
    /// unchanged (already there), or a conflict (the sheet changed or was signed since: not
    /// applied), computed in order as the hub would have.
    fn member_plan(
        &self,
        bundle: &crate::exchange::Bundle,
        file: &str,
        lang: crate::Lang,
    ) -> Result<(crate::exchange::BundlePlan, Vec<PlannedChange>, PairingRow)> {
        use crate::exchange::{member::ExRoomChange, msg as bmsg, PlanAction, PlanRecord};
        let info = &bundle.info;
        let records = bundle
            .records
            .get("room_change")
            .cloned()
            .unwrap_or_default();
        let mut changes = Vec::new();
        for r in &records {
            let c: ExRoomChange = serde_json::from_value(r.data.clone()).map_err(|e| {
                bmsg::BAD_RECORD
                    .with("name", "room_change")
                    .with("line", &r.id)
                    .with("detail", e)
            })?;
            changes.push((r, c));
        }
        let unknown = || bmsg::MEMBER_KEY_UNKNOWN.err();
        let pairing_id = changes
            .first()
            .map(|(_, c)| c.pairing_id.clone())
            .ok_or_else(unknown)?;
        let pairing = self.pairing(&pairing_id).map_err(|_| unknown())?;
        if !pairing
            .public_key
            .eq_ignore_ascii_case(&info.sender_public_key)
            || changes.iter().any(|(_, c)| c.pairing_id != pairing_id)
        {
            return Err(unknown());
        }
        let already: Option<String> = self
            .conn
            .query_row(
                "SELECT recorded_at FROM exchange_bundle WHERE id = ?1",
                [&info.bundle_uuid],
                |r| r.get(0),
            )
            .optional()?;
        let mut answers: std::collections::HashMap<(String, String), Option<u32>> =
            Default::default();
        let mut planned = Vec::new();
        let mut plan_records = Vec::new();
        let mut counts = crate::exchange::EntityCounts {
            entity: "room_change".into(),
            ..Default::default()
        };
        for (r, c) in changes {
            let (person, pass) = self.sheet_owner(&c.sheet_id)?;
            if person != pairing.person_id || pass != 1 {
                return Err(msg::NOT_YOUR_SHEET.err());
            }
            let sheet = self.sheet(&c.sheet_id)?;
            let action = if sheet.status != SheetStatus::Open {
                PlanAction::Conflict
            } else {
                match c.kind.as_str() {
                    "answer" => {
                        let criterion = c.criterion.clone().unwrap_or_default();
                        let key = (c.sheet_id.clone(), criterion.clone());
                        let cur = match answers.get(&key) {
                            Some(v) => *v,
                            None => self.stored_answer(&c.sheet_id, &criterion)?,
                        };
                        match crate::room::answer_write(cur, c.replaces, c.option) {
                            crate::room::AnswerWrite::Apply => {
                                answers.insert(key, c.option);
                                PlanAction::New
                            }
                            crate::room::AnswerWrite::AlreadyThere => PlanAction::Unchanged,
                            crate::room::AnswerWrite::Stale => PlanAction::Conflict,
                        }
                    }
                    "elimination" if sheet.elimination == c.text => PlanAction::Unchanged,
                    "comment" if Some(&sheet.comment) == c.text.as_ref() => PlanAction::Unchanged,
                    "elimination" | "comment" => PlanAction::New,
                    other => {
                        return Err(bmsg::BAD_RECORD
                            .with("name", "room_change")
                            .with("line", &r.id)
                            .with("detail", format!("kind {other}")))
                    }
                }
            };
            match action {
                PlanAction::New => counts.new += 1,
                PlanAction::Unchanged => counts.unchanged += 1,
                _ => counts.conflict += 1,
            }
            let label = match c.kind.as_str() {
                "answer" => format!(
                    "{} · {} → {}",
                    sheet.member_name,
                    c.criterion.clone().unwrap_or_default(),
                    c.option.map_or("—".to_string(), |o| o.to_string())
                ),
                k => format!("{} · {k}", sheet.member_name),
            };
            plan_records.push(PlanRecord {
                entity: "room_change".into(),
                id: r.id.clone(),
                label,
                action,
                version: r.version.clone(),
                supersedes: None,
                local_version: None,
            });
            planned.push(PlannedChange { change: c, action });
        }
        let conflicts = counts.conflict;
        let notice = match &already {
            Some(at) => Some(crate::error::render(
                bmsg::ALREADY_IMPORTED.text(lang),
                &[("bundle", info.bundle_uuid.clone()), ("at", at.clone())],
            )),
            None if conflicts > 0 => Some(crate::error::render(
                bmsg::MEMBER_STALE.text(lang),
                &[("count", conflicts.to_string())],
            )),
            None => None,
        };
        let public = crate::office::payload::parse_public_key(&info.sender_public_key)?;
        let plan = crate::exchange::BundlePlan {
            format: 1,
            file: file.into(),
            info: info.clone(),
            trusted: true,
            minisign_public_key: crate::exchange::sign::minisign_public_key(&public),
            already_imported: already,
            applied: false,
            trusted_now: false,
            entities: vec![counts],
            records: plan_records,
            conflicts,
            notice,
        };
        Ok((plan, planned, pairing))
    }

    pub(crate) fn member_bundle_plan(
        &self,
        bundle: &crate::exchange::Bundle,
        file: &str,
        lang: crate::Lang,
    ) -> Result<crate::exchange::BundlePlan> {
        self.member_plan(bundle, file, lang).map(|(p, _, _)| p)
    }

    /// Imports a member's answers file: each new change through the same store call as from the
    /// hub (audited with the member, the device and "tệp dự phòng"), then the file recorded, so
    /// importing it again changes nothing.
    pub(crate) fn member_bundle_import(
        &mut self,
        actor: &str,
        bundle: &crate::exchange::Bundle,
        file: &str,
        dry_run: bool,
        lang: crate::Lang,
    ) -> Result<crate::exchange::BundlePlan> {
        let (mut plan, planned, pairing) = self.member_plan(bundle, file, lang)?;
        if plan.already_imported.is_some() || dry_run {
            return Ok(plan);
        }
        if self.round(&pairing.round_id)?.status != RoundStatus::Scoring {
            return Err(crate::store::sheets::msg::NOT_SCORING.err());
        }
        let member = self.person(&pairing.person_id)?.full_name;
        let who = format!("{member} · {} (tệp dự phòng)", pairing.device);
        for p in planned
            .iter()
            .filter(|p| p.action == crate::exchange::PlanAction::New)
        {
            let c = &p.change;
            match c.kind.as_str() {
                "answer" => {
                    let criterion = c.criterion.clone().unwrap_or_default();
                    self.save_answer(&who, &c.sheet_id, &criterion, c.option)?;
                }
                "elimination" => {
                    self.set_elimination(&who, &c.sheet_id, c.text.as_deref())?;
                }
                _ => {
                    self.set_comment(&who, &c.sheet_id, c.text.as_deref().unwrap_or(""))?;
                }
            }
        }
        let info = bundle.info.clone();
        let summary = serde_json::json!({ "room_change": plan.entities.first() });
        let t = now();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO exchange_bundle (id, direction, purpose, office, key_fingerprint, created, recorded_at, recorded_by, summary)
                 VALUES (?1, 'in', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![info.bundle_uuid, info.purpose.as_str(), info.sender_office, info.sender_key_fingerprint, info.created, t, tx.actor(), summary.to_string()],
            )?;
            tx.audit(
                "bundle.import",
                "exchange_bundle",
                &info.bundle_uuid,
                None,
                Some(json!({
                    "round_id": pairing.round_id, "purpose": info.purpose.as_str(),
                    "member": member, "pairing_id": pairing.id, "file": file, "summary": summary,
                })),
            )
        })?;
        plan.applied = true;
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    #[test]
    fn a_room_opens_pairs_revokes_and_closes_audited() {
        let mut s = Store::open_in_memory().unwrap();
        demo::load(&mut s).unwrap();
        // The demo's second round is in scoring with its council present.
        let round = s
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Scoring)
            .unwrap()
            .id;
        let roster = s.roster(&round).unwrap();
        let member = roster
            .iter()
            .find(|m| m.role != crate::rules::Role::Advisor)
            .unwrap();
        let room = s
            .open_room("Thư ký", &round, "ab".repeat(32).as_str())
            .unwrap();
        let p = s
            .add_pairing(
                "Thư ký",
                &room,
                &member.person.id,
                "Android · Chrome",
                &"cd".repeat(32),
            )
            .unwrap();
        assert_eq!(s.pairing(&p).unwrap().revoked_at, None);
        s.revoke_pairing("Thư ký", &p, "lost phone").unwrap();
        s.revoke_pairing("Thư ký", &p, "again").unwrap();
        assert!(s.pairing(&p).unwrap().revoked_at.is_some());
        // A second room closes the first.
        let room2 = s
            .open_room("Thư ký", &round, "ef".repeat(32).as_str())
            .unwrap();
        assert!(s.pairing(&p).unwrap().room_closed_at.is_some());
        s.close_room("Thư ký", &room2, "closed by the secretary")
            .unwrap();
        let err = s
            .add_pairing(
                "Thư ký",
                &room2,
                &member.person.id,
                "iPad",
                &"cd".repeat(32),
            )
            .unwrap_err();
        assert_eq!(err.code(), "room.closed");
        let actions: Vec<String> = s
            .audit_list(&crate::model::AuditFilter::latest(50))
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .filter(|a| a.starts_with("room."))
            .collect();
        assert_eq!(
            actions.iter().filter(|a| *a == "room.open").count(),
            2,
            "{actions:?}"
        );
        assert_eq!(actions.iter().filter(|a| *a == "room.close").count(), 2);
        assert_eq!(actions.iter().filter(|a| *a == "room.pair").count(), 1);
        assert_eq!(actions.iter().filter(|a| *a == "room.revoke").count(), 1);
        s.audit_verify().unwrap().into_result().unwrap();
    }

    #[test]
    fn the_office_identity_is_kept_once() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.room_tls().unwrap(), None);
        let t = StoredRoomTls::new(b"cert", b"key");
        s.save_room_tls("Thư ký", &t).unwrap();
        let back = s.room_tls().unwrap().unwrap();
        assert_eq!(back.der().unwrap(), (b"cert".to_vec(), b"key".to_vec()));
        assert_eq!(
            back.fingerprint,
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"cert"))
        );
    }
}
