//! The view models survive a JSON round trip, and their tagged rows keep their JSON form, so a
//! paper's content can be saved and compared as a file. They never cross IPC: `papers` maps the
//! store onto them and renders in Rust, and the shell sends only the finished paper's bytes.

mod common;

use common::*;
use ocop_docs::*;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    v: &T,
) {
    let json = serde_json::to_string(v).expect("serialise");
    let back: T = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(&back, v);
}

#[test]
fn models_round_trip_through_json() {
    round_trip(&sheet("qd26_set11.json", "Nguyễn Thị Hường", true));
    round_trip(&summary(7));
    round_trip(&minutes());
    round_trip(&decision());
    round_trip(&certificate(0));
}

#[test]
fn sheet_rows_are_tagged() {
    let row = SheetRow::Option {
        text: "Sạch, không phát hiện tạp chất".into(),
        points: 2.0,
        min_star: Some(4),
        case_label: None,
        ticked: true,
    };
    let json = serde_json::to_value(&row).unwrap();
    assert_eq!(json["kind"], "option");
    assert_eq!(json["min_star"], 4);
    // Optional fields may be left out.
    let back: SheetRow =
        serde_json::from_str(r#"{"kind":"option","text":"Có","points":1}"#).unwrap();
    assert!(matches!(
        back,
        SheetRow::Option {
            ticked: false,
            min_star: None,
            ..
        }
    ));
    let d: chrono::NaiveDate = serde_json::from_str("\"2026-11-23\"").unwrap();
    assert_eq!(vn_long_date(d), "ngày 23 tháng 11 năm 2026");
}
