//! The office in the database: its settings, its signing keys (created once, sealed under the
//! office's passphrase, rotated with the old public keys kept), the keys of other offices it
//! trusts, and the recognition decisions with their certificates.
//!
//! What is stored has storage types of its own ([`StoredOffice`], [`StoredSigner`],
//! [`CertificateRow`], [`SealedKey`]), each with a `format`; fields added later are defaulted, so
//! rows written by an earlier release still read. They are separate from the types the UI sees.

use chrono::{Months, NaiveDate};
use ed25519_dalek::SigningKey;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{audit, new_id, now, Store, Tx};
use crate::error::{CoreError, Entity, Lang, Result};
use crate::model::RoundStatus;
use crate::office::payload::{key_id, parse_public_key, sign_claim, sign_qr, verify_payload};
use crate::office::sealing::{self, SealedKey};
use crate::office::{
    msg, Certificate, CertificateClaim, OfficeKey, OfficeSettings, Recognition, SignerSettings,
    TrustedKey, Verification, VALIDITY_MONTHS,
};

/// The storage format of the rows this build writes.
pub const FORMAT: u32 = 1;

fn format_v1() -> u32 {
    FORMAT
}

/// Refuses a row written in a format newer than this build reads.
fn check_format(format: u32, kind: Entity) -> Result<()> {
    if format > FORMAT {
        return Err(CoreError::unreadable(
            kind,
            format!("format {format} (this version reads up to {FORMAT})"),
        ));
    }
    Ok(())
}

/// A signature block as stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredSigner {
    pub sign_for: String,
    pub title: String,
    pub name: String,
}

impl From<&SignerSettings> for StoredSigner {
    fn from(s: &SignerSettings) -> StoredSigner {
        StoredSigner {
            sign_for: s.sign_for.clone(),
            title: s.title.clone(),
            name: s.name.clone(),
        }
    }
}

impl From<StoredSigner> for SignerSettings {
    fn from(s: StoredSigner) -> SignerSettings {
        SignerSettings {
            sign_for: s.sign_for,
            title: s.title,
            name: s.name,
        }
    }
}

/// The signer of a recognition decision as stored (`recognition.signer`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDecisionSigner {
    #[serde(default = "format_v1")]
    pub format: u32,
    #[serde(flatten)]
    pub signer: StoredSigner,
}

/// The office settings as stored (`setting` 'office').
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredOffice {
    pub format: u32,
    pub province: String,
    pub place: String,
    pub people_committee: String,
    pub authority: String,
    pub council_parent: String,
    pub council_name: String,
    pub standing_body: String,
    pub decision_symbol: String,
    pub next_decision_no: u32,
    pub decision_signer: StoredSigner,
}

impl Default for StoredOffice {
    fn default() -> StoredOffice {
        StoredOffice {
            format: FORMAT,
            province: String::new(),
            place: String::new(),
            people_committee: String::new(),
            authority: String::new(),
            council_parent: String::new(),
            council_name: String::new(),
            standing_body: String::new(),
            decision_symbol: String::new(),
            next_decision_no: 1,
            decision_signer: StoredSigner::default(),
        }
    }
}

impl From<&OfficeSettings> for StoredOffice {
    fn from(o: &OfficeSettings) -> StoredOffice {
        StoredOffice {
            format: FORMAT,
            province: o.province.clone(),
            place: o.place.clone(),
            people_committee: o.people_committee.clone(),
            authority: o.authority.clone(),
            council_parent: o.council_parent.clone(),
            council_name: o.council_name.clone(),
            standing_body: o.standing_body.clone(),
            decision_symbol: o.decision_symbol.clone(),
            next_decision_no: o.next_decision_no,
            decision_signer: StoredSigner::from(&o.decision_signer),
        }
    }
}

impl StoredOffice {
    /// Reads the stored JSON; an unreadable row is an error, never replaced by defaults.
    pub fn parse(json: &str) -> Result<StoredOffice> {
        let s: StoredOffice =
            serde_json::from_str(json).map_err(|e| CoreError::unreadable(Entity::Setting, e))?;
        check_format(s.format, Entity::Setting)?;
        Ok(s)
    }

    pub fn into_settings(self) -> OfficeSettings {
        OfficeSettings {
            province: self.province,
            place: self.place,
            people_committee: self.people_committee,
            authority: self.authority,
            council_parent: self.council_parent,
            council_name: self.council_name,
            standing_body: self.standing_body,
            decision_symbol: self.decision_symbol,
            next_decision_no: self.next_decision_no,
            decision_signer: self.decision_signer.into(),
        }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).expect("office serialises")
    }
}

/// An issued certificate as stored (a row of `certificate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateRow {
    #[serde(default = "format_v1")]
    pub format: u32,
    pub id: String,
    pub recognition_id: String,
    pub product_id: String,
    pub number: String,
    pub star: u8,
    pub score: f64,
    pub issued_on: String,
    pub valid_until: String,
    /// The signed QR payload (`OCOP1.…`), printed as it is.
    pub payload: String,
    #[serde(default)]
    pub revoked_on: Option<String>,
    #[serde(default)]
    pub revoked_reason: Option<String>,
    pub created_at: String,
    /// The compact QR text (`OCOP2.…`) printed instead of `payload`; `None` before schema 11.
    #[serde(default)]
    pub qr: Option<String>,
}

const CERTIFICATE_COLUMNS: &str = "c.format, c.id, c.recognition_id, c.product_id, c.number, \
     c.star, c.score, c.issued_on, c.valid_until, c.payload, c.revoked_on, c.revoked_reason, \
     c.created_at, c.qr";
/// How many columns [`CERTIFICATE_COLUMNS`] reads.
const CERTIFICATE_COLUMN_COUNT: usize = 14;

impl CertificateRow {
    fn read(r: &Row, at: usize) -> rusqlite::Result<CertificateRow> {
        Ok(CertificateRow {
            format: r.get(at)?,
            id: r.get(at + 1)?,
            recognition_id: r.get(at + 2)?,
            product_id: r.get(at + 3)?,
            number: r.get(at + 4)?,
            star: r.get(at + 5)?,
            score: r.get(at + 6)?,
            issued_on: r.get(at + 7)?,
            valid_until: r.get(at + 8)?,
            payload: r.get(at + 9)?,
            revoked_on: r.get(at + 10)?,
            revoked_reason: r.get(at + 11)?,
            created_at: r.get(at + 12)?,
            qr: r.get(at + 13)?,
        })
    }

    pub fn into_certificate(self, product_name: String, owner_name: String) -> Result<Certificate> {
        check_format(self.format, Entity::Certificate)?;
        Ok(Certificate {
            id: self.id,
            number: self.number,
            product_id: self.product_id,
            product_name,
            owner_name,
            star: self.star,
            score: self.score,
            issued_on: self.issued_on,
            valid_until: self.valid_until,
            qr: self.qr.unwrap_or_else(|| self.payload.clone()),
            payload: self.payload,
            revoked_on: self.revoked_on,
        })
    }
}

