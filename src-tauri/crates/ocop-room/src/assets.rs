//! The member page's files: `ui/dist`'s `member.html` and `assets/`, embedded in release builds
//! (read from the folder in debug builds, so a UI rebuild shows without recompiling the hub).

#[derive(rust_embed::Embed)]
#[folder = "../../../ui/dist/"]
#[include = "member.html"]
#[include = "assets/*"]
struct Files;

/// A file's type and bytes.
pub(crate) fn file(path: &str) -> Option<(&'static str, Vec<u8>)> {
    let f = Files::get(path)?;
    let mime = match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    };
    Some((mime, f.data.into_owned()))
}
