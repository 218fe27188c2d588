//! The bridge from the registry's records to its papers: the periodic report (PDF and Excel), the
//! registry list (Excel), the revocation decision and the written-opinion papers of a
//! re-recognition. Like [`crate::papers`], it maps ocop-core's records onto the plain view models
//! and knows no SQL and no rule.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ocop_core::office::OfficeSettings;
use ocop_core::registry::{self, RegistryEntry, RegistryFilter, RegistryStatus};
use ocop_core::rules::Role;
use ocop_core::store::Store;
use ocop_core::{CoreError, Result};

use crate::model::{Office, Signer};
use crate::model_registry::*;
use crate::papers::{
    committee_office as committee, council_office as council, date as day, doc_err, signer,
};

/// The office's signer of decisions, as printed.
fn decision_signer(o: &OfficeSettings) -> Signer {
    signer(&o.decision_signer)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::write(path, bytes).map_err(|e| CoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(path.to_path_buf())
}

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

fn counts(rows: &[registry::CountRow]) -> Vec<ReportCountRow> {
    rows.iter()
        .map(|r| ReportCountRow {
            label: r.label.clone(),
            count: r.count,
        })
        .collect()
}

/// The report of results for `year` and `period` (see [`registry::period`]), as of `today`.
pub fn report_doc(store: &Store, year: i32, period: &str, today: NaiveDate) -> Result<ReportDoc> {
    let (from, to, label) = registry::period(year, period)?;
    let office = store.office()?;
    let d = store.dashboard(year, Some((from, to)), today)?;
    let by_locality = d
        .plan
        .iter()
        .map(|r| ReportLocalityRow {
            locality: r.locality.clone(),
            target_total: r.target_total,
            target_3: r.target[0],
            target_4: r.target[1],
            target_5: r.target[2],
            achieved_3: r.achieved[0],
            achieved_4: r.achieved[1],
            achieved_5: r.achieved[2],
            achieved_total: r.achieved_total,
        })
        .collect();
    let symbol = office
        .decision_symbol
        .split_once('-')
        .map(|(_, body)| format!("BC-{body}"))
        .unwrap_or_else(|| "BC-UBND".into());
    Ok(ReportDoc {
        office: committee(&office),
        number: format!("      /{symbol}"),
        date: today,
        period_label: label,
        year,
        locality_heading: String::new(),
        plan_label: String::new(),
        by_locality,
        by_owner_type: counts(&d.period_by_owner_kind),
        by_set: counts(&d.period_by_set),
        cumulative_by_star: d
            .in_force_by_year
            .iter()
            .map(|y| ReportYearRow {
                year: y.year,
                star3: y.star3,
                star4: y.star4,
                star5: y.star5,
                total: y.total,
            })
            .collect(),
        revoked: d.period_revoked,
        expired: d.period_expired,
        rerecognised: d.period_rerecognised,
        upgraded: d.period_upgraded,
        signer: decision_signer(&office),
        recipients: vec![
            "Văn phòng Điều phối Nông thôn mới Trung ương (b/c)".into(),
            "Thường trực Tỉnh ủy, HĐND tỉnh (b/c)".into(),
            "Chủ tịch, các PCT UBND tỉnh".into(),
            "Các sở, ngành thành viên Hội đồng".into(),
            "Lưu: VT, NN.".into(),
        ],
    })
}

/// Writes the report to `path`: Excel when it ends in `.xlsx`, else PDF.
pub fn write_report(
    store: &Store,
    year: i32,
    period: &str,
    today: NaiveDate,
    path: &Path,
) -> Result<PathBuf> {
    let doc = report_doc(store, year, period, today)?;
    let bytes = if is_xlsx(path) {
        crate::report_xlsx(&doc)
    } else {
        crate::report_pdf(&doc)
    }
    .map_err(doc_err)?;
    write_file(path, &bytes)
}

/// The report as the window asks for it: a period from `from` to `to` (ISO) or the whole year,
/// as "pdf" or "xlsx".
pub fn report_paper(
    store: &Store,
    year: i32,
    from: Option<&str>,
    to: Option<&str>,
    format: &str,
    path: &Path,
) -> Result<PathBuf> {
    let spec = match (from, to) {
        (Some(f), Some(t)) if !f.is_empty() && !t.is_empty() => format!("{f}:{t}"),
        _ => String::new(),
    };
    let doc = report_doc(store, year, &spec, chrono::Local::now().date_naive())?;
    let bytes = if format == "xlsx" {
        crate::report_xlsx(&doc)
    } else {
        crate::report_pdf(&doc)
    }
    .map_err(doc_err)?;
    write_file(path, &bytes)
}

/// A file the window may ask the system viewer to open: a paper this app writes (PDF, Excel)
/// that exists.
pub fn openable(path: &str) -> Result<PathBuf> {
    let p = PathBuf::from(path);
    let ok = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["pdf", "xlsx"].contains(&e.to_ascii_lowercase().as_str()))
        && p.is_file();
    if ok {
        Ok(p)
    } else {
        Err(CoreError::Io {
            path: path.into(),
            reason: "not a saved paper".into(),
        })
    }
}

