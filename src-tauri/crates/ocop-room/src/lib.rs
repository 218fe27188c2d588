//! The council room's hub: an HTTPS server on the office network (or the laptop's own hotspot) for
//! a round in scoring, through which each council member scores on their own device. No Tauri: the
//! desktop shell starts and stops it, `ocop room open` runs it headless, and the tests drive it.
//!
//! - [`tls`]: the office's self-signed certificate (made once, kept in the store) and a pinned
//!   client verifier.
//! - `state`: links, short codes, sessions and applied requests, in memory only.
//! - `server`: the routes of `API.md`, each a call into the same `App` the desktop uses.

mod assets;
mod server;
mod state;
pub mod tls;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use ocop_core::app::App;
use ocop_core::error::{CoreError, Result};
use ocop_core::model::RoundStatus;
use ocop_core::room::*;
use ocop_core::rules::Role;

use server::Room;

/// How to open a room.
#[derive(Debug, Clone)]
pub struct HubOptions {
    /// Where to listen: `0.0.0.0:8443` for the office network, `127.0.0.1:0` for tests.
    pub bind: SocketAddr,
    /// The host members' links name; by default the first private IPv4 address of this machine
    /// when listening on every address, else the address listened on.
    pub host: Option<String>,
}

/// An open room. Dropping it does not close it; call [`Hub::close`].
pub struct Hub {
    room: Arc<Room>,
    addr: SocketAddr,
    /// Becomes true when the server has stopped.
    done: tokio::sync::watch::Receiver<bool>,
    /// Stops the server.
    stop: tokio::sync::watch::Sender<bool>,
}

