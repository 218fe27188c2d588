//! The official score sheets as data.
//!
//! One [`Decision`] (QĐ 148/QĐ-TTg, QĐ 26/2026/QĐ-TTg) has 26 [`ProductSet`]s; a set has parts A/B/C,
//! groups, criteria (nested where the decision nests them) and options. The format is documented in
//! `assets/criteria/FORMAT.md`; the files are embedded at build time and validated on load.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Msg, Result};
use crate::procedure::Procedure;

/// Why a criteria file is refused: the `{reason}` of `criteria.invalid`, worded in the user's
/// language like every other message.
pub mod msg {
    crate::messages! {
        JSON = "criteria.reason.json" {
            vi: "JSON không hợp lệ: {detail}",
            en: "invalid JSON: {detail}",
        }
        FORMAT = "criteria.reason.format" {
            vi: "định dạng '{found}' không được hỗ trợ (cần '{expected}')",
            en: "format '{found}' is not supported (expected '{expected}')",
        }
        NO_DECISION_FILE = "criteria.reason.no_decision_file" {
            vi: "quyết định '{decision}' không có tệp decision.json",
            en: "decision '{decision}' has no decision.json file",
        }
        DUPLICATE_SET = "criteria.reason.duplicate_set" {
            vi: "mã bộ sản phẩm bị trùng",
            en: "the set code appears twice",
        }
        PARTS = "criteria.reason.parts" {
            vi: "phải có đúng ba phần A, B, C (có: {found})",
            en: "there must be exactly three parts A, B, C (found: {found})",
        }
        PART_MAX = "criteria.reason.part_max" {
            vi: "phần {part} tối đa {max} điểm, phải là {expected}",
            en: "part {part} has a maximum of {max} points; it must be {expected}",
        }
        PART_SUM = "criteria.reason.part_sum" {
            vi: "phần {part}: tổng điểm các nhóm là {sum}, khác {max}",
            en: "part {part}: its groups add up to {sum} points, not {max}",
        }
        GROUP_SUM = "criteria.reason.group_sum" {
            vi: "nhóm {group}: tổng điểm các tiêu chí là {sum}, khác {max}",
            en: "group {group}: its criteria add up to {sum} points, not {max}",
        }
        NO_CODE = "criteria.reason.no_code" {
            vi: "tiêu chí không có mã",
            en: "a criterion has no code",
        }
        DUPLICATE_CODE = "criteria.reason.duplicate_code" {
            vi: "mã tiêu chí {code} bị trùng",
            en: "criterion code {code} appears twice",
        }
        PARENT_OPTIONS = "criteria.reason.parent_options" {
            vi: "tiêu chí có tiêu chí con thì không được có phương án riêng",
            en: "a criterion with sub-criteria cannot have options of its own",
        }
        CHILDREN_SUM = "criteria.reason.children_sum" {
            vi: "tổng điểm tiêu chí con là {sum}, khác {max}",
            en: "its sub-criteria add up to {sum} points, not {max}",
        }
        TOO_FEW_OPTIONS = "criteria.reason.too_few_options" {
            vi: "tiêu chí phải có ít nhất hai phương án",
            en: "a criterion needs at least two options",
        }
        BAD_STAR = "criteria.reason.bad_star" {
            vi: "dấu sao {star} không hợp lệ (chỉ 3, 4, 5)",
            en: "star marker {star} is not valid (only 3, 4, 5)",
        }
        UNKNOWN_CASE = "criteria.reason.unknown_case" {
            vi: "phương án thuộc trường hợp '{case}' không có",
            en: "an option belongs to case '{case}', which does not exist",
        }
        NO_CASE = "criteria.reason.no_case" {
            vi: "phương án không ghi trường hợp",
            en: "an option does not name its case",
        }
        CASE_WITHOUT_OPTIONS = "criteria.reason.case_without_options" {
            vi: "mỗi trường hợp phải có phương án",
            en: "every case needs options",
        }
        BEST_OPTION = "criteria.reason.best_option" {
            vi: "điểm cao nhất của phương án là {best}, khác điểm tối đa {max}",
            en: "the best option gives {best} points, not the maximum of {max}",
        }
        BEST_OPTION_CASE = "criteria.reason.best_option_case" {
            vi: "điểm cao nhất của phương án là {best}, khác điểm tối đa {max} (trường hợp {case})",
            en: "the best option gives {best} points, not the maximum of {max} (case {case})",
        }
        STARS_NOT_MONOTONE = "criteria.reason.stars_not_monotone" {
            vi: "dấu sao không đơn điệu: phương án {high} điểm ({high_star} sao) cao hơn phương án {low} điểm ({low_star} sao)",
            en: "star markers out of order: an option of {high} points ({high_star} stars) is above one of {low} points ({low_star} stars)",
        }
        NO_FILES = "criteria.no_files" {
            vi: "Không có tệp tiêu chí (.json) nào trong {path}",
            en: "There is no criteria file (.json) in {path}",
        }
    }
}

