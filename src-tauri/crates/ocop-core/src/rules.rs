//! The scoring rules: one member's sheet, and a council's consolidated result for a product.
//!
//! Sources: QĐ 148/QĐ-TTg and QĐ 26/2026/QĐ-TTg (bands, star markers, levels); the spread and quorum
//! rules come from provincial council regulations and are round settings (see `ocop-rules.md` §0.6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::criteria::ProductSet;
use crate::error::{CoreError, Result};
// The procedures and levels are the decisions' vocabulary (criteria data names them too); they
// live in their own module so that `criteria` and `rules` do not import each other.
pub use crate::procedure::{Level, Procedure};

/// Tolerance for comparing means (sums of integers divided by a small count) with thresholds.
const EPS: f64 = 1e-9;

/// Council rules, set per round. Defaults follow the provincial regulations most offices use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct RoundRules {
    /// Maximum difference between members' totals; beyond it the product is discussed and re-scored.
    pub max_spread: f64,
    /// Quorum: at least `quorum_numerator / quorum_denominator` of the council must score.
    pub quorum_numerator: u32,
    pub quorum_denominator: u32,
    /// The chair (or, when the chair is recused, a vice-chair) must be among those who score.
    pub chair_required: bool,
    /// Number of council members who score (chair, vice-chairs, members). Quorum is only
    /// computed when it is known.
    #[ts(optional)]
    pub council_size: Option<u32>,
}

impl Default for RoundRules {
    fn default() -> Self {
        RoundRules {
            max_spread: 10.0,
            quorum_numerator: 3,
            quorum_denominator: 4,
            chair_required: true,
            council_size: None,
        }
    }
}

/// A council role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    Chair,
    ViceChair,
    #[default]
    Member,
    Secretary,
    /// Tổ tư vấn / giúp việc: prepares and advises, does not score.
    Advisor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::ViceChair => "vice_chair",
            Role::Member => "member",
            Role::Secretary => "secretary",
            Role::Advisor => "advisor",
        }
    }
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Chair => "Chủ tịch Hội đồng",
            Role::ViceChair => "Phó Chủ tịch Hội đồng",
            Role::Member => "Ủy viên",
            Role::Secretary => "Ủy viên, Thư ký",
            Role::Advisor => "Tổ tư vấn/giúp việc",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Chair,
            Role::ViceChair,
            Role::Member,
            Role::Secretary,
            Role::Advisor,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One member's sheet as entered: a chosen option (0-based, printed order) per leaf criterion.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SheetInput {
    pub member: String,
    #[serde(default)]
    pub role: Role,
    #[serde(default)]
    pub recused: bool,
    #[serde(default)]
    #[ts(type = "Record<string, number>")]
    pub answers: BTreeMap<String, i64>,
    /// An elimination mark (forged dossier, unknown raw material, unacceptable impurity …) with
    /// its reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub elimination: Option<String>,
}

/// Part subtotals.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
#[allow(non_snake_case)]
#[ts(export)]
pub struct PartScores<T: TS> {
    pub A: T,
    pub B: T,
    pub C: T,
}

/// A scored member sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberScore {
    pub member: String,
    /// The member's id in the store (absent for sheets scored without one, as in `ocop score`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub person_id: Option<String>,
    pub role: Role,
    pub recused: bool,
    /// Sum of the chosen options' points (of the answered criteria when incomplete).
    pub total: u32,
    pub parts: PartScores<u32>,
    pub complete: bool,
    /// Leaf codes not answered yet, in printed order.
    pub missing: Vec<String>,
    #[ts(type = "Record<string, number>")]
    pub points: BTreeMap<String, u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub elimination: Option<String>,
}

