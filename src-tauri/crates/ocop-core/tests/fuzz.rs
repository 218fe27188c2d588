//! Property-based fuzzing of the parsers that read what other people write: the certificate QR
//! payload (`OCOP1`), the criteria files (`assets/criteria/FORMAT.md`), the `ocop score` input and
//! the three .xlsx imports (records, the registry's list, plan targets). Stable Rust, `proptest`.
//!
//! Every target mixes random inputs with structured mutations of valid ones: byte flips,
//! truncations, insertions; JSON fields deleted, duplicated or replaced by the wrong type, an
//! out-of-range number, a huge string, Vietnamese text (composed and decomposed), odd Unicode; for
//! .xlsx, valid workbooks written with `rust_xlsxwriter` with random cells, cells far away, and
//! mutated zip and XML bytes. The properties:
//! - nothing panics (proptest catches a panic and reports its input, shrunk);
//! - every refusal is a code of the catalogue whose message reads in Vietnamese and in English,
//!   every placeholder filled, and an English message of an ASCII input holds no Vietnamese;
//! - valid inputs are accepted and round-trip (a signed claim verifies to itself, a criteria file
//!   loads back to the same sheet, a score is the sum of the chosen options, an imported workbook
//!   plans as "unchanged" once applied).
//!
//! Cases per target: `OCOP_FUZZ_CASES` (the default keeps `cargo test` fast); `OCOP_FUZZ_SEED`
//! replays a run. `scripts/fuzz.sh` runs the long campaign. Each test prints its count.

use std::cell::{Cell, RefCell};
use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::NaiveDate;
use ed25519_dalek::{Signer, SigningKey};
use proptest::prelude::*;
use proptest::string::string_regex;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

use ocop_core::criteria::{Catalog, Criterion, ProductSet};
use ocop_core::error::{catalogue, CoreError, ErrorDto, Lang, Msg};
use ocop_core::import::{ImportAction, REGISTRY_HEADERS, TEMPLATE_HEADERS};
use ocop_core::office::{
    key_id, sign_claim, sign_qr, verify_payload, CertificateClaim, TrustedKey,
};
use ocop_core::score_input::{parse_request, score};
use ocop_core::store::Store;

// ---------------------------------------------------------------------------------------------
// The runner

/// The number of cases of a target: `OCOP_FUZZ_CASES`, or the target's default.
fn cases(default: u32) -> u32 {
    std::env::var("OCOP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Runs `test` on `cases` inputs of `strategy`; a failure (a broken property or a panic) fails the
/// test with the shrunk input and the seed that replays it.
fn fuzz<S: Strategy>(
    target: &str,
    default: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let n = cases(default);
    let seed = std::env::var("OCOP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: None,
        max_shrink_iters: 4096,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let count = Cell::new(0u64);
    let start = Instant::now();
    let outcome = runner.run(&strategy, |v| {
        count.set(count.get() + 1);
        test(v)
    });
    if let Err(e) = outcome {
        panic!("fuzz target {target} failed (OCOP_FUZZ_SEED={seed}): {e}");
    }
    println!(
        "fuzz target {target}: {n} cases ({} runs) in {:.1} s, seed {seed}",
        count.get(),
        start.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// What a refusal must look like

fn all_messages() -> &'static [Msg] {
    static ALL: OnceLock<Vec<Msg>> = OnceLock::new();
    ALL.get_or_init(catalogue)
}

fn placeholders(t: &str) -> Vec<&str> {
    t.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(k, _)| k))
        .collect()
}

/// A letter only Vietnamese (among the Latin scripts a message uses) writes.
fn is_vietnamese(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic()
}

fn check_words(m: Msg, vi: &str, en: &str, ascii_input: bool) -> Result<(), TestCaseError> {
    prop_assert!(
        !vi.trim().is_empty(),
        "{}: empty Vietnamese message",
        m.code
    );
    prop_assert!(!en.trim().is_empty(), "{}: empty English message", m.code);
    for (text, template) in [(vi, m.vi), (en, m.en)] {
        for p in placeholders(template) {
            prop_assert!(
                !text.contains(&format!("{{{p}}}")),
                "{}: placeholder {{{p}}} left unfilled in {text:?}",
                m.code
            );
        }
    }
    if ascii_input {
        prop_assert!(
            !en.chars().any(is_vietnamese),
            "{}: the English message of an ASCII input holds Vietnamese: {en:?}",
            m.code
        );
    }
    Ok(())
}

/// A refusal: a code of the catalogue, worded in both languages.
fn check_error(e: &CoreError, ascii_input: bool) -> Result<(), TestCaseError> {
    let (m, _) = e.parts();
    prop_assert!(
        all_messages().contains(&m),
        "code {} is not in the catalogue",
        m.code
    );
    check_words(m, &e.message(Lang::Vi), &e.message(Lang::En), ascii_input)
}

/// A coded error as it crosses the boundary (a plan's row errors).
fn check_dto(d: &ErrorDto, ascii_input: bool) -> Result<(), TestCaseError> {
    let Some(m) = all_messages().iter().find(|m| m.code == d.code) else {
        return Err(TestCaseError::fail(format!(
            "code {} is not in the catalogue",
            d.code
        )));
    };
    prop_assert!(!d.message.trim().is_empty(), "{}: empty message", d.code);
    let render = |t: &str| {
        let mut out = t.to_string();
        for (k, v) in &d.params {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    };
    check_words(*m, &render(m.vi), &render(m.en), ascii_input)
}

// ---------------------------------------------------------------------------------------------
// Generators shared by the targets

/// Vietnamese letters, composed, with digits and the punctuation names carry.
const VN: &str = "[a-zA-Z0-9 .,/()àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚĂĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]";

/// Text that is hard to get right: zero-width and bidi marks, stacked combining marks, BOM,
/// NUL and controls, astral characters, case-mapping oddities.
const ODD: &[&str] = &[
    "\u{200B}",
    "\u{202E}cba",
    "\u{FEFF}",
    "e\u{301}\u{301}\u{301}\u{323}",
    "🌾🍵",
    "\u{0}",
    "\t\n\r",
    " ",
    "%s%n",
    "'\"\\",
    "Ǆǅ",
    "ﬁ",
    "İı",
    "ẞß",
    "\u{10FFFF}",
    "\u{D7FF}\u{E000}",
    "Đ\u{0303}",
    "..",
    "-",
    "–",
];

/// A name as people write it (no huge strings): Vietnamese, decomposed, odd Unicode, anything.
fn name_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => string_regex(&format!("{VN}{{1,24}}")).unwrap(),
        2 => any::<String>(),
        1 => string_regex(&format!("{VN}{{1,12}}"))
            .unwrap()
            .prop_map(|s| s.nfd().collect()),
        1 => prop::sample::select(ODD).prop_map(String::from),
    ]
    .boxed()
}

/// Any text, up to huge strings.
fn odd_text() -> BoxedStrategy<String> {
    prop_oneof![
        10 => name_text(),
        1 => (string_regex("[a-zđĐ ]{1,3}").unwrap(), 1000usize..40_000)
            .prop_map(|(s, n)| s.repeat(n)),
    ]
    .boxed()
}

/// One edit of a byte string; positions are taken modulo the length.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Set(usize, u8),
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Repeat(usize, usize),
}

/// Bytes that mean something to JSON, XML, zip and the `OCOP1` format.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b".",
    b"=",
    b"<",
    b">",
    b"/>",
    b"&amp;",
    b"&#0;",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"-1",
    b"1e999",
    b"4294967296",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"\xff\xfe",
    b"\xc3",
    b"\xe1\xba",
    b"r=\"XFD1048576\"",
    b"r=\"A0\"",
    b"t=\"s\"",
    b"<v>99999999</v>",
];

fn edit() -> impl Strategy<Value = Edit> {
    let insert = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(TOKENS).prop_map(|t| t.to_vec()),
    ];
    prop_oneof![
        3 => (any::<usize>(), 0u8..8).prop_map(|(a, b)| Edit::Flip(a, b)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Set(a, b)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        1 => (any::<usize>(), 0usize..64).prop_map(|(a, l)| Edit::Delete(a, l)),
        2 => (any::<usize>(), insert).prop_map(|(a, b)| Edit::Insert(a, b)),
        1 => (any::<usize>(), 0usize..64).prop_map(|(a, l)| Edit::Repeat(a, l)),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 1..5)
}

