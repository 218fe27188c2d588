//! Storage types: the JSON the store keeps in a column, apart from the domain and IPC types.
//!
//! A domain type (`model`, `rules`) may gain or change fields as the app grows; what was stored
//! must still read as it was written. So each stored document has its own type here, with a
//! `format` version; a field added later carries `#[serde(default)]`, and the conversion to the
//! domain type is where a new domain field gets its value for old rows. A row that does not parse
//! is an error the user sees (`CoreError::unreadable`), never silently replaced.
//!
//! The small enums (`Role`, `Level`, `Procedure`) are stored by their public names, which the CLI
//! JSON and the criteria data already fix, so they are reused rather than mirrored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Entity, Result};
use crate::model::ProductLine;
use crate::rules::{Elimination, Level, MemberScore, PartScores, Procedure, ProductResult, Role};

/// The format of [`FrozenResults`] this build writes.
pub const FROZEN_RESULTS_FORMAT: u32 = 1;

/// A finalised round's results as frozen in `round.results`.
///
/// Format 1 is the layout rows had before formats were recorded (the `RoundResults` JSON of the
/// first releases: `round`, `products`, `blockers`); such rows carry no `format` and read as 1.
/// Their `round` and `blockers` are not read: the round record is the live one, and the gate's
/// reasons are worked out again (a finalised round has one: it is finalised).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenResults {
    #[serde(default = "format_1")]
    pub format: u32,
    pub products: Vec<FrozenLine>,
}

fn format_1() -> u32 {
    1
}

/// A product's line (a `ProductLine` with its `ProductResult` flattened into it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenLine {
    pub product_id: String,
    pub product_name: String,
    pub product_code: String,
    pub owner_name: String,
    pub commune: String,
    pub decision: String,
    pub set: String,
    pub set_name: String,
    pub unsigned: Vec<String>,
    pub spread_reviewed: bool,
    pub mean_total: Option<f64>,
    pub part_means: Option<FrozenParts<f64>>,
    pub criterion_means: BTreeMap<String, f64>,
    pub members: Vec<FrozenMember>,
    pub scoring_members: u32,
    pub complete: bool,
    pub spread: Option<f64>,
    pub spread_exceeded: bool,
    pub quorum_met: Option<bool>,
    pub band_star: Option<u8>,
    pub unmet_minima: BTreeMap<String, Vec<String>>,
    pub star: Option<u8>,
    pub recognised: bool,
    pub recognisable_here: bool,
    pub forward: Option<Level>,
    pub eliminated: bool,
    pub eliminations: Vec<FrozenElimination>,
    pub procedure: Procedure,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[allow(non_snake_case)]