/// Scores one member's sheet. Unknown criteria and out-of-range options are errors; unanswered
/// criteria are reported in `missing` (never counted as 0 towards a result).
pub fn score_sheet(set: &ProductSet, sheet: &SheetInput) -> Result<MemberScore> {
    let leaves = set.leaves();
    let mut points = BTreeMap::new();
    let mut parts = PartScores::<u32>::default();
    if !sheet.recused {
        for (code, &index) in &sheet.answers {
            let Some(leaf) = leaves.iter().find(|l| &l.criterion.code == code) else {
                return Err(CoreError::UnknownCriterion {
                    member: sheet.member.clone(),
                    criterion: code.clone(),
                });
            };
            let opts = &leaf.criterion.options;
            let Some(opt) = usize::try_from(index).ok().and_then(|i| opts.get(i)) else {
                return Err(CoreError::OptionOutOfRange {
                    member: sheet.member.clone(),
                    criterion: code.clone(),
                    index,
                    count: opts.len(),
                });
            };
            points.insert(code.clone(), opt.points);
            match leaf.part {
                "A" => parts.A += opt.points,
                "B" => parts.B += opt.points,
                _ => parts.C += opt.points,
            }
        }
    }
    let missing: Vec<String> = if sheet.recused {
        Vec::new()
    } else {
        leaves
            .iter()
            .filter(|l| !points.contains_key(&l.criterion.code))
            .map(|l| l.criterion.code.clone())
            .collect()
    };
    Ok(MemberScore {
        member: sheet.member.clone(),
        person_id: None,
        role: sheet.role,
        recused: sheet.recused,
        total: parts.A + parts.B + parts.C,
        parts,
        complete: missing.is_empty(),
        missing,
        points,
        elimination: sheet.elimination.clone().filter(|r| !r.trim().is_empty()),
    })
}

