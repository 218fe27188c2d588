//! The application facade the desktop shell adapts one command to one method. It owns the store
//! and the user's language, and turns errors into messages in that language.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::criteria::{CriteriaIndex, ProductSet};
use crate::error::{CoreError, Lang, Result};
use crate::store::{Store, SCHEMA_VERSION};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub schema_version: i64,
}

pub struct App {
    store: Mutex<Store>,
    lang: Mutex<Lang>,
    data_dir: PathBuf,
}

/// What a shell command returns: a value, or a message in the user's language.
pub type Reply<T> = std::result::Result<T, String>;

impl App {
    /// Opens the store in `data_dir` (created if needed).
    pub fn open(data_dir: &Path) -> Result<App> {
        Ok(App {
            store: Mutex::new(Store::open_dir(data_dir)?),
            lang: Mutex::new(Lang::Vi),
            data_dir: data_dir.to_path_buf(),
        })
    }

    pub fn in_memory() -> Result<App> {
        Ok(App {
            store: Mutex::new(Store::open_in_memory()?),
            lang: Mutex::new(Lang::Vi),
            data_dir: PathBuf::new(),
        })
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves the SQLite connection consistent (every write is
        // a transaction), so the poisoned guard is safe to reuse.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn reply<T>(&self, r: Result<T>) -> Reply<T> {
        r.map_err(|e: CoreError| e.message(self.lang()))
    }

    pub fn set_lang(&self, lang: Lang) -> Reply<()> {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
        Ok(())
    }

    pub fn app_info(&self) -> Reply<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: self.data_dir.display().to_string(),
            schema_version: SCHEMA_VERSION,
        })
    }

    pub fn criteria_index(&self) -> Reply<CriteriaIndex> {
        self.reply(self.store().catalog().map(|c| c.index()))
    }

    pub fn criteria_sheet(&self, decision: &str, set: &str) -> Reply<ProductSet> {
        let r = self.store().catalog().and_then(|c| c.set(decision, set).cloned());
        self.reply(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_back_in_the_users_language() {
        let app = App::in_memory().unwrap();
        let vi = app.criteria_sheet("QD26-2026", "99").unwrap_err();
        assert!(vi.contains("không có bộ sản phẩm"), "{vi}");
        app.set_lang(Lang::En).unwrap();
        let en = app.criteria_sheet("QD26-2026", "99").unwrap_err();
        assert!(en.contains("has no product set"), "{en}");
        assert_eq!(app.criteria_index().unwrap().decisions.len(), 2);
    }
}
