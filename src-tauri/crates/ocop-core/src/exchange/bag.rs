//! Writing and reading the zip: the bag's layout, its manifests, the limits a reader keeps.
//!
//! A reader trusts nothing it is told: every entry is read through a bounded reader (the
//! declared sizes are never believed), names are checked before anything else, and the
//! signature, the tag manifest, the manifest and every record's version are checked before a
//! bundle is handed to anyone.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};

use ed25519_dalek::SigningKey;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::records::ENTITIES;
use super::{msg, sha256_hex, sign, version_of, BagInfo, BundleDraft, Purpose, Record};
use super::{CONTEXT, RECORD_FORMAT, SCHEMA_VERSION};
use crate::error::{CoreError, Result};

/// Every file sits under this one directory (RFC 8493 §4.2: a serialised bag unpacks to one
/// base directory).
pub const ROOT: &str = "ocop-bundle/";
const BAGIT: &str = "bagit.txt";
const BAG_INFO: &str = "bag-info.txt";
const MANIFEST: &str = "manifest-sha256.txt";
const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
const SIGNATURE: &str = "tagmanifest-sha256.txt.minisig";
const BAGIT_TEXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// What a reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The bundle file and the sum of its uncompressed entries.
    pub max_total: u64,
    pub max_entries: usize,
    /// Uncompressed / compressed, for any entry larger than `ratio_floor`.
    pub max_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_total: 1 << 30,
            max_entries: 20_000,
            max_ratio: 200,
            ratio_floor: 1 << 20,
        }
    }
}

/// A bundle whose signature, manifests and record versions all check. Whether its sender is
/// trusted is for the store to say.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub info: BagInfo,
    pub records: BTreeMap<String, Vec<Record>>,
    pub attachments: BTreeMap<String, Vec<u8>>,
}

fn records_path(entity: &str) -> String {
    format!("data/records/{entity}.jsonl")
}

fn attachment_path(sha: &str) -> String {
    format!("data/attachments/{sha}")
}

/// The trusted comment: the context, then what identifies this bundle.
fn trusted_comment(info: &BagInfo) -> String {
    format!(
        "{CONTEXT} uuid={} purpose={} schema={} key={} created={}",
        info.bundle_uuid,
        info.purpose.as_str(),
        info.schema_version,
        info.sender_key_fingerprint,
        info.created
    )
}

/// One line per field; newlines in a value (an office name) become spaces.
fn bag_info_text(info: &BagInfo, payload_octets: u64, payload_files: usize) -> String {
    let clean = |s: &str| s.replace(['\r', '\n'], " ");
    let mut t = String::new();
    let mut field = |k: &str, v: &str| {
        t.push_str(k);
        t.push_str(": ");
        t.push_str(&clean(v));
        t.push('\n');
    };
    field("Bundle-Context", CONTEXT);
    field("Bundle-UUID", &info.bundle_uuid);
    field("Schema-Version", &info.schema_version.to_string());
    field("Purpose", info.purpose.as_str());
    field("Sender-Office", &info.sender_office);
    field("Sender-Key-Fingerprint", &info.sender_key_fingerprint);
    field("Sender-Public-Key", &info.sender_public_key);
    field("Created", &info.created);
    field("Bagging-Date", info.created.get(..10).unwrap_or(""));
    field("Payload-Oxum", &format!("{payload_octets}.{payload_files}"));
    for (entity, n) in &info.counts {
        field(&format!("Record-Count-{entity}"), &n.to_string());
    }
    field("Attachment-Count", &info.attachments.to_string());
    t
}

fn manifest(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", sha256_hex(bytes)))
        .collect()
}

