//! `ocop room open --round R [--bind ADDR:PORT] [--host H] [--json]`: the council room's hub,
//! headless, until Ctrl-C or SIGTERM (or until the round is finalised, which closes the room).
//!
//! With `--json` it prints one line as soon as the hub listens:
//! `{"url", "fingerprint", "room_id", "members": [{"member", "name", "url", "code"}]}` — `url` the
//! join page, `fingerprint` the SHA-256 of the hub's certificate (DER) in hex, and each member's
//! `url` with that member's one-time pairing token. Nothing else is printed while it runs; tokens
//! never reach a log.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use ocop_core::app::App;
use ocop_core::{CoreError, Lang};
use ocop_room::{Hub, HubOptions};

const ACTOR: &str = "ocop room (dòng lệnh)";

pub fn open(
    data_dir: &Path,
    round: &str,
    bind: SocketAddr,
    host: Option<String>,
    json: bool,
    lang: Lang,
) -> Result<String, CoreError> {
    let app = Arc::new(App::open(data_dir)?);
    app.set_operator(ACTOR).ok();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CoreError::Io {
            path: "tokio".into(),
            reason: e.to_string(),
        })?;
    let hub = Hub::open(app, round, HubOptions { bind, host }, rt.handle())?;
    let info = hub.info();
    let out = if json {
        serde_json::json!({
            "url": info.url,
            "fingerprint": info.fingerprint,
            "room_id": info.room_id,
            "members": info.members.iter().map(|m| serde_json::json!({
                "member": m.member, "name": m.name, "url": m.url, "code": m.code,
            })).collect::<Vec<_>>(),
        })
        .to_string()
    } else {
        let en = lang == Lang::En;
        let mut s = format!(
            "{} {}\n{} {}\n",
            if en {
                "Council room open at"
            } else {
                "Phòng chấm mở tại"
            },
            info.url,
            if en {
                "Certificate fingerprint (SHA-256):"
            } else {
                "Dấu vân tay chứng chỉ (SHA-256):"
            },
            ocop_room::tls::fingerprint_groups(&info.fingerprint),
        );
        for m in &info.members {
            s.push_str(&format!("  {} — {}  {}\n", m.name, m.code, m.url));
        }
        s.push_str(if en {
            "Ctrl-C closes the room."
        } else {
            "Nhấn Ctrl-C để đóng phòng chấm."
        });
        s
    };
    println!("{out}");
    std::io::stdout().flush().ok();
    rt.block_on(async {
        tokio::select! {
            _ = stop_signal() => {}
            _ = hub.closed() => {}
        }
    });
    hub.close("stopped at the command line")?;
    hub.shutdown();
    rt.block_on(hub.stopped());
    Ok(String::new())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
