//! The member directory (with PINs), owners and products.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension, Row};
use serde_json::json;

use super::{new_id, now, Store, Tx};
use crate::error::{CoreError, Entity, Result};
use crate::model::{ListFilter, Owner, OwnerKind, Person, PersonInput, Product, ProductInput};
use crate::text::{fold, nfc};

pub mod msg {
    crate::messages! {
        BAD_PRODUCT_CODE = "product.bad_code" {
            vi: "Mã số sản phẩm '{code}' không đúng dạng Tỉnh-Xã-STT-Năm (ví dụ 38-16213-012-2026) hoặc Tỉnh-Huyện-Xã-STT-Năm",
            en: "Product code '{code}' is not of the form Province-Commune-No-Year (e.g. 38-16213-012-2026) or Province-District-Commune-No-Year",
        }
        PIN_FORMAT = "pin.format" {
            vi: "Mã PIN phải gồm 4 đến 8 chữ số",
            en: "A PIN has 4 to 8 digits",
        }
        PERSON_NAME_MISSING = "person.name_missing" {
            vi: "Chưa nhập họ và tên",
            en: "The full name is missing",
        }
        PIN_LOCKED = "pin.locked" {
            vi: "{name} đã nhập sai mã PIN quá {max} lần; tạm khóa đến {until} (giờ UTC)",
            en: "{name} entered a wrong PIN more than {max} times; locked until {until} (UTC)",
        }
        PIN_NOT_SET = "pin.not_set" {
            vi: "{name} chưa đặt mã PIN",
            en: "{name} has no PIN yet",
        }
        PIN_WRONG_NOW_LOCKED = "pin.wrong_locked" {
            vi: "Mã PIN không đúng. {name} bị tạm khóa {minutes} phút.",
            en: "Wrong PIN. {name} is locked for {minutes} minutes.",
        }
        PIN_WRONG = "pin.wrong" {
            vi: "Mã PIN không đúng (còn {left} lần thử)",
            en: "Wrong PIN ({left} tries left)",
        }
        OWNER_NAME_MISSING = "owner.name_missing" {
            vi: "Chưa nhập tên chủ thể",
            en: "The owner's name is missing",
        }
        OWNER_BAD_SEX = "owner.bad_sex" {
            vi: "Giới tính '{sex}' không hợp lệ (nam, nu)",
            en: "Invalid sex '{sex}' (nam, nu)",
        }
        PRODUCT_NAME_MISSING = "product.name_missing" {
            vi: "Chưa nhập tên sản phẩm",
            en: "The product's name is missing",
        }
    }
}

/// Wrong PINs allowed before the person is locked out.
pub const PIN_MAX_FAILURES: i64 = 5;
/// How long a lockout lasts.
pub const PIN_LOCK_MINUTES: i64 = 10;

fn person_from(r: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get("id")?,
        full_name: r.get("full_name")?,
        title: r.get("title")?,
        unit: r.get("unit")?,
        has_pin: r.get::<_, Option<String>>("pin_hash")?.is_some(),
    })
}

pub(crate) fn owner_from(r: &Row) -> rusqlite::Result<Owner> {
    Ok(Owner {
        id: r.get("id")?,
        name: r.get("name")?,
        kind: OwnerKind::parse(&r.get::<_, String>("kind")?).unwrap_or_default(),
        representative: r.get("representative")?,
        rep_sex: r.get("rep_sex")?,
        rep_ethnicity: r.get("rep_ethnicity")?,
        address: r.get("address")?,
        commune: r.get("commune")?,
        district: r.get("district")?,
        province: r.get("province")?,
        phone: r.get("phone")?,
        email: r.get("email")?,
        registration_no: r.get("registration_no")?,
    })
}

pub(crate) const PRODUCT_SELECT: &str = "SELECT p.id, p.owner_id, o.name AS owner_name, o.commune, p.name, p.decision_id,
        p.set_code, COALESCE(cs.name, '') AS set_name, p.code
     FROM product p JOIN owner o ON o.id = p.owner_id
     LEFT JOIN criteria_sheet cs ON cs.decision_id = p.decision_id AND cs.set_code = p.set_code AND cs.current = 1";

pub(crate) fn product_from(r: &Row) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get("id")?,
        owner_id: r.get("owner_id")?,
        owner_name: r.get("owner_name")?,
        commune: r.get("commune")?,
        name: r.get("name")?,
        decision_id: r.get("decision_id")?,
        set_code: r.get("set_code")?,
        set_name: r.get("set_name")?,
        code: r.get("code")?,
    })
}