/// Writes a bundle: the bag's files, zipped (deflate), signed with `key`.
pub fn write_bundle(draft: &BundleDraft, key: &SigningKey) -> Result<Vec<u8>> {
    let mut info = draft.info.clone();
    info.schema_version = SCHEMA_VERSION;
    info.counts = draft
        .records
        .iter()
        .filter(|(_, r)| !r.is_empty())
        .map(|(e, r)| (e.clone(), r.len() as u32))
        .collect();
    info.attachments = draft.attachments.len() as u32;
    let mut data: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (entity, records) in draft.records.iter().filter(|(_, r)| !r.is_empty()) {
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r).expect("a record serialises"));
            text.push('\n');
        }
        data.insert(records_path(entity), text.into_bytes());
    }
    for (sha, bytes) in &draft.attachments {
        data.insert(attachment_path(sha), bytes.clone());
    }
    let octets: u64 = data.values().map(|b| b.len() as u64).sum();
    let mut tags: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    tags.insert(BAGIT.into(), BAGIT_TEXT.as_bytes().to_vec());
    tags.insert(
        BAG_INFO.into(),
        bag_info_text(&info, octets, data.len()).into_bytes(),
    );
    tags.insert(MANIFEST.into(), manifest(&data).into_bytes());
    let tag_manifest = manifest(&tags);
    let signature = sign::sign(
        key,
        tag_manifest.as_bytes(),
        &format!(
            "OCOP exchange bundle {} from key {}",
            info.bundle_uuid, info.sender_key_fingerprint
        ),
        &trusted_comment(&info),
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let io = |e: std::io::Error| msg::OUT_WRITE.with("detail", e);
    let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(format!("{ROOT}{name}"), options)
            .map_err(|e| msg::OUT_WRITE.with("detail", e))?;
        zip.write_all(bytes).map_err(io)
    };
    for (name, bytes) in &tags {
        put(name, bytes)?;
    }
    put(TAG_MANIFEST, tag_manifest.as_bytes())?;
    put(SIGNATURE, signature.as_bytes())?;
    for (name, bytes) in &data {
        put(name, bytes)?;
    }
    Ok(zip
        .finish()
        .map_err(|e| msg::OUT_WRITE.with("detail", e))?
        .into_inner())
}

/// Reads and checks a bundle with the default limits.
pub fn read_bundle(bytes: &[u8]) -> Result<Bundle> {
    read_bundle_with(bytes, &Limits::default())
}

/// A name inside the bag, checked: UTF-8, under [`ROOT`], no backslash, no absolute path, no
/// empty, `.` or `..` component, no control character.
fn bag_name(raw: &[u8]) -> Result<String> {
    let shown = String::from_utf8_lossy(raw).to_string();
    let bad = || msg::BAD_PATH.with("name", &shown);
    let name = std::str::from_utf8(raw).map_err(|_| bad())?;
    if name.contains('\\') || name.chars().any(char::is_control) || name.contains(':') {
        return Err(bad());
    }
    let rest = name.strip_prefix(ROOT).ok_or_else(bad)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if !rest.is_empty()
        && rest
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(bad());
    }
    Ok(name.to_string())
}

/// Reads every entry, bounded; returns the files by their name inside the bag.
fn unzip(bytes: &[u8], limits: &Limits) -> Result<BTreeMap<String, Vec<u8>>> {
    if bytes.len() as u64 > limits.max_total {
        return Err(msg::TOO_LARGE.with("limit", limits.max_total));
    }
    let unreadable = |e: &dyn std::fmt::Display| msg::UNREADABLE.with("detail", e);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if archive.has_duplicate_names() {
        return Err(msg::DUPLICATE.with("name", "?"));
    }
    if archive.len() > limits.max_entries {
        return Err(msg::TOO_MANY_ENTRIES.with("limit", limits.max_entries));
    }
    let mut files = BTreeMap::new();
    let mut left = limits.max_total;
    let mut seen = BTreeSet::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            if archive_has_duplicates(bytes) {
                msg::DUPLICATE.with("name", "?")
            } else {
                unreadable(&e)
            }
        })?;
        let name = bag_name(entry.name_raw())?;
        if !seen.insert(name.clone()) {
            return Err(msg::DUPLICATE.with("name", name));
        }
        if entry.is_dir() || name.ends_with('/') {
            continue;
        }
        if !matches!(
            entry.compression(),
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            return Err(unreadable(&format!("{name}: compression")));
        }
        // Never trust the declared sizes: read at most what the limits allow, plus one byte to
        // tell "exactly at the limit" from "beyond it".
        let by_ratio = entry
            .compressed_size()
            .max(1)
            .saturating_mul(limits.max_ratio)
            .max(limits.ratio_floor);
        let cap = by_ratio.min(left);
        let mut out = Vec::new();
        (&mut entry)
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| unreadable(&format!("{name}: {e}")))?;
        if out.len() as u64 > cap {
            return Err(if cap == left {
                msg::TOO_LARGE.with("limit", limits.max_total)
            } else {
                msg::RATIO.with("name", name)
            });
        }
        left -= out.len() as u64;
        let inner = name[ROOT.len()..].to_string();
        files.insert(inner, out);
    }
    check_canonical(bytes, &mut archive)?;
    Ok(files)
}

