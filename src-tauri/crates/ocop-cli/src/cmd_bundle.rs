//! `ocop bundle export | inspect | import`: signed exchange bundles between offices
//! (`assets/criteria/BUNDLE.md`). The passphrase that opens the office key for `export` comes
//! from `OCOP_PASSPHRASE`.

use std::path::Path;

use ocop_core::app_exchange::read_bundle_file;
use ocop_core::error::cli_msg;
use ocop_core::exchange::{BundlePlan, ExportRequest, PlanAction, Purpose};
use ocop_core::model::ListFilter;
use ocop_core::store::Store;
use ocop_core::{CoreError, Lang};

use crate::cmd_papers::PASSPHRASE_ENV;
use crate::to_json;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// A product by its id, its code, or a unique part of its name.
fn find_product(store: &Store, key: &str) -> Result<String, CoreError> {
    let hits = store.products(&ListFilter {
        query: Some(key.to_string()),
        ..Default::default()
    })?;
    if let Some(p) = hits
        .iter()
        .find(|p| p.id == key || (!p.code.is_empty() && p.code == key))
    {
        return Ok(p.id.clone());
    }
    match hits.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => store.product(key).map(|p| p.id),
        many => Err(cli_msg::AMBIGUOUS
            .with("key", key)
            .with("count", many.len())
            .with(
                "names",
                many.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
    }
}

pub fn export(
    store: &mut Store,
    data_dir: &Path,
    round: Option<&str>,
    products: &[String],
    purpose: &str,
    out: &Path,
    json: bool,
) -> Result<String, CoreError> {
    let purpose = Purpose::parse(purpose)?;
    let round = match round {
        Some(r) => Some(crate::cmd_round::find_round(store, r)?.id),
        None => None,
    };
    let products = products
        .iter()
        .map(|p| find_product(store, p))
        .collect::<Result<Vec<_>, _>>()?;
    let pass = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty());
    let (bytes, info, minisign_public_key) = store.export_bundle(
        "ocop bundle export",
        data_dir,
        &ExportRequest {
            round,
            products,
            purpose,
        },
        pass.as_deref(),
    )?;
    std::fs::write(out, &bytes).map_err(|e| CoreError::Io {
        path: out.display().to_string(),
        reason: e.to_string(),
    })?;
    let summary = ocop_core::exchange::ExportSummary {
        format: 1,
        file: out.display().to_string(),
        info,
        bytes: bytes.len() as u64,
        minisign_public_key,
    };
    Ok(if json {
        to_json(&summary)
    } else {
        let counts: Vec<String> = summary
            .info
            .counts
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect();
        format!(
            "Đã ghi gói {} ({}) vào {}: {}; {} tệp đính kèm; {} byte\nKhóa ký {} (minisign: {})",
            summary.info.bundle_uuid,
            purpose.as_str(),
            out.display(),
            counts.join(", "),
            summary.info.attachments,
            summary.bytes,
            summary.info.sender_key_fingerprint,
            summary.minisign_public_key
        )
    })
}

fn describe(plan: &BundlePlan, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut out = format!(
        "{} {} — {} {} ({}: {}{})\n{}: {} · {}: {}\n",
        if en { "Bundle" } else { "Gói" },
        plan.info.bundle_uuid,
        if en { "from" } else { "của" },
        plan.info.sender_office,
        if en { "key" } else { "khóa" },
        plan.info.sender_key_fingerprint,
        match (plan.trusted || plan.trusted_now, en) {
            (true, true) => ", trusted",
            (true, false) => ", đã tin cậy",
            (false, true) => ", NOT trusted",
            (false, false) => ", CHƯA tin cậy",
        },
        if en { "Purpose" } else { "Mục đích" },
        plan.info.purpose.as_str(),
        if en { "created" } else { "tạo lúc" },
        plan.info.created,
    );
    for e in &plan.entities {
        out.push_str(&format!(
            "  {:<16} {} {}, {} {}, {} {}, {} {}\n",
            e.entity,
            e.new,
            if en { "new" } else { "mới" },
            e.updated,
            if en { "updated" } else { "cập nhật" },
            e.unchanged,
            if en { "unchanged" } else { "không đổi" },
            e.conflict,
            if en { "conflict" } else { "xung đột" },
        ));
    }
    for r in plan
        .records
        .iter()
        .filter(|r| r.action == PlanAction::Conflict)
    {
        out.push_str(&format!(
            "  {} {} {} ({})\n",
            if en { "conflict:" } else { "xung đột:" },
            r.entity,
            r.id,
            r.label
        ));
    }
    if let Some(n) = &plan.notice {
        out.push_str(n);
        out.push('\n');
    }
    out.push_str(match (plan.applied, en) {
        (true, true) => "Imported.",
        (true, false) => "Đã nhập.",
        (false, true) => "Nothing written.",
        (false, false) => "Chưa ghi gì.",
    });
    out
}

pub fn inspect(store: &Store, file: &Path, json: bool, lang: Lang) -> Result<String, CoreError> {
    let bundle = read_bundle_file(&file.display().to_string())?;
    let plan = store.bundle_plan(&bundle, &file_name(file), lang)?;
    Ok(if json {
        to_json(&plan)
    } else {
        describe(&plan, lang)
    })
}

pub fn import(
    store: &mut Store,
    data_dir: &Path,
    file: &Path,
    trust: bool,
    dry_run: bool,
    json: bool,
    lang: Lang,
) -> Result<String, CoreError> {
    let bundle = read_bundle_file(&file.display().to_string())?;
    let plan = store.bundle_import(
        "ocop bundle import",
        data_dir,
        &bundle,
        &file_name(file),
        ocop_core::store::exchange::ImportOptions { trust, dry_run },
        lang,
    )?;
    Ok(if json {
        to_json(&plan)
    } else {
        describe(&plan, lang)
    })
}
