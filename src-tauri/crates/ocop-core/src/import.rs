//! Import of owners, products and dossiers from an .xlsx sheet, in two steps.
//!
//! [`Store::import_plan`] reads the file and says, for every row, what importing it would do:
//! create records, change some of their fields (old → new), leave them as they are, or why the row
//! cannot be imported (coded errors with parameters). It writes nothing. [`Store::import_apply`]
//! computes the plan again inside one write transaction and applies all of it, audited, or
//! nothing: it refuses when a row is in error, or when the plan is no longer the one the user
//! confirmed (the records changed meanwhile, so the fingerprint differs).
//!
//! A row matches a stored record only by its identity, never by a prefix or a pattern:
//! - an owner by registration number (Số ĐKKD) when the row has one — failing that, an owner that
//!   has no registration number, with the same name and commune; without a registration number,
//!   by exact folded name ([`fold`]) and commune;
//! - a product by its code when the row has one — failing that, a product of the row's owner that
//!   has no code, with the same name; without a code, by exact folded name among the owner's
//!   products.
//!
//! Two or more candidates make the row an error that names them. Rows of one file that refer to
//! the same owner resolve to the same record (created once, and rows that disagree about one of its
//! fields are errors); a product appears on one row only. An empty cell says nothing: it never
//! clears a stored value. The SQL is in [`crate::store::import`].

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::criteria::Catalog;
use crate::error::{CoreError, ErrorDto, Lang, Msg, Result};
use crate::model::{ApplicationType, Owner, OwnerKind, ProductInput, RoundStatus};
use crate::store::directory::check_product_code;
use crate::store::import::{
    directory, registry_directory, update_imported_entry, write_dossier, write_owner,
    write_product, Directory,
};
use crate::store::{Store, Tx};
use crate::text::{fold, nfc};
use rusqlite::OptionalExtension;

pub mod msg {
    crate::messages! {
        CANCELLED = "import.cancelled" {
            vi: "Đã dừng nhập theo yêu cầu; không ghi gì",
            en: "The import was stopped as asked; nothing was written",
        }
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
        TOO_LARGE = "import.too_large" {
            vi: "Trang đầu của bảng tính quá lớn để nhập: quá {limit} ô (tính mỗi dòng từ cột A đến ô cuối có dữ liệu)",
            en: "The first sheet is too large to import: more than {limit} cells (counting each row from column A to its last filled cell)",
        }
        MISSING_COLUMN = "import.missing_column" {
            vi: "Thiếu cột '{column}' ở dòng tiêu đề (dòng 1). Cột chưa nhận ra: {unmapped}. Hãy gán cột cho trường này một lần (ứng dụng sẽ nhớ)",
            en: "Column '{column}' is missing from the header (row 1). Columns not recognised: {unmapped}. Map a column to this field once (the app remembers it)",
        }
        NO_ROWS = "import.no_rows" {
            vi: "Bảng tính không có dòng dữ liệu nào",
            en: "The sheet has no data rows",
        }
        HAS_ERRORS = "import.has_errors" {
            vi: "Không ghi gì: {count} dòng có lỗi (dòng {rows})",
            en: "Nothing was written: {count} row(s) in error (row {rows})",
        }
        PLAN_CHANGED = "import.plan_changed" {
            vi: "Dữ liệu đã thay đổi từ lúc xem trước nên chưa ghi gì; hãy xem lại kế hoạch nhập rồi xác nhận lại",
            en: "The records changed since the preview, so nothing was written; review the import plan and confirm again",
        }
        OWNER_MISSING = "import.row.owner_missing" {
            vi: "Thiếu tên chủ thể",
            en: "The owner's name is missing",
        }
        PRODUCT_MISSING = "import.row.product_missing" {
            vi: "Thiếu tên sản phẩm",
            en: "The product's name is missing",
        }
        BAD_KIND = "import.row.bad_kind" {
            vi: "Loại hình '{kind}' không rõ (Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Hộ kinh doanh, Trang trại)",
            en: "Unknown kind of owner '{kind}' (Hop tac xa, To hop tac, Doanh nghiep, Ho kinh doanh, Trang trai)",
        }
        BAD_SEX = "import.row.bad_sex" {
            vi: "Giới tính '{sex}' không rõ (Nam, Nữ)",
            en: "Unknown sex '{sex}' (Nam, Nu)",
        }
        UNKNOWN_DECISION = "import.row.unknown_decision" {
            vi: "Quyết định '{decision}' không có (148/QĐ-TTg hoặc 26/2026/QĐ-TTg)",
            en: "Unknown decision '{decision}' (148/QD-TTg or 26/2026/QD-TTg)",
        }
        DECISION_MISMATCH = "import.row.decision_mismatch" {
            vi: "Sản phẩm theo {decision} nhưng đợt đánh giá chấm theo {round_decision}",
            en: "The product follows {decision} but the round scores under {round_decision}",
        }
        UNKNOWN_SET = "import.row.unknown_set" {
            vi: "Bộ sản phẩm '{set}' không có trong {decision} (ghi số 1–26)",
            en: "Product set '{set}' does not exist in {decision} (write a number 1–26)",
        }
        BAD_APPLICATION = "import.row.bad_application" {
            vi: "Loại hồ sơ '{application}' không rõ (Lần đầu, Nâng hạng, Đánh giá lại)",
            en: "Unknown application type '{application}' (Lan dau, Nang hang, Danh gia lai)",
        }
        BAD_RECEIVED = "import.row.bad_received" {
            vi: "Ngày nhận hồ sơ '{date}' không hợp lệ (dd/mm/yyyy)",
            en: "Invalid date received '{date}' (dd/mm/yyyy)",
        }
        OWNER_AMBIGUOUS = "import.row.owner_ambiguous" {
            vi: "{count} chủ thể khớp với dòng này: {candidates}. Ghi số ĐKKD để chỉ rõ chủ thể",
            en: "{count} owners match this row: {candidates}. Give the registration number to say which",
        }
        PRODUCT_AMBIGUOUS = "import.row.product_ambiguous" {
            vi: "{count} sản phẩm khớp với dòng này: {candidates}. Ghi mã sản phẩm để chỉ rõ sản phẩm",
            en: "{count} products match this row: {candidates}. Give the product code to say which",
        }
        PRODUCT_OTHER_OWNER = "import.row.product_other_owner" {
            vi: "Mã sản phẩm {code} là của sản phẩm '{product}' thuộc chủ thể '{owner}', không phải chủ thể của dòng này",
            en: "Product code {code} belongs to '{product}' of owner '{owner}', not to this row's owner",
        }
        OWNER_CONFLICT = "import.row.owner_conflict" {
            vi: "Cột '{column}' ghi '{value}', khác với '{other}' ở dòng {other_row} của cùng chủ thể",
            en: "Column '{column}' says '{value}', but row {other_row} says '{other}' for the same owner",
        }
        STAR_MISSING = "import.row.star_missing" {
            vi: "Thiếu hạng sao (3, 4 hoặc 5)",
            en: "The star is missing (3, 4 or 5)",
        }
        BAD_STAR = "import.row.bad_star" {
            vi: "Hạng sao '{star}' không hợp lệ: chỉ 3, 4 hoặc 5 sao được công nhận",
            en: "Star '{star}' is not valid: only 3, 4 or 5 stars are recognised",
        }
        DECISION_NO_MISSING = "import.row.decision_no_missing" {
            vi: "Thiếu số quyết định công nhận",
            en: "The recognition decision number is missing",
        }
        BAD_DECISION_DATE = "import.row.bad_decision_date" {
            vi: "Ngày quyết định '{date}' không hợp lệ (dd/mm/yyyy)",
            en: "Decision date '{date}' is not valid (dd/mm/yyyy)",
        }
        ENTRY_NOT_IMPORTED = "import.row.entry_issued_here" {
            vi: "Giấy chứng nhận {number} do cơ quan này cấp qua đợt đánh giá; dòng này khác nó ({field}: {old} → {new}) nhưng không được sửa bằng tệp nhập",
            en: "Certificate {number} was issued here after a round; this row differs ({field}: {old} → {new}) but an import does not change it",
        }
        DUPLICATE_ENTRY = "import.row.duplicate_entry" {
            vi: "Giấy chứng nhận này đã có ở dòng {other_row}",
            en: "This certificate is already on row {other_row}",
        }
        UNKNOWN_COLUMN_KEY = "import.unknown_column_key" {
            vi: "Không có trường '{key}' để gán cột '{header}' ({known})",
            en: "There is no field '{key}' to map column '{header}' to ({known})",
        }
        DUPLICATE_PRODUCT = "import.row.duplicate_product" {
            vi: "Sản phẩm này đã có ở dòng {other_row}",
            en: "This product is already on row {other_row}",
        }
    }
}