/// Band star from a mean total: ≥90 → 5, ≥70 → 4, ≥50 → 3, ≥30 → 2, else 1.
pub fn band_star(mean_total: f64) -> u8 {
    match mean_total + EPS {
        m if m >= 90.0 => 5,
        m if m >= 70.0 => 4,
        m if m >= 50.0 => 3,
        m if m >= 30.0 => 2,
        _ => 1,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Elimination {
    pub member: String,
    pub reason: String,
}

/// The council's consolidated result for one product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductResult {
    /// Mean of the non-recused members' totals, full precision (show with 2 decimals).
    pub mean_total: Option<f64>,
    pub part_means: Option<PartScores<f64>>,
    /// Mean points per leaf criterion.
    #[ts(type = "Record<string, number>")]
    pub criterion_means: BTreeMap<String, f64>,
    pub members: Vec<MemberScore>,
    /// Members whose sheets count (not recused).
    pub scoring_members: u32,
    /// All non-recused sheets are complete, so the numbers below are final for this scoring.
    pub complete: bool,
    /// Highest minus lowest total among the scoring members.
    pub spread: Option<f64>,
    pub spread_exceeded: bool,
    /// Present only when the council size is known (`rules.council_size`).
    pub quorum_met: Option<bool>,
    pub band_star: Option<u8>,
    /// For each of 3, 4 and 5 stars, the criteria whose council mean is below the star's minimum.
    #[ts(type = "Record<string, string[]>")]
    pub unmet_minima: BTreeMap<String, Vec<String>>,
    /// The final star: the highest s ≥ 3 whose band and minima both hold; null = not recognised.
    pub star: Option<u8>,
    pub recognised: bool,
    /// Whether a council at this procedure's level may recognise this star.
    pub recognisable_here: bool,
    /// The level the product goes to next, if any.
    pub forward: Option<Level>,
    /// The level that may recognise this star on this result when this council may not: a
    /// central result under 90 goes back to the province, which may recognise it 3★ or 4★ on
    /// it (QĐ 26/2026). Null everywhere else.
    #[serde(default)]
    pub returns_to: Option<Level>,
    pub eliminated: bool,
    pub eliminations: Vec<Elimination>,
    pub procedure: Procedure,
}

/// Consolidates members' sheets into the council's result.
pub fn consolidate(
    set: &ProductSet,
    procedure: Procedure,
    rules: &RoundRules,
    members: Vec<MemberScore>,
) -> ProductResult {
    let scoring: Vec<&MemberScore> = members.iter().filter(|m| !m.recused).collect();
    let complete = !scoring.is_empty() && scoring.iter().all(|m| m.complete);
    let n = scoring.len() as f64;

    let (mean_total, part_means, criterion_means) = if complete {
        let mean =
            |f: &dyn Fn(&MemberScore) -> u32| scoring.iter().map(|m| f(m) as f64).sum::<f64>() / n;
        let criterion_means = set
            .leaves()
            .iter()
            .map(|l| {
                let code = &l.criterion.code;
                (
                    code.clone(),
                    mean(&|m| m.points.get(code).copied().unwrap_or(0)),
                )
            })
            .collect();
        (
            Some(mean(&|m| m.total)),
            Some(PartScores {
                A: mean(&|m| m.parts.A),
                B: mean(&|m| m.parts.B),
                C: mean(&|m| m.parts.C),
            }),
            criterion_means,
        )
    } else {
        (None, None, BTreeMap::new())
    };

    let spread = complete.then(|| {
        let max = scoring.iter().map(|m| m.total).max().unwrap_or(0);
        let min = scoring.iter().map(|m| m.total).min().unwrap_or(0);
        (max - min) as f64
    });
    let spread_exceeded = spread.is_some_and(|s| s > rules.max_spread + EPS);

    let quorum_met = rules.council_size.map(|size| {
        let recused = members.iter().filter(|m| m.recused).count() as u64;
        let eligible = (size as u64).saturating_sub(recused);
        let present = scoring.len() as u64;
        let enough = present * rules.quorum_denominator as u64
            >= eligible * rules.quorum_numerator as u64
            && present > 0;
        let chair_ok = !rules.chair_required
            || scoring.iter().any(|m| m.role == Role::Chair)
            || (members.iter().any(|m| m.role == Role::Chair && m.recused)
                && scoring.iter().any(|m| m.role == Role::ViceChair));
        enough && chair_ok
    });

    let mut unmet_minima = BTreeMap::new();
    for star in 3u8..=5 {
        let unmet: Vec<String> = if complete {
            set.leaves()
                .iter()
                .filter_map(|l| {
                    let min = l.criterion.min_points_for(star)? as f64;
                    let got = criterion_means
                        .get(&l.criterion.code)
                        .copied()
                        .unwrap_or(0.0);
                    (got + EPS < min).then(|| l.criterion.code.clone())
                })
                .collect()
        } else {
            Vec::new()
        };
        unmet_minima.insert(star.to_string(), unmet);
    }

    let eliminations: Vec<Elimination> = scoring
        .iter()
        .filter_map(|m| {
            m.elimination.as_ref().map(|r| Elimination {
                member: m.member.clone(),
                reason: r.clone(),
            })
        })
        .collect();
    let eliminated = !eliminations.is_empty();

    let band = mean_total.map(band_star);
    let star = match (band, eliminated) {
        (Some(b), false) => (3..=5u8).rev().find(|&s| {
            b >= s
                && unmet_minima
                    .get(&s.to_string())
                    .is_some_and(|u| u.is_empty())
        }),
        _ => None,
    };
    let recognised = star.is_some();
    let forward = match (procedure.forward(), mean_total) {
        (Some((threshold, level)), Some(mean)) if !eliminated && mean + EPS >= threshold => {
            Some(level)
        }
        _ => None,
    };
    let recognisable_here =
        star.is_some_and(|s| procedure.recognises().contains(&s)) && forward.is_none();
    let returns_to = returns_to(procedure, &set.decision, star, recognisable_here, forward);

    ProductResult {
        mean_total,
        part_means,
        criterion_means,
        scoring_members: scoring.len() as u32,
        complete,
        spread,
        spread_exceeded,
        quorum_met,
        band_star: band,
        unmet_minima,
        star,
        recognised,
        recognisable_here,
        forward,
        returns_to,
        eliminated,
        eliminations,
        procedure,
        members,
    }
}

/// The level that may recognise `star` when the council that scored it (`procedure`, under the
/// criteria of `decision`) may not and sends the product nowhere: today only a central result
/// under 90 under QĐ 26/2026, which the province may recognise 3★ or 4★. An eliminated product
/// has no star, so it returns nowhere.
pub fn returns_to(
    procedure: Procedure,
    decision: &str,
    star: Option<u8>,
    recognisable_here: bool,
    forward: Option<Level>,
) -> Option<Level> {
    if procedure != Procedure::Centre || recognisable_here || forward.is_some() {
        return None;
    }
    let (stars, level) = Procedure::central_result_returns_to(decision)?;
    star.filter(|s| stars.contains(s)).map(|_| level)
}

/// The messages of the finalise gate, one per kind of [`Blocker`].
pub mod msg {
    crate::messages! {
        NOT_STARTED = "blocker.not_started" {
            vi: "đợt đánh giá chưa bắt đầu chấm điểm",
            en: "Scoring has not started in this round",
        }
        FINALISED = "blocker.finalised" {
            vi: "đợt đánh giá đã kết thúc",
            en: "The round is already finalised",
        }
        NO_PRODUCTS = "blocker.no_products" {
            vi: "đợt đánh giá chưa có sản phẩm",
            en: "The round has no products",
        }
        UNSIGNED = "blocker.unsigned" {
            vi: "{product}: chưa ký phiếu — {members}",
            en: "{product}: sheets not signed yet — {members}",
        }
        NO_QUORUM = "blocker.no_quorum" {
            vi: "{product}: không đủ túc số (cần ít nhất {numerator}/{denominator} thành viên, có Chủ tịch)",
            en: "{product}: no quorum (at least {numerator}/{denominator} of the members must score, the chair among them)",
        }
        SPREAD_NOT_REVIEWED = "blocker.spread_not_reviewed" {
            vi: "{product}: chênh lệch điểm {spread} vượt {max_spread} điểm mà chưa ghi nhận thảo luận và chấm lại",
            en: "{product}: the spread of {spread} points exceeds {max_spread} and no discussion and re-scoring is recorded",
        }
        ELIMINATION_WITHOUT_REASON = "blocker.elimination_without_reason" {
            vi: "{product}: có phiếu đánh dấu loại mà không ghi lý do",
            en: "{product}: a sheet is marked for elimination without a reason",
        }
    }
}

/// What the store knows about one product of a round when the gate is asked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductFacts {
    pub product_id: String,
    pub product_name: String,
    /// Members who must still sign a sheet.
    pub unsigned: Vec<String>,
    pub quorum_met: Option<bool>,
    pub spread: Option<f64>,
    pub spread_exceeded: bool,
    /// A discussion and re-scoring of the spread is recorded.
    pub spread_reviewed: bool,
    /// A sheet carries an elimination mark with an empty reason.
    pub elimination_without_reason: bool,
}