impl Hub {
    /// Opens a room for `round_id` (in scoring): loads or makes the office's certificate, records
    /// the room, makes a one-time link and code for each present scoring member, and starts
    /// serving on `rt`. Refuses a round not in scoring, one without scoring members, or a port that
    /// is taken.
    pub fn open(
        app: Arc<App>,
        round_id: &str,
        opts: HubOptions,
        rt: &tokio::runtime::Handle,
    ) -> Result<Hub> {
        let (tls, round, members, room_id) = app.with_core(|s, actor| {
            let round = s.round(round_id)?;
            if round.status != RoundStatus::Scoring {
                return Err(msg::NOT_SCORING.err());
            }
            let members: Vec<RoomMember> = s
                .roster(round_id)?
                .into_iter()
                .filter(|m| m.present && m.role != Role::Advisor)
                .map(|m| RoomMember {
                    id: m.person.id,
                    name: m.person.full_name,
                    role: m.role,
                })
                .collect();
            if members.is_empty() {
                return Err(msg::NO_MEMBERS.err());
            }
            let tls = tls::identity(s, actor)?;
            let room_id = s.open_room(actor, round_id, &tls.fingerprint)?;
            Ok((tls, round, members, room_id))
        })?;
        let close_on_error = |e: CoreError| {
            let _ = app.with_core(|s, a| s.close_room(a, &room_id, "could not start"));
            e
        };
        let config = tls::server_config(&tls).map_err(close_on_error)?;
        let listener = server::listen(opts.bind).map_err(close_on_error)?;
        let addr = listener.local_addr().map_err(|e| {
            close_on_error(msg::BIND_FAILED.with("addr", opts.bind).with("reason", e))
        })?;
        let host = opts.host.clone().unwrap_or_else(|| default_host(addr.ip()));
        let host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host
        };
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let (closed, _) = tokio::sync::watch::channel(false);
        let room = Arc::new(Room {
            app: app.clone(),
            room_id,
            round: RoomRound {
                id: round.id,
                name: round.name,
                status: round.status,
            },
            fingerprint: tls.fingerprint.clone(),
            base_url: format!("https://{host}:{}", addr.port()),
            inner: Mutex::new(state::Inner::new(members)),
            closed,
        });
        let router = server::router(room.clone());
        let handle = axum_server::Handle::new();
        let h2 = handle.clone();
        let rustls = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config));
        let (done_tx, done) = tokio::sync::watch::channel(false);
        let shutdown = handle.clone();
        rt.spawn(async move {
            let _ = stopped.wait_for(|s| *s).await;
            shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(2)));
        });
        rt.spawn(async move {
            let serve = axum_server::from_tcp_rustls(listener, rustls).handle(h2);
            let _ = serve.serve(router.into_make_service()).await;
            let _ = done_tx.send(true);
        });
        // The room closes when the round leaves scoring (finalised at the desk).
        let watch = room.clone();
        rt.spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
            loop {
                tick.tick().await;
                if !watch.inner().open {
                    break;
                }
                let w = watch.clone();
                let scoring = tokio::task::spawn_blocking(move || {
                    w.app
                        .with_core(|s, _| Ok(s.round(&w.round.id)?.status == RoundStatus::Scoring))
                })
                .await;
                if let Ok(Ok(false)) = scoring {
                    let _ = close_room(&watch, "round finalised");
                    break;
                }
            }
        });
        Ok(Hub {
            room,
            addr,
            done,
            stop,
        })
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn fingerprint(&self) -> &str {
        &self.room.fingerprint
    }

    pub fn room_id(&self) -> &str {
        &self.room.room_id
    }

    pub fn is_open(&self) -> bool {
        self.room.inner().open
    }

    /// The room's address and each member's link waiting to be used.
    pub fn info(&self) -> RoomInfo {
        let inner = self.room.inner();
        RoomInfo {
            format: ROOM_FORMAT,
            room_id: self.room.room_id.clone(),
            round: self.room.round.clone(),
            url: format!("{}/", self.room.base_url),
            fingerprint: self.room.fingerprint.clone(),
            members: inner
                .slots
                .iter()
                .filter_map(|s| s.link.as_ref().map(|l| self.link(&s.member, l)))
                .collect(),
        }
    }

    fn link(&self, m: &RoomMember, l: &state::Link) -> RoomMemberLink {
        let url = format!(
            "{}/member.html#pair={}&fp={}",
            self.room.base_url, l.token, self.room.fingerprint
        );
        RoomMemberLink {
            member: m.id.clone(),
            name: m.name.clone(),
            role: m.role,
            qr_svg: qr_svg(&url),
            url,
            code: l.code.clone(),
        }
    }

    /// A new one-time link for a member; their current pairing ends when it is used.
    pub fn reissue(&self, member_id: &str) -> Result<RoomMemberLink> {
        let mut inner = self.room.inner();
        if !inner.open {
            return Err(msg::CLOSED.err());
        }
        let i = inner
            .slot_of(member_id)
            .ok_or_else(|| msg::NOT_PAIRED_MEMBER.with("member", member_id))?;
        let link = inner.new_link(i);
        let m = inner.slots[i].member.clone();
        Ok(self.link(&m, &link))
    }

    /// Ends a device's pairing at once (a lost phone); the member can be given a new link.
    pub fn revoke(&self, pairing_id: &str) -> Result<()> {
        {
            let mut inner = self.room.inner();
            let i = inner
                .slots
                .iter()
                .position(|s| {
                    s.paired
                        .as_ref()
                        .is_some_and(|p| p.pairing_id == pairing_id)
                })
                .ok_or_else(|| msg::NOT_IN_ROOM.with("what", msg::ENTITY_PAIRING.vi))?;
            inner.unpair(i, state::Dead::Revoked);
        }
        self.room
            .app
            .with_core(|s, a| s.revoke_pairing(a, pairing_id, "revoked by the secretary"))
    }

    /// Closes the room: every link, code and session dies at once. The server goes on answering
    /// (each request refused with `room.closed`, so open pages say so) until [`Hub::shutdown`].
    pub fn close(&self, reason: &str) -> Result<()> {
        close_room(&self.room, reason)
    }

    /// Stops the server (after a grace of two seconds for requests under way).
    pub fn shutdown(&self) {
        let _ = self.stop.send(true);
    }

    /// Waits until the room is closed (by [`Hub::close`] or because the round left scoring).
    pub async fn closed(&self) {
        let mut closed = self.room.closed.subscribe();
        if !self.room.inner().open {
            return;
        }
        let _ = closed.wait_for(|c| *c).await;
    }

    /// Waits until the server has stopped (after [`Hub::shutdown`]).
    pub async fn stopped(&self) {
        let mut done = self.done.clone();
        let _ = done.wait_for(|d| *d).await;
    }

    /// The live board: each member's device and last contact, progress per product, spread flags.
    pub fn board(&self) -> Result<RoomBoard> {
        let room = &self.room;
        let (products, progress, recusals, spread) = room.app.with_core(|s, _| {
            let results = s.round_results(&room.round.id)?;
            Ok((
                results.products,
                s.room_progress(&room.round.id)?,
                s.recusals(&room.round.id)?,
                s.round(&room.round.id)?.rules.max_spread,
            ))
        })?;
        let _ = spread;
        let inner = room.inner();
        let now = std::time::Instant::now();
        let members: Vec<BoardMember> = inner
            .slots
            .iter()
            .map(|slot| BoardMember {
                member: slot.member.clone(),
                pairing: slot.paired.as_ref().map(|p| BoardPairing {
                    pairing_id: p.pairing_id.clone(),
                    device: p.device.clone(),
                    paired_at: p.paired_at.clone(),
                    last_contact: p.last_contact.clone(),
                }),
                link_waiting: slot.link.is_some(),
                cells: products
                    .iter()
                    .map(|line| {
                        let pr = progress.iter().find(|p| {
                            p.person_id == slot.member.id && p.product_id == line.product_id
                        });
                        BoardCell {
                            product_id: line.product_id.clone(),
                            recused: recusals.iter().any(|r| {
                                r.person_id == slot.member.id && r.product_id == line.product_id
                            }),
                            answered: pr.map_or(0, |p| p.answered),
                            total: pr.map_or(0, |p| p.total),
                            status: pr.map(|p| p.status),
                        }
                    })
                    .collect(),
            })
            .collect();
        let products = products
            .iter()
            .map(|line| {
                let expected = members
                    .iter()
                    .filter(|m| {
                        !m.cells
                            .iter()
                            .any(|c| c.product_id == line.product_id && c.recused)
                    })
                    .count() as u32;
                BoardProduct {
                    id: line.product_id.clone(),
                    name: line.product_name.clone(),
                    spread_flag: line.result.spread_exceeded,
                    signed: progress
                        .iter()
                        .filter(|p| {
                            p.product_id == line.product_id
                                && p.status == ocop_core::model::SheetStatus::Signed
                        })
                        .count() as u32,
                    expected,
                }
            })
            .collect();
        Ok(RoomBoard {
            format: ROOM_FORMAT,
            room_id: room.room_id.clone(),
            round: room.round.clone(),
            url: format!("{}/", room.base_url),
            fingerprint: room.fingerprint.clone(),
            open: inner.open,
            products,
            members,
            wrong_codes: inner.wrong_codes(),
            codes_locked: inner.codes_locked(now),
        })
    }
}

fn close_room(room: &Room, reason: &str) -> Result<()> {
    let was_open = {
        let mut inner = room.inner();
        let was = inner.open;
        inner.close();
        was
    };
    room.closed.send_replace(true);
    if was_open {
        room.app
            .with_core(|s, a| s.close_room(a, &room.room_id, reason))?;
    }
    Ok(())
}

/// The host for links when listening on `ip`.
fn default_host(ip: IpAddr) -> String {
    if !ip.is_unspecified() {
        return ip.to_string();
    }
    let private = |ip: &IpAddr| match ip {
        IpAddr::V4(v4) => v4.is_private(),
        IpAddr::V6(_) => false,
    };
    let addrs: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback())
        .map(|i| i.ip())
        .collect();
    addrs
        .iter()
        .find(|ip| private(ip))
        .or_else(|| addrs.iter().find(|ip| ip.is_ipv4()))
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "127.0.0.1".into())
}

/// A QR code of `text` as SVG markup (error correction M).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
