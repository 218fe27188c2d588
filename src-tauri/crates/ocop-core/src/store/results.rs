//! A round's results and the finalise gate.

use rusqlite::{params, OptionalExtension};
use serde_json::json;
use sha2::Digest;

use super::stored::FrozenResults;
use super::{now, Store};
use crate::error::{CoreError, Entity, Result};
use crate::model::{ProductLine, Round, RoundResults, RoundStatus, SheetStatus};
use crate::rules::{
    consolidate, finalise_blockers, Blocker, GateFacts, MemberScore, PartScores, ProductFacts,
    Role, RoundRules,
};
use crate::Lang;

pub mod msg {
    crate::messages! {
        REVIEW_NOTE_MISSING = "results.review_note_missing" {
            vi: "Cần ghi nội dung thảo luận, chấm lại",
            en: "Write down the discussion and re-scoring",
        }
        REVIEW_WITHOUT_RESCORE = "results.review_without_rescore" {
            vi: "{product}: chưa có phiếu nào được mở lại để chấm lại sau thảo luận",
            en: "{product}: no sheet has been reopened for re-scoring after the discussion",
        }
        FINALISE_BLOCKED = "results.finalise_blocked" {
            vi: "Chưa kết thúc được đợt đánh giá:\n- {blockers}",
            en: "The round cannot be finalised yet:\n- {blockers}",
        }
    }
}

/// A round's results: frozen at finalisation, or computed now with the gate's reasons.
enum Gated {
    Frozen(RoundResults),
    Live(Round, Vec<ProductLine>, Vec<Blocker>),
}

impl Store {
    /// Results of every product in the round, with what still blocks finalisation (worded in
    /// Vietnamese; `RoundResults::in_lang` rewords them). A finalised round returns the results
    /// frozen when it was finalised.
    pub fn round_results(&self, round_id: &str) -> Result<RoundResults> {
        match self.gated_results(round_id)? {
            Gated::Frozen(res) => Ok(res),
            Gated::Live(round, products, blockers) => {
                Ok(RoundResults::new(round, products, &blockers, Lang::Vi))
            }
        }
    }

