//! Excel exports of the provincial registry: the OCOP report (one sheet per
//! table) and the registry list. Headers are in Vietnamese, numbers stay
//! numbers, dates are real dates; the header row is [`XLSX_HEADER_ROW`] as
//! in the council's exports.

use rust_xlsxwriter::{Format, FormatAlign, Formula, Workbook, Worksheet};

use crate::error::Result;
use crate::model::dd_mm_yyyy;
use crate::model_registry::{
    locality_heading, percent_of_plan, report_abstract, report_changes, RegistryListDoc,
    ReportCountRow, ReportDoc, ReportLocalityRow,
};
use crate::nfc;
use crate::xlsx::{excel_date, formats, widths, Formats, XLSX_HEADER_ROW};

/// Sheet names of [`report_xlsx`], in order: by locality, by owner type, by
/// product set, changes (re-recognised, upgraded, revoked, expired),
/// products in force by year.
pub const REPORT_SHEETS: [&str; 5] = [
    "Theo địa phương",
    "Theo loại hình chủ thể",
    "Theo bộ sản phẩm",
    "Biến động",
    "Lũy kế theo năm",
];

/// Sheet name of [`registry_xlsx`].
pub const REGISTRY_SHEET: &str = "Danh sách sản phẩm OCOP";

/// "A1"-style column letters for formulas (A–Z is enough here).
fn col_letter(c: u16) -> char {
    char::from(b'A' + c as u8)
}

/// Bold total-row formats.
struct TotalFormats {
    text: Format,
    int: Format,
    pct: Format,
}

fn total_formats(f: &Formats) -> TotalFormats {
    let fill = |x: &Format| x.clone().set_bold().set_background_color("#E6E6E6");
    TotalFormats {
        text: fill(&f.text).set_align(FormatAlign::Center),
        int: fill(&f.int),
        pct: fill(&f.int).set_num_format("0.0"),
    }
}

fn pct_format(f: &Formats) -> Format {
    f.int.clone().set_num_format("0.0")
}

/// Rows 0–2 of a report sheet: the report's abstract, the table's caption,
/// the number and date.
fn report_head(
    ws: &mut Worksheet,
    f: &Formats,
    d: &ReportDoc,
    caption: &str,
    last_col: u16,
) -> Result<()> {
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &nfc(&format!("BÁO CÁO {}", report_abstract(d))).to_uppercase(),
        &f.title,
    )?;
    ws.merge_range(1, 0, 1, last_col, &nfc(caption), &f.subtitle)?;
    ws.merge_range(
        2,
        0,
        2,
        last_col,
        &nfc(&format!(
            "(Kèm theo Báo cáo số {} ngày {})",
            d.number.trim(),
            dd_mm_yyyy(d.date)
        )),
        &f.subtitle,
    )?;
    Ok(())
}

/// A one-row header at [`XLSX_HEADER_ROW`].
fn head_row(ws: &mut Worksheet, f: &Formats, head: &[&str]) -> Result<()> {
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(XLSX_HEADER_ROW, c as u16, *h, &f.head)?;
    }
    ws.set_row_height(XLSX_HEADER_ROW, 32)?;
    Ok(())
}

/// `=SUM(col first:col last)` with its value cached (so readers that do not
/// recalculate see the total).
fn sum_formula(col: u16, first: u32, last: u32, value: f64) -> Formula {
    let l = col_letter(col);
    Formula::new(format!("=SUM({l}{}:{l}{})", first + 1, last + 1)).set_result(value.to_string())
}

