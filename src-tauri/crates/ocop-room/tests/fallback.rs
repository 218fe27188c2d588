//! The fallback when the Wi-Fi is gone: the member's page exports its unsent changes as a
//! `member_answers` bundle signed with the key its pairing received, and the secretary imports it.

mod common;

use common::*;
use ocop_core::exchange::member::{write_member_bundle, ExRoomChange};
use serde_json::Value;

fn seed_of(hex_key: &str) -> [u8; 32] {
    hex::decode(hex_key).unwrap().try_into().unwrap()
}

fn answer(
    pairing: &str,
    sheet: &str,
    criterion: &str,
    replaces: Option<u32>,
    option: u32,
) -> (String, ExRoomChange) {
    (
        uuid::Uuid::new_v4().to_string(),
        ExRoomChange {
            pairing_id: pairing.into(),
            sheet_id: sheet.into(),
            kind: "answer".into(),
            criterion: Some(criterion.into()),
            replaces,
            option: Some(option),
            text: None,
            at: "2026-12-03T09:00:00+07:00".into(),
        },
    )
}

#[test]
fn a_members_file_is_imported_once_through_the_same_checks() {
    let f = round(3, 1);
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let info = hub.info();
    let http = client(&info.fingerprint, true);
    let base = info.url.trim_end_matches('/').to_string();
    let product = f.products[0].clone();
    let (pa, pb, sheet_a, sheet_b) = rt.block_on(async {
        let pair = |t: String, d: &'static str| {
            let http = http.clone();
            let base = base.clone();
            async move {
                let r = http
                    .post(format!("{base}/api/v1/pair"))
                    .json(&serde_json::json!({ "token": t, "device": d }))
                    .send()
                    .await
                    .unwrap();
                r.json::<Value>().await.unwrap()
            }
        };
        let pa = pair(token_of(&info.members[1].url), "phone A").await;
        let pb = pair(token_of(&info.members[2].url), "phone B").await;
        let ma = Member {
            http: http.clone(),
            base: base.clone(),
            session: pa["session"].as_str().unwrap().into(),
            id: pa["member"]["id"].as_str().unwrap().into(),
        };
        let mb = Member {
            http: http.clone(),
            base: base.clone(),
            session: pb["session"].as_str().unwrap().into(),
            id: pb["member"]["id"].as_str().unwrap().into(),
        };
        let sa = ma.open_sheet(&product.id).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let sb = mb.open_sheet(&product.id).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        (pa, pb, sa, sb)
    });
    // The Wi-Fi is gone: the hub is closed and stopped.
    hub.close("wifi down").unwrap();
    hub.shutdown();

    let key_a = seed_of(pa["signing_key"].as_str().unwrap());
    let pid_a = pa["pairing_id"].as_str().unwrap();
    let all = changes_for(&f, &product, &sheet_a, 75);
    let mut changes: Vec<(String, ExRoomChange)> = all
        .iter()
        .map(|c| answer(pid_a, &sheet_a, &c.criterion, None, c.option))
        .collect();
    // The member changed their mind once, naming the option it replaces.
    let c0 = all[0].clone();
    let other = if c0.option == 0 { 1 } else { 0 };
    changes.push(answer(
        pid_a,
        &sheet_a,
        &c0.criterion,
        Some(c0.option),
        other,
    ));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("phieu-thanh-vien.zip");
    let bytes = write_member_bundle(
        &key_a,
        "Thành viên Nguyễn Văn 1",
        &uuid::Uuid::new_v4().to_string(),
        "2026-12-03T02:00:00Z",
        &changes,
    )
    .unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();

    // Inspect shows the plan; import applies it; again is "already imported".
    let plan = f.app.bundle_inspect(p).unwrap();
    assert_eq!(plan.entities[0].new as usize, changes.len());
    let done = f.app.bundle_import(p, false, false).unwrap();
    assert!(done.applied);
    let stored = |s: &str, c: &str| f.app.with_core(|st, _| st.stored_answer(s, c)).unwrap();
    assert_eq!(stored(&sheet_a, &c0.criterion), Some(other));
    assert_eq!(stored(&sheet_a, &all[1].criterion), Some(all[1].option));
    let audited = |sql: &str| -> i64 {
        f.app
            .with_core(|s, _| Ok(s.conn().query_row(sql, [], |r| r.get(0))?))
            .unwrap()
    };
    let n = audited("SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.answer' AND actor LIKE '%(tệp dự phòng)'");
    assert_eq!(n as usize, changes.len());
    let again = f.app.bundle_import(p, false, false).unwrap();
    assert!(again.already_imported.is_some());
    assert_eq!(
        audited("SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.answer'") as usize,
        changes.len()
    );

    // A second file whose first change is stale (made before the one above): a conflict, not applied.
    let stale = vec![answer(pid_a, &sheet_a, &c0.criterion, Some(c0.option), 2)];
    let b2 = write_member_bundle(
        &key_a,
        "Thành viên Nguyễn Văn 1",
        &uuid::Uuid::new_v4().to_string(),
        "2026-12-03T02:05:00Z",
        &stale,
    )
    .unwrap();
    let p2 = dir.path().join("lan-2.zip");
    std::fs::write(&p2, &b2).unwrap();
    let r = f
        .app
        .bundle_import(p2.to_str().unwrap(), false, false)
        .unwrap();
    assert_eq!((r.entities[0].conflict, r.entities[0].new), (1, 0));
    assert_eq!(stored(&sheet_a, &c0.criterion), Some(other));

    // Refused, nothing written: a tampered file, a key no device was given, another member's sheet.
    let before = audited("SELECT COUNT(*) FROM audit_log");
    let mut bad = bytes.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x20;
    let p3 = dir.path().join("sua.zip");
    std::fs::write(&p3, &bad).unwrap();
    assert!(f
        .app
        .bundle_import(p3.to_str().unwrap(), false, false)
        .is_err());
    let forged = write_member_bundle(
        &[7u8; 32],
        "Thành viên Nguyễn Văn 1",
        &uuid::Uuid::new_v4().to_string(),
        "2026-12-03T02:00:00Z",
        &changes[..1],
    )
    .unwrap();
    std::fs::write(&p3, &forged).unwrap();
    assert_eq!(
        f.app
            .bundle_import(p3.to_str().unwrap(), false, false)
            .unwrap_err()
            .code,
        "bundle.member_key_unknown"
    );
    let crit = all[2].criterion.clone();
    let theirs = write_member_bundle(
        &key_a,
        "Thành viên Nguyễn Văn 1",
        &uuid::Uuid::new_v4().to_string(),
        "2026-12-03T02:00:00Z",
        &[answer(pid_a, &sheet_b, &crit, None, 0)],
    )
    .unwrap();
    std::fs::write(&p3, &theirs).unwrap();
    assert_eq!(
        f.app
            .bundle_import(p3.to_str().unwrap(), false, false)
            .unwrap_err()
            .code,
        "room.not_your_sheet"
    );
    // B's key cannot sign for A's pairing either.
    let key_b = seed_of(pb["signing_key"].as_str().unwrap());
    let swapped = write_member_bundle(
        &key_b,
        "Thành viên Nguyễn Văn 2",
        &uuid::Uuid::new_v4().to_string(),
        "2026-12-03T02:00:00Z",
        &changes[..1],
    )
    .unwrap();
    std::fs::write(&p3, &swapped).unwrap();
    assert_eq!(
        f.app
            .bundle_import(p3.to_str().unwrap(), false, false)
            .unwrap_err()
            .code,
        "bundle.member_key_unknown"
    );
    assert_eq!(audited("SELECT COUNT(*) FROM audit_log"), before);
    assert_eq!(stored(&sheet_b, &crit), None);
}

