//! Shared by the end-to-end tests: paths to the built binaries and a WebDriver session on the real
//! app through tauri-driver (which must listen on 127.0.0.1:4444; see `.ci/run`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

pub fn bin(name: &str) -> PathBuf {
    target_dir()
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// The app binary: `APP_BIN`, or the workspace's debug build.
pub fn app_bin() -> PathBuf {
    std::env::var_os("APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| bin("ocop-council"))
}

/// Starts the app on `data_dir` and connects a WebDriver client to it.
pub async fn launch(data_dir: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({ "application": app_bin(), "args": ["--data-dir", data_dir] }),
    );
    let url = std::env::var("WEBDRIVER_URL").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach tauri-driver at {url}: {e}"))
}

/// Runs `body` on the app started on a fresh data directory; on failure saves a screenshot
/// (`target/e2e-screenshots/<name>-failure.png`). The session is closed either way, so the next
/// test can start one.
pub async fn with_app<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    with_app_on(name, dir.path(), body).await;
}

/// [`with_app`] on a data directory the test prepared (e.g. with `ocop demo load`).
pub async fn with_app_on<F, Fut>(name: &str, dir: &Path, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use futures::FutureExt;
    let c = launch(dir).await;
    let r = std::panic::AssertUnwindSafe(body(c.clone()))
        .catch_unwind()
        .await;
    if r.is_err() {
        screenshot(&c, &format!("{name}-failure")).await;
    }
    let _ = c.close().await;
    if let Err(p) = r {
        std::panic::resume_unwind(p);
    }
}

/// Like [`with_app`], on a data directory holding the demo province (`ocop demo load`).
pub async fn with_demo_app<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use futures::FutureExt;
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin("ocop"))
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["demo", "load"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = launch(dir.path()).await;
    let r = std::panic::AssertUnwindSafe(body(c.clone()))
        .catch_unwind()
        .await;
    if r.is_err() {
        screenshot(&c, &format!("{name}-failure")).await;
    }
    let _ = c.close().await;
    if let Err(p) = r {
        std::panic::resume_unwind(p);
    }
}

/// Words of Vietnamese messages that no name or address of the demo holds: an English screen
/// must not show them.
pub fn assert_no_vietnamese_message(text: &str) {
    for w in [
        "chưa",
        "không",
        "phiếu",
        "được",
        "đợt",
        "Mã PIN",
        "tệp",
        "hợp lệ",
        "thiếu",
    ] {
        assert!(
            !text.contains(w),
            "Vietnamese '{w}' on an English screen: {text}"
        );
    }
}

pub const WAIT: Duration = Duration::from_secs(20);

pub async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
}

/// Waits until the element's text contains `needle`; returns the text.
pub async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Ok(t) = e.text().await {
                if t.contains(needle) {
                    return t;
                }
                if std::time::Instant::now() > deadline {
                    panic!("{css} never contained '{needle}'; last text: {t}");
                }
            }
        } else if std::time::Instant::now() > deadline {
            panic!("{css} never appeared (waiting for '{needle}')");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Saves a screenshot next to the test output for a person to look at.
pub async fn screenshot(c: &Client, name: &str) {
    if let Ok(png) = c.screenshot().await {
        let dir = target_dir().join("e2e-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

/// Types into a field after clearing it.
pub async fn fill(c: &Client, css: &str, value: &str) {
    let e = wait_css(c, css).await;
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Picks, in a `<select>`, the first option whose text contains `text`; returns its value.
pub async fn select_containing(c: &Client, css: &str, text: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let select = wait_css(c, css).await;
        for o in select.find_all(Locator::Css("option")).await.unwrap() {
            if o.text().await.unwrap_or_default().contains(text) {
                let value = o.attr("value").await.unwrap().unwrap_or_default();
                select.select_by_value(&value).await.unwrap();
                return value;
            }
        }
        if std::time::Instant::now() > deadline {
            panic!("no option containing '{text}' in {css}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

pub async fn click(c: &Client, css: &str) {
    wait_css(c, css).await.click().await.unwrap();
}

/// Waits until `css` matches nothing.
pub async fn wait_gone(c: &Client, css: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    while c.find(Locator::Css(css)).await.is_ok() {
        if std::time::Instant::now() > deadline {
            panic!("{css} did not go away");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