/// The zip's headers must be exactly those [`write_bundle`] writes (`BUNDLE.md`, "Zip layout"):
/// stored (deflate's padding bits could change without changing a byte of content), no timestamps (1980-01-01), mode 0644, no extra fields or comments, entries one
/// after another, then the central directory, then its end record. The bytes the manifests do
/// not cover (times, attributes, offsets) then cannot change unnoticed: the whole file is
/// rebuilt from what was read and compared byte for byte.
fn check_canonical(bytes: &[u8], archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<()> {
    let altered = |at: usize| msg::NOT_CANONICAL.with("offset", at);
    let mut expected: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut central: Vec<u8> = Vec::new();
    let n = archive.len();
    for i in 0..n {
        let f = archive
            .by_index_raw(i)
            .map_err(|e| msg::UNREADABLE.with("detail", e))?;
        let name = f.name_raw().to_vec();
        if f.compression() != CompressionMethod::Stored
            || f.compressed_size() != f.size()
            || name.len() > u16::MAX as usize
        {
            return Err(altered(f.header_start() as usize));
        }
        let (crc, cs, us) = (f.crc32(), f.compressed_size(), f.size());
        let (Ok(cs32), Ok(us32), Ok(offset)) = (
            u32::try_from(cs),
            u32::try_from(us),
            u32::try_from(expected.len()),
        ) else {
            return Err(altered(expected.len()));
        };
        let fixed = |v: &mut Vec<u8>| {
            v.extend_from_slice(&10u16.to_le_bytes()); // version needed: 1.0
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time 00:00:00
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&cs32.to_le_bytes());
            v.extend_from_slice(&us32.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        };
        expected.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        fixed(&mut expected);
        expected.extend_from_slice(&name);
        let start = expected.len();
        let end = start
            .checked_add(cs as usize)
            .filter(|e| *e <= bytes.len())
            .ok_or_else(|| altered(start))?;
        expected.extend_from_slice(&bytes[start..end]);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&0x030au16.to_le_bytes()); // made by: Unix, 1.0
        fixed(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0x81a4_0000u32.to_le_bytes()); // regular file, 0644
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&name);
    }
    let cd_offset = expected.len() as u32;
    let cd_size = central.len() as u32;
    expected.extend_from_slice(&central);
    expected.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    expected.extend_from_slice(&[0; 4]);
    expected.extend_from_slice(&(n as u16).to_le_bytes());
    expected.extend_from_slice(&(n as u16).to_le_bytes());
    expected.extend_from_slice(&cd_size.to_le_bytes());
    expected.extend_from_slice(&cd_offset.to_le_bytes());
    expected.extend_from_slice(&0u16.to_le_bytes());
    if let Some(at) = expected.iter().zip(bytes).position(|(a, b)| a != b) {
        return Err(altered(at));
    }
    if expected.len() != bytes.len() {
        return Err(altered(expected.len().min(bytes.len())));
    }
    Ok(())
}

fn archive_has_duplicates(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|a| a.has_duplicate_names())
        .unwrap_or(false)
}

/// A manifest's lines: `<sha256>  <path>` (RFC 8493 §2.1.3), each path once.
fn parse_manifest(text: &[u8], which: &str) -> Result<BTreeMap<String, String>> {
    let bad = |d: String| msg::BAG_INFO.with("detail", format!("{which}: {d}"));
    let text = std::str::from_utf8(text).map_err(|_| bad("UTF-8".into()))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let (hash, path) = line
            .split_once("  ")
            .ok_or_else(|| bad(format!("line {}", i + 1)))?;
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            return Err(bad(format!("line {}", i + 1)));
        }
        if out.insert(path.to_string(), hash.to_string()).is_some() {
            return Err(msg::DUPLICATE.with("name", path));
        }
    }
    Ok(out)
}

