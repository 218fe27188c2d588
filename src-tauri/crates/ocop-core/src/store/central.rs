//! SQL of the central results (migration 0007): record one (keyed, or from a bundle), list them,
//! and recognise on one: the province's 3★/4★ decision on a central result under 90 (QĐ 26/2026),
//! or the Ministry's 5★ decision recorded in the registry.

use rusqlite::{params, OptionalExtension, Row};
use serde_json::json;

use crate::central::{self as c, msg, CentralResult, CentralResultInput, CentralVerdict};
use crate::error::{CoreError, Entity, Result};
use crate::procedure::Level;
use crate::registry::RegistryEntry;
use crate::store::registry::{parse_day, record_certificate, SignedDecision};
use crate::store::{new_id, now, Store, Tx};

const SELECT: &str = "SELECT c.id, c.product_id, p.name, o.name, c.round_id, c.decision_id, c.body, c.reference,
        c.scored_on, c.mean_total, c.star, c.eliminated, c.source, c.bundle_id, c.entry_id, c.created_at
     FROM central_result c JOIN product p ON p.id = c.product_id JOIN owner o ON o.id = p.owner_id";

fn from_row(r: &Row) -> rusqlite::Result<CentralResult> {
    let decision_id: String = r.get(5)?;
    let star: Option<u8> = r.get(10)?;
    let eliminated: bool = r.get(11)?;
    Ok(CentralResult {
        id: r.get(0)?,
        product_id: r.get(1)?,
        product: r.get(2)?,
        owner: r.get(3)?,
        round_id: r.get(4)?,
        verdict: c::verdict(&decision_id, star, eliminated),
        decision_id,
        body: r.get(6)?,
        reference: r.get(7)?,
        scored_on: r.get(8)?,
        mean_total: r.get(9)?,
        star,
        eliminated,
        source: r.get(12)?,
        bundle_id: r.get(13)?,
        entry_id: r.get(14)?,
        created_at: r.get(15)?,
    })
}

/// When the central result of `product_id` scored on `scored_on` under `reference` was recorded
/// here, if it was: the same result is recorded once.
pub(crate) fn recorded_at(
    tx: &Tx,
    product_id: &str,
    scored_on: &str,
    reference: &str,
) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT created_at FROM central_result WHERE product_id = ?1 AND scored_on = ?2 AND reference = ?3",
            params![product_id, scored_on, reference],
            |r| r.get(0),
        )
        .optional()?)
}

/// Inserts a checked central result in `tx` (the keyed path and the bundle import share it).
/// The same result again (product, date and reference) is refused: it is already here.
pub(crate) fn insert_central_result_tx(
    tx: &Tx,
    input: &CentralResultInput,
    decision_id: &str,
    source: &str,
    bundle_id: Option<&str>,
    actor: &str,
) -> Result<String> {
    if let Some(at) = recorded_at(
        tx,
        &input.product_id,
        input.scored_on.trim(),
        input.reference.trim(),
    )? {
        return Err(msg::DUPLICATE.with("date", crate::text::dmy(&at[..10.min(at.len())])));
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO central_result (id, product_id, round_id, decision_id, body, reference, scored_on, mean_total,
            star, eliminated, source, bundle_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id,
            input.product_id,
            input.round_id,
            decision_id,
            input.body.trim(),
            input.reference.trim(),
            input.scored_on.trim(),
            input.mean_total,
            input.star,
            input.eliminated,
            source,
            bundle_id,
            now(),
            actor,
        ],
    )?;
    tx.audit(
        "central.record",
        "central_result",
        &id,
        None,
        Some(json!({
            "product_id": input.product_id, "round_id": input.round_id, "decision_id": decision_id,
            "reference": input.reference.trim(), "scored_on": input.scored_on.trim(),
            "mean_total": input.mean_total, "star": input.star, "eliminated": input.eliminated,
            "source": source, "bundle_id": bundle_id,
        })),
    )?;
    Ok(id)
}

impl Store {
    /// Checks a central result against the rules and this office's records: the product exists,
    /// and when the forwarding round is named, that round sent it to the centre.
    pub(crate) fn check_central_result(&self, input: &CentralResultInput) -> Result<String> {
        c::check(input)?;
        let product = self.product(&input.product_id)?;
        if let Some(round_id) = input.round_id.as_deref().filter(|r| !r.is_empty()) {
            let results = self.round_results(round_id)?;
            let forwarded = results
                .products
                .iter()
                .any(|l| l.product_id == product.id && l.result.forward == Some(Level::Centre));
            if !forwarded {
                return Err(msg::NOT_FORWARDED.with("product", &product.name));
            }
        }
        Ok(if input.decision_id.trim().is_empty() {
            product.decision_id
        } else {
            let id = input.decision_id.trim();
            crate::criteria::Catalog::builtin()
                .decision(id)
                .map(|d| d.decision.id.clone())
                .ok_or_else(|| CoreError::NotFound {
                    kind: Entity::Decision,
                    id: id.into(),
                })?
        })
    }