fn status_label(s: RegistryStatus) -> String {
    s.label_vi().to_string()
}

/// The registry list of a filter (every matching entry, not one page).
pub fn registry_list_doc(
    store: &Store,
    filter: &RegistryFilter,
    today: NaiveDate,
) -> Result<RegistryListDoc> {
    let office = store.office()?;
    let page = store.registry_page(
        &RegistryFilter {
            offset: Some(0),
            limit: Some(50_000),
            ..filter.clone()
        },
        today,
    )?;
    let catalog = store.catalog()?;
    let rows = page
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| RegistryListRow {
            stt: i as u32 + 1,
            product: e.product.clone(),
            owner: e.owner.clone(),
            owner_type: e.owner_kind.label_vi().into(),
            commune: e.commune.clone(),
            district: e.district.clone(),
            set_label: catalog
                .set(&e.decision_id, &e.set_code)
                .map(|s| format!("{}. {}", s.code, s.name))
                .unwrap_or_else(|_| e.set_code.clone()),
            star: e.star,
            decision_no: e.decision_no.clone(),
            decision_date: day(&e.decision_date).ok(),
            valid_until: day(&e.valid_until).ok(),
            status_label: status_label(e.status),
            certificate_no: e.certificate_no.clone(),
            imported: e.imported,
        })
        .collect();
    Ok(RegistryListDoc {
        office: committee(&office),
        title: format!(
            "DANH SÁCH SẢN PHẨM OCOP TỈNH {}",
            office.province.to_uppercase()
        ),
        generated_on: today,
        rows,
    })
}

pub fn write_registry_xlsx(
    store: &Store,
    filter: &RegistryFilter,
    today: NaiveDate,
    path: &Path,
) -> Result<PathBuf> {
    let doc = registry_list_doc(store, filter, today)?;
    write_file(path, &crate::registry_xlsx(&doc).map_err(doc_err)?)
}

/// The revocation decision of a revoked entry, in the layout of the recognition decision.
pub fn revocation_decision_doc(store: &Store, entry_id: &str) -> Result<RevocationDecisionDoc> {
    let office = store.office()?;
    let today = chrono::Local::now().date_naive();
    let e: RegistryEntry = store.registry_entry(entry_id, today)?;
    let r = e
        .revocation
        .clone()
        .ok_or_else(|| registry::msg::NO_CERTIFICATE.with("number", &e.certificate_no))?;
    let minister = r.authority == registry::RevocationAuthority::Minister;
    Ok(RevocationDecisionDoc {
        office: if minister {
            Office {
                province: office.province.clone(),
                issuing_body_parent: String::new(),
                issuing_body: "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG".into(),
                place: "Hà Nội".into(),
            }
        } else {
            committee(&office)
        },
        number: r.decision_no.clone(),
        date: day(&r.decision_date)?,
        authority: if minister {
            "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG".into()
        } else {
            office.authority.clone()
        },
        bases: vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;".into(),
            "Căn cứ Quyết định số 26/2026/QĐ-TTg của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm;".into(),
            format!(
                "Căn cứ Quyết định số {} ngày {} công nhận sản phẩm OCOP;",
                e.decision_no,
                ocop_core::text::dmy(&e.decision_date)
            ),
        ],
        certificate_no: e.certificate_no.clone(),
        product: e.product.clone(),
        owner: e.owner.clone(),
        star: e.star,
        recognition_decision_no: e.decision_no.clone(),
        recognition_decision_date: day(&e.decision_date)?,
        ground_label: format!(
            "điểm {} khoản 1 Điều 8 Quyết định số 26/2026/QĐ-TTg: {}",
            r.ground.as_str(),
            r.ground.label_vi()
        ),
        reason: r.reason.clone(),
        executors: String::new(),
        signer: decision_signer(&office),
        recipients: vec![
            "Như Điều 3".into(),
            e.owner.clone(),
            "Sở Nông nghiệp và Môi trường".into(),
            "Lưu: VT, NN.".into(),
        ],
    })
}

pub fn write_revocation_decision(store: &Store, entry_id: &str, path: &Path) -> Result<PathBuf> {
    let doc = revocation_decision_doc(store, entry_id)?;
    write_file(
        path,
        &crate::revocation_decision_pdf(&doc).map_err(doc_err)?,
    )
}

