//! The council room's rules and boundary types, pure: what the hub (`ocop-room`) and the member's
//! page exchange (`API.md` of that crate), the short pairing code, the answer's compare-and-set,
//! and how a device is named in the audit log. The SQL is `store/room.rs`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::SheetStatus;
use crate::rules::Role;

/// The version of every room type on the wire.
pub const ROOM_FORMAT: u32 = 1;

pub mod msg {
    crate::messages! {
        UNPAIRED = "room.unpaired" {
            vi: "Thiết bị này chưa được ghép với thành viên nào của phòng chấm",
            en: "This device is not paired with a member of the council room",
        }
        BAD_TOKEN = "room.bad_token" {
            vi: "Mã ghép không đúng hoặc đã hết hạn; đề nghị thư ký cấp mã mới",
            en: "The pairing code is wrong or has expired; ask the secretary for a new one",
        }
        TOKEN_USED = "room.token_used" {
            vi: "Mã ghép này đã được dùng cho một thiết bị khác; đề nghị thư ký cấp mã mới",
            en: "This pairing code has already been used by another device; ask the secretary for a new one",
        }
        CODES_LOCKED = "room.codes_locked" {
            vi: "Nhập sai mã quá nhiều lần; thử lại sau {seconds} giây",
            en: "Too many wrong codes; try again in {seconds} seconds",
        }
        CLOSED = "room.closed" {
            vi: "Phòng chấm đã đóng; mọi mã ghép đã hết hiệu lực",
            en: "The council room is closed; every pairing has ended",
        }
        REVOKED = "room.revoked" {
            vi: "Thư ký đã thu hồi việc ghép thiết bị này",
            en: "The secretary has revoked this device's pairing",
        }
        NOT_YOUR_SHEET = "room.not_your_sheet" {
            vi: "Phiếu này không phải của thành viên đã ghép với thiết bị",
            en: "This sheet does not belong to the member paired with this device",
        }
        NOT_IN_ROOM = "room.not_in_room" {
            vi: "Không có {what} này trong đợt của phòng chấm",
            en: "There is no such {what} in the council room's round",
        }
        STALE = "room.stale" {
            vi: "Câu trả lời cho tiêu chí {criterion} đã được thay đổi ở nơi khác; phiếu đã được tải lại",
            en: "The answer to criterion {criterion} was changed elsewhere; the sheet has been reloaded",
        }
        REPLAYED = "room.replayed" {
            vi: "Yêu cầu này đã được ghi nhận trước đó; không ghi lại lần nữa",
            en: "This request was already recorded; it is not applied again",
        }
        BAD_REQUEST = "room.bad_request" {
            vi: "Yêu cầu không hợp lệ: {detail}",
            en: "Malformed request: {detail}",
        }
        NOT_SCORING = "room.not_scoring" {
            vi: "Chỉ mở được phòng chấm khi đợt đang chấm điểm",
            en: "A council room can be opened only while the round is scoring",
        }
        NO_MEMBERS = "room.no_members" {
            vi: "Đợt chưa có thành viên nào có mặt để chấm điểm",
            en: "The round has no member present to score",
        }
        ALREADY_OPEN = "room.already_open" {
            vi: "Phòng chấm đang mở; đóng phòng trước khi mở lại",
            en: "A council room is already open; close it before opening another",
        }
        NOT_OPEN = "room.not_open" {
            vi: "Chưa mở phòng chấm",
            en: "No council room is open",
        }
        BIND_FAILED = "room.bind_failed" {
            vi: "Không mở được cổng {addr}: {reason}",
            en: "Could not listen on {addr}: {reason}",
        }
        TLS_FAILED = "room.tls_failed" {
            vi: "Không tạo được chứng chỉ của phòng chấm: {reason}",
            en: "Could not make the council room's certificate: {reason}",
        }
        NO_PAGE = "room.no_page" {
            vi: "Bản dựng này không có trang chấm của thành viên (chưa dựng giao diện)",
            en: "This build has no member page (the interface was not built)",
        }
        NOT_PAIRED_MEMBER = "room.not_a_member" {
            vi: "{member} không có trong danh sách chấm của phòng",
            en: "{member} is not on the room's list of scoring members",
        }
        ENTITY_PAIRING = "room.entity_pairing" {
            vi: "việc ghép thiết bị",
            en: "device pairing",
        }
        ENTITY_PRODUCT = "room.entity_product" {
            vi: "sản phẩm",
            en: "product",
        }
        ENTITY_ATTACHMENT = "room.entity_attachment" {
            vi: "tệp đính kèm",
            en: "attachment",
        }
    }
}

