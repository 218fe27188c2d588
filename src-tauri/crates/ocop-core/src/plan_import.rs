//! Import of a plan's targets from .xlsx, in the shape provinces print them (seed 001: "TT | Các
//! huyện, thị xã, thành phố | Kế hoạch … (Tổng) | 5 sao | 4 sao | 3 sao"), in two steps like the
//! records import: [`Store::plan_import_plan`] says what each row does and writes nothing;
//! [`Store::plan_import_apply`] recomputes it in one transaction and applies all of it or
//! nothing. A "Tổng" row is checked against the sum of the rows; a row's total against its stars.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use ts_rs::TS;

use crate::error::{ErrorDto, Lang, Result};
use crate::import::msg as import_msg;
use crate::registry::{locality_key, msg, LocalityLevel, PlanTarget};
use crate::store::Store;
use crate::text::fold;

/// One row of a plan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanImportRow {
    /// The row number as Excel shows it.
    pub row: u32,
    pub locality: String,
    /// The known locality it names, or null for one the import adds.
    pub locality_code: Option<String>,
    /// Targets by star: index 0 = 3★, 1 = 4★, 2 = 5★.
    pub target: [u32; 3],
    pub total: u32,
    /// The targets stored now for this locality and year, when it has any.
    pub stored: Option<[u32; 3]>,
    pub errors: Vec<ErrorDto>,
}

/// What importing a plan file does (a boundary type, `format` 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanImportPlan {
    pub format: u32,
    pub year: i32,
    pub fingerprint: String,
    pub applied: bool,
    pub rows: Vec<PlanImportRow>,
    /// The sum of the rows, by star, and in all.
    pub target: [u32; 3],
    pub total: u32,
    /// Errors of the file as a whole (a "Tổng" row that disagrees with the rows).
    pub errors: Vec<ErrorDto>,
}

struct Columns {
    locality: usize,
    total: Option<usize>,
    star: [usize; 3],
}

fn columns(header: &[String]) -> Option<Columns> {
    let find = |f: &dyn Fn(&str) -> bool| header.iter().position(|h| f(h));
    let star = |s: u8| find(&|h: &str| h.contains(&format!("{s} sao")));
    let locality = find(&|h: &str| {
        ["huyen", "dia ban", "don vi", "dia phuong", "xa"]
            .iter()
            .any(|k| h.contains(k))
            && !h.contains("sao")
    })?;
    Some(Columns {
        locality,
        total: find(&|h: &str| h.starts_with("tong") || h.starts_with("ke hoach")),
        star: [star(3)?, star(4)?, star(5)?],
    })
}

/// The largest target a cell may give: far above any province's plan, and small enough that
/// the sums of a file cannot overflow.
pub const MAX_TARGET: u32 = 100_000;

/// A target cell: empty, "–" or "-" is 0.
fn number(s: &str) -> Option<u32> {
    let t = s.trim();
    if t.is_empty() || ["-", "–", "—"].contains(&t) {
        return Some(0);
    }
    t.parse::<u32>().ok()
}

/// A target cell's error, if any: not a whole number, or above [`MAX_TARGET`].
fn target_error(value: &str, locality: &str, star: &str, lang: Lang) -> Option<ErrorDto> {
    let e = match number(value) {
        Some(n) if n <= MAX_TARGET => return None,
        Some(_) => msg::TARGET_TOO_LARGE.with("max", MAX_TARGET),
        None => msg::BAD_TARGET.err(),
    };
    Some(
        e.with("value", value)
            .with("locality", locality)
            .with("star", star)
            .to_dto(lang),
    )
}

