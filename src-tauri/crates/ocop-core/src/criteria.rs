//! The official score sheets as data.
//!
//! One [`Decision`] (QĐ 148/QĐ-TTg, QĐ 26/2026/QĐ-TTg) has 26 [`ProductSet`]s; a set has parts A/B/C,
//! groups, criteria (nested where the decision nests them) and options. The format is documented in
//! `assets/criteria/FORMAT.md`; the files are embedded at build time and validated on load.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::procedure::Procedure;

/// The format tag every criteria file carries.
pub const FORMAT: &str = "ocop-criteria/1";

/// A decision that issues a criteria version and an evaluation procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Decision {
    /// Stable id used everywhere: `QD148-2023`, `QD26-2026`.
    pub id: String,
    /// Number and symbol as printed: `26/2026/QĐ-TTg`.
    pub number: String,
    pub title: String,
    /// ISO date of signing.
    pub signed: String,
    /// ISO date the decision came into force.
    pub effective: String,
    /// ISO date the decision lapses, if known.
    #[serde(default)]
    pub lapses: Option<String>,
    /// The procedures evaluations under this decision may follow.
    pub procedures: Vec<Procedure>,
    /// The star-marker footnote printed under every sheet.
    #[serde(default)]
    pub footer_note: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub text_confirmation: String,
}

/// A code and its name in the classification (category → group → subgroup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Class {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Classification {
    pub category: Class,
    pub group: Class,
    pub subgroup: Class,
}

/// One official score sheet ("Bộ tiêu chí … kiêm phiếu đánh giá").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductSet {
    pub decision: String,
    /// Two-digit set number: `11`.
    pub code: String,
    pub no: u32,
    pub name: String,
    pub classification: Classification,
    /// The "Hồ sơ bị loại khi" header, where the sheet prints one.
    #[serde(default)]
    pub disqualification: Option<String>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Part {
    /// `A`, `B` or `C`.
    pub code: String,
    pub title: String,
    pub max: u32,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Group {
    pub code: String,
    pub title: String,
    pub max: u32,
    pub criteria: Vec<Criterion>,
}

/// A criterion: a leaf (pick one option) or a parent of nested criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Criterion {
    pub code: String,
    pub title: String,
    pub max: u32,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Notes that take the product out of ranking when they apply.
    #[serde(default)]
    pub eliminating: Vec<String>,
    /// Tourism "choose one of two cases": each option names its case.
    #[serde(default)]
    pub cases: Vec<Case>,
    #[serde(default)]
    pub options: Vec<CriterionOption>,
    #[serde(default)]
    pub children: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Case {
    pub code: String,
    pub label: String,
}

/// One printed option ("□ text … points").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriterionOption {
    pub text: String,
    pub points: u32,
    /// The printed star marker: 3 (`***`), 4 (`****`) or 5 (`*****`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_star: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Not printed in the decision (e.g. "Không"/"Có" of a yes/no criterion).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
}

/// A leaf criterion with the part and group it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Leaf<'a> {
    pub part: &'a str,
    pub group: &'a str,
    pub criterion: &'a Criterion,
}

impl Criterion {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// The minimum points a council must reach on this criterion for `star`: the highest points
    /// among the options marked at or below `star` (so a `****` minimum also binds 5★).
    pub fn min_points_for(&self, star: u8) -> Option<u32> {
        self.options
            .iter()
            .filter(|o| o.min_star.is_some_and(|m| m <= star))
            .map(|o| o.points)
            .max()
    }

    fn collect_leaves<'a>(&'a self, part: &'a str, group: &'a str, out: &mut Vec<Leaf<'a>>) {
        if self.is_leaf() {
            out.push(Leaf {
                part,
                group,
                criterion: self,
            });
        } else {
            for c in &self.children {
                c.collect_leaves(part, group, out);
            }
        }
    }
}

impl ProductSet {
    /// Leaf criteria in printed order: what a score sheet answers.
    pub fn leaves(&self) -> Vec<Leaf<'_>> {
        let mut out = Vec::new();
        for p in &self.parts {
            for g in &p.groups {
                for c in &g.criteria {
                    c.collect_leaves(&p.code, &g.code, &mut out);
                }
            }
        }
        out
    }

    pub fn leaf(&self, code: &str) -> Option<Leaf<'_>> {
        self.leaves().into_iter().find(|l| l.criterion.code == code)
    }

    pub fn total_max(&self) -> u32 {
        self.parts.iter().map(|p| p.max).sum()
    }
}