fn locality_sheet(wb: &mut Workbook, f: &Formats, d: &ReportDoc) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(REPORT_SHEETS[0])?;
    report_head(
        ws,
        f,
        d,
        "Kết quả công nhận sản phẩm OCOP theo địa phương so với kế hoạch",
        10,
    )?;
    let top = XLSX_HEADER_ROW - 1;
    let h = XLSX_HEADER_ROW;
    ws.merge_range(top, 0, h, 0, "TT", &f.head)?;
    ws.merge_range(top, 1, h, 1, &nfc(locality_heading(d)), &f.head)?;
    ws.merge_range(top, 2, top, 5, "Kế hoạch (sản phẩm)", &f.head)?;
    ws.merge_range(top, 6, top, 9, "Thực hiện (sản phẩm)", &f.head)?;
    ws.merge_range(
        top,
        10,
        h,
        10,
        "Tỷ lệ thực hiện so với kế hoạch (%)",
        &f.head,
    )?;
    for base in [2u16, 6] {
        for (k, s) in ["Tổng số", "3 sao", "4 sao", "5 sao"].iter().enumerate() {
            ws.write_string_with_format(h, base + k as u16, *s, &f.head)?;
        }
    }
    ws.set_row_height(top, 20)?;
    ws.set_row_height(h, 20)?;
    widths(
        ws,
        &[5.0, 30.0, 9.0, 8.0, 8.0, 8.0, 9.0, 8.0, 8.0, 8.0, 16.0],
    )?;
    let pct = pct_format(f);
    let values = |r: &ReportLocalityRow| {
        [
            r.target_total,
            r.target_3,
            r.target_4,
            r.target_5,
            r.achieved_total,
            r.achieved_3,
            r.achieved_4,
            r.achieved_5,
        ]
    };
    let first = h + 1;
    for (i, r) in d.by_locality.iter().enumerate() {
        let row = first + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.int)?;
        ws.write_string_with_format(row, 1, nfc(&r.locality), &f.text)?;
        for (k, v) in values(r).iter().enumerate() {
            ws.write_number_with_format(row, 2 + k as u16, f64::from(*v), &f.int)?;
        }
        match percent_of_plan(r.achieved_total, r.target_total) {
            Some(p) => ws.write_number_with_format(row, 10, p, &pct)?,
            None => ws.write_blank(row, 10, &f.text)?,
        };
    }
    let t = d.locality_total();
    let tf = total_formats(f);
    let row = first + d.by_locality.len() as u32;
    ws.write_blank(row, 0, &tf.text)?;
    ws.write_string_with_format(row, 1, "Tổng cộng", &tf.text)?;
    for (k, v) in values(&t).iter().enumerate() {
        let c = 2 + k as u16;
        if d.by_locality.is_empty() {
            ws.write_number_with_format(row, c, 0.0, &tf.int)?;
        } else {
            ws.write_formula_with_format(
                row,
                c,
                sum_formula(c, first, row - 1, f64::from(*v)),
                &tf.int,
            )?;
        }
    }
    match percent_of_plan(t.achieved_total, t.target_total) {
        Some(p) => ws.write_number_with_format(row, 10, p, &tf.pct)?,
        None => ws.write_blank(row, 10, &tf.text)?,
    };
    ws.set_freeze_panes(first, 2)?;
    Ok(())
}

fn count_sheet(
    wb: &mut Workbook,
    f: &Formats,
    d: &ReportDoc,
    name: &str,
    caption: &str,
    label_head: &str,
    rows: &[ReportCountRow],
) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    report_head(ws, f, d, caption, 3)?;
    head_row(ws, f, &["TT", label_head, "Số sản phẩm", "Tỷ lệ (%)"])?;
    widths(ws, &[5.0, 50.0, 13.0, 11.0])?;
    let pct = pct_format(f);
    let total: u32 = rows.iter().map(|r| r.count).sum();
    let first = XLSX_HEADER_ROW + 1;
    for (i, r) in rows.iter().enumerate() {
        let row = first + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.int)?;
        ws.write_string_with_format(row, 1, nfc(&r.label), &f.text)?;
        ws.write_number_with_format(row, 2, f64::from(r.count), &f.int)?;
        match percent_of_plan(r.count, total) {
            Some(p) => ws.write_number_with_format(row, 3, p, &pct)?,
            None => ws.write_blank(row, 3, &f.text)?,
        };
    }
    let tf = total_formats(f);
    let row = first + rows.len() as u32;
    ws.write_blank(row, 0, &tf.text)?;
    ws.write_string_with_format(row, 1, "Tổng cộng", &tf.text)?;
    if rows.is_empty() {
        ws.write_number_with_format(row, 2, 0.0, &tf.int)?;
        ws.write_blank(row, 3, &tf.text)?;
    } else {
        ws.write_formula_with_format(
            row,
            2,
            sum_formula(2, first, row - 1, f64::from(total)),
            &tf.int,
        )?;
        ws.write_number_with_format(row, 3, 100.0, &tf.pct)?;
    }
    ws.set_freeze_panes(first, 0)?;
    Ok(())
}

