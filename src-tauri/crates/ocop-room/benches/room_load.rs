//! Load benchmark of the council room (not a timed test): 15 members × 20 products × about 30
//! criteria, about 10,000 answers, each member's page sending its answers in order while all 15
//! send at once, over HTTPS on loopback to a hub on a file database with the app's settings (WAL,
//! synchronous=FULL). Prints the write latency the pages see (p50, p95, p99, max), the rate, and
//! checks that no answer is lost or stored twice. `cargo bench -p ocop-room --bench room_load`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;

const MEMBERS: usize = 15;
const PRODUCTS: usize = 20;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let f = round(MEMBERS, PRODUCTS);
    let rt = runtime();
    let hub = open_hub(&f, &rt);
    let info = hub.info();
    let base = info.url.trim_end_matches('/').to_string();
    let (plans, mut latencies, wall) = rt.block_on(async {
        let mut pages = Vec::new();
        for link in &info.members {
            let http = client(&info.fingerprint, true);
            let m = Member::pair(&http, &base, &token_of(&link.url), "bench").await;
            let mut plan = Vec::new();
            for (pi, p) in f.products.iter().enumerate() {
                let sheet = m.open_sheet(&p.id).await["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                plan.extend(changes_for(&f, p, &sheet, 55 + (pi as u32 * 7) % 40));
            }
            pages.push((m, plan));
        }
        let started = Instant::now();
        let jobs: Vec<_> = pages
            .into_iter()
            .map(|(m, plan)| {
                tokio::spawn(async move {
                    let mut lat = Vec::with_capacity(plan.len());
                    for c in &plan {
                        let t = Instant::now();
                        let attempts = deliver(&m, c).await;
                        assert_eq!(attempts, 1, "loopback never fails");
                        lat.push(t.elapsed());
                    }
                    (plan.len(), lat)
                })
            })
            .collect();
        let mut n = 0;
        let mut all = Vec::new();
        for j in jobs {
            let (k, lat) = j.await.unwrap();
            n += k;
            all.extend(lat);
        }
        (n, all, started.elapsed())
    });
    latencies.sort();
    let q = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let stored: i64 = f
        .app
        .with_core(|s, _| {
            Ok(s.conn()
                .query_row("SELECT COUNT(*) FROM answer", [], |r| r.get(0))?)
        })
        .unwrap();
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
    println!(
        "council room load: {MEMBERS} members × {PRODUCTS} products, {plans} answers sent concurrently in {:.1} s ({:.0} answers/s)",
        wall.as_secs_f64(),
        plans as f64 / wall.as_secs_f64()
    );
    println!(
        "write latency seen by the pages: p50 {}, p95 {}, p99 {}, max {}",
        ms(q(0.50)),
        ms(q(0.95)),
        ms(q(0.99)),
        ms(*latencies.last().unwrap())
    );
    println!(
        "stored answers {stored}, audited answers {audited}: lost {}, duplicated {}",
        plans as i64 - stored.min(plans as i64),
        audited - plans as i64
    );
    assert_eq!(stored as usize, plans, "no answer lost");
    assert_eq!(audited as usize, plans, "no answer applied twice");
    hub.close("bench").unwrap();
    hub.shutdown();
}