impl Store {
    pub fn plan_import_plan(&self, bytes: &[u8], year: i32, lang: Lang) -> Result<PlanImportPlan> {
        if !(2018..=2100).contains(&year) {
            return Err(msg::BAD_YEAR.with("year", year));
        }
        let rows = crate::import::sheet_rows(bytes)?;
        // The header may span two lines ("Trong đó: 5 sao | 4 sao | 3 sao" under "Kế hoạch"):
        // the first row from which the star columns can be found, each column read from that
        // row or, where it is empty there, from the row just above (a title above the header,
        // "KẾ HOẠCH …" in A1, is not part of column A's header).
        let mut start = None;
        for (i, (line, cells)) in rows.iter().enumerate() {
            let above = i
                .checked_sub(1)
                .map(|j| &rows[j])
                .filter(|(l, _)| l + 1 == *line)
                .map(|(_, c)| c.as_slice())
                .unwrap_or_default();
            let merged: Vec<String> = (0..cells.len().max(above.len()))
                .map(|c| {
                    let own = cells.get(c).map(String::as_str).unwrap_or_default();
                    let text = if own.is_empty() {
                        above.get(c).map(String::as_str).unwrap_or_default()
                    } else {
                        own
                    };
                    fold(text)
                })
                .collect();
            if let Some(cols) = columns(&merged) {
                start = Some((i, cols));
                break;
            }
        }
        let Some((header_at, cols)) = start else {
            return Err(msg::PLAN_NO_ROWS.err());
        };
        let known: HashMap<String, String> = self
            .localities()?
            .into_iter()
            .filter(|l| l.level != LocalityLevel::Province)
            .map(|l| (locality_key(&l.name), l.code))
            .collect();
        let stored: HashMap<(String, u8), u32> = self
            .plan_targets(Some(year))?
            .into_iter()
            .map(|t| ((t.locality_code, t.star), t.target))
            .collect();
        let mut out = Vec::new();
        let mut file_errors = Vec::new();
        let mut stated_total: Option<(u32, [u32; 3], u32)> = None;
        let mut seen: HashMap<String, u32> = HashMap::new();
        for (line, cells) in rows.iter().skip(header_at + 1) {
            let line = *line;
            let get = |c: usize| cells.get(c).cloned().unwrap_or_default();
            let name = get(cols.locality);
            if name.is_empty() && cols.star.iter().all(|&c| get(c).is_empty()) {
                continue;
            }
            let mut errors = Vec::new();
            let mut target = [0u32; 3];
            for (k, &c) in cols.star.iter().enumerate() {
                match target_error(&get(c), &name, &(k + 3).to_string(), lang) {
                    None => target[k] = number(&get(c)).unwrap_or(0),
                    Some(e) => errors.push(e),
                }
            }
            let sum: u32 = target.iter().sum();
            let total = cols.total.map(get).unwrap_or_default();
            let total_error = target_error(&total, &name, "—", lang);
            let total_n = number(&total).filter(|_| total_error.is_none());
            let key = locality_key(&name);
            if key == "tong" || key == "tong cong" || key == "toan tinh" || key == "cong" {
                stated_total = total_n.map(|t| (line, target, t));
                continue;
            }
            if key.is_empty() {
                errors.push(msg::LOCALITY_NAME_MISSING.err().to_dto(lang));
            }
            // A row that gives only its total (seed 001: "Huyện Vĩnh Lộc | 5 | | | 5") is fine;
            // a total that contradicts its stars is not.
            match total_n {
                Some(t) if !total.is_empty() && t != sum => errors.push(
                    msg::PLAN_TOTAL_MISMATCH
                        .with("row", line)
                        .with("locality", &name)
                        .with("total", t)
                        .with("sum", sum)
                        .to_dto(lang),
                ),
                None => errors.extend(total_error),
                _ => {}
            }
            if let Some(first) = seen.get(&key) {
                errors.push(
                    msg::PLAN_DUPLICATE
                        .with("row", line)
                        .with("locality", &name)
                        .with("other_row", first)
                        .to_dto(lang),
                );
            } else if !key.is_empty() {
                seen.insert(key.clone(), line);
            }
            let code = known.get(&key).cloned();
            let stored_t = code.as_ref().and_then(|c| {
                let t: Vec<Option<u32>> = (3..=5u8)
                    .map(|s| stored.get(&(c.clone(), s)).copied())
                    .collect();
                t.iter()
                    .any(|x| x.is_some())
                    .then(|| [t[0].unwrap_or(0), t[1].unwrap_or(0), t[2].unwrap_or(0)])
            });
            out.push(PlanImportRow {
                row: line,
                locality: name,
                locality_code: code,
                target,
                total: sum,
                stored: stored_t,
                errors,
            });
        }
        if out.is_empty() {
            return Err(msg::PLAN_NO_ROWS.err());
        }
        // Saturating: a file of a million rows at the largest target cannot wrap around.
        let mut target = [0u32; 3];
        for r in &out {
            for (t, n) in target.iter_mut().zip(r.target) {
                *t = t.saturating_add(n);
            }
        }
        let total: u32 = target.iter().fold(0, |a, &t| a.saturating_add(t));
        if let Some((line, stars, t)) = stated_total {
            if t != total || (stars.iter().sum::<u32>() > 0 && stars != target) {
                file_errors.push(
                    msg::PLAN_TOTAL_MISMATCH
                        .with("row", line)
                        .with("locality", "Tổng")
                        .with("total", t)
                        .with("sum", total)
                        .to_dto(lang),
                );
            }
        }
        let mut plan = PlanImportPlan {
            format: 1,
            year,
            fingerprint: String::new(),
            applied: false,
            rows: out,
            target,
            total,
            errors: file_errors,
        };
        let mut bare = plan.clone();
        for r in &mut bare.rows {
            r.errors.iter_mut().for_each(|e| e.message.clear());
        }
        bare.errors.iter_mut().for_each(|e| e.message.clear());
        plan.fingerprint = hex::encode(Sha256::digest(
            serde_json::to_vec(&bare).expect("plan serialises"),
        ));
        Ok(plan)
    }