fn changes_sheet(wb: &mut Workbook, f: &Formats, d: &ReportDoc) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(REPORT_SHEETS[3])?;
    report_head(
        ws,
        f,
        d,
        "Công nhận lại, nâng hạng, thu hồi và hết hiệu lực",
        2,
    )?;
    head_row(ws, f, &["TT", "Nội dung", "Số sản phẩm"])?;
    widths(ws, &[5.0, 62.0, 13.0])?;
    for (i, (label, n)) in report_changes(d).iter().enumerate() {
        let row = XLSX_HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.int)?;
        ws.write_string_with_format(row, 1, *label, &f.text)?;
        ws.write_number_with_format(row, 2, f64::from(*n), &f.int)?;
    }
    Ok(())
}

fn cumulative_sheet(wb: &mut Workbook, f: &Formats, d: &ReportDoc) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(REPORT_SHEETS[4])?;
    report_head(
        ws,
        f,
        d,
        "Sản phẩm OCOP còn hiệu lực qua các năm (lũy kế)",
        5,
    )?;
    head_row(
        ws,
        f,
        &[
            "Năm",
            "3 sao",
            "4 sao",
            "5 sao",
            "Tổng số",
            "Tăng (+), giảm (-) so với năm trước",
        ],
    )?;
    widths(ws, &[8.0, 9.0, 9.0, 9.0, 10.0, 22.0])?;
    ws.set_row_height(XLSX_HEADER_ROW, 45)?;
    let mut prev: Option<u32> = None;
    for (i, r) in d.cumulative_by_star.iter().enumerate() {
        let row = XLSX_HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(row, 0, f64::from(r.year), &f.int)?;
        for (k, v) in [r.star3, r.star4, r.star5, r.total].iter().enumerate() {
            ws.write_number_with_format(row, 1 + k as u16, f64::from(*v), &f.int)?;
        }
        match prev {
            Some(p) => ws.write_number_with_format(
                row,
                5,
                f64::from(r.total) - f64::from(p),
                &f.int.clone().set_num_format("+0;-0;0"),
            )?,
            None => ws.write_blank(row, 5, &f.text)?,
        };
        prev = Some(r.total);
    }
    Ok(())
}

/// The report as an Excel workbook, one sheet per table ([`REPORT_SHEETS`]).
///
/// Every sheet has the report's title in row 1, the table's caption in row
/// 2, the number and date in row 3, the header ending on row 5 (index
/// [`XLSX_HEADER_ROW`]; the locality sheet's two header rows are 4–5, the
/// group cells merged) and the data from the next row. The locality and
/// count sheets end with a bold "Tổng cộng" row whose sums are formulas
/// with their values cached; percentages have one decimal, blank when
/// nothing was planned.
pub fn report_xlsx(doc: &ReportDoc) -> Result<Vec<u8>> {
    let f = formats();
    let mut wb = Workbook::new();
    locality_sheet(&mut wb, &f, doc)?;
    count_sheet(
        &mut wb,
        &f,
        doc,
        REPORT_SHEETS[1],
        "Sản phẩm OCOP được công nhận theo loại hình chủ thể",
        "Loại hình chủ thể",
        &doc.by_owner_type,
    )?;
    count_sheet(
        &mut wb,
        &f,
        doc,
        REPORT_SHEETS[2],
        "Sản phẩm OCOP được công nhận theo bộ sản phẩm",
        "Bộ sản phẩm",
        &doc.by_set,
    )?;
    changes_sheet(&mut wb, &f, doc)?;
    cumulative_sheet(&mut wb, &f, doc)?;
    Ok(wb.save_to_buffer()?)
}

