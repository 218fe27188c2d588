//! The council room: the shell keeps at most one [`Hub`] (`ocop-room`), serving on Tauri's own
//! tokio runtime and sharing the window's [`App`]. Each command is one call into the hub.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use ocop_core::app::{App, Reply};
use ocop_core::room::{msg, RoomBoard, RoomInfo, RoomMemberLink};
use ocop_room::{Hub, HubOptions};
use tauri::State;

/// The port a room listens on unless the secretary chooses another.
pub const DEFAULT_PORT: u16 = 8443;

/// The open room, if any (a room the round's finalisation closed stays until the next open or
/// `room_close`, so the screen can still show its last board).
#[derive(Default)]
pub struct RoomState(Mutex<Option<Hub>>);

impl RoomState {
    fn lock(&self) -> MutexGuard<'_, Option<Hub>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes the room, if one is open (the app is exiting).
    pub fn close_on_exit(&self) {
        if let Some(hub) = self.lock().take() {
            if let Err(e) = hub.close("the app was closed") {
                eprintln!("council room: {e}");
            }
        }
    }
}

/// Opens a room for a round in scoring on every address of this machine, port `port` (8443).
#[tauri::command(async)]
pub fn room_open(
    app: State<Arc<App>>,
    room: State<RoomState>,
    round_id: String,
    port: Option<u16>,
) -> Reply<RoomInfo> {
    let mut slot = room.lock();
    if slot.as_ref().is_some_and(Hub::is_open) {
        return Err(app.error(msg::ALREADY_OPEN.err()));
    }
    let opts = HubOptions {
        bind: SocketAddr::from((Ipv4Addr::UNSPECIFIED, port.unwrap_or(DEFAULT_PORT))),
        host: None,
    };
    let rt = tauri::async_runtime::handle();
    let hub = Hub::open(Arc::clone(&app), &round_id, opts, rt.inner()).map_err(|e| app.error(e))?;
    let info = hub.info();
    *slot = Some(hub);
    Ok(info)
}

/// The open room's address, fingerprint and the links waiting to be used; `None` when none is open.
#[tauri::command(async)]
pub fn room_info(room: State<RoomState>) -> Reply<Option<RoomInfo>> {
    Ok(room.lock().as_ref().filter(|h| h.is_open()).map(Hub::info))
}

/// The room's live board (also of a room the round's finalisation closed); `None` when there is none.
#[tauri::command(async)]
pub fn room_board(app: State<Arc<App>>, room: State<RoomState>) -> Reply<Option<RoomBoard>> {
    room.lock()
        .as_ref()
        .map(Hub::board)
        .transpose()
        .map_err(|e| app.error(e))
}

/// A new one-time link and code for a member (their current device is unpaired when it is used).
#[tauri::command(async)]
pub fn room_reissue(
    app: State<Arc<App>>,
    room: State<RoomState>,
    member_id: String,
) -> Reply<RoomMemberLink> {
    let slot = room.lock();
    let hub = slot
        .as_ref()
        .ok_or_else(|| app.error(msg::NOT_OPEN.err()))?;
    hub.reissue(&member_id).map_err(|e| app.error(e))
}

/// Ends a device's pairing at once; the board after it.
#[tauri::command(async)]
pub fn room_revoke(
    app: State<Arc<App>>,
    room: State<RoomState>,
    pairing_id: String,
) -> Reply<RoomBoard> {
    let slot = room.lock();
    let hub = slot
        .as_ref()
        .ok_or_else(|| app.error(msg::NOT_OPEN.err()))?;
    hub.revoke(&pairing_id)
        .and_then(|()| hub.board())
        .map_err(|e| app.error(e))
}

/// Closes the room (every link, code and session ends) and forgets it.
#[tauri::command(async)]
pub fn room_close(app: State<Arc<App>>, room: State<RoomState>) -> Reply<()> {
    let hub = room
        .lock()
        .take()
        .ok_or_else(|| app.error(msg::NOT_OPEN.err()))?;
    hub.close("closed by the secretary")
        .map_err(|e| app.error(e))
}