fn parse_bag_info(text: &[u8]) -> Result<(BagInfo, String)> {
    let bad = |d: &str| msg::BAG_INFO.with("detail", d);
    let text = std::str::from_utf8(text).map_err(|_| bad("UTF-8"))?;
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    for line in text.lines() {
        let (k, v) = line.split_once(": ").ok_or_else(|| bad(line))?;
        if fields.insert(k, v).is_some() {
            return Err(bad(&format!("{k} twice")));
        }
    }
    let get = |k: &str| {
        fields
            .get(k)
            .copied()
            .ok_or_else(|| bad(&format!("{k} missing")))
    };
    if get("Bundle-Context")? != CONTEXT {
        return Err(msg::CONTEXT_MISMATCH.with("detail", "Bundle-Context"));
    }
    let schema: u32 = get("Schema-Version")?
        .parse()
        .map_err(|_| bad("Schema-Version"))?;
    if schema > SCHEMA_VERSION {
        return Err(msg::SCHEMA_NEWER
            .with("found", schema)
            .with("supported", SCHEMA_VERSION));
    }
    if schema == 0 {
        return Err(bad("Schema-Version"));
    }
    let uuid = get("Bundle-UUID")?;
    uuid::Uuid::parse_str(uuid).map_err(|_| bad("Bundle-UUID"))?;
    let mut counts = BTreeMap::new();
    for (k, v) in &fields {
        if let Some(entity) = k.strip_prefix("Record-Count-") {
            if !ENTITIES.contains(&entity) {
                return Err(bad(k));
            }
            counts.insert(entity.to_string(), v.parse().map_err(|_| bad(k))?);
        }
    }
    let info = BagInfo {
        bundle_uuid: uuid.to_string(),
        sender_office: get("Sender-Office")?.to_string(),
        sender_key_fingerprint: get("Sender-Key-Fingerprint")?.to_string(),
        sender_public_key: get("Sender-Public-Key")?.to_string(),
        created: get("Created")?.to_string(),
        schema_version: schema,
        purpose: Purpose::parse(get("Purpose")?)?,
        counts,
        attachments: get("Attachment-Count")?
            .parse()
            .map_err(|_| bad("Attachment-Count"))?,
    };
    Ok((info, get("Payload-Oxum")?.to_string()))
}

fn check_hashes(
    listed: &BTreeMap<String, String>,
    present: &BTreeMap<String, &Vec<u8>>,
) -> Result<()> {
    for (path, hash) in listed {
        let bytes = present
            .get(path)
            .ok_or_else(|| msg::MISSING_FILE.with("name", path))?;
        if &sha256_hex(bytes) != hash {
            return Err(msg::HASH_MISMATCH.with("name", path));
        }
    }
    if let Some(extra) = present.keys().find(|p| !listed.contains_key(*p)) {
        return Err(msg::EXTRA_FILE.with("name", extra));
    }
    Ok(())
}

