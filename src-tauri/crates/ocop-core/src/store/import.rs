//! The SQL of the .xlsx import ([`crate::import`]): the records a file's rows are matched against,
//! and the writes of a confirmed plan (the caller audits each one in the same transaction).

use rusqlite::{params, Connection, OptionalExtension};

use super::directory::{
    owner_from, product_from, write_owner_row, write_product_row, PRODUCT_SELECT,
};
use super::{new_id, now, Tx};
use crate::error::{CoreError, Entity, Result};
use crate::model::{ApplicationType, Owner, Product, ProductInput, RoundStatus};

/// The round a file is imported into.
#[derive(Debug, Clone)]
pub(crate) struct RoundFacts {
    pub id: String,
    pub name: String,
    pub decision_id: String,
    pub status: RoundStatus,
}

/// A dossier of that round.
#[derive(Debug, Clone)]
pub(crate) struct DossierFacts {
    pub id: String,
    pub product_id: String,
    pub application_type: ApplicationType,
    pub received_on: String,
}

/// A registry entry, for a registry import.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EntryFacts {
    pub id: String,
    pub product_id: String,
    pub number: String,
    pub star: u8,
    pub decision_no: String,
    pub decision_date: String,
    pub imported: bool,
}

/// Everything an import is matched against, read at one time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Directory {
    pub owners: Vec<Owner>,
    pub products: Vec<Product>,
    pub round: Option<RoundFacts>,
    pub dossiers: Vec<DossierFacts>,
    /// Only for a registry import.
    pub registry: bool,
    pub entries: Vec<EntryFacts>,
    /// The body that issues what the office recognises ("ỦY BAN NHÂN DÂN TỈNH …").
    pub people_committee: String,
}

/// The directory with the registry's entries, for a registry import.
pub(crate) fn registry_directory(conn: &Connection) -> Result<Directory> {
    let mut dir = directory(conn, None)?;
    dir.registry = true;
    dir.entries = conn
        .prepare(
            "SELECT id, product_id, number, star, decision_no, decision_date, kind = 'imported'
             FROM registry_entry ORDER BY decision_date, id",
        )?
        .query_map([], |r| {
            Ok(EntryFacts {
                id: r.get(0)?,
                product_id: r.get(1)?,
                number: r.get(2)?,
                star: r.get(3)?,
                decision_no: r.get(4)?,
                decision_date: r.get(5)?,
                imported: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    dir.people_committee = conn
        .query_row(
            "SELECT json_extract(value, '$.people_committee') FROM setting WHERE key = 'office'",
            [],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten()
        .unwrap_or_default();
    Ok(dir)
}

/// Changes an imported entry's star, date and number (its validity follows the date).
pub(crate) fn update_imported_entry(
    tx: &Tx,
    id: &str,
    star: u8,
    decision_date: &str,
    valid_until: &str,
    number: &str,
) -> Result<()> {
    let decision_no: String = tx.query_row(
        "SELECT decision_no FROM registry_entry WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE registry_entry SET star = ?2, decision_date = ?3, valid_until = ?4, number = ?5,
             search = ?6
         WHERE id = ?1 AND kind = 'imported'",
        params![
            id,
            star,
            decision_date,
            valid_until,
            number,
            super::registry::entry_search(number, &decision_no)
        ],
    )?;
    Ok(())
}

/// Every owner and product (in creation order), and the round with its dossiers.
pub(crate) fn directory(conn: &Connection, round_id: Option<&str>) -> Result<Directory> {
    let owners = conn
        .prepare("SELECT * FROM owner ORDER BY created_at, id")?
        .query_map([], owner_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let products = conn
        .prepare(&format!("{PRODUCT_SELECT} ORDER BY p.created_at, p.id"))?
        .query_map([], product_from)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some(round_id) = round_id else {
        return Ok(Directory {
            owners,
            products,
            ..Default::default()
        });
    };
    let round = conn
        .query_row(
            "SELECT id, name, decision_id, status FROM round WHERE id = ?1",
            [round_id],
            |r| {
                Ok(RoundFacts {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    decision_id: r.get(2)?,
                    status: RoundStatus::parse(&r.get::<_, String>(3)?),
                })
            },
        )
        .optional()?
        .ok_or_else(|| CoreError::NotFound {
            kind: Entity::Round,
            id: round_id.into(),
        })?;
    let dossiers = conn
        .prepare(
            "SELECT id, product_id, application_type, received_on FROM dossier WHERE round_id = ?1 ORDER BY id",
        )?
        .query_map([round_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .map(|row| {
            let (id, product_id, app, received_on) = row?;
            let application_type = ApplicationType::parse(&app)
                .ok_or_else(|| CoreError::unreadable(Entity::Dossier, &id))?;
            Ok(DossierFacts {
                id,
                product_id,
                application_type,
                received_on,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Directory {
        owners,
        products,
        round: Some(round),
        dossiers,
        ..Default::default()
    })
}

/// Inserts (empty id) or updates an owner; returns its id.
pub(crate) fn write_owner(tx: &Tx, owner: &Owner) -> Result<String> {
    Ok(write_owner_row(tx, owner)?.0)
}

/// Inserts (empty id) or updates a product; returns its id.
pub(crate) fn write_product(tx: &Tx, product: &ProductInput) -> Result<String> {
    Ok(write_product_row(tx, product)?.0)
}

/// Adds a dossier (empty checklist, no permits) or, for an existing one, sets only its
/// application type and date received: what the secretary ticked and recorded stays.
pub(crate) fn write_dossier(
    tx: &Tx,
    round_id: &str,
    existing: Option<&str>,
    product_id: &str,
    application: ApplicationType,
    received_on: &str,
) -> Result<String> {
    let t = now();
    match existing {
        Some(id) => {
            tx.execute(
                "UPDATE dossier SET application_type = ?2, received_on = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, application.as_str(), received_on, t],
            )?;
            Ok(id.to_string())
        }
        None => {
            let id = new_id();
            tx.execute(
                "INSERT INTO dossier (id, round_id, product_id, application_type, received_on, checklist, permits, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '{}', '[]', ?6, ?6)",
                params![id, round_id, product_id, application.as_str(), received_on, t],
            )?;
            Ok(id)
        }
    }
}
