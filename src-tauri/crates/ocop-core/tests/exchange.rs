//! Exchange bundles between two data directories: the round trip (results identical,
//! attachments byte-identical, certificates verifying at the receiver), idempotent re-import,
//! conflicts, trust on first use, tampering (byte flips, truncations), zip-slip and zip bombs,
//! signature contexts, minisign compatibility, and a property test of the reader.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use ocop_core::demo::DEMO_PASSPHRASE;
use ocop_core::exchange::{
    read_bundle, read_bundle_with, BundlePlan, ExportRequest, Limits, PlanAction, Purpose,
};
use ocop_core::model::RoundStatus;
use ocop_core::store::exchange::fingerprint_tables;
use ocop_core::store::Store;
use ocop_core::Lang;
use tempfile::TempDir;

const ACTOR: &str = "Thư ký";

struct Office {
    dir: TempDir,
    store: Store,
}

impl Office {
    fn empty() -> Office {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_dir(dir.path()).unwrap();
        Office { dir, store }
    }

    /// The demo province, with a file attached to every dossier of its finalised round.
    fn demo() -> Office {
        let mut o = Office::empty();
        ocop_core::demo::load(&mut o.store).unwrap();
        let round = o.finalised_round();
        for (i, d) in o.store.dossiers(&round).unwrap().iter().enumerate() {
            let bytes: Vec<u8> = format!("%PDF-1.4 hồ sơ {i}\n")
                .into_bytes()
                .into_iter()
                .chain((0..2000u32).map(|b| (b * 31 + i as u32) as u8))
                .collect();
            // The round is finalised (the app no longer attaches to it): the rows are written as
            // `Store::attach` writes them.
            let sha = hex::encode(sha2::Sha256::digest(&bytes));
            let path = ocop_core::store::rounds::attachment_path(o.dir.path(), &sha);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            let c = o.store.conn();
            c.execute(
                "INSERT OR IGNORE INTO attachment (sha256, mime, size, added_at) VALUES (?1, 'application/pdf', ?2, '2026-01-01')",
                rusqlite::params![sha, bytes.len() as i64],
            )
            .unwrap();
            c.execute(
                "INSERT INTO dossier_attachment (dossier_id, sha256, name) VALUES (?1, ?2, ?3)",
                rusqlite::params![d.id, sha, format!("ho-so-{i}.pdf")],
            )
            .unwrap();
        }
        o
    }

    fn finalised_round(&self) -> String {
        self.store
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Finalised)
            .unwrap()
            .id
    }

    fn export(&mut self, purpose: Purpose) -> Vec<u8> {
        let round = self.finalised_round();
        self.store
            .export_bundle(
                ACTOR,
                self.dir.path(),
                &ExportRequest {
                    round: Some(round),
                    products: vec![],
                    purpose,
                },
                Some(DEMO_PASSPHRASE),
            )
            .unwrap()
            .0
    }

    fn import(
        &mut self,
        bytes: &[u8],
        trust: bool,
        dry_run: bool,
    ) -> ocop_core::Result<BundlePlan> {
        let bundle = read_bundle(bytes)?;
        self.store.bundle_import(
            ACTOR,
            self.dir.path(),
            &bundle,
            "goi.zip",
            ocop_core::store::exchange::ImportOptions { trust, dry_run },
            Lang::En,
        )
    }

    fn tables(&self) -> String {
        fingerprint_tables(self.store.conn()).unwrap()
    }
}

fn code(e: &ocop_core::CoreError) -> String {
    e.to_dto(Lang::En).code
}

#[test]
fn province_to_centre_round_trip_keeps_results_attachments_and_is_idempotent() {
    let mut province = Office::demo();
    let round = province.finalised_round();
    let sent = province.store.round_results(&round).unwrap();
    let forwarded: Vec<_> = sent
        .products
        .iter()
        .filter(|l| l.result.forward == Some(ocop_core::rules::Level::Centre))
        .collect();
    assert!(!forwarded.is_empty(), "the demo has products of 90 or more");
    let bytes = province.export(Purpose::ProvinceToCentre);

    let mut centre = Office::empty();
    // An unknown sender is refused, and nothing is written.
    let before = centre.tables();
    let e = centre.import(&bytes, false, false).unwrap_err();
    assert_eq!(code(&e), "bundle.untrusted");
    assert_eq!(centre.tables(), before);
    // A dry run with trust shows the plan and writes nothing.
    let plan = centre.import(&bytes, true, true).unwrap();
    assert!(!plan.applied && !plan.trusted);
    // Everything is new, but the criteria sheets, which both offices hold already.
    assert!(plan.records.iter().all(|r| r.action
        == if r.entity == "criteria_sheet" {
            PlanAction::Unchanged
        } else {
            PlanAction::New
        }));
    assert_eq!(centre.tables(), before);

    let done = centre.import(&bytes, true, false).unwrap();
    assert!(done.applied && done.trusted_now);
    assert_eq!(done.conflicts, 0);
    let dossiers = done
        .entities
        .iter()
        .find(|e| e.entity == "dossier")
        .unwrap();
    assert_eq!(dossiers.new as usize, forwarded.len());

    // Results identical, for every forwarded product.
    let got = centre.store.round_results(&round).unwrap();
    for line in &forwarded {
        let there = got
            .products
            .iter()
            .find(|l| l.product_id == line.product_id)
            .unwrap();
        assert_eq!(
            serde_json::to_value(&there.result).unwrap(),
            serde_json::to_value(&line.result).unwrap()
        );
        // Sheets too: the same answers under the same sheet versions.
        let a = province
            .store
            .product_sheets(&round, &line.product_id)
            .unwrap();
        let b = centre
            .store
            .product_sheets(&round, &line.product_id)
            .unwrap();
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
    }
    // Attachments byte for byte.
    let mut files = 0;
    for d in centre.store.dossiers(&round).unwrap() {
        for a in &d.attachments {
            let (_, mine) = centre
                .store
                .attachment_bytes(centre.dir.path(), &a.sha256)
                .unwrap();
            let (_, theirs) = province
                .store
                .attachment_bytes(province.dir.path(), &a.sha256)
                .unwrap();
            assert_eq!(mine, theirs);
            files += 1;
        }
    }
    assert_eq!(files, forwarded.len());

    // The same bundle again: "already imported", nothing changes.
    let after = centre.tables();
    let again = centre.import(&bytes, false, false).unwrap();
    assert!(again.already_imported.is_some() && !again.applied);
    assert!(again.notice.unwrap().contains("already imported"));
    assert_eq!(centre.tables(), after);

    // A new bundle of the same records: every record unchanged.
    let bytes2 = province.export(Purpose::ProvinceToCentre);
    let plan = centre.import(&bytes2, false, true).unwrap();
    assert!(
        plan.records
            .iter()
            .all(|r| r.action == PlanAction::Unchanged),
        "{:?}",
        plan.entities
    );
}

