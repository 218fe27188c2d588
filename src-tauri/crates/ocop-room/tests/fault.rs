//! The Wi-Fi drops: a loopback proxy between the members' pages and the hub drops 10% of
//! connections outright and resets another 10% in the middle of a request (before it reaches the
//! hub, or after the hub has answered but before the answer reaches the page). Each page resends
//! as the member page's outbox does: the same request, in order, until the hub answers. Afterwards
//! every answer is stored exactly once: the stored options are the last ones sent, and each change
//! is in the audit log once.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Deterministic choices (splitmix64), so a failure replays.
struct Dice(AtomicU64);
impl Dice {
    fn roll(&self) -> u64 {
        let mut z = self.0.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[derive(Default)]
struct Faults {
    connections: AtomicU64,
    dropped: AtomicU64,
    cut_request: AtomicU64,
    cut_response: AtomicU64,
}

fn reset(s: &TcpStream) {
    // SO_LINGER 0: closing sends a TCP reset, as a dropped Wi-Fi link looks to the other end.
    let _ = socket2::SockRef::from(s).set_linger(Some(std::time::Duration::ZERO));
}

async fn proxy(
    upstream: std::net::SocketAddr,
    dice: Arc<Dice>,
    faults: Arc<Faults>,
) -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = l.accept().await else {
                return;
            };
            let (dice, faults) = (dice.clone(), faults.clone());
            tokio::spawn(async move {
                faults.connections.fetch_add(1, Ordering::Relaxed);
                let fate = dice.roll() % 100;
                if fate < 10 {
                    faults.dropped.fetch_add(1, Ordering::Relaxed);
                    reset(&client);
                    return;
                }
                let Ok(server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let cut = match fate {
                    10..=14 => Some(false), // cut while the request is on its way
                    15..=19 => Some(true),  // cut once the hub starts answering
                    _ => None,
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let mut up = [0u8; 16 * 1024];
                let mut down = [0u8; 16 * 1024];
                let mut client_chunks = 0u32;
                loop {
                    tokio::select! {
                        n = cr.read(&mut up) => {
                            let Ok(n) = n else { break };
                            if n == 0 { break }
                            client_chunks += 1;
                            // The second flight from the client carries its Finished and the request.
                            if cut == Some(false) && client_chunks == 2 {
                                let _ = sw.write_all(&up[..n / 2]).await;
                                faults.cut_request.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            if sw.write_all(&up[..n]).await.is_err() { break }
                        }
                        n = sr.read(&mut down) => {
                            let Ok(n) = n else { break };
                            if n == 0 { break }
                            if cut == Some(true) && client_chunks >= 2 {
                                // Give the hub time to finish the write it is answering.
                                faults.cut_response.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            if cw.write_all(&down[..n]).await.is_err() { break }
                        }
                    }
                }
                if let Ok(c) = cr.reunite(cw) {
                    reset(&c);
                }
            });
        }
    });
    addr
}

#[test]
fn every_answer_arrives_exactly_once_through_a_failing_network() {
    const MEMBERS: usize = 4;
    const PRODUCTS: usize = 3;
    let f = round(MEMBERS, PRODUCTS);
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let info = hub.info();
    let direct = client(&info.fingerprint, true);
    let base = info.url.trim_end_matches('/').to_string();
    let faults = Arc::new(Faults::default());
    let dice = Arc::new(Dice(AtomicU64::new(20261203)));
    let (sent, attempts) = rt.block_on(async {
        let via = proxy(hub.addr(), dice, faults.clone()).await;
        let proxied = format!("https://127.0.0.1:{}", via.port());
        let mut jobs = Vec::new();
        for link in &info.members {
            // Pairing is one-time, so it is done on a good link; the answers go through the proxy.
            let m = Member::pair(&direct, &base, &token_of(&link.url), "phone").await;
            let mut plan = Vec::new();
            for (pi, p) in f.products.iter().enumerate() {
                let sheet = m.open_sheet(&p.id).await["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let first = changes_for(&f, p, &sheet, 70 + pi as u32);
                // Then the member changes their mind on a few criteria: each names the option it
                // replaces.
                let second = changes_for(&f, p, &sheet, 62 + pi as u32);
                let mut last: std::collections::HashMap<String, u32> = first
                    .iter()
                    .map(|c| (c.criterion.clone(), c.option))
                    .collect();
                plan.extend(first);
                for c in second {
                    let prev = last[&c.criterion];
                    if prev != c.option {
                        last.insert(c.criterion.clone(), c.option);
                        plan.push(Change {
                            replaces: Some(prev),
                            ..c
                        });
                    }
                }
            }
            let page = Member {
                http: client(&info.fingerprint, false),
                base: proxied.clone(),
                ..m
            };
            jobs.push(tokio::spawn(async move {
                let mut attempts = 0;
                for c in &plan {
                    attempts += deliver(&page, c).await;
                }
                (plan, attempts)
            }));
        }
        let mut sent = Vec::new();
        let mut attempts = 0;
        for j in jobs {
            let (p, a) = j.await.unwrap();
            sent.extend(p);
            attempts += a;
        }
        (sent, attempts)
    });
    // The options stored are the last sent for each criterion.
    let mut want = std::collections::BTreeMap::new();
    for c in &sent {
        want.insert((c.sheet.clone(), c.criterion.clone()), c.option);
    }
    let stored: std::collections::BTreeMap<(String, String), u32> = f
        .app
        .with_core(|s, _| {
            let mut st = s
                .conn()
                .prepare("SELECT sheet_id, criterion, option_index FROM answer")?;
            let rows = st
                .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(stored, want, "every answer present, none extra");
    // Each change is applied exactly once: one audit entry per change sent.
    let audited: i64 = f
        .app
        .with_core(|s, _| {
            Ok(s.conn().query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'sheet.answer'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        audited as usize,
        sent.len(),
        "no change lost or applied twice"
    );
    let c = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "fault test: {} changes, {} requests; {} connections: {} dropped, {} cut mid-request, {} cut mid-answer; stored exactly once",
        sent.len(),
        attempts,
        c(&faults.connections),
        c(&faults.dropped),
        c(&faults.cut_request),
        c(&faults.cut_response),
    );
    assert!(c(&faults.dropped) > 0 && c(&faults.cut_request) > 0 && c(&faults.cut_response) > 0);
    assert!(
        attempts as usize > sent.len(),
        "the proxy made pages resend"
    );
    hub.close("test").unwrap();
    hub.shutdown();
}