/// The council's members: the roster of the latest round, else every person.
fn council_members(store: &Store) -> Result<Vec<(String, String, String)>> {
    let rounds = store.rounds()?;
    if let Some(round) = rounds.iter().max_by(|a, b| a.date.cmp(&b.date)) {
        let roster = store.roster(&round.id)?;
        if !roster.is_empty() {
            return Ok(roster
                .into_iter()
                .filter(|m| m.role != Role::Advisor)
                .map(|m| (m.person.id, m.person.full_name, m.role.label_vi().into()))
                .collect());
        }
    }
    Ok(store
        .persons(None)?
        .into_iter()
        .map(|p| (p.id, p.full_name, "Thành viên Hội đồng".into()))
        .collect())
}

/// A re-recognition's papers: "forms" (one written-opinion form per member, filled in with the
/// opinions recorded) or "summary" (the summary of opinions).
pub fn write_renewal_paper(
    store: &Store,
    renewal_id: &str,
    kind: &str,
    path: &Path,
) -> Result<PathBuf> {
    let office = store.office()?;
    let r = store.renewal(renewal_id)?;
    let e = &r.entry;
    let members = council_members(store)?;
    let valid_until = day(&e.valid_until)?;
    let opinion = |id: &str| r.opinions.iter().find(|o| o.person_id == id);
    let bytes = match kind {
        "forms" => {
            let forms: Vec<OpinionFormDoc> = members
                .iter()
                .map(|(id, name, role)| OpinionFormDoc {
                    office: council(&office),
                    council_name: office.council_name.clone(),
                    member_name: name.clone(),
                    member_role: role.clone(),
                    product: e.product.clone(),
                    owner: e.owner.clone(),
                    star: e.star,
                    certificate_no: e.certificate_no.clone(),
                    valid_until,
                    changes: r.changes.clone(),
                    deadline: r
                        .deadline
                        .as_deref()
                        .map(ocop_core::text::dmy)
                        .unwrap_or_default(),
                    place: office.place.clone(),
                    date: None,
                    agree: opinion(id).map(|o| o.agree),
                    remark: opinion(id).map(|o| o.remark.clone()),
                })
                .collect();
            crate::opinion_forms_pdf(&forms)
        }
        _ => {
            let mut rows: Vec<OpinionRow> = members
                .iter()
                .map(|(id, name, role)| OpinionRow {
                    member: name.clone(),
                    role: role.clone(),
                    agree: opinion(id).map(|o| o.agree),
                    remark: opinion(id).map(|o| o.remark.clone()).unwrap_or_default(),
                })
                .collect();
            // Opinions of members outside the latest roster are listed too.
            for o in &r.opinions {
                if !members.iter().any(|(id, _, _)| *id == o.person_id) {
                    rows.push(OpinionRow {
                        member: o.person.clone(),
                        role: "Thành viên Hội đồng".into(),
                        agree: Some(o.agree),
                        remark: o.remark.clone(),
                    });
                }
            }
            let conclusion = match registry::opinion_outcome(
                &r.opinions.iter().map(|o| o.agree).collect::<Vec<_>>(),
            ) {
                registry::OpinionOutcome::Agreed => format!(
                    "Các thành viên Hội đồng thống nhất đề nghị công nhận lại sản phẩm {} đạt hạng {} sao.",
                    e.product, e.star
                ),
                registry::OpinionOutcome::Divergent { agree, disagree } => format!(
                    "Ý kiến của các thành viên không thống nhất ({agree} đồng ý, {disagree} không đồng ý); Hội đồng tổ chức họp đánh giá theo khoản 6 Điều 7 Quyết định số 26/2026/QĐ-TTg."
                ),
                registry::OpinionOutcome::TooFew { count } => format!(
                    "Mới nhận được {count} phiếu ý kiến; chưa đủ để kết luận."
                ),
            };
            let find = |role: &str| {
                members
                    .iter()
                    .find(|(_, _, r)| r == role)
                    .map(|(_, n, _)| n.clone())
                    .unwrap_or_default()
            };
            crate::opinion_summary_pdf(&OpinionSummaryDoc {
                office: council(&office),
                number: None,
                date: chrono::Local::now().date_naive(),
                council_name: office.council_name.clone(),
                product: e.product.clone(),
                owner: e.owner.clone(),
                star: e.star,
                certificate_no: e.certificate_no.clone(),
                valid_until,
                rows,
                conclusion,
                secretary: Signer {
                    sign_for: None,
                    title: "THƯ KÝ HỘI ĐỒNG".into(),
                    name: find(Role::Secretary.label_vi()),
                },
                chair: Signer {
                    sign_for: Some("TM. HỘI ĐỒNG".into()),
                    title: "CHỦ TỊCH".into(),
                    name: find(Role::Chair.label_vi()),
                },
            })
        }
    }
    .map_err(doc_err)?;
    write_file(path, &bytes)
}