/// Checks a product code: T-X-STT-năm (26/2026) or T-H-X-STT-năm (older form), all numeric.
pub fn check_product_code(code: &str) -> Result<()> {
    if code.trim().is_empty() {
        return Ok(());
    }
    let parts: Vec<&str> = code.trim().split('-').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let year_ok = parts.last().is_some_and(|y| y.len() == 4);
    if numeric && year_ok && (parts.len() == 4 || parts.len() == 5) {
        Ok(())
    } else {
        Err(msg::BAD_PRODUCT_CODE.with("code", code))
    }
}

fn hash_pin(pin: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(CoreError::internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(CoreError::internal)?;
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(CoreError::internal)?
        .to_string())
}

fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(msg::PIN_FORMAT.err())
    }
}

impl Store {
    pub fn add_person(&mut self, actor: &str, input: &PersonInput) -> Result<Person> {
        let name = nfc(input.full_name.trim());
        if name.is_empty() {
            return Err(msg::PERSON_NAME_MISSING.err());
        }
        let id = new_id();
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO person (id, full_name, title, unit, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![id, name, nfc(input.title.trim()), nfc(input.unit.trim()), now()],
            )?;
            tx.audit("person.add", "person", &id, None, Some(json!({ "full_name": name })))
        })?;
        self.person(&id)
    }

    pub fn update_person(&mut self, actor: &str, id: &str, input: &PersonInput) -> Result<Person> {
        let before = self.person(id)?;
        let name = nfc(input.full_name.trim());
        if name.is_empty() {
            return Err(msg::PERSON_NAME_MISSING.err());
        }
        let (title, unit) = (nfc(input.title.trim()), nfc(input.unit.trim()));
        self.write(actor, |tx| {
            tx.execute(
                "UPDATE person SET full_name = ?2, title = ?3, unit = ?4, updated_at = ?5 WHERE id = ?1",
                params![id, name, title, unit, now()],
            )?;
            tx.audit(
                "person.update",
                "person",
                id,
                Some(json!({ "full_name": before.full_name, "title": before.title, "unit": before.unit })),
                Some(json!({ "full_name": name, "title": title, "unit": unit })),
            )
        })?;
        self.person(id)
    }

    pub fn person(&self, id: &str) -> Result<Person> {
        self.conn
            .query_row("SELECT * FROM person WHERE id = ?1", [id], person_from)
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Person,
                id: id.into(),
            })
    }

    pub fn persons(&self, query: Option<&str>) -> Result<Vec<Person>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM person ORDER BY full_name")?;
        let all = stmt
            .query_map([], person_from)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let q = query.map(fold).unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|p| {
                q.is_empty()
                    || fold(&format!("{} {} {}", p.full_name, p.title, p.unit)).contains(&q)
            })
            .collect())
    }

    /// Sets a person's PIN. Changing an existing PIN needs the current one.
    pub fn set_pin(&mut self, person_id: &str, current: Option<&str>, new_pin: &str) -> Result<()> {
        check_pin_format(new_pin)?;
        let p = self.person(person_id)?;
        if p.has_pin {
            self.verify_pin(person_id, current.unwrap_or(""))?;
        }
        let hash = hash_pin(new_pin)?;
        self.write(&p.full_name, |tx| {
            tx.execute(
                "UPDATE person SET pin_hash = ?2, pin_failures = 0, locked_until = NULL, updated_at = ?3 WHERE id = ?1",
                params![person_id, hash, now()],
            )?;
            tx.audit("person.set_pin", "person", person_id, None, None)
        })
    }

    /// Checks a PIN, counting failures and locking the person out after too many.
    pub fn verify_pin(&mut self, person_id: &str, pin: &str) -> Result<()> {
        let (name, hash, failures, locked): (String, Option<String>, i64, Option<String>) = self
            .conn
            .query_row(
                "SELECT full_name, pin_hash, pin_failures, locked_until FROM person WHERE id = ?1",
                [person_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Person,
                id: person_id.into(),
            })?;
        let now_s = now();
        if let Some(until) = locked.filter(|u| *u > now_s) {
            return Err(msg::PIN_LOCKED
                .with("name", &name)
                .with("max", PIN_MAX_FAILURES)
                .with("until", until[..16].replace('T', " ")));
        }
        let Some(hash) = hash else {
            return Err(msg::PIN_NOT_SET.with("name", name));
        };
        let parsed =
            PasswordHash::new(&hash).map_err(|e| CoreError::unreadable(Entity::Person, e))?;
        if Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
        {
            self.conn.execute(
                "UPDATE person SET pin_failures = 0, locked_until = NULL WHERE id = ?1",
                [person_id],
            )?;
            return Ok(());
        }
        let failures = failures + 1;
        let lock = (failures >= PIN_MAX_FAILURES).then(|| {
            (chrono::Utc::now() + chrono::Duration::minutes(PIN_LOCK_MINUTES))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        });
        self.write(&name, |tx| {
            tx.execute(
                "UPDATE person SET pin_failures = ?2, locked_until = ?3 WHERE id = ?1",
                params![person_id, if lock.is_some() { 0 } else { failures }, lock],
            )?;
            tx.audit(
                "person.pin_failed",
                "person",
                person_id,
                None,
                Some(json!({ "failures": failures, "locked_until": lock })),
            )
        })?;
        Err(match lock {
            Some(_) => msg::PIN_WRONG_NOW_LOCKED
                .with("name", name)
                .with("minutes", PIN_LOCK_MINUTES),
            None => msg::PIN_WRONG.with("left", PIN_MAX_FAILURES - failures),
        })
    }

    /// Adds (empty id) or updates an owner.
    pub fn save_owner(&mut self, actor: &str, o: &Owner) -> Result<Owner> {
        let name = nfc(o.name.trim());
        if name.is_empty() {
            return Err(msg::OWNER_NAME_MISSING.err());
        }
        if !["", "nam", "nu"].contains(&o.rep_sex.as_str()) {
            return Err(msg::OWNER_BAD_SEX.with("sex", &o.rep_sex));
        }
        let id = self.write(actor, |tx| save_owner_tx(tx, o))?;
        self.owner(&id)
    }

    pub fn owner(&self, id: &str) -> Result<Owner> {
        self.conn
            .query_row("SELECT * FROM owner WHERE id = ?1", [id], owner_from)
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Owner,
                id: id.into(),
            })
    }

    pub fn owners(&self, f: &ListFilter) -> Result<Vec<Owner>> {
        let q = f.query.as_deref().map(fold).unwrap_or_default();
        let commune = f.commune.as_deref().map(fold).unwrap_or_default();
        let mut stmt = self.conn.prepare(
            "SELECT * FROM owner WHERE (?1 = '' OR search LIKE '%' || ?1 || '%') ORDER BY name LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![q, f.limit.unwrap_or(10_000)], owner_from)?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|o| commune.is_empty() || fold(&o.commune) == commune)
            .collect())
    }

    pub fn save_product(&mut self, actor: &str, p: &ProductInput) -> Result<Product> {
        let id = self.write(actor, |tx| save_product_tx(tx, p))?;
        self.product(&id)
    }

    pub fn product(&self, id: &str) -> Result<Product> {
        self.conn
            .query_row(
                &format!("{PRODUCT_SELECT} WHERE p.id = ?1"),
                [id],
                product_from,
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::Product,
                id: id.into(),
            })
    }

    /// Products matching a filter, diacritic-insensitive on name, code, owner and commune.
    pub fn products(&self, f: &ListFilter) -> Result<Vec<Product>> {
        let q = f.query.as_deref().map(fold).unwrap_or_default();
        let sql = format!(
            "{PRODUCT_SELECT} WHERE (?1 = '' OR p.search LIKE '%' || ?1 || '%' OR o.search LIKE '%' || ?1 || '%')
               AND (?2 = '' OR p.set_code = ?2)
             ORDER BY p.name LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                q,
                f.set_code.clone().unwrap_or_default(),
                f.limit.unwrap_or(100_000)
            ],
            product_from,
        )?;
        let commune = f.commune.as_deref().map(fold).unwrap_or_default();
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|p| commune.is_empty() || fold(&p.commune) == commune)
            .collect())
    }
}

