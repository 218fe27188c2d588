//! OCOP Council core: the criteria data, the scoring rules, the local store, the audit log and
//! the data exchange between offices. This crate must not depend on Tauri: the desktop shell,
//! the `ocop` CLI and the tests all drive it the same way.

pub mod app;
pub mod app_backup;
pub mod app_exchange;
pub mod backup;
pub mod central;
pub mod criteria;
pub mod demo;
pub mod demo_registry;
pub mod error;
pub mod exchange;
pub mod import;
pub mod model;
pub mod office;
pub mod plan_import;
pub mod procedure;
pub mod registry;
pub mod room;
pub mod rules;
pub mod score_input;
pub mod store;
pub mod text;

pub use error::{CoreError, ErrorDto, Lang, Msg, Result};