/// Reads a bundle and checks it all: layout, names, sizes, signature (with the key the bundle
/// names), tag manifest, manifest, record versions and counts. Nothing is trusted yet.
pub fn read_bundle_with(bytes: &[u8], limits: &Limits) -> Result<Bundle> {
    let files = unzip(bytes, limits)?;
    if files.contains_key("fetch.txt") {
        return Err(msg::FETCH.err());
    }
    for required in [BAGIT, BAG_INFO, MANIFEST, TAG_MANIFEST, SIGNATURE] {
        if !files.contains_key(required) {
            return Err(msg::MISSING_FILE.with("name", required));
        }
    }
    if let Some(extra) = files.keys().find(|n| {
        !n.starts_with("data/")
            && ![BAGIT, BAG_INFO, MANIFEST, TAG_MANIFEST, SIGNATURE].contains(&n.as_str())
    }) {
        return Err(msg::EXTRA_FILE.with("name", extra));
    }
    // The signature first, with the key bag-info names; bag-info itself is believed only once
    // the tag manifest that lists it has been checked.
    let (claimed, _) = parse_bag_info(&files[BAG_INFO])?;
    let public = crate::office::payload::parse_public_key(&claimed.sender_public_key)
        .map_err(|_| msg::BAG_INFO.with("detail", "Sender-Public-Key"))?;
    if crate::office::key_id(&public) != claimed.sender_key_fingerprint {
        return Err(msg::BAG_INFO.with("detail", "Sender-Key-Fingerprint"));
    }
    let comment = sign::verify(&public, &files[TAG_MANIFEST], &files[SIGNATURE])?;
    let tag_listed = parse_manifest(&files[TAG_MANIFEST], TAG_MANIFEST)?;
    let tags: BTreeMap<String, &Vec<u8>> = files
        .iter()
        .filter(|(n, _)| [BAGIT, BAG_INFO, MANIFEST].contains(&n.as_str()))
        .map(|(n, b)| (n.clone(), b))
        .collect();
    check_hashes(&tag_listed, &tags)?;
    let (info, oxum) = parse_bag_info(&files[BAG_INFO])?;
    if comment != trusted_comment(&info) {
        return Err(msg::CONTEXT_MISMATCH.with("detail", "trusted comment"));
    }
    if files[BAGIT] != BAGIT_TEXT.as_bytes() {
        return Err(msg::BAG_INFO.with("detail", BAGIT));
    }
    let data: BTreeMap<String, &Vec<u8>> = files
        .iter()
        .filter(|(n, _)| n.starts_with("data/"))
        .map(|(n, b)| (n.clone(), b))
        .collect();
    check_hashes(&parse_manifest(&files[MANIFEST], MANIFEST)?, &data)?;
    let octets: u64 = data.values().map(|b| b.len() as u64).sum();
    if oxum != format!("{octets}.{}", data.len()) {
        return Err(msg::BAG_INFO.with("detail", "Payload-Oxum"));
    }
    let mut records = BTreeMap::new();
    let mut attachments = BTreeMap::new();
    for (path, bytes) in &data {
        if let Some(sha) = path.strip_prefix("data/attachments/") {
            if sha.len() != 64 || !sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                return Err(msg::EXTRA_FILE.with("name", path));
            }
            if sha256_hex(bytes) != sha {
                return Err(msg::HASH_MISMATCH.with("name", path));
            }
            attachments.insert(sha.to_string(), (*bytes).clone());
        } else if let Some(entity) = path
            .strip_prefix("data/records/")
            .and_then(|f| f.strip_suffix(".jsonl"))
            .filter(|e| ENTITIES.contains(e))
        {
            records.insert(entity.to_string(), parse_records(entity, path, bytes)?);
        } else {
            return Err(msg::EXTRA_FILE.with("name", path));
        }
    }
    for entity in ENTITIES {
        let found = records
            .get(*entity)
            .map_or(0, |r: &Vec<Record>| r.len() as u32);
        let declared = info.counts.get(*entity).copied().unwrap_or(0);
        if found != declared || (info.counts.contains_key(*entity) != records.contains_key(*entity))
        {
            return Err(msg::COUNT_MISMATCH
                .with("entity", entity)
                .with("found", found)
                .with("declared", declared));
        }
    }
    if info.attachments as usize != attachments.len() {
        return Err(msg::COUNT_MISMATCH
            .with("entity", "attachment")
            .with("found", attachments.len())
            .with("declared", info.attachments));
    }
    Ok(Bundle {
        info,
        records,
        attachments,
    })
}

fn parse_records(entity: &str, path: &str, bytes: &[u8]) -> Result<Vec<Record>> {
    let bad = |line: usize, d: &dyn std::fmt::Display| {
        msg::BAD_RECORD
            .with("name", path)
            .with("line", line)
            .with("detail", d)
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad(0, &"UTF-8"))?;
    let body = text
        .strip_suffix('\n')
        .ok_or_else(|| bad(0, &"no final newline"))?;
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, line) in body.split('\n').enumerate() {
        let n = i + 1;
        let r: Record = serde_json::from_str(line).map_err(|e| bad(n, &e))?;
        if r.format != RECORD_FORMAT {
            return Err(bad(n, &format!("format {}", r.format)));
        }
        super::records::check_id(entity, &r.id).map_err(|d: CoreError| bad(n, &d))?;
        if !r.data.is_object() {
            return Err(bad(n, &"data"));
        }
        if version_of(&r.data) != r.version {
            return Err(msg::VERSION_MISMATCH
                .with("entity", entity)
                .with("id", &r.id));
        }
        if !ids.insert(r.id.clone()) {
            return Err(msg::DUPLICATE_RECORD
                .with("entity", entity)
                .with("id", &r.id));
        }
        out.push(r);
    }
    Ok(out)
}
