//! The registry's SQL: entries (one per certificate), revocations, other offices' revocation
//! lists, localities, plan targets, renewals and the dashboard's facts. The rules (status,
//! windows, grounds, the dashboard's counting) are the pure functions of [`crate::registry`].

use std::collections::HashMap;

use base64::Engine as _;
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer as _, Verifier as _};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::error::{CoreError, Entity, Result};
use crate::model::OwnerKind;
use crate::office::{key_id, CertificateClaim, TrustedKey};
use crate::registry::{
    self as reg, msg, Locality, LocalityLevel, Opinion, OpinionOutcome, PlanTarget, RegistryDue,
    RegistryEntry, RegistryFilter, RegistryPage, RegistryStatus, Renewal, RenewalInput,
    RenewalKind, RenewalStatus, Revocation, RevocationAuthority, RevocationGround,
    RevocationImport, RevocationInput,
};
use crate::store::{new_id, now, Store, Tx};
use crate::text::fold;

/// An ISO day (`YYYY-MM-DD`), read without a format parser (the dashboard reads thousands).
fn iso_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?)
}

fn bad_date(s: &str) -> CoreError {
    crate::error::msg::BAD_DATE.with("date", s)
}

pub(crate) fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| bad_date(s))
}

const ENTRY_SELECT: &str = "SELECT e.id, e.product_id, p.name, p.code, o.id, o.name, o.kind, o.commune, o.district,
        p.decision_id, p.set_code, e.star, e.number, e.decision_no, e.decision_date, e.issuing_level,
        e.issuing_body, e.valid_until, e.kind, e.supersedes, e.superseded_by, e.payload IS NOT NULL,
        rv.id, rv.ground, rv.decision_no, rv.decision_date, rv.concluded_on, rv.authority, rv.reason
     FROM registry_entry e JOIN product p ON p.id = e.product_id JOIN owner o ON o.id = p.owner_id
     LEFT JOIN revocation rv ON rv.entry_id = e.id";

fn entry_from(r: &Row, today: NaiveDate) -> rusqlite::Result<RegistryEntry> {
    let valid_until: String = r.get(17)?;
    let until = iso_day(&valid_until).unwrap_or(today);
    let star: u8 = r.get(11)?;
    let number: String = r.get(12)?;
    let product: String = r.get(2)?;
    let revocation = match r.get::<_, Option<String>>(22)? {
        None => None,
        Some(id) => {
            let ground =
                RevocationGround::parse(&r.get::<_, String>(23)?).unwrap_or(RevocationGround::E);
            let decision_date: String = r.get(25)?;
            let concluded_on: Option<String> = r.get(26)?;
            Some(Revocation {
                id,
                certificate_no: number.clone(),
                product: product.clone(),
                star,
                ground,
                ground_label: ground.label_vi().into(),
                decision_no: r.get(24)?,
                late: late(concluded_on.as_deref(), &decision_date),
                decision_date,
                concluded_on,
                authority: RevocationAuthority::parse(&r.get::<_, String>(27)?),
                reason: r.get(28)?,
                from_office: None,
            })
        }
    };
    let superseded_by: Option<String> = r.get(20)?;
    let kind: String = r.get(18)?;
    Ok(RegistryEntry {
        id: r.get(0)?,
        product_id: r.get(1)?,
        product,
        product_code: r.get(3)?,
        owner_id: r.get(4)?,
        owner: r.get(5)?,
        owner_kind: OwnerKind::parse(&r.get::<_, String>(6)?).unwrap_or_default(),
        commune: r.get(7)?,
        district: r.get(8)?,
        decision_id: r.get(9)?,
        set_code: r.get(10)?,
        star,
        certificate_no: number,
        decision_no: r.get(13)?,
        decision_date: r.get(14)?,
        issuing_level: r.get(15)?,
        issuing_body: r.get(16)?,
        days_left: reg::days_left(until, today),
        status: reg::status(until, today, revocation.is_some(), superseded_by.is_some()),
        valid_until,
        imported: kind == "imported",
        kind,
        supersedes: r.get(19)?,
        superseded_by,
        signed: r.get(21)?,
        revocation,
    })
}

fn late(concluded_on: Option<&str>, decided: &str) -> bool {
    match (
        concluded_on.and_then(|c| parse_day(c).ok()),
        parse_day(decided).ok(),
    ) {
        (Some(c), Some(d)) => reg::revocation_late(c, d),
        _ => false,
    }
}

/// The WHERE clause of a filter and its parameters.
fn filter_sql(f: &RegistryFilter, today: NaiveDate) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args: Vec<String> = Vec::new();
    let mut arg = |v: String| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(q) = f.query.as_deref().map(fold).filter(|q| !q.is_empty()) {
        let a = arg(q);
        clauses.push(format!(
            "(instr(p.search, {a}) > 0 OR instr(o.search, {a}) > 0 OR instr(e.search, {a}) > 0)"
        ));
    }
    if let Some(star) = f.star {
        clauses.push(format!("e.star = {}", arg(star.to_string())));
    }
    if let Some(y) = f.year {
        clauses.push(format!(
            "substr(e.decision_date, 1, 4) = {}",
            arg(y.to_string())
        ));
    }
    if let Some(l) = f.locality.as_deref().map(fold).filter(|l| !l.is_empty()) {
        let a = arg(l);
        clauses.push(format!("instr(o.search, {a}) > 0"));
    }
    match f.status {
        None => {}
        Some(RegistryStatus::Revoked) => clauses.push("rv.id IS NOT NULL".into()),
        Some(RegistryStatus::Superseded) => {
            clauses.push("rv.id IS NULL AND e.superseded_by IS NOT NULL".into())
        }
        Some(s) => {
            clauses.push("rv.id IS NULL AND e.superseded_by IS NULL".into());
            if let Some((lo, hi)) = reg::valid_until_range(s, today) {
                if let Some(lo) = lo {
                    clauses.push(format!("e.valid_until >= {}", arg(lo.to_string())));
                }
                if let Some(hi) = hi {
                    clauses.push(format!("e.valid_until <= {}", arg(hi.to_string())));
                }
            }
        }
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (sql, args)
}

/// What the registry's search matches an entry's numbers on.
pub(crate) fn entry_search(number: &str, decision_no: &str) -> String {
    fold(&format!("{number} {decision_no}"))
}

/// Fills in the search text of the entries 0006 made from earlier certificates.
pub(crate) fn migrate_0006(tx: &Connection) -> Result<()> {
    let rows: Vec<(String, String, String)> = tx
        .prepare("SELECT id, number, decision_no FROM registry_entry")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, number, decision) in rows {
        tx.execute(
            "UPDATE registry_entry SET search = ?1 WHERE id = ?2",
            params![entry_search(&number, &decision), id],
        )?;
    }
    Ok(())
}