/// The round as the room shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomRound {
    pub id: String,
    pub name: String,
    pub status: crate::model::RoundStatus,
}

/// A member as the room names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomMember {
    pub id: String,
    pub name: String,
    pub role: Role,
}

/// `GET /api/v1/room`: what anyone on the network may see (no secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomPublic {
    pub format: u32,
    pub round: RoomRound,
    pub fingerprint: String,
    pub open: bool,
}

/// `POST /api/v1/pair`: what a device receives once, when it is paired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Pairing {
    pub format: u32,
    /// The device's session secret (bearer token); the hub keeps only its hash.
    pub session: String,
    pub pairing_id: String,
    pub member: RoomMember,
    pub round: RoomRound,
    pub fingerprint: String,
    /// Ed25519 secret key (hex) that signs the member's fallback file; the hub keeps its public key.
    pub signing_key: String,
}

/// Where a member's sheet for a product stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberSheetSummary {
    pub id: String,
    pub status: SheetStatus,
    pub answered: u32,
    pub total: u32,
    pub complete: bool,
    pub signed_at: Option<String>,
}

/// One product of the round, as one member sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberProduct {
    pub product_id: String,
    pub name: String,
    pub owner: String,
    pub decision_id: String,
    pub set_code: String,
    pub sheet_sha256: String,
    pub recused: bool,
    pub sheet: Option<MemberSheetSummary>,
}

/// `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberView {
    pub format: u32,
    pub member: RoomMember,
    pub round: RoomRound,
    pub fingerprint: String,
    pub products: Vec<MemberProduct>,
}

/// A member's way in: the URL (with the one-time token in its fragment), the short code and the QR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomMemberLink {
    /// The member's person id.
    pub member: String,
    pub name: String,
    pub role: Role,
    pub url: String,
    /// The short code, `ABCD-EFGH`.
    pub code: String,
    /// The URL as a QR code (SVG markup).
    pub qr_svg: String,
}

/// What opening a room returns (and `ocop room open --json` prints, in part).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomInfo {
    pub format: u32,
    pub room_id: String,
    pub round: RoomRound,
    /// The hub's address for the join page (typed codes).
    pub url: String,
    /// SHA-256 of the hub's certificate (DER), lowercase hex.
    pub fingerprint: String,
    pub members: Vec<RoomMemberLink>,
}

/// A device paired in the room, as the live board shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardPairing {
    pub pairing_id: String,
    pub device: String,
    pub paired_at: String,
    pub last_contact: String,
}

/// One member's sheet of one product on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardCell {
    pub product_id: String,
    pub recused: bool,
    pub answered: u32,
    pub total: u32,
    pub status: Option<SheetStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardMember {
    pub member: RoomMember,
    pub pairing: Option<BoardPairing>,
    /// Whether the member's one-time link is still unused.
    pub link_waiting: bool,
    pub cells: Vec<BoardCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardProduct {
    pub id: String,
    pub name: String,
    /// The council's spread is over the round's limit (flagged as soon as sheets are complete).
    pub spread_flag: bool,
    pub signed: u32,
    pub expected: u32,
}

/// `room_board`: the hub's live view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomBoard {
    pub format: u32,
    pub room_id: String,
    pub round: RoomRound,
    pub url: String,
    pub fingerprint: String,
    pub open: bool,
    pub products: Vec<BoardProduct>,
    pub members: Vec<BoardMember>,
    /// Wrong short codes in the current minute, and whether codes are locked.
    pub wrong_codes: u32,
    pub codes_locked: bool,
}

