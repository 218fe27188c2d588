//! `ocop demo`, `ocop round …` and `ocop audit …` (verify, list): the council's records from
//! scripts.

use ocop_core::model::Round;
use ocop_core::store::Store;
use ocop_core::text::fold;
use ocop_core::{CoreError, Lang};

use crate::to_json;

/// Finds a round by id, or by a unique part of its name (diacritic-insensitive).
pub fn find_round(store: &Store, key: &str) -> Result<Round, CoreError> {
    let rounds = store.rounds()?;
    if let Some(r) = rounds.iter().find(|r| r.id == key) {
        return Ok(r.clone());
    }
    let k = fold(key);
    let hits: Vec<&Round> = rounds
        .iter()
        .filter(|r| fold(&r.name).contains(&k))
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(CoreError::NotFound {
            kind: ocop_core::error::Entity::Round,
            id: key.into(),
        }),
        many => Err(ocop_core::error::cli_msg::AMBIGUOUS
            .with("key", key)
            .with("count", many.len())
            .with(
                "names",
                many.iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
    }
}

pub fn list(store: &Store, json: bool, lang: Lang) -> Result<String, CoreError> {
    let rounds = store.rounds()?;
    if json {
        return Ok(to_json(&serde_json::json!({ "rounds": rounds })));
    }
    if rounds.is_empty() {
        return Ok(if lang == Lang::En {
            "No rounds yet."
        } else {
            "Chưa có đợt đánh giá nào."
        }
        .into());
    }
    Ok(rounds
        .iter()
        .map(|r| {
            format!(
                "{}  {}  {}  {}  {} SP",
                r.id,
                ocop_core::text::dmy(&r.date),
                r.status.as_str(),
                r.name,
                r.product_count
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

pub fn results(store: &Store, key: &str, json: bool, lang: Lang) -> Result<String, CoreError> {
    let round = find_round(store, key)?;
    let res = store.round_results(&round.id)?.in_lang(lang);
    if json {
        return Ok(to_json(&res));
    }
    let vi = lang == Lang::Vi;
    let mut out = format!(
        "{} — {}\n",
        res.round.name,
        ocop_core::text::dmy(&res.round.date)
    );
    for p in &res.products {
        let mean = p
            .result
            .mean_total
            .map(|m| format!("{m:.2}"))
            .unwrap_or_else(|| "—".into());
        let star = p
            .result
            .star
            .map(|s| format!("{s}★"))
            .unwrap_or_else(|| "—".into());
        out.push_str(&format!("  {:<40} {:>6}  {}\n", p.product_name, mean, star));
    }
    if res.round.status != ocop_core::model::RoundStatus::Finalised && !res.blockers.is_empty() {
        out.push_str(if vi {
            "Chưa kết thúc được vì:\n"
        } else {
            "Cannot be finalised because:\n"
        });
        for b in &res.blockers {
            out.push_str(&format!("  - {b}\n"));
        }
    }
    Ok(out.trim_end().into())
}

pub fn audit_verify(store: &Store, json: bool, lang: Lang) -> Result<String, CoreError> {
    let v = store.audit_verify()?.in_lang(lang).into_result()?;
    Ok(if json { to_json(&v) } else { v.message })
}

/// `ocop audit list`: `{"entries": [...]}` with `--json`, else one line per entry.
pub fn audit_list(
    store: &Store,
    filter: &ocop_core::model::AuditFilter,
    json: bool,
) -> Result<String, CoreError> {
    let entries = store.audit_list(filter)?;
    if json {
        return Ok(to_json(&serde_json::json!({ "entries": entries })));
    }
    let value = |v: &Option<serde_json::Value>| match v {
        None => "—".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    Ok(entries
        .iter()
        .map(|e| {
            format!(
                "{:>6}  {}  {}  {}  {} {}  {} → {}",
                e.seq,
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                value(&e.before),
                value(&e.after)
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

pub fn demo_load(store: &mut Store, json: bool) -> Result<String, CoreError> {
    let s = ocop_core::demo::load(store)?;
    Ok(if json { to_json(&s) } else { s.message })
}
