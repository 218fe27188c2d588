//! The papers of a round, from the store: maps the core's records to the view models and renders
//! them. The desktop shell and the `ocop print` command both come through [`render`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ocop_core::criteria::{Criterion, ProductSet};
use ocop_core::error::paper_msg;
use ocop_core::model::{ProductLine, RoundResults, RoundStatus, ScoreSheet};
use ocop_core::office::{OfficeSettings, SignerSettings};
use ocop_core::rules::Role;
use ocop_core::store::Store;
use ocop_core::{CoreError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::*;

/// The papers a round produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PaperKind {
    /// Members' filled score sheets (Phiếu đánh giá).
    Sheet,
    /// Blank score sheets with a QR identifying round, member, product and decision.
    BlankSheet,
    /// Bảng tổng hợp kết quả đánh giá.
    Summary,
    /// Biên bản họp Hội đồng.
    Minutes,
    /// Quyết định công nhận with its list.
    Decision,
    /// Giấy chứng nhận, all of the round in one PDF.
    Certificates,
    /// The summary as .xlsx.
    SummaryXlsx,
    /// The recognised products as .xlsx.
    RecognisedXlsx,
}

impl PaperKind {
    pub const ALL: [PaperKind; 8] = [
        PaperKind::Sheet,
        PaperKind::BlankSheet,
        PaperKind::Summary,
        PaperKind::Minutes,
        PaperKind::Decision,
        PaperKind::Certificates,
        PaperKind::SummaryXlsx,
        PaperKind::RecognisedXlsx,
    ];

    pub fn parse(s: &str) -> Option<PaperKind> {
        PaperKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaperKind::Sheet => "sheet",
            PaperKind::BlankSheet => "blank-sheet",
            PaperKind::Summary => "summary",
            PaperKind::Minutes => "minutes",
            PaperKind::Decision => "decision",
            PaperKind::Certificates => "certificates",
            PaperKind::SummaryXlsx => "summary-xlsx",
            PaperKind::RecognisedXlsx => "recognised-xlsx",
        }
    }

    /// A file name for the paper, without the round.
    pub fn file_stem(self) -> &'static str {
        match self {
            PaperKind::Sheet => "phieu-danh-gia",
            PaperKind::BlankSheet => "phieu-danh-gia-trang",
            PaperKind::Summary => "bang-tong-hop",
            PaperKind::Minutes => "bien-ban",
            PaperKind::Decision => "quyet-dinh-cong-nhan",
            PaperKind::Certificates => "giay-chung-nhan",
            PaperKind::SummaryXlsx => "bang-tong-hop",
            PaperKind::RecognisedXlsx => "danh-sach-cong-nhan",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            PaperKind::SummaryXlsx | PaperKind::RecognisedXlsx => "xlsx",
            _ => "pdf",
        }
    }
}

/// A rendered paper.
#[derive(Debug, Clone)]
pub struct Paper {
    pub bytes: Vec<u8>,
    pub file_name: String,
}

pub(crate) fn doc_err(e: crate::DocError) -> CoreError {
    ocop_core::error::msg::PAPER_RENDER.with("detail", e)
}

pub(crate) fn date(iso: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d")
        .map_err(|_| ocop_core::error::msg::BAD_DATE.with("date", iso))
}

pub(crate) fn council_office(o: &OfficeSettings) -> Office {
    Office {
        province: o.province.clone(),
        issuing_body_parent: o.council_parent.clone(),
        issuing_body: o.council_name.clone(),
        place: o.place.clone(),
    }
}

pub(crate) fn committee_office(o: &OfficeSettings) -> Office {
    Office {
        province: o.province.clone(),
        issuing_body_parent: String::new(),
        issuing_body: o.people_committee.clone(),
        place: o.place.clone(),
    }
}

pub(crate) fn signer(s: &SignerSettings) -> Signer {
    Signer {
        sign_for: (!s.sign_for.trim().is_empty()).then(|| s.sign_for.clone()),
        title: s.title.clone(),
        name: s.name.clone(),
    }
}