/// A decision with its sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecisionSheets {
    pub decision: Decision,
    pub sets: Vec<ProductSet>,
}

/// A decision and its sets, without the sheets: the `ocop criteria list --json` shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriteriaIndex {
    pub decisions: Vec<DecisionSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecisionSummary {
    pub id: String,
    pub number: String,
    pub title: String,
    pub signed: String,
    pub effective: String,
    pub procedures: Vec<Procedure>,
    /// The star-marker footnote printed under every sheet.
    pub footer_note: String,
    pub sets: Vec<SetSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetSummary {
    pub code: String,
    pub no: u32,
    pub name: String,
    pub classification: Classification,
    /// Number of leaf criteria a member answers.
    pub leaves: u32,
}

/// Every decision the application knows.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub decisions: Vec<DecisionSheets>,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/criteria_files.rs"));
}

/// A fingerprint of the criteria data built into this binary.
pub const BUILTIN_FINGERPRINT: &str = embedded::FINGERPRINT;

impl Catalog {
    /// The criteria shipped with this build (both decisions), validated.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        CATALOG.get_or_init(|| {
            let files: Vec<(String, String)> = embedded::FILES
                .iter()
                .map(|(p, s)| (p.to_string(), s.to_string()))
                .collect();
            Catalog::from_files(&files)
                .expect("the embedded criteria data is valid (checked by tests)")
        })
    }

    /// Builds a catalog from `(relative path, contents)` pairs laid out as in `assets/criteria`.
    pub fn from_files(files: &[(String, String)]) -> Result<Catalog> {
        let mut decisions: Vec<DecisionSheets> = Vec::new();
        let mut sets: Vec<(String, ProductSet)> = Vec::new();
        for (path, text) in files {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name == "decision.json" {
                let d = parse_decision(path, text)?;
                decisions.push(DecisionSheets {
                    decision: d,
                    sets: Vec::new(),
                });
            } else if name.ends_with(".json") {
                sets.push((path.clone(), parse_set(path, text)?));
            }
        }
        for (path, set) in sets {
            let Some(d) = decisions.iter_mut().find(|d| d.decision.id == set.decision) else {
                return Err(CoreError::CriteriaInvalid {
                    file: path,
                    set: set.code.clone(),
                    criterion: String::new(),
                    reason: format!("quyết định '{}' không có tệp decision.json", set.decision),
                });
            };
            if d.sets.iter().any(|s| s.code == set.code) {
                return Err(CoreError::CriteriaInvalid {
                    file: path,
                    set: set.code.clone(),
                    criterion: String::new(),
                    reason: "mã bộ sản phẩm bị trùng".into(),
                });
            }
            d.sets.push(set);
        }
        for d in &mut decisions {
            d.sets.sort_by_key(|s| s.no);
        }
        decisions.sort_by(|a, b| a.decision.signed.cmp(&b.decision.signed));
        Ok(Catalog { decisions })
    }

    /// Reads and validates a directory laid out as `assets/criteria` (or one decision's
    /// directory, or a single set file).
    pub fn from_path(path: &Path) -> Result<Catalog> {
        let mut files = Vec::new();
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| CoreError::Io {
                path: p.display().to_string(),
                reason: e.to_string(),
            })
        };
        if path.is_file() {
            let text = read(path)?;
            let name = path.display().to_string();
            // A single set file is checked on its own.
            let set = parse_set(&name, &text)?;
            return Ok(Catalog {
                decisions: vec![DecisionSheets {
                    decision: Decision {
                        id: set.decision.clone(),
                        number: String::new(),
                        title: String::new(),
                        signed: String::new(),
                        effective: String::new(),
                        lapses: None,
                        procedures: Vec::new(),
                        footer_note: String::new(),
                        source: String::new(),
                        text_confirmation: String::new(),
                    },
                    sets: vec![set],
                }],
            });
        }
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| CoreError::Io {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    if p.file_name().is_some_and(|n| n != "tools") {
                        stack.push(p);
                    }
                } else if p.extension().is_some_and(|x| x == "json") {
                    files.push((p.display().to_string().replace('\\', "/"), read(&p)?));
                }
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(CoreError::Io {
                path: path.display().to_string(),
                reason: "không có tệp tiêu chí (.json) nào".into(),
            });
        }
        Catalog::from_files(&files)
    }

    pub fn index(&self) -> CriteriaIndex {
        CriteriaIndex {
            decisions: self
                .decisions
                .iter()
                .map(|d| DecisionSummary {
                    id: d.decision.id.clone(),
                    number: d.decision.number.clone(),
                    title: d.decision.title.clone(),
                    signed: d.decision.signed.clone(),
                    effective: d.decision.effective.clone(),
                    procedures: d.decision.procedures.clone(),
                    footer_note: d.decision.footer_note.clone(),
                    sets: d
                        .sets
                        .iter()
                        .map(|s| SetSummary {
                            code: s.code.clone(),
                            no: s.no,
                            name: s.name.clone(),
                            classification: s.classification.clone(),
                            leaves: s.leaves().len() as u32,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn decision(&self, id: &str) -> Option<&DecisionSheets> {
        let want = normalise_decision_id(id);
        self.decisions
            .iter()
            .find(|d| normalise_decision_id(&d.decision.id) == want)
    }

    /// Finds a set by decision id and set code (`11`, `1`, or classification code `I.5.a`).
    pub fn set(&self, decision: &str, set: &str) -> Result<&ProductSet> {
        let d = self
            .decision(decision)
            .ok_or_else(|| CoreError::UnknownDecision(decision.to_string()))?;
        let want = set.trim();
        d.sets
            .iter()
            .find(|s| {
                s.code == want
                    || want.parse::<u32>().is_ok_and(|n| n == s.no)
                    || s.classification.subgroup.code.eq_ignore_ascii_case(want)
            })
            .ok_or_else(|| CoreError::UnknownSet {
                decision: d.decision.id.clone(),
                set: set.to_string(),
            })
    }
}

/// Accepts `QD26-2026`, `qd26-2026`, `26/2026` and `148` spellings.
fn normalise_decision_id(id: &str) -> String {
    let s: String = id
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let s = s.trim_start_matches("QD").to_string();
    match s.as_str() {
        "148" | "1482023" | "148QDTTG" => "1482023".into(),
        "26" | "262026" | "262026QDTTG" => "262026".into(),
        _ => s,
    }
}

#[derive(Deserialize)]
struct DecisionFile {
    format: String,
    #[serde(flatten)]
    decision: Decision,
}

#[derive(Deserialize)]
struct SetFile {
    format: String,
    #[serde(flatten)]
    set: ProductSet,
}

fn parse_decision(path: &str, text: &str) -> Result<Decision> {
    let f: DecisionFile = serde_json::from_str(text).map_err(|e| CoreError::CriteriaInvalid {
        file: path.into(),
        set: String::new(),
        criterion: String::new(),
        reason: format!("JSON không hợp lệ: {e}"),
    })?;
    if f.format != FORMAT {
        return Err(CoreError::CriteriaInvalid {
            file: path.into(),
            set: String::new(),
            criterion: String::new(),
            reason: format!(
                "định dạng '{}' không được hỗ trợ (cần '{FORMAT}')",
                f.format
            ),
        });
    }
    Ok(f.decision)
}

fn parse_set(path: &str, text: &str) -> Result<ProductSet> {
    let f: SetFile = serde_json::from_str(text).map_err(|e| CoreError::CriteriaInvalid {
        file: path.into(),
        set: String::new(),
        criterion: String::new(),
        reason: format!("JSON không hợp lệ: {e}"),
    })?;
    let invalid = |criterion: &str, reason: String| CoreError::CriteriaInvalid {
        file: path.into(),
        set: f.set.code.clone(),
        criterion: criterion.into(),
        reason,
    };
    if f.format != FORMAT {
        return Err(invalid(
            "",
            format!(
                "định dạng '{}' không được hỗ trợ (cần '{FORMAT}')",
                f.format
            ),
        ));
    }
    validate_set(&f.set).map_err(|(c, r)| invalid(&c, r))?;
    Ok(f.set)
}

/// Checks the invariants of `FORMAT.md`. On failure returns the criterion code (or "") and reason.
pub fn validate_set(set: &ProductSet) -> std::result::Result<(), (String, String)> {
    let expected = [("A", 40), ("B", 25), ("C", 35)];
    let codes: Vec<&str> = set.parts.iter().map(|p| p.code.as_str()).collect();
    if codes != ["A", "B", "C"] {
        return Err((
            String::new(),
            format!("phải có đúng ba phần A, B, C (có: {codes:?})"),
        ));
    }
    let mut seen = HashSet::new();
    for (part, (code, max)) in set.parts.iter().zip(expected) {
        if part.max != max {
            return Err((
                String::new(),
                format!("phần {code} tối đa {} điểm, phải là {max}", part.max),
            ));
        }
        let sum: u32 = part.groups.iter().map(|g| g.max).sum();
        if sum != part.max {
            return Err((
                String::new(),
                format!(
                    "phần {code}: tổng điểm các nhóm là {sum}, khác {}",
                    part.max
                ),
            ));
        }
        for g in &part.groups {
            let sum: u32 = g.criteria.iter().map(|c| c.max).sum();
            if sum != g.max {
                return Err((
                    g.code.clone(),
                    format!(
                        "nhóm {}: tổng điểm các tiêu chí là {sum}, khác {}",
                        g.code, g.max
                    ),
                ));
            }
            for c in &g.criteria {
                validate_criterion(c, &mut seen)?;
            }
        }
    }
    Ok(())
}

fn validate_criterion(
    c: &Criterion,
    seen: &mut HashSet<String>,
) -> std::result::Result<(), (String, String)> {
    let fail = |r: String| Err((c.code.clone(), r));
    if c.code.trim().is_empty() {
        return fail("tiêu chí không có mã".into());
    }
    if !seen.insert(c.code.clone()) {
        return fail(format!("mã tiêu chí {} bị trùng", c.code));
    }
    if !c.children.is_empty() {
        if !c.options.is_empty() {
            return fail("tiêu chí có tiêu chí con thì không được có phương án riêng".into());
        }
        let sum: u32 = c.children.iter().map(|x| x.max).sum();
        if sum != c.max {
            return fail(format!("tổng điểm tiêu chí con là {sum}, khác {}", c.max));
        }
        for ch in &c.children {
            validate_criterion(ch, seen)?;
        }
        return Ok(());
    }
    if c.options.len() < 2 {
        return fail("tiêu chí phải có ít nhất hai phương án".into());
    }
    let case_codes: BTreeSet<&str> = c.cases.iter().map(|k| k.code.as_str()).collect();
    // Options grouped by case ("" when the criterion has no cases).
    let mut groups: Vec<(&str, Vec<&CriterionOption>)> = Vec::new();
    for o in &c.options {
        if let Some(m) = o.min_star {
            if !(3..=5).contains(&m) {
                return fail(format!("dấu sao {m} không hợp lệ (chỉ 3, 4, 5)"));
            }
        }
        let key = match (&o.case, c.cases.is_empty()) {
            (None, true) => "",
            (Some(k), false) if case_codes.contains(k.as_str()) => k.as_str(),
            (Some(k), _) => return fail(format!("phương án thuộc trường hợp '{k}' không có")),
            (None, false) => return fail("phương án không ghi trường hợp".into()),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(o),
            None => groups.push((key, vec![o])),
        }
    }
    if !c.cases.is_empty() && groups.len() != c.cases.len() {
        return fail("mỗi trường hợp phải có phương án".into());
    }
    for (case, opts) in &groups {
        let best = opts.iter().map(|o| o.points).max().unwrap_or(0);
        if best != c.max {
            let which = if case.is_empty() {
                String::new()
            } else {
                format!(" (trường hợp {case})")
            };
            return fail(format!(
                "điểm cao nhất của phương án là {best}, khác điểm tối đa {}{which}",
                c.max
            ));
        }
        for a in opts {
            for b in opts {
                if let (Some(ma), Some(mb)) = (a.min_star, b.min_star) {
                    if ma < mb && a.points > b.points {
                        return fail(format!(
                            "dấu sao không đơn điệu: phương án {} điểm ({ma} sao) cao hơn phương án {} điểm ({mb} sao)",
                            a.points, b.points
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_has_both_decisions_with_26_valid_sets() {
        let c = Catalog::builtin();
        let ids: Vec<&str> = c.decisions.iter().map(|d| d.decision.id.as_str()).collect();
        assert_eq!(ids, ["QD148-2023", "QD26-2026"]);
        for d in &c.decisions {
            assert_eq!(d.sets.len(), 26, "{}", d.decision.id);
            for s in &d.sets {
                assert_eq!(s.total_max(), 100, "{} {}", d.decision.id, s.code);
                assert!(s.leaves().len() >= 20, "{} {}", d.decision.id, s.code);
            }
        }
    }

    #[test]
    fn set_lookup_accepts_number_code_and_classification() {
        let c = Catalog::builtin();
        let a = c.set("QD26-2026", "11").unwrap();
        assert_eq!(a.name, "Chè tươi, chè chế biến");
        assert_eq!(c.set("26/2026", "11").unwrap().code, a.code);
        assert_eq!(
            c.set("QD26-2026", &a.classification.subgroup.code)
                .unwrap()
                .code,
            a.code
        );
        assert!(matches!(
            c.set("QD26-2026", "27"),
            Err(CoreError::UnknownSet { .. })
        ));
        assert!(matches!(
            c.set("QD99", "1"),
            Err(CoreError::UnknownDecision(_))
        ));
    }

    #[test]
    fn tea_sensory_block_is_nested() {
        let s = Catalog::builtin().set("QD26-2026", "11").unwrap();
        let leaf = s.leaf("6.1.1").expect("nested leaf 6.1.1");
        assert_eq!(leaf.part, "C");
        assert_eq!(leaf.criterion.max, 2);
        assert!(s.leaf("6.1").is_none(), "6.1 is a parent, not a leaf");
    }

    #[test]
    fn min_points_are_cumulative() {
        let c = Criterion {
            code: "1.5".into(),
            title: "t".into(),
            max: 3,
            notes: vec![],
            eliminating: vec![],
            cases: vec![],
            options: [(0, None), (1, None), (2, Some(4)), (3, Some(5))]
                .into_iter()
                .map(|(points, min_star)| CriterionOption {
                    text: String::new(),
                    points,
                    min_star,
                    case: None,
                    inferred: false,
                })
                .collect(),
            children: vec![],
        };
        assert_eq!(c.min_points_for(3), None);
        assert_eq!(c.min_points_for(4), Some(2));
        assert_eq!(c.min_points_for(5), Some(3));
    }

    fn broken(edit: impl Fn(&mut serde_json::Value)) -> CoreError {
        let s = Catalog::builtin().set("QD26-2026", "07").unwrap();
        let mut v = serde_json::to_value(s).unwrap();
        v["format"] = FORMAT.into();
        edit(&mut v);
        parse_set("QD26-2026/07.json", &v.to_string()).unwrap_err()
    }

    #[test]
    fn validator_names_file_set_and_criterion() {
        let e = broken(|v| {
            v["parts"][0]["groups"][0]["criteria"][0]["options"][0]["points"] = 9.into()
        });
        let msg = e.to_string();
        assert!(
            msg.contains("QD26-2026/07.json") && msg.contains("07") && msg.contains("1.1"),
            "{msg}"
        );

        let e = broken(|v| v["parts"][1]["max"] = 26.into());
        assert!(e.to_string().contains("phần B"), "{e}");

        let e = broken(|v| {
            let code = v["parts"][0]["groups"][0]["criteria"][0]["code"].clone();
            v["parts"][0]["groups"][0]["criteria"][1]["code"] = code;
        });
        assert!(e.to_string().contains("trùng"), "{e}");

        let e = broken(|v| {
            let opts = v["parts"][0]["groups"][0]["criteria"][0]["options"]
                .as_array_mut()
                .unwrap();
            let n = opts.len();
            opts[0]["min_star"] = 5.into();
            opts[n - 1]["min_star"] = 3.into();
        });
        assert!(e.to_string().contains("đơn điệu"), "{e}");

        let e = parse_set("x.json", "{not json").unwrap_err();
        assert!(e.to_string().contains("x.json"), "{e}");
    }
}