pub struct FrozenParts<T> {
    pub A: T,
    pub B: T,
    pub C: T,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenMember {
    pub member: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    pub role: Role,
    pub recused: bool,
    pub total: u32,
    pub parts: FrozenParts<u32>,
    pub complete: bool,
    pub missing: Vec<String>,
    pub points: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elimination: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenElimination {
    pub member: String,
    pub reason: String,
}

impl FrozenResults {
    /// Freezes a round's lines.
    pub fn freeze(products: &[ProductLine]) -> FrozenResults {
        FrozenResults {
            format: FROZEN_RESULTS_FORMAT,
            products: products.iter().map(FrozenLine::from).collect(),
        }
    }

    /// Reads a stored row; anything that does not parse, or a format this build does not know,
    /// is an error naming the round.
    pub fn parse(round_id: &str, text: &str) -> Result<FrozenResults> {
        let frozen: FrozenResults = serde_json::from_str(text)
            .map_err(|e| CoreError::unreadable(Entity::RoundResults, format!("{round_id}: {e}")))?;
        if frozen.format == 0 || frozen.format > FROZEN_RESULTS_FORMAT {
            return Err(CoreError::unreadable(
                Entity::RoundResults,
                format!("{round_id}: format {}", frozen.format),
            ));
        }
        Ok(frozen)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("frozen results serialise")
    }

    /// The lines as the domain sees them.
    pub fn into_lines(self) -> Vec<ProductLine> {
        self.products.into_iter().map(ProductLine::from).collect()
    }
}

impl<T: ts_rs::TS + Copy> From<&PartScores<T>> for FrozenParts<T> {
    fn from(p: &PartScores<T>) -> FrozenParts<T> {
        FrozenParts {
            A: p.A,
            B: p.B,
            C: p.C,
        }
    }
}

impl<T: ts_rs::TS + Copy> From<FrozenParts<T>> for PartScores<T> {
    fn from(p: FrozenParts<T>) -> PartScores<T> {
        PartScores {
            A: p.A,
            B: p.B,
            C: p.C,
        }
    }
}

impl From<&MemberScore> for FrozenMember {
    fn from(m: &MemberScore) -> FrozenMember {
        FrozenMember {
            member: m.member.clone(),
            person_id: m.person_id.clone(),
            role: m.role,
            recused: m.recused,
            total: m.total,
            parts: FrozenParts::from(&m.parts),
            complete: m.complete,
            missing: m.missing.clone(),
            points: m.points.clone(),
            elimination: m.elimination.clone(),
        }
    }
}

impl From<FrozenMember> for MemberScore {
    fn from(m: FrozenMember) -> MemberScore {
        MemberScore {
            member: m.member,
            person_id: m.person_id,
            role: m.role,
            recused: m.recused,
            total: m.total,
            parts: m.parts.into(),
            complete: m.complete,
            missing: m.missing,
            points: m.points,
            elimination: m.elimination,
        }
    }
}

impl From<&ProductLine> for FrozenLine {
    fn from(l: &ProductLine) -> FrozenLine {
        let r = &l.result;
        FrozenLine {
            product_id: l.product_id.clone(),
            product_name: l.product_name.clone(),
            product_code: l.product_code.clone(),
            owner_name: l.owner_name.clone(),
            commune: l.commune.clone(),
            decision: l.decision.clone(),
            set: l.set.clone(),
            set_name: l.set_name.clone(),
            unsigned: l.unsigned.clone(),
            spread_reviewed: l.spread_reviewed,
            mean_total: r.mean_total,
            part_means: r.part_means.as_ref().map(FrozenParts::from),
            criterion_means: r.criterion_means.clone(),
            members: r.members.iter().map(FrozenMember::from).collect(),
            scoring_members: r.scoring_members,
            complete: r.complete,
            spread: r.spread,
            spread_exceeded: r.spread_exceeded,
            quorum_met: r.quorum_met,
            band_star: r.band_star,
            unmet_minima: r.unmet_minima.clone(),
            star: r.star,
            recognised: r.recognised,
            recognisable_here: r.recognisable_here,
            forward: r.forward,
            eliminated: r.eliminated,
            eliminations: r
                .eliminations
                .iter()
                .map(|e| FrozenElimination {
                    member: e.member.clone(),
                    reason: e.reason.clone(),
                })
                .collect(),
            procedure: r.procedure,
        }
    }
}

impl From<FrozenLine> for ProductLine {
    fn from(l: FrozenLine) -> ProductLine {
        // Worked out again from the frozen numbers: it is a rule, not a score.
        let returns_to = crate::rules::returns_to(
            l.procedure,
            &l.decision,
            l.star,
            l.recognisable_here,
            l.forward,
        );
        ProductLine {
            product_id: l.product_id,
            product_name: l.product_name,
            product_code: l.product_code,
            owner_name: l.owner_name,
            commune: l.commune,
            decision: l.decision,
            set: l.set,
            set_name: l.set_name,
            unsigned: l.unsigned,
            spread_reviewed: l.spread_reviewed,
            result: ProductResult {
                mean_total: l.mean_total,
                part_means: l.part_means.map(PartScores::from),
                criterion_means: l.criterion_means,
                members: l.members.into_iter().map(MemberScore::from).collect(),
                scoring_members: l.scoring_members,
                complete: l.complete,
                spread: l.spread,
                spread_exceeded: l.spread_exceeded,
                quorum_met: l.quorum_met,
                band_star: l.band_star,
                unmet_minima: l.unmet_minima,
                star: l.star,
                recognised: l.recognised,
                recognisable_here: l.recognisable_here,
                forward: l.forward,
                returns_to,
                eliminated: l.eliminated,
                eliminations: l
                    .eliminations
                    .into_iter()
                    .map(|e| Elimination {
                        member: e.member,
                        reason: e.reason,
                    })
                    .collect(),
                procedure: l.procedure,
            },
        }
    }
}

/// The format of [`StoredCommuneReport`] this build writes.
pub const COMMUNE_REPORT_FORMAT: u32 = 1;

/// A dossier's Mẫu 03 as kept in `dossier.commune_report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCommuneReport {
    pub format: u32,
    pub raw_materials: String,
    pub local_labour: String,
    pub idea_origin: String,
    pub local_identity: String,
    pub assessed_on: String,
    pub assessed_by: String,
    pub proposed: bool,
}

impl From<&crate::model::CommuneReport> for StoredCommuneReport {
    fn from(r: &crate::model::CommuneReport) -> Self {
        StoredCommuneReport {
            format: COMMUNE_REPORT_FORMAT,
            raw_materials: r.raw_materials.trim().to_string(),
            local_labour: r.local_labour.trim().to_string(),
            idea_origin: r.idea_origin.trim().to_string(),
            local_identity: r.local_identity.trim().to_string(),
            assessed_on: r.assessed_on.trim().to_string(),
            assessed_by: r.assessed_by.trim().to_string(),
            proposed: r.proposed,
        }
    }
}

impl StoredCommuneReport {
    /// Reads the column: `''` is no report yet; a newer format or a damaged row is an error.
    pub fn read(json: &str) -> Result<Option<crate::model::CommuneReport>> {
        if json.is_empty() {
            return Ok(None);
        }
        let s: StoredCommuneReport =
            serde_json::from_str(json).map_err(|e| CoreError::unreadable(Entity::Dossier, e))?;
        if s.format > COMMUNE_REPORT_FORMAT {
            return Err(CoreError::unreadable(
                Entity::Dossier,
                format!("commune report format {}", s.format),
            ));
        }
        Ok(Some(crate::model::CommuneReport {
            raw_materials: s.raw_materials,
            local_labour: s.local_labour,
            idea_origin: s.idea_origin,
            local_identity: s.local_identity,
            assessed_on: s.assessed_on,
            assessed_by: s.assessed_by,
            proposed: s.proposed,
        }))
    }
}
