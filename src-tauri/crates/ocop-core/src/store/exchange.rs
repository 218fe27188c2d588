//! Exchange bundles' SQL (migration 0008): what a purpose selects, each record read into its
//! storage type (`exchange::records`), the plan of an import and its one-transaction apply, and
//! the bookkeeping (bundles written and imported, versions seen, conflicts kept apart).
//!
//! The rule for an incoming record (local version L, incoming version V, superseding S):
//! absent here → new; L = V, or V was seen here before → unchanged; L = S, or L is a version
//! this office received and has not edited since → updated; otherwise (L was edited here since
//! the last exchange) → conflict: the copy here is kept, the incoming record is saved whole in
//! `exchange_conflict` and listed, and the other records are applied.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::rounds::attachment_path;
use super::stored::FrozenResults;
use super::{new_id, now, Store, Tx};
use crate::error::{CoreError, Lang, Result};
use crate::exchange::records::*;
use crate::exchange::sign::minisign_public_key;
use crate::exchange::{
    msg, write_bundle, BagInfo, Bundle, BundleDraft, BundlePlan, EntityCounts, ExportRequest,
    PlanAction, PlanRecord, Purpose, Record, SCHEMA_VERSION,
};
use crate::rules::Level;

fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("a record serialises")
}

fn json_col(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::String(text.to_string()))
}

/// Reads one record here into its storage type's JSON; `None` when it is not here.
fn load(conn: &Connection, entity: &str, id: &str) -> Result<Option<Value>> {
    let one = |sql: &str,
               f: &dyn Fn(&rusqlite::Row) -> rusqlite::Result<Value>|
     -> Result<Option<Value>> { Ok(conn.query_row(sql, [id], |r| f(r)).optional()?) };
    let v = match entity {
        "criteria_sheet" => one(
            "SELECT decision_id, set_code, name, body FROM criteria_sheet WHERE sha256 = ?1",
            &|r| {
                Ok(to_value(&ExCriteriaSheet {
                    decision_id: r.get(0)?,
                    set_code: r.get(1)?,
                    name: r.get(2)?,
                    body: r.get(3)?,
                }))
            },
        )?,
        "person" => one(
            "SELECT full_name, title, unit, created_at, updated_at FROM person WHERE id = ?1",
            &|r| {
                Ok(to_value(&ExPerson {
                    full_name: r.get(0)?,
                    title: r.get(1)?,
                    unit: r.get(2)?,
                    created_at: r.get(3)?,
                    updated_at: r.get(4)?,
                }))
            },
        )?,
        "owner" => one(
            "SELECT name, kind, representative, rep_sex, rep_ethnicity, address, commune, district,
                province, phone, email, registration_no, created_at, updated_at FROM owner WHERE id = ?1",
            &|r| {
                Ok(to_value(&ExOwner {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    representative: r.get(2)?,
                    rep_sex: r.get(3)?,
                    rep_ethnicity: r.get(4)?,
                    address: r.get(5)?,
                    commune: r.get(6)?,
                    district: r.get(7)?,
                    province: r.get(8)?,
                    phone: r.get(9)?,
                    email: r.get(10)?,
                    registration_no: r.get(11)?,
                    created_at: r.get(12)?,
                    updated_at: r.get(13)?,
                }))
            },
        )?,
        "product" => one(
            "SELECT owner_id, name, decision_id, set_code, code, created_at, updated_at FROM product WHERE id = ?1",
            &|r| {
                Ok(to_value(&ExProduct {
                    owner_id: r.get(0)?,
                    name: r.get(1)?,
                    decision_id: r.get(2)?,
                    set_code: r.get(3)?,
                    code: r.get(4)?,
                    created_at: r.get(5)?,
                    updated_at: r.get(6)?,
                }))
            },
        )?,
        "round" => return load_round(conn, id),
        "dossier" => return load_dossier(conn, id),
        "score_sheet" => return load_sheet(conn, id),
        "recognition" => one(
            "SELECT round_id, number, date, signer, created_at FROM recognition WHERE id = ?1",
            &|r| {
                Ok(to_value(&ExRecognition {
                    round_id: r.get(0)?,
                    number: r.get(1)?,
                    date: r.get(2)?,
                    signer: json_col(&r.get::<_, String>(3)?),
                    created_at: r.get(4)?,
                }))
            },
        )?,
        "certificate" => one(
            "SELECT recognition_id, product_id, number, star, score, issued_on, valid_until, payload,
                revoked_on, revoked_reason, created_at, format, qr FROM certificate WHERE id = ?1",
            &|r| {
                Ok(to_value(&ExCertificate {
                    recognition_id: r.get(0)?,
                    product_id: r.get(1)?,
                    number: r.get(2)?,
                    star: r.get(3)?,
                    score: r.get(4)?,
                    issued_on: r.get(5)?,
                    valid_until: r.get(6)?,
                    payload: r.get(7)?,
                    revoked_on: r.get(8)?,
                    revoked_reason: r.get(9)?,
                    created_at: r.get(10)?,
                    format: r.get(11)?,
                    qr: r.get(12)?,
                }))
            },
        )?,
        _ => None,
    };
    Ok(v)
}