/// The bytes the member page's TypeScript writer must make for these inputs
/// (`ui/src/member/bundle.test.ts` compares its output with the same file). Set
/// `OCOP_UPDATE_FIXTURES=1` to rewrite it after a deliberate format change.
#[test]
fn the_member_page_fixture_is_what_this_writer_makes() {
    let changes = vec![
        (
            "6f1c1d52-7a3e-4d0b-9a59-2f0d7d6c1a01".to_string(),
            ExRoomChange {
                pairing_id: "0b4f3f1e-2a8c-4c11-8f0e-5d9a7c3b2e10".into(),
                sheet_id: "a3d1c2b4-5e6f-4a7b-8c9d-0e1f2a3b4c5d".into(),
                kind: "answer".into(),
                criterion: Some("A1.1".into()),
                replaces: None,
                option: Some(2),
                text: None,
                at: "2026-12-03T09:15:00+07:00".into(),
            },
        ),
        (
            "6f1c1d52-7a3e-4d0b-9a59-2f0d7d6c1a02".to_string(),
            ExRoomChange {
                pairing_id: "0b4f3f1e-2a8c-4c11-8f0e-5d9a7c3b2e10".into(),
                sheet_id: "a3d1c2b4-5e6f-4a7b-8c9d-0e1f2a3b4c5d".into(),
                kind: "comment".into(),
                criterion: None,
                replaces: None,
                option: None,
                text: Some("Bao bì đẹp, cần bổ sung \"nhãn\" phụ.\nHết.".into()),
                at: "2026-12-03T09:16:00+07:00".into(),
            },
        ),
    ];
    let bytes = write_member_bundle(
        &[42u8; 32],
        "Trần Thị Ánh",
        "9a0e6c1b-3f2d-4e5a-8b7c-1d2e3f4a5b6c",
        "2026-12-03T02:16:00Z",
        &changes,
    )
    .unwrap();
    // The reader accepts it: canonical layout, signature, manifests, record versions.
    let bundle = ocop_core::exchange::read_bundle(&bytes).unwrap();
    assert_eq!(
        bundle.info.purpose,
        ocop_core::exchange::Purpose::MemberAnswers
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../ui/src/member/fixtures/member-answers.zip");
    if std::env::var_os("OCOP_UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &bytes).unwrap();
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the fixture is what the writer makes"
    );
}