/// Inserts the registry entry of a certificate issued in this transaction, superseding the
/// product's entry in force (an upgrade when the star is higher, else a re-recognition), and
/// closes the renewal that led to it. Returns the new entry's id.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_certificate(
    tx: &Tx,
    product_id: &str,
    certificate_id: Option<&str>,
    number: &str,
    star: u8,
    score: Option<f64>,
    decision_no: &str,
    decision_date: &str,
    issuing_level: &str,
    issuing_body: &str,
    valid_until: &str,
    payload: Option<&str>,
    kind: Option<&str>,
) -> Result<String> {
    let today = parse_day(decision_date)?;
    let current: Option<(String, u8, String)> = tx
        .query_row(
            "SELECT e.id, e.star, e.valid_until FROM registry_entry e
             LEFT JOIN revocation rv ON rv.entry_id = e.id
             WHERE e.product_id = ?1 AND e.superseded_by IS NULL AND rv.id IS NULL
               AND e.valid_until >= ?2
             ORDER BY e.decision_date DESC LIMIT 1",
            params![product_id, today.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let kind = match (kind, &current) {
        (Some(k), _) => k.to_string(),
        (None, None) => "new".into(),
        (None, Some((_, old, _))) if star > *old => "upgrade".into(),
        (None, Some(_)) => "rerecognition".into(),
    };
    let id = new_id();
    tx.execute(
        "INSERT INTO registry_entry (id, product_id, certificate_id, number, star, score, decision_no,
            decision_date, issuing_level, issuing_body, valid_until, kind, supersedes, payload, created_at, search)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            id,
            product_id,
            certificate_id,
            number,
            star,
            score,
            decision_no,
            decision_date,
            issuing_level,
            issuing_body,
            valid_until,
            kind,
            current.as_ref().map(|c| c.0.clone()),
            payload,
            now(),
            entry_search(number, decision_no)
        ],
    )?;
    if let Some((old, old_star, _)) = &current {
        tx.execute(
            "UPDATE registry_entry SET superseded_by = ?1 WHERE id = ?2",
            params![id, old],
        )?;
        tx.audit(
            "registry.supersede",
            "registry_entry",
            old,
            Some(json!({ "star": old_star })),
            Some(json!({ "superseded_by": id, "star": star, "kind": kind })),
        )?;
        tx.execute(
            "UPDATE renewal SET status = 'decided', decision_no = ?1, decision_date = ?2,
                new_entry_id = ?3, updated_at = ?4
             WHERE entry_id = ?5 AND status IN ('opinions','meeting')",
            params![decision_no, decision_date, id, now(), old],
        )?;
    }
    Ok(id)
}

/// The body of a revocation list, as signed (`ocop revocations export`). A boundary type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevocationListBody {
    pub format: u32,
    /// The office that signs the list.
    pub office: String,
    /// Its current key (fingerprint and hex public key), which signs the list.
    pub key: String,
    pub public_key: String,
    /// Every key of the office (fingerprints), current and retired: the certificates it may revoke.
    pub keys: Vec<String>,
    pub issued_at: String,
    pub revocations: Vec<RevocationListItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevocationListItem {
    /// The key that signed the certificate (claim `k`) and its number (claim `n`).
    pub key: String,
    pub certificate_no: String,
    pub product: String,
    pub star: u8,
    pub ground: String,
    pub decision_no: String,
    pub decision_date: String,
    pub reason: String,
}

/// The file: the body as the exact JSON text that was signed, and the signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevocationListFile {
    pub format: u32,
    /// Always "ocop-revocations".
    pub kind: String,
    pub body: String,
    /// Base64url (no padding) of the Ed25519 signature of `body`'s bytes.
    pub signature: String,
}

pub const REVOCATION_LIST_KIND: &str = "ocop-revocations";

/// Distinct texts, each kept once and named by its index.
#[derive(Default)]
struct Interner {
    at: HashMap<String, u32>,
    texts: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.at.get(s) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.texts.push(s.to_string());
        self.at.insert(s.to_string(), i);
        i
    }

    fn get(&self, i: u32) -> &str {
        &self.texts[i as usize]
    }
}

/// A row's id as a number: its UUID, or for an id that is not one (none should be), the first
/// 16 bytes of its SHA-256.
fn id_key(id: &str) -> u128 {
    uuid::Uuid::parse_str(id)
        .map(|u| u.as_u128())
        .unwrap_or_else(|_| {
            let h = Sha256::digest(id.as_bytes());
            u128::from_be_bytes(h[..16].try_into().expect("16 bytes"))
        })
}

