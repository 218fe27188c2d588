//! `ocop`: the command line of OCOP Council, for scripts, checks and other offices.
//!
//! JSON output (`--json`) is a public contract: fields may be added, never renamed or dropped.
//! Messages are Vietnamese by default (`--lang en` for English). On error nothing is printed on
//! stdout and the exit code is non-zero.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ocop_core::criteria::{Catalog, Criterion, ProductSet};
use ocop_core::error::cli_msg;
use ocop_core::score_input::{parse_request, score};
use ocop_core::store::Store;
use ocop_core::{CoreError, Lang};
use serde::Serialize;

mod cmd_backup;
mod cmd_bundle;
mod cmd_criteria;
mod cmd_import;
mod cmd_papers;
mod cmd_registry;
mod cmd_room;
mod cmd_round;

#[derive(Parser)]
#[command(
    name = "ocop",
    version = ocop_core::app::version_line(),
    about = "OCOP Council: bộ tiêu chí, chấm điểm, đợt đánh giá, in ấn"
)]
struct Cli {
    /// Ngôn ngữ thông báo / message language: vi, en
    #[arg(long, global = true, default_value = "vi")]
    lang: Lang,
    /// Thư mục dữ liệu (mặc định: thư mục của ứng dụng)
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Bộ tiêu chí: list, show, check
    Criteria {
        #[command(subcommand)]
        command: CriteriaCommand,
    },
    /// Chấm một sản phẩm từ các phiếu (JSON) và in kết quả của Hội đồng
    Score {
        /// Tệp JSON đầu vào, hoặc - để đọc từ stdin
        #[arg(long)]
        input: String,
        /// In JSON (mặc định khi không phải terminal)
        #[arg(long)]
        json: bool,
    },
    /// Dữ liệu mẫu
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Đợt đánh giá: list, results
    Round {
        #[command(subcommand)]
        command: RoundCommand,
    },
    /// Nhật ký kiểm toán
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// In giấy tờ của một đợt: sheet, blank-sheet, summary, minutes, decision, certificates,
    /// summary-xlsx, recognised-xlsx. Ra quyết định lần đầu ký giấy chứng nhận: cần cụm mật khẩu
    /// của cơ quan trong biến môi trường OCOP_PASSPHRASE
    Print {
        kind: String,
        /// Mã đợt hoặc một phần tên đợt
        #[arg(long)]
        round: String,
        /// Chỉ một sản phẩm (mã hoặc một phần tên)
        #[arg(long)]
        product: Option<String>,
        /// Ngày ký quyết định công nhận khi ra quyết định lần đầu (YYYY-MM-DD; mặc định hôm nay)
        #[arg(long)]
        date: Option<String>,
        /// Tệp ra (.pdf hoặc .xlsx)
        #[arg(long)]
        out: PathBuf,
        /// In JSON {kind, path, bytes}; lỗi là đối tượng {code, message, params}
        #[arg(long)]
        json: bool,
    },
    /// Kiểm tra mã QR của giấy chứng nhận (dán nội dung, --input tệp/-, hoặc --image ảnh chụp/bản quét)
    Verify {
        payload: Option<String>,
        #[arg(long)]
        input: Option<String>,
        /// Ảnh chụp hoặc bản quét (PNG, JPEG) của giấy chứng nhận: đọc mã QR trong ảnh
        #[arg(long)]
        image: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Nhập chủ thể, sản phẩm (và hồ sơ vào một đợt) từ tệp Excel, tất cả hoặc không gì cả;
    /// in kế hoạch nhập (mới, cập nhật cũ → mới, không đổi)
    Import {
        /// Tệp .xlsx theo mẫu cột của ứng dụng
        file: PathBuf,
        /// Đợt nhận hồ sơ (mã hoặc một phần tên đợt)
        #[arg(long)]
        round: Option<String>,
        /// Chỉ in kế hoạch, không ghi gì
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Sổ theo dõi sản phẩm OCOP của tỉnh: list, due, import
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Thu hồi giấy chứng nhận (Điều 8 Quyết định 26/2026/QĐ-TTg)
    Revoke {
        /// Số giấy chứng nhận
        certificate: String,
        /// Căn cứ: a, b, c, d, đ (hoặc dd), e
        #[arg(long)]
        ground: String,
        /// Số quyết định thu hồi
        #[arg(long)]
        decision: String,
        /// Ngày quyết định (YYYY-MM-DD)
        #[arg(long)]
        date: String,
        /// Ngày có kết luận của cơ quan có thẩm quyền (thời hạn 15 ngày)
        #[arg(long)]
        concluded: Option<String>,
        /// Lý do
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Gói trao đổi có chữ ký giữa các cơ quan: export, inspect, import
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// Danh sách thu hồi ký bằng khóa của cơ quan: export, import, list
    Revocations {
        #[command(subcommand)]
        command: RevocationsCommand,
    },
    /// Kế hoạch (chỉ tiêu theo địa bàn × năm × hạng sao): import, show
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Số liệu tổng quan của một năm (JSON)
    Dashboard {
        #[arg(long)]
        year: i32,
        /// year, h1, h2, q1–q4 hoặc YYYY-MM-DD:YYYY-MM-DD
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Báo cáo kết quả thực hiện Chương trình OCOP (.pdf hoặc .xlsx theo đuôi tệp)
    Report {
        #[arg(long)]
        year: i32,
        /// year, h1, h2, q1–q4 hoặc YYYY-MM-DD:YYYY-MM-DD
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Phòng chấm: máy chủ HTTPS trên mạng nội bộ để thành viên chấm trên thiết bị của mình
    Room {
        #[command(subcommand)]
        command: RoomCommand,
    },
    /// Sao lưu và khôi phục: create, verify, restore, list, auto
    Backup {
        #[command(subcommand)]
        command: BackupCommand,
    },
    /// Thông tin cơ quan ban hành giấy tờ
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
}

#[derive(Subcommand)]
enum RoomCommand {
    /// Mở phòng chấm cho một đợt đang chấm và chạy đến khi dừng (Ctrl-C hoặc SIGTERM)
    Open {
        #[arg(long)]
        round: String,
        /// Địa chỉ và cổng lắng nghe
        #[arg(long, default_value = "0.0.0.0:8443")]
        bind: std::net::SocketAddr,
        /// Tên hoặc địa chỉ máy trong đường dẫn gửi thành viên (mặc định: địa chỉ mạng nội bộ)
        #[arg(long)]
        host: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Sao lưu cơ sở dữ liệu và tệp đính kèm vào một tệp (kiểm tra lại trước khi ghi xong)
    Create {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Kiểm tra một bản sao lưu: nguyên vẹn không, lập lúc nào, có những gì
    Verify {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Thay toàn bộ dữ liệu bằng một bản sao lưu (cần --yes; dữ liệu hiện tại được sao lưu trước)
    Restore {
        file: PathBuf,
        /// Xác nhận thay dữ liệu hiện tại
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Các bản sao lưu trong thư mục dữ liệu và thư mục đã chọn, mới nhất trước
    List {
        #[arg(long)]
        json: bool,
    },
    /// Sao lưu tự động hằng ngày nếu đã đến hạn (như ứng dụng làm mỗi giờ), giữ N bản mới nhất
    Auto {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// In thông tin cơ quan và khóa công khai (JSON)
    Show {
        /// JSON (luôn là JSON)
        #[arg(long)]
        json: bool,
    },
    /// Lưu thông tin cơ quan từ tệp JSON (hoặc - đọc stdin)
    Set {
        #[arg(long)]
        input: String,
    },
    /// Khóa ký giấy chứng nhận: init, passphrase, rotate (cụm mật khẩu lấy từ OCOP_PASSPHRASE)
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Cấp mã QR gọn (OCOP2) cho giấy chứng nhận đã cấp trước đây, để bản in lại quét được dễ
    /// (cụm mật khẩu lấy từ OCOP_PASSPHRASE; JSON {added})
    CompactCodes {
        #[arg(long)]
        json: bool,
    },
    /// Tin cậy khóa công khai của một cơ quan khác
    Trust {
        /// Tên cơ quan cấp (hiển thị khi kiểm tra)
        #[arg(long)]
        name: String,
        /// Khóa công khai: 64 chữ số hex
        #[arg(long)]
        public_key: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RegistryCommand {
    /// Liệt kê giấy chứng nhận (JSON: {format, total, offset, entries})
    List {
        /// valid, window_open, window_missed, expired, revoked, superseded
        #[arg(long)]
        status: Option<String>,
        /// Tìm theo tên sản phẩm, chủ thể, số giấy, số quyết định
        #[arg(long)]
        query: Option<String>,
        #[arg(long)]
        star: Option<u8>,
        /// Năm quyết định công nhận
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        offset: Option<u32>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Giấy chứng nhận mở hoặc hết hạn nộp công nhận lại trong 30 ngày tới
    Due {
        #[arg(long)]
        json: bool,
    },
    /// Nhập danh sách sản phẩm đã được công nhận (.xlsx), tất cả hoặc không gì cả
    Import {
        file: PathBuf,
        /// Gán một cột chưa nhận ra cho một trường: "Tiêu đề=trường" (ghi nhớ cho lần sau)
        #[arg(long = "map")]
        map: Vec<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Ghi gói trao đổi, ký bằng khóa của cơ quan (cụm mật khẩu trong OCOP_PASSPHRASE)
    Export {
        /// Đợt đánh giá (mã hoặc một phần tên)
        #[arg(long)]
        round: Option<String>,
        /// Sản phẩm (mã, mã số hoặc một phần tên); lặp lại cho nhiều sản phẩm
        #[arg(long = "product", num_args = 1..)]
        products: Vec<String>,
        /// commune_to_province, district_to_province, province_to_centre, centre_to_province,
        /// decisions_to_commune, revocations
        #[arg(long)]
        purpose: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Xem gói: cơ quan gửi, mã khóa, đã tin cậy chưa, mục đích, số bản ghi và kế hoạch nhập
    Inspect {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Nhập gói: kiểm tra chữ ký và mọi mã băm trước khi ghi, rồi ghi tất cả trong một giao dịch
    Import {
        file: PathBuf,
        /// Chỉ in kế hoạch, không ghi gì
        #[arg(long)]
        dry_run: bool,
        /// Tin cậy cơ quan gửi chưa biết (lần đầu)
        #[arg(long)]
        trust: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RevocationsCommand {
    /// Ghi danh sách thu hồi của cơ quan, ký bằng khóa (cụm mật khẩu trong OCOP_PASSPHRASE)
    Export {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Nhập danh sách thu hồi của một cơ quan khác (khóa của cơ quan đó phải được tin cậy)
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Liệt kê các quyết định thu hồi (của cơ quan và đã nhập)
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Nhập chỉ tiêu từ .xlsx (cột địa bàn, tổng, 5 sao, 4 sao, 3 sao)
    Import {
        file: PathBuf,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Chỉ tiêu của một năm
    Show {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Tạo khóa ký dưới cụm mật khẩu OCOP_PASSPHRASE (hoặc bảo vệ khóa cũ chưa có cụm mật khẩu)
    Init {
        #[arg(long)]
        json: bool,
    },
    /// Đổi cụm mật khẩu: OCOP_PASSPHRASE (hiện tại) → OCOP_NEW_PASSPHRASE
    Passphrase {
        #[arg(long)]
        json: bool,
    },
    /// Tạo khóa mới (cần OCOP_PASSPHRASE); khóa cũ được giữ để kiểm tra giấy đã cấp
    Rotate {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Nạp tỉnh mẫu (dữ liệu mẫu): Hội đồng, chủ thể, sản phẩm, một đợt đã kết thúc, một đợt đang chấm
    Load {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RoundCommand {
    /// Liệt kê các đợt đánh giá
    List {
        #[arg(long)]
        json: bool,
    },
    /// Kết quả của một đợt (mã hoặc một phần tên đợt)
    Results {
        round: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Kiểm tra chuỗi băm của nhật ký
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Liệt kê các mục nhật ký, mới nhất trước
    List {
        /// Chỉ các mục của một đợt (mã hoặc một phần tên đợt)
        #[arg(long)]
        round: Option<String>,
        /// Chỉ các mục về một loại đối tượng (round, score_sheet, dossier, product, person …)
        #[arg(long)]
        entity: Option<String>,
        /// Chỉ các mục về một đối tượng (mã)
        #[arg(long)]
        entity_id: Option<String>,
        /// Số mục tối đa (mặc định 500)
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CriteriaCommand {
    /// Liệt kê các quyết định và bộ sản phẩm
    List {
        #[arg(long)]
        json: bool,
    },
    /// Hiển thị phiếu đánh giá của một bộ sản phẩm
    Show {
        /// QD148-2023 hoặc QD26-2026
        decision: String,
        /// Số bộ sản phẩm (01–26) hoặc mã phân nhóm (I.5.a)
        set: String,
        #[arg(long)]
        json: bool,
    },
    /// Kiểm tra dữ liệu bộ tiêu chí (thư mục hoặc tệp); mặc định: dữ liệu tích hợp
    Check { path: Option<PathBuf> },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    match run(cli) {
        Ok(out) => {
            if !out.is_empty() {
                // A reader that stops early (`ocop audit list --json | head`) closes the pipe: the
                // rest is not wanted, which is no failure (`println!` panicked there).
                let mut stdout = std::io::stdout().lock();
                if let Err(e) = writeln!(stdout, "{out}").and_then(|()| stdout.flush()) {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        eprintln!("{e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(Failure { error: e, rows }) => {
            let (rows, lines) = match rows {
                Some(r) => (Some(r.json), r.lines),
                None => (None, Vec::new()),
            };
            if std::env::args().any(|a| a == "--json") {
                // Scripts read the error object: {code, message, params} (and `rows` when the
                // refusal is about rows of an input file).
                let mut v = serde_json::to_value(e.to_dto(lang)).expect("error serialises");
                if let Some(rows) = rows {
                    v["rows"] = rows;
                }
                eprintln!("{v}");
            } else {
                let prefix = if lang == Lang::En { "error" } else { "lỗi" };
                eprintln!("{prefix}: {}", e.message(lang));
                for line in lines {
                    eprintln!("{line}");
                }
            }
            // 2: the input was refused; 1: the machine failed (file, database).
            ExitCode::from(match e {
                CoreError::Io { .. } | CoreError::Db(_) => 1,
                _ => 2,
            })
        }
    }
}

/// Why a command failed: the error, and for a refused input file the errors of its rows.
pub(crate) struct Failure {
    pub error: CoreError,
    pub rows: Option<Box<RowErrors>>,
}

pub(crate) struct RowErrors {
    /// Added to the JSON error object as `rows`.
    pub json: serde_json::Value,
    /// Printed after the message without `--json`.
    pub lines: Vec<String>,
}

impl From<CoreError> for Failure {
    fn from(error: CoreError) -> Failure {
        Failure { error, rows: None }
    }
}

fn open_store(data_dir: Option<PathBuf>) -> Result<Store, CoreError> {
    Store::open_data_dir(&data_dir.unwrap_or_else(ocop_core::store::default_data_dir))
}

fn run(cli: Cli) -> Result<String, Failure> {
    match cli.command {
        Command::Import {
            file,
            round,
            dry_run,
            json,
        } => cmd_import::run(
            &mut open_store(cli.data_dir)?,
            &file,
            round.as_deref(),
            dry_run,
            json,
            cli.lang,
        ),
        Command::Registry {
            command:
                RegistryCommand::Import {
                    file,
                    map,
                    dry_run,
                    json,
                },
        } => cmd_registry::import(
            &mut open_store(cli.data_dir)?,
            &file,
            &map,
            dry_run,
            json,
            cli.lang,
        ),
        Command::Plan {
            command:
                PlanCommand::Import {
                    file,
                    year,
                    dry_run,
                    json,
                },
        } => cmd_registry::plan_import(
            &mut open_store(cli.data_dir)?,
            &file,
            year,
            dry_run,
            json,
            cli.lang,
        ),
        command => Ok(run_command(command, cli.lang, cli.data_dir)?),
    }
}

fn run_command(
    command: Command,
    lang: Lang,
    data_dir: Option<PathBuf>,
) -> Result<String, CoreError> {
    match command {
        Command::Criteria { command } => match command {
            CriteriaCommand::List { json } => Ok(cmd_criteria::list(Catalog::builtin(), json)),
            CriteriaCommand::Show {
                decision,
                set,
                json,
            } => {
                let set = Catalog::builtin().set(&decision, &set)?;
                Ok(cmd_criteria::show(set, json))
            }
            CriteriaCommand::Check { path } => cmd_criteria::check(path.as_deref(), lang),
        },
        Command::Score { input, json } => {
            let text = read_input(&input)?;
            let req = parse_request(&text, &input)?;
            let report = score(Catalog::builtin(), &req)?;
            if json || !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                Ok(to_json(&report))
            } else {
                Ok(cmd_criteria::describe_result(&report, lang))
            }
        }
        Command::Demo {
            command: DemoCommand::Load { json },
        } => cmd_round::demo_load(&mut open_store(data_dir)?, json),
        Command::Round { command } => {
            let store = open_store(data_dir)?;
            match command {
                RoundCommand::List { json } => cmd_round::list(&store, json, lang),
                RoundCommand::Results { round, json } => {
                    cmd_round::results(&store, &round, json, lang)
                }
            }
        }
        Command::Audit { command } => match command {
            AuditCommand::Verify { json } => {
                cmd_round::audit_verify(&open_store(data_dir)?, json, lang)
            }
            AuditCommand::List {
                round,
                entity,
                entity_id,
                limit,
                json,
            } => {
                let store = open_store(data_dir)?;
                let round_id = match round {
                    Some(key) => Some(cmd_round::find_round(&store, &key)?.id),
                    None => None,
                };
                let filter = ocop_core::model::AuditFilter {
                    round_id,
                    entity,
                    entity_id,
                    limit,
                    ..Default::default()
                };
                cmd_round::audit_list(&store, &filter, json)
            }
        },
        Command::Print {
            kind,
            round,
            product,
            date,
            out,
            json,
        } => cmd_papers::print(
            &mut open_store(data_dir)?,
            cmd_papers::PrintRequest {
                kind: &kind,
                round: &round,
                product: product.as_deref(),
                date: date.as_deref(),
                out: &out,
            },
            json,
            lang,
        ),
        Command::Verify {
            payload,
            input,
            image,
            json,
        } => {
            let payload = match (payload, input, image) {
                (Some(p), _, _) => p,
                (None, Some(i), _) => read_input(&i)?,
                (None, None, Some(img)) => ocop_docs::scan::certificate_code(&img)?,
                (None, None, None) => return Err(cli_msg::NEED_PAYLOAD.err()),
            };
            cmd_papers::verify(&open_store(data_dir)?, &payload, json, lang)
        }
        Command::Room { command } => match command {
            RoomCommand::Open {
                round,
                bind,
                host,
                json,
            } => cmd_room::open(
                &data_dir.unwrap_or_else(ocop_core::store::default_data_dir),
                &round,
                bind,
                host,
                json,
                lang,
            ),
        },
        Command::Backup { command } => {
            let dir = data_dir.unwrap_or_else(ocop_core::store::default_data_dir);
            match command {
                BackupCommand::Create { out, json } => cmd_backup::create(&dir, &out, json, lang),
                BackupCommand::Verify { file, json } => cmd_backup::verify(&file, json, lang),
                BackupCommand::Restore { file, yes, json } => {
                    cmd_backup::restore(&dir, &file, yes, json, lang)
                }
                BackupCommand::List { json } => cmd_backup::list(&dir, json, lang),
                BackupCommand::Auto { json } => cmd_backup::auto(&dir, json, lang),
            }
        }
        Command::Office { command } => match command {
            OfficeCommand::Show { json: _ } => cmd_papers::office_show(&open_store(data_dir)?),
            OfficeCommand::Set { input } => {
                cmd_papers::office_set(&mut open_store(data_dir)?, &read_input(&input)?)
            }
            OfficeCommand::Key { command } => {
                let store = &mut open_store(data_dir)?;
                // The output is JSON with or without --json.
                match command {
                    KeyCommand::Init { json: _ } => cmd_papers::key_init(store),
                    KeyCommand::Passphrase { json: _ } => cmd_papers::key_passphrase(store),
                    KeyCommand::Rotate { json: _ } => cmd_papers::key_rotate(store),
                }
            }
            OfficeCommand::CompactCodes { json: _ } => {
                cmd_papers::compact_codes(&mut open_store(data_dir)?)
            }
            OfficeCommand::Trust {
                name,
                public_key,
                json: _,
            } => cmd_papers::trust(&mut open_store(data_dir)?, &name, &public_key),
        },
        Command::Registry { command } => match command {
            RegistryCommand::List {
                status,
                query,
                star,
                year,
                offset,
                limit,
                json,
            } => cmd_registry::list(
                &open_store(data_dir)?,
                cmd_registry::ListArgs {
                    status,
                    query,
                    star,
                    year,
                    offset,
                    limit,
                },
                json,
                lang,
            ),
            RegistryCommand::Due { json } => cmd_registry::due(&open_store(data_dir)?, json),
            RegistryCommand::Import { .. } => unreachable!("handled by run"),
        },
        Command::Revoke {
            certificate,
            ground,
            decision,
            date,
            concluded,
            reason,
            json,
        } => cmd_registry::revoke(
            &mut open_store(data_dir)?,
            cmd_registry::RevokeArgs {
                certificate,
                ground,
                decision,
                date,
                concluded,
                reason,
            },
            json,
        ),
        Command::Bundle { command } => {
            let dir = data_dir.unwrap_or_else(ocop_core::store::default_data_dir);
            let mut store = Store::open_data_dir(&dir)?;
            match command {
                BundleCommand::Export {
                    round,
                    products,
                    purpose,
                    out,
                    json,
                } => cmd_bundle::export(
                    &mut store,
                    &dir,
                    round.as_deref(),
                    &products,
                    &purpose,
                    &out,
                    json,
                ),
                BundleCommand::Inspect { file, json } => {
                    cmd_bundle::inspect(&store, &file, json, lang)
                }
                BundleCommand::Import {
                    file,
                    dry_run,
                    trust,
                    json,
                } => cmd_bundle::import(&mut store, &dir, &file, trust, dry_run, json, lang),
            }
        }
        Command::Revocations { command } => match command {
            RevocationsCommand::Export { out, json } => {
                cmd_registry::export(&open_store(data_dir)?, &out, json)
            }
            RevocationsCommand::Import { file, json } => {
                cmd_registry::import_revocations(&mut open_store(data_dir)?, &file, json)
            }
            RevocationsCommand::List { json } => {
                cmd_registry::list_revocations(&open_store(data_dir)?, json)
            }
        },
        Command::Plan { command } => match command {
            PlanCommand::Show { year, json: _ } => {
                Ok(to_json(&open_store(data_dir)?.plan_targets(Some(year))?))
            }
            PlanCommand::Import { .. } => unreachable!("handled by run"),
        },
        Command::Dashboard {
            year,
            period,
            json: _,
        } => cmd_registry::dashboard(&open_store(data_dir)?, year, period.as_deref()),
        Command::Report {
            year,
            period,
            out,
            json,
        } => cmd_registry::report(&open_store(data_dir)?, year, period.as_deref(), &out, json),
        Command::Import { .. } => unreachable!("handled by run"),
    }
}

fn read_input(input: &str) -> Result<String, CoreError> {
    let mut text = String::new();
    if input == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CoreError::Io {
                path: "stdin".into(),
                reason: e.to_string(),
            })?;
    } else {
        text = std::fs::read_to_string(input).map_err(|e| CoreError::Io {
            path: input.into(),
            reason: e.to_string(),
        })?;
    }
    Ok(text)
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("output serialises")
}

/// Leaves with their part, for `criteria show`.
pub(crate) fn leaves_by_part(set: &ProductSet) -> Vec<(&str, Vec<&Criterion>)> {
    let leaves = set.leaves();
    set.parts
        .iter()
        .map(|p| {
            (
                p.code.as_str(),
                leaves
                    .iter()
                    .filter(|l| l.part == p.code)
                    .map(|l| l.criterion)
                    .collect(),
            )
        })
        .collect()
}