fn apply_edits(mut v: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let n = v.len();
        match e {
            Edit::Flip(a, b) if n > 0 => v[a % n] ^= 1 << b,
            Edit::Set(a, x) if n > 0 => v[a % n] = *x,
            Edit::Truncate(a) => v.truncate(a % (n + 1)),
            Edit::Delete(a, l) if n > 0 => {
                let s = a % n;
                v.drain(s..(s + l + 1).min(n));
            }
            Edit::Insert(a, b) => {
                let s = a % (n + 1);
                v.splice(s..s, b.iter().copied());
            }
            Edit::Repeat(a, l) if n > 0 => {
                let s = a % n;
                let chunk = v[s..(s + l + 1).min(n)].to_vec();
                let e = s + chunk.len();
                v.splice(e..e, chunk);
            }
            _ => {}
        }
    }
    v
}

/// A value of the wrong kind, or out of range, for whatever a field expects.
#[derive(Debug, Clone)]
enum Wild {
    Null,
    Bool(bool),
    Int(i64),
    Big(u64),
    Float(f64),
    Str(String),
    NumberText,
    EmptyArray,
    EmptyObject,
    Deep(usize),
}

fn wild() -> impl Strategy<Value = Wild> {
    prop_oneof![
        1 => Just(Wild::Null),
        1 => any::<bool>().prop_map(Wild::Bool),
        1 => prop_oneof![
            Just(-1i64),
            Just(0),
            Just(6),
            Just(256),
            Just(65536),
            Just(4_294_967_295),
            Just(4_294_967_296),
            Just(i64::MIN),
            Just(i64::MAX),
            any::<i64>(),
        ]
        .prop_map(Wild::Int),
        1 => prop_oneof![Just(u64::MAX), Just(u32::MAX as u64 * 2)].prop_map(Wild::Big),
        1 => prop_oneof![Just(0.5), Just(1e300), Just(-0.0), Just(3.0000001), -1e6f64..1e6]
            .prop_map(Wild::Float),
        2 => odd_text().prop_map(Wild::Str),
        1 => Just(Wild::NumberText),
        1 => Just(Wild::EmptyArray),
        1 => Just(Wild::EmptyObject),
        1 => (100usize..400).prop_map(Wild::Deep),
    ]
}

impl Wild {
    fn value(&self, old: &Value) -> Value {
        match self {
            Wild::Null => Value::Null,
            Wild::Bool(b) => json!(b),
            Wild::Int(i) => json!(i),
            Wild::Big(u) => json!(u),
            Wild::Float(f) => json!(f),
            Wild::Str(s) => json!(s),
            Wild::NumberText => match old {
                Value::Number(n) => json!(n.to_string()),
                Value::String(s) => s.parse::<f64>().map(|f| json!(f)).unwrap_or(json!(0)),
                _ => json!("1"),
            },
            Wild::EmptyArray => json!([]),
            Wild::EmptyObject => json!({}),
            Wild::Deep(n) => {
                let mut v = json!(1);
                for _ in 0..*n {
                    v = json!([v]);
                }
                v
            }
        }
    }
}

/// One structural edit of a JSON document; the node is taken modulo the number of nodes.
#[derive(Debug, Clone)]
enum JsonEdit {
    Remove(usize),
    Replace(usize, Wild),
    Duplicate(usize),
    Rename(usize, String),
}

fn json_edit() -> impl Strategy<Value = JsonEdit> {
    prop_oneof![
        2 => any::<usize>().prop_map(JsonEdit::Remove),
        4 => (any::<usize>(), wild()).prop_map(|(a, w)| JsonEdit::Replace(a, w)),
        1 => any::<usize>().prop_map(JsonEdit::Duplicate),
        1 => (any::<usize>(), name_text()).prop_map(|(a, s)| JsonEdit::Rename(a, s)),
    ]
}

