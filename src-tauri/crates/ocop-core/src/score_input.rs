//! The `ocop score` contract: a product's sheets in, the council's result out.
//!
//! Input: `{"decision", "set", "procedure"?, "rules"?, "sheets": [SheetInput]}`.
//! Output: [`ScoreReport`], the [`ProductResult`] fields plus the decision and set scored.
//! Both shapes are public: extend them, never rename or drop a field.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::criteria::Catalog;
use crate::error::{CoreError, Result};
use crate::rules::{consolidate, score_sheet, Procedure, ProductResult, RoundRules, SheetInput};

pub mod msg {
    crate::messages! {
        NO_SHEETS = "score.no_sheets" {
            vi: "Không có phiếu đánh giá nào (sheets rỗng)",
            en: "There are no score sheets (sheets is empty)",
        }
        MEMBER_MISSING = "score.member_missing" {
            vi: "Phiếu thứ {n} không ghi tên thành viên (member)",
            en: "Sheet {n} has no member name (member)",
        }
        DUPLICATE_MEMBER = "score.duplicate_member" {
            vi: "Thành viên '{member}' có hai phiếu",
            en: "Member '{member}' has two sheets",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreRequest {
    pub decision: String,
    pub set: String,
    #[serde(default)]
    #[ts(optional)]
    pub procedure: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub rules: Option<RoundRules>,
    pub sheets: Vec<SheetInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreReport {
    pub decision: String,
    pub set: String,
    pub set_name: String,
    #[serde(flatten)]
    pub result: ProductResult,
}

/// Reads a request from its JSON text; `input` names where it came from (a file, `-` for stdin)
/// in the message of a text that does not parse.
pub fn parse_request(text: &str, input: &str) -> Result<ScoreRequest> {
    serde_json::from_str(text).map_err(|e| {
        crate::error::cli_msg::BAD_JSON_FILE
            .with("input", input)
            .with("detail", e)
    })
}

/// Scores a request strictly: every non-recused sheet must be complete.
pub fn score(catalog: &Catalog, req: &ScoreRequest) -> Result<ScoreReport> {
    let decision = catalog
        .decision(&req.decision)
        .ok_or_else(|| CoreError::UnknownDecision(req.decision.clone()))?;
    let set = catalog.set(&req.decision, &req.set)?;
    let procedure = match &req.procedure {
        Some(p) => Procedure::parse(p)?,
        None => Procedure::default_for(&decision.decision.id),
    };
    if !decision.decision.procedures.contains(&procedure) {
        return Err(CoreError::ProcedureNotForDecision {
            procedure: procedure.as_str().into(),
            decision: decision.decision.id.clone(),
        });
    }
    if req.sheets.is_empty() {
        return Err(msg::NO_SHEETS.err());
    }
    let mut members = Vec::with_capacity(req.sheets.len());
    for (i, s) in req.sheets.iter().enumerate() {
        if s.member.trim().is_empty() {
            return Err(msg::MEMBER_MISSING.with("n", i + 1));
        }
        if req.sheets[..i].iter().any(|o| o.member == s.member) {
            return Err(msg::DUPLICATE_MEMBER.with("member", &s.member));
        }
        let m = score_sheet(set, s)?;
        if !m.complete {
            return Err(CoreError::IncompleteSheet {
                member: m.member,
                missing: m.missing,
            });
        }
        members.push(m);
    }
    let rules = req.rules.clone().unwrap_or_default();
    let result = consolidate(set, procedure, &rules, members);
    Ok(ScoreReport {
        decision: decision.decision.id.clone(),
        set: set.code.clone(),
        set_name: set.name.clone(),
        result,
    })
}