/// Why a set breaks `FORMAT.md`: the criterion at fault ("" for the set or a part), the reason
/// and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub criterion: String,
    pub reason: &'static Msg,
    pub params: Vec<(&'static str, String)>,
}

impl Invalid {
    fn new(criterion: &str, reason: &'static Msg) -> Invalid {
        Invalid {
            criterion: criterion.to_string(),
            reason,
            params: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: impl ToString) -> Invalid {
        self.params.push((key, value.to_string()));
        self
    }
}

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
                    reason: &msg::NO_DECISION_FILE,
                    params: vec![("decision", set.decision.clone())],
                });
            };
            if d.sets.iter().any(|s| s.code == set.code) {
                return Err(CoreError::CriteriaInvalid {
                    file: path,
                    set: set.code.clone(),
                    criterion: String::new(),
                    reason: &msg::DUPLICATE_SET,
                    params: Vec::new(),
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
            return Err(msg::NO_FILES.with("path", path.display()));
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

/// Accepts `QD26-2026`, `qd26-2026`, `26/2026`, `148` and the printed `26/2026/QĐ-TTg` spellings
/// (Đ folds to D, as the import's messages suggest writing it).
fn normalise_decision_id(id: &str) -> String {
    // Folding only what needs it: ids are looked up for every row of a list.
    let folded;
    let id = if id.is_ascii() {
        id
    } else {
        folded = crate::text::fold(id);
        &folded
    };
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

/// A file that does not parse, or is of another format.
fn unreadable(
    path: &str,
    set: &str,
    reason: &'static Msg,
    params: Vec<(&'static str, String)>,
) -> CoreError {
    CoreError::CriteriaInvalid {
        file: path.into(),
        set: set.into(),
        criterion: String::new(),
        reason,
        params,
    }
}

fn parse_decision(path: &str, text: &str) -> Result<Decision> {
    let f: DecisionFile = serde_json::from_str(text)
        .map_err(|e| unreadable(path, "", &msg::JSON, vec![("detail", e.to_string())]))?;
    if f.format != FORMAT {
        return Err(unreadable(
            path,
            "",
            &msg::FORMAT,
            vec![("found", f.format), ("expected", FORMAT.into())],
        ));
    }
    Ok(f.decision)
}

fn parse_set(path: &str, text: &str) -> Result<ProductSet> {
    let f: SetFile = serde_json::from_str(text)
        .map_err(|e| unreadable(path, "", &msg::JSON, vec![("detail", e.to_string())]))?;
    if f.format != FORMAT {
        return Err(unreadable(
            path,
            &f.set.code,
            &msg::FORMAT,
            vec![("found", f.format), ("expected", FORMAT.into())],
        ));
    }
    validate_set(&f.set).map_err(|i| CoreError::CriteriaInvalid {
        file: path.into(),
        set: f.set.code.clone(),
        criterion: i.criterion,
        reason: i.reason,
        params: i.params,
    })?;
    Ok(f.set)
}

/// Checks the invariants of `FORMAT.md`. Sums are taken in 64 bits: a file's points are
/// anyone's numbers, and their total must not wrap (or panic) before it is compared.
pub fn validate_set(set: &ProductSet) -> std::result::Result<(), Invalid> {
    let expected = [("A", 40), ("B", 25), ("C", 35)];
    let codes: Vec<&str> = set.parts.iter().map(|p| p.code.as_str()).collect();
    if codes != ["A", "B", "C"] {
        return Err(Invalid::new("", &msg::PARTS).with("found", codes.join(", ")));
    }
    let mut seen = HashSet::new();
    for (part, (code, max)) in set.parts.iter().zip(expected) {
        if part.max != max {
            return Err(Invalid::new("", &msg::PART_MAX)
                .with("part", code)
                .with("max", part.max)
                .with("expected", max));
        }
        let sum: u64 = part.groups.iter().map(|g| u64::from(g.max)).sum();
        if sum != u64::from(part.max) {
            return Err(Invalid::new("", &msg::PART_SUM)
                .with("part", code)
                .with("sum", sum)
                .with("max", part.max));
        }
        for g in &part.groups {
            let sum: u64 = g.criteria.iter().map(|c| u64::from(c.max)).sum();
            if sum != u64::from(g.max) {
                return Err(Invalid::new(&g.code, &msg::GROUP_SUM)
                    .with("group", &g.code)
                    .with("sum", sum)
                    .with("max", g.max));
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
) -> std::result::Result<(), Invalid> {
    let fail = |reason: &'static Msg| Invalid::new(&c.code, reason);
    if c.code.trim().is_empty() {
        return Err(fail(&msg::NO_CODE));
    }
    if !seen.insert(c.code.clone()) {
        return Err(fail(&msg::DUPLICATE_CODE).with("code", &c.code));
    }
    if !c.children.is_empty() {
        if !c.options.is_empty() {
            return Err(fail(&msg::PARENT_OPTIONS));
        }
        let sum: u64 = c.children.iter().map(|x| u64::from(x.max)).sum();
        if sum != u64::from(c.max) {
            return Err(fail(&msg::CHILDREN_SUM).with("sum", sum).with("max", c.max));
        }
        for ch in &c.children {
            validate_criterion(ch, seen)?;
        }
        return Ok(());
    }
    if c.options.len() < 2 {
        return Err(fail(&msg::TOO_FEW_OPTIONS));
    }
    let case_codes: BTreeSet<&str> = c.cases.iter().map(|k| k.code.as_str()).collect();
    // Options grouped by case ("" when the criterion has no cases).
    let mut groups: Vec<(&str, Vec<&CriterionOption>)> = Vec::new();
    for o in &c.options {
        if let Some(m) = o.min_star {
            if !(3..=5).contains(&m) {
                return Err(fail(&msg::BAD_STAR).with("star", m));
            }
        }
        let key = match (&o.case, c.cases.is_empty()) {
            (None, true) => "",
            (Some(k), false) if case_codes.contains(k.as_str()) => k.as_str(),
            (Some(k), _) => return Err(fail(&msg::UNKNOWN_CASE).with("case", k)),
            (None, false) => return Err(fail(&msg::NO_CASE)),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(o),
            None => groups.push((key, vec![o])),
        }
    }
    if !c.cases.is_empty() && groups.len() != c.cases.len() {
        return Err(fail(&msg::CASE_WITHOUT_OPTIONS));
    }
    for (case, opts) in &groups {
        let best = opts.iter().map(|o| o.points).max().unwrap_or(0);
        if best != c.max {
            let e = if case.is_empty() {
                fail(&msg::BEST_OPTION)
            } else {
                fail(&msg::BEST_OPTION_CASE).with("case", case)
            };
            return Err(e.with("best", best).with("max", c.max));
        }
        for a in opts {
            for b in opts {
                if let (Some(ma), Some(mb)) = (a.min_star, b.min_star) {
                    if ma < mb && a.points > b.points {
                        return Err(fail(&msg::STARS_NOT_MONOTONE)
                            .with("high", a.points)
                            .with("high_star", ma)
                            .with("low", b.points)
                            .with("low_star", mb));
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
    use crate::error::Lang;

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
        // The spellings the decisions print, which the import's messages tell users to write
        // (found by fuzzing: Đ was dropped, so "QĐ-TTg" matched nothing).
        assert_eq!(c.set("26/2026/QĐ-TTg", "11").unwrap().code, a.code);
        assert_eq!(c.decision("148/QĐ-TTg").unwrap().decision.id, "QD148-2023");
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

    /// Found by fuzzing: the points of a file were summed in 32 bits, so a group of
    /// 4,294,967,295 points panicked (debug) or wrapped around to a valid-looking total (release).
    #[test]
    fn huge_points_are_refused_not_overflowed() {
        let e = broken(|v| v["parts"][0]["groups"][0]["max"] = u32::MAX.into());
        assert_eq!(
            e.to_dto(Lang::En).params["reason_code"],
            "criteria.reason.part_sum"
        );
        let e = broken(|v| {
            v["parts"][0]["groups"][0]["criteria"][0]["max"] = u32::MAX.into();
        });
        assert_eq!(
            e.to_dto(Lang::En).params["reason_code"],
            "criteria.reason.group_sum"
        );
    }

    /// Found by fuzzing: the reason of a refused file was Vietnamese whatever the language.
    #[test]
    fn a_refused_file_reads_in_english_too() {
        let e = parse_set("x.json", "{not json").unwrap_err();
        let en = e.message(Lang::En);
        assert!(en.starts_with("Criteria file x.json"), "{en}");
        assert!(en.contains("invalid JSON"), "{en}");
        assert!(en.is_ascii(), "{en}");
        let e = broken(|v| v["parts"][1]["max"] = 26.into());
        assert_eq!(
            e.message(Lang::En),
            "Criteria file QD26-2026/07.json, set 07, criterion : part B has a maximum of 26 points; it must be 25"
        );
        assert!(e
            .message(Lang::Vi)
            .contains("phần B tối đa 26 điểm, phải là 25"));
    }
}