    /// Applies a plan file all or nothing: refused when a row is in error or when the plan is
    /// no longer the one confirmed (`expected`). Adds the localities it names.
    pub fn plan_import_apply(
        &mut self,
        actor: &str,
        bytes: &[u8],
        year: i32,
        expected: Option<&str>,
        lang: Lang,
    ) -> Result<PlanImportPlan> {
        let mut plan = self.plan_import_plan(bytes, year, lang)?;
        let bad: Vec<String> = plan
            .rows
            .iter()
            .filter(|r| !r.errors.is_empty())
            .map(|r| r.row.to_string())
            .collect();
        if !bad.is_empty() || !plan.errors.is_empty() {
            return Err(import_msg::HAS_ERRORS
                .with("count", bad.len().max(1))
                .with("rows", bad.join(", ")));
        }
        if expected.is_some_and(|f| f != plan.fingerprint) {
            return Err(import_msg::PLAN_CHANGED.err());
        }
        let province = self.office()?.province;
        let rows = plan.rows.clone();
        let codes = self.write(actor, |tx| {
            let mut codes = Vec::new();
            for r in &rows {
                codes.push(crate::store::registry::ensure_locality(
                    tx,
                    &r.locality,
                    LocalityLevel::District,
                    &province,
                )?);
            }
            let targets: Vec<PlanTarget> = rows
                .iter()
                .zip(&codes)
                .flat_map(|(r, code)| {
                    (0..3).map(move |k| PlanTarget {
                        year,
                        locality_code: code.clone(),
                        star: 3 + k as u8,
                        target: r.target[k],
                    })
                })
                .collect();
            crate::store::registry::write_targets(tx, &targets)?;
            tx.audit(
                "plan.import",
                "plan",
                &year.to_string(),
                None,
                Some(serde_json::json!({ "year": year, "rows": rows.len(), "total": plan.total, "fingerprint": plan.fingerprint })),
            )?;
            Ok(codes)
        })?;
        for (r, code) in plan.rows.iter_mut().zip(codes) {
            r.locality_code = Some(code);
        }
        plan.applied = true;
        Ok(plan)
    }
}
