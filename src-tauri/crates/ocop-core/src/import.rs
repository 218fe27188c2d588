//! Import of owners, products and dossiers from an .xlsx sheet: every row is checked first, every
//! error is reported with its row number, and nothing is written unless all rows are good.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::model::{ApplicationType, DossierInput, Owner, OwnerKind, ProductInput};
use crate::store::directory::{check_product_code, save_owner_tx, save_product_tx};
use crate::store::rounds::save_dossier_tx;
use crate::store::Store;
use crate::text::{fold, nfc};

pub mod msg {
    crate::messages! {
        NOT_XLSX = "import.not_xlsx" {
            vi: "Tệp không phải bảng tính Excel (.xlsx) hợp lệ: {detail}",
            en: "The file is not a valid Excel workbook (.xlsx): {detail}",
        }
        NO_SHEET = "import.no_sheet" {
            vi: "Bảng tính không có trang nào",
            en: "The workbook has no sheet",
        }
        SHEET_UNREADABLE = "import.sheet_unreadable" {
            vi: "Không đọc được trang đầu của bảng tính: {detail}",
            en: "The first sheet of the workbook cannot be read: {detail}",
        }
        MISSING_COLUMN = "import.missing_column" {
            vi: "Thiếu cột '{column}' ở dòng tiêu đề (dòng 1)",
            en: "Column '{column}' is missing from the header (row 1)",
        }
        AT_ROW = "import.at_row" {
            vi: "Dòng {row}: {detail}",
            en: "Row {row}: {detail}",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRowError {
    /// The row number as Excel shows it (the header is row 1).
    pub row: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// True when the rows were written; false when nothing was.
    pub ok: bool,
    pub rows: u32,
    pub owners: u32,
    pub products: u32,
    pub dossiers: u32,
    pub errors: Vec<ImportRowError>,
}

/// The columns, by folded header; the first name is the one the template uses.
const COLUMNS: &[(&str, &[&str])] = &[
    ("owner", &["ten chu the", "chu the"]),
    ("kind", &["loai hinh", "loai hinh chu the"]),
    (
        "representative",
        &["nguoi dai dien", "nguoi dai dien theo phap luat"],
    ),
    ("sex", &["gioi tinh"]),
    ("ethnicity", &["dan toc"]),
    ("address", &["dia chi"]),
    ("commune", &["xa/phuong", "xa", "phuong"]),
    ("district", &["huyen"]),
    ("province", &["tinh"]),
    ("phone", &["dien thoai", "so dien thoai"]),
    ("email", &["email"]),
    (
        "registration",
        &["so dkkd", "ma so thue", "so dang ky kinh doanh"],
    ),
    ("product", &["ten san pham", "san pham"]),
    ("set", &["bo san pham", "so bo san pham"]),
    ("decision", &["quyet dinh"]),
    ("code", &["ma san pham", "ma so san pham"]),
    ("application", &["loai ho so"]),
    ("received", &["ngay nhan ho so", "ngay nhan"]),
];

/// The header row of the import template, in Vietnamese.
pub const TEMPLATE_HEADERS: &[&str] = &[
    "Tên chủ thể",
    "Loại hình",
    "Người đại diện",
    "Giới tính",
    "Dân tộc",
    "Địa chỉ",
    "Xã/phường",
    "Huyện",
    "Tỉnh",
    "Điện thoại",
    "Email",
    "Số ĐKKD",
    "Tên sản phẩm",
    "Bộ sản phẩm",
    "Quyết định",
    "Mã sản phẩm",
    "Loại hồ sơ",
    "Ngày nhận hồ sơ",
];

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => nfc(s.trim()),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        other => other.to_string(),
    }
}

/// `dd/mm/yyyy` or `yyyy-mm-dd` → ISO.
fn parse_date(s: &str) -> Option<String> {
    ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(s, f).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

struct Row {
    line: u32,
    owner: Owner,
    product: ProductInput,
    application: ApplicationType,
    received: String,
}

impl Store {
    pub fn import_xlsx(
        &mut self,
        actor: &str,
        bytes: &[u8],
        round_id: Option<&str>,
    ) -> Result<ImportReport> {
        let mut book =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| msg::NOT_XLSX.with("detail", e))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| msg::NO_SHEET.err())?
            .map_err(|e| msg::SHEET_UNREADABLE.with("detail", e))?;
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .map(|r| r.iter().map(|c| fold(&cell_text(c))).collect())
            .unwrap_or_default();
        let col: HashMap<&str, usize> = COLUMNS
            .iter()
            .filter_map(|(key, names)| {
                header
                    .iter()
                    .position(|h| names.contains(&h.as_str()))
                    .map(|i| (*key, i))
            })
            .collect();
        for required in ["owner", "product", "set"] {
            if !col.contains_key(required) {
                let name = match required {
                    "owner" => "Tên chủ thể",
                    "product" => "Tên sản phẩm",
                    _ => "Bộ sản phẩm",
                };
                return Err(msg::MISSING_COLUMN.with("column", name));
            }
        }
        let round = round_id.map(|id| self.require_open(id)).transpose()?;
        let default_decision = round
            .as_ref()
            .map(|r| r.decision_id.clone())
            .unwrap_or_else(|| "QD26-2026".into());
        let catalog = self.catalog()?;

        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (i, r) in rows.enumerate() {
            let line = i as u32 + 2;
            let get = |k: &str| {
                col.get(k)
                    .and_then(|&c| r.get(c))
                    .map(cell_text)
                    .unwrap_or_default()
            };
            if r.iter().all(|c| cell_text(c).is_empty()) {
                continue;
            }
            let mut err = |m: String| {
                errors.push(ImportRowError {
                    row: line,
                    message: m,
                })
            };
            let owner_name = get("owner");
            let product_name = get("product");
            if owner_name.is_empty() {
                err("thiếu tên chủ thể".into());
            }
            if product_name.is_empty() {
                err("thiếu tên sản phẩm".into());
            }
            let kind_text = get("kind");
            let kind = if kind_text.is_empty() {
                Some(OwnerKind::Khac)
            } else {
                OwnerKind::parse(&kind_text)
            };
            if kind.is_none() {
                err(format!("loại hình '{kind_text}' không rõ (Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Hộ kinh doanh, Trang trại)"));
            }
            let sex = match fold(&get("sex")).as_str() {
                "" => "",
                "nam" => "nam",
                "nu" => "nu",
                other => {
                    err(format!("giới tính '{other}' không rõ (Nam, Nữ)"));
                    ""
                }
            };
            let decision_text = get("decision");
            let decision = if decision_text.is_empty() {
                default_decision.clone()
            } else {
                match catalog.decision(&decision_text) {
                    Some(d) => d.decision.id.clone(),
                    None => {
                        err(format!("quyết định '{decision_text}' không có (148/QĐ-TTg hoặc 26/2026/QĐ-TTg)"));
                        default_decision.clone()
                    }
                }
            };
            if round.as_ref().is_some_and(|r| r.decision_id != decision) {
                err(format!(
                    "sản phẩm theo {decision} nhưng đợt đánh giá chấm theo {}",
                    default_decision
                ));
            }
            let set_text = get("set");
            let set_code = match catalog.set(&decision, &set_text) {
                Ok(s) => s.code.clone(),
                Err(_) => {
                    err(format!(
                        "bộ sản phẩm '{set_text}' không có trong {decision} (ghi số 1–26)"
                    ));
                    String::new()
                }
            };
            let code = get("code");
            if let Err(e) = check_product_code(&code) {
                err(e.to_string());
            }
            let app_text = get("application");
            let application = if app_text.is_empty() {
                ApplicationType::First
            } else {
                ApplicationType::parse(&app_text).unwrap_or_else(|| {
                    err(format!(
                        "loại hồ sơ '{app_text}' không rõ (Lần đầu, Nâng hạng, Đánh giá lại)"
                    ));
                    ApplicationType::First
                })
            };
            let received_text = get("received");
            let received = if received_text.is_empty() {
                String::new()
            } else {
                parse_date(&received_text).unwrap_or_else(|| {
                    err(format!(
                        "ngày nhận hồ sơ '{received_text}' không hợp lệ (dd/mm/yyyy)"
                    ));
                    String::new()
                })
            };
            parsed.push(Row {
                line,
                owner: Owner {
                    name: owner_name,
                    kind: kind.unwrap_or_default(),
                    representative: get("representative"),
                    rep_sex: sex.into(),
                    rep_ethnicity: get("ethnicity"),
                    address: get("address"),
                    commune: get("commune"),
                    district: get("district"),
                    province: get("province"),
                    phone: get("phone"),
                    email: get("email"),
                    registration_no: get("registration"),
                    ..Default::default()
                },
                product: ProductInput {
                    name: product_name,
                    decision_id: decision,
                    set_code,
                    code,
                    ..Default::default()
                },
                application,
                received,
            });
        }
        let mut report = ImportReport {
            ok: false,
            rows: parsed.len() as u32,
            owners: 0,
            products: 0,
            dossiers: 0,
            errors,
        };
        if parsed.is_empty() && report.errors.is_empty() {
            report.errors.push(ImportRowError {
                row: 2,
                message: "bảng tính không có dòng dữ liệu nào".into(),
            });
        }
        if !report.errors.is_empty() {
            return Ok(report);
        }

        self.write(actor, |tx| {
        let mut owner_ids: HashMap<String, String> = HashMap::new();
        for row in &parsed {
            let key = format!("{}|{}", fold(&row.owner.name), row.owner.registration_no);
            let owner_id = match owner_ids.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let existing: Option<String> = tx
                        .query_row(
                            "SELECT id FROM owner WHERE search LIKE ?1 || '%' AND registration_no = ?2",
                            params![fold(&row.owner.name), row.owner.registration_no],
                            |r| r.get(0),
                        )
                        .optional()?;
                    let owner = Owner {
                        id: existing.clone().unwrap_or_default(),
                        ..row.owner.clone()
                    };
                    let id = save_owner_tx(tx, &owner).map_err(|e| at(row.line, e))?;
                    if existing.is_none() {
                        report.owners += 1;
                    }
                    owner_ids.insert(key, id.clone());
                    id
                }
            };
            let existing_product: Option<String> = tx
                .query_row(
                    "SELECT id FROM product WHERE owner_id = ?1 AND search LIKE ?2 || '%'",
                    params![owner_id, fold(&row.product.name)],
                    |r| r.get(0),
                )
                .optional()?;
            let product = ProductInput {
                id: existing_product.clone().unwrap_or_default(),
                owner_id,
                ..row.product.clone()
            };
            let product_id = save_product_tx(tx, &product).map_err(|e| at(row.line, e))?;
            if existing_product.is_none() {
                report.products += 1;
            }
            if let Some(r) = &round {
                let input = DossierInput {
                    product_id,
                    application_type: row.application,
                    received_on: row.received.clone(),
                    checklist: Default::default(),
                    permits: Vec::new(),
                };
                save_dossier_tx(tx, &r.id, &input).map_err(|e| at(row.line, e))?;
                report.dossiers += 1;
            }
        }
        tx.audit(
            "import.xlsx",
            "import",
            round_id.unwrap_or(""),
            None,
            Some(serde_json::json!({ "rows": parsed.len() })),
        )
        })?;
        report.ok = true;
        Ok(report)
    }
}

