//! A council member's answers file: the fallback of the council room when the Wi-Fi is gone. The
//! member page exports its unsent changes as a `member_answers` bundle (`BUNDLE.md`), signed with
//! the Ed25519 key its pairing received; the secretary imports it (`store::room`), and each change
//! passes the checks it would have met online. The page writes it in TypeScript
//! (`ui/src/member/bundle.ts`); this writer makes the same bytes, for the tests and the fixture
//! both sides are checked against.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use super::{BagInfo, BundleDraft, Purpose, Record};
use crate::error::Result;

/// One change queued on a member's page (`data` of a `room_change` record; its id is the change's
/// `request_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExRoomChange {
    pub pairing_id: String,
    pub sheet_id: String,
    /// `answer`, `elimination` or `comment`.
    pub kind: String,
    #[serde(default)]
    pub criterion: Option<String>,
    #[serde(default)]
    pub replaces: Option<u32>,
    #[serde(default)]
    pub option: Option<u32>,
    /// The elimination's reason (`null` clears it), or the comment.
    #[serde(default)]
    pub text: Option<String>,
    /// When the member made the change (the device's clock, RFC 3339).
    pub at: String,
}

/// Writes a member's answers file. `seed` is the pairing's secret key, `member` the member's name
/// (the bundle's sender), `created` RFC 3339 UTC.
pub fn write_member_bundle(
    seed: &[u8; 32],
    member: &str,
    bundle_uuid: &str,
    created: &str,
    changes: &[(String, ExRoomChange)],
) -> Result<Vec<u8>> {
    let key = SigningKey::from_bytes(seed);
    let public = key.verifying_key();
    let records: Vec<Record> = changes
        .iter()
        .map(|(id, c)| {
            Record::new(
                id.clone(),
                serde_json::to_value(c).expect("a change serialises"),
                None,
            )
        })
        .collect();
    let draft = BundleDraft {
        info: BagInfo {
            bundle_uuid: bundle_uuid.into(),
            sender_office: member.into(),
            sender_key_fingerprint: crate::office::key_id(&public),
            sender_public_key: hex::encode(public.as_bytes()),
            created: created.into(),
            schema_version: 1,
            purpose: Purpose::MemberAnswers,
            counts: BTreeMap::new(),
            attachments: 0,
        },
        records: BTreeMap::from([("room_change".to_string(), records)]),
        attachments: BTreeMap::new(),
    };
    super::bag::write_bundle(&draft, &key)
}
