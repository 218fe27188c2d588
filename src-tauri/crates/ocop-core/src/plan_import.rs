//! Import of a plan's targets from .xlsx, in the shape provinces print them (seed 001: "TT | Các
//! huyện, thị xã, thành phố | Kế hoạch … (Tổng) | 5 sao | 4 sao | 3 sao"), in two steps like the
//! records import: [`Store::plan_import_plan`] says what each row does and writes nothing;
//! [`Store::plan_import_apply`] recomputes it in one transaction and applies all of it or
//! nothing. A "Tổng" row is checked against the sum of the rows; a row's total against its stars.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{ErrorDto, Lang, Result};
use crate::import::{cell_text, msg as import_msg};
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

/// A target cell: empty, "–" or "-" is 0.
fn number(s: &str) -> Option<u32> {
    let t = s.trim();
    if t.is_empty() || ["-", "–", "—"].contains(&t) {
        return Some(0);
    }
    t.parse::<u32>().ok()
}

impl Store {
    pub fn plan_import_plan(&self, bytes: &[u8], year: i32, lang: Lang) -> Result<PlanImportPlan> {
        if !(2018..=2100).contains(&year) {
            return Err(msg::BAD_YEAR.with("year", year));
        }
        let mut book =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| import_msg::NOT_XLSX.with("detail", e))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| import_msg::NO_SHEET.err())?
            .map_err(|e| import_msg::SHEET_UNREADABLE.with("detail", e))?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        // The header may span several lines ("Trong đó: 5 sao | 4 sao | 3 sao" under "Kế hoạch"):
        // the first row from which the star columns can be found, reading each column's text over
        // that row and the one before it.
        let mut start = None;
        for i in 0..rows.len() {
            let merged: Vec<String> = (0..rows[i].len())
                .map(|c| {
                    let above = if i > 0 {
                        rows[i - 1].get(c).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    };
                    fold(&format!("{above} {}", rows[i][c])).trim().to_string()
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
        for (i, cells) in rows.iter().enumerate().skip(header_at + 1) {
            let line = i as u32 + 1;
            let get = |c: usize| cells.get(c).cloned().unwrap_or_default();
            let name = get(cols.locality);
            if name.is_empty() && cols.star.iter().all(|&c| get(c).is_empty()) {
                continue;
            }
            let mut errors = Vec::new();
            let mut target = [0u32; 3];
            for (k, &c) in cols.star.iter().enumerate() {
                match number(&get(c)) {
                    Some(n) => target[k] = n,
                    None => errors.push(
                        msg::BAD_TARGET
                            .with("value", get(c))
                            .with("locality", &name)
                            .with("star", k + 3)
                            .to_dto(lang),
                    ),
                }
            }
            let sum: u32 = target.iter().sum();
            let total = cols.total.map(get).unwrap_or_default();
            let total_n = number(&total);
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
                None => errors.push(
                    msg::BAD_TARGET
                        .with("value", &total)
                        .with("locality", &name)
                        .with("star", "—")
                        .to_dto(lang),
                ),
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
        let mut target = [0u32; 3];
        for r in &out {
            for (t, n) in target.iter_mut().zip(r.target) {
                *t += n;
            }
        }
        let total: u32 = target.iter().sum();
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