/// The certificate number in a verifier's input, when it is one rather than a code: a single short
/// line with a digit that does not start like a payload.
fn typed_number(text: &str) -> Option<String> {
    let t = text.trim();
    let looks = !t.to_ascii_uppercase().starts_with("OCOP")
        && t.chars().count() <= 64
        && t.chars().any(|c| c.is_ascii_digit())
        && !t.contains(['\n', '\r']);
    looks.then(|| crate::text::nfc(t))
}

/// Takes the office's next decision number: the one after `office`'s.
pub(crate) fn advance_decision_no(tx: &Connection, office: &OfficeSettings) -> Result<()> {
    let next = StoredOffice {
        next_decision_no: office.next_decision_no + 1,
        ..StoredOffice::from(office)
    };
    tx.execute(
        "INSERT INTO setting (key, value) VALUES ('office', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
        [next.to_json()],
    )?;
    Ok(())
}

/// A row of `office_key`.
#[derive(Debug, Clone)]
pub(crate) struct KeyRow {
    id: String,
    pub(crate) fingerprint: String,
    pub(crate) public_key: String,
    sealed: Option<String>,
    legacy_seed: Option<String>,
    created_at: String,
    created_by: String,
    retired_at: Option<String>,
    retired_by: Option<String>,
}

const KEY_COLUMNS: &str = "id, fingerprint, public_key, sealed, legacy_seed, created_at, \
     created_by, retired_at, retired_by";

impl KeyRow {
    fn read(r: &Row) -> rusqlite::Result<KeyRow> {
        Ok(KeyRow {
            id: r.get(0)?,
            fingerprint: r.get(1)?,
            public_key: r.get(2)?,
            sealed: r.get(3)?,
            legacy_seed: r.get(4)?,
            created_at: r.get(5)?,
            created_by: r.get(6)?,
            retired_at: r.get(7)?,
            retired_by: r.get(8)?,
        })
    }

    fn sealed(&self) -> Result<SealedKey> {
        let text = self
            .sealed
            .as_deref()
            .ok_or_else(|| msg::KEY_CORRUPT.err())?;
        let s: SealedKey = serde_json::from_str(text).map_err(|_| msg::KEY_CORRUPT.err())?;
        Ok(s)
    }

    fn to_office_key(&self, name: &str) -> OfficeKey {
        OfficeKey {
            id: self.fingerprint.clone(),
            name: name.to_string(),
            public_key: self.public_key.clone(),
            fingerprint: self.fingerprint.clone(),
            protected: self.sealed.is_some() || self.retired_at.is_some(),
            created_at: self.created_at.clone(),
            created_by: self.created_by.clone(),
            retired_at: self.retired_at.clone(),
            retired_by: self.retired_by.clone(),
        }
    }
}

fn active_key(conn: &Connection) -> Result<Option<KeyRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {KEY_COLUMNS} FROM office_key WHERE retired_at IS NULL"),
            [],
            KeyRow::read,
        )
        .optional()?)
}

fn seed_from_hex(hex_seed: &str) -> Result<[u8; 32]> {
    hex::decode(hex_seed.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| msg::KEY_CORRUPT.err())
}

fn new_seed() -> Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(CoreError::internal)?;
    Ok(seed)
}

fn insert_key(
    tx: &Tx,
    key: &SigningKey,
    sealed: &SealedKey,
    at: &str,
) -> Result<Option<(String, String)>> {
    let vk = key.verifying_key();
    let fingerprint = key_id(&vk);
    let id = new_id();
    let sealed_json = serde_json::to_string(sealed).expect("sealed key serialises");
    // Never a second active key: the insert does nothing when one exists (and the unique index
    // refuses it if it did not).
    let added = tx.execute(
        "INSERT INTO office_key (id, fingerprint, public_key, sealed, created_at, created_by)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE NOT EXISTS (SELECT 1 FROM office_key WHERE retired_at IS NULL)",
        params![
            id,
            fingerprint,
            hex::encode(vk.as_bytes()),
            sealed_json,
            at,
            tx.actor()
        ],
    )?;
    Ok((added == 1).then_some((id, fingerprint)))
}

/// The name verifiers show for this office's keys.
fn own_name(office: &OfficeSettings) -> String {
    if office.people_committee.trim().is_empty() {
        "Cơ quan này".to_string()
    } else {
        office.people_committee.clone()
    }
}