impl ProductFacts {
    /// The facts of a product from its consolidated result.
    pub fn of(
        product_id: &str,
        product_name: &str,
        unsigned: &[String],
        spread_reviewed: bool,
        result: &ProductResult,
    ) -> ProductFacts {
        ProductFacts {
            product_id: product_id.into(),
            product_name: product_name.into(),
            unsigned: unsigned.to_vec(),
            quorum_met: result.quorum_met,
            spread: result.spread,
            spread_exceeded: result.spread_exceeded,
            spread_reviewed,
            elimination_without_reason: result.members.iter().any(|m| {
                m.elimination
                    .as_deref()
                    .is_some_and(|r| r.trim().is_empty())
            }),
        }
    }
}

/// What the store knows about a round when someone asks whether it may be finalised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GateFacts {
    /// Scoring has started (the round is no longer a draft).
    pub started: bool,
    pub finalised: bool,
    pub rules: RoundRules,
    pub products: Vec<ProductFacts>,
}

/// One reason a round cannot be finalised yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Blocker {
    NotStarted,
    Finalised,
    NoProducts,
    Unsigned {
        product_id: String,
        product: String,
        members: Vec<String>,
    },
    NoQuorum {
        product_id: String,
        product: String,
        numerator: u32,
        denominator: u32,
    },
    SpreadNotReviewed {
        product_id: String,
        product: String,
        spread: f64,
        max_spread: f64,
    },
    EliminationWithoutReason {
        product_id: String,
        product: String,
    },
}

