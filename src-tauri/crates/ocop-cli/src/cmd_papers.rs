//! `ocop print …`, `ocop verify …` and `ocop office …`.

use std::path::Path;

use ocop_core::error::{cli_msg, Entity};
use ocop_core::office::OfficeSettings;
use ocop_core::store::Store;
use ocop_core::text::fold;
use ocop_core::{CoreError, Lang};
use ocop_docs::papers::{render, PaperKind};

use crate::cmd_round::find_round;
use crate::to_json;

const ACTOR: &str = "ocop (dòng lệnh)";

pub fn print(
    store: &mut Store,
    kind: &str,
    round: &str,
    product: Option<&str>,
    date: Option<&str>,
    out: &Path,
    lang: Lang,
) -> Result<String, CoreError> {
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
    let paper = render(store, ACTOR, kind, &round.id, product_id.as_deref(), date)?;
    std::fs::write(out, &paper.bytes).map_err(|e| CoreError::Io {
        path: out.display().to_string(),
        reason: e.to_string(),
    })?;
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

pub fn verify(store: &Store, payload: &str, json: bool) -> Result<String, CoreError> {
    let v = store.verify_certificate(payload)?;
    if json {
        // An invalid payload is an answer, not an error: scripts read `valid`.
        return Ok(to_json(&v));
    }
    if !v.valid {
        return Err(ocop_core::office::msg::CERTIFICATE_INVALID.with("reason", v.message));
    }
    let c = v.claim.as_ref().expect("a valid payload has a claim");
    Ok(format!(
        "{}\nSản phẩm: {}\nChủ thể: {}\nHạng: {} sao\nMã sản phẩm: {}\nQuyết định: {} ngày {}\nGiấy chứng nhận số {}, hiệu lực đến {}",
        v.message,
        c.p,
        c.o,
        c.s,
        c.c,
        c.d,
        ocop_core::text::dmy(&c.dd),
        c.n,
        ocop_core::text::dmy(&c.u)
    ))
}

pub fn office_show(store: &Store) -> Result<String, CoreError> {
    Ok(to_json(
        &serde_json::json!({ "office": store.office()?, "key": store.own_key()? }),
    ))
}

pub fn office_set(store: &mut Store, text: &str) -> Result<String, CoreError> {
    let office: OfficeSettings = serde_json::from_str(text)
        .map_err(|e| ocop_core::error::msg::BAD_JSON.with("detail", e))?;
    let saved = store.save_office(ACTOR, &office)?;
    Ok(to_json(&saved))
}