    /// The round's results and the finalise gate's reasons.
    fn gated_results(&self, round_id: &str) -> Result<Gated> {
        let round = self.round(round_id)?;
        if round.status == RoundStatus::Finalised {
            // Frozen means frozen: the stored lines, or an error; never a recomputation under
            // today's code.
            let text: Option<String> = self.conn.query_row(
                "SELECT results FROM round WHERE id = ?1",
                [round_id],
                |r| r.get(0),
            )?;
            let text = text.ok_or_else(|| {
                CoreError::unreadable(Entity::RoundResults, format!("{round_id}: missing"))
            })?;
            let products = FrozenResults::parse(round_id, &text)?.into_lines();
            let facts = products
                .iter()
                .map(|p| {
                    ProductFacts::of(
                        &p.product_id,
                        &p.product_name,
                        &p.unsigned,
                        p.spread_reviewed,
                        &p.result,
                    )
                })
                .collect();
            let blockers = finalise_blockers(&GateFacts {
                started: true,
                finalised: true,
                rules: round.rules.clone(),
                products: facts,
            });
            return Ok(Gated::Frozen(RoundResults::new(
                round,
                products,
                &blockers,
                Lang::Vi,
            )));
        }
        let roster = self.roster(round_id)?;
        let scoring: Vec<_> = roster.iter().filter(|m| m.role != Role::Advisor).collect();
        let recusals = self.recusals(round_id)?;
        let rules = RoundRules {
            council_size: round.rules.council_size.or(Some(scoring.len() as u32)),
            ..round.rules.clone()
        };
        let reviews: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT product_id FROM spread_review WHERE round_id = ?1")?;
            let rows = stmt.query_map([round_id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut products = Vec::new();
        let mut facts = Vec::new();
        for product in self.round_products(round_id)? {
            let sheets = self.product_sheets(round_id, &product.id)?;
            // The sheet version the product was scored on (all sheets share it; new ones use the current).
            let set = match sheets.first() {
                Some(s) => self.sheet_arc(&s.sheet_sha256)?,
                None => std::sync::Arc::new(
                    self.current_sheet(&product.decision_id, &product.set_code)?
                        .1,
                ),
            };
            let mut members = Vec::new();
            let mut unsigned = Vec::new();
            for m in &scoring {
                let recused = recusals
                    .iter()
                    .any(|r| r.person_id == m.person.id && r.product_id == product.id);
                if recused {
                    members.push(MemberScore {
                        member: m.person.full_name.clone(),
                        person_id: Some(m.person.id.clone()),
                        role: m.role,
                        recused: true,
                        total: 0,
                        parts: PartScores::default(),
                        complete: true,
                        missing: Vec::new(),
                        points: Default::default(),
                        elimination: None,
                    });
                    continue;
                }
                if !m.present {
                    continue;
                }
                match sheets
                    .iter()
                    .find(|s| s.person_id == m.person.id && s.pass == 1)
                {
                    Some(s) => {
                        if s.status != SheetStatus::Signed {
                            unsigned.push(m.person.full_name.clone());
                        }
                        members.push(MemberScore {
                            person_id: Some(m.person.id.clone()),
                            ..s.score.clone()
                        });
                    }
                    None => {
                        unsigned.push(m.person.full_name.clone());
                        members.push(MemberScore {
                            member: m.person.full_name.clone(),
                            person_id: Some(m.person.id.clone()),
                            role: m.role,
                            recused: false,
                            total: 0,
                            parts: PartScores::default(),
                            complete: false,
                            missing: set
                                .leaves()
                                .iter()
                                .map(|l| l.criterion.code.clone())
                                .collect(),
                            points: Default::default(),
                            elimination: None,
                        });
                    }
                }
            }
            let result = consolidate(&set, round.procedure, &rules, members);
            let spread_reviewed = reviews.contains(&product.id);
            facts.push(ProductFacts::of(
                &product.id,
                &product.name,
                &unsigned,
                spread_reviewed,
                &result,
            ));
            products.push(ProductLine {
                product_id: product.id.clone(),
                product_name: product.name.clone(),
                product_code: product.code.clone(),
                owner_name: product.owner_name.clone(),
                commune: product.commune.clone(),
                decision: set.decision.clone(),
                set: set.code.clone(),
                set_name: set.name.clone(),
                unsigned,
                spread_reviewed,
                result,
            });
        }
        let blockers = finalise_blockers(&GateFacts {
            started: round.status != RoundStatus::Draft,
            finalised: round.status == RoundStatus::Finalised,
            rules,
            products: facts,
        });
        Ok(Gated::Live(round, products, blockers))
    }

    /// Records that a product's spread flag was discussed and the product re-scored.
    pub fn record_spread_review(
        &mut self,
        actor: &str,
        round_id: &str,
        product_id: &str,
        note: &str,
    ) -> Result<()> {
        self.require_open(round_id)?;
        let note = crate::text::nfc(note.trim());
        if note.is_empty() {
            return Err(msg::REVIEW_NOTE_MISSING.err());
        }
        let results = self.round_results(round_id)?;
        let line = results
            .products
            .iter()
            .find(|p| p.product_id == product_id)
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::RoundProduct,
                id: product_id.into(),
            })?;
        let history_reopened: bool = self
            .conn
            .query_row(
                "SELECT 1 FROM score_sheet WHERE round_id = ?1 AND product_id = ?2 AND version > 1 LIMIT 1",
                params![round_id, product_id],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if !history_reopened {
            return Err(msg::REVIEW_WITHOUT_RESCORE.with("product", &line.product_name));
        }
        let spread = line.result.spread.unwrap_or(0.0);
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO spread_review (round_id, product_id, note, spread_before, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(round_id, product_id) DO UPDATE SET note = ?3, recorded_at = ?5",
                params![round_id, product_id, note, spread, now()],
            )?;
            tx.audit(
                "round.spread_review",
                "product",
                product_id,
                None,
                Some(json!({ "round_id": round_id, "note": note, "spread_before": spread })),
            )
        })
    }

    /// Spread discussions recorded in a round: (product id, note, spread before re-scoring).
    pub fn spread_reviews(&self, round_id: &str) -> Result<Vec<(String, String, f64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT product_id, note, spread_before FROM spread_review WHERE round_id = ?1",
        )?;
        let rows = stmt.query_map([round_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Finalises the round when nothing blocks it; the chair confirms with their PIN.
    pub fn finalise_round(&mut self, round_id: &str, chair_pin: &str) -> Result<RoundResults> {
        let (round, products, blockers) = match self.gated_results(round_id)? {
            Gated::Live(round, products, blockers) => (round, products, blockers),
            Gated::Frozen(_) => return Err(CoreError::FinaliseBlocked(vec![Blocker::Finalised])),
        };
        if !blockers.is_empty() {
            return Err(CoreError::FinaliseBlocked(blockers));
        }
        let results = RoundResults::new(round, products, &blockers, Lang::Vi);
        let chair = self
            .roster(round_id)?
            .into_iter()
            .find(|m| m.role == Role::Chair)
            .ok_or_else(|| super::rounds::msg::NO_CHAIR.err())?;
        self.verify_pin(&chair.person.id, chair_pin)?;
        let frozen = FrozenResults::freeze(&results.products).to_json();
        self.write(&chair.person.full_name, |tx| {
            tx.execute(
                "UPDATE round SET status = 'finalised', finalised_at = ?2, updated_at = ?2, results = ?3 WHERE id = ?1",
                params![round_id, now(), frozen],
            )?;
            tx.audit(
                "round.finalise",
                "round",
                round_id,
                Some(json!({ "status": "scoring" })),
                Some(json!({ "status": "finalised", "results_sha256": hex::encode(sha2::Sha256::digest(frozen.as_bytes())) })),
            )
        })?;
        self.round_results(round_id)
    }
}
