//! The HTTPS server: the member page's files and the API of `API.md`. Every handler runs its store
//! work on a blocking thread through the same `App` the desktop uses, so the hub is the store's only
//! writer and each change passes the same core calls, rules and audit as one keyed at the desk.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use ocop_core::app::App;
use ocop_core::error::{CoreError, ErrorDto, Lang};
use ocop_core::model::ScoreSheet;
use ocop_core::room::*;
use ocop_core::store::Store;
use serde::Deserialize;
use serde_json::json;

use crate::state::{Claim, Dead, Inner};

pub(crate) struct Room {
    pub app: Arc<App>,
    pub room_id: String,
    pub round: RoomRound,
    pub fingerprint: String,
    pub base_url: String,
    pub inner: Mutex<Inner>,
    /// Becomes true when the room closes.
    pub closed: tokio::sync::watch::Sender<bool>,
}

impl Room {
    pub fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

type Shared = Arc<Room>;

/// A refusal: an HTTP status and the coded error, worded in the caller's language; `sheet`
/// carries the current sheet for a stale or replayed write.
pub(crate) struct Refusal {
    status: StatusCode,
    error: CoreError,
    sheet: Option<Box<ScoreSheet>>,
}

impl From<CoreError> for Refusal {
    fn from(error: CoreError) -> Refusal {
        Refusal {
            status: status_of(error.code()),
            error,
            sheet: None,
        }
    }
}

/// The HTTP status of a coded error.
fn status_of(code: &str) -> StatusCode {
    match code {
        "room.unpaired" | "room.bad_token" | "room.revoked" => StatusCode::UNAUTHORIZED,
        "room.token_used" | "room.not_your_sheet" | "sheet.signed" | "pin.wrong" => {
            StatusCode::FORBIDDEN
        }
        "room.closed" => StatusCode::GONE,
        "room.stale" | "room.replayed" => StatusCode::CONFLICT,
        "room.codes_locked" => StatusCode::TOO_MANY_REQUESTS,
        "pin.locked" | "pin.wrong_locked" => StatusCode::LOCKED,
        "room.bad_request" => StatusCode::BAD_REQUEST,
        "room.not_in_room" | "not_found" => StatusCode::NOT_FOUND,
        c if c.ends_with("not_found") => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// A response in the caller's language.
struct Reply<T>(Lang, Result<T, Refusal>);

impl<T: serde::Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        let mut r = match self.1 {
            Ok(v) => Json(v).into_response(),
            Err(f) => {
                let dto: ErrorDto = f.error.to_dto(self.0);
                let mut body = serde_json::to_value(&dto).unwrap_or_else(|_| json!({}));
                if let (Some(sheet), Some(map)) = (f.sheet, body.as_object_mut()) {
                    map.insert(
                        "sheet".into(),
                        serde_json::to_value(sheet).unwrap_or_default(),
                    );
                }
                (f.status, Json(body)).into_response()
            }
        };
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

fn lang_of(h: &HeaderMap) -> Lang {
    match h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
        Some(v) if v.trim_start().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Vi,
    }
}

fn bad(detail: impl ToString) -> Refusal {
    msg::BAD_REQUEST.with("detail", detail.to_string()).into()
}

/// The paired member behind a request: slot, member, device label.
struct Caller {
    slot: usize,
    member: RoomMember,
    device: String,
}

impl Caller {
    fn actor(&self) -> String {
        actor_label(&self.member.name, &self.device)
    }
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn caller(room: &Room, h: &HeaderMap) -> Result<Caller, Refusal> {
    let session = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let mut inner = room.inner();
    if !inner.open {
        return Err(msg::CLOSED.err().into());
    }
    let Some(session) = session else {
        return Err(msg::UNPAIRED.err().into());
    };
    match inner.session(session) {
        Ok(slot) => {
            inner.touch(slot, now());
            let s = &inner.slots[slot];
            Ok(Caller {
                slot,
                member: s.member.clone(),
                device: s
                    .paired
                    .as_ref()
                    .map(|p| p.device.clone())
                    .unwrap_or_default(),
            })
        }
        Err(Some(Dead::Revoked)) => Err(msg::REVOKED.err().into()),
        Err(None) => Err(msg::UNPAIRED.err().into()),
    }
}

/// Runs store work on a blocking thread.
async fn blocking<T: Send + 'static>(
    room: &Shared,
    f: impl FnOnce(&mut Store, &Room) -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    let room = room.clone();
    tokio::task::spawn_blocking(move || {
        let r = room.clone();
        let mut out = None;
        let res = room.app.with_core(|s, _| {
            out = Some(f(s, &r));
            Ok(())
        });
        match (res, out) {
            (_, Some(v)) => v,
            (Err(e), None) => Err(e.into()),
            (Ok(()), None) => Err(bad("no result")),
        }
    })
    .await
    .unwrap_or_else(|e| Err(bad(format!("internal: {e}"))))
}

pub(crate) fn router(room: Shared) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/member.html", get(page))
        .route("/assets/{*file}", get(asset))
        .route("/api/v1/room", get(room_public))
        .route("/api/v1/pair", post(pair))
        .route("/api/v1/me", get(me))
        .route("/api/v1/criteria/{sha}", get(criteria))
        .route("/api/v1/dossiers/{product}", get(dossier))
        .route("/api/v1/attachments/{sha}", get(attachment))
        .route("/api/v1/products/{product}/sheet", post(open_sheet))
        .route("/api/v1/sheets/{sheet}", get(sheet))
        .route("/api/v1/sheets/{sheet}/answers/{criterion}", put(answer))
        .route("/api/v1/sheets/{sheet}/elimination", put(elimination))
        .route("/api/v1/sheets/{sheet}/comment", put(comment))
        .route("/api/v1/sheets/{sheet}/sign", post(sign))
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(room)
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' blob: data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}

async fn page(h: HeaderMap) -> Response {
    match crate::assets::file("member.html") {
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => Reply::<()>(lang_of(&h), Err(msg::NO_PAGE.err().into())).into_response(),
    }
}

async fn asset(Path(file): Path<String>) -> Response {
    match crate::assets::file(&format!("assets/{file}")) {
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn room_public(State(room): State<Shared>) -> Json<RoomPublic> {
    let open = room.inner().open;
    Json(RoomPublic {
        format: ROOM_FORMAT,
        round: room.round.clone(),
        fingerprint: room.fingerprint.clone(),
        open,
    })
}

#[derive(Deserialize)]
struct PairRequest {
    token: Option<String>,
    code: Option<String>,
    #[serde(default)]
    device: String,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(bad)
}

async fn pair(State(room): State<Shared>, h: HeaderMap, body: axum::body::Bytes) -> Response {
    let lang = lang_of(&h);
    Reply(lang, pair_inner(room, &body).await).into_response()
}

async fn pair_inner(room: Shared, body: &[u8]) -> Result<Pairing, Refusal> {
    let req: PairRequest = parse(body)?;
    let device = device_label(&req.device);
    let slot = {
        let mut inner = room.inner();
        if !inner.open {
            return Err(msg::CLOSED.err().into());
        }
        let claim = match (&req.token, &req.code) {
            (Some(t), _) => inner.claim_token(t),
            (None, Some(c)) => inner.claim_code(c, Instant::now()),
            (None, None) => return Err(bad("token or code")),
        };
        match claim {
            Claim::Slot(i) => i,
            Claim::Used => return Err(msg::TOKEN_USED.err().into()),
            Claim::Unknown => return Err(msg::BAD_TOKEN.err().into()),
            Claim::Locked(s) => return Err(msg::CODES_LOCKED.with("seconds", s).into()),
        }
    };
    let member = room.inner().slots[slot].member.clone();
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).expect("the OS random source works");
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let public = hex::encode(key.verifying_key().as_bytes());
    let (room_id, member_id, dev) = (room.room_id.clone(), member.id.clone(), device.clone());
    let actor = actor_label(&member.name, &device);
    let pairing_id = blocking(&room, move |s, _| {
        Ok(s.add_pairing(&actor, &room_id, &member_id, &dev, &public)?)
    })
    .await?;
    let session = crate::state::secret();
    // The link may have been used by another device while the store wrote: the first one wins.
    let outcome = {
        let mut inner = room.inner();
        if inner.slots[slot].link.is_none() || !inner.open {
            Err(())
        } else {
            let old = inner.slots[slot]
                .paired
                .as_ref()
                .map(|p| p.pairing_id.clone());
            inner.pair(slot, pairing_id.clone(), &session, device, now());
            Ok(old)
        }
    };
    let (revoke, why) = match &outcome {
        Err(()) => (Some(pairing_id.clone()), "link used twice"),
        Ok(old) => (old.clone(), "paired again"),
    };
    if let Some(p) = revoke {
        let _ = blocking(&room, move |s, _| {
            Ok(s.revoke_pairing("phòng chấm", &p, why)?)
        })
        .await;
    }
    if outcome.is_err() {
        return Err(msg::TOKEN_USED.err().into());
    }
    Ok(Pairing {
        format: ROOM_FORMAT,
        session,
        pairing_id,
        member,
        round: room.round.clone(),
        fingerprint: room.fingerprint.clone(),
        signing_key: hex::encode(seed),
    })
}

async fn me(State(room): State<Shared>, h: HeaderMap) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let c = caller(&room, &h)?;
        blocking(&room, move |s, r| {
            let round = s.round(&r.round.id)?;
            Ok(MemberView {
                format: ROOM_FORMAT,
                products: s.member_products(&r.round.id, &c.member.id)?,
                member: c.member,
                round: RoomRound {
                    id: round.id,
                    name: round.name,
                    status: round.status,
                },
                fingerprint: r.fingerprint.clone(),
            })
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

async fn criteria(State(room): State<Shared>, h: HeaderMap, Path(sha): Path<String>) -> Response {
    let lang = lang_of(&h);
    let r = async {
        caller(&room, &h)?;
        blocking(&room, move |s, _| Ok(s.sheet_by_hash(&sha)?)).await
    }
    .await;
    Reply(lang, r).into_response()
}

async fn dossier(
    State(room): State<Shared>,
    h: HeaderMap,
    Path(product): Path<String>,
) -> Response {
    let lang = lang_of(&h);
    let r = async {
        caller(&room, &h)?;
        blocking(&room, move |s, r| {
            let d = s
                .dossiers(&r.round.id)?
                .into_iter()
                .find(|d| d.product.id == product)
                .ok_or_else(|| msg::NOT_IN_ROOM.with("what", msg::ENTITY_PRODUCT.vi))?;
            Ok(json!({ "attachments": d.attachments }))
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

async fn attachment(State(room): State<Shared>, h: HeaderMap, Path(sha): Path<String>) -> Response {
    let lang = lang_of(&h);
    let r = async {
        caller(&room, &h)?;
        blocking(&room, move |s, r| {
            if !s.attachment_in_round(&r.round.id, &sha)? {
                return Err(msg::NOT_IN_ROOM
                    .with("what", msg::ENTITY_ATTACHMENT.vi)
                    .into());
            }
            Ok(s.attachment_bytes(r.app.data_dir(), &sha)?)
        })
        .await
    }
    .await;
    match r {
        Ok((mime, bytes)) => {
            let mut resp = Response::new(Body::from(bytes));
            if let Ok(v) = HeaderValue::from_str(&mime) {
                resp.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            resp.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            resp
        }
        Err(e) => Reply::<()>(lang, Err(e)).into_response(),
    }
}

/// Refuses a sheet that is not the member's own.
fn check_owner(s: &Store, c: &Caller, sheet_id: &str) -> Result<(), Refusal> {
    let (person, pass) = s.sheet_owner(sheet_id)?;
    if person != c.member.id || pass != 1 {
        return Err(msg::NOT_YOUR_SHEET.err().into());
    }
    Ok(())
}

/// The member's own sheet, or a refusal.
fn own_sheet(s: &Store, c: &Caller, sheet_id: &str) -> Result<ScoreSheet, Refusal> {
    check_owner(s, c, sheet_id)?;
    Ok(s.sheet(sheet_id)?)
}

async fn open_sheet(
    State(room): State<Shared>,
    h: HeaderMap,
    Path(product): Path<String>,
) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let c = caller(&room, &h)?;
        blocking(&room, move |s, r| {
            Ok(s.open_sheet(&c.actor(), &r.round.id, &product, &c.member.id, None, 1)?)
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

async fn sheet(State(room): State<Shared>, h: HeaderMap, Path(id): Path<String>) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let c = caller(&room, &h)?;
        blocking(&room, move |s, _| own_sheet(s, &c, &id)).await
    }
    .await;
    Reply(lang, r).into_response()
}

fn request_id(v: &str) -> Result<String, Refusal> {
    uuid::Uuid::parse_str(v)
        .map(|u| u.to_string())
        .map_err(|_| bad("request_id"))
}

/// Runs one write from a device: refuses a request already applied (with the current sheet), and
/// marks the request applied once it succeeded.
async fn write(
    room: &Shared,
    h: &HeaderMap,
    rid: &str,
    sheet_id: String,
    f: impl FnOnce(&mut Store, &Caller, &str) -> Result<ScoreSheet, Refusal> + Send + 'static,
) -> Result<ScoreSheet, Refusal> {
    let c = caller(room, h)?;
    let rid = request_id(rid)?;
    let replayed = room.inner().applied(&rid);
    let slot = c.slot;
    let out = blocking(room, move |s, _| {
        check_owner(s, &c, &sheet_id)?;
        if replayed {
            return Err(Refusal {
                status: StatusCode::CONFLICT,
                error: msg::REPLAYED.err(),
                sheet: Some(Box::new(s.sheet(&sheet_id)?)),
            });
        }
        f(s, &c, &sheet_id)
    })
    .await?;
    let mut inner = room.inner();
    inner.mark_applied(&rid);
    inner.touch(slot, now());
    Ok(out)
}

#[derive(Deserialize)]
struct AnswerRequest {
    request_id: String,
    replaces: Option<u32>,
    option: Option<u32>,
}

async fn answer(
    State(room): State<Shared>,
    h: HeaderMap,
    Path((sheet_id, criterion)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let req: AnswerRequest = parse(&body)?;
        write(&room, &h, &req.request_id, sheet_id, move |s, c, sheet| {
            let stored = s.stored_answer(sheet, &criterion)?;
            match answer_write(stored, req.replaces, req.option) {
                AnswerWrite::AlreadyThere => Ok(s.sheet(sheet)?),
                AnswerWrite::Apply => {
                    Ok(s.save_answer(&c.actor(), sheet, &criterion, req.option)?)
                }
                AnswerWrite::Stale => Err(Refusal {
                    status: StatusCode::CONFLICT,
                    error: msg::STALE.with("criterion", &criterion),
                    sheet: Some(Box::new(s.sheet(sheet)?)),
                }),
            }
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

#[derive(Deserialize)]
struct EliminationRequest {
    request_id: String,
    reason: Option<String>,
}

async fn elimination(
    State(room): State<Shared>,
    h: HeaderMap,
    Path(sheet_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let req: EliminationRequest = parse(&body)?;
        write(&room, &h, &req.request_id, sheet_id, move |s, c, sheet| {
            Ok(s.set_elimination(&c.actor(), sheet, req.reason.as_deref())?)
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

#[derive(Deserialize)]
struct CommentRequest {
    request_id: String,
    comment: String,
}

async fn comment(
    State(room): State<Shared>,
    h: HeaderMap,
    Path(sheet_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let req: CommentRequest = parse(&body)?;
        write(&room, &h, &req.request_id, sheet_id, move |s, c, sheet| {
            Ok(s.set_comment(&c.actor(), sheet, &req.comment)?)
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

#[derive(Deserialize)]
struct SignRequest {
    request_id: String,
    pin: String,
}

async fn sign(
    State(room): State<Shared>,
    h: HeaderMap,
    Path(sheet_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let lang = lang_of(&h);
    let r = async {
        let req: SignRequest = parse(&body)?;
        write(&room, &h, &req.request_id, sheet_id, move |s, c, sheet| {
            Ok(s.sign_sheet_via(sheet, &req.pin, Some(&c.device))?)
        })
        .await
    }
    .await;
    Reply(lang, r).into_response()
}

/// Binds the listener (so a taken port is refused before anything starts).
pub(crate) fn listen(addr: SocketAddr) -> Result<std::net::TcpListener, CoreError> {
    let l = std::net::TcpListener::bind(addr)
        .map_err(|e| msg::BIND_FAILED.with("addr", addr).with("reason", e))?;
    l.set_nonblocking(true)
        .map_err(|e| msg::BIND_FAILED.with("addr", addr).with("reason", e))?;
    Ok(l)
}
