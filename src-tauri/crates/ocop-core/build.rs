//! Embeds every criteria file under `assets/criteria/<DECISION>/` into the core.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&manifest).join("../../../assets/criteria");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Ok(dirs) = std::fs::read_dir(&root) {
        for d in dirs.flatten() {
            let p = d.path();
            if !p.is_dir() || p.file_name().is_some_and(|n| n == "tools") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", p.display());
            for f in std::fs::read_dir(&p).unwrap().flatten() {
                let fp = f.path();
                if fp.extension().is_some_and(|x| x == "json") {
                    println!("cargo:rerun-if-changed={}", fp.display());
                    let rel = format!(
                        "{}/{}",
                        p.file_name().unwrap().to_string_lossy(),
                        fp.file_name().unwrap().to_string_lossy()
                    );
                    files.push((rel, fp.canonicalize().unwrap()));
                }
            }
        }
    }
    files.sort();
    // A fingerprint of the data (FNV-1a over names and contents): the store skips reloading the
    // criteria when it already holds this exact data.
    let mut fp: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, abs) in &files {
        for b in rel.bytes().chain(std::fs::read(abs).unwrap()) {
            fp ^= b as u64;
            fp = fp.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut out = format!("pub const FINGERPRINT: &str = \"{fp:016x}\";\n");
    out.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for (rel, abs) in files {
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("criteria_files.rs");
    std::fs::write(dest, out).unwrap();

    // The build's date (UTC) for `ocop --version` and the About screen; `SOURCE_DATE_EPOCH` gives
    // it for a reproducible package build.
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil(secs.div_euclid(86_400));
    println!("cargo:rustc-env=OCOP_BUILD_DATE={y:04}-{m:02}-{d:02}");
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar (H. Hinnant's
/// `civil_from_days`).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
