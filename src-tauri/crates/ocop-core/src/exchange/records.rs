//! The storage types of a bundle's records, one per entity: what `data` of a record line holds.
//! They mirror the tables field for field (derived columns such as `search` are left out and
//! recomputed; secrets such as PIN hashes never travel). A field added later must be
//! `#[serde(default)]`, so that bundles already written keep reading; a change that cannot be
//! read by an older build raises the bundle's schema version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::msg;
use crate::error::Result;

/// The entities a bundle may hold, in the order they are applied.
pub const ENTITIES: &[&str] = &[
    "criteria_sheet",
    "person",
    "owner",
    "product",
    "round",
    "dossier",
    "score_sheet",
    "recognition",
    "certificate",
    "revocation_list",
    // Only in a `member_answers` bundle (`exchange::member`).
    "room_change",
];

/// A record's id: a UUID, except a criteria sheet's, which is the SHA-256 of its body.
pub fn check_id(entity: &str, id: &str) -> Result<()> {
    let ok = if entity == "criteria_sheet" {
        id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    } else {
        uuid::Uuid::parse_str(id).is_ok_and(|u| u.hyphenated().to_string() == id)
    };
    if ok {
        Ok(())
    } else {
        Err(msg::BAG_INFO.with("detail", format!("id {id}")))
    }
}

/// A criteria sheet as stored (`body` exactly as hashed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExCriteriaSheet {
    pub decision_id: String,
    pub set_code: String,
    pub name: String,
    pub body: String,
}

/// A council member as the papers name them (no PIN).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExPerson {
    pub full_name: String,
    pub title: String,
    pub unit: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExOwner {
    pub name: String,
    pub kind: String,
    pub representative: String,
    pub rep_sex: String,
    pub rep_ethnicity: String,
    pub address: String,
    pub commune: String,
    pub district: String,
    pub province: String,
    pub phone: String,
    pub email: String,
    pub registration_no: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExProduct {
    pub owner_id: String,
    pub name: String,
    pub decision_id: String,
    pub set_code: String,
    pub code: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExRoundMember {
    pub person_id: String,
    pub role: String,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExRecusal {
    pub person_id: String,
    pub product_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExSpreadReview {
    pub product_id: String,
    pub note: String,
    pub spread_before: f64,
    pub recorded_at: String,
}

/// A round with its roster, recusals, spread reviews and, once finalised, its frozen results
/// (`store::stored::FrozenResults`, as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExRound {
    pub name: String,
    pub level: String,
    pub decision_id: String,
    pub procedure: String,
    pub date: String,
    pub place: String,
    pub status: String,
    pub rules: serde_json::Value,
    pub demo: bool,
    pub created_at: String,
    pub updated_at: String,
    pub finalised_at: Option<String>,
    pub results: Option<serde_json::Value>,
    pub members: Vec<ExRoundMember>,
    pub recusals: Vec<ExRecusal>,
    pub spread_reviews: Vec<ExSpreadReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExAttachment {
    pub sha256: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

/// A dossier with its checklist, permits and attachments (the files travel in
/// `data/attachments/`). The dossier's other columns (the commune's pre-assessment, Mẫu 03)
/// travel in `extra`, by column name, so that fields added to the table travel too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExDossier {
    pub round_id: String,
    pub product_id: String,
    pub application_type: String,
    pub received_on: String,
    pub checklist: serde_json::Value,
    pub permits: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
    pub attachments: Vec<ExAttachment>,
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExAnswer {
    pub criterion: String,
    pub option_index: u32,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExScoreSheet {
    pub round_id: String,
    pub product_id: String,
    pub person_id: String,
    pub sheet_sha256: String,
    pub version: u32,
    pub pass: u32,
    pub entry: String,
    pub keyed_by: Option<String>,
    pub status: String,
    pub elimination: Option<String>,
    pub comment: String,
    pub signed_at: Option<String>,
    pub reopen_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub answers: Vec<ExAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExRecognition {
    pub round_id: String,
    pub number: String,
    pub date: String,
    pub signer: serde_json::Value,
    pub created_at: String,
}

/// A certificate with its signed OCOP1 payload (the full record) and, since schema 11, the compact
/// `OCOP2` text its QR code carries (left out of the JSON when absent, so that a certificate issued
/// before it keeps its record version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExCertificate {
    pub recognition_id: String,
    pub product_id: String,
    pub number: String,
    pub star: u8,
    pub score: f64,
    pub issued_on: String,
    pub valid_until: String,
    pub payload: String,
    pub revoked_on: Option<String>,
    pub revoked_reason: Option<String>,
    pub created_at: String,
    pub format: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr: Option<String>,
}

/// The sender's signed revocation list (`ocop revocations export`), as its file's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExRevocationList {
    pub file: String,
}
