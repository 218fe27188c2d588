//! The layering of the core's pure modules, read from the source: the decisions' vocabulary
//! (`procedure`), the criteria data (`criteria`) and the scoring rules (`rules`) import each other
//! only downwards, and none of them reaches into the store, the records or the app.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The pure modules, lowest first: each may use only the ones before it (and `error`, `text`).
const PURE: &[&str] = &["procedure", "criteria", "rules"];
/// Shared by everything: the message catalogue and text folding.
const SHARED: &[&str] = &["error", "text"];

/// `crate::<module>` references of a module's source, outside comments.
fn crate_refs(src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in src.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

fn module_deps() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let stem = p.file_stem()?.to_str()?.to_string();
            (stem != "lib" && (p.is_dir() || p.extension()? == "rs")).then_some(stem)
        })
        .collect();
    PURE.iter()
        .map(|m| {
            let text = std::fs::read_to_string(src.join(format!("{m}.rs"))).unwrap();
            let deps = crate_refs(&text)
                .into_iter()
                .filter(|d| modules.contains(d) && d != m)
                .collect();
            (m.to_string(), deps)
        })
        .collect()
}

#[test]
fn the_pure_modules_only_import_downwards() {
    let deps = module_deps();
    for (i, m) in PURE.iter().enumerate() {
        let allowed: BTreeSet<&str> = PURE[..i].iter().chain(SHARED).copied().collect();
        let bad: Vec<&String> = deps[*m]
            .iter()
            .filter(|d| !allowed.contains(d.as_str()))
            .collect();
        assert!(
            bad.is_empty(),
            "`{m}` may use only {allowed:?}, but uses {bad:?} (an import cycle or a layer breach)"
        );
    }
}

#[test]
fn the_reader_sees_crate_paths_and_skips_comments() {
    let refs = crate_refs(
        "use crate::rules::Procedure;\n// crate::store is only mentioned\nlet x = crate::text::fold(s); // crate::app",
    );
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["rules".to_string(), "text".to_string()]
    );
}