/// Migration 0004, after its SQL: moves the clear key and the trusted keys out of `setting`, in
/// the migration's transaction, each move audited. A malformed trusted key stops the migration
/// (nothing is changed) rather than being dropped.
pub(super) fn migrate_0004(tx: &Connection) -> Result<()> {
    const ACTOR: &str = "migration 0004";
    let setting = |key: &str| -> Result<Option<String>> {
        Ok(tx
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    };
    let at = now();
    if let Some(hex_seed) = setting("signing_key")? {
        let seed = seed_from_hex(&hex_seed)?;
        let vk = SigningKey::from_bytes(&seed).verifying_key();
        let id = new_id();
        let fingerprint = key_id(&vk);
        tx.execute(
            "INSERT INTO office_key (id, fingerprint, public_key, legacy_seed, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, fingerprint, hex::encode(vk.as_bytes()), hex::encode(seed), at, ACTOR],
        )?;
        tx.execute("DELETE FROM setting WHERE key = 'signing_key'", [])?;
        let after = json!({ "fingerprint": fingerprint, "protected": false });
        audit::append(
            tx,
            ACTOR,
            "key.migrate",
            "office_key",
            &id,
            None,
            Some(&after),
        )?;
    }
    if let Some(list) = setting("trusted_keys")? {
        #[derive(Deserialize)]
        struct Legacy {
            id: String,
            name: String,
            public_key: String,
        }
        let malformed = |entry: usize, detail: &dyn std::fmt::Display| {
            msg::TRUSTED_MALFORMED
                .with("entry", entry)
                .with("detail", detail)
        };
        let entries: Vec<serde_json::Value> =
            serde_json::from_str(&list).map_err(|e| malformed(0, &e))?;
        for (i, v) in entries.into_iter().enumerate() {
            let n = i + 1;
            let k: Legacy = serde_json::from_value(v).map_err(|e| malformed(n, &e))?;
            let vk = parse_public_key(&k.public_key).map_err(|e| malformed(n, &e))?;
            let fingerprint = key_id(&vk);
            if fingerprint != k.id {
                return Err(malformed(
                    n,
                    &format!("id {} is not the key's fingerprint {fingerprint}", k.id),
                ));
            }
            if k.name.trim().is_empty() {
                return Err(malformed(n, &"no name"));
            }
            // When and by whom: the audit entry of the first release's `key.trust`.
            let (added_at, added_by): (String, String) = tx
                .query_row(
                    "SELECT at, actor FROM audit_log WHERE action = 'key.trust' AND entity_id = ?1
                     ORDER BY seq DESC LIMIT 1",
                    [&fingerprint],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .unwrap_or_else(|| (at.clone(), ACTOR.to_string()));
            let id = new_id();
            let added = tx.execute(
                "INSERT INTO trusted_key (id, fingerprint, name, public_key, added_at, added_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(fingerprint) DO NOTHING",
                params![
                    id,
                    fingerprint,
                    k.name,
                    hex::encode(vk.as_bytes()),
                    added_at,
                    added_by
                ],
            )?;
            if added == 0 {
                return Err(malformed(n, &format!("key {fingerprint} is listed twice")));
            }
            let after = json!({ "fingerprint": fingerprint, "name": k.name });
            audit::append(
                tx,
                ACTOR,
                "key.migrate",
                "trusted_key",
                &id,
                None,
                Some(&after),
            )?;
        }
        tx.execute("DELETE FROM setting WHERE key = 'trusted_keys'", [])?;
    }
    Ok(())
}

impl Store {
    fn stored_office(&self) -> Result<Option<StoredOffice>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT value FROM setting WHERE key = 'office'", [], |r| {
                r.get(0)
            })
            .optional()?;
        json.map(|j| StoredOffice::parse(&j)).transpose()
    }

    /// Who issues the papers; the defaults until the office saves them.
    pub fn office(&self) -> Result<OfficeSettings> {
        Ok(self
            .stored_office()?
            .unwrap_or_else(|| StoredOffice {
                decision_symbol: "QĐ-UBND".into(),
                ..Default::default()
            })
            .into_settings())
    }

    pub fn save_office(&mut self, actor: &str, o: &OfficeSettings) -> Result<OfficeSettings> {
        let before = self.stored_office()?;
        let stored = StoredOffice::from(o);
        let body = stored.to_json();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('office', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
                [&body],
            )?;
            tx.audit(
                "office.update",
                "setting",
                "office",
                before.map(|b| serde_json::to_value(b).expect("office serialises")),
                Some(serde_json::to_value(&stored).expect("office serialises")),
            )
        })?;
        self.office()
    }

    fn key_rows(&self) -> Result<Vec<KeyRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {KEY_COLUMNS} FROM office_key ORDER BY retired_at IS NOT NULL, created_at DESC, id DESC"
        ))?;
        let rows = stmt
            .query_map([], KeyRow::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// This office's current signing key (its public part), or `None` before it is set up.
    /// Reading never creates a key.
    pub fn own_key(&self) -> Result<Option<OfficeKey>> {
        let name = own_name(&self.office()?);
        Ok(active_key(&self.conn)?.map(|k| k.to_office_key(&name)))
    }

    /// All of this office's keys: the current one first, then the retired ones, newest first.
    pub fn office_keys(&self) -> Result<Vec<OfficeKey>> {
        let name = own_name(&self.office()?);
        Ok(self
            .key_rows()?
            .iter()
            .map(|k| k.to_office_key(&name))
            .collect())
    }

    /// Sets up the office's signing key under the passphrase it chooses: creates it when there is
    /// none, or seals a key from before passphrases. An office that has a protected key keeps it
    /// (`office.key_exists`): a second creator never replaces it.
    pub fn set_up_key(&mut self, actor: &str, passphrase: &str) -> Result<OfficeKey> {
        sealing::check_new_passphrase(passphrase)?;
        self.set_up_key_unchecked(actor, passphrase)
    }

    /// [`Store::set_up_key`] without the length rule (the demo office's passphrase is `1234`).
    pub(crate) fn set_up_key_unchecked(
        &mut self,
        actor: &str,
        passphrase: &str,
    ) -> Result<OfficeKey> {
        match active_key(&self.conn)? {
            Some(k) if k.legacy_seed.is_some() => self.protect_legacy_key(actor, &k, passphrase),
            Some(k) => Err(msg::KEY_EXISTS.with("fingerprint", k.fingerprint)),
            None => {
                // The slow part (argon2id) runs before the write lock is taken.
                let key = SigningKey::from_bytes(&new_seed()?);
                let fingerprint = key_id(&key.verifying_key());
                let sealed = sealing::seal(&key.to_bytes(), passphrase, &fingerprint)?;
                let t = now();
                self.write(actor, |tx| match insert_key(tx, &key, &sealed, &t)? {
                    Some((id, fingerprint)) => tx.audit(
                        "key.create",
                        "office_key",
                        &id,
                        None,
                        Some(json!({ "fingerprint": fingerprint, "protected": true })),
                    ),
                    None => {
                        // Another creator was first: its key stays.
                        let theirs = active_key(tx)?.map(|k| k.fingerprint).unwrap_or_default();
                        Err(msg::KEY_EXISTS.with("fingerprint", theirs))
                    }
                })?;
                self.own_key()?.ok_or_else(|| msg::NO_KEY.err())
            }
        }
    }

    fn protect_legacy_key(
        &mut self,
        actor: &str,
        k: &KeyRow,
        passphrase: &str,
    ) -> Result<OfficeKey> {
        let legacy = k.legacy_seed.clone().expect("a legacy key");
        let seed = seed_from_hex(&legacy)?;
        if key_id(&SigningKey::from_bytes(&seed).verifying_key()) != k.fingerprint {
            return Err(msg::KEY_CORRUPT.err());
        }
        let sealed = serde_json::to_string(&sealing::seal(&seed, passphrase, &k.fingerprint)?)
            .expect("sealed key serialises");
        self.write(actor, |tx| {
            let changed = tx.execute(
                "UPDATE office_key SET sealed = ?1, legacy_seed = NULL
                 WHERE id = ?2 AND legacy_seed = ?3 AND retired_at IS NULL",
                params![sealed, k.id, legacy],
            )?;
            if changed != 1 {
                return Err(msg::KEY_CHANGED.err());
            }
            tx.audit(
                "key.protect",
                "office_key",
                &k.id,
                Some(json!({ "fingerprint": k.fingerprint, "protected": false })),
                Some(json!({ "fingerprint": k.fingerprint, "protected": true })),
            )
        })?;
        self.own_key()?.ok_or_else(|| msg::NO_KEY.err())
    }

    /// The current signing key, opened with the office's passphrase.
    pub(crate) fn signing_key(&self, passphrase: Option<&str>) -> Result<(KeyRow, SigningKey)> {
        let k = active_key(&self.conn)?.ok_or_else(|| msg::NO_KEY.err())?;
        if k.legacy_seed.is_some() {
            return Err(msg::KEY_UNPROTECTED.err());
        }
        let passphrase = passphrase
            .filter(|p| !p.is_empty())
            .ok_or_else(|| msg::PASSPHRASE_REQUIRED.err())?;
        let seed = sealing::open(&k.sealed()?, passphrase, &k.fingerprint)?;
        let key = SigningKey::from_bytes(&seed);
        if key_id(&key.verifying_key()) != k.fingerprint {
            return Err(msg::KEY_CORRUPT.err());
        }
        Ok((k, key))
    }

    /// Re-seals the current key under a new passphrase (the current one proves who asks).
    pub fn change_passphrase(
        &mut self,
        actor: &str,
        current: &str,
        new: &str,
    ) -> Result<OfficeKey> {
        sealing::check_new_passphrase(new)?;
        let (k, key) = self.signing_key(Some(current))?;
        let sealed = serde_json::to_string(&sealing::seal(&key.to_bytes(), new, &k.fingerprint)?)
            .expect("sealed key serialises");
        self.write(actor, |tx| {
            let changed = tx.execute(
                "UPDATE office_key SET sealed = ?1 WHERE id = ?2 AND sealed = ?3 AND retired_at IS NULL",
                params![sealed, k.id, k.sealed],
            )?;
            if changed != 1 {
                return Err(msg::KEY_CHANGED.err());
            }
            tx.audit(
                "key.passphrase",
                "office_key",
                &k.id,
                None,
                Some(json!({ "fingerprint": k.fingerprint })),
            )
        })?;
        self.own_key()?.ok_or_else(|| msg::NO_KEY.err())
    }

    /// Replaces the current key with a new one under the same passphrase. The old key is retired:
    /// it signs no more (its private part is erased), its public part stays, so the certificates
    /// it signed still verify.
    pub fn rotate_key(&mut self, actor: &str, passphrase: &str) -> Result<OfficeKey> {
        let (old, _) = self.signing_key(Some(passphrase))?;
        let key = SigningKey::from_bytes(&new_seed()?);
        let fingerprint = key_id(&key.verifying_key());
        let sealed = sealing::seal(&key.to_bytes(), passphrase, &fingerprint)?;
        let t = now();
        self.write(actor, |tx| {
            let retired = tx.execute(
                "UPDATE office_key SET retired_at = ?1, retired_by = ?2, sealed = NULL
                 WHERE id = ?3 AND sealed = ?4 AND retired_at IS NULL",
                params![t, tx.actor(), old.id, old.sealed],
            )?;
            if retired != 1 {
                return Err(msg::KEY_CHANGED.err());
            }
            tx.audit(
                "key.retire",
                "office_key",
                &old.id,
                None,
                Some(json!({ "fingerprint": old.fingerprint, "retired_at": t })),
            )?;
            let (id, fingerprint) =
                insert_key(tx, &key, &sealed, &t)?.ok_or_else(|| msg::KEY_CHANGED.err())?;
            tx.audit(
                "key.rotate",
                "office_key",
                &id,
                Some(json!({ "fingerprint": old.fingerprint })),
                Some(json!({ "fingerprint": fingerprint, "protected": true })),
            )
        })?;
        self.own_key()?.ok_or_else(|| msg::NO_KEY.err())
    }

    /// Keys trusted for verification: this office's own (current and retired) and other offices'.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>> {
        let name = own_name(&self.office()?);
        let mut keys: Vec<TrustedKey> = self
            .key_rows()?
            .into_iter()
            .map(|k| TrustedKey {
                id: k.fingerprint.clone(),
                name: name.clone(),
                public_key: k.public_key,
                fingerprint: k.fingerprint,
                own: true,
                added_at: k.created_at,
                added_by: k.created_by,
                retired_at: k.retired_at,
            })
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT fingerprint, name, public_key, added_at, added_by FROM trusted_key
             ORDER BY added_at, id",
        )?;
        let others = stmt.query_map([], |r| {
            Ok(TrustedKey::other(
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        for k in others {
            keys.push(k?);
        }
        Ok(keys)
    }

    /// Trusts another office's public key (64 hex digits), under the name verifiers will show.
    pub fn trust_key(
        &mut self,
        actor: &str,
        name: &str,
        public_key_hex: &str,
    ) -> Result<TrustedKey> {
        let name = crate::text::nfc(name.trim());
        if name.is_empty() {
            return Err(msg::KEY_NAME_MISSING.err());
        }
        let vk = parse_public_key(public_key_hex)?;
        let fingerprint = key_id(&vk);
        let own: bool = self
            .conn
            .query_row(
                "SELECT 1 FROM office_key WHERE fingerprint = ?1",
                [&fingerprint],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if own {
            return Err(msg::KEY_IS_OWN.with("fingerprint", fingerprint));
        }
        let key = TrustedKey::other(
            fingerprint,
            name,
            hex::encode(vk.as_bytes()),
            now(),
            actor.to_string(),
        );
        self.write(actor, |tx| {
            let id = new_id();
            let added = tx.execute(
                "INSERT INTO trusted_key (id, fingerprint, name, public_key, added_at, added_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(fingerprint) DO NOTHING",
                params![
                    id,
                    key.fingerprint,
                    key.name,
                    key.public_key,
                    key.added_at,
                    key.added_by
                ],
            )?;
            if added == 0 {
                let theirs: String = tx.query_row(
                    "SELECT name FROM trusted_key WHERE fingerprint = ?1",
                    [&key.fingerprint],
                    |r| r.get(0),
                )?;
                return Err(msg::KEY_ALREADY_TRUSTED
                    .with("fingerprint", &key.fingerprint)
                    .with("name", theirs));
            }
            tx.audit(
                "key.trust",
                "trusted_key",
                &id,
                None,
                Some(json!({ "fingerprint": key.fingerprint, "name": key.name, "public_key": key.public_key })),
            )
        })?;
        Ok(key)
    }

    /// Verifies a scanned or pasted certificate payload, offline, worded in `lang`. A certificate
    /// number typed in (the one printed beside the code) is looked up in this office's records and
    /// the signed code kept under it is verified instead (`from_records`).
    pub fn verify_certificate(&self, text: &str, lang: Lang) -> Result<Verification> {
        if let Some(number) = typed_number(text) {
            return self.verify_number(&number, lang);
        }
        let mut v = verify_payload(
            text,
            &self.trusted_keys()?,
            chrono::Local::now().date_naive(),
            lang,
        );
        if !v.valid {
            return Ok(v);
        }
        let Some(claim) = v.claim.clone() else {
            return Ok(v);
        };
        if !claim.h.is_empty() {
            let (full, matches) = self.full_record(&claim)?;
            v.record_matches = matches;
            if let Some(full) = full {
                v.claim = Some(full);
            }
        }
        match self.revocation_of_claim(&claim, text)? {
            Some((on, decision, reason)) => Ok(Verification {
                revoked: true,
                record_matches: v.record_matches,
                ..Verification::new(
                    msg::VERIFY_REVOKED,
                    vec![
                        ("on", crate::text::dmy(&on)),
                        ("decision", decision),
                        ("reason", reason),
                    ],
                    lang,
                    false,
                    v.claim,
                    v.expired,
                    v.signed_by,
                )
            }),
            None => Ok(v),
        }
    }

    /// The full record (`OCOP1` claim) this office keeps for an `OCOP2` claim: issued here or
    /// received in a bundle, found by number and bound by the claim's hash. The second value says
    /// whether a record with that number is here at all and matches (see
    /// [`Verification::record_matches`]).
    fn full_record(
        &self,
        claim: &CertificateClaim,
    ) -> Result<(Option<CertificateClaim>, Option<bool>)> {
        let mut stmt = self.conn.prepare(
            "SELECT payload FROM certificate WHERE number = ?1
             UNION ALL SELECT payload FROM registry_entry WHERE number = ?1 AND payload IS NOT NULL",
        )?;
        let payloads = stmt
            .query_map([&claim.n], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if payloads.is_empty() {
            return Ok((None, None));
        }
        let full = payloads.iter().find_map(|p| {
            (crate::office::payload::record_hash_of(p).as_deref() == Some(claim.h.as_str()))
                .then(|| crate::office::payload::claim_of_payload(p))
                .flatten()
        });
        Ok(match full {
            Some(f) => (
                Some(CertificateClaim {
                    v: claim.v,
                    h: claim.h.clone(),
                    ..f
                }),
                Some(true),
            ),
            None => (None, Some(false)),
        })
    }

    /// The verdict on the signed code this office keeps under a typed certificate number.
    fn verify_number(&self, number: &str, lang: Lang) -> Result<Verification> {
        let kept: Option<String> = self
            .conn
            .query_row(
                "SELECT COALESCE(qr, payload) FROM certificate WHERE number = ?1 COLLATE NOCASE
                 UNION ALL SELECT payload FROM registry_entry
                   WHERE number = ?1 COLLATE NOCASE AND payload IS NOT NULL
                 LIMIT 1",
                [number],
                |r| r.get(0),
            )
            .optional()?;
        match kept {
            Some(code) => Ok(Verification {
                from_records: true,
                ..self.verify_certificate(&code, lang)?
            }),
            None => Ok(Verification::new(
                msg::VERIFY_NUMBER_UNKNOWN,
                vec![("number", number.to_string())],
                lang,
                false,
                None,
                false,
                None,
            )),
        }
    }

    /// Gives every certificate this office issued before the compact code existed (`qr` empty)
    /// its compact `OCOP2` code, so that a reprint reads from any scan: signed with the office's
    /// current key (opened with `passphrase`) and bound to the certificate's stored record, which
    /// is not changed. Certificates other offices issued are left alone. Returns how many got a
    /// code; audited, one entry a certificate, in one transaction.
    pub fn add_compact_codes(&mut self, actor: &str, passphrase: Option<&str>) -> Result<u32> {
        let ours = self.own_certificates_without_compact_code()?;
        if ours.is_empty() {
            return Ok(0);
        }
        let (key_row, key) = self.signing_key(passphrase)?;
        let signed: Vec<(String, String, String, String)> = ours
            .into_iter()
            .filter_map(|(id, number, payload)| {
                crate::office::payload::sign_qr_for_record(&key, &payload)
                    .map(|qr| (id, number, payload, qr))
            })
            .collect();
        let kid = key_row.fingerprint;
        self.write(actor, |tx| {
            if active_key(tx)?.map(|k| k.fingerprint).as_deref() != Some(kid.as_str()) {
                return Err(msg::KEY_CHANGED.err());
            }
            let mut added = 0;
            for (id, number, payload, qr) in &signed {
                let n = tx.execute(
                    "UPDATE certificate SET qr = ?1 WHERE id = ?2 AND qr IS NULL AND payload = ?3",
                    params![qr, id, payload],
                )?;
                if n == 1 {
                    added += 1;
                    tx.audit(
                        "certificate.compact_code",
                        "certificate",
                        id,
                        None,
                        Some(json!({ "number": number, "key": kid })),
                    )?;
                }
            }
            Ok(added)
        })
    }

    /// How many certificates this office issued before the compact code still lack one (Settings
    /// offers to add them).
    pub fn certificates_without_compact_code(&self) -> Result<u32> {
        Ok(self.own_certificates_without_compact_code()?.len() as u32)
    }

    /// Id, number and stored record of each certificate without a compact code that one of this
    /// office's keys (current or retired) signed.
    fn own_certificates_without_compact_code(&self) -> Result<Vec<(String, String, String)>> {
        let own: Vec<String> = self
            .office_keys()?
            .into_iter()
            .map(|k| k.fingerprint)
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT id, number, payload FROM certificate WHERE qr IS NULL ORDER BY number",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|(_, _, payload)| {
                crate::office::payload::claim_of_payload(payload)
                    .is_some_and(|c| own.contains(&c.k))
            })
            .collect())
    }

    /// The recognition decision of a finalised round, with its certificates; `None` before it is issued.
    pub fn recognition(&self, round_id: &str) -> Result<Option<Recognition>> {
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT id, number, date, signer FROM recognition WHERE round_id = ?1",
                [round_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((id, number, date, signer)) = row else {
            return Ok(None);
        };
        let signer: StoredDecisionSigner = serde_json::from_str(&signer)
            .map_err(|e| CoreError::unreadable(Entity::Recognition, e))?;
        check_format(signer.format, Entity::Recognition)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CERTIFICATE_COLUMNS}, p.name, o.name
             FROM certificate c JOIN product p ON p.id = c.product_id JOIN owner o ON o.id = p.owner_id
             WHERE c.recognition_id = ?1 ORDER BY c.number"
        ))?;
        let rows = stmt
            .query_map([&id], |r| {
                Ok((
                    CertificateRow::read(r, 0)?,
                    r.get::<_, String>(CERTIFICATE_COLUMN_COUNT)?,
                    r.get::<_, String>(CERTIFICATE_COLUMN_COUNT + 1)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let certificates = rows
            .into_iter()
            .map(|(c, product, owner)| c.into_certificate(product, owner))
            .collect::<Result<_>>()?;
        Ok(Some(Recognition {
            id,
            round_id: round_id.into(),
            number,
            date,
            signer: signer.signer.into(),
            certificates,
        }))
    }

    /// Issues the recognition decision of a finalised round: allocates the decision number from
    /// the office's sequence and a certificate (valid 36 months, its QR payload signed with the
    /// office's key, opened with `passphrase`) for each product this level may recognise. Issuing
    /// again returns the existing decision, and needs no passphrase.
    pub fn issue_recognition(
        &mut self,
        actor: &str,
        round_id: &str,
        date: &str,
        passphrase: Option<&str>,
    ) -> Result<Recognition> {
        if let Some(r) = self.recognition(round_id)? {
            return Ok(r);
        }
        let round = self.round(round_id)?;
        if round.status != RoundStatus::Finalised {
            return Err(msg::RECOGNITION_NOT_FINALISED.err());
        }
        let office = self.office()?;
        office.require_complete()?;
        let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| crate::error::msg::BAD_DATE.with("date", date))?;
        let until = day
            .checked_add_months(Months::new(VALIDITY_MONTHS))
            .ok_or_else(|| msg::DATE_OUT_OF_RANGE.err())?;
        let results = self.round_results(round_id)?;
        let (key_row, key) = self.signing_key(passphrase)?;
        let kid = key_row.fingerprint.clone();
        let number = format!("{}/{}", office.next_decision_no, office.decision_symbol);
        let id = new_id();
        let t = now();
        let signer = serde_json::to_string(&StoredDecisionSigner {
            format: FORMAT,
            signer: StoredSigner::from(&office.decision_signer),
        })
        .expect("signer serialises");
        let recognised: Vec<_> = results
            .products
            .iter()
            .filter(|p| p.result.recognisable_here)
            .collect();
        self.write(actor, |tx| {
            // The key opened above is still the office's current one.
            if active_key(tx)?.map(|k| k.fingerprint).as_deref() != Some(kid.as_str()) {
                return Err(msg::KEY_CHANGED.err());
            }
            tx.execute(
                "INSERT INTO recognition (id, round_id, number, date, signer, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, round_id, number, date, signer, t],
            )?;
            for (i, line) in recognised.iter().enumerate() {
                let star = line.result.star.expect("recognisable products have a star");
                let cert_no = format!("{}-{:02}", number, i + 1);
                let claim = CertificateClaim {
                    v: 1,
                    k: kid.clone(),
                    n: cert_no.clone(),
                    p: line.product_name.clone(),
                    o: line.owner_name.clone(),
                    s: star,
                    c: line.product_code.clone(),
                    d: number.clone(),
                    dd: date.into(),
                    i: date.into(),
                    u: until.format("%Y-%m-%d").to_string(),
                    b: office.people_committee.clone(),
                    ..CertificateClaim::default()
                };
                let cert_id = new_id();
                let payload = sign_claim(&key, &claim);
                let qr = sign_qr(&key, &claim);
                let score = line.result.mean_total.unwrap_or(0.0);
                tx.execute(
                    "INSERT INTO certificate (id, recognition_id, product_id, number, star, score, issued_on, valid_until, payload, created_at, format, qr)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        cert_id, id, line.product_id, cert_no, star, score, date, claim.u, payload,
                        t, FORMAT, qr
                    ],
                )?;
                // The registry's entry, superseding the product's entry in force (an upgrade or
                // a re-recognition decided at a meeting).
                crate::store::registry::record_certificate(
                    tx,
                    &line.product_id,
                    Some(&cert_id),
                    &cert_no,
                    star,
                    Some(score),
                    &number,
                    date,
                    round.level.as_str(),
                    &office.people_committee,
                    &claim.u,
                    Some(&payload),
                    None,
                )?;
            }
            let next = StoredOffice {
                next_decision_no: office.next_decision_no + 1,
                ..StoredOffice::from(&office)
            };
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('office', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
                [next.to_json()],
            )?;
            tx.audit(
                "recognition.issue",
                "round",
                round_id,
                None,
                Some(json!({ "recognition_id": id, "number": number, "date": date, "certificates": recognised.len(), "key": kid })),
            )
        })?;
        Ok(self.recognition(round_id)?.expect("just issued"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "chè xanh Bình Sơn";

    fn finalised_demo() -> (Store, String) {
        let mut s = Store::open_in_memory().unwrap();
        crate::demo::load(&mut s).unwrap();
        let done = s
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Finalised)
            .unwrap();
        (s, done.id)
    }

    fn count(s: &Store, sql: &str) -> i64 {
        s.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn recognition_issues_numbered_certificates_valid_36_months() {
        let (mut s, done) = finalised_demo();
        let open = s
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Scoring)
            .unwrap();
        let pass = Some(crate::demo::DEMO_PASSPHRASE);
        assert!(
            s.issue_recognition("t", &open.id, "2026-12-01", pass)
                .is_err(),
            "only finalised rounds"
        );
        let before = s.office().unwrap().next_decision_no;
        let r = s.issue_recognition("t", &done, "2026-07-10", pass).unwrap();
        assert_eq!(r.number, format!("{before}/QĐ-UBND"));
        // The demo's round: 4★, 4★, 3★ recognised here; the 5★ candidate goes to the centre; one fails.
        let stars: Vec<u8> = r.certificates.iter().map(|c| c.star).collect();
        assert_eq!(stars.len(), 3, "{stars:?}");
        assert!(stars.iter().all(|s| (3..=4).contains(s)));
        assert!(r.certificates.iter().all(|c| c.valid_until == "2029-07-10"));
        assert_eq!(s.office().unwrap().next_decision_no, before + 1);
        let again = s.issue_recognition("t", &done, "2026-08-01", None).unwrap();
        assert_eq!(
            again.number, r.number,
            "issuing twice returns the same decision, without the passphrase"
        );
        let v = s
            .verify_certificate(&r.certificates[0].payload, Lang::Vi)
            .unwrap();
        assert!(v.valid, "{}", v.message);
        assert_eq!(v.code, "verify.valid");
    }

    /// A copy of the database file cannot sign: without the passphrase, or with a wrong one,
    /// issuing fails with its code and writes nothing.
    #[test]
    fn a_copied_database_cannot_sign_without_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ocop.sqlite");
        {
            let mut s = Store::open(&path).unwrap();
            crate::demo::load(&mut s).unwrap();
        }
        let copy = dir.path().join("copy.sqlite");
        // A copy as someone would take it: the file after a checkpoint.
        {
            let s = Store::open(&path).unwrap();
            s.conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
                .unwrap();
        }
        std::fs::copy(&path, &copy).unwrap();
        let mut s = Store::open(&copy).unwrap();
        // The file holds the private key only sealed: neither its bytes nor their hex.
        let seed = s.signing_key(Some("1234")).unwrap().1.to_bytes();
        let file = std::fs::read(&copy).unwrap();
        assert!(!file.windows(32).any(|w| w == seed));
        let hex_seed = hex::encode(seed);
        assert!(!file.windows(64).any(|w| w == hex_seed.as_bytes()));
        let sealed: String = s
            .conn
            .query_row(
                "SELECT sealed FROM office_key WHERE retired_at IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sealed.contains("argon2id") && sealed.contains("xchacha20poly1305"));
        let done = s
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Finalised)
            .unwrap()
            .id;
        let audit_before = count(&s, "SELECT COUNT(*) FROM audit_log");
        let next_before = s.office().unwrap().next_decision_no;
        for (pass, code) in [
            (None, "office.passphrase_required"),
            (Some(""), "office.passphrase_required"),
            (Some("0000"), "office.passphrase_wrong"),
            (Some("12345"), "office.passphrase_wrong"),
        ] {
            let e = s
                .issue_recognition("kẻ sao chép", &done, "2026-07-10", pass)
                .unwrap_err();
            assert_eq!(e.code(), code, "{pass:?}");
        }
        assert_eq!(count(&s, "SELECT COUNT(*) FROM recognition"), 0);
        assert_eq!(count(&s, "SELECT COUNT(*) FROM certificate"), 0);
        assert_eq!(
            count(&s, "SELECT COUNT(*) FROM audit_log"),
            audit_before,
            "nothing written"
        );
        assert_eq!(s.office().unwrap().next_decision_no, next_before);
        // The office, with its passphrase, can.
        let r = s
            .issue_recognition("t", &done, "2026-07-10", Some("1234"))
            .unwrap();
        assert_eq!(r.certificates.len(), 3);
    }

    #[test]
    fn the_key_is_created_once_audited_and_never_replaced() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.own_key().unwrap(), None, "reading creates no key");
        assert!(s.trusted_keys().unwrap().is_empty());
        assert_eq!(
            s.set_up_key("t", "1234").unwrap_err().code(),
            "office.passphrase_too_short"
        );
        let k = s.set_up_key("Văn thư", PASS).unwrap();
        assert!(k.protected);
        assert_eq!(k.created_by, "Văn thư");
        assert_eq!(k.id, k.fingerprint);
        let e = s.set_up_key("Người khác", "một cụm khác hẳn").unwrap_err();
        assert_eq!(e.code(), "office.key_exists");
        assert_eq!(e.to_dto(Lang::En).params["fingerprint"], k.fingerprint);
        assert_eq!(s.own_key().unwrap().unwrap().public_key, k.public_key);
        let audit = s
            .audit_list(&crate::model::AuditFilter::latest(10))
            .unwrap();
        assert!(audit
            .iter()
            .any(|a| a.action == "key.create" && a.actor == "Văn thư"));
        assert!(
            audit.iter().all(|a| !a
                .after
                .as_ref()
                .is_some_and(|v| v.to_string().contains("ciphertext"))),
            "no secret in the audit log"
        );
        // The database refuses a second active key and any change to a public key.
        let e = s.conn.execute(
            "INSERT INTO office_key (id, fingerprint, public_key, sealed, created_at, created_by)
             VALUES ('x', 'y', 'z', '{}', 'now', 't')",
            [],
        );
        assert!(e.is_err());
        assert!(s
            .conn
            .execute("UPDATE office_key SET public_key = 'z'", [])
            .is_err());
        assert!(s.conn.execute("DELETE FROM office_key", []).is_err());
    }

    /// Two stores on one file (the app and the CLI) set up the key at the same moment: one key
    /// results, the other is told so, and what the first signed still verifies.
    #[test]
    fn two_creators_at_once_make_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ocop.sqlite");
        drop(Store::open(&path).unwrap());
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let racers: Vec<_> = (0..2)
            .map(|i| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut s = Store::open(&path).unwrap();
                    barrier.wait();
                    s.set_up_key(&format!("racer {i}"), &format!("cụm mật khẩu số {i}"))
                })
            })
            .collect();
        let results: Vec<_> = racers.into_iter().map(|t| t.join().unwrap()).collect();
        let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "{results:?}");
        let lost = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert_eq!(lost.code(), "office.key_exists");
        let s = Store::open(&path).unwrap();
        assert_eq!(count(&s, "SELECT COUNT(*) FROM office_key"), 1);
        assert_eq!(
            s.own_key().unwrap().unwrap().fingerprint,
            won[0].fingerprint
        );
    }

    #[test]
    fn changing_the_passphrase_reseals_and_needs_the_old_one() {
        let (mut s, done) = finalised_demo();
        let k = s.own_key().unwrap().unwrap();
        assert_eq!(
            s.change_passphrase("t", "0000", PASS).unwrap_err().code(),
            "office.passphrase_wrong"
        );
        assert_eq!(
            s.change_passphrase("t", "1234", "ngắn").unwrap_err().code(),
            "office.passphrase_too_short"
        );
        let after = s.change_passphrase("t", "1234", PASS).unwrap();
        assert_eq!(after.fingerprint, k.fingerprint, "the same key");
        assert_eq!(
            s.issue_recognition("t", &done, "2026-07-10", Some("1234"))
                .unwrap_err()
                .code(),
            "office.passphrase_wrong"
        );
        s.issue_recognition("t", &done, "2026-07-10", Some(PASS))
            .unwrap();
        assert!(s
            .audit_list(&crate::model::AuditFilter::latest(20))
            .unwrap()
            .iter()
            .any(|a| a.action == "key.passphrase"));
    }

    #[test]
    fn rotation_keeps_old_public_keys_so_old_certificates_verify() {
        let (mut s, done) = finalised_demo();
        let old = s.own_key().unwrap().unwrap();
        let r = s
            .issue_recognition("t", &done, "2026-07-10", Some("1234"))
            .unwrap();
        assert_eq!(
            s.rotate_key("t", "0000").unwrap_err().code(),
            "office.passphrase_wrong"
        );
        let new = s.rotate_key("Văn thư", "1234").unwrap();
        assert_ne!(new.fingerprint, old.fingerprint);
        let keys = s.office_keys().unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].fingerprint, new.fingerprint);
        assert_eq!(keys[0].retired_at, None);
        assert_eq!(keys[1].fingerprint, old.fingerprint);
        assert!(keys[1].retired_at.is_some());
        assert_eq!(keys[1].retired_by.as_deref(), Some("Văn thư"));
        // The retired key's private part is gone.
        let secret: Option<String> = s
            .conn
            .query_row(
                "SELECT sealed FROM office_key WHERE fingerprint = ?1",
                [&old.fingerprint],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(secret, None);
        for c in &r.certificates {
            let v = s.verify_certificate(&c.payload, Lang::En).unwrap();
            assert!(v.valid, "{}", v.message);
        }
        let trusted = s.trusted_keys().unwrap();
        assert!(trusted
            .iter()
            .any(|k| k.own && k.fingerprint == old.fingerprint && k.retired_at.is_some()));
        let audit = s
            .audit_list(&crate::model::AuditFilter::latest(10))
            .unwrap();
        assert!(audit.iter().any(|a| a.action == "key.rotate"));
        assert!(audit.iter().any(|a| a.action == "key.retire"));
    }

    /// Certificates issued before the compact code get one, signed with today's key and bound
    /// to their record as stored; other offices' certificates and those that have one are left.
    #[test]
    fn certificates_of_before_the_compact_code_get_one_bound_to_their_record() {
        let (mut s, done) = finalised_demo();
        let r = s
            .issue_recognition("t", &done, "2026-07-10", Some("1234"))
            .unwrap();
        // As schema 10 left them: no compact code. One of them issued by another office.
        s.conn
            .execute("UPDATE certificate SET qr = NULL", [])
            .unwrap();
        let other = SigningKey::from_bytes(&[42u8; 32]);
        let foreign = crate::office::sign_claim(
            &other,
            &CertificateClaim {
                v: 1,
                k: key_id(&other.verifying_key()),
                n: "7/QĐ-UBND-01".into(),
                i: "2026-01-02".into(),
                u: "2029-01-02".into(),
                ..Default::default()
            },
        );
        let first = &r.certificates[0];
        s.conn
            .execute(
                "UPDATE certificate SET payload = ?1 WHERE id = ?2",
                params![foreign, first.id],
            )
            .unwrap();
        let old_key = s.own_key().unwrap().unwrap().fingerprint;
        s.rotate_key("t", "1234").unwrap();
        let payloads = count(&s, "SELECT COUNT(DISTINCT payload) FROM certificate");
        assert_eq!(
            s.add_compact_codes("t", Some("0000")).unwrap_err().code(),
            "office.passphrase_wrong"
        );
        assert_eq!(
            s.certificates_without_compact_code().unwrap() as usize,
            r.certificates.len() - 1
        );
        let added = s.add_compact_codes("Văn thư", Some("1234")).unwrap();
        assert_eq!(s.certificates_without_compact_code().unwrap(), 0);
        assert_eq!(added as usize, r.certificates.len() - 1);
        assert_eq!(
            s.add_compact_codes("t", None).unwrap(),
            0,
            "nothing left to do, no passphrase needed"
        );
        let now = s.recognition(&done).unwrap().unwrap();
        for c in &now.certificates {
            if c.id == first.id {
                assert_eq!(
                    c.qr, c.payload,
                    "another office's certificate is left as it was"
                );
                continue;
            }
            assert!(c.qr.starts_with("OCOP2:"), "{}", c.qr);
            let v = s.verify_certificate(&c.qr, Lang::Vi).unwrap();
            assert!(v.valid, "{}", v.message);
            assert_eq!(v.record_matches, Some(true));
            let claim = v.claim.unwrap();
            // The record names the key it was issued with; the code the key that signed it today.
            assert_eq!(claim.k, old_key);
            assert_eq!(claim.n, c.number);
        }
        assert_eq!(
            count(&s, "SELECT COUNT(DISTINCT payload) FROM certificate"),
            payloads,
            "the records are not changed"
        );
        assert_eq!(
            count(
                &s,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.compact_code'"
            ),
            added as i64
        );
    }

    #[test]
    fn trusting_a_key_is_audited_and_refuses_duplicates() {
        let (mut s, _) = finalised_demo();
        let other = SigningKey::from_bytes(&[42u8; 32]);
        let hex_key = hex::encode(other.verifying_key().as_bytes());
        let k = s
            .trust_key("Văn thư", " UBND tỉnh Nghệ An ", &hex_key.to_uppercase())
            .unwrap();
        assert_eq!(k.name, "UBND tỉnh Nghệ An");
        assert_eq!(k.added_by, "Văn thư");
        assert!(!k.own);
        assert_eq!(
            s.trust_key("t", "Khác", &hex_key).unwrap_err().code(),
            "key.already_trusted"
        );
        let own = s.own_key().unwrap().unwrap();
        assert_eq!(
            s.trust_key("t", "Mình", &own.public_key)
                .unwrap_err()
                .code(),
            "key.own"
        );
        assert_eq!(
            s.trust_key("t", "X", "abc").unwrap_err().code(),
            "key.format"
        );
        assert_eq!(
            s.trust_key("t", " ", &hex_key).unwrap_err().code(),
            "key.name_missing"
        );
        assert!(s
            .audit_list(&crate::model::AuditFilter::latest(5))
            .unwrap()
            .iter()
            .any(|a| a.action == "key.trust" && a.entity == "trusted_key"));
        let keys = s.trusted_keys().unwrap();
        assert_eq!(keys.iter().filter(|k| !k.own).count(), 1);
    }

    /// Settings and certificates stored by the first release read with today's storage types,
    /// which have gained fields (`format`; a certificate's `revoked_reason` default).
    #[test]
    fn rows_of_the_first_release_still_load() {
        let office = StoredOffice::parse(include_str!("../../tests/fixtures/office-v1.json"))
            .unwrap()
            .into_settings();
        assert_eq!(office.people_committee, "ỦY BAN NHÂN DÂN TỈNH THANH HÓA");
        assert_eq!(office.next_decision_no, 126);
        assert_eq!(office.decision_signer.name, "Lê Đức Giang");
        assert!(office.missing().is_empty());
        // An unknown future field is ignored; a newer format is refused, never guessed.
        let mut v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/office-v1.json")).unwrap();
        v["seal_image"] = json!("later");
        assert!(StoredOffice::parse(&v.to_string()).is_ok());
        v["format"] = json!(2);
        assert_eq!(
            StoredOffice::parse(&v.to_string()).unwrap_err().code(),
            "db.stored_unreadable"
        );
        assert_eq!(
            StoredOffice::parse("{\"province\": 7}").unwrap_err().code(),
            "db.stored_unreadable",
            "an unreadable row is an error, not the defaults"
        );

        let fx: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/recognition-v1.json")).unwrap();
        let signer: StoredDecisionSigner =
            serde_json::from_str(fx["recognition"]["signer"].as_str().unwrap()).unwrap();
        assert_eq!(signer.format, 1);
        assert_eq!(signer.signer.title, "PHÓ CHỦ TỊCH");
        for c in fx["certificates"].as_array().unwrap() {
            let row: CertificateRow = serde_json::from_value(c.clone()).unwrap();
            assert_eq!(row.format, 1);
            let cert = row
                .into_certificate("Sản phẩm".into(), "Chủ thể".into())
                .unwrap();
            assert!(cert.payload.starts_with("OCOP1."));
        }
    }

    /// Builds a database as the first release left it (schema 3, the key in clear in `setting`),
    /// then opens it with this build.
    fn first_release_db(trusted_keys: &str) -> Result<Store> {
        let fx: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/settings-v3.json")).unwrap();
        let conn = Connection::open_in_memory().unwrap();
        for sql in &super::super::MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('signing_key', ?1), ('trusted_keys', ?2), ('office', ?3)",
            params![
                fx["signing_key"].as_str().unwrap(),
                trusted_keys,
                include_str!("../../tests/fixtures/office-v1.json")
            ],
        )
        .unwrap();
        Store::init(conn)
    }

    #[test]
    fn migration_0004_moves_the_clear_key_and_the_trusted_keys() {
        let fx: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/settings-v3.json")).unwrap();
        let mut s = first_release_db(fx["trusted_keys"].as_str().unwrap()).unwrap();
        let own = s.own_key().unwrap().unwrap();
        assert_eq!(own.fingerprint, "cebccfd67c3f2885");
        assert!(
            !own.protected,
            "a key from before passphrases is not protected"
        );
        assert_eq!(
            count(
                &s,
                "SELECT COUNT(*) FROM setting WHERE key IN ('signing_key', 'trusted_keys')"
            ),
            0
        );
        let other: Vec<_> = s
            .trusted_keys()
            .unwrap()
            .into_iter()
            .filter(|k| !k.own)
            .collect();
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].fingerprint, "b600306cfa76723f");
        assert_eq!(other[0].name, "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN");
        assert!(s
            .audit_list(&crate::model::AuditFilter::latest(5))
            .unwrap()
            .iter()
            .any(|a| a.action == "key.migrate"));
        assert_eq!(s.audit_verify().unwrap().first_bad_seq, None);
        // Certificates the first release printed verify with the migrated key.
        let rec: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/recognition-v1.json")).unwrap();
        for c in rec["certificates"].as_array().unwrap() {
            let v = s
                .verify_certificate(c["payload"].as_str().unwrap(), Lang::En)
                .unwrap();
            assert!(v.valid, "{}", v.message);
        }
        // It cannot sign until the office chooses a passphrase; then it is the same key, sealed.
        assert_eq!(
            s.signing_key(Some(PASS)).unwrap_err().code(),
            "office.key_unprotected"
        );
        let k = s.set_up_key("Văn thư", PASS).unwrap();
        assert_eq!(k.fingerprint, own.fingerprint);
        assert!(k.protected);
        let legacy: Option<String> = s
            .conn
            .query_row("SELECT legacy_seed FROM office_key", [], |r| r.get(0))
            .unwrap();
        assert_eq!(legacy, None, "the clear seed is gone once sealed");
        assert!(s.signing_key(Some(PASS)).is_ok());
    }

    #[test]
    fn a_malformed_trusted_key_stops_the_migration_instead_of_being_dropped() {
        let good = "[{\"id\":\"b600306cfa76723f\",\"name\":\"Nghệ An\",\"public_key\":\"197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61\"}";
        for (list, entry) in [
            (format!("{good},{{\"id\":\"x\",\"name\":\"Hà Tĩnh\"}}]"), "2"),
            (
                format!("{good},{{\"id\":\"x\",\"name\":\"Hà Tĩnh\",\"public_key\":\"zz\"}}]"),
                "2",
            ),
            (
                "[{\"id\":\"0000000000000000\",\"name\":\"Nghệ An\",\"public_key\":\"197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61\"}]".to_string(),
                "1",
            ),
            ("not json".to_string(), "0"),
        ] {
            let e = first_release_db(&list).err().expect("refused");
            assert_eq!(e.code(), "key.trusted_malformed", "{list}");
            assert_eq!(e.to_dto(Lang::En).params["entry"], entry, "{list}");
        }
    }
}