pub(crate) fn save_owner_tx(tx: &Tx, o: &Owner) -> Result<String> {
    let (id, existed) = write_owner_row(tx, o)?;
    tx.audit(
        if existed { "owner.update" } else { "owner.add" },
        "owner",
        &id,
        None,
        Some(json!({ "name": nfc(o.name.trim()), "commune": o.commune, "registration_no": o.registration_no })),
    )?;
    Ok(id)
}

/// Inserts (empty or unknown id) or updates an owner row; the caller audits. Returns the id and
/// whether the row existed.
pub(crate) fn write_owner_row(tx: &Tx, o: &Owner) -> Result<(String, bool)> {
    let name = nfc(o.name.trim());
    if name.is_empty() {
        return Err(msg::OWNER_NAME_MISSING.err());
    }
    let search = fold(&format!(
        "{} {} {} {}",
        name, o.representative, o.commune, o.registration_no
    ));
    let id = if o.id.is_empty() {
        new_id()
    } else {
        o.id.clone()
    };
    let t = now();
    let existed = tx.execute(
        "UPDATE owner SET name=?2, kind=?3, representative=?4, rep_sex=?5, rep_ethnicity=?6, address=?7, commune=?8,
            district=?9, province=?10, phone=?11, email=?12, registration_no=?13, search=?14, updated_at=?15 WHERE id=?1",
        params![
            id, name, o.kind.as_str(), nfc(o.representative.trim()), o.rep_sex, nfc(o.rep_ethnicity.trim()),
            nfc(o.address.trim()), nfc(o.commune.trim()), nfc(o.district.trim()), nfc(o.province.trim()),
            o.phone.trim(), o.email.trim(), o.registration_no.trim(), search, t
        ],
    )? == 1;
    if !existed {
        tx.execute(
            "INSERT INTO owner (id, name, kind, representative, rep_sex, rep_ethnicity, address, commune, district,
                province, phone, email, registration_no, search, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?15)",
            params![
                id, name, o.kind.as_str(), nfc(o.representative.trim()), o.rep_sex, nfc(o.rep_ethnicity.trim()),
                nfc(o.address.trim()), nfc(o.commune.trim()), nfc(o.district.trim()), nfc(o.province.trim()),
                o.phone.trim(), o.email.trim(), o.registration_no.trim(), search, t
            ],
        )?;
    }
    Ok((id, existed))
}