#[test]
fn decisions_travel_and_their_certificates_verify_at_the_commune() {
    let mut province = Office::demo();
    let round = province.finalised_round();
    let rec = province
        .store
        .issue_recognition(ACTOR, &round, "2026-06-01", Some(DEMO_PASSPHRASE))
        .unwrap();
    assert!(!rec.certificates.is_empty());
    let bytes = province.export(Purpose::DecisionsToCommune);
    let mut commune = Office::empty();
    commune.import(&bytes, true, false).unwrap();
    let here = commune.store.recognition(&round).unwrap().unwrap();
    assert_eq!(here.certificates.len(), rec.certificates.len());
    for c in &here.certificates {
        let v = commune
            .store
            .verify_certificate(&c.payload, Lang::En)
            .unwrap();
        assert!(v.valid, "{}", v.message);
    }
}

#[test]
fn an_edit_at_both_ends_is_a_conflict_kept_apart_and_an_edit_at_one_end_is_an_update() {
    let mut province = Office::demo();
    let bytes = province.export(Purpose::ProvinceToCentre);
    let mut centre = Office::empty();
    centre.import(&bytes, true, false).unwrap();
    let round = province.finalised_round();
    let product_id = centre.store.dossiers(&round).unwrap()[0].product.id.clone();

    // Edited at the province only: an update.
    let mut p = province.store.product(&product_id).unwrap();
    p.name.push_str(" (sửa ở tỉnh)");
    let input = ocop_core::model::ProductInput {
        id: p.id.clone(),
        owner_id: p.owner_id.clone(),
        name: p.name.clone(),
        decision_id: p.decision_id.clone(),
        set_code: p.set_code.clone(),
        code: p.code.clone(),
    };
    province.store.save_product(ACTOR, &input).unwrap();
    let bytes = province.export(Purpose::ProvinceToCentre);
    let plan = centre.import(&bytes, false, false).unwrap();
    let rec = plan.records.iter().find(|r| r.id == product_id).unwrap();
    assert_eq!(rec.action, PlanAction::Updated);
    assert_eq!(centre.store.product(&product_id).unwrap().name, p.name);

    // Edited at both ends: a conflict; the centre's copy is kept.
    let mut here = centre.store.product(&product_id).unwrap();
    here.name.push_str(" (sửa ở trung ương)");
    let mine = ocop_core::model::ProductInput {
        name: here.name.clone(),
        ..input.clone()
    };
    centre.store.save_product(ACTOR, &mine).unwrap();
    let theirs = ocop_core::model::ProductInput {
        name: format!("{} (lần 2)", p.name),
        ..input
    };
    province.store.save_product(ACTOR, &theirs).unwrap();
    let bytes = province.export(Purpose::ProvinceToCentre);
    let plan = centre.import(&bytes, false, false).unwrap();
    let rec = plan.records.iter().find(|r| r.id == product_id).unwrap();
    assert_eq!(rec.action, PlanAction::Conflict);
    assert_eq!(plan.conflicts, 1);
    assert!(plan.notice.unwrap().contains("edited at both ends"));
    assert_eq!(centre.store.product(&product_id).unwrap().name, here.name);
    let kept: i64 = centre
        .store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM exchange_conflict WHERE record_id = ?1",
            [&product_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);

    // The conflict is listed, unsettled; taking the incoming copy writes it, once.
    use ocop_core::exchange::ConflictResolution;
    let list = centre.store.exchange_conflicts().unwrap();
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(
        (c.entity.as_str(), c.record_id.as_str()),
        ("product", product_id.as_str())
    );
    assert_eq!(c.label, theirs.name);
    assert!(!c.office.is_empty());
    assert!(c.resolution.is_none());
    let settled = centre
        .store
        .resolve_conflict(ACTOR, &c.id, ConflictResolution::TookIncoming)
        .unwrap();
    assert_eq!(settled.resolution, Some(ConflictResolution::TookIncoming));
    assert_eq!(centre.store.product(&product_id).unwrap().name, theirs.name);
    let e = centre
        .store
        .resolve_conflict(ACTOR, &c.id, ConflictResolution::KeptLocal)
        .unwrap_err();
    assert_eq!(code(&e), "bundle.conflict_settled");
    assert_eq!(
        code(
            &centre
                .store
                .resolve_conflict(ACTOR, "no-such-conflict", ConflictResolution::KeptLocal)
                .unwrap_err()
        ),
        "bundle.conflict_not_found"
    );
    // The next edit at the province is now a plain update.
    let third = ocop_core::model::ProductInput {
        name: format!("{} (lần 3)", p.name),
        ..theirs.clone()
    };
    province.store.save_product(ACTOR, &third).unwrap();
    let plan = centre
        .import(&province.export(Purpose::ProvinceToCentre), false, false)
        .unwrap();
    let rec = plan.records.iter().find(|r| r.id == product_id).unwrap();
    assert_eq!(rec.action, PlanAction::Updated);
    assert_eq!(centre.store.product(&product_id).unwrap().name, third.name);

    // Keeping the copy here leaves it as it is; the same incoming version sent again is unchanged.
    let mine = ocop_core::model::ProductInput {
        name: format!("{} (trung ương giữ)", third.name),
        ..third.clone()
    };
    centre.store.save_product(ACTOR, &mine).unwrap();
    let fourth = ocop_core::model::ProductInput {
        name: format!("{} (lần 4)", p.name),
        ..third
    };
    province.store.save_product(ACTOR, &fourth).unwrap();
    let bytes = province.export(Purpose::ProvinceToCentre);
    let plan = centre.import(&bytes, false, false).unwrap();
    assert_eq!(plan.conflicts, 1);
    let open: Vec<_> = centre
        .store
        .exchange_conflicts()
        .unwrap()
        .into_iter()
        .filter(|c| c.resolution.is_none())
        .collect();
    assert_eq!(open.len(), 1);
    centre
        .store
        .resolve_conflict(ACTOR, &open[0].id, ConflictResolution::KeptLocal)
        .unwrap();
    assert_eq!(centre.store.product(&product_id).unwrap().name, mine.name);
    let resent = province.export(Purpose::ProvinceToCentre);
    let plan = centre.import(&resent, false, false).unwrap();
    let rec = plan.records.iter().find(|r| r.id == product_id).unwrap();
    assert_eq!(rec.action, PlanAction::Unchanged);
    assert_eq!(centre.store.product(&product_id).unwrap().name, mine.name);
    assert!(centre.store.audit_verify().unwrap().ok);
}