fn stars_outcome(line: &ProductLine) -> String {
    let r = &line.result;
    if r.eliminated {
        return "Bị loại".into();
    }
    match (r.star, r.forward) {
        (_, Some(level)) => match level {
            ocop_core::rules::Level::Centre => "Đề nghị Trung ương đánh giá 5 sao".into(),
            _ => "Đề nghị cấp tỉnh đánh giá".into(),
        },
        (Some(s), None) if r.recognisable_here => format!("Đề nghị công nhận {s} sao"),
        (Some(s), None) if r.returns_to.is_some() => {
            format!("Đạt {s} sao, chuyển UBND tỉnh xem xét công nhận")
        }
        (Some(s), None) => format!("Đạt {s} sao (không thuộc thẩm quyền cấp này)"),
        (None, None) if r.complete => "Không đạt".into(),
        (None, None) => "Chưa đủ phiếu".into(),
    }
}

fn result_row(line: &ProductLine, members: &[String]) -> ResultRow {
    let r = &line.result;
    ResultRow {
        product_name: line.product_name.clone(),
        owner_name: line.owner_name.clone(),
        set_name: format!(
            "Bộ {} - {}",
            line.set.trim_start_matches('0'),
            line.set_name
        ),
        scores: members
            .iter()
            .map(|m| {
                r.members
                    .iter()
                    .find(|x| &x.member == m && !x.recused && x.complete)
                    .map(|x| x.total as f64)
            })
            .collect(),
        mean: r.mean_total,
        spread: r.spread,
        spread_flag: r.spread_exceeded,
        band_star: r.band_star,
        final_star: r.star,
        outcome: stars_outcome(line),
    }
}

/// Names of the members who score, in roster order.
fn scoring_members(store: &Store, round_id: &str) -> Result<Vec<(String, Role)>> {
    Ok(store
        .roster(round_id)?
        .into_iter()
        .filter(|m| m.role != Role::Advisor)
        .map(|m| (m.person.full_name, m.role))
        .collect())
}

fn council_signers(store: &Store, round_id: &str) -> Result<(Signer, Signer)> {
    let roster = store.roster(round_id)?;
    let find = |role: Role| {
        roster
            .iter()
            .find(|m| m.role == role)
            .map(|m| m.person.full_name.clone())
            .unwrap_or_default()
    };
    let chair = Signer {
        sign_for: Some("TM. HỘI ĐỒNG".into()),
        title: "CHỦ TỊCH".into(),
        name: find(Role::Chair),
    };
    let secretary = Signer {
        sign_for: None,
        title: "THƯ KÝ HỘI ĐỒNG".into(),
        name: find(Role::Secretary),
    };
    Ok((chair, secretary))
}

fn summary_doc(store: &Store, res: &RoundResults, office: &OfficeSettings) -> Result<SummaryDoc> {
    let members: Vec<String> = scoring_members(store, &res.round.id)?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let (chair, secretary) = council_signers(store, &res.round.id)?;
    Ok(SummaryDoc {
        office: council_office(office),
        number: None,
        round_name: res.round.name.clone(),
        round_date: date(&res.round.date)?,
        round_place: res.round.place.clone(),
        rows: res.products.iter().map(|l| result_row(l, &members)).collect(),
        members,
        note: Some(format!(
            "Điểm trung bình là trung bình cộng tổng điểm của các thành viên chấm (không tính thành viên tránh xung đột lợi ích). \
             (!) Chênh lệch giữa các thành viên vượt {} điểm. Hạng sao cuối cùng xét cả yêu cầu tối thiểu theo từng hạng sao.",
            res.round.rules.max_spread
        )),
        signers: vec![secretary, chair],
    })
}