/// A text column read in place, without a copy.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store {
    /// A page of the registry, searched and filtered, with each entry's status on `today`.
    pub fn registry_page(&self, f: &RegistryFilter, today: NaiveDate) -> Result<RegistryPage> {
        let (cond, args) = filter_sql(f, today);
        // Without a filter the count needs no join.
        let count_sql = if cond.is_empty() {
            "SELECT count(*) FROM registry_entry".to_string()
        } else {
            format!(
                "SELECT count(*) FROM registry_entry e JOIN product p ON p.id = e.product_id
                 JOIN owner o ON o.id = p.owner_id LEFT JOIN revocation rv ON rv.entry_id = e.id{cond}"
            )
        };
        let total: u32 = self
            .conn
            .query_row(&count_sql, params_from_iter(args.iter()), |r| r.get(0))?;
        let offset = f.offset.unwrap_or(0);
        let limit = f.limit.unwrap_or(100).min(50_000);
        let mut stmt = self.conn.prepare(&format!(
            "{ENTRY_SELECT}{cond} ORDER BY e.decision_date DESC, e.id DESC LIMIT {limit} OFFSET {offset}"
        ))?;
        let entries = stmt
            .query_map(params_from_iter(args.iter()), |r| entry_from(r, today))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(RegistryPage {
            format: 1,
            total,
            offset,
            entries,
        })
    }

    pub fn registry_entry(&self, id: &str, today: NaiveDate) -> Result<RegistryEntry> {
        self.conn
            .query_row(&format!("{ENTRY_SELECT} WHERE e.id = ?1"), [id], |r| {
                entry_from(r, today)
            })
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::RegistryEntry,
                id: id.into(),
            })
    }

    /// The entry a certificate number names (exactly, ignoring case and spaces at the ends).
    pub fn registry_entry_by_number(
        &self,
        number: &str,
        today: NaiveDate,
    ) -> Result<RegistryEntry> {
        let mut stmt = self
            .conn
            .prepare(&format!("{ENTRY_SELECT} WHERE lower(e.number) = lower(?1)"))?;
        let found = stmt
            .query_map([number.trim()], |r| entry_from(r, today))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        match found.len() {
            0 => Err(msg::NO_CERTIFICATE.with("number", number)),
            1 => Ok(found.into_iter().next().expect("one")),
            n => Err(msg::AMBIGUOUS_CERTIFICATE
                .with("number", number)
                .with("count", n)
                .with(
                    "products",
                    found
                        .iter()
                        .map(|e| format!("{} ({})", e.product, e.owner))
                        .collect::<Vec<_>>()
                        .join("; "),
                )),
        }
    }

    /// The certificates in force whose re-recognition window opens or closes within 30 days of
    /// `today`, soonest first.
    pub fn registry_due(&self, today: NaiveDate) -> Result<Vec<RegistryDue>> {
        let lo = today + chrono::Duration::days(reg::WINDOW_CLOSES_DAYS);
        let hi = today + chrono::Duration::days(reg::WINDOW_OPENS_DAYS + reg::DUE_WITHIN_DAYS);
        let mut stmt = self.conn.prepare(&format!(
            "{ENTRY_SELECT} WHERE rv.id IS NULL AND e.superseded_by IS NULL
               AND e.valid_until BETWEEN ?1 AND ?2 ORDER BY e.valid_until"
        ))?;
        let entries = stmt
            .query_map(params![lo.to_string(), hi.to_string()], |r| {
                entry_from(r, today)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut due: Vec<RegistryDue> = entries
            .into_iter()
            .filter_map(|e| {
                let until = parse_day(&e.valid_until).ok()?;
                let (event, on) = reg::due_event(until, today)?;
                Some(RegistryDue {
                    entry: e,
                    event,
                    on: on.to_string(),
                    in_days: (on - today).num_days(),
                })
            })
            .collect();
        due.sort_by(|a, b| a.on.cmp(&b.on).then(a.entry.product.cmp(&b.entry.product)));
        Ok(due)
    }

    /// Revokes a certificate in force (Điều 8), audited, and marks its issued certificate.
    pub fn revoke(
        &mut self,
        actor: &str,
        input: &RevocationInput,
        today: NaiveDate,
    ) -> Result<RegistryEntry> {
        let entry = match (&input.entry_id, &input.certificate_no) {
            (Some(id), _) if !id.is_empty() => self.registry_entry(id, today)?,
            (_, Some(n)) => self.registry_entry_by_number(n, today)?,
            _ => return Err(msg::NO_CERTIFICATE.with("number", "")),
        };
        let decision_no = input.decision_no.trim();
        if decision_no.is_empty() {
            return Err(msg::DECISION_NO_MISSING.err());
        }
        let date = parse_day(&input.decision_date)?;
        if let Some(r) = &entry.revocation {
            return Err(msg::ALREADY_REVOKED
                .with("number", &entry.certificate_no)
                .with("on", crate::text::dmy(&r.decision_date))
                .with("decision", &r.decision_no));
        }
        // In force on the day of the decision (a lapsed certificate is expired, not revoked).
        let until = parse_day(&entry.valid_until)?;
        let on_day = reg::status(until, date, false, entry.superseded_by.is_some());
        if !on_day.in_force() {
            return Err(msg::NOT_IN_FORCE
                .with("number", &entry.certificate_no)
                .with("status", on_day.label_vi()));
        }
        if date < parse_day(&entry.decision_date)? {
            return Err(msg::BEFORE_RECOGNITION
                .with("date", crate::text::dmy(&date.to_string()))
                .with("recognised", crate::text::dmy(&entry.decision_date)));
        }
        let concluded = match input.concluded_on.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => {
                let c = parse_day(c)?;
                if date < c {
                    return Err(msg::BEFORE_CONCLUSION
                        .with("date", crate::text::dmy(&date.to_string()))
                        .with("concluded", crate::text::dmy(&c.to_string())));
                }
                Some(c.to_string())
            }
            None => None,
        };
        let authority = RevocationAuthority::for_star(entry.star);
        let id = new_id();
        let reason = crate::text::nfc(input.reason.trim());
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO revocation (id, entry_id, ground, decision_no, decision_date, concluded_on,
                    authority, reason, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id,
                    entry.id,
                    input.ground.as_str(),
                    decision_no,
                    date.to_string(),
                    concluded,
                    authority.as_str(),
                    reason,
                    now(),
                    tx.actor()
                ],
            )?;
            tx.execute(
                "UPDATE certificate SET revoked_on = ?1, revoked_reason = ?2
                 WHERE id = (SELECT certificate_id FROM registry_entry WHERE id = ?3)",
                params![date.to_string(), reason, entry.id],
            )?;
            tx.audit(
                "registry.revoke",
                "registry_entry",
                &entry.id,
                Some(json!({ "status": entry.status })),
                Some(json!({
                    "revocation_id": id, "certificate_no": entry.certificate_no,
                    "ground": input.ground.as_str(), "decision_no": decision_no,
                    "decision_date": date.to_string(), "concluded_on": concluded,
                    "authority": authority.as_str(), "reason": reason,
                })),
            )
        })?;
        self.registry_entry(&entry.id, today)
    }

    /// Every revocation this office decided, then those imported from other offices.
    pub fn revocations(&self) -> Result<Vec<Revocation>> {
        let today = chrono::Local::now().date_naive();
        let mut stmt = self.conn.prepare(&format!(
            "{ENTRY_SELECT} WHERE rv.id IS NOT NULL ORDER BY rv.decision_date, e.number"
        ))?;
        let mut out: Vec<Revocation> = stmt
            .query_map([], |r| entry_from(r, today))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|e| e.revocation)
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT id, certificate_no, product, ground, decision_no, decision_date, reason, source_name
             FROM foreign_revocation ORDER BY decision_date, certificate_no",
        )?;
        let foreign = stmt.query_map([], |r| {
            let ground =
                RevocationGround::parse(&r.get::<_, String>(3)?).unwrap_or(RevocationGround::E);
            Ok(Revocation {
                id: r.get(0)?,
                certificate_no: r.get(1)?,
                product: r.get(2)?,
                star: 0,
                ground,
                ground_label: ground.label_vi().into(),
                decision_no: r.get(4)?,
                decision_date: r.get(5)?,
                concluded_on: None,
                authority: RevocationAuthority::ProvinceChair,
                reason: r.get(6)?,
                late: false,
                from_office: Some(r.get(7)?),
            })
        })?;
        for f in foreign {
            out.push(f?);
        }
        Ok(out)
    }

    /// Why a verified claim no longer stands: this office's revocation of it, or another office's
    /// imported one — (date, decision, reason).
    pub fn revocation_of_claim(
        &self,
        claim: &CertificateClaim,
        payload: &str,
    ) -> Result<Option<(String, String, String)>> {
        let own: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT rv.decision_date, rv.decision_no, rv.reason, rv.ground FROM revocation rv
                 JOIN registry_entry e ON e.id = rv.entry_id
                 WHERE e.payload = ?1 OR e.number = ?2",
                params![payload.trim(), claim.n],
                |r| {
                    let ground: String = r.get(3)?;
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        reason_text(&ground, &r.get::<_, String>(2)?),
                    ))
                },
            )
            .optional()?;
        if own.is_some() {
            return Ok(own);
        }
        // The first release's certificates, revoked before the registry existed.
        let old: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT revoked_on, revoked_reason FROM certificate WHERE payload = ?1 AND revoked_on IS NOT NULL",
                [payload.trim()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((on, reason)) = old {
            return Ok(Some((on, "—".into(), reason.unwrap_or_default())));
        }
        Ok(self
            .conn
            .query_row(
                "SELECT decision_date, decision_no, reason, ground, source_name FROM foreign_revocation
                 WHERE key_fingerprint = ?1 AND certificate_no = ?2",
                params![claim.k, claim.n],
                |r| {
                    let ground: String = r.get(3)?;
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        format!(
                            "{} ({})",
                            reason_text(&ground, &r.get::<_, String>(2)?),
                            r.get::<_, String>(4)?
                        ),
                    ))
                },
            )
            .optional()?)
    }

    /// This office's revocations as a list signed with its current key (opened with
    /// `passphrase`): the file other offices import.
    pub fn revocations_export(&self, passphrase: Option<&str>) -> Result<String> {
        let office = self.office()?;
        let (key_row, key) = self.signing_key(passphrase)?;
        let keys: Vec<String> = self
            .office_keys()?
            .into_iter()
            .map(|k| k.fingerprint)
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT e.number, e.payload, p.name, e.star, rv.ground, rv.decision_no, rv.decision_date, rv.reason
             FROM revocation rv JOIN registry_entry e ON e.id = rv.entry_id JOIN product p ON p.id = e.product_id
             WHERE e.payload IS NOT NULL ORDER BY rv.decision_date, e.number",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    RevocationListItem {
                        key: String::new(),
                        certificate_no: r.get(0)?,
                        product: r.get(2)?,
                        star: r.get(3)?,
                        ground: r.get(4)?,
                        decision_no: r.get(5)?,
                        decision_date: r.get(6)?,
                        reason: r.get(7)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let revocations = rows
            .into_iter()
            .map(|(_, payload, mut item)| {
                item.key = crate::office::payload::claim_of_payload(&payload)
                    .map(|c| c.k)
                    .unwrap_or_else(|| key_row.fingerprint.clone());
                item
            })
            .collect();
        let body = RevocationListBody {
            format: 1,
            office: if office.people_committee.trim().is_empty() {
                office.province.clone()
            } else {
                office.people_committee.clone()
            },
            key: key_row.fingerprint.clone(),
            public_key: key_row.public_key.clone(),
            keys,
            issued_at: now(),
            revocations,
        };
        let body = serde_json::to_string(&body).expect("the list serialises");
        let signature = key.sign(body.as_bytes());
        let file = RevocationListFile {
            format: 1,
            kind: REVOCATION_LIST_KIND.into(),
            body,
            signature: base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(signature.to_bytes()),
        };
        Ok(serde_json::to_string_pretty(&file).expect("the file serialises") + "\n")
    }

    /// Imports another office's signed revocation list, all or nothing: the signature must be
    /// that of a key this office trusts, and every revoked certificate must be one of that
    /// office's keys'. Importing the same list again adds nothing.
    pub fn revocations_import(
        &mut self,
        actor: &str,
        bytes: &[u8],
        file_name: &str,
    ) -> Result<RevocationImport> {
        let checked = self.revocation_list_check(bytes, file_name, None)?;
        let listed = checked.body.revocations.len() as u32;
        let added = self.write(actor, |tx| revocation_list_apply(tx, &checked, file_name))?;
        Ok(RevocationImport {
            format: 1,
            office: checked.signer.name,
            key: checked.fingerprint,
            listed,
            added,
            known: listed - added,
        })
    }

    /// Reads and checks a signed revocation list (signature, a trusted signer that is not this
    /// office, only that office's certificates). `also_trusted` is a key being trusted by the
    /// same step (an exchange bundle's sender, trusted on first use).
    pub(crate) fn revocation_list_check(
        &self,
        bytes: &[u8],
        file_name: &str,
        also_trusted: Option<&TrustedKey>,
    ) -> Result<CheckedRevocationList> {
        let unreadable = |d: String| {
            msg::LIST_UNREADABLE
                .with("file", file_name)
                .with("detail", d)
        };
        let file: RevocationListFile =
            serde_json::from_slice(bytes).map_err(|e| unreadable(e.to_string()))?;
        if file.kind != REVOCATION_LIST_KIND || file.format != 1 {
            return Err(unreadable(format!("{} {}", file.kind, file.format)));
        }
        let body: RevocationListBody =
            serde_json::from_str(&file.body).map_err(|e| unreadable(e.to_string()))?;
        let public = crate::office::payload::parse_public_key(&body.public_key)
            .map_err(|_| unreadable("public_key".into()))?;
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(file.signature.trim())
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .ok_or_else(|| unreadable("signature".into()))?;
        let fingerprint = key_id(&public);
        if fingerprint != body.key || public.verify(file.body.as_bytes(), &signature).is_err() {
            return Err(msg::LIST_SIGNATURE
                .with("file", file_name)
                .with("key", &body.key));
        }
        let mut trusted = self.trusted_keys()?;
        if let Some(k) = also_trusted {
            if !trusted.iter().any(|t| t.fingerprint == k.fingerprint) {
                trusted.push(k.clone());
            }
        }
        let signer = trusted.iter().find(|k| k.fingerprint == fingerprint);
        let signer = match signer {
            Some(k) if k.own => return Err(msg::LIST_OWN.err()),
            Some(k) if k.public_key.eq_ignore_ascii_case(&body.public_key) => k.clone(),
            _ => {
                return Err(msg::LIST_UNTRUSTED
                    .with("office", &body.office)
                    .with("key", &fingerprint))
            }
        };
        // An office revokes only its own certificates: a key it lists must not be this office's
        // or another trusted office's.
        for item in &body.revocations {
            let other = trusted
                .iter()
                .any(|k| k.fingerprint == item.key && (k.own || k.name != signer.name));
            if !body.keys.contains(&item.key) || other {
                return Err(msg::LIST_FOREIGN_KEY
                    .with("office", &body.office)
                    .with("number", &item.certificate_no)
                    .with("key", &item.key));
            }
            RevocationGround::parse(&item.ground).map_err(|e| unreadable(e.to_string()))?;
            parse_day(&item.decision_date)?;
        }
        Ok(CheckedRevocationList {
            body,
            fingerprint,
            signer,
        })
    }

    // ---- Localities and plans ----

    pub fn localities(&self) -> Result<Vec<Locality>> {
        let mut stmt = self
            .conn
            .prepare("SELECT code, name, level, parent_code FROM locality ORDER BY level, name")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Locality {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    level: LocalityLevel::parse(&r.get::<_, String>(2)?),
                    parent_code: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Adds a locality (or returns the one with its code), audited.
    pub fn add_locality(
        &mut self,
        actor: &str,
        name: &str,
        level: LocalityLevel,
    ) -> Result<Locality> {
        let province = self.office()?.province;
        let code = self.write(actor, |tx| {
            let code = ensure_locality(tx, name, level, &province)?;
            tx.audit(
                "locality.add",
                "locality",
                &code,
                None,
                Some(json!({ "name": name, "level": level.as_str() })),
            )?;
            Ok(code)
        })?;
        self.localities()?
            .into_iter()
            .find(|l| l.code == code)
            .ok_or_else(|| msg::LOCALITY_UNKNOWN.with("locality", name))
    }

    pub fn plan_targets(&self, year: Option<i32>) -> Result<Vec<PlanTarget>> {
        let mut stmt = self.conn.prepare(
            "SELECT t.year, t.locality_code, t.star, t.target FROM plan_target t
             JOIN locality l ON l.code = t.locality_code
             WHERE ?1 IS NULL OR t.year = ?1 ORDER BY t.year, l.rowid, t.star",
        )?;
        let rows = stmt
            .query_map([year], |r| {
                Ok(PlanTarget {
                    year: r.get(0)?,
                    locality_code: r.get(1)?,
                    star: r.get(2)?,
                    target: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Sets targets (a cell of the grid, or a whole imported plan) in one audited transaction.
    pub fn set_plan_targets(&mut self, actor: &str, targets: &[PlanTarget]) -> Result<()> {
        for t in targets {
            if !(2018..=2100).contains(&t.year) {
                return Err(msg::BAD_YEAR.with("year", t.year));
            }
            if !(3..=5).contains(&t.star) {
                return Err(msg::BAD_STAR.with("star", t.star));
            }
        }
        let known: Vec<String> = self.localities()?.into_iter().map(|l| l.code).collect();
        if let Some(t) = targets.iter().find(|t| !known.contains(&t.locality_code)) {
            return Err(msg::LOCALITY_UNKNOWN.with("locality", &t.locality_code));
        }
        self.write(actor, |tx| write_targets(tx, targets))
    }

    /// The dashboard of `year` (or of the period `from..=to`) on `today`.
    pub fn dashboard(
        &self,
        year: i32,
        period: Option<(NaiveDate, NaiveDate)>,
        today: NaiveDate,
    ) -> Result<reg::Dashboard> {
        // Set names and categories from the built-in criteria (parsed once per process).
        let catalog_sets: HashMap<(String, String), (String, String)> =
            crate::criteria::Catalog::builtin()
                .decisions
                .iter()
                .flat_map(|d| {
                    d.sets.iter().map(move |st| {
                        (
                            (d.decision.id.clone(), st.code.clone()),
                            (
                                format!("{}. {}", st.code, st.name),
                                st.classification.category.name.clone(),
                            ),
                        )
                    })
                })
                .collect();
        // A hash join in memory: each table is scanned once (about 2 ms per 20,000 rows), where
        // SQLite's nested loop would look every product and owner up by its UUID key (about
        // 12 ms per join). The facts borrow their texts from these rows.
        // Texts are kept once each (a province has few districts, communes and owner kinds) and
        // rows are keyed by their UUIDs as numbers, so the scans copy almost nothing.
        let mut texts = Interner::default();
        struct OwnerRow {
            district: u32,
            commune: u32,
            kind: OwnerKind,
            sex: u32,
            ethnicity: u32,
        }
        let mut owners: HashMap<u128, OwnerRow> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT id, district, commune, kind, rep_sex, rep_ethnicity FROM owner")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            owners.insert(
                id_key(text_at(r, 0)?),
                OwnerRow {
                    district: texts.id(text_at(r, 1)?),
                    commune: texts.id(text_at(r, 2)?),
                    kind: OwnerKind::parse(text_at(r, 3)?).unwrap_or_default(),
                    sex: texts.id(text_at(r, 4)?),
                    ethnicity: texts.id(text_at(r, 5)?),
                },
            );
        }
        // product id → (owner id, the set: its code, label and category in `labels`).
        let mut products: HashMap<u128, (u128, usize)> = HashMap::new();
        let mut labels: Vec<(String, String, String)> = Vec::new();
        let mut label_at: HashMap<(u32, u32), usize> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT id, owner_id, decision_id, set_code FROM product")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let decision = texts.id(text_at(r, 2)?);
            let set_code = texts.id(text_at(r, 3)?);
            let at = *label_at.entry((decision, set_code)).or_insert_with(|| {
                let key = (
                    texts.get(decision).to_string(),
                    texts.get(set_code).to_string(),
                );
                labels.push(match catalog_sets.get(&key) {
                    Some((l, c)) => (key.1.clone(), l.clone(), c.clone()),
                    None => (key.1.clone(), key.1, "Khác".to_string()),
                });
                labels.len() - 1
            });
            products.insert(id_key(text_at(r, 0)?), (id_key(text_at(r, 1)?), at));
        }
        let mut revoked: HashMap<String, NaiveDate> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT entry_id, decision_date FROM revocation")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(d) = iso_day(text_at(r, 1)?) {
                revoked.insert(r.get(0)?, d);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.product_id, e.star, e.decision_date, e.valid_until, e.kind, s.decision_date,
                    e.superseded_by IS NOT NULL
             FROM registry_entry e LEFT JOIN registry_entry s ON s.id = e.superseded_by",
        )?;
        let mut rows = stmt.query([])?;
        let mut facts = Vec::new();
        while let Some(r) = rows.next()? {
            let Some((owner_id, at)) = products.get(&id_key(text_at(r, 1)?)) else {
                continue;
            };
            let Some(o) = owners.get(owner_id) else {
                continue;
            };
            let day = |i: usize| -> rusqlite::Result<NaiveDate> {
                Ok(iso_day(r.get_ref(i)?.as_str()?).unwrap_or(today))
            };
            let superseded_on = match r.get_ref(6)? {
                rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(iso_day),
                _ => None,
            };
            let (set_code, set_label, category) = &labels[*at];
            facts.push(reg::DashboardFact {
                star: r.get(2)?,
                decision_date: day(3)?,
                valid_until: day(4)?,
                kind: match text_at(r, 5)? {
                    "rerecognition" => "rerecognition",
                    "upgrade" => "upgrade",
                    "imported" => "imported",
                    _ => "new",
                },
                revoked_on: revoked.get(text_at(r, 0)?).copied(),
                superseded: r.get(7)?,
                superseded_on,
                district: texts.get(o.district),
                commune: texts.get(o.commune),
                set_code,
                set_label,
                category,
                owner_kind: o.kind,
                sex: texts.get(o.sex),
                ethnicity: texts.get(o.ethnicity),
            });
        }
        let localities = self.localities()?;
        let targets = self.plan_targets(Some(year))?;
        Ok(reg::dashboard(
            &facts,
            &localities,
            &targets,
            year,
            period,
            today,
        ))
    }

    // ---- Renewals ----

    /// Files a re-recognition (in its window, Điều 7.6) or an upgrade (changes described,
    /// Điều 6.1b) of an entry in force.
    pub fn renewal_start(&mut self, actor: &str, input: &RenewalInput) -> Result<Renewal> {
        let filed = parse_day(&input.filed_on)?;
        let entry = self.registry_entry(&input.entry_id, filed)?;
        if !entry.status.in_force() {
            return Err(msg::RENEWAL_NOT_IN_FORCE
                .with("number", &entry.certificate_no)
                .with("status", entry.status.label_vi()));
        }
        let until = parse_day(&entry.valid_until)?;
        match input.kind {
            RenewalKind::Rerecognition => {
                let (from, to) = reg::filing_window(until);
                if filed < from || filed > to {
                    return Err(msg::RENEWAL_WINDOW
                        .with("from", crate::text::dmy(&from.to_string()))
                        .with("to", crate::text::dmy(&to.to_string()))
                        .with("until", crate::text::dmy(&entry.valid_until))
                        .with("filed", crate::text::dmy(&filed.to_string())));
                }
            }
            RenewalKind::Upgrade => {
                if entry.star >= 5 {
                    return Err(msg::UPGRADE_TOP.err());
                }
                if input.changes.trim().is_empty() {
                    return Err(msg::UPGRADE_NO_CHANGES.err());
                }
            }
        }
        let complete = match input.complete_on.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => {
                let c = parse_day(c)?;
                if c < filed {
                    return Err(msg::RENEWAL_COMPLETE_BEFORE_FILED
                        .with("complete", crate::text::dmy(&c.to_string()))
                        .with("filed", crate::text::dmy(&filed.to_string())));
                }
                Some(c.to_string())
            }
            None => None,
        };
        let open: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM renewal WHERE entry_id = ?1 AND status IN ('opinions','meeting'))",
            [&entry.id],
            |r| r.get(0),
        )?;
        if open {
            return Err(msg::RENEWAL_OPEN.err());
        }
        let id = new_id();
        let status = match input.kind {
            RenewalKind::Rerecognition => RenewalStatus::Opinions,
            RenewalKind::Upgrade => RenewalStatus::Meeting,
        };
        let changes = crate::text::nfc(input.changes.trim());
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO renewal (id, entry_id, kind, filed_on, complete_on, changes, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![id, entry.id, input.kind.as_str(), filed.to_string(), complete, changes, status.as_str(), now()],
            )?;
            tx.audit(
                "renewal.file",
                "renewal",
                &id,
                None,
                Some(json!({ "entry_id": entry.id, "kind": input.kind.as_str(), "filed_on": filed.to_string(), "complete_on": complete, "changes": changes })),
            )
        })?;
        self.renewal(&id)
    }

    pub fn renewal(&self, id: &str) -> Result<Renewal> {
        let today = chrono::Local::now().date_naive();
        let row: Option<RenewalRow> = self
            .conn
            .query_row(
                "SELECT id, entry_id, kind, filed_on, complete_on, changes, status, round_id, decision_no, decision_date, new_entry_id
                 FROM renewal WHERE id = ?1",
                [id],
                RenewalRow::read,
            )
            .optional()?;
        let row = row.ok_or_else(|| CoreError::NotFound {
            kind: Entity::Renewal,
            id: id.into(),
        })?;
        self.renewal_from(row, today)
    }

    fn renewal_from(&self, row: RenewalRow, today: NaiveDate) -> Result<Renewal> {
        let mut stmt = self.conn.prepare(
            "SELECT o.person_id, p.full_name, o.agree, o.remark, o.recorded_at FROM renewal_opinion o
             JOIN person p ON p.id = o.person_id WHERE o.renewal_id = ?1 ORDER BY o.recorded_at",
        )?;
        let opinions = stmt
            .query_map([&row.id], |r| {
                Ok(Opinion {
                    person_id: r.get(0)?,
                    person: r.get(1)?,
                    agree: r.get(2)?,
                    remark: r.get(3)?,
                    recorded_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let deadline = row
            .complete_on
            .as_deref()
            .and_then(|c| parse_day(c).ok())
            .map(|c| c + chrono::Duration::days(reg::RENEWAL_DAYS));
        let agree = opinions.iter().filter(|o| o.agree).count() as u32;
        Ok(Renewal {
            entry: self.registry_entry(&row.entry_id, today)?,
            id: row.id,
            kind: RenewalKind::parse(&row.kind),
            status: RenewalStatus::parse(&row.status),
            filed_on: row.filed_on,
            complete_on: row.complete_on,
            deadline: deadline.map(|d| d.to_string()),
            deadline_days: deadline.map(|d| (d - today).num_days()),
            changes: row.changes,
            round_id: row.round_id,
            disagree: opinions.len() as u32 - agree,
            agree,
            opinions,
            decision_no: row.decision_no,
            decision_date: row.decision_date,
            new_entry_id: row.new_entry_id,
        })
    }

    /// Every application, the ones in progress first.
    pub fn renewals(&self) -> Result<Vec<Renewal>> {
        let today = chrono::Local::now().date_naive();
        let mut stmt = self.conn.prepare(
            "SELECT id, entry_id, kind, filed_on, complete_on, changes, status, round_id, decision_no, decision_date, new_entry_id
             FROM renewal ORDER BY status IN ('decided','refused'), filed_on",
        )?;
        let rows = stmt
            .query_map([], RenewalRow::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|r| self.renewal_from(r, today))
            .collect()
    }

    /// Records (or changes) a member's written opinion on a re-recognition.
    pub fn renewal_opinion(
        &mut self,
        actor: &str,
        renewal_id: &str,
        person_id: &str,
        agree: bool,
        remark: &str,
    ) -> Result<Renewal> {
        let r = self.renewal(renewal_id)?;
        if r.status != RenewalStatus::Opinions {
            return Err(
                if matches!(r.status, RenewalStatus::Decided | RenewalStatus::Refused) {
                    msg::RENEWAL_CLOSED.err()
                } else {
                    msg::RENEWAL_NOT_OPINIONS.err()
                },
            );
        }
        let person = self.person(person_id)?;
        let remark = crate::text::nfc(remark.trim());
        if !agree && remark.is_empty() {
            return Err(msg::RENEWAL_REMARK_NEEDED.err());
        }
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO renewal_opinion (renewal_id, person_id, agree, remark, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (renewal_id, person_id) DO UPDATE SET agree = ?3, remark = ?4, recorded_at = ?5",
                params![renewal_id, person_id, agree, remark, now()],
            )?;
            tx.audit(
                "renewal.opinion",
                "renewal",
                renewal_id,
                None,
                Some(json!({ "person_id": person_id, "person": person.full_name, "agree": agree, "remark": remark })),
            )
        })?;
        self.renewal(renewal_id)
    }

    /// Decides a re-recognition on its written opinions: when at least three members agree and
    /// none disagrees, issues the new decision and certificate (numbered from the office's
    /// sequence, valid 36 months, signed with the office key), which supersede the old ones.
    /// Divergent opinions are refused: the council must meet ([`Store::renewal_to_round`]).
    pub fn renewal_decide(
        &mut self,
        actor: &str,
        renewal_id: &str,
        date: &str,
        passphrase: Option<&str>,
    ) -> Result<Renewal> {
        let r = self.renewal(renewal_id)?;
        if r.status != RenewalStatus::Opinions {
            return Err(msg::RENEWAL_CLOSED.err());
        }
        let agrees: Vec<bool> = r.opinions.iter().map(|o| o.agree).collect();
        match reg::opinion_outcome(&agrees) {
            OpinionOutcome::TooFew { count } => {
                return Err(msg::RENEWAL_TOO_FEW
                    .with("count", count)
                    .with("min", reg::MIN_OPINIONS))
            }
            OpinionOutcome::Divergent { agree, disagree } => {
                return Err(msg::RENEWAL_DIVERGENT
                    .with("agree", agree)
                    .with("disagree", disagree))
            }
            OpinionOutcome::Agreed => {}
        }
        let e = &r.entry;
        let SignedDecision {
            office,
            number,
            cert_no,
            day,
            until,
            payload,
            key: key_fingerprint,
        } = self.sign_single_decision(
            date,
            passphrase,
            &e.product,
            &e.owner,
            &e.product_code,
            e.star,
        )?;
        self.write(actor, |tx| {
            let new_id = record_certificate(
                tx,
                &e.product_id,
                None,
                &cert_no,
                e.star,
                None,
                &number,
                &day.to_string(),
                "province",
                &office.people_committee,
                &until.to_string(),
                Some(&payload),
                Some("rerecognition"),
            )?;
            crate::store::office::advance_decision_no(tx, &office)?;
            tx.audit(
                "renewal.decide",
                "renewal",
                renewal_id,
                Some(json!({ "entry_id": e.id, "status": "opinions" })),
                Some(json!({ "new_entry_id": new_id, "decision_no": number, "decision_date": day.to_string(), "certificate_no": cert_no, "opinions": agrees.len(), "key": key_fingerprint })),
            )
        })?;
        self.renewal(renewal_id)
    }

    /// Sends an application to a round: the council meets and scores it (divergent opinions, a
    /// complex content, or an upgrade). The product must have its dossier in the round; the
    /// round's recognition decision then supersedes the old entry.
    pub fn renewal_to_round(
        &mut self,
        actor: &str,
        renewal_id: &str,
        round_id: &str,
    ) -> Result<Renewal> {
        let r = self.renewal(renewal_id)?;
        if matches!(r.status, RenewalStatus::Decided | RenewalStatus::Refused) {
            return Err(msg::RENEWAL_CLOSED.err());
        }
        let round = self.round(round_id)?;
        let in_round: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM dossier WHERE round_id = ?1 AND product_id = ?2)",
            params![round_id, r.entry.product_id],
            |row| row.get(0),
        )?;
        if !in_round {
            return Err(msg::RENEWAL_PRODUCT_NOT_IN_ROUND.with("round", &round.name));
        }
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE renewal SET status = 'meeting', round_id = ?1, updated_at = ?2 WHERE id = ?3",
                params![round_id, now(), renewal_id],
            )?;
            tx.audit(
                "renewal.meeting",
                "renewal",
                renewal_id,
                Some(json!({ "status": r.status })),
                Some(json!({ "status": "meeting", "round_id": round_id })),
            )
        })?;
        self.renewal(renewal_id)
    }

    /// Closes an application without a new certificate (the council refused it), audited.
    pub fn renewal_refuse(
        &mut self,
        actor: &str,
        renewal_id: &str,
        reason: &str,
    ) -> Result<Renewal> {
        let r = self.renewal(renewal_id)?;
        if matches!(r.status, RenewalStatus::Decided | RenewalStatus::Refused) {
            return Err(msg::RENEWAL_CLOSED.err());
        }
        let reason = crate::text::nfc(reason.trim());
        if reason.is_empty() {
            return Err(msg::RENEWAL_REMARK_NEEDED.err());
        }
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE renewal SET status = 'refused', updated_at = ?1 WHERE id = ?2",
                params![now(), renewal_id],
            )?;
            tx.audit(
                "renewal.refuse",
                "renewal",
                renewal_id,
                Some(json!({ "status": r.status })),
                Some(json!({ "status": "refused", "reason": reason })),
            )
        })?;
        self.renewal(renewal_id)
    }
}