/// A small, seeded generator (xorshift), so failures replay.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn every_flipped_byte_and_every_truncation_is_refused_and_changes_nothing() {
    let mut province = Office::demo();
    let bytes = province.export(Purpose::ProvinceToCentre);
    let mut centre = Office::empty();
    let before = centre.tables();
    let mut rng = Rng(0x5eed_0c0b);
    let mut codes: BTreeMap<String, u32> = BTreeMap::new();
    for _ in 0..1000 {
        let mut bad = bytes.clone();
        let at = (rng.next() % bad.len() as u64) as usize;
        bad[at] ^= 1 << (rng.next() % 8);
        let e = centre
            .import(&bad, true, false)
            .expect_err(&format!("flip at {at} accepted"));
        *codes.entry(code(&e)).or_default() += 1;
    }
    for _ in 0..100 {
        let len = (rng.next() % bytes.len() as u64) as usize;
        let e = centre
            .import(&bytes[..len], true, false)
            .expect_err(&format!("cut at {len} accepted"));
        *codes.entry(code(&e)).or_default() += 1;
    }
    assert_eq!(centre.tables(), before);
    eprintln!("tamper refusals by code: {codes:?}");
    // The untouched bundle still imports.
    centre.import(&bytes, true, false).unwrap();
}

/// The files of a bundle, in zip order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut a = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().unwrap().to_string(), out)
        })
        .collect()
}

/// Zips files as the app does (stored, no times, 0644).
fn rezip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    zip_with(files, zip::CompressionMethod::Stored)
}