/// The version of the [`ImportPlan`] shape (`ocop import --json`).
pub const PLAN_FORMAT: u32 = 1;

/// What importing a row does: creates something, only changes fields, changes nothing, or
/// cannot be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportAction {
    New,
    Update,
    Unchanged,
    Error,
}

/// What a row does to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportRecordAction {
    New,
    Update,
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportEntity {
    Owner,
    Product,
    Dossier,
    /// A registry entry (a certificate of the lists kept before the app).
    Entry,
}

/// The record a row resolves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRef {
    pub action: ImportRecordAction,
    /// The stored record; null for one the import creates (filled in once applied).
    pub id: Option<String>,
    /// The first row of the file that refers to the same record, when it is an earlier one.
    pub same_as_row: Option<u32>,
}

/// One field a row changes: stored value → the file's value (codes for kinds, sexes and
/// application types; ISO dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportChange {
    pub entity: ImportEntity,
    /// The field's name in `Owner`, `ProductInput` or `DossierInput`.
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRow {
    /// The row number as Excel shows it (the header is row 1).
    pub row: u32,
    pub action: ImportAction,
    /// The names as the file gives them.
    pub owner_name: String,
    pub product_name: String,
    /// Null when the row is in error before it resolves.
    pub owner: Option<ImportRef>,
    pub product: Option<ImportRef>,
    /// Only when importing into a round.
    pub dossier: Option<ImportRef>,
    /// Only when importing the registry: the certificate the row records.
    #[serde(default)]
    pub entry: Option<ImportRef>,
    /// The fields this row changes on stored records (empty for new records).
    pub changes: Vec<ImportChange>,
    /// Why the row cannot be imported, every reason found.
    pub errors: Vec<ErrorDto>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportCounts {
    pub rows: u32,
    pub new: u32,
    pub update: u32,
    pub unchanged: u32,
    pub error: u32,
    pub owners_new: u32,
    pub owners_updated: u32,
    pub products_new: u32,
    pub products_updated: u32,
    pub dossiers_new: u32,
    pub dossiers_updated: u32,
    #[serde(default)]
    pub entries_new: u32,
    #[serde(default)]
    pub entries_updated: u32,
}

/// What importing a file does, row by row (`ocop import --json`, the UI's preview). A boundary
/// type: fields are added, never renamed or removed; `format` says which shape this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPlan {
    pub format: u32,
    /// The round the dossiers go into, if any.
    pub round_id: Option<String>,
    /// SHA-256 of the plan (without messages or ids of new records): applying checks that the
    /// plan it computes in its transaction is still this one.
    pub fingerprint: String,
    /// True once written (by [`Store::import_apply`]).
    pub applied: bool,
    /// The rows are recognised products for the registry (`ocop registry import`).
    #[serde(default)]
    pub registry: bool,
    /// Headers of the file that name no known column (the user may map them once; the mapping
    /// is remembered).
    #[serde(default)]
    pub unmapped_headers: Vec<String>,
    pub counts: ImportCounts,
    pub rows: Vec<ImportRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRowError {
    /// The row number as Excel shows it (the header is row 1).
    pub row: u32,
    pub message: String,
    pub code: String,
    pub params: BTreeMap<String, String>,
}

/// The outcome of the one-step import ([`Store::import_xlsx`]).
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
    (
        "set",
        &[
            "bo san pham",
            "so bo san pham",
            "nhom san pham",
            "nhom/bo san pham",
            "bo/nhom san pham",
            "phan nhom",
            "nhom",
        ],
    ),
    ("decision", &["quyet dinh"]),
    ("code", &["ma san pham", "ma so san pham"]),
    ("application", &["loai ho so"]),
    ("received", &["ngay nhan ho so", "ngay nhan"]),
    (
        "star",
        &[
            "hang sao",
            "so sao",
            "xep hang",
            "hang",
            "ket qua xep hang",
            "sao",
        ],
    ),
    (
        "decision_no",
        &[
            "so quyet dinh",
            "so quyet dinh cong nhan",
            "quyet dinh cong nhan",
            "so qd",
        ],
    ),
    (
        "decision_date",
        &[
            "ngay quyet dinh",
            "ngay cong nhan",
            "ngay qd",
            "ngay ban hanh",
        ],
    ),
    (
        "certificate",
        &[
            "so giay chung nhan",
            "so chung nhan",
            "so gcn",
            "giay chung nhan",
        ],
    ),
    ("stt", &["stt", "tt", "so thu tu"]),
];

/// The fields a column can be mapped to, with the header the template uses.
pub const COLUMN_LABELS: &[(&str, &str)] = &[
    ("owner", "Tên chủ thể"),
    ("kind", "Loại hình"),
    ("representative", "Người đại diện"),
    ("sex", "Giới tính"),
    ("ethnicity", "Dân tộc"),
    ("address", "Địa chỉ"),
    ("commune", "Xã/phường"),
    ("district", "Huyện"),
    ("province", "Tỉnh"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("registration", "Số ĐKKD"),
    ("product", "Tên sản phẩm"),
    ("set", "Bộ sản phẩm"),
    ("decision", "Quyết định (bộ tiêu chí)"),
    ("code", "Mã sản phẩm"),
    ("application", "Loại hồ sơ"),
    ("received", "Ngày nhận hồ sơ"),
    ("star", "Hạng sao"),
    ("decision_no", "Số quyết định"),
    ("decision_date", "Ngày quyết định"),
    ("certificate", "Số giấy chứng nhận"),
    ("stt", "STT"),
];

/// The header row of the registry sample (`assets/samples/`), in Vietnamese.
pub const REGISTRY_HEADERS: &[&str] = &[
    "STT",
    "Tên sản phẩm",
    "Tên chủ thể",
    "Loại hình",
    "Địa chỉ",
    "Xã/phường",
    "Huyện",
    "Nhóm sản phẩm",
    "Hạng sao",
    "Số quyết định",
    "Ngày quyết định",
    "Số giấy chứng nhận",
];

/// The setting that remembers the columns a user mapped (folded header → field).
pub const MAPPING_SETTING: &str = "import.columns";

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

pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        // Control characters other than tab and line break (a NUL, which SQLite's text functions
        // take for the end of the string) are not text anyone typed: they are dropped.
        Data::String(s) if s.chars().any(|c| c.is_control() && c != '\t' && c != '\n') => {
            let kept: String = s
                .chars()
                .filter(|&c| !c.is_control() || c == '\t' || c == '\n')
                .collect();
            nfc(kept.trim())
        }
        Data::String(s) => nfc(s.trim()),
        // A whole number as Excel shows it; one beyond 2^53 is not exact as an integer (and
        // beyond i64 it would saturate), so it keeps its float form.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            format!("{}", *f as i64)
        }
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

/// The most cells an import reads of a sheet, counting each row from column A to its last
/// filled cell: a hundred times a province's list, and a bound on what a file can make the
/// import allocate (read as one dense range, a single value in XFD1048576 asked for 17 billion
/// cells and aborted the process).
pub(crate) const MAX_CELLS: usize = 2_000_000;