fn load_round(conn: &Connection, id: &str) -> Result<Option<Value>> {
    let head = conn
        .query_row(
            "SELECT name, level, decision_id, procedure, date, place, status, rules, demo,
                created_at, updated_at, finalised_at, results FROM round WHERE id = ?1",
            [id],
            |r| {
                Ok(ExRound {
                    name: r.get(0)?,
                    level: r.get(1)?,
                    decision_id: r.get(2)?,
                    procedure: r.get(3)?,
                    date: r.get(4)?,
                    place: r.get(5)?,
                    status: r.get(6)?,
                    rules: json_col(&r.get::<_, String>(7)?),
                    demo: r.get(8)?,
                    created_at: r.get(9)?,
                    updated_at: r.get(10)?,
                    finalised_at: r.get(11)?,
                    results: r.get::<_, Option<String>>(12)?.as_deref().map(json_col),
                    members: Vec::new(),
                    recusals: Vec::new(),
                    spread_reviews: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut round) = head else {
        return Ok(None);
    };
    let members = conn
        .prepare("SELECT person_id, role, present FROM round_member WHERE round_id = ?1 ORDER BY person_id")?
        .query_map([id], |r| {
            Ok(ExRoundMember {
                person_id: r.get(0)?,
                role: r.get(1)?,
                present: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let recusals = conn
        .prepare("SELECT person_id, product_id, reason FROM recusal WHERE round_id = ?1 ORDER BY person_id, product_id")?
        .query_map([id], |r| {
            Ok(ExRecusal {
                person_id: r.get(0)?,
                product_id: r.get(1)?,
                reason: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let spread_reviews = conn
        .prepare("SELECT product_id, note, spread_before, recorded_at FROM spread_review WHERE round_id = ?1 ORDER BY product_id")?
        .query_map([id], |r| {
            Ok(ExSpreadReview {
                product_id: r.get(0)?,
                note: r.get(1)?,
                spread_before: r.get(2)?,
                recorded_at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    round.members = members;
    round.recusals = recusals;
    round.spread_reviews = spread_reviews;
    Ok(Some(to_value(&round)))
}

/// The dossier's columns that `ExDossier` does not name: they travel in `extra`.
const DOSSIER_NAMED: &[&str] = &[
    "id",
    "round_id",
    "product_id",
    "application_type",
    "received_on",
    "checklist",
    "permits",
    "created_at",
    "updated_at",
];

fn dossier_extra_columns(conn: &Connection) -> Result<Vec<String>> {
    let cols = conn
        .prepare("SELECT name FROM pragma_table_info('dossier') ORDER BY cid")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols
        .into_iter()
        .filter(|c| !DOSSIER_NAMED.contains(&c.as_str()))
        .collect())
}

fn sql_to_json(v: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef::*;
    match v {
        Null => Value::Null,
        Integer(i) => json!(i),
        Real(f) => json!(f),
        Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        Blob(b) => Value::String(hex::encode(b)),
    }
}

fn load_dossier(conn: &Connection, id: &str) -> Result<Option<Value>> {
    let extra_cols = dossier_extra_columns(conn)?;
    let mut select = String::from(
        "SELECT round_id, product_id, application_type, received_on, checklist, permits, created_at, updated_at",
    );
    for c in &extra_cols {
        select.push_str(&format!(", \"{c}\""));
    }
    select.push_str(" FROM dossier WHERE id = ?1");
    let row = conn
        .query_row(&select, [id], |r| {
            let mut extra = BTreeMap::new();
            for (i, c) in extra_cols.iter().enumerate() {
                extra.insert(c.clone(), sql_to_json(r.get_ref(8 + i)?));
            }
            Ok(ExDossier {
                round_id: r.get(0)?,
                product_id: r.get(1)?,
                application_type: r.get(2)?,
                received_on: r.get(3)?,
                checklist: json_col(&r.get::<_, String>(4)?),
                permits: json_col(&r.get::<_, String>(5)?),
                created_at: r.get(6)?,
                updated_at: r.get(7)?,
                attachments: Vec::new(),
                extra,
            })
        })
        .optional()?;
    let Some(mut d) = row else { return Ok(None) };
    d.attachments = conn
        .prepare(
            "SELECT a.sha256, da.name, a.mime, a.size FROM dossier_attachment da
             JOIN attachment a ON a.sha256 = da.sha256 WHERE da.dossier_id = ?1 ORDER BY a.sha256, da.name",
        )?
        .query_map([id], |r| {
            Ok(ExAttachment {
                sha256: r.get(0)?,
                name: r.get(1)?,
                mime: r.get(2)?,
                size: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(to_value(&d)))
}

fn load_sheet(conn: &Connection, id: &str) -> Result<Option<Value>> {
    let row = conn
        .query_row(
            "SELECT round_id, product_id, person_id, sheet_sha256, version, pass, entry, keyed_by, status,
                elimination, comment, signed_at, reopen_reason, created_at, updated_at FROM score_sheet WHERE id = ?1",
            [id],
            |r| {
                Ok(ExScoreSheet {
                    round_id: r.get(0)?,
                    product_id: r.get(1)?,
                    person_id: r.get(2)?,
                    sheet_sha256: r.get(3)?,
                    version: r.get(4)?,
                    pass: r.get(5)?,
                    entry: r.get(6)?,
                    keyed_by: r.get(7)?,
                    status: r.get(8)?,
                    elimination: r.get(9)?,
                    comment: r.get(10)?,
                    signed_at: r.get(11)?,
                    reopen_reason: r.get(12)?,
                    created_at: r.get(13)?,
                    updated_at: r.get(14)?,
                    answers: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut s) = row else { return Ok(None) };
    s.answers = conn
        .prepare("SELECT criterion, option_index, updated_at FROM answer WHERE sheet_id = ?1 ORDER BY criterion")?
        .query_map([id], |r| {
            Ok(ExAnswer {
                criterion: r.get(0)?,
                option_index: r.get(1)?,
                updated_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(to_value(&s)))
}

/// The records another record refers to: (entity, id).
fn references(entity: &str, data: &Value) -> Result<Vec<(&'static str, String)>> {
    fn parse<T: DeserializeOwned>(data: &Value) -> Result<T> {
        serde_json::from_value(data.clone()).map_err(|e| {
            msg::BAD_RECORD
                .with("name", "")
                .with("line", 0)
                .with("detail", e)
        })
    }
    Ok(match entity {
        "product" => vec![("owner", parse::<ExProduct>(data)?.owner_id)],
        "round" => {
            let r: ExRound = parse(data)?;
            let mut v: Vec<(&'static str, String)> = Vec::new();
            v.extend(r.members.into_iter().map(|m| ("person", m.person_id)));
            for x in r.recusals {
                v.push(("person", x.person_id));
                v.push(("product", x.product_id));
            }
            v.extend(
                r.spread_reviews
                    .into_iter()
                    .map(|s| ("product", s.product_id)),
            );
            v
        }
        "dossier" => {
            let d: ExDossier = parse(data)?;
            vec![("round", d.round_id), ("product", d.product_id)]
        }
        "score_sheet" => {
            let s: ExScoreSheet = parse(data)?;
            let mut v = vec![
                ("round", s.round_id),
                ("product", s.product_id),
                ("person", s.person_id),
                ("criteria_sheet", s.sheet_sha256),
            ];
            v.extend(s.keyed_by.map(|k| ("person", k)));
            v
        }
        "recognition" => vec![("round", parse::<ExRecognition>(data)?.round_id)],
        "certificate" => {
            let c: ExCertificate = parse(data)?;
            vec![("recognition", c.recognition_id), ("product", c.product_id)]
        }
        _ => Vec::new(),
    })
}

/// Reads the typed record, so that a record that does not fit its type is refused at plan time.
fn check_typed(entity: &str, id: &str, data: &Value) -> Result<()> {
    fn t<T: DeserializeOwned>(data: &Value) -> std::result::Result<(), String> {
        serde_json::from_value::<T>(data.clone())
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
    let r = match entity {
        "criteria_sheet" => {
            let s: ExCriteriaSheet = serde_json::from_value(data.clone()).map_err(|e| {
                msg::BAD_RECORD
                    .with("name", entity)
                    .with("line", id)
                    .with("detail", e)
            })?;
            if crate::exchange::sha256_hex(s.body.as_bytes()) != id {
                return Err(msg::SHEET_HASH.with("id", id));
            }
            Ok(())
        }
        "person" => t::<ExPerson>(data),
        "owner" => t::<ExOwner>(data),
        "product" => t::<ExProduct>(data),
        "round" => t::<ExRound>(data),
        "dossier" => t::<ExDossier>(data),
        "score_sheet" => t::<ExScoreSheet>(data),
        "recognition" => t::<ExRecognition>(data),
        "certificate" => t::<ExCertificate>(data),
        "revocation_list" => t::<ExRevocationList>(data),
        _ => Err("entity".into()),
    };
    r.map_err(|d| {
        msg::BAD_RECORD
            .with("name", entity)
            .with("line", id)
            .with("detail", d)
    })
}

fn label_of(data: &Value) -> String {
    ["name", "full_name", "number"]
        .iter()
        .find_map(|k| data.get(*k).and_then(Value::as_str))
        .unwrap_or("")
        .to_string()
}

/// What this office recorded about a record's versions: (version, supersedes, direction), oldest first.
fn seen_versions(
    conn: &Connection,
    entity: &str,
    id: &str,
) -> Result<Vec<(String, Option<String>, String)>> {
    Ok(conn
        .prepare(
            "SELECT version, supersedes, direction FROM exchange_version WHERE entity = ?1 AND record_id = ?2 ORDER BY rowid",
        )?
        .query_map([entity, id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// What `supersedes` says in an outgoing record: the recorded link when this version was
/// exchanged before, else the last version exchanged (it was edited here since), else none.
fn outgoing_supersedes(
    conn: &Connection,
    entity: &str,
    id: &str,
    version: &str,
) -> Result<Option<String>> {
    let seen = seen_versions(conn, entity, id)?;
    if let Some((_, s, _)) = seen.iter().rev().find(|(v, _, _)| v == version) {
        return Ok(s.clone());
    }
    Ok(seen.last().map(|(v, _, _)| v.clone()))
}

/// The selection of a purpose, as (entity, id) in the order records are applied.
struct Selection {
    ids: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Selection {
    fn add(&mut self, entity: &'static str, id: impl Into<String>) {
        self.ids.entry(entity).or_default().insert(id.into());
    }
}

fn ids(conn: &Connection, sql: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<String>> {
    Ok(conn
        .prepare(sql)?
        .query_map(p, |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    /// The rounds and products an export covers: the round given, or the rounds where the given
    /// products have dossiers.
    fn export_scope(&self, req: &ExportRequest) -> Result<Vec<(String, Vec<String>)>> {
        if req.round.is_none() && req.products.is_empty() {
            return Err(msg::NEEDS_SELECTION.err());
        }
        let rounds = match &req.round {
            Some(r) => vec![self.round(r)?.id],
            None => {
                let mut rs = BTreeSet::new();
                for p in &req.products {
                    rs.extend(ids(
                        &self.conn,
                        "SELECT round_id FROM dossier WHERE product_id = ?1",
                        &[p],
                    )?);
                }
                rs.into_iter().collect()
            }
        };
        let mut out = Vec::new();
        for r in rounds {
            let mut products = ids(
                &self.conn,
                "SELECT product_id FROM dossier WHERE round_id = ?1 ORDER BY product_id",
                &[&r],
            )?;
            if !req.products.is_empty() {
                products.retain(|p| req.products.contains(p));
            }
            out.push((r, products));
        }
        Ok(out)
    }

    fn select(&self, req: &ExportRequest) -> Result<Selection> {
        let mut sel = Selection {
            ids: BTreeMap::new(),
        };
        let mut eligible: BTreeSet<String> = BTreeSet::new();
        for (round_id, products) in self.export_scope(req)? {
            let round = self.round(&round_id)?;
            let chosen: Vec<String> = match req.purpose {
                Purpose::CommuneToProvince => products.clone(),
                Purpose::DistrictToProvince | Purpose::ProvinceToCentre => {
                    let want = if req.purpose == Purpose::DistrictToProvince { Level::Province } else { Level::Centre };
                    let res = self.round_results(&round_id)?;
                    res.products
                        .iter()
                        .filter(|l| products.contains(&l.product_id) && l.result.forward == Some(want))
                        .map(|l| l.product_id.clone())
                        .collect()
                }
                Purpose::CentreToProvince => {
                    if round.level == Level::Centre {
                        products.clone()
                    } else {
                        Vec::new()
                    }
                }
                Purpose::DecisionsToCommune => ids(
                    &self.conn,
                    "SELECT c.product_id FROM certificate c JOIN recognition r ON r.id = c.recognition_id WHERE r.round_id = ?1",
                    &[&round_id],
                )?
                .into_iter()
                .filter(|p| products.contains(p))
                .collect(),
                Purpose::Revocations | Purpose::MemberAnswers => Vec::new(),
            };
            if chosen.is_empty() {
                continue;
            }
            sel.add("round", &round_id);
            for p in &chosen {
                eligible.insert(p.clone());
                let dossier = ids(
                    &self.conn,
                    "SELECT id FROM dossier WHERE round_id = ?1 AND product_id = ?2",
                    &[&round_id, p],
                )?;
                if req.purpose != Purpose::DecisionsToCommune {
                    for d in dossier {
                        sel.add("dossier", d);
                    }
                }
                if matches!(
                    req.purpose,
                    Purpose::DistrictToProvince
                        | Purpose::ProvinceToCentre
                        | Purpose::CentreToProvince
                ) {
                    for s in ids(&self.conn, "SELECT id FROM score_sheet WHERE round_id = ?1 AND product_id = ?2 ORDER BY id", &[&round_id, p])? {
                        sel.add("score_sheet", s);
                    }
                }
                sel.add("product", p);
            }
            if req.purpose == Purpose::DecisionsToCommune {
                for r in ids(
                    &self.conn,
                    "SELECT id FROM recognition WHERE round_id = ?1",
                    &[&round_id],
                )? {
                    for c in ids(
                        &self.conn,
                        "SELECT id FROM certificate WHERE recognition_id = ?1",
                        &[&r],
                    )? {
                        let p: String = self.conn.query_row(
                            "SELECT product_id FROM certificate WHERE id = ?1",
                            [&c],
                            |r| r.get(0),
                        )?;
                        if chosen.contains(&p) {
                            sel.add("certificate", c);
                        }
                    }
                    sel.add("recognition", r);
                }
            }
        }
        if let Some(p) = req.products.iter().find(|p| !eligible.contains(*p)) {
            let name = self
                .product(p)
                .map(|p| p.name)
                .unwrap_or_else(|_| p.clone());
            return Err(msg::NOT_ELIGIBLE
                .with("product", name)
                .with("purpose", req.purpose.as_str()));
        }
        if sel.ids.is_empty() {
            return Err(msg::NOTHING.with("purpose", req.purpose.as_str()));
        }
        Ok(sel)
    }

    /// Builds, signs and records a bundle. Returns its bytes and what it holds.
    pub fn export_bundle(
        &mut self,
        actor: &str,
        data_dir: &Path,
        req: &ExportRequest,
        passphrase: Option<&str>,
    ) -> Result<(Vec<u8>, BagInfo, String)> {
        if req.purpose == Purpose::MemberAnswers {
            return Err(msg::MEMBER_ONLY.err());
        }
        let (key_row, key) = self.signing_key(passphrase)?;
        let mut records: BTreeMap<String, Vec<Record>> = BTreeMap::new();
        let mut attachments = BTreeMap::new();
        if req.purpose == Purpose::Revocations {
            let file = self.revocations_export(passphrase)?;
            let id = revocation_list_id(&key_row.fingerprint);
            let data = to_value(&ExRevocationList { file });
            let v = crate::exchange::version_of(&data);
            let sup = outgoing_supersedes(&self.conn, "revocation_list", &id, &v)?;
            records.insert("revocation_list".into(), vec![Record::new(id, data, sup)]);
        } else {
            let mut sel = self.select(req)?;
            // The closure: whatever a selected record refers to travels with it.
            let mut pending: Vec<(&'static str, String)> = sel
                .ids
                .iter()
                .flat_map(|(e, ids)| ids.iter().map(move |i| (*e, i.clone())))
                .collect();
            let mut loaded: BTreeMap<(&'static str, String), Value> = BTreeMap::new();
            while let Some((entity, id)) = pending.pop() {
                if loaded.contains_key(&(entity, id.clone())) {
                    continue;
                }
                let data = load(&self.conn, entity, &id)?.ok_or_else(|| CoreError::NotFound {
                    kind: crate::error::Entity::Product,
                    id: id.clone(),
                })?;
                for (e, i) in references(entity, &data)? {
                    sel.add(e, &i);
                    pending.push((e, i));
                }
                if entity == "dossier" {
                    let d: ExDossier =
                        serde_json::from_value(data.clone()).map_err(CoreError::internal)?;
                    for a in d.attachments {
                        let (_, bytes) = self.attachment_bytes(data_dir, &a.sha256)?;
                        attachments.insert(a.sha256, bytes);
                    }
                }
                loaded.insert((entity, id), data);
            }
            for entity in ENTITIES {
                for ((e, id), data) in loaded.iter().filter(|((e, _), _)| e == entity) {
                    let v = crate::exchange::version_of(data);
                    let sup = outgoing_supersedes(&self.conn, e, id, &v)?;
                    records.entry(e.to_string()).or_default().push(Record::new(
                        id.clone(),
                        data.clone(),
                        sup,
                    ));
                }
            }
        }
        let office = self.office()?;
        let info = BagInfo {
            bundle_uuid: uuid::Uuid::new_v4().to_string(),
            sender_office: if office.people_committee.trim().is_empty() {
                office.province.clone()
            } else {
                office.people_committee.clone()
            },
            sender_key_fingerprint: key_row.fingerprint.clone(),
            sender_public_key: key_row.public_key.clone(),
            created: now(),
            schema_version: SCHEMA_VERSION,
            purpose: req.purpose,
            counts: records
                .iter()
                .map(|(e, r)| (e.clone(), r.len() as u32))
                .collect(),
            attachments: attachments.len() as u32,
        };
        let draft = BundleDraft {
            info: info.clone(),
            records: records.clone(),
            attachments,
        };
        let bytes = write_bundle(&draft, &key)?;
        let at = now();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO exchange_bundle (id, direction, purpose, office, key_fingerprint, created, recorded_at, recorded_by, summary)
                 VALUES (?1, 'out', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![info.bundle_uuid, info.purpose.as_str(), info.sender_office, info.sender_key_fingerprint, info.created, at, tx.actor(), json!(info.counts).to_string()],
            )?;
            for (entity, rs) in &records {
                for r in rs {
                    tx.execute(
                        "INSERT OR IGNORE INTO exchange_version (entity, record_id, version, supersedes, bundle_id, direction, at)
                         VALUES (?1, ?2, ?3, ?4, ?5, 'out', ?6)",
                        params![entity, r.id, r.version, r.supersedes, info.bundle_uuid, at],
                    )?;
                }
            }
            tx.audit(
                "bundle.export",
                "exchange_bundle",
                &info.bundle_uuid,
                None,
                Some(json!({ "purpose": info.purpose.as_str(), "counts": info.counts, "attachments": info.attachments })),
            )
        })?;
        Ok((bytes, info, minisign_public_key(&key.verifying_key())))
    }

    /// The plan of importing a checked bundle here (nothing is written).
    pub fn bundle_plan(&self, bundle: &Bundle, file: &str, lang: Lang) -> Result<BundlePlan> {
        if bundle.info.purpose == Purpose::MemberAnswers {
            return self.member_bundle_plan(bundle, file, lang);
        }
        plan(&self.conn, bundle, file, lang)
    }

    /// Imports a checked bundle: refuses an untrusted sender unless `trust`, then applies the
    /// plan in one transaction (attachments are written to `data_dir` first, by content).
    /// With `dry_run` nothing is written.
    pub fn bundle_import(
        &mut self,
        actor: &str,
        data_dir: &Path,
        bundle: &Bundle,
        file: &str,
        options: ImportOptions,
        lang: Lang,
    ) -> Result<BundlePlan> {
        let ImportOptions { trust, dry_run } = options;
        if bundle.info.purpose == Purpose::MemberAnswers {
            return self.member_bundle_import(actor, bundle, file, dry_run, lang);
        }
        let first = plan(&self.conn, bundle, file, lang)?;
        if first.already_imported.is_some() {
            return Ok(first);
        }
        if !first.trusted && !trust {
            return Err(msg::UNTRUSTED
                .with("office", &bundle.info.sender_office)
                .with("fingerprint", &bundle.info.sender_key_fingerprint));
        }
        if dry_run {
            return Ok(first);
        }
        // Revocation lists are checked as `revocations import` checks them, signer included.
        let lists: Vec<ExRevocationList> = bundle
            .records
            .get("revocation_list")
            .into_iter()
            .flatten()
            .map(|r| serde_json::from_value(r.data.clone()).map_err(CoreError::internal))
            .collect::<Result<_>>()?;
        let signer = crate::office::TrustedKey::other(
            bundle.info.sender_key_fingerprint.clone(),
            bundle.info.sender_office.clone(),
            bundle.info.sender_public_key.clone(),
            now(),
            actor.to_string(),
        );
        let checked = lists
            .iter()
            .map(|l| self.revocation_list_check(l.file.as_bytes(), file, Some(&signer)))
            .collect::<Result<Vec<_>>>()?;
        for (sha, bytes) in &bundle.attachments {
            let path = attachment_path(data_dir, sha);
            if !path.exists() {
                let io = |e: std::io::Error| CoreError::Io {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                };
                std::fs::create_dir_all(path.parent().expect("attachment path has a parent"))
                    .map_err(io)?;
                std::fs::write(&path, bytes).map_err(io)?;
            }
        }
        self.write(actor, |tx| {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let mut p = plan(tx, bundle, file, lang)?;
            if p.already_imported.is_some() {
                return Ok(p);
            }
            if !p.trusted {
                tx.execute(
                    "INSERT INTO trusted_key (id, fingerprint, name, public_key, added_at, added_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![new_id(), signer.fingerprint, signer.name, signer.public_key, signer.added_at, tx.actor()],
                )?;
                tx.audit(
                    "key.trust",
                    "trusted_key",
                    &signer.fingerprint,
                    None,
                    Some(json!({ "fingerprint": signer.fingerprint, "name": signer.name, "public_key": signer.public_key, "bundle": bundle.info.bundle_uuid })),
                )?;
                p.trusted_now = true;
            }
            apply(tx, bundle, &p, &checked, file)?;
            p.applied = true;
            Ok(p)
        })
    }
}

/// How an import runs: `trust` an unknown sender on first use; `dry_run` writes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub trust: bool,
    pub dry_run: bool,
}

/// A stable id for an office's revocation list: a UUID made from its key's fingerprint.
fn revocation_list_id(fingerprint: &str) -> String {
    let d = crate::exchange::sha256_hex(format!("ocop-revocation-list:{fingerprint}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hex::decode(&d[..32]).expect("hex"));
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(b).hyphenated().to_string()
}

fn exists_here(conn: &Connection, entity: &str, id: &str) -> Result<bool> {
    let table = match entity {
        "criteria_sheet" => {
            return Ok(conn
                .query_row(
                    "SELECT 1 FROM criteria_sheet WHERE sha256 = ?1",
                    [id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        }
        "person" | "owner" | "product" | "round" | "dossier" | "score_sheet" | "recognition"
        | "certificate" => entity,
        _ => return Ok(false),
    };
    Ok(conn
        .query_row(
            &format!("SELECT 1 FROM {table} WHERE id = ?1"),
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn plan(conn: &Connection, bundle: &Bundle, file: &str, lang: Lang) -> Result<BundlePlan> {
    let info = &bundle.info;
    let own: bool = conn
        .query_row(
            "SELECT 1 FROM office_key WHERE fingerprint = ?1",
            [&info.sender_key_fingerprint],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if own {
        return Err(msg::OWN.with("fingerprint", &info.sender_key_fingerprint));
    }
    let trusted_pk: Option<String> = conn
        .query_row(
            "SELECT public_key FROM trusted_key WHERE fingerprint = ?1",
            [&info.sender_key_fingerprint],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(pk) = &trusted_pk {
        if !pk.eq_ignore_ascii_case(&info.sender_public_key) {
            return Err(msg::KEY_NAME_CLASH.with("fingerprint", &info.sender_key_fingerprint));
        }
    }
    let public = crate::office::payload::parse_public_key(&info.sender_public_key)?;
    let already: Option<String> = conn
        .query_row(
            "SELECT recorded_at FROM exchange_bundle WHERE id = ?1",
            [&info.bundle_uuid],
            |r| r.get(0),
        )
        .optional()?;
    let in_bundle: BTreeSet<(&str, &str)> = bundle
        .records
        .iter()
        .flat_map(|(e, rs)| rs.iter().map(move |r| (e.as_str(), r.id.as_str())))
        .collect();
    let mut records = Vec::new();
    let mut counts: BTreeMap<String, EntityCounts> = BTreeMap::new();
    for entity in ENTITIES {
        for r in bundle.records.get(*entity).into_iter().flatten() {
            check_typed(entity, &r.id, &r.data)?;
            for (target, tid) in references(entity, &r.data)? {
                if !in_bundle.contains(&(target, tid.as_str())) && !exists_here(conn, target, &tid)?
                {
                    return Err(msg::MISSING_REFERENCE
                        .with("entity", entity)
                        .with("id", &r.id)
                        .with("target", target)
                        .with("target_id", tid));
                }
            }
            if *entity == "dossier" {
                let d: ExDossier =
                    serde_json::from_value(r.data.clone()).map_err(CoreError::internal)?;
                for a in &d.attachments {
                    if !bundle.attachments.contains_key(&a.sha256) {
                        return Err(msg::MISSING_FILE
                            .with("name", format!("data/attachments/{}", a.sha256)));
                    }
                }
            }
            let (action, local) = if *entity == "revocation_list" {
                let l: ExRevocationList =
                    serde_json::from_value(r.data.clone()).map_err(CoreError::internal)?;
                let unknown = revocation_list_unknown(conn, &l.file)?;
                let seen = seen_versions(conn, entity, &r.id)?;
                let local = seen.last().map(|(v, _, _)| v.clone());
                (
                    if unknown > 0 {
                        if seen.is_empty() {
                            PlanAction::New
                        } else {
                            PlanAction::Updated
                        }
                    } else {
                        PlanAction::Unchanged
                    },
                    local,
                )
            } else {
                match load(conn, entity, &r.id)? {
                    None => (PlanAction::New, None),
                    Some(data) => {
                        let local = crate::exchange::version_of(&data);
                        let seen = seen_versions(conn, entity, &r.id)?;
                        let action =
                            if local == r.version || seen.iter().any(|(v, _, _)| *v == r.version) {
                                PlanAction::Unchanged
                            } else if r.supersedes.as_deref() == Some(local.as_str())
                                || seen.iter().any(|(v, _, d)| *v == local && d == "in")
                            {
                                PlanAction::Updated
                            } else if *entity == "criteria_sheet" {
                                // Content-addressed: a sheet here under the same hash is the same sheet.
                                PlanAction::Unchanged
                            } else {
                                PlanAction::Conflict
                            };
                        (action, Some(local))
                    }
                }
            };
            let c = counts
                .entry(entity.to_string())
                .or_insert_with(|| EntityCounts {
                    entity: entity.to_string(),
                    ..Default::default()
                });
            match action {
                PlanAction::New => c.new += 1,
                PlanAction::Updated => c.updated += 1,
                PlanAction::Unchanged => c.unchanged += 1,
                PlanAction::Conflict => c.conflict += 1,
            }
            records.push(PlanRecord {
                entity: entity.to_string(),
                id: r.id.clone(),
                label: label_of(&r.data),
                action,
                version: r.version.clone(),
                supersedes: r.supersedes.clone(),
                local_version: local,
            });
        }
    }
    let conflicts = records
        .iter()
        .filter(|r| r.action == PlanAction::Conflict)
        .count() as u32;
    let notice = match (&already, conflicts) {
        (Some(at), _) => Some(crate::error::render(
            msg::ALREADY_IMPORTED.text(lang),
            &[("bundle", info.bundle_uuid.clone()), ("at", at.clone())],
        )),
        (None, n) if n > 0 => Some(crate::error::render(
            msg::CONFLICTS.text(lang),
            &[("count", n.to_string())],
        )),
        _ => None,
    };
    Ok(BundlePlan {
        format: 1,
        file: file.to_string(),
        info: info.clone(),
        trusted: trusted_pk.is_some(),
        minisign_public_key: minisign_public_key(&public),
        already_imported: already,
        applied: false,
        trusted_now: false,
        entities: counts.into_values().collect(),
        records,
        conflicts,
        notice,
    })
}

/// How many revocations of a signed list are not known here yet (an unreadable list is refused
/// when it is applied).
fn revocation_list_unknown(conn: &Connection, file: &str) -> Result<u32> {
    let Ok(f) = serde_json::from_str::<crate::store::registry::RevocationListFile>(file) else {
        return Ok(1);
    };
    let Ok(body) = serde_json::from_str::<crate::store::registry::RevocationListBody>(&f.body)
    else {
        return Ok(1);
    };
    let mut n = 0;
    for item in &body.revocations {
        let known = conn
            .query_row(
                "SELECT 1 FROM foreign_revocation WHERE key_fingerprint = ?1 AND certificate_no = ?2",
                params![item.key, item.certificate_no],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        n += u32::from(!known);
    }
    Ok(n)
}

fn typed<T: DeserializeOwned>(r: &Record) -> Result<T> {
    serde_json::from_value(r.data.clone()).map_err(CoreError::internal)
}

fn apply(
    tx: &Tx,
    bundle: &Bundle,
    plan: &BundlePlan,
    lists: &[crate::store::registry::CheckedRevocationList],
    file: &str,
) -> Result<()> {
    let info = &bundle.info;
    let at = now();
    let actions: BTreeMap<(&str, &str), PlanAction> = plan
        .records
        .iter()
        .map(|p| ((p.entity.as_str(), p.id.as_str()), p.action))
        .collect();
    let summary = json!(plan.entities);
    tx.execute(
        "INSERT INTO exchange_bundle (id, direction, purpose, office, key_fingerprint, created, recorded_at, recorded_by, summary)
         VALUES (?1, 'in', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![info.bundle_uuid, info.purpose.as_str(), info.sender_office, info.sender_key_fingerprint, info.created, at, tx.actor(), summary.to_string()],
    )?;
    let mut lists = lists.iter();
    for entity in ENTITIES {
        for r in bundle.records.get(*entity).into_iter().flatten() {
            let action = actions[&(*entity, r.id.as_str())];
            match action {
                PlanAction::New | PlanAction::Updated => {
                    write_record(
                        tx,
                        entity,
                        r,
                        lists.next().filter(|_| *entity == "revocation_list"),
                        file,
                    )?;
                    tx.audit(
                        if action == PlanAction::New { "bundle.record_new" } else { "bundle.record_update" },
                        entity,
                        &r.id,
                        None,
                        Some(json!({ "version": r.version, "supersedes": r.supersedes, "bundle": info.bundle_uuid })),
                    )?;
                }
                PlanAction::Conflict => {
                    let local = plan
                        .records
                        .iter()
                        .find(|p| p.entity == *entity && p.id == r.id)
                        .and_then(|p| p.local_version.clone())
                        .unwrap_or_default();
                    tx.execute(
                        "INSERT INTO exchange_conflict (id, bundle_id, entity, record_id, local_version, incoming_version, supersedes, record, at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![new_id(), info.bundle_uuid, entity, r.id, local, r.version, r.supersedes, serde_json::to_string(r).expect("a record serialises"), at],
                    )?;
                    tx.audit(
                        "bundle.conflict",
                        entity,
                        &r.id,
                        None,
                        Some(json!({ "local_version": local, "version": r.version, "bundle": info.bundle_uuid })),
                    )?;
                    continue;
                }
                PlanAction::Unchanged => {
                    if *entity == "revocation_list" {
                        lists.next();
                    }
                }
            }
            tx.execute(
                "INSERT OR IGNORE INTO exchange_version (entity, record_id, version, supersedes, bundle_id, direction, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'in', ?6)",
                params![entity, r.id, r.version, r.supersedes, info.bundle_uuid, at],
            )?;
        }
    }
    if info.purpose == Purpose::CentreToProvince {
        record_central_results(tx, bundle)?;
    }
    tx.audit(
        "bundle.import",
        "exchange_bundle",
        &info.bundle_uuid,
        None,
        Some(json!({ "office": info.sender_office, "key": info.sender_key_fingerprint, "purpose": info.purpose.as_str(), "file": file, "entities": plan.entities, "conflicts": plan.conflicts })),
    )?;
    Ok(())
}

fn write_record(
    tx: &Tx,
    entity: &str,
    r: &Record,
    list: Option<&crate::store::registry::CheckedRevocationList>,
    file: &str,
) -> Result<()> {
    let id = r.id.as_str();
    match entity {
        "criteria_sheet" => {
            let s: ExCriteriaSheet = typed(r)?;
            tx.execute(
                "INSERT OR IGNORE INTO criteria_sheet (sha256, decision_id, set_code, name, body, loaded_at, current)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
                params![id, s.decision_id, s.set_code, s.name, s.body, now()],
            )?;
        }
        "person" => {
            let p: ExPerson = typed(r)?;
            tx.execute(
                "INSERT INTO person (id, full_name, title, unit, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET full_name=?2, title=?3, unit=?4, created_at=?5, updated_at=?6",
                params![id, p.full_name, p.title, p.unit, p.created_at, p.updated_at],
            )?;
        }
        "owner" => {
            let o: ExOwner = typed(r)?;
            let search = crate::text::fold(&format!(
                "{} {} {} {}",
                o.name, o.representative, o.commune, o.registration_no
            ));
            tx.execute(
                "INSERT INTO owner (id, name, kind, representative, rep_sex, rep_ethnicity, address, commune, district,
                    province, phone, email, registration_no, search, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                 ON CONFLICT(id) DO UPDATE SET name=?2, kind=?3, representative=?4, rep_sex=?5, rep_ethnicity=?6,
                    address=?7, commune=?8, district=?9, province=?10, phone=?11, email=?12, registration_no=?13,
                    search=?14, created_at=?15, updated_at=?16",
                params![id, o.name, o.kind, o.representative, o.rep_sex, o.rep_ethnicity, o.address, o.commune, o.district,
                    o.province, o.phone, o.email, o.registration_no, search, o.created_at, o.updated_at],
            )?;
        }
        "product" => {
            let p: ExProduct = typed(r)?;
            let search = crate::text::fold(&format!("{} {}", p.name, p.code));
            tx.execute(
                "INSERT INTO product (id, owner_id, name, decision_id, set_code, code, search, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(id) DO UPDATE SET owner_id=?2, name=?3, decision_id=?4, set_code=?5, code=?6, search=?7,
                    created_at=?8, updated_at=?9",
                params![id, p.owner_id, p.name, p.decision_id, p.set_code, p.code, search, p.created_at, p.updated_at],
            )?;
        }
        "round" => {
            let x: ExRound = typed(r)?;
            tx.execute(
                "INSERT INTO round (id, name, level, decision_id, procedure, date, place, status, rules, demo,
                    created_at, updated_at, finalised_at, results)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT(id) DO UPDATE SET name=?2, level=?3, decision_id=?4, procedure=?5, date=?6, place=?7,
                    status=?8, rules=?9, demo=?10, created_at=?11, updated_at=?12, finalised_at=?13, results=?14",
                params![id, x.name, x.level, x.decision_id, x.procedure, x.date, x.place, x.status, x.rules.to_string(),
                    x.demo, x.created_at, x.updated_at, x.finalised_at, x.results.as_ref().map(Value::to_string)],
            )?;
            tx.execute("DELETE FROM round_member WHERE round_id = ?1", [id])?;
            tx.execute("DELETE FROM recusal WHERE round_id = ?1", [id])?;
            tx.execute("DELETE FROM spread_review WHERE round_id = ?1", [id])?;
            for m in &x.members {
                tx.execute(
                    "INSERT INTO round_member (round_id, person_id, role, present) VALUES (?1, ?2, ?3, ?4)",
                    params![id, m.person_id, m.role, m.present],
                )?;
            }
            for c in &x.recusals {
                tx.execute(
                    "INSERT INTO recusal (round_id, person_id, product_id, reason) VALUES (?1, ?2, ?3, ?4)",
                    params![id, c.person_id, c.product_id, c.reason],
                )?;
            }
            for s in &x.spread_reviews {
                tx.execute(
                    "INSERT INTO spread_review (round_id, product_id, note, spread_before, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, s.product_id, s.note, s.spread_before, s.recorded_at],
                )?;
            }
        }
        "dossier" => {
            let d: ExDossier = typed(r)?;
            tx.execute(
                "INSERT INTO dossier (id, round_id, product_id, application_type, received_on, checklist, permits, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(id) DO UPDATE SET round_id=?2, product_id=?3, application_type=?4, received_on=?5,
                    checklist=?6, permits=?7, created_at=?8, updated_at=?9",
                params![id, d.round_id, d.product_id, d.application_type, d.received_on, d.checklist.to_string(),
                    d.permits.to_string(), d.created_at, d.updated_at],
            )?;
            let here = dossier_extra_columns(tx)?;
            for (col, v) in &d.extra {
                // Only a column this database has: its name comes from the schema, never the bundle.
                let Some(col) = here.iter().find(|c| *c == col) else {
                    return Err(msg::BAD_RECORD
                        .with("name", "dossier")
                        .with("line", id)
                        .with("detail", col));
                };
                let v: rusqlite::types::Value = match v {
                    Value::Null => rusqlite::types::Value::Null,
                    Value::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
                    Value::Number(n) => match n.as_i64() {
                        Some(i) => rusqlite::types::Value::Integer(i),
                        None => rusqlite::types::Value::Real(n.as_f64().unwrap_or(0.0)),
                    },
                    Value::String(s) => rusqlite::types::Value::Text(s.clone()),
                    other => rusqlite::types::Value::Text(other.to_string()),
                };
                tx.execute(
                    &format!("UPDATE dossier SET \"{col}\" = ?1 WHERE id = ?2"),
                    params![v, id],
                )?;
            }
            tx.execute("DELETE FROM dossier_attachment WHERE dossier_id = ?1", [id])?;
            for a in &d.attachments {
                tx.execute(
                    "INSERT OR IGNORE INTO attachment (sha256, mime, size, added_at) VALUES (?1, ?2, ?3, ?4)",
                    params![a.sha256, a.mime, a.size, now()],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO dossier_attachment (dossier_id, sha256, name) VALUES (?1, ?2, ?3)",
                    params![id, a.sha256, a.name],
                )?;
            }
        }
        "score_sheet" => {
            let s: ExScoreSheet = typed(r)?;
            tx.execute(
                "INSERT INTO score_sheet (id, round_id, product_id, person_id, sheet_sha256, version, pass, entry, keyed_by,
                    status, elimination, comment, signed_at, reopen_reason, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                 ON CONFLICT(id) DO UPDATE SET round_id=?2, product_id=?3, person_id=?4, sheet_sha256=?5, version=?6,
                    pass=?7, entry=?8, keyed_by=?9, status=?10, elimination=?11, comment=?12, signed_at=?13,
                    reopen_reason=?14, created_at=?15, updated_at=?16",
                params![id, s.round_id, s.product_id, s.person_id, s.sheet_sha256, s.version, s.pass, s.entry, s.keyed_by,
                    s.status, s.elimination, s.comment, s.signed_at, s.reopen_reason, s.created_at, s.updated_at],
            )?;
            tx.execute("DELETE FROM answer WHERE sheet_id = ?1", [id])?;
            for a in &s.answers {
                tx.execute(
                    "INSERT INTO answer (sheet_id, criterion, option_index, updated_at) VALUES (?1, ?2, ?3, ?4)",
                    params![id, a.criterion, a.option_index, a.updated_at],
                )?;
            }
        }
        "recognition" => {
            let x: ExRecognition = typed(r)?;
            tx.execute(
                "INSERT INTO recognition (id, round_id, number, date, signer, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET round_id=?2, number=?3, date=?4, signer=?5, created_at=?6",
                params![id, x.round_id, x.number, x.date, x.signer.to_string(), x.created_at],
            )?;
        }
        "certificate" => {
            let c: ExCertificate = typed(r)?;
            tx.execute(
                "INSERT INTO certificate (id, recognition_id, product_id, number, star, score, issued_on, valid_until,
                    payload, revoked_on, revoked_reason, created_at, format, qr)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT(id) DO UPDATE SET recognition_id=?2, product_id=?3, number=?4, star=?5, score=?6,
                    issued_on=?7, valid_until=?8, payload=?9, revoked_on=?10, revoked_reason=?11, created_at=?12, format=?13,
                    qr=?14",
                params![id, c.recognition_id, c.product_id, c.number, c.star, c.score, c.issued_on, c.valid_until,
                    c.payload, c.revoked_on, c.revoked_reason, c.created_at, c.format, c.qr],
            )?;
        }
        "revocation_list" => {
            let list = list.ok_or_else(|| CoreError::internal("revocation list not checked"))?;
            crate::store::registry::revocation_list_apply(tx, list, file)?;
        }
        _ => return Err(msg::EXTRA_FILE.with("name", entity)),
    }
    Ok(())
}

/// Counts and a hash of every table's contents, for tests that check an import changed nothing.
#[cfg(any(test, feature = "test-support"))]
pub fn fingerprint_tables(conn: &Connection) -> Result<String> {
    use sha2::{Digest, Sha256};
    let tables = ids(
        conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        &[],
    )?;
    let mut h = Sha256::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{t}\"")))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut count = 0u64;
        while let Some(row) = rows.next()? {
            count += 1;
            for i in 0..n {
                h.update(sql_to_json(row.get_ref(i)?).to_string().as_bytes());
                h.update([0]);
            }
        }
        h.update(format!("{t}:{count};").as_bytes());
    }
    Ok(hex::encode(h.finalize()))
}

/// The centre's results in a `centre_to_province` bundle become this province's central results
/// (`store::central`): one per product of a finalised central round whose result is complete,
/// unless the same result (product, date, round) is here already. A product under 90 with 3★ or
/// 4★ can then be recognised by the province on it (QĐ 26/2026).
fn record_central_results(tx: &Tx, bundle: &Bundle) -> Result<()> {
    for r in bundle.records.get("round").into_iter().flatten() {
        let row: Option<(String, String, String, String, Option<String>)> = tx
            .query_row(
                "SELECT date, name, level, status, results FROM round WHERE id = ?1",
                [&r.id],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?)),
            )
            .optional()?;
        let Some((date, name, level, status, Some(text))) = row else {
            continue;
        };
        if level != "centre" || status != "finalised" {
            continue;
        }
        for line in FrozenResults::parse(&r.id, &text)?.into_lines() {
            let Some(mean) = line.result.mean_total.filter(|_| line.result.complete) else {
                continue;
            };
            if crate::store::central::recorded_at(tx, &line.product_id, &date, &name)?.is_some() {
                continue;
            }
            // The provincial round that forwarded it, when this office holds one.
            let forwarded_in: Option<String> = tx
                .query_row(
                    "SELECT d.round_id FROM dossier d JOIN round ro ON ro.id = d.round_id
                     WHERE d.product_id = ?1 AND ro.level != 'centre' ORDER BY ro.date DESC LIMIT 1",
                    [&line.product_id],
                    |x| x.get(0),
                )
                .optional()?;
            let input = crate::central::CentralResultInput {
                product_id: line.product_id.clone(),
                round_id: forwarded_in,
                decision_id: line.decision.clone(),
                body: bundle.info.sender_office.clone(),
                reference: name.clone(),
                scored_on: date.clone(),
                mean_total: mean,
                star: line.result.star,
                eliminated: line.result.eliminated,
            };
            let actor = tx.actor().to_string();
            crate::store::central::insert_central_result_tx(
                tx,
                &input,
                &line.decision,
                "bundle",
                Some(&bundle.info.bundle_uuid),
                &actor,
            )?;
        }
    }
    Ok(())
}

impl Store {
    /// The conflicts kept apart at import, unsettled first, newest first.
    pub fn exchange_conflicts(&self) -> Result<Vec<crate::exchange::ExchangeConflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.bundle_id, b.office, c.entity, c.record_id, c.local_version, c.incoming_version,
                    c.record, c.at, c.resolved_at, c.resolution
             FROM exchange_conflict c JOIN exchange_bundle b ON b.id = c.bundle_id
             ORDER BY c.resolved_at IS NOT NULL, c.at DESC, c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let record: String = r.get(7)?;
            Ok((
                crate::exchange::ExchangeConflict {
                    format: 1,
                    id: r.get(0)?,
                    bundle_id: r.get(1)?,
                    office: r.get(2)?,
                    entity: r.get(3)?,
                    record_id: r.get(4)?,
                    label: String::new(),
                    local_version: r.get(5)?,
                    incoming_version: r.get(6)?,
                    at: r.get(8)?,
                    resolved_at: r.get(9)?,
                    resolution: r
                        .get::<_, Option<String>>(10)?
                        .as_deref()
                        .and_then(crate::exchange::ConflictResolution::parse),
                },
                record,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut c, record) = row?;
            let record: Record = serde_json::from_str(&record)
                .map_err(|e| CoreError::unreadable(crate::error::Entity::Conflict, e))?;
            c.label = label_of(&record.data);
            out.push(c);
        }
        Ok(out)
    }

    /// Settles a conflict: keep the copy here, or take the incoming record (written as an
    /// import writes it, its attachments already here). Either way the incoming version counts
    /// as seen, so the same version sent again is unchanged; and either way it is audited.
    pub fn resolve_conflict(
        &mut self,
        actor: &str,
        id: &str,
        how: crate::exchange::ConflictResolution,
    ) -> Result<crate::exchange::ExchangeConflict> {
        let row: Option<(String, String, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT bundle_id, entity, record, resolved_at FROM exchange_conflict WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((bundle_id, entity, record, resolved_at)) = row else {
            return Err(msg::CONFLICT_NOT_FOUND.with("id", id));
        };
        if let Some(at) = resolved_at {
            return Err(
                msg::CONFLICT_SETTLED.with("date", crate::text::dmy(&at[..10.min(at.len())]))
            );
        }
        let r: Record = serde_json::from_str(&record).map_err(CoreError::internal)?;
        let at = now();
        self.write(actor, |tx| {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let before = load(tx, &entity, &r.id)?;
            if how == crate::exchange::ConflictResolution::TookIncoming {
                write_record(tx, &entity, &r, None, "")?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO exchange_version (entity, record_id, version, supersedes, bundle_id, direction, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'in', ?6)",
                params![entity, r.id, r.version, r.supersedes, bundle_id, at],
            )?;
            tx.execute(
                "UPDATE exchange_conflict SET resolved_at = ?2, resolved_by = ?3, resolution = ?4 WHERE id = ?1",
                params![id, at, tx.actor(), how.as_str()],
            )?;
            tx.audit(
                "bundle.conflict_resolve",
                &entity,
                &r.id,
                before.map(|b| json!({ "version": crate::exchange::version_of(&b) })),
                Some(json!({ "resolution": how.as_str(), "incoming_version": r.version, "conflict": id })),
            )
        })?;
        self.exchange_conflicts()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| msg::CONFLICT_NOT_FOUND.with("id", id))
    }
}