/// Writes plan targets, each changed one audited, and the plan's trace.
pub(crate) fn write_targets(tx: &Tx, targets: &[PlanTarget]) -> Result<()> {
    for t in targets {
        let before: Option<u32> = tx
            .query_row(
                "SELECT target FROM plan_target WHERE year = ?1 AND locality_code = ?2 AND star = ?3",
                params![t.year, t.locality_code, t.star],
                |r| r.get(0),
            )
            .optional()?;
        if before == Some(t.target) {
            continue;
        }
        tx.execute(
            "INSERT INTO plan_target (year, locality_code, star, target, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (year, locality_code, star) DO UPDATE SET target = ?4, updated_at = ?5",
            params![t.year, t.locality_code, t.star, t.target, now()],
        )?;
        tx.audit(
            "plan.target",
            "plan_target",
            &format!("{}/{}/{}", t.year, t.locality_code, t.star),
            before.map(|b| json!({ "target": b })),
            Some(json!({ "year": t.year, "locality_code": t.locality_code, "star": t.star, "target": t.target })),
        )?;
    }
    // A save that changes nothing still leaves its trace.
    tx.audit(
        "plan.save",
        "plan",
        &targets
            .first()
            .map(|t| t.year.to_string())
            .unwrap_or_default(),
        None,
        Some(json!({ "targets": targets.len() })),
    )
}