fn zip_with(files: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    for (n, b) in files {
        z.start_file(n.as_str(), o).unwrap();
        z.write_all(b).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn refused(bytes: &[u8]) -> String {
    code(&read_bundle(bytes).expect_err("accepted"))
}

#[test]
fn paths_outside_the_bag_extra_missing_and_duplicate_files_and_fetch_are_refused() {
    let mut province = Office::demo();
    let files = unzip(&province.export(Purpose::CommuneToProvince));
    // The helper zips as the app does: the untouched files read.
    read_bundle(&rezip(&files)).unwrap();
    for evil in [
        "../evil.txt",
        "ocop-bundle/../../evil.txt",
        "/etc/passwd",
        "ocop-bundle/data/../../evil",
        "ocop-bundle\\data\\evil",
        "C:/evil",
        "ocop-bundle/data//evil",
        "ocop-bundle/./bagit.txt",
    ] {
        let mut f = files.clone();
        f.push((evil.to_string(), b"x".to_vec()));
        assert_eq!(refused(&rezip(&f)), "bundle.bad_path", "{evil}");
    }
    let mut f = files.clone();
    f.push((
        "ocop-bundle/data/records/extra.jsonl".into(),
        b"{}\n".to_vec(),
    ));
    assert_eq!(refused(&rezip(&f)), "bundle.extra_file");
    let mut f = files.clone();
    f.push((
        "ocop-bundle/fetch.txt".into(),
        b"http://x 1 data/x\n".to_vec(),
    ));
    assert_eq!(refused(&rezip(&f)), "bundle.fetch");
    let f: Vec<_> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("ocop-bundle/data/attachments/"))
        .cloned()
        .collect();
    assert_eq!(refused(&rezip(&f)), "bundle.missing_file");
    let f: Vec<_> = files
        .iter()
        .filter(|(n, _)| !n.ends_with("bagit.txt"))
        .cloned()
        .collect();
    assert_eq!(refused(&rezip(&f)), "bundle.missing_file");
    // The same name twice: written under a twin name, then renamed in the bytes.
    let mut f = files.clone();
    f.push((
        "ocop-bundle/bagit.txx".into(),
        b"BagIt-Version: 1.0\n".to_vec(),
    ));
    let mut z = rezip(&f);
    let (from, to) = (b"ocop-bundle/bagit.txx", b"ocop-bundle/bagit.txt");
    let mut i = 0;
    while i + from.len() <= z.len() {
        if &z[i..i + from.len()] == from {
            z[i..i + from.len()].copy_from_slice(to);
        }
        i += 1;
    }
    assert_eq!(refused(&z), "bundle.duplicate");
    // A record twice (both lines hashed and listed: the manifest is rebuilt, the signature then fails;
    // so the check is made on a bundle signed anew by the pure writer).
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let mut draft = small_draft(&key);
    let rec = draft.records["person"][0].clone();
    draft.records.get_mut("person").unwrap().push(rec);
    let e = read_bundle(&ocop_core::exchange::write_bundle(&draft, &key).unwrap()).unwrap_err();
    assert_eq!(code(&e), "bundle.duplicate_record");
}

fn small_draft(key: &ed25519_dalek::SigningKey) -> ocop_core::exchange::BundleDraft {
    use ocop_core::exchange::{BagInfo, BundleDraft, Record};
    let person = serde_json::json!({"full_name": "Lê Văn A", "title": "", "unit": "", "created_at": "2026-01-01", "updated_at": "2026-01-01"});
    let mut records = BTreeMap::new();
    records.insert(
        "person".to_string(),
        vec![Record::new(ocop_core::store::new_id(), person, None)],
    );
    let mut attachments = BTreeMap::new();
    let file = b"%PDF-1.4 test".to_vec();
    attachments.insert(hex::encode(sha2::Sha256::digest(&file)), file);
    BundleDraft {
        info: BagInfo {
            bundle_uuid: uuid::Uuid::new_v4().to_string(),
            sender_office: "UBND tỉnh Thử".into(),
            sender_key_fingerprint: ocop_core::office::key_id(&key.verifying_key()),
            sender_public_key: hex::encode(key.verifying_key().as_bytes()),
            created: "2026-06-01T00:00:00.000Z".into(),
            schema_version: 1,
            purpose: Purpose::CommuneToProvince,
            counts: BTreeMap::new(),
            attachments: 0,
        },
        records,
        attachments,
    }
}

use sha2::Digest as _;

#[test]
fn zip_bombs_and_oversized_bundles_are_refused() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let ok = ocop_core::exchange::write_bundle(&small_draft(&key), &key).unwrap();
    let mut files = unzip(&ok);
    // 16 MiB of zeros compresses about a thousandfold.
    files.push((
        "ocop-bundle/data/attachments/bomb".into(),
        vec![0u8; 16 << 20],
    ));
    let bomb = zip_with(&files, zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 100_000);
    assert_eq!(refused(&bomb), "bundle.ratio");
    // Within the ratio limit but beyond the total: refused while reading, by what was read.
    let mut big = unzip(&ok);
    big.push((
        "ocop-bundle/data/attachments/big".into(),
        vec![0u8; 512 << 10],
    ));
    let big = zip_with(&big, zip::CompressionMethod::Deflated);
    assert!(big.len() < 100_000);
    let e = read_bundle_with(
        &big,
        &Limits {
            max_total: 100_000,
            max_ratio: 1 << 20,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert_eq!(code(&e), "bundle.too_large");
    let e = read_bundle_with(
        &ok,
        &Limits {
            max_entries: 3,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert_eq!(code(&e), "bundle.too_many_entries");
    read_bundle_with(&ok, &Limits::default()).unwrap();
}

#[test]
fn a_newer_schema_is_refused_with_its_version() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let ok = ocop_core::exchange::write_bundle(&small_draft(&key), &key).unwrap();
    let files: Vec<_> = unzip(&ok)
        .into_iter()
        .map(|(n, b)| {
            if n.ends_with("bag-info.txt") {
                let t = String::from_utf8(b)
                    .unwrap()
                    .replace("Schema-Version: 1", "Schema-Version: 2");
                (n, t.into_bytes())
            } else {
                (n, b)
            }
        })
        .collect();
    let e = read_bundle(&rezip(&files)).unwrap_err();
    assert_eq!(code(&e), "bundle.schema_newer");
    assert!(e.to_dto(Lang::En).message.contains("version 2"));
}

#[test]
fn minisign_verifies_a_bundle_and_signatures_do_not_cross_with_certificates() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let ok = ocop_core::exchange::write_bundle(&small_draft(&key), &key).unwrap();
    let files: BTreeMap<_, _> = unzip(&ok).into_iter().collect();
    let manifest = &files["ocop-bundle/tagmanifest-sha256.txt"];
    let sig_text =
        String::from_utf8(files["ocop-bundle/tagmanifest-sha256.txt.minisig"].clone()).unwrap();
    let pk = minisign_verify::PublicKey::from_base64(
        &ocop_core::exchange::sign::minisign_public_key(&key.verifying_key()),
    )
    .unwrap();
    let sig = minisign_verify::Signature::decode(&sig_text).unwrap();
    pk.verify(manifest, &sig, false).unwrap();
    assert!(sig.trusted_comment().starts_with("ocop-bundle-v1 "));
    let mut altered = manifest.clone();
    altered[0] ^= 1;
    assert!(pk.verify(&altered, &sig, false).is_err());

    // A certificate's signature put in place of the bundle's is refused.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let claim = ocop_core::office::CertificateClaim {
        v: 1,
        k: ocop_core::office::key_id(&key.verifying_key()),
        n: "1/QĐ-UBND-01".into(),
        p: "Chè".into(),
        o: "HTX".into(),
        s: 4,
        c: "2026-06-01".into(),
        d: "1/QĐ-UBND".into(),
        dd: "2026-06-01".into(),
        i: "UBND".into(),
        u: "2029-06-01".into(),
        b: "Tỉnh".into(),
        ..Default::default()
    };
    let payload = ocop_core::office::sign_claim(&key, &claim);
    let cert_sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.rsplit('.').next().unwrap())
        .unwrap();
    let lines: Vec<&str> = sig_text.lines().collect();
    let mut bin = b64.decode(lines[1]).unwrap();
    bin[10..74].copy_from_slice(&cert_sig);
    let forged = format!(
        "{}\n{}\n{}\n{}\n",
        lines[0],
        b64.encode(&bin),
        lines[2],
        lines[3]
    );
    let mut f: Vec<_> = unzip(&ok);
    for (n, b) in f.iter_mut() {
        if n.ends_with(".minisig") {
            *b = forged.clone().into_bytes();
        }
    }
    assert_eq!(refused(&rezip(&f)), "bundle.bad_signature");

    // The bundle's signature put in a certificate payload is refused.
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(blake2::Blake2b512::digest(manifest));
    let bundle_sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(&b64.decode(lines[1]).unwrap()[10..74]);
    let fake = format!("OCOP1.{body}.{bundle_sig}");
    let trusted = vec![ocop_core::office::TrustedKey::other(
        claim.k.clone(),
        "Tỉnh".into(),
        hex::encode(key.verifying_key().as_bytes()),
        "2026-01-01".into(),
        "x".into(),
    )];
    let v = ocop_core::office::verify_payload(
        &fake,
        &trusted,
        chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        Lang::En,
    );
    assert!(!v.valid);
    // Nor does it stand in for a compact code's signature (OCOP2 signs its own prefix).
    let dated = ocop_core::office::CertificateClaim {
        i: "2026-06-01".into(),
        ..claim.clone()
    };
    let code = ocop_core::office::sign_qr(&key, &dated);
    let mut bytes = base45::decode(code.strip_prefix("OCOP2:").unwrap()).unwrap();
    let at = bytes.len() - 64;
    bytes[at..].copy_from_slice(&b64.decode(lines[1]).unwrap()[10..74]);
    let v = ocop_core::office::verify_payload(
        &format!("OCOP2:{}", base45::encode(&bytes)),
        &trusted,
        chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        Lang::En,
    );
    assert_eq!(v.code, "verify.signature_mismatch");
    let v = ocop_core::office::verify_payload(
        &code,
        &trusted,
        chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        Lang::En,
    );
    assert!(v.valid, "{}", v.message);
    // And the genuine certificate still verifies with the same key: the test can tell.
    let v = ocop_core::office::verify_payload(
        &payload,
        &trusted,
        chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        Lang::En,
    );
    assert!(v.valid, "{}", v.message);
}

