//! The provincial record from the command line: `ocop registry list|due|import`, `ocop revoke`,
//! `ocop revocations export|import|list`, `ocop plan import|show`, `ocop dashboard` and
//! `ocop report`. JSON shapes are public contracts (README).

use std::collections::BTreeMap;
use std::path::Path;

use ocop_core::registry::{RegistryFilter, RegistryStatus, RevocationGround, RevocationInput};
use ocop_core::store::Store;
use ocop_core::{CoreError, Lang};

use crate::cmd_papers::PASSPHRASE_ENV;
use crate::{to_json, Failure};

const ACTOR: &str = "ocop (dòng lệnh)";

fn today() -> ocop_core::registry::Date {
    ocop_core::app::App::today()
}

fn read(file: &Path) -> Result<Vec<u8>, CoreError> {
    std::fs::read(file).map_err(|e| CoreError::Io {
        path: file.display().to_string(),
        reason: e.to_string(),
    })
}

pub struct ListArgs {
    pub status: Option<String>,
    pub query: Option<String>,
    pub star: Option<u8>,
    pub year: Option<i32>,
    pub offset: Option<u32>,
    pub limit: Option<u32>,
}

/// `ocop registry list`: a `RegistryPage` ({format, total, offset, entries}) as JSON, or a table.
pub fn list(store: &Store, a: ListArgs, json: bool, lang: Lang) -> Result<String, CoreError> {
    let status = a.status.as_deref().map(RegistryStatus::parse).transpose()?;
    let page = store.registry_page(
        &RegistryFilter {
            query: a.query,
            status,
            star: a.star,
            year: a.year,
            locality: None,
            offset: a.offset,
            limit: Some(a.limit.unwrap_or(50_000)),
        },
        today(),
    )?;
    if json {
        return Ok(to_json(&page));
    }
    let mut out: Vec<String> = page
        .entries
        .iter()
        .map(|e| {
            format!(
                "{}★  {:<40}  {:<30}  {}  {} → {}  {}{}",
                e.star,
                e.product,
                e.owner,
                e.decision_no,
                ocop_core::text::dmy(&e.decision_date),
                ocop_core::text::dmy(&e.valid_until),
                e.status.label_vi(),
                if e.imported {
                    " (nhập từ danh sách)"
                } else {
                    ""
                }
            )
        })
        .collect();
    out.push(if lang == Lang::En {
        format!("{} of {} entries", page.entries.len(), page.total)
    } else {
        format!("{}/{} giấy chứng nhận", page.entries.len(), page.total)
    });
    Ok(out.join("\n"))
}