/// The first sheet's rows that have a filled cell, as text: the row number as Excel shows it,
/// and the cells from column A to the row's last filled one. Read cell by cell, so that empty
/// areas cost nothing, and numbered as Excel numbers them even when the first rows are empty.
pub(crate) fn sheet_rows(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>> {
    // The reader is a third party's parser of anyone's file: a panic in it (a cell reference with
    // more digits than 32 bits hold overflows there in a debug build) is a file that cannot be
    // read, never a crash.
    std::panic::catch_unwind(|| read_sheet_rows(bytes)).unwrap_or_else(|p| {
        let detail = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(msg::SHEET_UNREADABLE.with("detail", detail))
    })
}

fn read_sheet_rows(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| msg::NOT_XLSX.with("detail", e))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| msg::NO_SHEET.err())?;
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| msg::SHEET_UNREADABLE.with("detail", e))?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut used = 0usize;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| msg::SHEET_UNREADABLE.with("detail", e))?
    {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let (row, c) = (rows.entry(r).or_default(), c as usize);
        if c >= row.len() {
            used += c + 1 - row.len();
            if used > MAX_CELLS {
                return Err(msg::TOO_LARGE.with("limit", MAX_CELLS));
            }
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    Ok(rows
        .into_iter()
        .map(|(r, cells)| (r.saturating_add(1), cells))
        .collect())
}

/// `dd/mm/yyyy` or `yyyy-mm-dd` → ISO.
fn parse_date(s: &str) -> Option<String> {
    ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(s, f).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// The default decision of products imported outside a round.
const DEFAULT_DECISION: &str = "QD26-2026";

/// The first sheet, as text: the columns found in the header and the rows that are not empty.
struct Sheet {
    col: HashMap<&'static str, usize>,
    rows: Vec<(u32, Vec<String>)>,
    /// Headers that name no known column, as the file writes them.
    unmapped: Vec<String>,
}

fn column_key(key: &str) -> Option<&'static str> {
    COLUMN_LABELS.iter().map(|(k, _)| *k).find(|k| *k == key)
}

impl Sheet {
    fn read(bytes: &[u8], registry: bool, mapping: &BTreeMap<String, String>) -> Result<Sheet> {
        // The header is the first row with a filled cell.
        let mut rows = sheet_rows(bytes)?.into_iter();
        let raw: Vec<String> = rows.next().map(|(_, r)| r).unwrap_or_default();
        let header: Vec<String> = raw.iter().map(|h| fold(h)).collect();
        // A header the user mapped once wins; then the known names.
        let mut col: HashMap<&'static str, usize> = HashMap::new();
        let mut unmapped = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            let key = mapping.get(h).and_then(|k| column_key(k)).or_else(|| {
                COLUMNS
                    .iter()
                    .find(|(_, names)| names.contains(&h.as_str()))
                    .map(|(k, _)| *k)
            });
            match key {
                Some(k) => {
                    col.entry(k).or_insert(i);
                }
                None => unmapped.push(raw[i].clone()),
            }
        }
        let mut required = vec![
            ("owner", "Tên chủ thể"),
            ("product", "Tên sản phẩm"),
            ("set", "Bộ sản phẩm"),
        ];
        if registry {
            required.extend([
                ("star", "Hạng sao"),
                ("decision_no", "Số quyết định"),
                ("decision_date", "Ngày quyết định"),
            ]);
        }
        for (required, name) in required {
            if !col.contains_key(required) {
                let none = if unmapped.is_empty() {
                    "—".to_string()
                } else {
                    unmapped.join(", ")
                };
                return Err(msg::MISSING_COLUMN
                    .with("column", name)
                    .with("unmapped", none));
            }
        }
        let rows: Vec<(u32, Vec<String>)> = rows.collect();
        if rows.is_empty() {
            return Err(msg::NO_ROWS.err());
        }
        Ok(Sheet {
            col,
            rows,
            unmapped,
        })
    }
}

/// A row as the file gives it; an empty text is a cell left empty.
struct Parsed {
    line: u32,
    owner: Owner,
    kind: Option<OwnerKind>,
    product: String,
    /// The decision the row names, if it names a known one.
    decision: Option<String>,
    set: String,
    code: String,
    application: Option<ApplicationType>,
    received: Option<String>,
    /// In a registry import: the certificate the row records.
    recognition: Option<ParsedRecognition>,
    errors: Vec<CoreError>,
}

#[derive(Clone)]
struct ParsedRecognition {
    star: u8,
    decision_no: String,
    decision_date: String,
    number: String,
}

/// The criteria in force on a day: QĐ 26/2026 from 22/5/2026, QĐ 148/2023 before.
fn decision_on(day: &str) -> &'static str {
    if day >= "2026-05-22" {
        "QD26-2026"
    } else {
        "QD148-2023"
    }
}

