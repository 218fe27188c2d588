//! `ocop print …`, `ocop verify …` and `ocop office …`.
//!
//! The office's passphrase comes from the environment (`OCOP_PASSPHRASE`; a new one from
//! `OCOP_NEW_PASSPHRASE`), never from the command line, where other users could read it.

use std::path::Path;

use ocop_core::error::{cli_msg, Entity};
use ocop_core::office::OfficeSettings;
use ocop_core::store::Store;
use ocop_core::text::fold;
use ocop_core::{CoreError, Lang};
use ocop_docs::papers::{render, Issue, PaperKind};

use crate::cmd_round::find_round;
use crate::to_json;

const ACTOR: &str = "ocop (dòng lệnh)";

/// The variable that gives the office's passphrase to scripts.
pub const PASSPHRASE_ENV: &str = "OCOP_PASSPHRASE";
/// The variable that gives the new passphrase to `ocop office key passphrase`.
pub const NEW_PASSPHRASE_ENV: &str = "OCOP_NEW_PASSPHRASE";

fn env_passphrase(var: &'static str) -> Option<String> {
    std::env::var(var).ok().filter(|p| !p.is_empty())
}

fn require_passphrase(var: &'static str) -> Result<String, CoreError> {
    env_passphrase(var).ok_or_else(|| cli_msg::PASSPHRASE_ENV.with("var", var))
}

/// What `ocop print` was asked for.
pub struct PrintRequest<'a> {
    pub kind: &'a str,
    pub round: &'a str,
    pub product: Option<&'a str>,
    pub date: Option<&'a str>,
    pub out: &'a Path,
}