fn fuzz_cases() -> u32 {
    std::env::var("OCOP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn valid_small() -> &'static Vec<u8> {
    static B: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
        ocop_core::exchange::write_bundle(&small_draft(&key), &key).unwrap()
    })
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

    fn message_of(bytes: &[u8]) -> Result<(), TestCaseError> {
        let e = match read_bundle(bytes) {
            Ok(_) => {
                return Err(TestCaseError::fail(
                    "a random or mutated bundle was accepted",
                ))
            }
            Err(e) => e,
        };
        let dto = e.to_dto(Lang::En);
        prop_assert!(
            dto.code.starts_with("bundle."),
            "{}: {}",
            dto.code,
            dto.message
        );
        prop_assert!(!dto.message.is_empty());
        Ok(())
    }

    /// Runs `test` on `fuzz_cases()` inputs and prints the line `scripts/fuzz.sh` counts.
    fn run<S: Strategy>(
        target: &str,
        strategy: S,
        test: impl Fn(S::Value) -> Result<(), TestCaseError>,
    ) {
        let n = fuzz_cases();
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
            rng_seed: RngSeed::Fixed(seed),
            ..Config::default()
        });
        let count = std::cell::Cell::new(0u64);
        let start = std::time::Instant::now();
        if let Err(e) = runner.run(&strategy, |v| {
            count.set(count.get() + 1);
            test(v)
        }) {
            panic!("fuzz target {target} failed (OCOP_FUZZ_SEED={seed}): {e}");
        }
        println!(
            "fuzz target {target}: {n} cases ({} runs) in {:.1} s, seed {seed}",
            count.get(),
            start.elapsed().as_secs_f64()
        );
    }

    #[test]
    fn random_bytes_are_refused() {
        run(
            "bundle reader (random bytes)",
            proptest::collection::vec(any::<u8>(), 0..4096),
            |bytes| message_of(&bytes),
        );
    }

    #[test]
    fn mutated_bundles_are_refused() {
        run(
            "bundle reader (mutated bundles)",
            proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
            |edits| {
                let mut b = valid_small().clone();
                let mut changed = false;
                for (at, v, kind) in edits {
                    if b.is_empty() {
                        break;
                    }
                    let i = at.index(b.len());
                    match kind {
                        0 => {
                            changed |= b[i] != v;
                            b[i] = v;
                        }
                        1 => {
                            b.insert(i, v);
                            changed = true;
                        }
                        _ => {
                            b.truncate(i);
                            changed = true;
                        }
                    }
                }
                prop_assume!(changed && b != *valid_small());
                message_of(&b)
            },
        );
    }
}