fn parse_row(
    sheet: &Sheet,
    line: u32,
    cells: &[String],
    catalog: &Catalog,
    round_decision: Option<&str>,
    registry: bool,
) -> Parsed {
    let get = |k: &str| {
        sheet
            .col
            .get(k)
            .and_then(|&c| cells.get(c))
            .cloned()
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let owner_name = get("owner");
    let product = get("product");
    if owner_name.is_empty() {
        errors.push(msg::OWNER_MISSING.err());
    }
    if product.is_empty() {
        errors.push(msg::PRODUCT_MISSING.err());
    }
    let kind_text = get("kind");
    let kind = if kind_text.is_empty() {
        None
    } else {
        let kind = OwnerKind::parse(&kind_text);
        if kind.is_none() {
            errors.push(msg::BAD_KIND.with("kind", &kind_text));
        }
        kind
    };
    let sex_text = get("sex");
    let sex = match fold(&sex_text).as_str() {
        "" => "",
        "nam" => "nam",
        "nu" => "nu",
        _ => {
            errors.push(msg::BAD_SEX.with("sex", &sex_text));
            ""
        }
    };
    let recognition = registry.then(|| {
        let star_text = get("star");
        let star = match star_text
            .trim()
            .trim_end_matches(|c: char| !c.is_ascii_digit())
        {
            "" => {
                errors.push(msg::STAR_MISSING.err());
                0
            }
            t => match t.parse::<u8>() {
                Ok(s @ 3..=5) => s,
                _ => {
                    errors.push(msg::BAD_STAR.with("star", &star_text));
                    0
                }
            },
        };
        let decision_no = get("decision_no");
        if decision_no.is_empty() {
            errors.push(msg::DECISION_NO_MISSING.err());
        }
        let date_text = get("decision_date");
        let decision_date = parse_date(&date_text).unwrap_or_else(|| {
            errors.push(msg::BAD_DECISION_DATE.with("date", &date_text));
            String::new()
        });
        ParsedRecognition {
            star,
            decision_no,
            decision_date,
            number: get("certificate"),
        }
    });
    let decision_text = get("decision");
    let decision = if decision_text.is_empty() {
        // A product recognised before the app was scored under the decision of its day.
        recognition
            .as_ref()
            .filter(|r| !r.decision_date.is_empty())
            .map(|r| decision_on(&r.decision_date).to_string())
    } else {
        match catalog.decision(&decision_text) {
            Some(d) => Some(d.decision.id.clone()),
            None => {
                errors.push(msg::UNKNOWN_DECISION.with("decision", &decision_text));
                None
            }
        }
    };
    if let (Some(d), Some(r)) = (&decision, round_decision) {
        if d != r {
            errors.push(
                msg::DECISION_MISMATCH
                    .with("decision", d)
                    .with("round_decision", r),
            );
        }
    }
    // The set is checked against the decision the product ends up with once the row resolves;
    // a set that no decision has is reported now, with the other errors of the row. A registry
    // list may name the set by its name ("Chè tươi, chè chế biến").
    let mut set = get("set");
    if registry {
        if let Some(code) = set_by_name(catalog, decision.as_deref(), &set) {
            set = code;
        }
    }
    let known_in = |d: &str| catalog.set(d, &set).is_ok();
    let set_known = match decision.as_deref().or(round_decision) {
        Some(d) => known_in(d),
        None => catalog.decisions.iter().any(|d| known_in(&d.decision.id)),
    };
    // (An unknown decision is reported already; its sets cannot be checked.)
    let decision_unknown = decision.is_none() && !decision_text.is_empty();
    if !set_known && !decision_unknown {
        errors.push(
            msg::UNKNOWN_SET.with("set", &set).with(
                "decision",
                decision
                    .as_deref()
                    .or(round_decision)
                    .unwrap_or(DEFAULT_DECISION),
            ),
        );
    }
    let code = get("code");
    if let Err(e) = check_product_code(&code) {
        errors.push(e);
    }
    let app_text = get("application");
    let application = if app_text.is_empty() {
        None
    } else {
        let a = ApplicationType::parse(&app_text);
        if a.is_none() {
            errors.push(msg::BAD_APPLICATION.with("application", &app_text));
        }
        a
    };
    let received_text = get("received");
    let received = if received_text.is_empty() {
        None
    } else {
        let d = parse_date(&received_text);
        if d.is_none() {
            errors.push(msg::BAD_RECEIVED.with("date", &received_text));
        }
        d
    };
    Parsed {
        line,
        owner: Owner {
            name: owner_name,
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
        kind,
        product,
        decision,
        set,
        code,
        application,
        received,
        recognition,
        errors,
    }
}

/// The code of the set a list names by its name or its group's, folded and exact.
fn set_by_name(catalog: &Catalog, decision: Option<&str>, name: &str) -> Option<String> {
    let want = fold(name);
    if want.is_empty() {
        return None;
    }
    let d = catalog.decision(decision.unwrap_or(DEFAULT_DECISION))?;
    let found: Vec<&str> = d
        .sets
        .iter()
        .filter(|s| fold(&s.name) == want || fold(&s.classification.subgroup.name) == want)
        .map(|s| s.code.as_str())
        .collect();
    match found.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// The owner's fields an import sets, with the template column each comes from.
const OWNER_FIELDS: &[(&str, &str)] = &[
    ("name", "Tên chủ thể"),
    ("kind", "Loại hình"),
    ("representative", "Người đại diện"),
    ("rep_sex", "Giới tính"),
    ("rep_ethnicity", "Dân tộc"),
    ("address", "Địa chỉ"),
    ("commune", "Xã/phường"),
    ("district", "Huyện"),
    ("province", "Tỉnh"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("registration_no", "Số ĐKKD"),
];

fn owner_field(o: &Owner, field: &str) -> String {
    match field {
        "name" => o.name.clone(),
        "kind" => o.kind.as_str().into(),
        "representative" => o.representative.clone(),
        "rep_sex" => o.rep_sex.clone(),
        "rep_ethnicity" => o.rep_ethnicity.clone(),
        "address" => o.address.clone(),
        "commune" => o.commune.clone(),
        "district" => o.district.clone(),
        "province" => o.province.clone(),
        "phone" => o.phone.clone(),
        "email" => o.email.clone(),
        "registration_no" => o.registration_no.clone(),
        _ => unreachable!("owner field {field}"),
    }
}

fn set_owner_field(o: &mut Owner, field: &str, v: String) {
    match field {
        "name" => o.name = v,
        "kind" => o.kind = OwnerKind::parse(&v).unwrap_or(OwnerKind::Khac),
        "representative" => o.representative = v,
        "rep_sex" => o.rep_sex = v,
        "rep_ethnicity" => o.rep_ethnicity = v,
        "address" => o.address = v,
        "commune" => o.commune = v,
        "district" => o.district = v,
        "province" => o.province = v,
        "phone" => o.phone = v,
        "email" => o.email = v,
        "registration_no" => o.registration_no = v,
        _ => unreachable!("owner field {field}"),
    }
}

/// The value a row gives for an owner's field ("" when the cell is empty).
fn given_owner_field(p: &Parsed, field: &str) -> String {
    match field {
        "kind" => p.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        f => owner_field(&p.owner, f),
    }
}

/// Registration numbers compare without case or spaces.
fn reg_key(s: &str) -> String {
    fold(s).replace(' ', "")
}

/// What an owner is matched on: folded name and commune, registration number.
#[derive(Clone, Default)]
struct OwnerKeys {
    name: String,
    commune: String,
    reg: String,
}

impl OwnerKeys {
    fn of(o: &Owner) -> OwnerKeys {
        OwnerKeys {
            name: fold(&o.name),
            commune: fold(&o.commune),
            reg: reg_key(&o.registration_no),
        }
    }
}

/// An owner as the import goes: as stored (or empty when new) and after the rows so far.
#[derive(Clone)]
struct WOwner {
    id: Option<String>,
    stored: Owner,
    cur: Owner,
    /// The keys of `cur`.
    keys: OwnerKeys,
    /// The rows that refer to it, in order.
    rows: Vec<u32>,
    /// Field → the first row that gives it.
    given_by: BTreeMap<&'static str, u32>,
}

#[derive(Clone, PartialEq)]
struct ProductFields {
    name: String,
    decision_id: String,
    set_code: String,
    code: String,
}

impl ProductFields {
    const NAMES: [&'static str; 4] = ["name", "decision_id", "set_code", "code"];
    fn get(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "decision_id" => &self.decision_id,
            "set_code" => &self.set_code,
            _ => &self.code,
        }
    }
}

#[derive(Clone)]
struct WProduct {
    id: Option<String>,
    owner: usize,
    stored: ProductFields,
    cur: ProductFields,
    /// The folded name of `cur`.
    name_key: String,
    row: Option<u32>,
}

#[derive(Clone)]
struct WDossier {
    id: Option<String>,
    product: usize,
    stored: (ApplicationType, String),
    cur: (ApplicationType, String),
    row: Option<u32>,
}

/// The records after the rows so far, and what each row refers to (owner, product, dossier).
struct Work {
    owners: Vec<WOwner>,
    products: Vec<WProduct>,
    dossiers: Vec<WDossier>,
    entries: Vec<WEntry>,
    refs: Vec<Option<Refs>>,
    /// Who issues what the province recognises (for imported entries).
    people_committee: String,
}

/// What a row refers to: owner, product, dossier, registry entry (indices into the work).
#[derive(Clone, Copy)]
struct Refs {
    owner: usize,
    product: usize,
    dossier: Option<usize>,
    entry: Option<usize>,
}

/// A registry entry as the import goes.
#[derive(Clone)]
struct WEntry {
    id: Option<String>,
    product: usize,
    imported: bool,
    stored: (u8, String, String),
    /// Star, decision date, certificate number.
    cur: (u8, String, String),
    decision_no: String,
    row: Option<u32>,
}

impl WOwner {
    fn changed(&self) -> Vec<&'static str> {
        OWNER_FIELDS
            .iter()
            .map(|(f, _)| *f)
            .filter(|f| owner_field(&self.stored, f) != owner_field(&self.cur, f))
            .collect()
    }
}

impl WProduct {
    fn changed(&self) -> Vec<&'static str> {
        ProductFields::NAMES
            .into_iter()
            .filter(|f| self.stored.get(f) != self.cur.get(f))
            .collect()
    }
}

fn owner_label(o: &Owner) -> String {
    let detail: Vec<&str> = [o.commune.as_str(), o.registration_no.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if detail.is_empty() {
        o.name.clone()
    } else {
        format!("{} ({})", o.name, detail.join(", "))
    }
}

fn product_label(p: &ProductFields) -> String {
    if p.code.is_empty() {
        p.name.clone()
    } else {
        format!("{} ({})", p.name, p.code)
    }
}

fn ids<'a>(ids: impl Iterator<Item = &'a Option<String>>) -> String {
    ids.flatten().cloned().collect::<Vec<_>>().join(", ")
}

/// At most one match; several make the row error `msg`, naming every candidate (label, id).
fn single<'a>(
    found: &[usize],
    msg: Msg,
    candidate: impl Fn(usize) -> (String, &'a Option<String>),
) -> Result<Option<usize>> {
    match found {
        [] => Ok(None),
        [i] => Ok(Some(*i)),
        many => {
            let (labels, refs): (Vec<String>, Vec<&Option<String>>) =
                many.iter().map(|&i| candidate(i)).unzip();
            Err(msg
                .with("count", many.len())
                .with("candidates", labels.join("; "))
                .with("ids", ids(refs.into_iter())))
        }
    }
}

/// One row resolved, not yet taken into the work.
struct Step {
    owner: (Option<usize>, WOwner),
    product: (Option<usize>, WProduct),
    dossier: Option<(Option<usize>, WDossier)>,
    entry: Option<(Option<usize>, WEntry)>,
    entry_changed: bool,
    changes: Vec<ImportChange>,
    owner_changed: bool,
    product_changed: bool,
    dossier_changed: bool,
}

impl Work {
    fn new(dir: &Directory) -> Work {
        let owners: Vec<WOwner> = dir
            .owners
            .iter()
            .map(|o| WOwner {
                id: Some(o.id.clone()),
                stored: o.clone(),
                cur: o.clone(),
                keys: OwnerKeys::of(o),
                rows: Vec::new(),
                given_by: BTreeMap::new(),
            })
            .collect();
        let owner_at: HashMap<&str, usize> = dir
            .owners
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        let products: Vec<WProduct> = dir
            .products
            .iter()
            .filter_map(|p| {
                let fields = ProductFields {
                    name: p.name.clone(),
                    decision_id: p.decision_id.clone(),
                    set_code: p.set_code.clone(),
                    code: p.code.clone(),
                };
                Some(WProduct {
                    id: Some(p.id.clone()),
                    owner: *owner_at.get(p.owner_id.as_str())?,
                    name_key: fold(&fields.name),
                    stored: fields.clone(),
                    cur: fields,
                    row: None,
                })
            })
            .collect();
        let product_at: HashMap<&str, usize> = dir
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let dossiers = dir
            .dossiers
            .iter()
            .filter_map(|d| {
                let v = (d.application_type, d.received_on.clone());
                Some(WDossier {
                    id: Some(d.id.clone()),
                    product: *product_at.get(d.product_id.as_str())?,
                    stored: v.clone(),
                    cur: v,
                    row: None,
                })
            })
            .collect();
        let entries = dir
            .entries
            .iter()
            .filter_map(|e| {
                let v = (e.star, e.decision_date.clone(), e.number.clone());
                Some(WEntry {
                    id: Some(e.id.clone()),
                    product: *product_at.get(e.product_id.as_str())?,
                    imported: e.imported,
                    stored: v.clone(),
                    cur: v,
                    decision_no: e.decision_no.clone(),
                    row: None,
                })
            })
            .collect();
        Work {
            owners,
            products,
            dossiers,
            entries,
            refs: Vec::new(),
            people_committee: dir.people_committee.clone(),
        }
    }

    fn find_owner(&self, p: &Parsed) -> Result<Option<usize>> {
        let name = fold(&p.owner.name);
        let commune = fold(&p.owner.commune);
        let reg = reg_key(&p.owner.registration_no);
        let same_name = |o: &WOwner| o.keys.name == name && o.keys.commune == commune;
        let pick = |f: &dyn Fn(&WOwner) -> bool| -> Vec<usize> {
            (0..self.owners.len())
                .filter(|&i| f(&self.owners[i]))
                .collect()
        };
        let mut found = Vec::new();
        if !reg.is_empty() {
            found = pick(&|o| o.keys.reg == reg);
        }
        if found.is_empty() {
            found = if reg.is_empty() {
                pick(&same_name)
            } else {
                pick(&|o| o.keys.reg.is_empty() && same_name(o))
            };
        }
        single(&found, msg::OWNER_AMBIGUOUS, |i| {
            (owner_label(&self.owners[i].cur), &self.owners[i].id)
        })
    }

    fn find_product(&self, owner: Option<usize>, p: &Parsed) -> Result<Option<usize>> {
        let name = fold(&p.product);
        let code = p.code.trim();
        let pick = |f: &dyn Fn(&WProduct) -> bool| -> Vec<usize> {
            (0..self.products.len())
                .filter(|&i| f(&self.products[i]))
                .collect()
        };
        let mine = |w: &WProduct| Some(w.owner) == owner && w.name_key == name;
        let mut found = Vec::new();
        if !code.is_empty() {
            found = pick(&|w| w.cur.code == code);
            if let [i] = found.as_slice() {
                let w = &self.products[*i];
                if Some(w.owner) != owner {
                    return Err(msg::PRODUCT_OTHER_OWNER
                        .with("code", code)
                        .with("product", &w.cur.name)
                        .with("owner", &self.owners[w.owner].cur.name));
                }
            }
        }
        if found.is_empty() {
            found = if code.is_empty() {
                pick(&mine)
            } else {
                pick(&|w| w.cur.code.is_empty() && mine(w))
            };
        }
        single(&found, msg::PRODUCT_AMBIGUOUS, |i| {
            (product_label(&self.products[i].cur), &self.products[i].id)
        })
    }

    /// What a good row does, against the records after the rows before it.
    fn resolve(&self, p: &Parsed, dir: &Directory, catalog: &Catalog) -> Result<Step> {
        let mut changes = Vec::new();

        // The owner.
        let oi = self.find_owner(p)?;
        let mut wo = match oi {
            Some(i) => self.owners[i].clone(),
            None => {
                let blank = Owner {
                    kind: OwnerKind::Khac,
                    ..Default::default()
                };
                WOwner {
                    id: None,
                    stored: blank.clone(),
                    cur: blank,
                    keys: OwnerKeys::default(),
                    rows: Vec::new(),
                    given_by: BTreeMap::new(),
                }
            }
        };
        let mut owner_changed = false;
        for &(field, column) in OWNER_FIELDS {
            let v = given_owner_field(p, field);
            if v.is_empty() {
                continue;
            }
            let cur = owner_field(&wo.cur, field);
            if let Some(&first) = wo.given_by.get(field) {
                let same = if field == "name" || field == "commune" {
                    fold(&cur) == fold(&v)
                } else {
                    cur == v
                };
                if !same {
                    return Err(msg::OWNER_CONFLICT
                        .with("column", column)
                        .with("value", v)
                        .with("other", cur)
                        .with("other_row", first));
                }
                continue;
            }
            wo.given_by.insert(field, p.line);
            if cur != v {
                if wo.id.is_some() {
                    owner_changed = true;
                    changes.push(ImportChange {
                        entity: ImportEntity::Owner,
                        field: field.into(),
                        old: cur,
                        new: v.clone(),
                    });
                }
                set_owner_field(&mut wo.cur, field, v);
            }
        }
        wo.keys = OwnerKeys::of(&wo.cur);
        wo.rows.push(p.line);

        // The product.
        // A new owner has no products yet: its row's product is new, unless its code is already
        // someone else's (an error).
        let pi = self.find_product(oi, p)?;
        if let Some(first) = pi.and_then(|i| self.products[i].row) {
            // A registry list names a product once per certificate (a re-recognition, an
            // upgrade): only the certificate must not repeat.
            if !dir.registry {
                return Err(msg::DUPLICATE_PRODUCT.with("other_row", first));
            }
        }
        let decision = p
            .decision
            .clone()
            .or_else(|| dir.round.as_ref().map(|r| r.decision_id.clone()))
            .or_else(|| pi.map(|i| self.products[i].cur.decision_id.clone()))
            .unwrap_or_else(|| DEFAULT_DECISION.into());
        let set_code = catalog
            .set(&decision, &p.set)
            .map_err(|_| {
                msg::UNKNOWN_SET
                    .with("set", &p.set)
                    .with("decision", &decision)
            })?
            .code
            .clone();
        let given = ProductFields {
            name: p.product.clone(),
            decision_id: decision,
            set_code,
            code: p.code.trim().to_string(),
        };
        let mut wp = match pi {
            Some(i) => self.products[i].clone(),
            None => WProduct {
                id: None,
                owner: usize::MAX,
                name_key: String::new(),
                stored: given.clone(),
                cur: given.clone(),
                row: None,
            },
        };
        let mut product_changed = false;
        if wp.id.is_some() {
            for field in ProductFields::NAMES {
                let (old, new) = (wp.cur.get(field).to_string(), given.get(field));
                if new.is_empty() || old == new {
                    continue;
                }
                product_changed = true;
                changes.push(ImportChange {
                    entity: ImportEntity::Product,
                    field: field.into(),
                    old,
                    new: new.into(),
                });
            }
            let code = if given.code.is_empty() {
                wp.cur.code.clone()
            } else {
                given.code.clone()
            };
            wp.cur = ProductFields { code, ..given };
        }
        wp.name_key = fold(&wp.cur.name);
        wp.row = Some(p.line);

        // The dossier, when importing into a round.
        let dossier = match &dir.round {
            None => None,
            Some(_) => {
                let di = pi.and_then(|i| self.dossiers.iter().position(|d| d.product == i));
                let mut wd = match di {
                    Some(d) => self.dossiers[d].clone(),
                    None => {
                        let v = (
                            p.application.unwrap_or_default(),
                            p.received.clone().unwrap_or_default(),
                        );
                        WDossier {
                            id: None,
                            product: usize::MAX,
                            stored: v.clone(),
                            cur: v,
                            row: None,
                        }
                    }
                };
                let mut changed = false;
                if wd.id.is_some() {
                    if let Some(a) = p.application.filter(|a| *a != wd.cur.0) {
                        changes.push(ImportChange {
                            entity: ImportEntity::Dossier,
                            field: "application_type".into(),
                            old: wd.cur.0.as_str().into(),
                            new: a.as_str().into(),
                        });
                        wd.cur.0 = a;
                        changed = true;
                    }
                    if let Some(r) = p.received.clone().filter(|r| *r != wd.cur.1) {
                        changes.push(ImportChange {
                            entity: ImportEntity::Dossier,
                            field: "received_on".into(),
                            old: wd.cur.1.clone(),
                            new: r.clone(),
                        });
                        wd.cur.1 = r;
                        changed = true;
                    }
                }
                wd.row = Some(p.line);
                Some((di, wd, changed))
            }
        };
        let dossier_changed = dossier.as_ref().is_some_and(|d| d.2);

        // The certificate, in a registry import: matched by its number, else by the product and
        // the decision number.
        let mut entry_changed = false;
        let entry = match &p.recognition {
            None => None,
            Some(rec) => {
                let found = self.entries.iter().position(|e| {
                    Some(e.product) == pi
                        && ((!rec.number.is_empty() && fold(&e.cur.2) == fold(&rec.number))
                            || fold(&e.decision_no) == fold(&rec.decision_no))
                });
                if let Some(first) = found.and_then(|i| self.entries[i].row) {
                    return Err(msg::DUPLICATE_ENTRY.with("other_row", first));
                }
                let given = (rec.star, rec.decision_date.clone(), rec.number.clone());
                let mut we = match found {
                    Some(i) => self.entries[i].clone(),
                    None => WEntry {
                        id: None,
                        product: usize::MAX,
                        imported: true,
                        stored: given.clone(),
                        cur: given.clone(),
                        decision_no: rec.decision_no.clone(),
                        row: None,
                    },
                };
                if we.id.is_some() {
                    let number = if given.2.is_empty() {
                        we.cur.2.clone()
                    } else {
                        given.2.clone()
                    };
                    for (field, old, new) in [
                        ("star", we.cur.0.to_string(), given.0.to_string()),
                        ("decision_date", we.cur.1.clone(), given.1.clone()),
                        ("certificate_no", we.cur.2.clone(), number.clone()),
                    ] {
                        if old == new {
                            continue;
                        }
                        if !we.imported {
                            return Err(msg::ENTRY_NOT_IMPORTED
                                .with("number", &we.cur.2)
                                .with("field", field)
                                .with("old", old)
                                .with("new", new));
                        }
                        entry_changed = true;
                        changes.push(ImportChange {
                            entity: ImportEntity::Entry,
                            field: field.into(),
                            old,
                            new,
                        });
                    }
                    we.cur = (given.0, given.1, number);
                }
                we.row = Some(p.line);
                Some((found, we))
            }
        };
        Ok(Step {
            owner: (oi, wo),
            product: (pi, wp),
            dossier: dossier.map(|(i, d, _)| (i, d)),
            entry,
            entry_changed,
            changes,
            owner_changed,
            product_changed,
            dossier_changed,
        })
    }

    /// Takes a resolved row into the work; returns what the row says about each record.
    #[allow(clippy::type_complexity)]
    fn take(
        &mut self,
        line: u32,
        step: Step,
    ) -> (ImportRef, ImportRef, Option<ImportRef>, Option<ImportRef>) {
        fn put<T>(v: &mut Vec<T>, i: Option<usize>, item: T) -> usize {
            match i {
                Some(i) => {
                    v[i] = item;
                    i
                }
                None => {
                    v.push(item);
                    v.len() - 1
                }
            }
        }
        let action = |id: &Option<String>, changed: bool| match (id, changed) {
            (None, _) => ImportRecordAction::New,
            (Some(_), true) => ImportRecordAction::Update,
            (Some(_), false) => ImportRecordAction::Unchanged,
        };
        let (oi, wo) = step.owner;
        let owner_ref = ImportRef {
            action: action(&wo.id, step.owner_changed),
            id: wo.id.clone(),
            same_as_row: wo.rows.first().copied().filter(|r| *r != line),
        };
        let oi = put(&mut self.owners, oi, wo);
        let (pi, mut wp) = step.product;
        wp.owner = oi;
        let product_ref = ImportRef {
            action: action(&wp.id, step.product_changed),
            id: wp.id.clone(),
            same_as_row: None,
        };
        let pi = put(&mut self.products, pi, wp);
        let (dossier_ref, di) = match step.dossier {
            None => (None, None),
            Some((di, mut wd)) => {
                wd.product = pi;
                let r = ImportRef {
                    action: action(&wd.id, step.dossier_changed),
                    id: wd.id.clone(),
                    same_as_row: None,
                };
                (Some(r), Some(put(&mut self.dossiers, di, wd)))
            }
        };
        let (entry_ref, ei) = match step.entry {
            None => (None, None),
            Some((ei, mut we)) => {
                we.product = pi;
                let r = ImportRef {
                    action: action(&we.id, step.entry_changed),
                    id: we.id.clone(),
                    same_as_row: None,
                };
                (Some(r), Some(put(&mut self.entries, ei, we)))
            }
        };
        self.refs.push(Some(Refs {
            owner: oi,
            product: pi,
            dossier: di,
            entry: ei,
        }));
        (owner_ref, product_ref, dossier_ref, entry_ref)
    }
}

/// Reads the rows against the records and says what importing each one does.
fn make_plan(
    sheet: &Sheet,
    dir: &Directory,
    catalog: &Catalog,
    lang: Lang,
    progress: &mut dyn FnMut(u32, u32) -> bool,
) -> Result<(ImportPlan, Work)> {
    if let Some(r) = &dir.round {
        if r.status == RoundStatus::Finalised {
            return Err(crate::store::rounds::msg::FINALISED.with("round", &r.name));
        }
    }
    let round_decision = dir.round.as_ref().map(|r| r.decision_id.as_str());
    let mut work = Work::new(dir);
    let mut rows = Vec::new();
    let total = sheet.rows.len() as u32;
    for (i, (line, cells)) in sheet.rows.iter().enumerate() {
        if !progress(i as u32, total) {
            return Err(msg::CANCELLED.err());
        }
        let p = parse_row(sheet, *line, cells, catalog, round_decision, dir.registry);
        let mut row = ImportRow {
            row: p.line,
            action: ImportAction::Error,
            owner_name: p.owner.name.clone(),
            product_name: p.product.clone(),
            owner: None,
            product: None,
            dossier: None,
            entry: None,
            changes: Vec::new(),
            errors: p.errors.iter().map(|e| e.to_dto(lang)).collect(),
        };
        if row.errors.is_empty() {
            match work.resolve(&p, dir, catalog) {
                Ok(step) => {
                    row.changes = step.changes.clone();
                    let (o, pr, d, e) = work.take(p.line, step);
                    let any_new = [Some(&o), Some(&pr), d.as_ref(), e.as_ref()]
                        .into_iter()
                        .flatten()
                        .any(|r| r.action == ImportRecordAction::New);
                    row.action = if any_new {
                        ImportAction::New
                    } else if !row.changes.is_empty() {
                        ImportAction::Update
                    } else {
                        ImportAction::Unchanged
                    };
                    row.owner = Some(o);
                    row.product = Some(pr);
                    row.dossier = d;
                    row.entry = e;
                }
                Err(e) => row.errors.push(e.to_dto(lang)),
            }
        }
        if row.action == ImportAction::Error {
            work.refs.push(None);
        }
        rows.push(row);
    }
    let count = |a: ImportAction| rows.iter().filter(|r| r.action == a).count() as u32;
    let counts = ImportCounts {
        rows: rows.len() as u32,
        new: count(ImportAction::New),
        update: count(ImportAction::Update),
        unchanged: count(ImportAction::Unchanged),
        error: count(ImportAction::Error),
        owners_new: work.owners.iter().filter(|o| o.id.is_none()).count() as u32,
        owners_updated: work
            .owners
            .iter()
            .filter(|o| o.id.is_some() && !o.changed().is_empty())
            .count() as u32,
        products_new: work.products.iter().filter(|p| p.id.is_none()).count() as u32,
        products_updated: work
            .products
            .iter()
            .filter(|p| p.id.is_some() && !p.changed().is_empty())
            .count() as u32,
        dossiers_new: work.dossiers.iter().filter(|d| d.id.is_none()).count() as u32,
        dossiers_updated: work
            .dossiers
            .iter()
            .filter(|d| d.id.is_some() && d.stored != d.cur)
            .count() as u32,
        entries_new: work.entries.iter().filter(|e| e.id.is_none()).count() as u32,
        entries_updated: work
            .entries
            .iter()
            .filter(|e| e.id.is_some() && e.stored != e.cur)
            .count() as u32,
    };
    let mut plan = ImportPlan {
        format: PLAN_FORMAT,
        round_id: dir.round.as_ref().map(|r| r.id.clone()),
        fingerprint: String::new(),
        applied: false,
        registry: dir.registry,
        unmapped_headers: sheet.unmapped.clone(),
        counts,
        rows,
    };
    plan.fingerprint = fingerprint(&plan);
    Ok((plan, work))
}

/// SHA-256 of the plan as the user sees it, whatever the language: codes and parameters count,
/// the rendered messages do not.
fn fingerprint(plan: &ImportPlan) -> String {
    let mut p = plan.clone();
    p.fingerprint.clear();
    p.applied = false;
    for r in &mut p.rows {
        for e in &mut r.errors {
            e.message.clear();
        }
    }
    hex::encode(Sha256::digest(
        serde_json::to_vec(&p).expect("plan serialises"),
    ))
}

impl ImportPlan {
    /// Why the plan cannot be applied ([`msg::HAS_ERRORS`], naming the rows in error), if it
    /// cannot.
    pub fn refusal(&self) -> Option<CoreError> {
        let rows: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.action == ImportAction::Error)
            .map(|r| r.row.to_string())
            .collect();
        (!rows.is_empty()).then(|| {
            msg::HAS_ERRORS
                .with("count", rows.len())
                .with("rows", rows.join(", "))
        })
    }
}

/// Writes the work out, each record once, each audited with the rows it comes from; fills in
/// the ids of new records in the plan.
fn apply(tx: &Tx, plan: &mut ImportPlan, work: &Work) -> Result<()> {
    let mut owner_ids = Vec::with_capacity(work.owners.len());
    for o in &work.owners {
        let changed = o.changed();
        let id = match &o.id {
            Some(id) if changed.is_empty() => id.clone(),
            _ => {
                let id = write_owner(
                    tx,
                    &Owner {
                        id: o.id.clone().unwrap_or_default(),
                        ..o.cur.clone()
                    },
                )?;
                let fields = |of: &Owner, which: &[&str]| {
                    which
                        .iter()
                        .map(|f| (f.to_string(), json!(owner_field(of, f))))
                        .collect::<serde_json::Map<_, _>>()
                };
                let all: Vec<&str> = OWNER_FIELDS.iter().map(|(f, _)| *f).collect();
                let (action, before, mut after) = match o.id {
                    None => ("owner.add", None, fields(&o.cur, &all)),
                    Some(_) => (
                        "owner.update",
                        Some(fields(&o.stored, &changed).into()),
                        fields(&o.cur, &changed),
                    ),
                };
                after.insert("import_rows".into(), json!(o.rows));
                tx.audit(action, "owner", &id, before, Some(after.into()))?;
                id
            }
        };
        owner_ids.push(id);
    }
    let mut product_ids = Vec::with_capacity(work.products.len());
    for p in &work.products {
        let changed = p.changed();
        let id = match &p.id {
            Some(id) if changed.is_empty() => id.clone(),
            _ => {
                let id = write_product(
                    tx,
                    &ProductInput {
                        id: p.id.clone().unwrap_or_default(),
                        owner_id: owner_ids[p.owner].clone(),
                        name: p.cur.name.clone(),
                        decision_id: p.cur.decision_id.clone(),
                        set_code: p.cur.set_code.clone(),
                        code: p.cur.code.clone(),
                    },
                )?;
                let fields = |pf: &ProductFields, which: &[&str]| {
                    which
                        .iter()
                        .map(|f| (f.to_string(), json!(pf.get(f))))
                        .collect::<serde_json::Map<_, _>>()
                };
                let (action, before, mut after) = match p.id {
                    None => {
                        let mut a = fields(&p.cur, &ProductFields::NAMES);
                        a.insert("owner_id".into(), json!(owner_ids[p.owner]));
                        ("product.add", None, a)
                    }
                    Some(_) => (
                        "product.update",
                        Some(fields(&p.stored, &changed).into()),
                        fields(&p.cur, &changed),
                    ),
                };
                after.insert(
                    "import_rows".into(),
                    json!(p.row.into_iter().collect::<Vec<_>>()),
                );
                tx.audit(action, "product", &id, before, Some(after.into()))?;
                id
            }
        };
        product_ids.push(id);
    }
    let mut dossier_ids = Vec::with_capacity(work.dossiers.len());
    if let Some(round_id) = plan.round_id.clone() {
        for d in &work.dossiers {
            let id = match &d.id {
                Some(id) if d.stored == d.cur => id.clone(),
                _ => {
                    let id = write_dossier(
                        tx,
                        &round_id,
                        d.id.as_deref(),
                        &product_ids[d.product],
                        d.cur.0,
                        &d.cur.1,
                    )?;
                    let (action, before) = match d.id {
                        None => ("dossier.add", None),
                        Some(_) => (
                            "dossier.update",
                            Some(
                                json!({ "application_type": d.stored.0.as_str(), "received_on": d.stored.1 }),
                            ),
                        ),
                    };
                    tx.audit(
                        action,
                        "dossier",
                        &id,
                        before,
                        Some(json!({
                            "round_id": round_id,
                            "product_id": product_ids[d.product],
                            "application_type": d.cur.0.as_str(),
                            "received_on": d.cur.1,
                            "import_rows": d.row.into_iter().collect::<Vec<_>>(),
                        })),
                    )?;
                    id
                }
            };
            dossier_ids.push(id);
        }
    }
    // Registry entries, oldest decision first, so that a later certificate of the same product
    // supersedes an earlier one.
    let mut entry_ids: Vec<Option<String>> = work.entries.iter().map(|e| e.id.clone()).collect();
    if plan.registry {
        let mut order: Vec<usize> = (0..work.entries.len()).collect();
        order.sort_by(|&a, &b| work.entries[a].cur.1.cmp(&work.entries[b].cur.1));
        for i in order {
            let e = &work.entries[i];
            let until = chrono::NaiveDate::parse_from_str(&e.cur.1, "%Y-%m-%d")
                .ok()
                .and_then(crate::registry::valid_until)
                .map(|d| d.to_string())
                .unwrap_or_default();
            match &e.id {
                Some(id) if e.stored == e.cur => entry_ids[i] = Some(id.clone()),
                Some(id) => {
                    update_imported_entry(tx, id, e.cur.0, &e.cur.1, &until, &e.cur.2)?;
                    tx.audit(
                        "registry.update",
                        "registry_entry",
                        id,
                        Some(json!({ "star": e.stored.0, "decision_date": e.stored.1, "certificate_no": e.stored.2 })),
                        Some(json!({ "star": e.cur.0, "decision_date": e.cur.1, "certificate_no": e.cur.2, "valid_until": until, "import_rows": e.row.into_iter().collect::<Vec<_>>() })),
                    )?;
                }
                None => {
                    // The level that recognised it: under QĐ 148 the district gave 3★, the
                    // province 4★; under QĐ 26 the province gives 3★ and 4★; 5★ is the centre's.
                    let level = match (e.cur.0, decision_on(&e.cur.1)) {
                        (5, _) => "centre",
                        (3, "QD148-2023") => "district",
                        _ => "province",
                    };
                    let body = match level {
                        "centre" => "Bộ Nông nghiệp và Môi trường".to_string(),
                        "district" => {
                            let o = &work.owners[work.products[e.product].owner].cur;
                            if o.district.is_empty() {
                                "UBND cấp huyện".to_string()
                            } else {
                                format!("UBND {}", o.district)
                            }
                        }
                        _ => work.people_committee.clone(),
                    };
                    let id = crate::store::registry::record_certificate(
                        tx,
                        &product_ids[e.product],
                        None,
                        &e.cur.2,
                        e.cur.0,
                        None,
                        &e.decision_no,
                        &e.cur.1,
                        level,
                        &body,
                        &until,
                        None,
                        Some("imported"),
                    )?;
                    tx.audit(
                        "registry.import",
                        "registry_entry",
                        &id,
                        None,
                        Some(json!({
                            "product_id": product_ids[e.product], "star": e.cur.0,
                            "decision_no": e.decision_no, "decision_date": e.cur.1,
                            "certificate_no": e.cur.2, "valid_until": until, "issuing_level": level,
                            "import_rows": e.row.into_iter().collect::<Vec<_>>(),
                        })),
                    )?;
                    entry_ids[i] = Some(id);
                }
            }
        }
    }
    for (row, refs) in plan.rows.iter_mut().zip(&work.refs) {
        let Some(refs) = *refs else { continue };
        if let Some(r) = &mut row.owner {
            r.id = Some(owner_ids[refs.owner].clone());
        }
        if let Some(r) = &mut row.product {
            r.id = Some(product_ids[refs.product].clone());
        }
        if let (Some(r), Some(d)) = (&mut row.dossier, refs.dossier) {
            r.id = Some(dossier_ids[d].clone());
        }
        if let (Some(r), Some(e)) = (&mut row.entry, refs.entry) {
            r.id = entry_ids[e].clone();
        }
    }
    plan.applied = true;
    tx.audit(
        "import.xlsx",
        "import",
        plan.round_id.as_deref().unwrap_or(""),
        None,
        Some(json!({
            "format": plan.format,
            "fingerprint": plan.fingerprint,
            "counts": plan.counts,
        })),
    )
}

/// How far an import is, as the shell tells the window (event `import-progress`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

impl Store {
    /// What importing the file would do, row by row; writes nothing. With `round_id`, the rows
    /// are also the round's dossiers. Messages are in `lang`.
    pub fn import_plan(
        &self,
        bytes: &[u8],
        round_id: Option<&str>,
        lang: Lang,
    ) -> Result<ImportPlan> {
        self.import_plan_with(bytes, round_id, lang, &mut |_, _| true)
    }

    /// [`Store::import_plan`], telling `progress` (rows done, rows in all) before each row; it
    /// returns `false` to stop, which ends the import with `import.cancelled`.
    pub fn import_plan_with(
        &self,
        bytes: &[u8],
        round_id: Option<&str>,
        lang: Lang,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<ImportPlan> {
        self.plan_of(bytes, false, lang, progress, |c| directory(c, round_id))
    }

    /// The plan of a file against the records `load` reads (the directory, or the registry's).
    fn plan_of(
        &self,
        bytes: &[u8],
        registry: bool,
        lang: Lang,
        progress: &mut dyn FnMut(u32, u32) -> bool,
        load: impl FnOnce(&rusqlite::Connection) -> Result<Directory>,
    ) -> Result<ImportPlan> {
        let sheet = Sheet::read(bytes, registry, &self.import_mapping()?)?;
        let catalog = self.catalog()?;
        let dir = load(&self.conn)?;
        Ok(make_plan(&sheet, &dir, &catalog, lang, progress)?.0)
    }

    /// Applies a file all or nothing in one write: the plan is computed again against what
    /// `load` reads inside the transaction and refused on row errors or a changed fingerprint.
    #[allow(clippy::too_many_arguments)]
    fn apply_of(
        &mut self,
        actor: &str,
        bytes: &[u8],
        registry: bool,
        expected: Option<&str>,
        lang: Lang,
        progress: &mut dyn FnMut(u32, u32) -> bool,
        load: impl FnOnce(&rusqlite::Connection) -> Result<Directory>,
    ) -> Result<ImportPlan> {
        let sheet = Sheet::read(bytes, registry, &self.import_mapping()?)?;
        let catalog = self.catalog()?;
        self.write(actor, |tx| {
            let dir = load(tx)?;
            let (mut plan, work) = make_plan(&sheet, &dir, &catalog, lang, progress)?;
            if let Some(e) = plan.refusal() {
                return Err(e);
            }
            if expected.is_some_and(|f| f != plan.fingerprint) {
                return Err(msg::PLAN_CHANGED.err());
            }
            apply(tx, &mut plan, &work)?;
            Ok(plan)
        })
    }

    /// Imports the file all or nothing, in one transaction: the plan is computed again inside
    /// it, refused when a row is in error ([`msg::HAS_ERRORS`]) or when `expected` (the
    /// fingerprint of the plan the user confirmed) no longer matches ([`msg::PLAN_CHANGED`]).
    /// Returns the applied plan, with the ids of the new records.
    pub fn import_apply(
        &mut self,
        actor: &str,
        bytes: &[u8],
        round_id: Option<&str>,
        expected: Option<&str>,
        lang: Lang,
    ) -> Result<ImportPlan> {
        self.import_apply_with(actor, bytes, round_id, expected, lang, &mut |_, _| true)
    }

    /// [`Store::import_apply`] with progress, as [`Store::import_plan_with`]; stopping rolls
    /// the whole import back.
    pub fn import_apply_with(
        &mut self,
        actor: &str,
        bytes: &[u8],
        round_id: Option<&str>,
        expected: Option<&str>,
        lang: Lang,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<ImportPlan> {
        self.apply_of(actor, bytes, false, expected, lang, progress, |c| {
            directory(c, round_id)
        })
    }

    /// The columns a user mapped once (folded header → field), remembered for later files.
    pub fn import_mapping(&self) -> Result<BTreeMap<String, String>> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = ?1",
                [MAPPING_SETTING],
                |r| r.get(0),
            )
            .optional()?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Remembers that a header names a field (`COLUMN_LABELS`), audited; an empty field
    /// forgets the header.
    pub fn save_import_mapping(
        &mut self,
        actor: &str,
        map: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>> {
        let mut all = self.import_mapping()?;
        let before = all.clone();
        for (header, key) in map {
            let h = fold(header);
            if key.trim().is_empty() {
                all.remove(&h);
                continue;
            }
            if column_key(key.trim()).is_none() {
                return Err(msg::UNKNOWN_COLUMN_KEY
                    .with("key", key)
                    .with("header", header)
                    .with(
                        "known",
                        COLUMN_LABELS
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ));
            }
            all.insert(h, key.trim().to_string());
        }
        let text = serde_json::to_string(&all).expect("mapping serialises");
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                rusqlite::params![MAPPING_SETTING, text],
            )?;
            tx.audit(
                "import.mapping",
                "setting",
                MAPPING_SETTING,
                Some(json!(before)),
                Some(json!(all)),
            )
        })?;
        Ok(all)
    }

    /// What importing a list of recognised products (the lists provinces kept before the app)
    /// would do, row by row: owners, products and registry entries (marked imported, no score
    /// sheets). Writes nothing.
    pub fn registry_import_plan(&self, bytes: &[u8], lang: Lang) -> Result<ImportPlan> {
        self.plan_of(bytes, true, lang, &mut |_, _| true, registry_directory)
    }

    /// Applies a registry list all or nothing, as [`Store::import_apply`].
    pub fn registry_import_apply(
        &mut self,
        actor: &str,
        bytes: &[u8],
        expected: Option<&str>,
        lang: Lang,
    ) -> Result<ImportPlan> {
        self.apply_of(
            actor,
            bytes,
            true,
            expected,
            lang,
            &mut |_, _| true,
            registry_directory,
        )
    }

    /// The one-step import: applies the file when every row is good, else reports the row
    /// errors (messages in Vietnamese) and writes nothing.
    pub fn import_xlsx(
        &mut self,
        actor: &str,
        bytes: &[u8],
        round_id: Option<&str>,
    ) -> Result<ImportReport> {
        self.import_xlsx_in(actor, bytes, round_id, Lang::Vi)
    }

    /// [`Store::import_xlsx`] with messages in `lang`.
    pub fn import_xlsx_in(
        &mut self,
        actor: &str,
        bytes: &[u8],
        round_id: Option<&str>,
        lang: Lang,
    ) -> Result<ImportReport> {
        let plan = self.import_plan(bytes, round_id, lang)?;
        let mut report = ImportReport {
            ok: false,
            rows: plan.counts.rows,
            owners: 0,
            products: 0,
            dossiers: 0,
            errors: plan
                .rows
                .iter()
                .flat_map(|r| {
                    r.errors.iter().map(|e| ImportRowError {
                        row: r.row,
                        message: e.message.clone(),
                        code: e.code.clone(),
                        params: e.params.clone(),
                    })
                })
                .collect(),
        };
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let done = self.import_apply(actor, bytes, round_id, Some(&plan.fingerprint), lang)?;
        report.ok = true;
        report.owners = done.counts.owners_new;
        report.products = done.counts.products_new;
        report.dossiers = done.counts.dossiers_new;
        Ok(report)
    }
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