/// Columns of [`registry_xlsx`].
const REGISTRY_HEAD: [&str; 14] = [
    "STT",
    "Tên sản phẩm",
    "Chủ thể",
    "Loại hình chủ thể",
    "Xã, phường",
    "Huyện",
    "Bộ sản phẩm",
    "Hạng sao",
    "Số quyết định",
    "Ngày quyết định",
    "Hiệu lực đến",
    "Tình trạng",
    "Số Giấy chứng nhận",
    "Nhập từ danh sách cũ",
];

/// The registry list as an Excel workbook (one sheet, [`REGISTRY_SHEET`]).
///
/// Row 1 holds the title, row 2 the date and the number of products; the
/// header is row 5 (index [`XLSX_HEADER_ROW`]), frozen, with an autofilter
/// over the data. Columns: STT, Tên sản phẩm, Chủ thể, Loại hình chủ thể,
/// Xã, phường, Huyện, Bộ sản phẩm, Hạng sao (number), Số quyết định, Ngày
/// quyết định (date, blank when unknown), Hiệu lực đến (date), Tình trạng,
/// Số Giấy chứng nhận, Nhập từ danh sách cũ ("Có"/"Không"). The data cells
/// take their formats from their columns (centred numbers, dd/mm/yyyy
/// dates) and have no borders or wrapping, so a list of tens of thousands
/// of rows is written quickly and opens quickly.
pub fn registry_xlsx(doc: &RegistryListDoc) -> Result<Vec<u8>> {
    let f = formats();
    // Column formats instead of cell formats: the data cells are written
    // with none, which spares a format lookup per cell.
    let centre = Format::new().set_align(FormatAlign::Center);
    let date = centre.clone().set_num_format("dd/mm/yyyy");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(REGISTRY_SHEET)?;
    let last = (REGISTRY_HEAD.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last, &nfc(&doc.title).to_uppercase(), &f.title)?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        &format!(
            "(Ngày lập danh sách: {}; tổng số: {} sản phẩm)",
            dd_mm_yyyy(doc.generated_on),
            doc.rows.len()
        ),
        &f.subtitle,
    )?;
    for (c, h) in REGISTRY_HEAD.iter().enumerate() {
        ws.write_string_with_format(XLSX_HEADER_ROW, c as u16, *h, &f.head)?;
    }
    ws.set_row_height(XLSX_HEADER_ROW, 32)?;
    widths(
        ws,
        &[
            6.0, 32.0, 32.0, 16.0, 18.0, 16.0, 28.0, 8.0, 15.0, 12.0, 12.0, 14.0, 16.0, 11.0,
        ],
    )?;
    for c in [0u16, 7, 9, 10, 13] {
        ws.set_column_format(c, if c == 9 || c == 10 { &date } else { &centre })?;
    }
    for (i, r) in doc.rows.iter().enumerate() {
        let row = XLSX_HEADER_ROW + 1 + i as u32;
        ws.write_number(row, 0, f64::from(r.stt))?;
        for (c, s) in [
            (1, &r.product),
            (2, &r.owner),
            (3, &r.owner_type),
            (4, &r.commune),
            (5, &r.district),
            (6, &r.set_label),
            (8, &r.decision_no),
            (11, &r.status_label),
            (12, &r.certificate_no),
        ] {
            ws.write_string(row, c, nfc(s))?;
        }
        ws.write_number(row, 7, f64::from(r.star))?;
        for (c, d) in [(9, r.decision_date), (10, r.valid_until)] {
            if let Some(d) = d {
                ws.write_datetime(row, c, excel_date(d)?)?;
            }
        }
        ws.write_string(row, 13, if r.imported { "Có" } else { "Không" })?;
    }
    let last_row = XLSX_HEADER_ROW + doc.rows.len() as u32;
    ws.autofilter(XLSX_HEADER_ROW, 0, last_row, last)?;
    ws.set_freeze_panes(XLSX_HEADER_ROW + 1, 0)?;
    ws.set_landscape();
    Ok(wb.save_to_buffer()?)
}