pub fn print(
    store: &mut Store,
    req: PrintRequest,
    json: bool,
    lang: Lang,
) -> Result<String, CoreError> {
    let PrintRequest {
        kind,
        round,
        product,
        date,
        out,
    } = req;
    let kind = PaperKind::parse(kind).ok_or_else(|| {
        cli_msg::UNKNOWN_PAPER.with("kind", kind).with(
            "known",
            PaperKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    })?;
    let round = find_round(store, round)?;
    let product_id = match product {
        None => None,
        Some(key) => {
            let products = store.round_products(&round.id)?;
            let k = fold(key);
            let hits: Vec<_> = products
                .iter()
                .filter(|p| p.id == key || fold(&p.name).contains(&k))
                .collect();
            match hits.as_slice() {
                [one] => Some(one.id.clone()),
                [] => {
                    return Err(CoreError::NotFound {
                        kind: Entity::RoundProduct,
                        id: key.into(),
                    })
                }
                many => {
                    return Err(cli_msg::AMBIGUOUS
                        .with("key", key)
                        .with("count", many.len())
                        .with(
                            "names",
                            many.iter()
                                .map(|p| p.name.as_str())
                                .collect::<Vec<_>>()
                                .join("; "),
                        ))
                }
            }
        }
    };
    let passphrase = env_passphrase(PASSPHRASE_ENV);
    let issue = Issue {
        actor: ACTOR,
        passphrase: passphrase.as_deref(),
    };
    let paper =
        render(store, issue, kind, &round.id, product_id.as_deref(), date).map_err(|e| {
            // Issuing signs certificates: say where the passphrase comes from.
            if e.code() == ocop_core::office::msg::PASSPHRASE_REQUIRED.code {
                cli_msg::PASSPHRASE_ENV.with("var", PASSPHRASE_ENV)
            } else {
                e
            }
        })?;
    std::fs::write(out, &paper.bytes).map_err(|e| CoreError::Io {
        path: out.display().to_string(),
        reason: e.to_string(),
    })?;
    if json {
        return Ok(to_json(&serde_json::json!({
            "kind": kind.as_str(),
            "path": out.display().to_string(),
            "bytes": paper.bytes.len(),
        })));
    }
    Ok(match lang {
        Lang::Vi => format!(
            "Đã ghi {} ({} KB).",
            out.display(),
            paper.bytes.len().div_ceil(1024)
        ),
        Lang::En => format!(
            "Wrote {} ({} KB).",
            out.display(),
            paper.bytes.len().div_ceil(1024)
        ),
    })
}

pub fn verify(store: &Store, payload: &str, json: bool, lang: Lang) -> Result<String, CoreError> {
    let v = store.verify_certificate(payload, lang)?;
    if json {
        // An invalid payload is an answer, not an error: scripts read `valid` and `code`.
        return Ok(to_json(&v));
    }
    if let Some(e) = v.to_error() {
        return Err(e);
    }
    let c = v.claim.as_ref().expect("a valid payload has a claim");
    let vi = lang == Lang::Vi;
    let label = |vi_text: &'static str, en_text: &'static str| if vi { vi_text } else { en_text };
    let shortened = |name: &str, short: bool| {
        if short {
            format!(
                "{name}… ({})",
                label("tên rút gọn trong mã", "shortened in the code")
            )
        } else {
            name.to_string()
        }
    };
    let mut lines = vec![v.message.clone()];
    let mut line = |l: &str, value: String| {
        if !value.trim().is_empty() {
            lines.push(format!("{l}: {value}"));
        }
    };
    line(
        label("Sản phẩm", "Product"),
        shortened(&c.p, c.product_shortened),
    );
    line(
        label("Chủ thể", "Owner"),
        shortened(&c.o, c.owner_shortened),
    );
    line(
        label("Hạng", "Rank"),
        format!("{} {}", c.s, label("sao", "stars")),
    );
    line(label("Mã sản phẩm", "Product code"), c.c.clone());
    if !c.d.is_empty() {
        line(
            label("Quyết định", "Decision"),
            format!(
                "{} {} {}",
                c.d,
                label("ngày", "of"),
                ocop_core::text::dmy(&c.dd)
            ),
        );
    }
    line(
        label("Giấy chứng nhận số", "Certificate no."),
        format!(
            "{}, {} {}",
            c.n,
            label("hiệu lực đến", "valid until"),
            ocop_core::text::dmy(&c.u)
        ),
    );
    let record = match (c.v, v.record_matches) {
        (_, Some(true)) => Some(label(
            "Khớp với hồ sơ đầy đủ lưu tại cơ quan",
            "Matches the full record kept by this office",
        )),
        (_, Some(false)) => Some(label(
            "CẢNH BÁO: cơ quan có hồ sơ số này nhưng không khớp với mã; hãy đối chiếu bản gốc",
            "WARNING: this office has a record with this number, but it is not the one the code names; check the original",
        )),
        (2, None) => Some(label(
            "Cơ quan chưa có hồ sơ đầy đủ của giấy này: chỉ kiểm tra nội dung trong mã",
            "This office has no full record of this certificate: only the code's content was checked",
        )),
        _ => None,
    };
    lines.extend(record.map(str::to_string));
    if v.from_records {
        lines.push(
            label(
                "Kiểm tra theo số giấy chứng nhận, từ dữ liệu lưu tại cơ quan",
                "Checked by the certificate number, from this office's records",
            )
            .to_string(),
        );
    }
    Ok(lines.join("\n"))
}

/// `ocop office show`: the settings, the current key (`null` before it is set up) with its
/// fingerprint and whether it is protected, and the retired keys.
pub fn office_show(store: &Store) -> Result<String, CoreError> {
    let keys = store.office_keys()?;
    let retired: Vec<_> = keys.iter().filter(|k| k.retired_at.is_some()).collect();
    Ok(to_json(&serde_json::json!({
        "office": store.office()?,
        "key": store.own_key()?,
        "retired_keys": retired,
    })))
}

pub fn office_set(store: &mut Store, text: &str) -> Result<String, CoreError> {
    let office: OfficeSettings = serde_json::from_str(text)
        .map_err(|e| ocop_core::error::msg::BAD_JSON.with("detail", e))?;
    let saved = store.save_office(ACTOR, &office)?;
    Ok(to_json(&saved))
}

/// `ocop office key init`: creates the office's key under `OCOP_PASSPHRASE` (or protects a key
/// from before passphrases); an office that has a key keeps it.
pub fn key_init(store: &mut Store) -> Result<String, CoreError> {
    let pass = require_passphrase(PASSPHRASE_ENV)?;
    Ok(to_json(&store.set_up_key(ACTOR, &pass)?))
}

/// `ocop office key passphrase`: re-seals the key from `OCOP_PASSPHRASE` to `OCOP_NEW_PASSPHRASE`.
pub fn key_passphrase(store: &mut Store) -> Result<String, CoreError> {
    let current = require_passphrase(PASSPHRASE_ENV)?;
    let new = require_passphrase(NEW_PASSPHRASE_ENV)?;
    Ok(to_json(&store.change_passphrase(ACTOR, &current, &new)?))
}

/// `ocop office key rotate`: a new key; the old one is retired and still verifies.
pub fn key_rotate(store: &mut Store) -> Result<String, CoreError> {
    let pass = require_passphrase(PASSPHRASE_ENV)?;
    Ok(to_json(&store.rotate_key(ACTOR, &pass)?))
}

/// `ocop office compact-codes`: the compact QR code for every certificate this office issued before
/// it existed (`{"added": N}`); the passphrase only when there is one to sign.
pub fn compact_codes(store: &mut Store) -> Result<String, CoreError> {
    let pass = std::env::var(PASSPHRASE_ENV).ok();
    let added = store.add_compact_codes(ACTOR, pass.as_deref())?;
    Ok(to_json(&serde_json::json!({ "added": added })))
}

/// `ocop office trust`: trusts another office's public key.
pub fn trust(store: &mut Store, name: &str, public_key: &str) -> Result<String, CoreError> {
    Ok(to_json(&store.trust_key(ACTOR, name, public_key)?))
}