impl Blocker {
    pub fn msg(&self) -> crate::error::Msg {
        match self {
            Blocker::NotStarted => msg::NOT_STARTED,
            Blocker::Finalised => msg::FINALISED,
            Blocker::NoProducts => msg::NO_PRODUCTS,
            Blocker::Unsigned { .. } => msg::UNSIGNED,
            Blocker::NoQuorum { .. } => msg::NO_QUORUM,
            Blocker::SpreadNotReviewed { .. } => msg::SPREAD_NOT_REVIEWED,
            Blocker::EliminationWithoutReason { .. } => msg::ELIMINATION_WITHOUT_REASON,
        }
    }

    /// The stable code, e.g. `blocker.unsigned`.
    pub fn code(&self) -> &'static str {
        self.msg().code
    }

    /// The parameters the message names (`product_id` too, for the screen to point at the row).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let product = |id: &str, name: &str| {
            vec![
                ("product_id", id.to_string()),
                ("product", name.to_string()),
            ]
        };
        match self {
            Blocker::NotStarted | Blocker::Finalised | Blocker::NoProducts => Vec::new(),
            Blocker::Unsigned {
                product_id,
                product: name,
                members,
            } => {
                let mut p = product(product_id, name);
                p.push(("members", members.join(", ")));
                p
            }
            Blocker::NoQuorum {
                product_id,
                product: name,
                numerator,
                denominator,
            } => {
                let mut p = product(product_id, name);
                p.push(("numerator", numerator.to_string()));
                p.push(("denominator", denominator.to_string()));
                p
            }
            Blocker::SpreadNotReviewed {
                product_id,
                product: name,
                spread,
                max_spread,
            } => {
                let mut p = product(product_id, name);
                p.push(("spread", format!("{spread:.0}")));
                p.push(("max_spread", format!("{max_spread:.0}")));
                p
            }
            Blocker::EliminationWithoutReason {
                product_id,
                product: name,
            } => product(product_id, name),
        }
    }

    /// The reason in `lang`.
    pub fn message(&self, lang: crate::Lang) -> String {
        crate::error::render(self.msg().text(lang), &self.params())
    }
}

/// The finalise gate: every reason the round cannot be finalised yet, in the order the council
/// reads them (the round first, then each product in turn); empty when it can be.
pub fn finalise_blockers(facts: &GateFacts) -> Vec<Blocker> {
    let mut out = Vec::new();
    if facts.finalised {
        out.push(Blocker::Finalised);
    } else if !facts.started {
        out.push(Blocker::NotStarted);
    }
    let rules = &facts.rules;
    for p in &facts.products {
        let (product_id, product) = (p.product_id.clone(), p.product_name.clone());
        if !p.unsigned.is_empty() {
            out.push(Blocker::Unsigned {
                product_id: product_id.clone(),
                product: product.clone(),
                members: p.unsigned.clone(),
            });
        }
        if p.quorum_met == Some(false) {
            out.push(Blocker::NoQuorum {
                product_id: product_id.clone(),
                product: product.clone(),
                numerator: rules.quorum_numerator,
                denominator: rules.quorum_denominator,
            });
        }
        if p.spread_exceeded && !p.spread_reviewed {
            out.push(Blocker::SpreadNotReviewed {
                product_id: product_id.clone(),
                product: product.clone(),
                spread: p.spread.unwrap_or(0.0),
                max_spread: rules.max_spread,
            });
        }
        if p.elimination_without_reason {
            out.push(Blocker::EliminationWithoutReason {
                product_id,
                product,
            });
        }
    }
    if facts.products.is_empty() {
        out.push(Blocker::NoProducts);
    }
    out
}