fn json_edits() -> impl Strategy<Value = Vec<JsonEdit>> {
    prop::collection::vec(json_edit(), 1..4)
}

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Seg::Key(k.clone()));
                out.push(here.clone());
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Seg::Index(i));
                out.push(here.clone());
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, s| match s {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

fn apply_json_edits(v: &mut Value, edits: &[JsonEdit]) {
    for e in edits {
        let mut all = Vec::new();
        paths(v, &mut Vec::new(), &mut all);
        if all.is_empty() {
            return;
        }
        let at = match e {
            JsonEdit::Remove(a)
            | JsonEdit::Replace(a, _)
            | JsonEdit::Duplicate(a)
            | JsonEdit::Rename(a, _) => *a,
        };
        let path = &all[at % all.len()];
        let (last, parent) = path.split_last().expect("a node below the root");
        let Some(parent) = node(v, parent) else {
            continue;
        };
        match (e, last, parent) {
            (JsonEdit::Remove(_), Seg::Key(k), Value::Object(m)) => {
                m.remove(k);
            }
            (JsonEdit::Remove(_), Seg::Index(i), Value::Array(a)) => {
                a.remove(*i);
            }
            (JsonEdit::Duplicate(_), Seg::Index(i), Value::Array(a)) => {
                let x = a[*i].clone();
                a.insert(*i, x);
            }
            (JsonEdit::Rename(_, to), Seg::Key(k), Value::Object(m)) => {
                if let Some(x) = m.remove(k) {
                    m.insert(to.clone(), x);
                }
            }
            (JsonEdit::Replace(_, w), last, parent) => {
                let slot = match last {
                    Seg::Key(k) => parent.get_mut(k.as_str()),
                    Seg::Index(i) => parent.get_mut(*i),
                };
                if let Some(slot) = slot {
                    *slot = w.value(slot);
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The certificate payloads (`OCOP1.<claim>.<signature>` and the compact `OCOP2:<base45>`)

fn office_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn trusted_keys() -> Vec<TrustedKey> {
    let vk = office_key().verifying_key();
    vec![TrustedKey::other(
        key_id(&vk),
        // ASCII, so that the verdict on an ASCII payload must read in plain English.
        "UBND tinh Thanh Hoa".into(),
        hex::encode(vk.as_bytes()),
        String::new(),
        String::new(),
    )]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
}

fn iso_or_odd() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (1900i32..2200, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => name_text(),
        1 => Just("2029-02-30".to_string()),
    ]
    .boxed()
}

fn claim() -> impl Strategy<Value = CertificateClaim> {
    (
        (
            any::<u32>(),
            any::<bool>(),
            name_text(),
            odd_text(),
            odd_text(),
        ),
        (any::<u8>(), name_text(), name_text(), iso_or_odd()),
        (iso_or_odd(), iso_or_odd(), name_text()),
    )
        .prop_map(|((v, ours, n, p, o), (s, c, d, dd), (i, u, b))| {
            let k = if ours {
                key_id(&office_key().verifying_key())
            } else {
                "0123456789abcdef".to_string()
            };
            CertificateClaim {
                v,
                k,
                n,
                p,
                o,
                s,
                c,
                d,
                dd,
                i,
                u,
                b,
                ..CertificateClaim::default()
            }
        })
}

/// A payload over any body, signed by the office's key.
fn sign_body(body: &[u8]) -> String {
    let b = B64.encode(body);
    let sig = office_key().sign(format!("OCOP1.{b}").as_bytes());
    format!("OCOP1.{b}.{}", B64.encode(sig.to_bytes()))
}

#[derive(Debug, Clone)]
enum PayloadCase {
    /// A claim as an office signs it.
    Signed(CertificateClaim),
    /// A signed payload with its text edited.
    Edited(CertificateClaim, Vec<Edit>),
    /// A signed claim whose JSON is edited, then signed again: the body parses or is refused.
    Body(CertificateClaim, Vec<JsonEdit>),
    /// Arbitrary text.
    Text(String),
    /// Arbitrary base64 in the payload's shape.
    Shaped(String, String),
    /// The compact code (`OCOP2`) of a claim as an office signs it.
    Compact(CertificateClaim),
    /// A compact code with its text edited.
    CompactEdited(CertificateClaim, Vec<Edit>),
    /// Arbitrary Base45 text after the compact prefix.
    CompactShaped(String),
}

fn payload_case() -> impl Strategy<Value = PayloadCase> {
    prop_oneof![
        2 => claim().prop_map(PayloadCase::Signed),
        4 => (claim(), edits()).prop_map(|(c, e)| PayloadCase::Edited(c, e)),
        3 => (claim(), json_edits()).prop_map(|(c, e)| PayloadCase::Body(c, e)),
        1 => odd_text().prop_map(PayloadCase::Text),
        1 => ("[A-Za-z0-9_-]{0,300}", "[A-Za-z0-9_-]{0,100}")
            .prop_map(|(a, b)| PayloadCase::Shaped(a, b)),
        2 => claim().prop_map(PayloadCase::Compact),
        4 => (claim(), edits()).prop_map(|(c, e)| PayloadCase::CompactEdited(c, e)),
        1 => "[0-9A-Z $%*+./:-]{0,300}".prop_map(PayloadCase::CompactShaped),
    ]
}

fn check_verdict(payload: &str) -> Result<ocop_core::office::Verification, TestCaseError> {
    let keys = trusted_keys();
    let v = verify_payload(payload, &keys, today(), Lang::Vi);
    let en = verify_payload(payload, &keys, today(), Lang::En);
    prop_assert_eq!(&v.code, &en.code);
    prop_assert_eq!(v.valid, en.valid);
    let m = all_messages().iter().find(|m| m.code == v.code);
    prop_assert!(m.is_some(), "verdict code {} not in the catalogue", v.code);
    // The claim travels in base64: what the message may quote is the decoded body.
    let ascii = payload.is_ascii()
        && payload
            .split('.')
            .nth(1)
            .and_then(|b| B64.decode(b).ok())
            .is_none_or(|b| b.is_ascii());
    check_words(*m.unwrap(), &v.message, &en.message, ascii)?;
    match v.to_error() {
        None => prop_assert!(v.valid),
        Some(e) => {
            prop_assert!(!v.valid);
            prop_assert_eq!(e.code(), v.code.as_str());
            check_error(&e, ascii)?;
        }
    }
    Ok(v)
}

#[test]
fn fuzz_certificate_payload() {
    let ours = key_id(&office_key().verifying_key());
    fuzz("certificate payload", 300, payload_case(), |case| {
        match case {
            PayloadCase::Signed(c) => {
                let v = check_verdict(&sign_claim(&office_key(), &c))?;
                if c.k == ours {
                    prop_assert!(v.valid, "{}", v.message);
                    let expired =
                        NaiveDate::parse_from_str(&c.u, "%Y-%m-%d").is_ok_and(|u| u < today());
                    prop_assert_eq!(v.expired, expired);
                    prop_assert_eq!(
                        v.code.as_str(),
                        if expired {
                            "verify.expired"
                        } else {
                            "verify.valid"
                        }
                    );
                    prop_assert_eq!(v.claim.as_ref(), Some(&c), "the claim round-trips");
                } else {
                    prop_assert!(!v.valid);
                    prop_assert_eq!(v.code.as_str(), "verify.untrusted_key");
                }
            }
            PayloadCase::Edited(c, e) => {
                let good = sign_claim(&office_key(), &c);
                let bad = String::from_utf8_lossy(&apply_edits(good.clone().into_bytes(), &e))
                    .into_owned();
                let v = check_verdict(&bad)?;
                if bad.trim() != good {
                    prop_assert!(!v.valid, "an edited payload verified: {bad:?}");
                }
            }
            PayloadCase::Body(c, e) => {
                let mut body = serde_json::to_value(&c).unwrap();
                // An OCOP1 body carries the claim's first-release fields only.
                for ocop2_only in ["h", "product_shortened", "owner_shortened"] {
                    body.as_object_mut().unwrap().remove(ocop2_only);
                }
                apply_json_edits(&mut body, &e);
                let bytes = serde_json::to_vec(&body).unwrap();
                let v = check_verdict(&sign_body(&bytes))?;
                match serde_json::from_value::<CertificateClaim>(body) {
                    Ok(parsed) if parsed.k == ours => {
                        prop_assert!(v.valid, "{}", v.message);
                        // The OCOP2-only fields are not part of an OCOP1 claim.
                        let parsed = CertificateClaim {
                            h: String::new(),
                            product_shortened: false,
                            owner_shortened: false,
                            ..parsed
                        };
                        prop_assert_eq!(v.claim, Some(parsed));
                    }
                    Ok(_) => prop_assert_eq!(v.code.as_str(), "verify.untrusted_key"),
                    Err(_) => prop_assert_eq!(v.code.as_str(), "verify.body_invalid"),
                }
            }
            PayloadCase::Text(t) => {
                prop_assert!(!check_verdict(&t)?.valid);
            }
            PayloadCase::Shaped(a, b) => {
                let payload = format!("OCOP1.{a}.{b}");
                prop_assert!(!check_verdict(&payload)?.valid);
            }
            PayloadCase::Compact(c) => {
                let code = sign_qr(&office_key(), &c);
                let v = check_verdict(&code)?;
                prop_assert_eq!(v.valid, c.k == ours, "{}", v.message);
                if v.valid && code.starts_with("OCOP2:") {
                    let got = v.claim.unwrap();
                    prop_assert_eq!(got.v, 2);
                    prop_assert_eq!((got.s, &got.i, &got.u), (c.s, &c.i, &c.u));
                    prop_assert!(c.n.starts_with(&got.n));
                    prop_assert!(c.p.starts_with(&got.p) && c.o.starts_with(&got.o));
                    prop_assert_eq!(got.product_shortened, got.p.len() < c.p.len());
                    prop_assert_eq!(got.owner_shortened, got.o.len() < c.o.len());
                    // Version 9 at level M (262 alphanumeric characters) while the number leaves
                    // the names their minimum (CERTIFICATE-QR.md); a longer number grows the code.
                    if c.n.len() <= 49 {
                        prop_assert!(code.len() <= 262, "{} characters", code.len());
                    }
                }
            }
            PayloadCase::CompactEdited(c, e) => {
                let good = sign_qr(&office_key(), &c);
                let bad = String::from_utf8_lossy(&apply_edits(good.clone().into_bytes(), &e))
                    .into_owned();
                let v = check_verdict(&bad)?;
                let same = bad
                    .trim_start()
                    .trim_end_matches(['\r', '\n', '\t', '\u{feff}'])
                    == good;
                if !same {
                    prop_assert!(!v.valid, "an edited code verified: {bad:?}");
                }
            }
            PayloadCase::CompactShaped(b) => {
                let code = format!("OCOP2:{b}");
                prop_assert!(!check_verdict(&code)?.valid);
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// 2. The criteria files

/// Every built-in set as its file (`format` and the set), and each decision's file.
struct CriteriaFiles {
    decisions: Vec<(String, Value)>,
    sets: Vec<(String, Value)>,
}

fn with_format(v: Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("format".into(), json!(ocop_core::criteria::FORMAT));
    if let Value::Object(o) = v {
        m.extend(o);
    }
    Value::Object(m)
}

/// Every text of a file folded to ASCII, so that its refusals must read in plain English.
fn ascii_only(v: &mut Value) {
    match v {
        Value::String(s) if !s.is_ascii() => {
            *s = ocop_core::text::fold(s)
                .chars()
                .filter(char::is_ascii)
                .collect();
        }
        Value::Array(a) => a.iter_mut().for_each(ascii_only),
        Value::Object(m) => m.values_mut().for_each(ascii_only),
        _ => {}
    }
}

fn criteria_files() -> &'static CriteriaFiles {
    static FILES: OnceLock<CriteriaFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let cat = Catalog::builtin();
        let mut decisions = Vec::new();
        let mut sets = Vec::new();
        for d in &cat.decisions {
            let id = d.decision.id.clone();
            decisions.push((
                id.clone(),
                with_format(serde_json::to_value(&d.decision).unwrap()),
            ));
            for s in &d.sets {
                sets.push((
                    format!("{id}/{}.json", s.code),
                    with_format(serde_json::to_value(s).unwrap()),
                ));
            }
        }
        CriteriaFiles { decisions, sets }
    })
}

/// The catalog a decision file and one set file make.
fn load(decision: &Value, set_path: &str, set_text: &str) -> ocop_core::Result<Catalog> {
    let dir = set_path.split('/').next().unwrap_or("x");
    Catalog::from_files(&[
        (format!("{dir}/decision.json"), decision.to_string()),
        (set_path.to_string(), set_text.to_string()),
    ])
}

/// What `FORMAT.md` promises of a set that loads.
fn check_set_invariants(s: &ProductSet) -> Result<(), TestCaseError> {
    let codes: Vec<&str> = s.parts.iter().map(|p| p.code.as_str()).collect();
    prop_assert_eq!(codes, vec!["A", "B", "C"]);
    let maxes: Vec<u32> = s.parts.iter().map(|p| p.max).collect();
    prop_assert_eq!(maxes, vec![40, 25, 35]);
    prop_assert_eq!(s.total_max(), 100);
    fn criterion(c: &Criterion) -> Result<u64, TestCaseError> {
        if c.is_leaf() {
            prop_assert!(c.options.len() >= 2, "{}: fewer than two options", c.code);
            prop_assert!(
                c.options.iter().any(|o| o.points == c.max),
                "{}: no option gives the maximum",
                c.code
            );
            prop_assert!(c.options.iter().all(|o| o.points <= c.max));
        } else {
            let sum: u64 = c
                .children
                .iter()
                .map(criterion)
                .collect::<Result<Vec<_>, _>>()?
                .iter()
                .sum();
            prop_assert_eq!(sum, u64::from(c.max), "{}: children", &c.code);
        }
        Ok(u64::from(c.max))
    }
    for p in &s.parts {
        let mut part = 0u64;
        for g in &p.groups {
            let mut sum = 0u64;
            for c in &g.criteria {
                sum += criterion(c)?;
            }
            prop_assert_eq!(sum, u64::from(g.max), "group {}", &g.code);
            part += sum;
        }
        prop_assert_eq!(part, u64::from(p.max));
    }
    Ok(())
}

/// Replaces the `at`-th text of a file (not a code or a reference) by `to`: still valid.
fn replace_text(v: &mut Value, at: usize, to: &str) {
    fn texts<'a>(v: &'a mut Value, key: &str, out: &mut Vec<&'a mut String>) {
        match v {
            Value::String(s)
                if [
                    "title",
                    "name",
                    "text",
                    "label",
                    "notes",
                    "eliminating",
                    "disqualification",
                ]
                .contains(&key) =>
            {
                out.push(s)
            }
            Value::Array(a) => a.iter_mut().for_each(|x| texts(x, key, out)),
            Value::Object(m) => m.iter_mut().for_each(|(k, x)| texts(x, k, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    texts(v, "", &mut all);
    let n = all.len();
    if n > 0 {
        *all[at % n] = to.to_string();
    }
}

#[derive(Debug, Clone)]
enum CriteriaCase {
    /// Texts replaced by any text: still valid, and loads back to the same sheet.
    Texts(usize, Vec<(usize, String)>),
    /// Fields deleted, duplicated, renamed or replaced by values of the wrong kind.
    Json(usize, bool, Vec<JsonEdit>),
    /// The file's bytes edited.
    Bytes(usize, bool, Vec<Edit>),
    /// The decision's file edited.
    Decision(usize, Vec<JsonEdit>),
    /// Arbitrary text.
    Text(String),
}

fn criteria_case() -> impl Strategy<Value = CriteriaCase> {
    let n = criteria_files().sets.len();
    prop_oneof![
        2 => (0..n, prop::collection::vec((any::<usize>(), name_text()), 1..6))
            .prop_map(|(s, t)| CriteriaCase::Texts(s, t)),
        5 => (0..n, any::<bool>(), json_edits()).prop_map(|(s, a, e)| CriteriaCase::Json(s, a, e)),
        3 => (0..n, any::<bool>(), edits()).prop_map(|(s, a, e)| CriteriaCase::Bytes(s, a, e)),
        1 => (0..n, json_edits()).prop_map(|(s, e)| CriteriaCase::Decision(s, e)),
        1 => odd_text().prop_map(CriteriaCase::Text),
    ]
}

fn check_load(decision: &Value, path: &str, text: &str) -> Result<Option<Catalog>, TestCaseError> {
    match load(decision, path, text) {
        Ok(cat) => {
            for d in &cat.decisions {
                for s in &d.sets {
                    check_set_invariants(s)?;
                }
            }
            Ok(Some(cat))
        }
        Err(e) => {
            check_error(&e, text.is_ascii() && decision.to_string().is_ascii())?;
            Ok(None)
        }
    }
}

#[test]
fn fuzz_criteria_file() {
    let files = criteria_files();
    let decision_of = |path: &str| {
        let id = path.split('/').next().unwrap();
        files
            .decisions
            .iter()
            .find(|(d, _)| d == id)
            .unwrap()
            .1
            .clone()
    };
    fuzz("criteria file", 200, criteria_case(), |case| {
        match case {
            CriteriaCase::Texts(i, edits) => {
                let (path, set) = &files.sets[i];
                let mut v = set.clone();
                for (at, to) in &edits {
                    replace_text(&mut v, *at, to);
                }
                let cat = check_load(&decision_of(path), path, &v.to_string())?;
                prop_assert!(cat.is_some(), "a valid file was refused");
                let cat = cat.unwrap();
                let loaded = &cat.decisions[0].sets[0];
                prop_assert_eq!(
                    with_format(serde_json::to_value(loaded).unwrap()),
                    v,
                    "the file loads back to the same sheet"
                );
            }
            CriteriaCase::Json(i, ascii, edits) => {
                let (path, set) = &files.sets[i];
                let mut v = set.clone();
                if ascii {
                    ascii_only(&mut v);
                }
                apply_json_edits(&mut v, &edits);
                let mut d = decision_of(path);
                if ascii {
                    ascii_only(&mut d);
                }
                check_load(&d, path, &v.to_string())?;
            }
            CriteriaCase::Bytes(i, ascii, edits) => {
                let (path, set) = &files.sets[i];
                let mut v = set.clone();
                let mut d = decision_of(path);
                if ascii {
                    ascii_only(&mut v);
                    ascii_only(&mut d);
                }
                let text = serde_json::to_string_pretty(&v).unwrap();
                let text =
                    String::from_utf8_lossy(&apply_edits(text.into_bytes(), &edits)).into_owned();
                check_load(&d, path, &text)?;
            }
            CriteriaCase::Decision(i, edits) => {
                let (path, set) = &files.sets[i];
                let mut d = decision_of(path);
                apply_json_edits(&mut d, &edits);
                check_load(&d, path, &set.to_string())?;
            }
            CriteriaCase::Text(t) => {
                let (path, _) = &files.sets[0];
                prop_assert!(check_load(&decision_of(path), path, &t)?.is_none());
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// 3. The `ocop score` input

/// A member's sheet: a name, a role, recused or not, a chosen option for every leaf (taken
/// modulo the leaf's options), an elimination mark.
#[derive(Debug, Clone)]
struct MemberGen {
    name: String,
    role: usize,
    recused: bool,
    picks: Vec<usize>,
    elimination: Option<String>,
}

#[derive(Debug, Clone)]
struct ScoreGen {
    decision: usize,
    set: usize,
    procedure: Option<usize>,
    rules: Option<(f64, u32, u32, bool, Option<u32>)>,
    members: Vec<MemberGen>,
}

fn member() -> impl Strategy<Value = MemberGen> {
    (
        name_text(),
        0usize..4,
        prop::bool::weighted(0.15),
        prop::collection::vec(any::<usize>(), 40),
        prop::option::weighted(0.1, name_text()),
    )
        .prop_map(|(name, role, recused, picks, elimination)| MemberGen {
            name,
            role,
            recused,
            picks,
            elimination,
        })
}

fn score_gen() -> impl Strategy<Value = ScoreGen> {
    (
        0usize..2,
        0usize..26,
        prop::option::of(0usize..4),
        prop::option::of((
            0.0f64..30.0,
            1u32..5,
            1u32..5,
            any::<bool>(),
            prop::option::of(1u32..15),
        )),
        prop::collection::vec(member(), 1..10),
    )
        .prop_map(|(decision, set, procedure, rules, members)| ScoreGen {
            decision,
            set,
            procedure,
            rules,
            members,
        })
}

const ROLES: [&str; 4] = ["chair", "vice_chair", "member", "secretary"];

/// The request a generator describes (member names made unique), and each member's total.
fn score_request(g: &ScoreGen) -> (Value, Vec<Option<u32>>) {
    let cat = Catalog::builtin();
    let d = &cat.decisions[g.decision];
    let set = &d.sets[g.set];
    let leaves = set.leaves();
    let mut sheets = Vec::new();
    let mut totals = Vec::new();
    for (i, m) in g.members.iter().enumerate() {
        let mut answers = serde_json::Map::new();
        let mut total = 0;
        for (j, l) in leaves.iter().enumerate() {
            let opts = &l.criterion.options;
            let pick = m.picks[j % m.picks.len()] % opts.len();
            answers.insert(l.criterion.code.clone(), json!(pick));
            total += opts[pick].points;
        }
        let mut sheet = json!({
            "member": format!("{} {}", m.name, i + 1),
            "role": ROLES[m.role],
            "recused": m.recused,
            "answers": if m.recused { json!({}) } else { Value::Object(answers) },
        });
        if let Some(e) = &m.elimination {
            sheet["elimination"] = json!(e);
        }
        sheets.push(sheet);
        totals.push((!m.recused).then_some(total));
    }
    let mut req = json!({ "decision": d.decision.id, "set": set.code, "sheets": sheets });
    if let Some(p) = g.procedure {
        let procs = &d.decision.procedures;
        req["procedure"] = json!(procs[p % procs.len()]);
    }
    if let Some((max_spread, num, den, chair, size)) = g.rules {
        req["rules"] = json!({
            "max_spread": max_spread, "quorum_numerator": num, "quorum_denominator": den,
            "chair_required": chair, "council_size": size,
        });
    }
    (req, totals)
}

#[derive(Debug, Clone)]
enum ScoreCase {
    Valid(ScoreGen),
    Json(ScoreGen, bool, Vec<JsonEdit>),
    Bytes(ScoreGen, Vec<Edit>),
    Text(String),
}

fn score_case() -> impl Strategy<Value = ScoreCase> {
    prop_oneof![
        2 => score_gen().prop_map(ScoreCase::Valid),
        5 => (score_gen(), any::<bool>(), json_edits())
            .prop_map(|(g, a, e)| ScoreCase::Json(g, a, e)),
        3 => (score_gen(), edits()).prop_map(|(g, e)| ScoreCase::Bytes(g, e)),
        1 => odd_text().prop_map(ScoreCase::Text),
    ]
}

fn check_score(text: &str) -> Result<Option<ocop_core::score_input::ScoreReport>, TestCaseError> {
    let out = parse_request(text, "-").and_then(|req| score(Catalog::builtin(), &req));
    match out {
        Ok(r) => {
            if let Some(m) = r.result.mean_total {
                prop_assert!((0.0..=100.0).contains(&m), "mean {m}");
            }
            Ok(Some(r))
        }
        Err(e) => {
            check_error(&e, text.is_ascii())?;
            Ok(None)
        }
    }
}

#[test]
fn fuzz_score_input() {
    fuzz("score input", 300, score_case(), |case| {
        match case {
            ScoreCase::Valid(g) => {
                let (req, totals) = score_request(&g);
                let r = check_score(&req.to_string())?;
                prop_assert!(r.is_some(), "a valid request was refused");
                let r = r.unwrap();
                let got: Vec<Option<u32>> = r
                    .result
                    .members
                    .iter()
                    .map(|m| (!m.recused).then_some(m.total))
                    .collect();
                prop_assert_eq!(&got, &totals, "each total is the sum of the chosen options");
                let scored: Vec<u32> = totals.iter().flatten().copied().collect();
                if scored.is_empty() {
                    prop_assert_eq!(r.result.mean_total, None);
                } else {
                    let mean =
                        scored.iter().map(|&t| f64::from(t)).sum::<f64>() / scored.len() as f64;
                    let got = r.result.mean_total.unwrap_or(f64::NAN);
                    prop_assert!((got - mean).abs() < 1e-9, "mean {got} ≠ {mean}");
                }
            }
            ScoreCase::Json(g, ascii, edits) => {
                let (mut req, _) = score_request(&g);
                if ascii {
                    ascii_only(&mut req);
                }
                apply_json_edits(&mut req, &edits);
                check_score(&req.to_string())?;
            }
            ScoreCase::Bytes(g, edits) => {
                let (req, _) = score_request(&g);
                let text = serde_json::to_string_pretty(&req).unwrap();
                let text =
                    String::from_utf8_lossy(&apply_edits(text.into_bytes(), &edits)).into_owned();
                check_score(&text)?;
            }
            ScoreCase::Text(t) => {
                check_score(&t)?;
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// 4. The .xlsx imports

/// A cell as a workbook may hold it.
#[derive(Debug, Clone)]
enum XCell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Formula(String),
    Date(u32, u8, u8),
}

fn xcell() -> impl Strategy<Value = XCell> {
    prop_oneof![
        2 => Just(XCell::Empty),
        5 => odd_text().prop_map(XCell::Text),
        2 => prop_oneof![
            any::<f64>(),
            Just(1e20),
            Just(-1.0),
            Just(4_294_967_296.0),
            Just(2.5),
            0.0f64..100.0,
        ]
        .prop_map(XCell::Number),
        1 => any::<bool>().prop_map(XCell::Bool),
        1 => prop_oneof![Just("=1/0".to_string()), Just("=A1".to_string()), Just("=\"x\"&B2".to_string()), Just("=NA()".to_string())]
            .prop_map(XCell::Formula),
        1 => (1900u32..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| XCell::Date(y, m, d)),
    ]
}

fn put(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, cell: &XCell) {
    // A write Excel refuses (a string over 32,767 characters, a NaN) leaves the cell empty.
    let _ = match cell {
        XCell::Empty => return,
        XCell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
        XCell::Number(f) => ws.write_number(r, c, *f).map(|_| ()),
        XCell::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
        XCell::Formula(f) => ws.write_formula(r, c, f.as_str()).map(|_| ()),
        XCell::Date(y, m, d) => rust_xlsxwriter::ExcelDateTime::from_ymd(*y as u16, *m, *d)
            .and_then(|dt| {
                let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                ws.write_datetime_with_format(r, c, &dt, &fmt).map(|_| ())
            }),
    };
}

/// A workbook: one sheet, rows of cells from (row, column), plus cells anywhere.
fn workbook(rows: &[Vec<XCell>], far: &[(u32, u16, XCell)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            put(ws, r as u32, c as u16, cell);
        }
    }
    for (r, c, cell) in far {
        put(ws, *r, *c, cell);
    }
    wb.save_to_buffer().unwrap()
}

fn text(s: impl Into<String>) -> XCell {
    XCell::Text(s.into())
}

/// Rewrites one member of a zip with its bytes edited (the others kept): what a damaged or
/// hand-edited workbook holds while staying a readable zip.
fn edit_zip_member(zip_bytes: &[u8], member: usize, edits: &[Edit]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let n = archive.len();
    let target = {
        // The worksheets and the shared strings are where the cells are: edit them most.
        let names: Vec<String> = (0..n)
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        let cells: Vec<usize> = (0..n)
            .filter(|&i| names[i].contains("worksheets/") || names[i].contains("sharedStrings"))
            .collect();
        if !member.is_multiple_of(3) && !cells.is_empty() {
            cells[member % cells.len()]
        } else {
            member % n
        }
    };
    for i in 0..n {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if i == target {
            data = apply_edits(data, edits);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// How a valid workbook is spoiled.
#[derive(Debug, Clone)]
enum Spoil {
    /// The zip's bytes edited.
    Zip(Vec<Edit>),
    /// One member's XML edited, the zip rewritten around it.
    Member(usize, Vec<Edit>),
    /// Cells at random places, up to the last row and column Excel has.
    Far(Vec<(u32, u16, XCell)>),
    /// Random cells laid over the rows.
    Cells(Vec<(usize, usize, XCell)>),
    /// Cell, row and dimension references of the sheet's XML replaced by odd ones.
    Refs(Vec<(usize, String)>),
}

/// A reference as a damaged or hand-written sheet may hold it: long column letters, huge or
/// zero rows, reversed ranges, no row, lower case, garbage.
fn odd_ref() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z]{1,3}[1-9][0-9]{0,6}",
        "[A-Z]{4,14}[0-9]{1,4}",
        "[A-Z]{1,2}[0-9]{8,14}",
        "[A-Z]{1,3}0",
        "[A-Z]{1,3}",
        "[0-9]{1,12}",
        "[a-z]{1,3}[0-9]{1,3}",
        "[A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7}",
        Just("XFD1048576".to_string()),
        Just("B2:A1".to_string()),
        Just("A1:XFD1048576".to_string()),
        Just(String::new()),
        name_text(),
    ]
}

/// Replaces the `at`-th `r="…"` or `ref="…"` value of `xml` (taken modulo their number).
fn replace_ref(xml: &mut Vec<u8>, at: usize, to: &str) {
    let text = String::from_utf8_lossy(xml).into_owned();
    let mut spots = Vec::new();
    for pat in [" r=\"", " ref=\""] {
        let mut from = 0;
        while let Some(i) = text[from..].find(pat) {
            let start = from + i + pat.len();
            if let Some(len) = text[start..].find('"') {
                spots.push((start, start + len));
            }
            from = start;
        }
    }
    if spots.is_empty() {
        return;
    }
    let (a, b) = spots[at % spots.len()];
    let escaped = to
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    *xml = format!("{}{escaped}{}", &text[..a], &text[b..]).into_bytes();
}

/// Rewrites the first worksheet of a zip through `f`.
fn edit_sheet_xml(zip_bytes: &[u8], f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name.ends_with("worksheets/sheet1.xml") {
            f(&mut data);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn far_cell() -> impl Strategy<Value = (u32, u16, XCell)> {
    (
        prop_oneof![0u32..50, 0u32..1_048_576, Just(1_048_575)],
        prop_oneof![0u16..30, 0u16..16_384, Just(16_383)],
        xcell(),
    )
}

fn spoil() -> impl Strategy<Value = Spoil> {
    prop_oneof![
        3 => edits().prop_map(Spoil::Zip),
        4 => (any::<usize>(), edits()).prop_map(|(m, e)| Spoil::Member(m, e)),
        1 => prop::collection::vec(far_cell(), 1..4).prop_map(Spoil::Far),
        3 => prop::collection::vec((any::<usize>(), any::<usize>(), xcell()), 1..12)
            .prop_map(Spoil::Cells),
        2 => prop::collection::vec((any::<usize>(), odd_ref()), 1..4).prop_map(Spoil::Refs),
    ]
}

fn spoiled(rows: &[Vec<XCell>], how: &Spoil) -> Vec<u8> {
    match how {
        Spoil::Zip(e) => apply_edits(workbook(rows, &[]), e),
        Spoil::Member(m, e) => edit_zip_member(&workbook(rows, &[]), *m, e),
        Spoil::Far(cells) => workbook(rows, cells),
        Spoil::Cells(cells) => {
            let mut rows = rows.to_vec();
            for (r, c, x) in cells {
                let r = r % rows.len();
                let width = rows[r].len() + 2;
                let c = c % width;
                if c >= rows[r].len() {
                    rows[r].resize(c + 1, XCell::Empty);
                }
                rows[r][c] = x.clone();
            }
            workbook(&rows, &[])
        }
        Spoil::Refs(refs) => edit_sheet_xml(&workbook(rows, &[]), |xml| {
            for (at, to) in refs {
                replace_ref(xml, *at, to);
            }
        }),
    }
}

thread_local! {
    /// One store per test thread for the plans (a plan writes nothing).
    static STORE: RefCell<Store> = RefCell::new(Store::open_in_memory().unwrap());
}

fn with_store<T>(f: impl FnOnce(&mut Store) -> T) -> T {
    STORE.with(|s| f(&mut s.borrow_mut()))
}

/// A plan of the records or the registry: refused with a message, or every row error worded.
fn check_import_plan(
    plan: ocop_core::Result<ocop_core::import::ImportPlan>,
) -> Result<Option<ocop_core::import::ImportPlan>, TestCaseError> {
    match plan {
        Ok(p) => {
            prop_assert_eq!(p.counts.rows as usize, p.rows.len());
            for r in &p.rows {
                prop_assert_eq!(r.action == ImportAction::Error, !r.errors.is_empty());
                for e in &r.errors {
                    check_dto(e, false)?;
                }
            }
            if let Some(e) = p.refusal() {
                check_error(&e, false)?;
            }
            Ok(Some(p))
        }
        Err(e) => {
            check_error(&e, false)?;
            Ok(None)
        }
    }
}

const ACTOR: &str = "Kiểm thử fuzz";

/// Applies a valid workbook on a fresh store and plans it again: every row is unchanged.
fn round_trip(
    bytes: &[u8],
    plan: impl Fn(&Store, &[u8]) -> ocop_core::Result<ocop_core::import::ImportPlan>,
    apply: impl Fn(&mut Store, &[u8], &str) -> ocop_core::Result<ocop_core::import::ImportPlan>,
) -> Result<(), TestCaseError> {
    let mut s = Store::open_in_memory().unwrap();
    let first = plan(&s, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        first.refusal().is_none(),
        "valid rows in error: {:?}",
        first.rows
    );
    let applied = apply(&mut s, bytes, &first.fingerprint)
        .map_err(|e| TestCaseError::fail(format!("apply: {e}")))?;
    prop_assert!(applied.applied);
    let again = plan(&s, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for r in &again.rows {
        prop_assert_eq!(
            r.action,
            ImportAction::Unchanged,
            "row {} after import: {:?}",
            r.row,
            r
        );
    }
    Ok(())
}

// 4a. Owners, products and dossiers

/// A row of the records template with valid values; `i` makes names and codes unique.
#[derive(Debug, Clone)]
struct RecordRow {
    owner: String,
    kind: usize,
    rep: String,
    sex: usize,
    phone: String,
    reg: bool,
    product: String,
    set: u8,
    decision: usize,
    code: bool,
    application: usize,
    received: Option<(u32, u32, u32)>,
}

fn record_row() -> impl Strategy<Value = RecordRow> + Clone {
    (
        (
            name_text(),
            0usize..6,
            name_text(),
            0usize..3,
            name_text(),
            any::<bool>(),
        ),
        (name_text(), 1u8..=26, 0usize..3, any::<bool>(), 0usize..4),
        prop::option::of((2019u32..2027, 1u32..=12, 1u32..=28)),
    )
        .prop_map(
            |(
                (owner, kind, rep, sex, phone, reg),
                (product, set, decision, code, application),
                received,
            )| {
                RecordRow {
                    owner,
                    kind,
                    rep,
                    sex,
                    phone,
                    reg,
                    product,
                    set,
                    decision,
                    code,
                    application,
                    received,
                }
            },
        )
}

const KINDS: [&str; 6] = [
    "",
    "Hợp tác xã",
    "Tổ hợp tác",
    "Doanh nghiệp",
    "Hộ kinh doanh",
    "Trang trại",
];
const SEXES: [&str; 3] = ["", "Nam", "Nữ"];
const DECISIONS: [&str; 3] = ["", "26/2026/QĐ-TTg", "QD26-2026"];
const APPLICATIONS: [&str; 4] = ["", "Lần đầu", "Nâng hạng", "Đánh giá lại"];

fn record_rows(rows: &[RecordRow]) -> Vec<Vec<XCell>> {
    let mut out = vec![TEMPLATE_HEADERS
        .iter()
        .map(|h| text(*h))
        .collect::<Vec<_>>()];
    for (i, r) in rows.iter().enumerate() {
        let n = i + 1;
        out.push(vec![
            text(format!("{} {n}", r.owner)),
            text(KINDS[r.kind]),
            text(&r.rep),
            text(SEXES[r.sex]),
            text("Kinh"),
            text("Thôn 1"),
            text("Xã Bình Sơn"),
            text("Huyện Triệu Sơn"),
            text("Thanh Hóa"),
            text(&r.phone),
            text(""),
            text(if r.reg {
                format!("28{n:08}")
            } else {
                String::new()
            }),
            text(format!("{} {n}", r.product)),
            XCell::Number(f64::from(r.set)),
            text(DECISIONS[r.decision]),
            text(if r.code {
                format!("38-16213-{n:03}-2026")
            } else {
                String::new()
            }),
            text(APPLICATIONS[r.application]),
            match r.received {
                Some((y, m, d)) => text(format!("{d:02}/{m:02}/{y}")),
                None => XCell::Empty,
            },
        ]);
    }
    out
}

#[derive(Debug, Clone)]
enum XlsxCase<R: std::fmt::Debug + Clone> {
    /// Valid rows: planned without errors, applied, and unchanged when planned again.
    Valid(Vec<R>),
    /// Valid rows, then spoiled.
    Spoiled(Vec<R>, Spoil),
    /// Random cells under the header, or under a random header.
    Random(bool, Vec<Vec<XCell>>),
    /// Arbitrary bytes.
    Bytes(Vec<u8>),
}

fn xlsx_case<R: std::fmt::Debug + Clone + 'static>(
    row: impl Strategy<Value = R> + Clone + 'static,
) -> impl Strategy<Value = XlsxCase<R>> {
    let rows = prop::collection::vec(row, 1..8);
    prop_oneof![
        2 => rows.clone().prop_map(XlsxCase::Valid),
        5 => (rows, spoil()).prop_map(|(r, s)| XlsxCase::Spoiled(r, s)),
        2 => (any::<bool>(), prop::collection::vec(prop::collection::vec(xcell(), 0..20), 1..8))
            .prop_map(|(h, r)| XlsxCase::Random(h, r)),
        1 => prop::collection::vec(any::<u8>(), 0..2000).prop_map(XlsxCase::Bytes),
    ]
}

/// The bytes a case makes, and whether it is valid.
fn xlsx_bytes<R: std::fmt::Debug + Clone>(
    case: &XlsxCase<R>,
    layout: impl Fn(&[R]) -> Vec<Vec<XCell>>,
    header: &[&str],
) -> (Vec<u8>, bool) {
    match case {
        XlsxCase::Valid(rows) => (workbook(&layout(rows), &[]), true),
        XlsxCase::Spoiled(rows, how) => (spoiled(&layout(rows), how), false),
        XlsxCase::Random(keep_header, cells) => {
            let mut rows = cells.clone();
            if *keep_header {
                rows.insert(0, header.iter().map(|h| text(*h)).collect());
            }
            (workbook(&rows, &[]), false)
        }
        XlsxCase::Bytes(b) => (b.clone(), false),
    }
}

#[test]
fn fuzz_records_import() {
    fuzz(
        "records import (.xlsx)",
        60,
        xlsx_case(record_row()),
        |case| {
            let (bytes, valid) = xlsx_bytes(&case, record_rows, TEMPLATE_HEADERS);
            let plan = with_store(|s| s.import_plan(&bytes, None, Lang::En));
            let plan = check_import_plan(plan)?;
            if valid {
                prop_assert!(plan.is_some());
                round_trip(
                    &bytes,
                    |s, b| s.import_plan(b, None, Lang::Vi),
                    |s, b, fp| s.import_apply(ACTOR, b, None, Some(fp), Lang::Vi),
                )?;
            }
            Ok(())
        },
    );
}

// 4b. The registry's list of recognised products

#[derive(Debug, Clone)]
struct RegistryRow {
    product: String,
    owner: String,
    kind: usize,
    set: u8,
    set_by_name: bool,
    star: u8,
    date: (u32, u32, u32),
    certificate: bool,
}

fn registry_row() -> impl Strategy<Value = RegistryRow> + Clone {
    (
        (name_text(), name_text(), 0usize..6, 1u8..=26, any::<bool>()),
        (
            3u8..=5,
            (2019u32..2027, 1u32..=12, 1u32..=28),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((product, owner, kind, set, set_by_name), (star, date, certificate))| RegistryRow {
                product,
                owner,
                kind,
                set,
                set_by_name,
                star,
                date,
                certificate,
            },
        )
}

fn registry_rows(rows: &[RegistryRow]) -> Vec<Vec<XCell>> {
    let cat = Catalog::builtin();
    let mut out = vec![REGISTRY_HEADERS
        .iter()
        .map(|h| text(*h))
        .collect::<Vec<_>>()];
    for (i, r) in rows.iter().enumerate() {
        let n = i + 1;
        let (y, m, d) = r.date;
        let decision = if (y, m, d) >= (2026, 5, 22) { 1 } else { 0 };
        let set = &cat.decisions[decision].sets[r.set as usize - 1];
        out.push(vec![
            XCell::Number(n as f64),
            text(format!("{} {n}", r.product)),
            text(format!("{} {n}", r.owner)),
            text(KINDS[r.kind]),
            text("Thôn 2"),
            text("Xã Nga Thái"),
            text("Huyện Nga Sơn"),
            if r.set_by_name {
                text(&set.name)
            } else {
                XCell::Number(f64::from(r.set))
            },
            text(format!("{} sao", r.star)),
            text(format!("{n}/QĐ-UBND")),
            text(format!("{d:02}/{m:02}/{y}")),
            text(if r.certificate {
                format!("GCN-{n:04}")
            } else {
                String::new()
            }),
        ]);
    }
    out
}

#[test]
fn fuzz_registry_import() {
    fuzz(
        "registry import (.xlsx)",
        60,
        xlsx_case(registry_row()),
        |case| {
            let (bytes, valid) = xlsx_bytes(&case, registry_rows, REGISTRY_HEADERS);
            let plan = with_store(|s| s.registry_import_plan(&bytes, Lang::En));
            let plan = check_import_plan(plan)?;
            if valid {
                prop_assert!(plan.is_some());
                round_trip(
                    &bytes,
                    |s, b| s.registry_import_plan(b, Lang::Vi),
                    |s, b, fp| s.registry_import_apply(ACTOR, b, Some(fp), Lang::Vi),
                )?;
            }
            Ok(())
        },
    );
}

// 4c. A plan's targets

#[derive(Debug, Clone)]
struct PlanRow {
    locality: String,
    stars: [u32; 3],
    total: bool,
}

fn plan_row() -> impl Strategy<Value = PlanRow> + Clone {
    (name_text(), [0u32..40, 0u32..40, 0u32..40], any::<bool>()).prop_map(
        |(locality, stars, total)| PlanRow {
            locality,
            stars,
            total,
        },
    )
}

const PLAN_HEADER: [&str; 6] = [
    "TT",
    "Các huyện, thị xã, thành phố",
    "Kế hoạch (Tổng)",
    "5 sao",
    "4 sao",
    "3 sao",
];

fn plan_rows(rows: &[PlanRow]) -> Vec<Vec<XCell>> {
    let mut out = vec![
        vec![text("KẾ HOẠCH PHÁT TRIỂN SẢN PHẨM OCOP")],
        PLAN_HEADER.iter().map(|h| text(*h)).collect(),
    ];
    let mut sums = [0u32; 3];
    for (i, r) in rows.iter().enumerate() {
        let n = i + 1;
        let [s3, s4, s5] = r.stars;
        sums[0] += s3;
        sums[1] += s4;
        sums[2] += s5;
        out.push(vec![
            XCell::Number(n as f64),
            text(format!("Huyện {} {n}", r.locality)),
            if r.total {
                XCell::Number(f64::from(s3 + s4 + s5))
            } else {
                XCell::Empty
            },
            XCell::Number(f64::from(s5)),
            XCell::Number(f64::from(s4)),
            if s3 == 0 {
                text("-")
            } else {
                XCell::Number(f64::from(s3))
            },
        ]);
    }
    out.push(vec![
        XCell::Empty,
        text("Tổng"),
        XCell::Number(f64::from(sums.iter().sum::<u32>())),
        XCell::Number(f64::from(sums[2])),
        XCell::Number(f64::from(sums[1])),
        XCell::Number(f64::from(sums[0])),
    ]);
    out
}

#[test]
fn fuzz_plan_import() {
    let case = (
        xlsx_case(plan_row()),
        prop_oneof![4 => 2018i32..=2100, 1 => any::<i32>()],
    );
    fuzz("plan import (.xlsx)", 60, case, |(case, year)| {
        let (bytes, valid) = xlsx_bytes(&case, plan_rows, &PLAN_HEADER);
        let plan = with_store(|s| s.plan_import_plan(&bytes, year, Lang::En));
        let in_range = (2018..=2100).contains(&year);
        match plan {
            Ok(p) => {
                prop_assert!(in_range);
                prop_assert_eq!(p.total, p.target.iter().sum::<u32>());
                for r in &p.rows {
                    for e in &r.errors {
                        check_dto(e, false)?;
                    }
                }
                for e in &p.errors {
                    check_dto(e, false)?;
                }
                if valid {
                    prop_assert!(p.errors.is_empty(), "{:?}", p.errors);
                    prop_assert!(p.rows.iter().all(|r| r.errors.is_empty()), "{:?}", p.rows);
                    let mut s = Store::open_in_memory().unwrap();
                    let applied = s
                        .plan_import_apply(ACTOR, &bytes, year, Some(&p.fingerprint), Lang::Vi)
                        .map_err(|e| TestCaseError::fail(format!("apply: {e}")))?;
                    prop_assert!(applied.applied);
                    let again = s.plan_import_plan(&bytes, year, Lang::Vi).unwrap();
                    for r in &again.rows {
                        prop_assert_eq!(r.stored, Some(r.target), "row {}", r.row);
                    }
                }
            }
            Err(e) => {
                prop_assert!(!valid || !in_range, "a valid plan was refused: {e}");
                check_error(&e, false)?;
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// What the fuzzing found, each kept as a test of its own

/// A single value in the last cell Excel has (XFD1048576) made the import read the sheet as one
/// dense range of 17 billion cells: the allocation failed and aborted the whole process.
#[test]
fn fuzz_found_a_far_cell_costs_nothing() {
    let mut rows = record_rows(&[]);
    rows.push(vec![text("HTX Bình Sơn"), XCell::Empty, XCell::Empty]);
    let bytes = workbook(&rows, &[(1_048_575, 16_383, text("xa"))]);
    let s = Store::open_in_memory().unwrap();
    let plan = s.import_plan(&bytes, None, Lang::En).unwrap();
    let last = plan.rows.last().unwrap();
    assert_eq!(last.row, 1_048_576, "numbered as Excel numbers it");
    assert_eq!(last.errors[0].code, "import.row.owner_missing");
    // The same for the plan targets and the registry.
    assert!(s.plan_import_plan(&bytes, 2026, Lang::En).is_err());
    assert!(s.registry_import_plan(&bytes, Lang::En).is_err());
}

/// What a sheet may make the import hold is bounded, and the refusal says so.
#[test]
fn fuzz_found_a_sheet_too_wide_to_read_is_refused() {
    let far: Vec<(u32, u16, XCell)> = (1..200).map(|r| (r, 16_383, text("x"))).collect();
    let bytes = workbook(&record_rows(&[]), &far);
    let s = Store::open_in_memory().unwrap();
    let e = s.import_plan(&bytes, None, Lang::En).unwrap_err();
    assert_eq!(e.code(), "import.too_large");
    assert!(e.message(Lang::En).contains("2000000 cells"), "{e}");
}

/// Rows were numbered from the first filled row, so a sheet whose header is on row 3 named
/// every row two lines too high.
#[test]
fn fuzz_found_rows_are_numbered_as_excel_shows_them() {
    let mut rows = vec![vec![], vec![]];
    rows.extend(record_rows(&[]));
    rows.push(vec![text("HTX Bình Sơn")]);
    let s = Store::open_in_memory().unwrap();
    let plan = s
        .import_plan(&workbook(&rows, &[]), None, Lang::En)
        .unwrap();
    assert_eq!(plan.rows[0].row, 4);
    assert_eq!(plan.rows[0].errors[0].code, "import.row.product_missing");
}

/// A NUL in a cell passed the plan and then failed the write with a raw database error
/// (SQLite's `trim` stops at a NUL); control characters are not text and are dropped.
#[test]
fn fuzz_found_control_characters_are_dropped() {
    let mut rows = record_rows(&[]);
    let mut row = vec![XCell::Empty; TEMPLATE_HEADERS.len()];
    row[0] = text("HTX Bình\u{0} Sơn");
    row[12] = text("\u{0}Chè xanh\u{7}");
    row[13] = XCell::Number(11.0);
    rows.push(row);
    let bytes = workbook(&rows, &[]);
    let mut s = Store::open_in_memory().unwrap();
    let plan = s.import_plan(&bytes, None, Lang::Vi).unwrap();
    assert_eq!(plan.rows[0].owner_name, "HTX Bình Sơn");
    assert_eq!(plan.rows[0].product_name, "Chè xanh");
    s.import_apply(ACTOR, &bytes, None, Some(&plan.fingerprint), Lang::Vi)
        .unwrap();
}

/// The decision as it is printed ("26/2026/QĐ-TTg"), which the import's own message tells the
/// user to write, was an unknown decision: the Đ was dropped.
#[test]
fn fuzz_found_the_printed_decision_number_is_known() {
    let rows = record_rows(&[RecordRow {
        owner: "HTX Bình Sơn".into(),
        kind: 1,
        rep: String::new(),
        sex: 0,
        phone: String::new(),
        reg: false,
        product: "Chè xanh".into(),
        set: 11,
        decision: 1,
        code: false,
        application: 0,
        received: None,
    }]);
    let s = Store::open_in_memory().unwrap();
    let plan = s
        .import_plan(&workbook(&rows, &[]), None, Lang::En)
        .unwrap();
    assert!(plan.rows[0].errors.is_empty(), "{:?}", plan.rows[0].errors);
}

/// A number beyond 2^63 was read as 9223372036854775807, so the message quoted a value the file
/// does not hold.
#[test]
fn fuzz_found_huge_numbers_are_quoted_as_written() {
    let mut rows = registry_rows(&[RegistryRow {
        product: "Chè xanh".into(),
        owner: "HTX Bình Sơn".into(),
        kind: 1,
        set: 11,
        set_by_name: false,
        star: 4,
        date: (2025, 3, 1),
        certificate: true,
    }]);
    rows[1][8] = XCell::Number(1e20);
    let s = Store::open_in_memory().unwrap();
    let plan = s
        .registry_import_plan(&workbook(&rows, &[]), Lang::En)
        .unwrap();
    let e = &plan.rows[0].errors[0];
    assert_eq!(e.code, "import.row.bad_star");
    assert_eq!(e.params["star"], "100000000000000000000");
}

/// A title in A1 above the header ("KẾ HOẠCH …", as provinces print them) was read into
/// column A's header, which then looked like the total column: every row's total was its number.
#[test]
fn fuzz_found_a_title_above_the_plan_header_is_not_a_column() {
    let rows = plan_rows(&[
        PlanRow {
            locality: "Nga Sơn".into(),
            stars: [3, 1, 0],
            total: true,
        },
        PlanRow {
            locality: "Hà Trung".into(),
            stars: [2, 0, 0],
            total: false,
        },
    ]);
    assert_eq!(rows[0].len(), 1, "the title row");
    let s = Store::open_in_memory().unwrap();
    let plan = s
        .plan_import_plan(&workbook(&rows, &[]), 2026, Lang::En)
        .unwrap();
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert!(
        plan.rows.iter().all(|r| r.errors.is_empty()),
        "{:?}",
        plan.rows
    );
    assert_eq!(plan.target, [5, 1, 0]);
    assert_eq!(plan.rows[0].row, 3);
}

/// Targets of four billion overflowed the sums (a panic in debug builds, a wrapped total in
/// release); a target is at most `MAX_TARGET`.
#[test]
fn fuzz_found_huge_targets_are_refused_not_summed() {
    let mut rows = plan_rows(&[PlanRow {
        locality: "Nga Sơn".into(),
        stars: [0, 0, 0],
        total: false,
    }]);
    for cell in &mut rows[2][3..6] {
        *cell = XCell::Number(4e9);
    }
    let s = Store::open_in_memory().unwrap();
    let plan = s
        .plan_import_plan(&workbook(&rows, &[]), 2026, Lang::En)
        .unwrap();
    let codes: Vec<&str> = plan.rows[0]
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(codes, ["plan.target_too_large"; 3]);
    assert!(plan.rows[0].errors[0].message.contains("at most 100000"));
}

/// The reason a criteria file is refused was Vietnamese in every language.
#[test]
fn fuzz_found_criteria_refusals_read_in_english() {
    let files = criteria_files();
    let (path, set) = &files.sets[0];
    let mut v = set.clone();
    ascii_only(&mut v);
    v["parts"][0]["groups"][0]["criteria"][0]["options"][0]
        .as_object_mut()
        .unwrap()
        .remove("points");
    let mut d = files.decisions[0].1.clone();
    ascii_only(&mut d);
    let e = load(&d, path, &v.to_string()).unwrap_err();
    let en = e.message(Lang::En);
    assert!(en.contains("invalid JSON: missing field `points`"), "{en}");
    assert!(en.is_ascii(), "{en}");
    assert!(e.message(Lang::Vi).contains("JSON không hợp lệ"));
}

/// A cell reference with more digits than 32 bits hold ("A99999999999") made the .xlsx reader
/// panic (an overflow, in a debug build; a release build wraps it around): a panic of the reader
/// is a sheet that cannot be read.
#[test]
fn fuzz_found_a_reader_panic_is_an_unreadable_sheet() {
    let mut rows = record_rows(&[]);
    rows.push(vec![text("HTX Bình Sơn")]);
    let bytes = edit_sheet_xml(&workbook(&rows, &[]), |xml| {
        replace_ref(xml, 1, "A99999999999")
    });
    let s = Store::open_in_memory().unwrap();
    match s.import_plan(&bytes, None, Lang::En) {
        Err(e) => {
            assert_eq!(e.code(), "import.sheet_unreadable");
            assert!(e.message(Lang::En).contains("overflow"), "{e}");
        }
        // A release build wraps the number around and reads the sheet.
        Ok(_) if !cfg!(debug_assertions) => {}
        Ok(_) => panic!("a debug build's reader checks overflows"),
    }
}