#[test]
fn altered_content_fails_its_hash_then_the_tag_manifest_then_the_signature() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let ok = ocop_core::exchange::write_bundle(&small_draft(&key), &key).unwrap();
    let sha = |b: &[u8]| hex::encode(sha2::Sha256::digest(b));
    let mut files = unzip(&ok);
    let get = |f: &Vec<(String, Vec<u8>)>, end: &str| {
        f.iter().position(|(n, _)| n.ends_with(end)).unwrap()
    };
    let rec = get(&files, "person.jsonl");
    let old = files[rec].1.clone();
    files[rec].1 = String::from_utf8(old.clone())
        .unwrap()
        .replace("Lê Văn A", "Lê Văn B")
        .into_bytes();
    assert_eq!(refused(&rezip(&files)), "bundle.hash_mismatch");
    // The manifest rewritten to match: now the tag manifest disagrees with it.
    let m = get(&files, "/manifest-sha256.txt");
    let text = String::from_utf8(files[m].1.clone())
        .unwrap()
        .replace(&sha(&old), &sha(&files[rec].1));
    let old_manifest = std::mem::replace(&mut files[m].1, text.into_bytes());
    assert_eq!(refused(&rezip(&files)), "bundle.hash_mismatch");
    // And the tag manifest rewritten too: the signature no longer matches.
    let t = get(&files, "tagmanifest-sha256.txt");
    let text = String::from_utf8(files[t].1.clone())
        .unwrap()
        .replace(&sha(&old_manifest), &sha(&files[m].1));
    files[t].1 = text.into_bytes();
    assert_eq!(refused(&rezip(&files)), "bundle.bad_signature");
    // Signed again by another key that claims the same office: the fingerprint gives it away.
    let other = ed25519_dalek::SigningKey::from_bytes(&[10; 32]);
    let mut draft = small_draft(&key);
    draft.info.sender_public_key = hex::encode(other.verifying_key().as_bytes());
    let forged = ocop_core::exchange::write_bundle(&draft, &other).unwrap();
    assert_eq!(refused(&forged), "bundle.bag_info");
}

#[test]
fn a_revocation_list_travels_and_the_certificate_fails_at_the_receiver() {
    let mut province = Office::demo();
    let round = province.finalised_round();
    let rec = province
        .store
        .issue_recognition(ACTOR, &round, "2026-06-01", Some(DEMO_PASSPHRASE))
        .unwrap();
    let decisions = province.export(Purpose::DecisionsToCommune);
    let mut commune = Office::empty();
    commune.import(&decisions, true, false).unwrap();
    let cert = &rec.certificates[0];
    assert!(
        commune
            .store
            .verify_certificate(&cert.payload, Lang::En)
            .unwrap()
            .valid
    );
    // The printed compact code: the commune received the full record in the bundle, so the code's
    // hash finds it and every field of it shows.
    assert!(cert.qr.starts_with("OCOP2:"), "{}", cert.qr);
    let v = commune
        .store
        .verify_certificate(&cert.qr, Lang::Vi)
        .unwrap();
    assert!(v.valid, "{}", v.message);
    assert_eq!(v.record_matches, Some(true));
    let full = v.claim.unwrap();
    assert_eq!((full.v, full.n.as_str()), (2, cert.number.as_str()));
    assert!(!full.c.is_empty() && !full.d.is_empty() && !full.b.is_empty());
    assert_eq!(full.p, cert.product_name);
    let today = chrono::Local::now().date_naive();
    province
        .store
        .revoke(
            ACTOR,
            &ocop_core::registry::RevocationInput {
                entry_id: None,
                certificate_no: Some(cert.number.clone()),
                ground: ocop_core::registry::RevocationGround::B,
                decision_no: "9/QĐ-UBND".into(),
                decision_date: today.to_string(),
                concluded_on: None,
                reason: String::new(),
            },
            today,
        )
        .unwrap();
    let list = province
        .store
        .export_bundle(
            ACTOR,
            province.dir.path(),
            &ExportRequest {
                round: None,
                products: vec![],
                purpose: Purpose::Revocations,
            },
            Some(DEMO_PASSPHRASE),
        )
        .unwrap()
        .0;
    let plan = commune.import(&list, false, false).unwrap();
    assert!(plan.applied);
    assert_eq!(plan.records[0].action, PlanAction::New);
    let v = commune
        .store
        .verify_certificate(&cert.payload, Lang::En)
        .unwrap();
    assert!(!v.valid && v.revoked, "{}", v.message);
    // The compact code is revoked too, at the receiver and at the issuer.
    for office in [&commune.store, &province.store] {
        let v = office.verify_certificate(&cert.qr, Lang::En).unwrap();
        assert!(!v.valid && v.revoked, "{}", v.message);
        assert_eq!(v.code, "verify.revoked");
    }
}