/// Crockford's base32 alphabet (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The short code for 40 random bits, as shown: `ABCD-EFGH`.
pub fn format_code(bits: u64) -> String {
    let s: String = (0..8)
        .rev()
        .map(|i| CROCKFORD[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("{}-{}", &s[..4], &s[4..])
}

/// A typed code in its canonical form (8 characters, no dash), reading Crockford's confusables
/// (O as 0, I and L as 1), ignoring case, dashes and spaces; `None` if it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(8);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CROCKFORD.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == 8).then_some(out)
}

/// What an answer sent from a device does to the stored option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerWrite {
    /// The stored option is the one the device replaces: write.
    Apply,
    /// It already holds the new option (a resend): nothing to write.
    AlreadyThere,
    /// It changed since the device read it: refuse, and the page refreshes.
    Stale,
}

/// Compare-and-set of one answer: `stored` now, the `replaces` the device names, its new `option`.
pub fn answer_write(
    stored: Option<u32>,
    replaces: Option<u32>,
    option: Option<u32>,
) -> AnswerWrite {
    if stored == option {
        AnswerWrite::AlreadyThere
    } else if stored == replaces {
        AnswerWrite::Apply
    } else {
        AnswerWrite::Stale
    }
}

/// A device's label as the board and the audit show it: the browser's own words, trimmed to 60
/// characters, control characters dropped.
pub fn device_label(raw: &str) -> String {
    let s: String = crate::text::nfc(raw.trim())
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    if s.trim().is_empty() {
        "thiết bị".into()
    } else {
        s.trim().to_string()
    }
}

/// The audit actor of a change made from a paired device.
pub fn actor_label(member: &str, device: &str) -> String {
    format!("{member} · {device} (phòng chấm)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_tolerate_typing() {
        for bits in [0u64, 1, 0xFF_FFFF_FFFF, 0x12_3456_789A] {
            let shown = format_code(bits);
            assert_eq!(shown.len(), 9);
            let back = normalise_code(&shown).unwrap();
            assert_eq!(back, shown.replace('-', ""));
            assert_eq!(normalise_code(&shown.to_lowercase()), Some(back.clone()));
            assert_eq!(normalise_code(&format!(" {} ", back)), Some(back));
        }
        assert_eq!(normalise_code("abcd-efgh"), Some("ABCDEFGH".into()));
        assert_eq!(normalise_code("OIL0-0000"), Some("01100000".into()));
        assert_eq!(normalise_code("ABCD-EFG"), None);
        assert_eq!(normalise_code("ABCD-EFGHJ"), None);
        assert_eq!(
            normalise_code("ABCD-EFGU"),
            None,
            "U is not in the alphabet"
        );
        assert_eq!(normalise_code("ÀBCD-EFGH"), None);
    }

    #[test]
    fn answers_compare_and_set() {
        use AnswerWrite::*;
        // (stored, replaces, option) → outcome
        let cases = [
            (None, None, Some(2), Apply),
            (Some(2), Some(2), Some(3), Apply),
            (Some(3), Some(2), Some(3), AlreadyThere),
            (Some(2), Some(2), None, Apply),
            (None, Some(2), None, AlreadyThere),
            (Some(1), None, Some(2), Stale),
            (Some(1), Some(0), Some(2), Stale),
            (None, Some(1), Some(2), Stale),
        ];
        for (stored, replaces, option, want) in cases {
            assert_eq!(
                answer_write(stored, replaces, option),
                want,
                "{stored:?} {replaces:?} {option:?}"
            );
        }
    }

    #[test]
    fn device_labels_are_tidy() {
        assert_eq!(device_label("  Android · Chrome\n"), "Android · Chrome");
        assert_eq!(device_label("\u{7}"), "thiết bị");
        assert_eq!(device_label(&"x".repeat(200)).chars().count(), 60);
        assert_eq!(
            actor_label("Nguyễn Văn A", "iPad"),
            "Nguyễn Văn A · iPad (phòng chấm)"
        );
    }
}
