//! `ocop criteria …` and the human-readable form of a score report.

use std::path::Path;

use ocop_core::criteria::{Catalog, ProductSet};
use ocop_core::score_input::ScoreReport;
use ocop_core::{CoreError, Lang};
use serde::Serialize;

use crate::{leaves_by_part, to_json};

pub fn list(catalog: &Catalog, json: bool) -> String {
    let index = catalog.index();
    if json {
        return to_json(&index);
    }
    let mut out = String::new();
    for d in &index.decisions {
        out.push_str(&format!("{}  {} — {}\n", d.id, d.number, d.title));
        for s in &d.sets {
            out.push_str(&format!(
                "  {}  {} ({})\n",
                s.code, s.name, s.classification.subgroup.code
            ));
        }
    }
    out.trim_end().to_string()
}

#[derive(Serialize)]
struct ShowSet<'a> {
    decision: &'a str,
    set: &'a str,
    name: &'a str,
    classification: &'a ocop_core::criteria::Classification,
    parts: Vec<ShowPart<'a>>,
}

#[derive(Serialize)]
struct ShowPart<'a> {
    code: &'a str,
    title: &'a str,
    max: u32,
    criteria: Vec<ShowCriterion<'a>>,
}

#[derive(Serialize)]
struct ShowCriterion<'a> {
    code: &'a str,
    title: &'a str,
    max: u32,
    eliminating: &'a [String],
    options: Vec<ShowOption<'a>>,
}

#[derive(Serialize)]
struct ShowOption<'a> {
    text: &'a str,
    points: u32,
    min_star: Option<u8>,
    case: Option<&'a str>,
}

pub fn show(set: &ProductSet, json: bool) -> String {
    let parts: Vec<ShowPart> = leaves_by_part(set)
        .into_iter()
        .zip(&set.parts)
        .map(|((_, leaves), p)| ShowPart {
            code: &p.code,
            title: &p.title,
            max: p.max,
            criteria: leaves
                .into_iter()
                .map(|c| ShowCriterion {
                    code: &c.code,
                    title: &c.title,
                    max: c.max,
                    eliminating: &c.eliminating,
                    options: c
                        .options
                        .iter()
                        .map(|o| ShowOption {
                            text: &o.text,
                            points: o.points,
                            min_star: o.min_star,
                            case: o.case.as_deref(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let shown = ShowSet {
        decision: &set.decision,
        set: &set.code,
        name: &set.name,
        classification: &set.classification,
        parts,
    };
    if json {
        return to_json(&shown);
    }
    let mut out = format!("{} — {}. {}\n", set.decision, set.code, set.name);
    for p in &shown.parts {
        out.push_str(&format!(
            "\nPhần {}: {} ({} điểm)\n",
            p.code, p.title, p.max
        ));
        for c in &p.criteria {
            out.push_str(&format!("  {}  {} — {} điểm\n", c.code, c.title, c.max));
            for (i, o) in c.options.iter().enumerate() {
                let marker = o
                    .min_star
                    .map(|s| format!(" [{}]", "*".repeat(s as usize)))
                    .unwrap_or_default();
                out.push_str(&format!("      [{i}] {} đ  {}{marker}\n", o.points, o.text));
            }
        }
    }
    out.trim_end().to_string()
}

pub fn check(path: Option<&Path>, lang: Lang) -> Result<String, CoreError> {
    let catalog = match path {
        Some(p) => Catalog::from_path(p)?,
        None => Catalog::builtin().clone(),
    };
    let sets: usize = catalog.decisions.iter().map(|d| d.sets.len()).sum();
    let leaves: usize = catalog
        .decisions
        .iter()
        .flat_map(|d| &d.sets)
        .map(|s| s.leaves().len())
        .sum();
    Ok(match lang {
        Lang::Vi => format!(
            "Hợp lệ: {} quyết định, {sets} bộ sản phẩm, {leaves} tiêu chí chấm.",
            catalog.decisions.len()
        ),
        Lang::En => format!(
            "Valid: {} decisions, {sets} product sets, {leaves} scored criteria.",
            catalog.decisions.len()
        ),
    })
}

pub fn describe_result(r: &ScoreReport, lang: Lang) -> String {
    let res = &r.result;
    let vi = lang == Lang::Vi;
    let mut out = format!("{} — {}. {}\n", r.decision, r.set, r.set_name);
    for m in &res.members {
        let state = if m.recused {
            if vi {
                "  (tránh xung đột lợi ích)"
            } else {
                "  (recused)"
            }
        } else {
            ""
        };
        out.push_str(&format!("  {:<30} {:>3}{state}\n", m.member, m.total));
    }
    let mean = res
        .mean_total
        .map(|m| format!("{m:.2}"))
        .unwrap_or_else(|| "—".into());
    let star = res.star.map(|s| format!("{s}★")).unwrap_or_else(|| {
        if vi {
            "không công nhận".into()
        } else {
            "not recognised".into()
        }
    });
    if vi {
        out.push_str(&format!(
            "Điểm trung bình: {mean}; hạng theo điểm: {}★; xếp hạng: {star}\n",
            res.band_star.unwrap_or(0)
        ));
    } else {
        out.push_str(&format!(
            "Mean: {mean}; band: {}★; rank: {star}\n",
            res.band_star.unwrap_or(0)
        ));
    }
    if res.spread_exceeded {
        out.push_str(if vi {
            "Chênh lệch điểm giữa các thành viên vượt ngưỡng: cần thảo luận và chấm lại.\n"
        } else {
            "Spread between members exceeds the limit: discuss and re-score.\n"
        });
    }
    for (star, codes) in &res.unmet_minima {
        if !codes.is_empty() {
            out.push_str(&format!(
                "{}{star}★: {}\n",
                if vi {
                    "Chưa đạt yêu cầu tối thiểu "
                } else {
                    "Unmet minima for "
                },
                codes.join(", ")
            ));
        }
    }
    if let Some(f) = res.returns_to {
        out.push_str(&format!(
            "{} {}\n",
            if vi {
                "Trả về cấp công nhận:"
            } else {
                "Returns for recognition to:"
            },
            f.as_str()
        ));
    }
    if let Some(f) = res.forward {
        out.push_str(&format!(
            "{} {}\n",
            if vi {
                "Chuyển lên cấp:"
            } else {
                "Forward to:"
            },
            f.as_str()
        ));
    }
    out.trim_end().to_string()
}
