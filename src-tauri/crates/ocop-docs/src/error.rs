//! Errors, with messages in Vietnamese (they reach the user as they are).

/// Everything that can go wrong while producing a paper.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// An embedded font could not be read.
    #[error("Không đọc được phông chữ nhúng {0}")]
    Font(&'static str),
    /// Nothing to print.
    #[error("Không có {0} nào để in")]
    Empty(&'static str),
    /// A star rank outside what the paper allows.
    #[error("Hạng sao không hợp lệ: {star} (chỉ chấp nhận {allowed})")]
    InvalidStar {
        /// The star given.
        star: u8,
        /// What the paper accepts, in words.
        allowed: &'static str,
    },
    /// A result row whose member scores do not match the member columns.
    #[error("Dòng \"{product}\" có {got} điểm thành viên, bảng có {expected} thành viên")]
    ScoreCount {
        /// Product name of the row.
        product: String,
        /// Scores in the row.
        got: usize,
        /// Member columns.
        expected: usize,
    },
    /// A date Excel cannot hold.
    #[error("Ngày không hợp lệ: {0}")]
    InvalidDate(String),
    /// The QR payload cannot be encoded (too long).
    #[error("Không tạo được mã QR: {0}")]
    Qr(String),
    /// The PDF writer reported an error.
    #[error("Lỗi khi tạo tệp PDF: {0}")]
    Pdf(String),
    /// The Excel writer reported an error.
    #[error("Lỗi khi tạo tệp Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Result with [`DocError`].
pub type Result<T> = std::result::Result<T, DocError>;