fn at(line: u32, e: CoreError) -> CoreError {
    msg::AT_ROW.with("row", line).with("detail", e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RoundInput;
    use crate::rules::{Level, Procedure, RoundRules};

    fn book(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in TEMPLATE_HEADERS.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    const GOOD: &[&str] = &[
        "Hợp tác xã Chè Bình Sơn",
        "Hợp tác xã",
        "Lê Thị Mai",
        "Nữ",
        "Kinh",
        "Thôn 1",
        "Xã Bình Sơn",
        "",
        "Thanh Hóa",
        "0237 3812345",
        "",
        "2801001",
        "Chè xanh Bình Sơn",
        "11",
        "",
        "38-16213-001-2026",
        "Lần đầu",
        "01/10/2026",
    ];

    fn round(s: &mut Store) -> String {
        s.create_round(
            "t",
            &RoundInput {
                name: "Đợt nhập".into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-11-20".into(),
                place: String::new(),
                rules: RoundRules::default(),
            },
        )
        .unwrap()
        .id
    }

    #[test]
    fn imports_owners_products_and_dossiers() {
        let mut s = Store::open_in_memory().unwrap();
        let r = round(&mut s);
        let mut second = GOOD.to_vec();
        second[12] = "Trà hoa vàng";
        second[13] = "12";
        second[15] = "38-16213-002-2026";
        let rep = s
            .import_xlsx("t", &book(&[GOOD, &second]), Some(&r))
            .unwrap();
        assert!(rep.ok, "{:?}", rep.errors);
        assert_eq!(
            (rep.rows, rep.owners, rep.products, rep.dossiers),
            (2, 1, 2, 2)
        );
        let d = s.dossiers(&r).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].received_on, "2026-10-01");
        let o = s.owners(&Default::default()).unwrap();
        assert_eq!((o[0].rep_sex.as_str(), o[0].kind), ("nu", OwnerKind::Htx));
        // Importing again adds nothing new.
        let again = s.import_xlsx("t", &book(&[GOOD]), Some(&r)).unwrap();
        assert_eq!((again.owners, again.products), (0, 0));
    }

    #[test]
    fn a_bad_row_reports_every_error_and_writes_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        let mut bad = GOOD.to_vec();
        bad[0] = "";
        bad[13] = "27";
        bad[17] = "31/02/2026";
        bad[3] = "Khác";
        let rep = s.import_xlsx("t", &book(&[GOOD, &bad]), None).unwrap();
        assert!(!rep.ok);
        let rows: Vec<u32> = rep.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [3, 3, 3, 3], "{:?}", rep.errors);
        let text: Vec<&str> = rep.errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            text.iter().any(|m| m.contains("27")) && text.iter().any(|m| m.contains("31/02/2026")),
            "{text:?}"
        );
        assert!(
            s.owners(&Default::default()).unwrap().is_empty(),
            "nothing half-imported"
        );
        assert!(s.products(&Default::default()).unwrap().is_empty());
    }

    #[test]
    fn a_file_that_is_not_xlsx_is_refused() {
        let mut s = Store::open_in_memory().unwrap();
        let e = s
            .import_xlsx("t", b"PK\x03\x04 not really", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains(".xlsx"), "{e}");
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "Tên").unwrap();
        let e = s
            .import_xlsx("t", &wb.save_to_buffer().unwrap(), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Tên chủ thể"), "{e}");
    }
}