    /// Records a central result keyed from the centre's letter or minutes.
    pub fn record_central_result(
        &mut self,
        actor: &str,
        input: &CentralResultInput,
    ) -> Result<CentralResult> {
        let decision_id = self.check_central_result(input)?;
        let id = self.write(actor, |tx| {
            insert_central_result_tx(tx, input, &decision_id, "keyed", None, actor)
        })?;
        self.central_result(&id)
    }

    pub fn central_result(&self, id: &str) -> Result<CentralResult> {
        self.conn
            .query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::CentralResult,
                id: id.into(),
            })
    }

    /// Central results, newest scoring first; those of one product when `product_id` is given.
    pub fn central_results(&self, product_id: Option<&str>) -> Result<Vec<CentralResult>> {
        let sql = format!(
            "{SELECT} WHERE (?1 IS NULL OR c.product_id = ?1) ORDER BY c.scored_on DESC, p.name"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([product_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The provincial chair's recognition on a central result under 90 (QĐ 26/2026): a decision
    /// numbered from the office's sequence and a certificate of the central star, its QR payload
    /// signed with the office's key, entered in the registry (superseding the product's entry).
    pub fn recognise_on_central_result(
        &mut self,
        actor: &str,
        central_id: &str,
        date: &str,
        passphrase: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Result<RegistryEntry> {
        let cr = self.central_result(central_id)?;
        if cr.entry_id.is_some() {
            return Err(msg::ALREADY_RECOGNISED.err());
        }
        if cr.verdict != CentralVerdict::ProvinceMayRecognise {
            return Err(msg::NOT_PROVINCE.err());
        }
        let star = cr.star.ok_or_else(|| msg::NOT_PROVINCE.err())?;
        let product = self.product(&cr.product_id)?;
        let SignedDecision {
            office,
            number,
            cert_no,
            day,
            until,
            payload,
            key,
        } = self.sign_single_decision(
            date,
            passphrase,
            &product.name,
            &product.owner_name,
            &product.code,
            star,
        )?;
        let entry_id = self.write(actor, |tx| {
            let entry_id = record_certificate(
                tx,
                &cr.product_id,
                None,
                &cert_no,
                star,
                Some(cr.mean_total),
                &number,
                &day.to_string(),
                "province",
                &office.people_committee,
                &until.to_string(),
                Some(&payload),
                None,
            )?;
            link_entry(tx, central_id, &entry_id)?;
            crate::store::office::advance_decision_no(tx, &office)?;
            tx.audit(
                "central.recognise",
                "central_result",
                central_id,
                None,
                Some(
                    json!({ "entry_id": entry_id, "star": star, "decision_no": number,
                    "decision_date": day.to_string(), "certificate_no": cert_no, "key": key }),
                ),
            )?;
            Ok(entry_id)
        })?;
        self.registry_entry(&entry_id, today)
    }

    /// Records the Ministry's 5★ decision on a central result in the registry (the Ministry signs
    /// its own certificate; this office keeps the entry, without a payload of its own).
    pub fn record_centre_decision(
        &mut self,
        actor: &str,
        central_id: &str,
        decision_no: &str,
        date: &str,
        certificate_no: &str,
        today: chrono::NaiveDate,
    ) -> Result<RegistryEntry> {
        let cr = self.central_result(central_id)?;
        if cr.entry_id.is_some() {
            return Err(msg::ALREADY_RECOGNISED.err());
        }
        if cr.verdict != CentralVerdict::CentreRecognises {
            return Err(msg::NOT_CENTRE.err());
        }
        let decision_no = decision_no.trim();
        if decision_no.is_empty() {
            return Err(msg::DECISION_NO_MISSING.err());
        }
        let day = parse_day(date)?;
        let until = crate::registry::valid_until(day)
            .ok_or_else(|| crate::office::msg::DATE_OUT_OF_RANGE.err())?;
        let body = if cr.body.is_empty() {
            "Bộ Nông nghiệp và Môi trường".to_string()
        } else {
            cr.body.clone()
        };
        let entry_id = self.write(actor, |tx| {
            let entry_id = record_certificate(
                tx,
                &cr.product_id,
                None,
                certificate_no.trim(),
                5,
                Some(cr.mean_total),
                decision_no,
                &day.to_string(),
                "centre",
                &body,
                &until.to_string(),
                None,
                None,
            )?;
            link_entry(tx, central_id, &entry_id)?;
            tx.audit(
                "central.record_decision",
                "central_result",
                central_id,
                None,
                Some(json!({ "entry_id": entry_id, "decision_no": decision_no,
                    "decision_date": day.to_string(), "certificate_no": certificate_no.trim() })),
            )?;
            Ok(entry_id)
        })?;
        self.registry_entry(&entry_id, today)
    }
}

fn link_entry(tx: &Tx, central_id: &str, entry_id: &str) -> Result<()> {
    // Only a result without an entry is linked: a second recognition racing the first fails here.
    let n = tx.execute(
        "UPDATE central_result SET entry_id = ?2 WHERE id = ?1 AND entry_id IS NULL",
        params![central_id, entry_id],
    )?;
    if n != 1 {
        return Err(msg::ALREADY_RECOGNISED.err());
    }
    Ok(())
}
