//! The evaluation procedures and administrative levels the decisions define (QĐ 148/QĐ-TTg,
//! QĐ 26/2026/QĐ-TTg). Both the criteria data (`criteria`: which procedures a decision allows) and
//! the scoring rules (`rules`: what a council at a level recognises and forwards) use them, so they
//! sit below both; this module depends on nothing but the error type.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};

/// The evaluation procedure a round follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Procedure {
    /// QĐ 148: the district council recognises 3★ and forwards ≥ 70 to the province.
    #[serde(rename = "148-district")]
    District148,
    /// QĐ 148: the province recognises 4★ and forwards ≥ 90 to the centre.
    #[serde(rename = "148-province")]
    Province148,
    /// QĐ 26/2026: the province recognises 3★ and 4★ and forwards ≥ 90 to the centre.
    #[serde(rename = "26-province")]
    Province26,
    /// The central council (Bộ NN&MT) recognises 5★.
    #[serde(rename = "centre")]
    Centre,
}

/// An administrative level of evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Level {
    District,
    Province,
    Centre,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::District => "district",
            Level::Province => "province",
            Level::Centre => "centre",
        }
    }
}

impl Procedure {
    pub const ALL: [Procedure; 4] = [
        Procedure::District148,
        Procedure::Province148,
        Procedure::Province26,
        Procedure::Centre,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Procedure::District148 => "148-district",
            Procedure::Province148 => "148-province",
            Procedure::Province26 => "26-province",
            Procedure::Centre => "centre",
        }
    }

    pub fn parse(s: &str) -> Result<Procedure> {
        Procedure::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| CoreError::UnknownProcedure(s.to_string()))
    }

    pub fn level(self) -> Level {
        match self {
            Procedure::District148 => Level::District,
            Procedure::Province148 | Procedure::Province26 => Level::Province,
            Procedure::Centre => Level::Centre,
        }
    }

    /// The stars a council at this level may recognise.
    pub fn recognises(self) -> &'static [u8] {
        match self {
            Procedure::District148 => &[3],
            Procedure::Province148 => &[4],
            Procedure::Province26 => &[3, 4],
            Procedure::Centre => &[5],
        }
    }

    /// The mean total from which a product goes to the next level, and that level.
    pub fn forward(self) -> Option<(f64, Level)> {
        match self {
            Procedure::District148 => Some((70.0, Level::Province)),
            Procedure::Province148 | Procedure::Province26 => Some((90.0, Level::Centre)),
            Procedure::Centre => None,
        }
    }

    /// Where a central result that stays under 90 goes: under QĐ 26/2026 (and QĐ 1489 before it)
    /// the provincial chair may recognise the product 3★ or 4★ on the central council's result;
    /// QĐ 148 says nothing of it, so such a product stops at the centre.
    pub fn central_result_returns_to(decision_id: &str) -> Option<(&'static [u8], Level)> {
        match Procedure::default_for(decision_id) {
            Procedure::Province26 => Some((Procedure::Province26.recognises(), Level::Province)),
            _ => None,
        }
    }

    /// The default procedure for a decision: the provincial one.
    pub fn default_for(decision_id: &str) -> Procedure {
        if decision_id.contains("148") {
            Procedure::Province148
        } else {
            Procedure::Province26
        }
    }
}
