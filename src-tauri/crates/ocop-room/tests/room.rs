//! The council room end to end over HTTPS on loopback: pairing, scoring and signing from a member's
//! device, and each attempt to break it refused with nothing written.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

fn audit_rows(f: &Fixture) -> Vec<(String, String, String)> {
    f.app
        .with_core(|s, _| {
            let mut st = s
                .conn()
                .prepare("SELECT actor, action, COALESCE(after, '') FROM audit_log ORDER BY seq")?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}

fn count(f: &Fixture, sql: &str) -> i64 {
    f.app
        .with_core(|s, _| Ok(s.conn().query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[test]
fn a_member_pairs_scores_and_signs_from_their_device() {
    let f = round(3, 2);
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let info = hub.info();
    assert_eq!(info.members.len(), 3);
    assert_eq!(info.fingerprint.len(), 64);
    let http = client(&info.fingerprint, true);
    rt.block_on(async {
        // Anyone may read the room's public face, and the member page is served.
        let public: Value = http
            .get(format!("{}api/v1/room", info.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(public["fingerprint"], info.fingerprint.as_str());
        assert_eq!(public["open"], true);

        let link = &info.members[1];
        let token = token_of(&link.url);
        let base = info.url.trim_end_matches('/').to_string();
        let m = Member::pair(&http, &base, &token, "Android · Chrome").await;
        assert_eq!(m.id, link.member);
        // The link is one-time.
        let again = http
            .post(format!("{base}/api/v1/pair"))
            .json(&json!({ "token": token, "device": "other phone" }))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 403);
        let v: Value = again.json().await.unwrap();
        assert_eq!(v["code"], "room.token_used");

        let (st, me) = m.get("me").await;
        assert_eq!(st, 200);
        assert_eq!(me["products"].as_array().unwrap().len(), 2);
        assert_eq!(me["member"]["name"], "Thành viên Nguyễn Văn 1");

        let product = &f.products[0];
        let sheet = m.open_sheet(&product.id).await;
        let sheet_id = sheet["id"].as_str().unwrap().to_string();
        let (st, set) = m
            .get(&format!(
                "criteria/{}",
                sheet["sheet_sha256"].as_str().unwrap()
            ))
            .await;
        assert_eq!(st, 200);
        assert!(set["parts"].is_array());
        let changes = changes_for(&f, product, &sheet_id, 80);
        for c in &changes {
            assert_eq!(deliver(&m, c).await, 1);
        }
        let (st, sheet) = m.get(&format!("sheets/{sheet_id}")).await;
        assert_eq!(st, 200);
        assert_eq!(sheet["score"]["total"], 80);
        // A wrong PIN is refused; the right one signs.
        let (st, v) = m
            .send(
                Method::POST,
                &format!("sheets/{sheet_id}/sign"),
                json!({ "request_id": uuid::Uuid::new_v4(), "pin": "0000" }),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (403, Some("pin.wrong")));
        let (st, v) = m
            .send(
                Method::POST,
                &format!("sheets/{sheet_id}/sign"),
                json!({ "request_id": uuid::Uuid::new_v4(), "pin": PIN }),
            )
            .await
            .unwrap();
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["status"], "signed");
    });
    // The answers and the signature went through the core, audited with the member and device.
    let rows = audit_rows(&f);
    let answers: Vec<_> = rows.iter().filter(|r| r.1 == "sheet.answer").collect();
    assert!(!answers.is_empty());
    assert!(answers
        .iter()
        .all(|r| r.0 == "Thành viên Nguyễn Văn 1 · Android · Chrome (phòng chấm)"));
    let sign = rows.iter().find(|r| r.1 == "sheet.sign").unwrap();
    assert_eq!(
        sign.0,
        "Thành viên Nguyễn Văn 1 · Android · Chrome (phòng chấm)"
    );
    assert!(rows
        .iter()
        .any(|r| r.1 == "room.pair" && r.2.contains("Android · Chrome")));
    f.app
        .with_core(|s, _| s.audit_verify())
        .unwrap()
        .into_result()
        .unwrap();
    hub.close("test over").unwrap();
    hub.shutdown();
}

/// Every attack of the issue, each refused, and the store unchanged by it.
#[test]
fn attempts_to_break_the_room_are_refused() {
    let f = round(3, 2);
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let info = hub.info();
    let http = client(&info.fingerprint, true);
    let base = info.url.trim_end_matches('/').to_string();
    let product = f.products[0].clone();
    let tokens: Vec<String> = info.members.iter().map(|m| token_of(&m.url)).collect();
    rt.block_on(async {
        let a = Member::pair(&http, &base, &tokens[1], "phone A").await;
        let b = Member::pair(&http, &base, &tokens[2], "phone B").await;
        let sheet_a = a.open_sheet(&product.id).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let sheet_b = b.open_sheet(&product.id).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let answers = || count(&f, "SELECT COUNT(*) FROM answer");
        let crit = changes_for(&f, &product, &sheet_a, 80)[0].criterion.clone();
        let body =
            |rid: &str, opt: u32| json!({ "request_id": rid, "replaces": null, "option": opt });

        // 1. Unpaired: no session, a forged session, a session-shaped string.
        for auth in [
            None,
            Some("forged"),
            Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ] {
            let mut r = http.get(format!("{base}/api/v1/me"));
            if let Some(a) = auth {
                r = r.bearer_auth(a);
            }
            let r = r.send().await.unwrap();
            assert_eq!(r.status(), 401);
            let mut w = http
                .put(format!("{base}/api/v1/sheets/{sheet_a}/answers/{crit}"))
                .json(&body(&uuid::Uuid::new_v4().to_string(), 0));
            if let Some(a) = auth {
                w = w.bearer_auth(a);
            }
            let w = w.send().await.unwrap();
            assert_eq!(w.status(), 401);
            let v: Value = w.json().await.unwrap();
            assert_eq!(v["code"], "room.unpaired");
            let att = http
                .get(format!("{base}/api/v1/criteria/{}", "0".repeat(64)))
                .send()
                .await
                .unwrap();
            assert_eq!(att.status(), 401);
        }
        assert_eq!(answers(), 0);

        // 2. Member A's session writing member B's sheet (and reading it).
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_b}/answers/{crit}"),
                body(&uuid::Uuid::new_v4().to_string(), 0),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (403, Some("room.not_your_sheet")));
        let (st, _) = a.get(&format!("sheets/{sheet_b}")).await;
        assert_eq!(st, 403);
        // Nor can A open a sheet in B's name: the product's sheet A opens is A's own.
        assert_eq!(answers(), 0);

        // 3. A replayed request: applied once, then refused with the current sheet.
        let rid = uuid::Uuid::new_v4().to_string();
        let (st, _) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                body(&rid, 1),
            )
            .await
            .unwrap();
        assert_eq!(st, 200);
        let audited = count(
            &f,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.answer'",
        );
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                body(&rid, 1),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (409, Some("room.replayed")));
        assert_eq!(v["sheet"]["answers"][&crit], 1);
        // A replay changing its body is still the same request: refused.
        let (st, _) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                body(&rid, 0),
            )
            .await
            .unwrap();
        assert_eq!(st, 409);
        assert_eq!(
            count(
                &f,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.answer'"
            ),
            audited
        );

        // A stale write (the page believed nothing was stored) is refused with the current sheet.
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                body(&uuid::Uuid::new_v4().to_string(), 0),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (409, Some("room.stale")));
        assert_eq!(v["sheet"]["answers"][&crit], 1);
        // A malformed body or request id is refused as such.
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                json!({ "request_id": "x", "replaces": 1, "option": 0 }),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (400, Some("room.bad_request")));
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                json!({ "option": "lots" }),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (400, Some("room.bad_request")));
        // An out-of-range option is the core's refusal.
        let (st, _) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                json!({ "request_id": uuid::Uuid::new_v4(), "replaces": 1, "option": 99 }),
            )
            .await
            .unwrap();
        assert_eq!(st, 422);
        // Messages follow the page's language.
        let en: Value = http
            .get(format!("{base}/api/v1/me"))
            .header("Accept-Language", "en-GB,en;q=0.9")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            en["message"],
            "This device is not paired with a member of the council room"
        );

        // 4. An attachment or product outside the round.
        let (st, v) = a.get(&format!("attachments/{}", "ab".repeat(32))).await;
        assert_eq!((st, v["code"].as_str()), (404, Some("room.not_in_room")));

        // 5. A write to a signed sheet.
        for c in changes_for(&f, &product, &sheet_a, 80) {
            let stored = f
                .app
                .with_core(|s, _| s.stored_answer(&sheet_a, &c.criterion))
                .unwrap();
            let c = common::Change {
                replaces: stored,
                ..c
            };
            deliver(&a, &c).await;
        }
        let (st, v) = a
            .send(
                Method::POST,
                &format!("sheets/{sheet_a}/sign"),
                json!({ "request_id": uuid::Uuid::new_v4(), "pin": PIN }),
            )
            .await
            .unwrap();
        assert_eq!(st, 200, "{v}");
        let before = answers();
        let stored = f
            .app
            .with_core(|s, _| s.stored_answer(&sheet_a, &crit))
            .unwrap();
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/answers/{crit}"),
                json!({ "request_id": uuid::Uuid::new_v4(), "replaces": stored, "option": 0 }),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (403, Some("sheet.signed")));
        let (st, _) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_a}/comment"),
                json!({ "request_id": uuid::Uuid::new_v4(), "comment": "sửa sau khi ký" }),
            )
            .await
            .unwrap();
        assert_eq!(st, 403);
        assert_eq!(answers(), before);

        // 6. A revoked pairing.
        let board = hub.board().unwrap();
        let pb = board.members.iter().find(|m| m.member.id == b.id).unwrap();
        hub.revoke(&pb.pairing.as_ref().unwrap().pairing_id)
            .unwrap();
        let (st, v) = b
            .send(
                Method::PUT,
                &format!("sheets/{sheet_b}/answers/{crit}"),
                body(&uuid::Uuid::new_v4().to_string(), 0),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (401, Some("room.revoked")));
        let (st, _) = b.get("me").await;
        assert_eq!(st, 401);

        // Wrong short codes lock the codes, and the right code is then refused too.
        let code = hub.info().members[0].code.clone();
        let mut locked = false;
        for _ in 0..12 {
            let r = http
                .post(format!("{base}/api/v1/pair"))
                .json(&json!({ "code": "ZZZZ-ZZZZ", "device": "guesser" }))
                .send()
                .await
                .unwrap();
            locked |= r.status() == 429;
        }
        assert!(locked);
        let r = http
            .post(format!("{base}/api/v1/pair"))
            .json(&json!({ "code": code, "device": "chair" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
        assert!(hub.board().unwrap().codes_locked);

        // 7. A write after the room closed; every token and session is dead.
        hub.close("closed by the secretary").unwrap();
        let before = answers();
        let (st, v) = a
            .send(
                Method::PUT,
                &format!("sheets/{sheet_b}/answers/{crit}"),
                body(&uuid::Uuid::new_v4().to_string(), 0),
            )
            .await
            .unwrap();
        assert_eq!((st, v["code"].as_str()), (410, Some("room.closed")));
        let r = http
            .post(format!("{base}/api/v1/pair"))
            .json(&json!({ "token": tokens[0], "device": "late" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 410);
        assert_eq!(answers(), before);
    });
    // Tokens and sessions never reach the database or its audit log.
    let everything: String = audit_rows(&f)
        .into_iter()
        .map(|(a, b, c)| format!("{a}{b}{c}"))
        .collect();
    for t in &tokens {
        assert!(!everything.contains(t.as_str()));
    }
    let closed = count(&f, "SELECT COUNT(*) FROM room WHERE closed_at IS NOT NULL");
    assert_eq!(closed, 1);
    hub.shutdown();
}

#[test]
fn a_recused_member_cannot_open_the_product_and_other_rounds_are_refused() {
    let f = round(3, 2);
    f.app
        .with_core(|s, _| {
            s.set_recusal(
                "test",
                &f.round,
                &f.members[1].id,
                &f.products[1].id,
                Some("Người thân"),
            )
        })
        .unwrap();
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let info = hub.info();
    let http = client(&info.fingerprint, true);
    let base = info.url.trim_end_matches('/').to_string();
    rt.block_on(async {
        let link = info
            .members
            .iter()
            .find(|l| l.member == f.members[1].id)
            .unwrap();
        let m = Member::pair(&http, &base, &token_of(&link.url), "tablet").await;
        let (_, me) = m.get("me").await;
        let recused: Vec<bool> = me["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["recused"].as_bool().unwrap())
            .collect();
        assert_eq!(recused, vec![false, true]);
        let (st, v) = m
            .send(
                Method::POST,
                &format!("products/{}/sheet", f.products[1].id),
                json!({}),
            )
            .await
            .unwrap();
        assert_eq!(
            (st, v["code"].as_str()),
            (422, Some("sheet.member_recused"))
        );
    });
    hub.close("test").unwrap();
    hub.shutdown();
    // A second room cannot open while... a closed round cannot open one at all.
    let err = ocop_room::Hub::open(
        f.app.clone(),
        "no-such-round",
        ocop_room::HubOptions {
            bind: "127.0.0.1:0".parse().unwrap(),
            host: None,
        },
        rt.handle(),
    )
    .err()
    .unwrap();
    assert_ne!(err.code(), "");
}

/// A client that does not know the fingerprint refuses the hub; one pinned to another refuses it.
#[test]
fn clients_check_the_fingerprint() {
    let f = round(2, 1);
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let base = hub.info().url;
    rt.block_on(async {
        let wrong = client(&"0".repeat(64), true);
        assert!(wrong
            .get(format!("{base}api/v1/room"))
            .send()
            .await
            .is_err());
        let right = client(hub.fingerprint(), true);
        assert!(right.get(format!("{base}api/v1/room")).send().await.is_ok());
    });
    // The identity is made once per office: a second room shows the same fingerprint.
    let fp = hub.fingerprint().to_string();
    hub.close("again").unwrap();
    hub.shutdown();
    let hub2 = open_hub(&f, &rt);
    assert_eq!(hub2.fingerprint(), fp);
    hub2.close("done").unwrap();
    hub2.shutdown();
}