/// `ocop registry due`: certificates whose window opens or closes within 30 days.
pub fn due(store: &Store, json: bool) -> Result<String, CoreError> {
    let due = store.registry_due(today())?;
    if json {
        return Ok(to_json(&due));
    }
    Ok(due
        .iter()
        .map(|d| {
            format!(
                "{} ({}): {} {} ({} ngày)",
                d.entry.product,
                d.entry.certificate_no,
                match d.event {
                    ocop_core::registry::DueEvent::Opens => "mở hạn nộp công nhận lại",
                    ocop_core::registry::DueEvent::Closes => "hết hạn nộp công nhận lại",
                },
                ocop_core::text::dmy(&d.on),
                d.in_days
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// `ocop registry import FILE [--map "Header=field"]… [--dry-run]`: the plan / confirm /
/// all-or-nothing import of a list of recognised products. `--map` is remembered.
pub fn import(
    store: &mut Store,
    file: &Path,
    maps: &[String],
    dry_run: bool,
    json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    if !maps.is_empty() {
        let mut m = BTreeMap::new();
        for pair in maps {
            let (h, k) = pair.split_once('=').ok_or_else(|| {
                ocop_core::import::msg::UNKNOWN_COLUMN_KEY
                    .with("key", "")
                    .with("header", pair)
                    .with("known", "Tiêu đề=trường")
            })?;
            m.insert(h.trim().to_string(), k.trim().to_string());
        }
        store.save_import_mapping(ACTOR, &m)?;
    }
    let bytes = read(file)?;
    let plan = store.registry_import_plan(&bytes, lang)?;
    if let Some(e) = plan.refusal() {
        return Err(crate::cmd_import::row_errors(e, &plan, lang));
    }
    let plan = if dry_run {
        plan
    } else {
        store.registry_import_apply(ACTOR, &bytes, Some(&plan.fingerprint), lang)?
    };
    Ok(if json {
        to_json(&plan)
    } else {
        crate::cmd_import::describe(&plan, lang)
    })
}

pub struct RevokeArgs {
    pub certificate: String,
    pub ground: String,
    pub decision: String,
    pub date: String,
    pub concluded: Option<String>,
    pub reason: Option<String>,
}

/// `ocop revoke CERTIFICATE_NUMBER --ground … --decision … --date …`: the entry as revoked.
pub fn revoke(store: &mut Store, a: RevokeArgs, json: bool) -> Result<String, CoreError> {
    let entry = store.revoke(
        ACTOR,
        &RevocationInput {
            entry_id: None,
            certificate_no: Some(a.certificate),
            ground: RevocationGround::parse(&a.ground)?,
            decision_no: a.decision,
            decision_date: a.date,
            concluded_on: a.concluded,
            reason: a.reason.unwrap_or_default(),
        },
        today(),
    )?;
    Ok(if json {
        to_json(&entry)
    } else {
        format!(
            "Đã thu hồi giấy chứng nhận {} ({}).",
            entry.certificate_no, entry.product
        )
    })
}

/// `ocop revocations export --out FILE`: the office's revocations, signed with its key
/// (passphrase in OCOP_PASSPHRASE).
pub fn export(store: &Store, out: &Path, json: bool) -> Result<String, CoreError> {
    let pass = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty());
    let text = store.revocations_export(pass.as_deref())?;
    std::fs::write(out, &text).map_err(|e| CoreError::Io {
        path: out.display().to_string(),
        reason: e.to_string(),
    })?;
    let count = store
        .revocations()?
        .iter()
        .filter(|r| r.from_office.is_none())
        .count();
    Ok(if json {
        to_json(&serde_json::json!({ "path": out.display().to_string(), "revocations": count }))
    } else {
        format!("Đã ghi {count} quyết định thu hồi vào {}", out.display())
    })
}

/// `ocop revocations import FILE`: another office's signed list.
pub fn import_revocations(store: &mut Store, file: &Path, json: bool) -> Result<String, CoreError> {
    let bytes = read(file)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let r = store.revocations_import(ACTOR, &bytes, &name)?;
    Ok(if json {
        to_json(&r)
    } else {
        format!(
            "{}: {} giấy chứng nhận bị thu hồi, {} mới, {} đã có.",
            r.office, r.listed, r.added, r.known
        )
    })
}

pub fn list_revocations(store: &Store, json: bool) -> Result<String, CoreError> {
    let all = store.revocations()?;
    if json {
        return Ok(to_json(&all));
    }
    Ok(all
        .iter()
        .map(|r| {
            format!(
                "{}  {}  {} ngày {}  điểm {}{}",
                r.certificate_no,
                r.product,
                r.decision_no,
                ocop_core::text::dmy(&r.decision_date),
                r.ground.as_str(),
                r.from_office
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// `ocop plan import FILE --year Y [--dry-run]`.
pub fn plan_import(
    store: &mut Store,
    file: &Path,
    year: i32,
    dry_run: bool,
    json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let bytes = read(file)?;
    let plan = store.plan_import_plan(&bytes, year, lang)?;
    let bad: Vec<_> = plan.rows.iter().filter(|r| !r.errors.is_empty()).collect();
    if !bad.is_empty() || !plan.errors.is_empty() {
        let error = ocop_core::import::msg::HAS_ERRORS
            .with("count", bad.len().max(1))
            .with(
                "rows",
                bad.iter()
                    .map(|r| r.row.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        let lines = bad
            .iter()
            .flat_map(|r| {
                r.errors
                    .iter()
                    .map(move |e| format!("  Dòng {}: {}", r.row, e.message))
            })
            .chain(plan.errors.iter().map(|e| format!("  {}", e.message)))
            .collect();
        return Err(Failure {
            error,
            rows: Some(Box::new(crate::RowErrors {
                json: serde_json::json!(bad
                    .iter()
                    .map(|r| serde_json::json!({ "row": r.row, "errors": r.errors }))
                    .collect::<Vec<_>>()),
                lines,
            })),
        });
    }
    let plan = if dry_run {
        plan
    } else {
        store.plan_import_apply(ACTOR, &bytes, year, Some(&plan.fingerprint), lang)?
    };
    Ok(if json {
        to_json(&plan)
    } else {
        let mut out: Vec<String> = plan
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{:<28} {:>4} = 3★ {} + 4★ {} + 5★ {}{}",
                    r.locality,
                    r.total,
                    r.target[0],
                    r.target[1],
                    r.target[2],
                    if r.locality_code.is_none() && !plan.applied {
                        "  (địa bàn mới)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        out.push(format!(
            "Tổng {}: {} sản phẩm (3★ {}, 4★ {}, 5★ {}). {}",
            plan.year,
            plan.total,
            plan.target[0],
            plan.target[1],
            plan.target[2],
            if plan.applied {
                "Đã ghi."
            } else {
                "Chạy thử: chưa ghi gì."
            }
        ));
        out.join("\n")
    })
}

/// `ocop dashboard --year Y`: the dashboard's figures as JSON.
pub fn dashboard(store: &Store, year: i32, period: Option<&str>) -> Result<String, CoreError> {
    let range = match period {
        Some(p) => {
            let (f, t, _) = ocop_core::registry::period(year, p)?;
            Some((f, t))
        }
        None => None,
    };
    Ok(to_json(&store.dashboard(year, range, today())?))
}

/// `ocop report --year Y [--period …] --out FILE` (.pdf or .xlsx).
pub fn report(
    store: &Store,
    year: i32,
    period: Option<&str>,
    out: &Path,
    json: bool,
) -> Result<String, CoreError> {
    let path =
        ocop_docs::papers_registry::write_report(store, year, period.unwrap_or(""), today(), out)?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(if json {
        to_json(
            &serde_json::json!({ "kind": "report", "path": path.display().to_string(), "bytes": bytes }),
        )
    } else {
        format!("Đã ghi báo cáo: {}", path.display())
    })
}