#[test]
fn the_app_exports_by_product_refuses_a_product_that_does_not_qualify_and_imports() {
    let province = Office::demo();
    let round = province.finalised_round();
    let lines = province.store.round_results(&round).unwrap().products;
    let up = lines
        .iter()
        .find(|l| l.result.forward == Some(ocop_core::rules::Level::Centre))
        .unwrap()
        .product_id
        .clone();
    let down = lines
        .iter()
        .find(|l| l.result.forward.is_none())
        .unwrap()
        .product_id
        .clone();
    let dir = province.dir.path().to_path_buf();
    drop(province.store);
    let app = ocop_core::app::App::open(&dir).unwrap();
    let out = dir.join("goi.zip");
    let out = out.to_str().unwrap();
    let req = |products: Vec<String>| ExportRequest {
        round: None,
        products,
        purpose: Purpose::ProvinceToCentre,
    };
    let e = app
        .bundle_export(req(vec![down]), out, DEMO_PASSPHRASE)
        .unwrap_err();
    assert_eq!(e.code, "bundle.not_eligible");
    let summary = app
        .bundle_export(req(vec![up.clone()]), out, DEMO_PASSPHRASE)
        .unwrap();
    assert_eq!(summary.info.counts["dossier"], 1);
    let centre = tempfile::tempdir().unwrap();
    let other = ocop_core::app::App::open(centre.path()).unwrap();
    let seen = other.bundle_inspect(out).unwrap();
    assert!(!seen.trusted && !seen.applied);
    assert_eq!(seen.minisign_public_key, summary.minisign_public_key);
    assert_eq!(
        other.bundle_import(out, false, false).unwrap_err().code,
        "bundle.untrusted"
    );
    let done = other.bundle_import(out, true, false).unwrap();
    assert!(done.applied);
    assert!(done.already_imported.is_none());
    assert!(other
        .bundle_inspect(out)
        .unwrap()
        .already_imported
        .is_some());
}

/// The whole way of a forwarded product under QĐ 26/2026: the province sends its ≥ 90 tea to the
/// centre, the central council (an office of its own, with its own key and council) scores it
/// under 90 at 4★, its results come back in a `centre_to_province` bundle, and the province
/// recognises the tea 4★ on that central result. Importing the results twice records them once.
#[test]
fn a_forwarded_product_goes_to_the_centre_and_its_central_result_comes_back_to_the_province() {
    use ocop_core::central::CentralVerdict;
    use ocop_core::model::{DossierInput, PersonInput, RoundInput};
    use ocop_core::office::{OfficeSettings, SignerSettings};
    use ocop_core::rules::{Level, Procedure, Role, RoundRules};

    let mut province = Office::demo();
    let province_round = province.finalised_round();
    let forwarded: Vec<String> = province
        .store
        .round_results(&province_round)
        .unwrap()
        .products
        .iter()
        .filter(|l| l.result.forward == Some(Level::Centre))
        .map(|l| l.product_id.clone())
        .collect();
    assert_eq!(forwarded.len(), 1);
    let tea = forwarded[0].clone();

    // The central council's office.
    let mut centre = Office::empty();
    centre
        .store
        .save_office(
            ACTOR,
            &OfficeSettings {
                province: "Trung ương".into(),
                place: "Hà Nội".into(),
                people_committee: "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG".into(),
                authority: "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG".into(),
                council_parent: "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG".into(),
                council_name: "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP CẤP TRUNG ƯƠNG".into(),
                standing_body: "Văn phòng Điều phối nông thôn mới Trung ương".into(),
                decision_symbol: "QĐ-BNNMT".into(),
                next_decision_no: 1,
                decision_signer: SignerSettings {
                    sign_for: "KT. BỘ TRƯỞNG".into(),
                    title: "THỨ TRƯỞNG".into(),
                    name: "Trần Thanh Nam".into(),
                },
            },
        )
        .unwrap();
    let centre_pass = "mật khẩu Trung ương";
    centre.store.set_up_key(ACTOR, centre_pass).unwrap();

    // Province → centre.
    let to_centre = province.export(Purpose::ProvinceToCentre);
    let p = centre.import(&to_centre, true, false).unwrap();
    assert!(p.applied);
    let product = centre.store.product(&tea).unwrap();

    // The central council scores the tea at 88, 87 and 86.
    let round = centre
        .store
        .create_round(
            ACTOR,
            &RoundInput {
                name: "Đợt đánh giá cấp Trung ương tháng 9/2026".into(),
                level: Level::Centre,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Centre,
                date: "2026-09-22".into(),
                place: "Hà Nội".into(),
                rules: RoundRules::default(),
            },
        )
        .unwrap();
    let mut members = Vec::new();
    for (name, role) in [
        ("Nguyễn Văn Trung", Role::Chair),
        ("Lê Thị Ương", Role::Member),
        ("Phạm Văn Bộ", Role::Member),
    ] {
        let person = centre
            .store
            .add_person(
                ACTOR,
                &PersonInput {
                    full_name: name.into(),
                    title: "Thành viên Hội đồng".into(),
                    unit: "Bộ Nông nghiệp và Môi trường".into(),
                },
            )
            .unwrap();
        centre.store.set_pin(&person.id, None, "2468").unwrap();
        centre
            .store
            .set_round_member(ACTOR, &round.id, &person.id, role)
            .unwrap();
        members.push(person);
    }
    let checklist = ocop_core::store::rounds::checklist_items("QD26-2026", &product.set_code)
        .into_iter()
        .map(|(k, _, _)| (k.to_string(), true))
        .collect();
    centre
        .store
        .save_dossier(
            ACTOR,
            &round.id,
            &DossierInput {
                product_id: tea.clone(),
                application_type: Default::default(),
                received_on: "2026-08-30".into(),
                checklist,
                permits: Vec::new(),
            },
        )
        .unwrap();
    centre.store.start_scoring(ACTOR, &round.id).unwrap();
    let (_, set) = centre
        .store
        .current_sheet(&product.decision_id, &product.set_code)
        .unwrap();
    for (person, total) in members.iter().zip([88u32, 87, 86]) {
        let answers = ocop_core::demo::answers_for_total(&set, total, Some(4)).unwrap();
        let sheet = centre
            .store
            .open_sheet(ACTOR, &round.id, &tea, &person.id, None, 1)
            .unwrap();
        for (code, i) in answers {
            centre
                .store
                .save_answer(&person.full_name, &sheet.id, &code, Some(i as u32))
                .unwrap();
        }
        centre.store.sign_sheet(&sheet.id, "2468").unwrap();
    }
    let results = centre.store.finalise_round(&round.id, "2468").unwrap();
    let line = &results.products[0];
    assert_eq!(line.result.star, Some(4));
    assert_eq!(line.result.returns_to, Some(Level::Province));

    // Centre → province.
    let (back, _, _) = centre
        .store
        .export_bundle(
            ACTOR,
            centre.dir.path(),
            &ExportRequest {
                round: Some(round.id.clone()),
                products: vec![],
                purpose: Purpose::CentreToProvince,
            },
            Some(centre_pass),
        )
        .unwrap();
    let before = province.store.central_results(Some(&tea)).unwrap().len();
    let p = province.import(&back, true, false).unwrap();
    assert!(p.applied, "{p:?}");
    let got: Vec<_> = province
        .store
        .central_results(Some(&tea))
        .unwrap()
        .into_iter()
        .filter(|c| c.source == "bundle")
        .collect();
    assert_eq!(got.len(), 1, "{got:?}");
    let cr = &got[0];
    assert_eq!(cr.verdict, CentralVerdict::ProvinceMayRecognise);
    assert_eq!(cr.star, Some(4));
    assert!((cr.mean_total - 87.0).abs() < 1e-9);
    assert_eq!(cr.round_id.as_deref(), Some(province_round.as_str()));
    assert_eq!(cr.scored_on, "2026-09-22");
    // Twice: already imported, recorded once.
    let again = province.import(&back, true, false).unwrap();
    assert!(again.already_imported.is_some());
    assert_eq!(
        province.store.central_results(Some(&tea)).unwrap().len(),
        before + 1
    );
    // The province recognises it 4★ on the central result.
    let entry = province
        .store
        .recognise_on_central_result(
            ACTOR,
            &cr.id,
            "2026-10-05",
            Some(DEMO_PASSPHRASE),
            chrono::Local::now().date_naive(),
        )
        .unwrap();
    assert_eq!((entry.star, entry.issuing_level.as_str()), (4, "province"));
    assert!(province.store.audit_verify().unwrap().ok);
}

