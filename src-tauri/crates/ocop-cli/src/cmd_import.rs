//! `ocop import FILE [--round R] [--dry-run] [--json]`: owners, products and dossiers from an
//! .xlsx file, all or nothing.
//!
//! On success stdout is the plan (`ImportPlan`, JSON with `--json`): what each row creates or
//! changes (old → new). With `--dry-run` nothing is written (`applied: false`). When any row is in
//! error nothing is written and nothing is printed on stdout: the exit code is 2 and stderr is the
//! error `import.has_errors` naming the rows, with the rows' own errors (`rows: [{row, errors}]`
//! in the JSON object).

use std::path::Path;

use ocop_core::import::{ImportAction, ImportPlan};
use ocop_core::store::Store;
use ocop_core::{CoreError, Lang};

use crate::{to_json, Failure, RowErrors};

const ACTOR: &str = "ocop (dòng lệnh)";

pub fn run(
    store: &mut Store,
    file: &Path,
    round: Option<&str>,
    dry_run: bool,
    json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let bytes = std::fs::read(file).map_err(|e| CoreError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })?;
    let round_id = match round {
        Some(r) => Some(crate::cmd_round::find_round(store, r)?.id),
        None => None,
    };
    let plan = store.import_plan(&bytes, round_id.as_deref(), lang)?;
    if let Some(e) = plan.refusal() {
        return Err(row_errors(e, &plan, lang));
    }
    let plan = if dry_run {
        plan
    } else {
        store.import_apply(
            ACTOR,
            &bytes,
            round_id.as_deref(),
            Some(&plan.fingerprint),
            lang,
        )?
    };
    Ok(if json {
        to_json(&plan)
    } else {
        describe(&plan, lang)
    })
}

/// The refusal with every row error: `rows` in the JSON object, one line per error in text.
pub(crate) fn row_errors(error: CoreError, plan: &ImportPlan, lang: Lang) -> Failure {
    let bad: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.action == ImportAction::Error)
        .collect();
    let row_word = if lang == Lang::En { "Row" } else { "Dòng" };
    let json = serde_json::json!(bad
        .iter()
        .map(|r| serde_json::json!({ "row": r.row, "errors": r.errors }))
        .collect::<Vec<_>>());
    let lines = bad
        .iter()
        .flat_map(|r| {
            r.errors
                .iter()
                .map(move |e| format!("  {row_word} {}: {}", r.row, e.message))
        })
        .collect();
    Failure {
        error,
        rows: Some(Box::new(RowErrors { json, lines })),
    }
}

pub(crate) fn describe(plan: &ImportPlan, lang: Lang) -> String {
    let en = lang == Lang::En;
    let action = |a: ImportAction| match (a, en) {
        (ImportAction::New, false) => "mới",
        (ImportAction::Update, false) => "cập nhật",
        (ImportAction::Unchanged, false) => "không đổi",
        (ImportAction::Error, false) => "lỗi",
        (ImportAction::New, true) => "new",
        (ImportAction::Update, true) => "update",
        (ImportAction::Unchanged, true) => "unchanged",
        (ImportAction::Error, true) => "error",
    };
    let mut out = Vec::new();
    for r in &plan.rows {
        out.push(format!(
            "{} {}: {} — {} / {}",
            if en { "Row" } else { "Dòng" },
            r.row,
            action(r.action),
            r.owner_name,
            r.product_name
        ));
        for c in &r.changes {
            let entity = serde_json::to_value(c.entity).unwrap_or_default();
            out.push(format!(
                "    {}.{}: {} → {}",
                entity.as_str().unwrap_or_default(),
                c.field,
                if c.old.is_empty() { "—" } else { &c.old },
                c.new
            ));
        }
    }
    let c = &plan.counts;
    out.push(if en {
        format!(
            "{} rows: {} new, {} updated, {} unchanged. {}",
            c.rows,
            c.new,
            c.update,
            c.unchanged,
            if plan.applied {
                "Written."
            } else {
                "Dry run: nothing written."
            }
        )
    } else {
        format!(
            "{} dòng: {} mới, {} cập nhật, {} không đổi. {}",
            c.rows,
            c.new,
            c.update,
            c.unchanged,
            if plan.applied {
                "Đã ghi."
            } else {
                "Chạy thử: chưa ghi gì."
            }
        )
    });
    out.join("\n")
}
