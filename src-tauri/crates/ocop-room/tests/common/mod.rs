//! What the room's tests and its load benchmark share: a data directory with a round in scoring,
//! a hub on loopback, and clients pinned to the hub's certificate that speak the API as the member
//! page does.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use ocop_core::app::App;
use ocop_core::demo::answers_for_total;
use ocop_core::model::*;
use ocop_core::rules::{Level, Procedure, Role, RoundRules};
use ocop_room::{Hub, HubOptions};
use serde_json::{json, Value};

pub const PIN: &str = "2468";
const A: &str = "test";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub app: Arc<App>,
    pub round: String,
    pub members: Vec<Person>,
    pub products: Vec<Product>,
}

/// A round in scoring with `members` members (the first the chair, all present, PIN [`PIN`]) and
/// `products` products on sets of about 30 criteria, on a file database with the app's settings.
pub fn round(members: usize, products: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::open(dir.path()).unwrap());
    let (round, ms, ps) = app
        .with_core(|s, _| {
            let round = s.create_round(
                A,
                &RoundInput {
                    name: "Đợt chấm thử phòng họp".into(),
                    level: Level::Province,
                    decision_id: "QD26-2026".into(),
                    procedure: Procedure::Province26,
                    date: "2026-12-03".into(),
                    place: "Hội trường".into(),
                    rules: RoundRules::default(),
                },
            )?;
            let mut ms = Vec::new();
            for i in 0..members {
                let p = s.add_person(
                    A,
                    &PersonInput {
                        full_name: format!("Thành viên Nguyễn Văn {i}"),
                        ..Default::default()
                    },
                )?;
                s.set_pin(&p.id, None, PIN)?;
                let role = if i == 0 { Role::Chair } else { Role::Member };
                s.set_round_member(A, &round.id, &p.id, role)?;
                ms.push(p);
            }
            let owner = s.save_owner(
                A,
                &Owner {
                    name: "Hợp tác xã Đông Tiến".into(),
                    commune: "Xã Đông Tiến".into(),
                    ..Default::default()
                },
            )?;
            let sets = ["01", "04", "07", "11", "13"];
            let mut ps = Vec::new();
            for i in 0..products {
                let p = s.save_product(
                    A,
                    &ProductInput {
                        owner_id: owner.id.clone(),
                        name: format!("Mật ong rừng số {i}"),
                        decision_id: "QD26-2026".into(),
                        set_code: sets[i % sets.len()].into(),
                        code: format!("38-16213-{i:03}-2026"),
                        ..Default::default()
                    },
                )?;
                s.save_dossier(
                    A,
                    &round.id,
                    &DossierInput {
                        product_id: p.id.clone(),
                        application_type: ApplicationType::First,
                        received_on: String::new(),
                        checklist: Default::default(),
                        permits: vec![],
                    },
                )?;
                ps.push(p);
            }
            s.start_scoring(A, &round.id)?;
            Ok((round.id, ms, ps))
        })
        .unwrap();
    Fixture {
        dir,
        app,
        round,
        members: ms,
        products: ps,
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
}

pub fn open_hub(f: &Fixture, rt: &tokio::runtime::Runtime) -> Hub {
    Hub::open(
        f.app.clone(),
        &f.round,
        HubOptions {
            bind: "127.0.0.1:0".parse().unwrap(),
            host: None,
        },
        rt.handle(),
    )
    .unwrap()
}

/// A client that accepts only the hub's certificate.
pub fn client(fingerprint: &str, pooled: bool) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .use_preconfigured_tls(ocop_room::tls::pinned_client_config(fingerprint))
        .timeout(std::time::Duration::from_secs(20));
    if !pooled {
        b = b.pool_max_idle_per_host(0);
    }
    b.build().unwrap()
}

/// The one-time token in a member's link.
pub fn token_of(url: &str) -> String {
    let frag = url.split('#').nth(1).unwrap();
    frag.split('&')
        .find_map(|kv| kv.strip_prefix("pair="))
        .unwrap()
        .to_string()
}

/// A member's page: its session and the hub's address.
#[derive(Clone)]
pub struct Member {
    pub http: reqwest::Client,
    pub base: String,
    pub session: String,
    pub id: String,
}

impl Member {
    pub async fn pair(http: &reqwest::Client, base: &str, token: &str, device: &str) -> Member {
        let r = http
            .post(format!("{base}/api/v1/pair"))
            .json(&json!({ "token": token, "device": device }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "pairing");
        let v: Value = r.json().await.unwrap();
        Member {
            http: http.clone(),
            base: base.into(),
            session: v["session"].as_str().unwrap().into(),
            id: v["member"]["id"].as_str().unwrap().into(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1/{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(&self.session)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> reqwest::Result<(u16, Value)> {
        let r = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.session)
            .json(&body)
            .send()
            .await?;
        let status = r.status().as_u16();
        Ok((status, r.json().await?))
    }

    pub async fn open_sheet(&self, product: &str) -> Value {
        let (st, v) = self
            .send(
                reqwest::Method::POST,
                &format!("products/{product}/sheet"),
                json!({}),
            )
            .await
            .unwrap();
        assert_eq!(st, 200, "{v}");
        v
    }
}

/// One change the page queued: an answer with the option it replaces.
#[derive(Clone, Debug)]
pub struct Change {
    pub sheet: String,
    pub criterion: String,
    pub replaces: Option<u32>,
    pub option: u32,
    pub request_id: String,
}

/// Answers reaching `total` points on the product's sheet, as queued changes.
pub fn changes_for(f: &Fixture, product: &Product, sheet_id: &str, total: u32) -> Vec<Change> {
    let set = f
        .app
        .with_core(|s, _| Ok(s.current_sheet(&product.decision_id, &product.set_code)?.1))
        .unwrap();
    answers_for_total(&set, total, None)
        .unwrap()
        .into_iter()
        .map(|(criterion, option)| Change {
            sheet: sheet_id.into(),
            criterion,
            replaces: None,
            option: option as u32,
            request_id: uuid::Uuid::new_v4().to_string(),
        })
        .collect()
}

/// Sends a change as the page's outbox does: the same request until the hub answers, accepting
/// `room.replayed` (already recorded). Returns the number of attempts.
pub async fn deliver(m: &Member, c: &Change) -> u32 {
    let body = json!({ "request_id": c.request_id, "replaces": c.replaces, "option": c.option });
    let path = format!("sheets/{}/answers/{}", c.sheet, c.criterion);
    let mut attempts = 0;
    loop {
        attempts += 1;
        match m.send(reqwest::Method::PUT, &path, body.clone()).await {
            Ok((200, _)) => return attempts,
            Ok((409, v)) if v["code"] == "room.replayed" => return attempts,
            Ok((st, v)) => panic!("refused: {st} {v}"),
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(
                    20 * attempts.min(10) as u64,
                ))
                .await;
            }
        }
    }
}

pub fn addr_of(hub: &Hub) -> SocketAddr {
    hub.addr()
}
