//! Crash test: the writer process (the app's save path, `Store::save_answer`) is SIGKILLed at random
//! moments, 200 times. Every save acknowledged before the kill must still be there, the one in
//! flight may or may not be, and `PRAGMA integrity_check` must stay "ok".

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ocop_core::model::*;
use ocop_core::rules::{Level, Procedure, Role, RoundRules};
use ocop_core::store::Store;

const KILLS: u32 = 200;

fn setup(dir: &std::path::Path) -> Vec<String> {
    let mut s = Store::open_dir(dir).unwrap();
    let a = "setup";
    let round = s
        .create_round(
            a,
            &RoundInput {
                name: "Đợt kiểm thử mất điện".into(),
                level: Level::Province,
                decision_id: "QD26-2026".into(),
                procedure: Procedure::Province26,
                date: "2026-11-30".into(),
                place: String::new(),
                rules: RoundRules::default(),
            },
        )
        .unwrap();
    let owner = s
        .save_owner(
            a,
            &Owner {
                name: "Hợp tác xã Thử".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let mut people = Vec::new();
    for (i, role) in [Role::Chair, Role::Member, Role::Member]
        .into_iter()
        .enumerate()
    {
        let p = s
            .add_person(
                a,
                &PersonInput {
                    full_name: format!("Thành viên {i}"),
                    ..Default::default()
                },
            )
            .unwrap();
        s.set_round_member(a, &round.id, &p.id, role).unwrap();
        people.push(p);
    }
    let mut products = Vec::new();
    for (name, set) in [("Chè xanh", "11"), ("Cà phê", "13")] {
        let p = s
            .save_product(
                a,
                &ProductInput {
                    owner_id: owner.id.clone(),
                    name: name.into(),
                    decision_id: "QD26-2026".into(),
                    set_code: set.into(),
                    ..Default::default()
                },
            )
            .unwrap();
        s.save_dossier(
            a,
            &round.id,
            &DossierInput {
                product_id: p.id.clone(),
                application_type: ApplicationType::First,
                received_on: String::new(),
                checklist: Default::default(),
                permits: vec![],
            },
        )
        .unwrap();
        products.push(p);
    }
    s.start_scoring(a, &round.id).unwrap();
    let mut sheets = Vec::new();
    for p in &products {
        for m in &people {
            sheets.push(
                s.open_sheet(a, &round.id, &p.id, &m.id, None, 1)
                    .unwrap()
                    .id,
            );
        }
    }
    sheets
}

/// What the store must hold for one (sheet, criterion): the last acknowledged option, or the
/// option of a save that was in flight when the process died.
#[derive(Default, Clone)]
struct Expect {
    acked: Option<u32>,
    in_flight: Option<u32>,
}

#[test]
fn acknowledged_saves_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = setup(dir.path());
    let writer = env!("CARGO_BIN_EXE_ocop-crash-writer");
    let mut expect: HashMap<(String, String), Expect> = HashMap::new();
    let mut acked_total = 0u64;
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    for kill in 0..KILLS {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // Kill somewhere between 5 ms and 250 ms after start (some kills land during open/migrate).
        let after = Duration::from_millis(5 + rng % 245);
        let mut child = Command::new(writer)
            .arg(dir.path())
            .arg(rng.to_string())
            .args(&sheets)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let start = Instant::now();
        while start.elapsed() < after {
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let mut pending: HashMap<u64, (String, String, u32)> = HashMap::new();
        let mut last_begin: Option<(String, String, u32)> = None;
        for line in rx.try_iter() {
            let f: Vec<&str> = line.split(' ').collect();
            match f[0] {
                "BEGIN" => {
                    let key = (
                        f[2].to_string(),
                        f[3].to_string(),
                        f[4].parse::<u32>().unwrap(),
                    );
                    pending.insert(f[1].parse().unwrap(), key.clone());
                    last_begin = Some(key);
                }
                "ACK" => {
                    let (sheet, code, option) =
                        pending.remove(&f[1].parse::<u64>().unwrap()).unwrap();
                    let e = expect.entry((sheet, code)).or_default();
                    e.acked = Some(option);
                    e.in_flight = None;
                    acked_total += 1;
                    last_begin = None;
                }
                _ => panic!("unexpected line {line}"),
            }
        }
        if let Some((sheet, code, option)) = last_begin {
            expect.entry((sheet, code)).or_default().in_flight = Some(option);
        }
        // Check after every kill: what was acknowledged is there, the store is sound.
        let store = Store::open_dir(dir.path()).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "after kill {kill}");
        for ((sheet, code), e) in &expect {
            let got = store.sheet(sheet).unwrap().answers.get(code).copied();
            let fine = got == e.acked || (e.in_flight.is_some() && got == e.in_flight);
            assert!(
                fine,
                "kill {kill}: {sheet} {code}: stored {got:?}, acknowledged {:?}, in flight {:?}",
                e.acked, e.in_flight
            );
        }
        // An in-flight save either landed or not; from now on the stored value is what counts.
        for ((sheet, code), e) in expect.iter_mut() {
            if e.in_flight.is_some() {
                e.acked = store.sheet(sheet).unwrap().answers.get(code).copied();
                e.in_flight = None;
            }
        }
    }
    let store = Store::open_dir(dir.path()).unwrap();
    assert!(
        store.audit_verify().unwrap().ok,
        "the audit chain survives the kills too"
    );
    assert!(
        acked_total > 500,
        "the writer got to save ({acked_total} acknowledged saves)"
    );
    println!("{KILLS} kills, {acked_total} acknowledged saves, all present; integrity ok");
}