fn minutes_doc(store: &Store, res: &RoundResults, office: &OfficeSettings) -> Result<MinutesDoc> {
    let round = &res.round;
    let roster = store.roster(&round.id)?;
    let attendance: Vec<Attendee> = roster
        .iter()
        .map(|m| Attendee {
            name: m.person.full_name.clone(),
            title: [m.person.title.as_str(), m.person.unit.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            role: m.role.label_vi().into(),
            present: m.present,
        })
        .collect();
    let scoring: Vec<_> = roster.iter().filter(|m| m.role != Role::Advisor).collect();
    let present = scoring.iter().filter(|m| m.present).count();
    let chair_present = scoring.iter().any(|m| m.role == Role::Chair && m.present);
    let enough = present * round.rules.quorum_denominator as usize
        >= scoring.len() * round.rules.quorum_numerator as usize;
    let quorum = format!(
        "Có mặt {present}/{} thành viên Hội đồng{}, {} tỷ lệ {}/{} theo Quy chế; {}",
        scoring.len(),
        if chair_present {
            ", có Chủ tịch Hội đồng"
        } else {
            ", vắng Chủ tịch Hội đồng"
        },
        if enough { "đạt" } else { "không đạt" },
        round.rules.quorum_numerator,
        round.rules.quorum_denominator,
        if enough && chair_present {
            "đủ điều kiện tiến hành đánh giá."
        } else {
            "không đủ điều kiện tiến hành đánh giá."
        }
    );
    let products = store.round_products(&round.id)?;
    let name_of = |id: &str| {
        products
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let recusals = store
        .recusals(&round.id)?
        .into_iter()
        .map(|r| Recusal {
            member: roster
                .iter()
                .find(|m| m.person.id == r.person_id)
                .map(|m| m.person.full_name.clone())
                .unwrap_or_default(),
            product: name_of(&r.product_id),
            reason: r.reason,
        })
        .collect();
    let rescores = store
        .spread_reviews(&round.id)?
        .into_iter()
        .map(|(pid, note, before)| {
            let line = res.products.iter().find(|l| l.product_id == pid);
            Rescore {
                product: name_of(&pid),
                before: format!(
                    "Chênh lệch {} điểm giữa các thành viên",
                    vn_number(before, 0, false)
                ),
                after: match line.and_then(|l| l.result.spread) {
                    Some(s) => format!(
                        "{note}. Sau khi chấm lại: chênh lệch {} điểm",
                        vn_number(s, 0, false)
                    ),
                    None => note,
                },
            }
        })
        .collect();
    let members: Vec<String> = scoring.iter().map(|m| m.person.full_name.clone()).collect();
    let results: Vec<ResultRow> = res
        .products
        .iter()
        .map(|l| result_row(l, &members))
        .collect();
    let mut proposals = Vec::new();
    let recognised: Vec<&ProductLine> = res
        .products
        .iter()
        .filter(|l| l.result.recognisable_here)
        .collect();
    if !recognised.is_empty() {
        proposals.push(format!(
            "Đề nghị Chủ tịch UBND tỉnh công nhận {} sản phẩm đạt chuẩn OCOP: {}.",
            recognised.len(),
            recognised
                .iter()
                .map(|l| format!("{} ({} sao)", l.product_name, l.result.star.unwrap_or(0)))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let forwarded: Vec<&ProductLine> = res
        .products
        .iter()
        .filter(|l| l.result.forward.is_some())
        .collect();
    if !forwarded.is_empty() {
        proposals.push(format!(
            "Đề nghị hoàn thiện hồ sơ, gửi cấp trên đánh giá: {}.",
            forwarded
                .iter()
                .map(|l| l.product_name.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let failed: Vec<&ProductLine> = res
        .products
        .iter()
        .filter(|l| l.result.complete && !l.result.recognised && l.result.forward.is_none())
        .collect();
    if !failed.is_empty() {
        proposals.push(format!(
            "Các sản phẩm chưa đạt ({}) được hướng dẫn hoàn thiện để tham gia đánh giá các đợt sau.",
            failed.iter().map(|l| l.product_name.clone()).collect::<Vec<_>>().join("; ")
        ));
    }
    let (chair, secretary) = council_signers(store, &round.id)?;
    Ok(MinutesDoc {
        office: council_office(office),
        number: None,
        date: date(&round.date)?,
        round_name: round.name.clone(),
        time: format!("08 giờ 00 phút, ngày {}", ocop_core::text::dmy(&round.date)),
        place: round.place.clone(),
        attendance,
        quorum,
        recusals,
        rescores,
        results,
        proposals,
        closing: Some("Biên bản đã được đọc lại cho các thành viên Hội đồng cùng nghe và thống nhất thông qua.".into()),
        chair,
        secretary,
    })
}

fn decision_doc(
    store: &mut Store,
    issue: &Issue,
    res: &RoundResults,
    office: &OfficeSettings,
    on: &str,
) -> Result<DecisionDoc> {
    let rec = store.issue_recognition(issue.actor, &res.round.id, on, issue.passphrase)?;
    let day = date(&rec.date)?;
    let decision = store
        .catalog()?
        .decision(&res.round.decision_id)
        .map(|d| d.decision.number.clone())
        .unwrap_or_default();
    let mut list = Vec::new();
    for c in &rec.certificates {
        let product = store.product(&c.product_id)?;
        let owner = store.owner(&product.owner_id)?;
        list.push(RecognisedRow {
            product_name: product.name,
            owner_name: owner.name,
            owner_address: owner.address,
            set_name: product.set_name,
            product_code: product.code,
            score: c.score,
            star: c.star,
        });
    }
    let year = &res.round.date[..4];
    let province = &office.province;
    Ok(DecisionDoc {
        office: committee_office(office),
        number: rec.number.clone(),
        date: day,
        title: format!("Về việc công nhận sản phẩm đạt chuẩn OCOP tỉnh {province}, {}", res.round.name),
        authority: office.authority.clone(),
        bases: vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".into(),
            format!("Căn cứ Quyết định số {decision} của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm;"),
            format!(
                "Căn cứ kết quả đánh giá, phân hạng của {} ngày {};",
                sentence_case(&office.council_name, &office.province),
                ocop_core::text::dmy(&res.round.date)
            ),
            format!("Theo đề nghị của Giám đốc {}.", office.standing_body),
        ],
        articles: vec![
            format!(
                "Điều 1. Công nhận {} sản phẩm đạt chuẩn OCOP tỉnh {province} năm {year} (có danh sách kèm theo). Giấy chứng nhận có giá trị 36 tháng kể từ ngày ký.",
                list.len()
            ),
            "Điều 2. Các chủ thể có sản phẩm được công nhận được sử dụng biểu trưng OCOP và hạng sao trên bao bì, nhãn sản phẩm theo quy định; có trách nhiệm duy trì và nâng cao chất lượng sản phẩm.".into(),
            format!(
                "Điều 3. Quyết định này có hiệu lực từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc {}, Thủ trưởng các đơn vị liên quan và các chủ thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
                office.standing_body
            ),
        ],
        recipients: vec!["Như Điều 3;".into(), "Văn phòng Điều phối nông thôn mới Trung ương (để b/c);".into(), "Lưu: VT, NN.".into()],
        signer: signer(&rec.signer),
        list_title: format!("DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP TỈNH {} NĂM {year}", province.to_uppercase()),
        list_issuer: format!("Chủ tịch UBND tỉnh {province}"),
        list,
    })
}

/// "HỘI ĐỒNG … OCOP TỈNH THANH HÓA" → "Hội đồng … OCOP tỉnh Thanh Hóa" (for running text).
fn sentence_case(s: &str, province: &str) -> String {
    let lower = s.to_lowercase().replace("ocop", "OCOP");
    let lower = if province.is_empty() {
        lower
    } else {
        lower.replace(&province.to_lowercase(), province)
    };
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn certificate_docs(
    store: &mut Store,
    issue: &Issue,
    res: &RoundResults,
    office: &OfficeSettings,
    on: &str,
    product: Option<&str>,
) -> Result<Vec<CertificateDoc>> {
    let rec = store.issue_recognition(issue.actor, &res.round.id, on, issue.passphrase)?;
    let decision_date = date(&rec.date)?;
    let mut out = Vec::new();
    for c in rec
        .certificates
        .iter()
        .filter(|c| product.is_none_or(|p| p == c.product_id))
    {
        let p = store.product(&c.product_id)?;
        let owner = store.owner(&p.owner_id)?;
        out.push(CertificateDoc {
            office: committee_office(office),
            certificate_no: Some(c.number.clone()),
            product_name: p.name,
            owner_name: owner.name,
            owner_address: owner.address,
            star: c.star,
            product_code: p.code,
            set_name: p.set_name,
            decision_number: rec.number.clone(),
            decision_date,
            issue_date: date(&c.issued_on)?,
            valid_until: date(&c.valid_until)?,
            signer: signer(&rec.signer),
            qr_payload: c.qr.clone(),
        });
    }
    Ok(out)
}

fn sheet_rows(set: &ProductSet, answers: &BTreeMap<String, u32>) -> Vec<SheetPart> {
    fn crit(c: &Criterion, depth: u8, answers: &BTreeMap<String, u32>, rows: &mut Vec<SheetRow>) {
        rows.push(SheetRow::Criterion {
            depth,
            code: c.code.clone(),
            title: c.title.clone(),
            max: c.max as f64,
            notes: c.notes.clone(),
        });
        for ch in &c.children {
            crit(ch, depth + 1, answers, rows);
        }
        for (i, o) in c.options.iter().enumerate() {
            rows.push(SheetRow::Option {
                text: o.text.clone(),
                points: o.points as f64,
                min_star: o.min_star,
                case_label: o
                    .case
                    .as_ref()
                    .and_then(|k| c.cases.iter().find(|x| &x.code == k))
                    .map(|x| x.label.clone()),
                ticked: answers.get(&c.code) == Some(&(i as u32)),
            });
        }
    }
    set.parts
        .iter()
        .map(|p| {
            let mut rows = Vec::new();
            for g in &p.groups {
                rows.push(SheetRow::Group {
                    code: g.code.clone(),
                    title: g.title.clone(),
                    max: g.max as f64,
                });
                for c in &g.criteria {
                    crit(c, 0, answers, &mut rows);
                }
            }
            SheetPart {
                code: p.code.clone(),
                title: p.title.clone(),
                max: p.max as f64,
                rows,
                subtotal: None,
            }
        })
        .collect()
}

fn sheet_docs(
    store: &Store,
    res: &RoundResults,
    office: &OfficeSettings,
    product: Option<&str>,
    blank: bool,
) -> Result<Vec<ScoreSheetDoc>> {
    let round = &res.round;
    let catalog = store.catalog()?;
    let decision = catalog.decision(&round.decision_id);
    let decision_label = decision
        .map(|d| format!("QĐ {}", d.decision.number))
        .unwrap_or_default();
    let footer = decision
        .map(|d| d.decision.footer_note.clone())
        .unwrap_or_default();
    let roster = store.roster(&round.id)?;
    let recusals = store.recusals(&round.id)?;
    let mut out = Vec::new();
    for p in store
        .round_products(&round.id)?
        .into_iter()
        .filter(|p| product.is_none_or(|x| x == p.id))
    {
        let owner = store.owner(&p.owner_id)?;
        let sheets: Vec<ScoreSheet> = store
            .product_sheets(&round.id, &p.id)?
            .into_iter()
            .filter(|s| s.pass == 1)
            .collect();
        for m in roster
            .iter()
            .filter(|m| m.role != Role::Advisor && m.present)
        {
            if recusals
                .iter()
                .any(|r| r.person_id == m.person.id && r.product_id == p.id)
            {
                continue;
            }
            let sheet = sheets.iter().find(|s| s.person_id == m.person.id);
            if !blank && sheet.is_none() {
                continue;
            }
            let set = match sheet {
                Some(s) => store.sheet_by_hash(&s.sheet_sha256)?,
                None => store.current_sheet(&p.decision_id, &p.set_code)?.1,
            };
            let answers = if blank {
                BTreeMap::new()
            } else {
                sheet.map(|s| s.answers.clone()).unwrap_or_default()
            };
            let mut parts = sheet_rows(&set, &answers);
            if let (false, Some(s)) = (blank, sheet) {
                for part in &mut parts {
                    part.subtotal = Some(match part.code.as_str() {
                        "A" => s.score.parts.A,
                        "B" => s.score.parts.B,
                        _ => s.score.parts.C,
                    } as f64);
                }
            }
            out.push(ScoreSheetDoc {
                round_name: round.name.clone(),
                decision_label: decision_label.clone(),
                set_no: set.no,
                set_name: set.name.clone(),
                product_name: p.name.clone(),
                product_code: p.code.clone(),
                owner_name: owner.name.clone(),
                owner_address: owner.address.clone(),
                owner_phone: owner.phone.clone(),
                member_name: m.person.full_name.clone(),
                member_role: m.role.label_vi().into(),
                disqualification: set.disqualification.clone().unwrap_or_default(),
                parts,
                total: (!blank)
                    .then(|| sheet.map(|s| s.score.total as f64))
                    .flatten(),
                elimination_note: if blank {
                    None
                } else {
                    sheet.and_then(|s| s.elimination.clone())
                },
                comment: if blank {
                    None
                } else {
                    sheet.map(|s| s.comment.clone()).filter(|c| !c.is_empty())
                },
                footer_note: footer.clone(),
                place: office.place.clone(),
                date: if blank {
                    None
                } else {
                    sheet
                        .and_then(|s| s.signed_at.as_deref())
                        .and_then(|d| date(d).ok())
                },
                qr_payload: blank.then(|| {
                    format!(
                        "OCOP-SHEET:1:{}:{}:{}:{}:{}",
                        round.id, m.person.id, p.id, round.decision_id, set.code
                    )
                }),
                blank,
            });
        }
    }
    if out.is_empty() {
        return Err(if blank {
            paper_msg::NOTHING_BLANK.err()
        } else {
            paper_msg::NO_SHEETS.err()
        });
    }
    Ok(out)
}

/// Who asks for a paper: the audit actor, and the office's passphrase when the paper issues the
/// recognition decision (its certificates are signed then; a decision already issued needs none).
#[derive(Debug, Clone, Copy)]
pub struct Issue<'a> {
    pub actor: &'a str,
    pub passphrase: Option<&'a str>,
}

impl<'a> Issue<'a> {
    /// For papers of a decision already issued, and every other paper.
    pub fn by(actor: &'a str) -> Issue<'a> {
        Issue {
            actor,
            passphrase: None,
        }
    }
}

/// Renders a paper of a round. `date` is the signing date of the recognition decision when it is
/// issued by this call (default: today); the decision and certificates need a finalised round.
pub fn render(
    store: &mut Store,
    issue: Issue,
    kind: PaperKind,
    round_id: &str,
    product: Option<&str>,
    on: Option<&str>,
) -> Result<Paper> {
    let res = store.round_results(round_id)?;
    let office = store.office()?;
    office.require_complete()?;
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let on = on.unwrap_or(&today);
    let needs_final = matches!(
        kind,
        PaperKind::Decision | PaperKind::Certificates | PaperKind::RecognisedXlsx
    );
    if needs_final && res.round.status != RoundStatus::Finalised {
        return Err(paper_msg::NEEDS_FINAL.err());
    }
    let bytes = match kind {
        PaperKind::Sheet => {
            crate::score_sheets_pdf(&sheet_docs(store, &res, &office, product, false)?)
        }
        PaperKind::BlankSheet => {
            crate::score_sheets_pdf(&sheet_docs(store, &res, &office, product, true)?)
        }
        PaperKind::Summary => crate::summary_pdf(&summary_doc(store, &res, &office)?),
        PaperKind::SummaryXlsx => crate::summary_xlsx(&summary_doc(store, &res, &office)?),
        PaperKind::Minutes => crate::minutes_pdf(&minutes_doc(store, &res, &office)?),
        PaperKind::Decision => {
            crate::decision_pdf(&decision_doc(store, &issue, &res, &office, on)?)
        }
        PaperKind::RecognisedXlsx => {
            crate::recognised_xlsx(&decision_doc(store, &issue, &res, &office, on)?)
        }
        PaperKind::Certificates => {
            let certs = certificate_docs(store, &issue, &res, &office, on, product)?;
            if certs.is_empty() {
                return Err(paper_msg::NONE_RECOGNISED.err());
            }
            crate::certificates_pdf(&certs)
        }
    }
    .map_err(doc_err)?;
    Ok(Paper {
        bytes,
        file_name: format!("{}.{}", kind.file_stem(), kind.extension()),
    })
}

/// Renders a paper and writes it to `path` (a file the user chose), or, with `None`, under
/// `<data_dir>/papers/` for the system viewer. Returns where it was written.
#[allow(clippy::too_many_arguments)]
pub fn write(
    store: &mut Store,
    issue: Issue,
    data_dir: &std::path::Path,
    kind: PaperKind,
    round_id: &str,
    product: Option<&str>,
    on: Option<&str>,
    path: Option<&std::path::Path>,
) -> Result<std::path::PathBuf> {
    let paper = render(store, issue, kind, round_id, product, on)?;
    let target = match path {
        Some(p) => p.to_path_buf(),
        None => {
            let round = store.round(round_id)?;
            let dir = data_dir.join("papers").join(&round.id);
            std::fs::create_dir_all(&dir).map_err(|e| CoreError::Io {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            dir.join(&paper.file_name)
        }
    };
    std::fs::write(&target, &paper.bytes).map_err(|e| CoreError::Io {
        path: target.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(target)
}

/// Where a batch of papers stands, sent to the window after each paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchProgress {
    pub done: u32,
    pub total: u32,
    /// The file just written.
    pub current: String,
}

/// A paper the batch left out, and why (e.g. no product recognised: no certificates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchSkip {
    pub kind: PaperKind,
    pub code: String,
    pub message: String,
}

/// What a batch wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchResult {
    pub dir: String,
    pub files: Vec<String>,
    pub skipped: Vec<BatchSkip>,
}

/// Writes every paper of a round into `dir`: each product's member score sheets in a file of its
/// own, then the blank sheets, summary, minutes and, for a finalised round, the recognition
/// decision, certificates and lists. `progress` hears of each file and returns `false` to stop:
/// the batch then ends with `paper.cancelled`, keeping the files already written.
#[allow(clippy::too_many_arguments)]
pub fn write_all(
    store: &mut Store,
    actor: &str,
    dir: &std::path::Path,
    round_id: &str,
    on: Option<&str>,
    lang: ocop_core::Lang,
    progress: &mut dyn FnMut(&BatchProgress) -> bool,
) -> Result<BatchResult> {
    let round = store.round(round_id)?;
    let products = store.round_products(round_id)?;
    let finalised = round.status == RoundStatus::Finalised;
    let mut steps: Vec<(PaperKind, Option<&ocop_core::model::Product>)> = products
        .iter()
        .map(|p| (PaperKind::Sheet, Some(p)))
        .collect();
    steps.extend(
        PaperKind::ALL
            .into_iter()
            .filter(|k| *k != PaperKind::Sheet)
            .filter(|k| {
                finalised
                    || !matches!(
                        k,
                        PaperKind::Decision | PaperKind::Certificates | PaperKind::RecognisedXlsx
                    )
            })
            .map(|k| (k, None)),
    );
    std::fs::create_dir_all(dir).map_err(|e| CoreError::Io {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    let total = steps.len() as u32;
    let mut out = BatchResult {
        dir: dir.display().to_string(),
        files: Vec::new(),
        skipped: Vec::new(),
    };
    for (i, (kind, product)) in steps.into_iter().enumerate() {
        let paper = match render(
            store,
            Issue::by(actor),
            kind,
            round_id,
            product.map(|p| p.id.as_str()),
            on,
        ) {
            Ok(p) => p,
            // A paper with nothing to print (no sheet signed yet, no product recognised), or a
            // decision not issued yet (issuing takes the office's passphrase, in the papers tab),
            // is left out and said so; anything else stops the batch.
            Err(e @ CoreError::Coded { .. })
                if e.code().starts_with("paper.")
                    || matches!(
                        e.code(),
                        "office.passphrase_required" | "office.no_key" | "office.key_unprotected"
                    ) =>
            {
                out.skipped.push(BatchSkip {
                    kind,
                    code: e.code().into(),
                    message: e.message(lang),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let name = match product {
            Some(p) => format!(
                "{}-{:03}-{}.{}",
                kind.file_stem(),
                i + 1,
                file_safe(&p.name),
                kind.extension()
            ),
            None => paper.file_name.clone(),
        };
        let target = dir.join(&name);
        std::fs::write(&target, &paper.bytes).map_err(|e| CoreError::Io {
            path: target.display().to_string(),
            reason: e.to_string(),
        })?;
        out.files.push(name.clone());
        let go_on = progress(&BatchProgress {
            done: i as u32 + 1,
            total,
            current: name,
        });
        if !go_on {
            return Err(paper_msg::CANCELLED
                .with("done", out.files.len())
                .with("total", total)
                .with("dir", dir.display()));
        }
    }
    Ok(out)
}

/// A product name as a portable file-name part: folded to ASCII, other characters as '-'.
fn file_safe(name: &str) -> String {
    let folded = ocop_core::text::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(40).collect()
}
