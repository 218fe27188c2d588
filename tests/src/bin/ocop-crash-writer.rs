//! Helper for the crash test: saves answers through the same write path as the app
//! (`Store::save_answer`) and reports each one on stdout — `BEGIN n sheet criterion option` before
//! the call and `ACK n` once it returned — until it is killed.
//!
//! Usage: ocop-crash-writer DATA_DIR SEED SHEET_ID…

use std::io::Write;

use ocop_core::store::Store;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let mut seed: u64 = args[2].parse().expect("seed");
    let sheets = &args[3..];
    let mut store = Store::open_dir(&dir).expect("open store");
    let leaves: Vec<Vec<(String, usize)>> = sheets
        .iter()
        .map(|id| {
            let sheet = store.sheet(id).expect("sheet");
            let set = store.sheet_by_hash(&sheet.sheet_sha256).expect("set");
            set.leaves()
                .iter()
                .map(|l| (l.criterion.code.clone(), l.criterion.options.len()))
                .collect()
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let mut next = || {
        // xorshift64*
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for n in 0u64.. {
        let s = (next() % sheets.len() as u64) as usize;
        let (code, count) = &leaves[s][(next() % leaves[s].len() as u64) as usize];
        let option = (next() % *count as u64) as u32;
        writeln!(out, "BEGIN {n} {} {code} {option}", sheets[s]).unwrap();
        out.flush().unwrap();
        store
            .save_answer("Kiểm thử mất điện", &sheets[s], code, Some(option))
            .expect("save");
        writeln!(out, "ACK {n}").unwrap();
        out.flush().unwrap();
    }
}