/// The wording of a ground and a reason.
fn reason_text(ground: &str, reason: &str) -> String {
    let g = RevocationGround::parse(ground)
        .map(|g| format!("điểm {} khoản 1 Điều 8: {}", g.as_str(), g.label_vi()))
        .unwrap_or_default();
    match (g.is_empty(), reason.trim().is_empty()) {
        (_, true) => g,
        (true, false) => reason.trim().to_string(),
        (false, false) => format!("{g}. {}", reason.trim()),
    }
}

struct RenewalRow {
    id: String,
    entry_id: String,
    kind: String,
    filed_on: String,
    complete_on: Option<String>,
    changes: String,
    status: String,
    round_id: Option<String>,
    decision_no: Option<String>,
    decision_date: Option<String>,
    new_entry_id: Option<String>,
}

impl RenewalRow {
    fn read(r: &Row) -> rusqlite::Result<RenewalRow> {
        Ok(RenewalRow {
            id: r.get(0)?,
            entry_id: r.get(1)?,
            kind: r.get(2)?,
            filed_on: r.get(3)?,
            complete_on: r.get(4)?,
            changes: r.get(5)?,
            status: r.get(6)?,
            round_id: r.get(7)?,
            decision_no: r.get(8)?,
            decision_date: r.get(9)?,
            new_entry_id: r.get(10)?,
        })
    }
}