/// Commune → province (QĐ 26/2026 Điều 7.2): the commune's dossiers travel with their
/// attachments, byte for byte, and with the commune's Mẫu 03; the province's copy is the same.
#[test]
fn a_communes_dossiers_reach_the_province_with_their_attachments_and_mau_03() {
    let mut commune = Office::demo();
    let open = commune
        .store
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status != RoundStatus::Finalised)
        .unwrap()
        .id;
    let dossiers = commune.store.dossiers(&open).unwrap();
    let first = &dossiers[0];
    let pdf = b"%PDF-1.4\n% Bao cao Mau 03 cua UBND xa\n".repeat(40);
    let att = commune
        .store
        .attach(
            ACTOR,
            commune.dir.path(),
            &first.id,
            "mau-03-ubnd-xa.pdf",
            &pdf,
        )
        .unwrap();
    let (bytes, info, _) = commune
        .store
        .export_bundle(
            ACTOR,
            commune.dir.path(),
            &ExportRequest {
                round: Some(open.clone()),
                products: vec![],
                purpose: Purpose::CommuneToProvince,
            },
            Some(DEMO_PASSPHRASE),
        )
        .unwrap();
    assert_eq!(info.counts["dossier"], dossiers.len() as u32);

    let mut province = Office::empty();
    let p = province.import(&bytes, true, false).unwrap();
    assert!(p.applied);
    let got = province.store.dossiers(&open).unwrap();
    assert_eq!(got.len(), dossiers.len());
    for (a, b) in dossiers.iter().zip(&got) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.product.name, b.product.name);
        assert!(a.commune_report.is_some());
        assert_eq!(a.commune_report, b.commune_report, "{}", a.product.name);
    }
    let here = got.iter().find(|d| d.id == first.id).unwrap();
    assert!(here.attachments.iter().any(|a| a.sha256 == att.sha256));
    let path = ocop_core::store::rounds::attachment_path(province.dir.path(), &att.sha256);
    assert_eq!(std::fs::read(path).unwrap(), pdf);
    // Sent again: already imported, nothing changes.
    let before = province.tables();
    let again = province.import(&bytes, true, false).unwrap();
    assert!(again.already_imported.is_some());
    assert_eq!(province.tables(), before);
}
