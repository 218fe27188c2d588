//! Frozen means frozen: a finalised round reads the results stored when it was finalised, through
//! a storage type of its own, whatever fields the domain types have gained since; a stored row
//! that does not read is an error, never a recomputation under today's code.

use ocop_core::model::{ProductLine, RoundStatus};
use ocop_core::rules::Level;
use ocop_core::store::stored::{FrozenResults, FROZEN_RESULTS_FORMAT};
use ocop_core::store::Store;
use ocop_core::Lang;

/// `round.results` rows as the first releases wrote them (before `RoundResults` had
/// `blocker_codes`, and before the stored format had a version).
const DEMO: &str = include_str!("fixtures/frozen-results/demo-round-1.json");
const MIXED: &str = include_str!("fixtures/frozen-results/council-mixed.json");

/// (product, mean, band star, final star, eliminated, forwarded to)
type Expect = (&'static str, f64, u8, Option<u8>, bool, Option<Level>);

const DEMO_EXPECT: &[Expect] = &[
    ("Cam Vân Du", 45.5, 2, None, false, None),
    (
        "Chè xanh Bình Sơn",
        92.0,
        5,
        Some(5),
        false,
        Some(Level::Centre),
    ),
    ("Mật ong hoa ban Mường Lát", 78.5, 4, Some(4), false, None),
    ("Nem chua Thanh Hóa", 63.5, 3, Some(3), false, None),
    ("Nước mắm Ba Làng", 254.0 / 3.0, 4, Some(4), false, None),
];

const MIXED_EXPECT: &[Expect] = &[
    ("Chè xanh Bình Sơn", 100.0, 5, None, true, None),
    (
        "Mật ong hoa ban",
        100.0,
        5,
        Some(5),
        false,
        Some(Level::Centre),
    ),
    ("Trà hoa vàng", 14.0, 1, None, false, None),
];

fn check(lines: &[ProductLine], expect: &[Expect]) {
    let got: Vec<Expect> = lines
        .iter()
        .zip(expect)
        .map(|(l, e)| {
            (
                e.0,
                l.result.mean_total.unwrap(),
                l.result.band_star.unwrap(),
                l.result.star,
                l.result.eliminated,
                l.result.forward,
            )
        })
        .collect();
    let names: Vec<&str> = lines.iter().map(|l| l.product_name.as_str()).collect();
    assert_eq!(
        names,
        expect.iter().map(|e| e.0).collect::<Vec<_>>(),
        "products"
    );
    for (g, e) in got.iter().zip(expect) {
        assert_eq!((g.0, g.2, g.3, g.4, g.5), (e.0, e.2, e.3, e.4, e.5));
        assert!((g.1 - e.1).abs() < 1e-9, "{}: mean {} ≠ {}", e.0, g.1, e.1);
    }
}

/// The demo province with its finalised round, and that round's id.
fn finalised_demo() -> (Store, String) {
    let mut s = Store::open_in_memory().unwrap();
    ocop_core::demo::load(&mut s).unwrap();
    let id = s
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status == RoundStatus::Finalised)
        .unwrap()
        .id;
    (s, id)
}

/// Replaces the stored row behind the app's back (as an old release, or damage, would leave it).
fn store_row(s: &Store, round_id: &str, text: Option<&str>) {
    s.conn()
        .execute(
            "UPDATE round SET results = ?2 WHERE id = ?1",
            rusqlite::params![round_id, text],
        )
        .unwrap();
}

#[test]
fn rows_of_the_first_releases_still_read_with_their_means_and_stars() {
    for (text, expect) in [(DEMO, DEMO_EXPECT), (MIXED, MIXED_EXPECT)] {
        let frozen = FrozenResults::parse("r", text).unwrap();
        assert_eq!(frozen.format, 1, "rows without a format are format 1");
        check(&frozen.into_lines(), expect);
    }
    // Every detail the papers print survives: recusal, elimination reason, discussed spread.
    let mixed = FrozenResults::parse("r", MIXED).unwrap().into_lines();
    assert_eq!(
        mixed[0].result.eliminations[0].reason,
        "Phát hiện tạp chất không chấp nhận được"
    );
    assert!(mixed[1].spread_reviewed);
    assert_eq!(
        mixed[2].result.members.iter().filter(|m| m.recused).count(),
        1
    );
    assert_eq!(mixed[2].result.unmet_minima["3"].len(), 4);
}

#[test]
fn fields_added_later_are_defaulted_and_unknown_ones_ignored() {
    // A row from before `person_id` was stored for members, with a field this build does not
    // know (as a later release of the same format might write).
    let mut v: serde_json::Value = serde_json::from_str(MIXED).unwrap();
    for p in v["products"].as_array_mut().unwrap() {
        p["note_from_a_later_release"] = serde_json::json!(1);
        for m in p["members"].as_array_mut().unwrap() {
            m.as_object_mut().unwrap().remove("person_id");
        }
    }
    let lines = FrozenResults::parse("r", &v.to_string())
        .unwrap()
        .into_lines();
    check(&lines, MIXED_EXPECT);
    assert!(lines[0]
        .result
        .members
        .iter()
        .all(|m| m.person_id.is_none()));
}

#[test]
fn a_finalised_round_reads_its_stored_row_not_todays_scoring() {
    let (s, id) = finalised_demo();
    check(&s.round_results(&id).unwrap().products, DEMO_EXPECT);
    // The row of an old release: read as stored, although the round's sheets score otherwise.
    store_row(&s, &id, Some(MIXED));
    let res = s.round_results(&id).unwrap();
    check(&res.products, MIXED_EXPECT);
    assert_eq!(res.round.id, id, "the round itself is the live record");
    assert_eq!(
        res.blocker_codes
            .iter()
            .map(|b| b.code.as_str())
            .collect::<Vec<_>>(),
        ["blocker.finalised"]
    );
    assert_eq!(
        res.in_lang(Lang::En).blockers,
        ["The round is already finalised"]
    );
}

#[test]
fn an_unreadable_stored_row_is_an_error_not_a_recomputation() {
    let (s, id) = finalised_demo();
    let truncated = &DEMO[..DEMO.len() / 2];
    let future = DEMO.replacen(
        '{',
        &format!("{{\"format\":{},", FROZEN_RESULTS_FORMAT + 1),
        1,
    );
    for (what, row) in [
        ("truncated", Some(truncated)),
        ("not results", Some(r#"{"products": "none"}"#)),
        ("a later format", Some(future.as_str())),
        ("missing", None),
    ] {
        store_row(&s, &id, row);
        let err = s
            .round_results(&id)
            .map(|r| r.products.len())
            .expect_err(what);
        assert_eq!(err.code(), "db.stored_unreadable", "{what}: {err}");
        assert!(err.message(Lang::En).contains(&id), "{what}: {err}");
        assert!(
            err.message(Lang::En)
                .starts_with("The stored Round results cannot be read"),
            "{what}: {}",
            err.message(Lang::En)
        );
    }
}

#[test]
fn finalising_writes_the_storage_format_and_reads_it_back() {
    let (s, id) = finalised_demo();
    let text: String = s
        .conn()
        .query_row("SELECT results FROM round WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], FROZEN_RESULTS_FORMAT);
    assert!(v.get("blockers").is_none() && v.get("round").is_none());
    // Freezing the lines read back gives the same row.
    let lines = FrozenResults::parse(&id, &text).unwrap().into_lines();
    assert_eq!(FrozenResults::freeze(&lines).to_json(), text);
    check(&lines, DEMO_EXPECT);
}