/// The code of a locality, created under the office's province if it is new.
pub(crate) fn ensure_locality(
    conn: &Connection,
    name: &str,
    level: LocalityLevel,
    province: &str,
) -> Result<String> {
    let name = crate::text::nfc(name.trim());
    if reg::locality_key(&name).is_empty() {
        return Err(msg::LOCALITY_NAME_MISSING.err());
    }
    let province_code = if province.trim().is_empty() {
        None
    } else {
        let code = reg::locality_code(province, None);
        conn.execute(
            "INSERT INTO locality (code, name, level, parent_code, search, created_at)
             VALUES (?1, ?2, 'province', NULL, ?3, ?4) ON CONFLICT (code) DO NOTHING",
            params![code, province.trim(), reg::locality_key(province), now()],
        )?;
        Some(code)
    };
    if level == LocalityLevel::Province {
        return province_code.ok_or_else(|| msg::LOCALITY_NAME_MISSING.err());
    }
    // The same place under another spelling of its kind ("TP Thanh Hóa", "Thành phố Thanh Hóa").
    let key = reg::locality_key(&name);
    let existing: Option<String> = conn
        .query_row(
            "SELECT code FROM locality WHERE search = ?1 AND level = ?2",
            params![key, level.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(code) = existing {
        return Ok(code);
    }
    let code = reg::locality_code(&name, province_code.as_deref());
    conn.execute(
        "INSERT INTO locality (code, name, level, parent_code, search, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO NOTHING",
        params![code, name, level.as_str(), province_code, key, now()],
    )?;
    Ok(code)
}

/// A signed revocation list that checked ([`Store::revocation_list_check`]).
pub(crate) struct CheckedRevocationList {
    body: RevocationListBody,
    fingerprint: String,
    signer: TrustedKey,
}

/// Records a checked list's revocations (those not known yet), audited; returns how many were added.
pub(crate) fn revocation_list_apply(
    tx: &Tx,
    list: &CheckedRevocationList,
    file_name: &str,
) -> Result<u32> {
    let (body, fingerprint, signer) = (&list.body, &list.fingerprint, &list.signer);
    let listed = body.revocations.len() as u32;
    let mut added = 0u32;
    for item in &body.revocations {
        added += tx.execute(
            "INSERT INTO foreign_revocation (id, key_fingerprint, certificate_no, product, ground,
                decision_no, decision_date, reason, source, source_name, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (key_fingerprint, certificate_no) DO NOTHING",
            params![
                new_id(),
                item.key,
                item.certificate_no,
                item.product,
                item.ground,
                item.decision_no,
                item.decision_date,
                item.reason,
                fingerprint,
                signer.name,
                now()
            ],
        )? as u32;
    }
    tx.audit(
        "revocations.import",
        "trusted_key",
        fingerprint,
        None,
        Some(json!({ "office": signer.name, "file": file_name, "listed": listed, "added": added, "issued_at": body.issued_at })),
    )?;
    Ok(added)
}

/// A decision of this office on one certificate, signed and ready to record: its number from the
/// office's sequence (advanced when it is recorded), the certificate number, the validity and the
/// signed QR payload. Re-recognition by written opinions and recognition on a central result
/// both issue one.
pub(crate) struct SignedDecision {
    pub office: crate::office::OfficeSettings,
    pub number: String,
    pub cert_no: String,
    pub day: NaiveDate,
    pub until: NaiveDate,
    pub payload: String,
    /// The fingerprint of the key that signed it.
    pub key: String,
}

impl Store {
    /// Numbers and signs a one-certificate decision dated `date` (the office key opened with
    /// `passphrase`); writes nothing.
    pub(crate) fn sign_single_decision(
        &self,
        date: &str,
        passphrase: Option<&str>,
        product: &str,
        owner: &str,
        product_code: &str,
        star: u8,
    ) -> Result<SignedDecision> {
        let day = parse_day(date)?;
        let until =
            reg::valid_until(day).ok_or_else(|| crate::office::msg::DATE_OUT_OF_RANGE.err())?;
        let office = self.office()?;
        office.require_complete()?;
        let (key_row, key) = self.signing_key(passphrase)?;
        let number = format!("{}/{}", office.next_decision_no, office.decision_symbol);
        let cert_no = format!("{number}-01");
        let claim = CertificateClaim {
            v: 1,
            k: key_row.fingerprint.clone(),
            n: cert_no.clone(),
            p: product.to_string(),
            o: owner.to_string(),
            s: star,
            c: product_code.to_string(),
            d: number.clone(),
            dd: day.to_string(),
            i: day.to_string(),
            u: until.to_string(),
            b: office.people_committee.clone(),
            ..CertificateClaim::default()
        };
        let payload = crate::office::sign_claim(&key, &claim);
        Ok(SignedDecision {
            office,
            number,
            cert_no,
            day,
            until,
            payload,
            key: key_row.fingerprint,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::OfficeSettings;

    const PASS: &str = "cụm mật khẩu thử";

    fn office(name: &str) -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.save_office(
            "t",
            &OfficeSettings {
                province: name.into(),
                people_committee: format!("UBND TỈNH {name}"),
                ..Default::default()
            },
        )
        .unwrap();
        s.set_up_key_unchecked("t", PASS).unwrap();
        s
    }

    /// Re-signs a list's body, changed by `edit`, with `signer`'s own key: a list that office
    /// really signed, but that claims what it may not.
    fn resigned(signer: &Store, text: &str, edit: impl FnOnce(&mut RevocationListBody)) -> String {
        let mut file: RevocationListFile = serde_json::from_str(text).unwrap();
        let mut body: RevocationListBody = serde_json::from_str(&file.body).unwrap();
        edit(&mut body);
        file.body = serde_json::to_string(&body).unwrap();
        let (_, key) = signer.signing_key(Some(PASS)).unwrap();
        file.signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(key.sign(file.body.as_bytes()).to_bytes());
        serde_json::to_string(&file).unwrap()
    }

    #[test]
    fn an_office_cannot_revoke_another_offices_certificates() {
        let a = office("Thanh Hóa");
        let c = office("Nghệ An");
        let mut b = office("Ninh Bình");
        for o in [&a, &c] {
            let k = o.own_key().unwrap().unwrap();
            b.trust_key("t", &o.office().unwrap().people_committee, &k.public_key)
                .unwrap();
        }
        let c_key = c.own_key().unwrap().unwrap().fingerprint;
        let genuine = a.revocations_export(Some(PASS)).unwrap();
        // A signs a list that revokes a certificate of C's key, listing C's key as its own.
        let forged = resigned(&a, &genuine, |body| {
            body.keys.push(c_key.clone());
            body.revocations.push(RevocationListItem {
                key: c_key.clone(),
                certificate_no: "15/QĐ-UBND-01".into(),
                product: "Sản phẩm của tỉnh khác".into(),
                star: 4,
                ground: "a".into(),
                decision_no: "1/QĐ-UBND".into(),
                decision_date: "2026-11-01".into(),
                reason: String::new(),
            });
        });
        let e = b
            .revocations_import("t", forged.as_bytes(), "forged.json")
            .unwrap_err();
        assert_eq!(e.code(), "revocations.foreign_key");
        // Nor one of B's own certificates.
        let b_key = b.own_key().unwrap().unwrap().fingerprint;
        let forged = resigned(&a, &genuine, |body| {
            body.keys.push(b_key.clone());
            body.revocations.push(RevocationListItem {
                key: b_key.clone(),
                certificate_no: "9/QĐ-UBND-01".into(),
                product: String::new(),
                star: 3,
                ground: "b".into(),
                decision_no: "2/QĐ-UBND".into(),
                decision_date: "2026-11-01".into(),
                reason: String::new(),
            });
        });
        let e = b
            .revocations_import("t", forged.as_bytes(), "forged.json")
            .unwrap_err();
        assert_eq!(e.code(), "revocations.foreign_key");
        let none: u32 = b
            .conn
            .query_row("SELECT count(*) FROM foreign_revocation", [], |r| r.get(0))
            .unwrap();
        assert_eq!(none, 0, "nothing of a refused list is kept");
        // A's genuine list (empty) imports; B's own list is refused as its own.
        let r = b
            .revocations_import("t", genuine.as_bytes(), "a.json")
            .unwrap();
        assert_eq!((r.listed, r.added), (0, 0));
        let own = b.revocations_export(Some(PASS)).unwrap();
        assert_eq!(
            b.revocations_import("t", own.as_bytes(), "b.json")
                .unwrap_err()
                .code(),
            "revocations.own"
        );
    }
}