pub(crate) fn save_product_tx(tx: &Tx, p: &ProductInput) -> Result<String> {
    let (id, existed) = write_product_row(tx, p)?;
    tx.audit(
        if existed {
            "product.update"
        } else {
            "product.add"
        },
        "product",
        &id,
        None,
        Some(json!({ "name": nfc(p.name.trim()), "code": p.code.trim(), "set_code": p.set_code })),
    )?;
    Ok(id)
}

/// Checks and inserts (empty or unknown id) or updates a product row; the caller audits. Returns
/// the id and whether the row existed.
pub(crate) fn write_product_row(tx: &Tx, p: &ProductInput) -> Result<(String, bool)> {
    let name = nfc(p.name.trim());
    if name.is_empty() {
        return Err(msg::PRODUCT_NAME_MISSING.err());
    }
    check_product_code(&p.code)?;
    let owner_ok: bool = tx
        .query_row("SELECT 1 FROM owner WHERE id = ?1", [&p.owner_id], |_| {
            Ok(true)
        })
        .optional()?
        .unwrap_or(false);
    if !owner_ok {
        return Err(CoreError::NotFound {
            kind: Entity::Owner,
            id: p.owner_id.clone(),
        });
    }
    let set_ok: bool = tx
        .query_row(
            "SELECT 1 FROM criteria_sheet WHERE decision_id = ?1 AND set_code = ?2 AND current = 1",
            params![p.decision_id, p.set_code],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !set_ok {
        return Err(CoreError::UnknownSet {
            decision: p.decision_id.clone(),
            set: p.set_code.clone(),
        });
    }
    let id = if p.id.is_empty() {
        new_id()
    } else {
        p.id.clone()
    };
    let search = fold(&format!("{} {}", name, p.code));
    let t = now();
    let existed = tx.execute(
        "UPDATE product SET owner_id=?2, name=?3, decision_id=?4, set_code=?5, code=?6, search=?7, updated_at=?8 WHERE id=?1",
        params![id, p.owner_id, name, p.decision_id, p.set_code, p.code.trim(), search, t],
    )? == 1;
    if !existed {
        tx.execute(
            "INSERT INTO product (id, owner_id, name, decision_id, set_code, code, search, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)",
            params![id, p.owner_id, name, p.decision_id, p.set_code, p.code.trim(), search, t],
        )?;
    }
    Ok((id, existed))
}
