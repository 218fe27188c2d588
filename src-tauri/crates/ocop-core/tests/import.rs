//! Importing owners, products and dossiers from .xlsx: a row matches a stored record only by its
//! identity (registration number, or exact folded name and commune; product code, or exact folded
//! name within its owner), never by a prefix or a wildcard, and never picks one of several.

use ocop_core::model::*;
use ocop_core::rules::{Level, Procedure, RoundRules};
use ocop_core::store::Store;

const ACTOR: &str = "Thư ký kiểm thử";

/// One row of the template; unset cells stay empty.
#[derive(Clone, Default)]
struct R {
    owner: &'static str,
    kind: &'static str,
    commune: &'static str,
    phone: &'static str,
    reg: &'static str,
    product: &'static str,
    set: &'static str,
    code: &'static str,
    application: &'static str,
    received: &'static str,
}

impl R {
    fn new(owner: &'static str, commune: &'static str, product: &'static str) -> R {
        R {
            owner,
            kind: "Hợp tác xã",
            commune,
            product,
            set: "11",
            ..Default::default()
        }
    }
    fn cells(&self) -> [&'static str; 18] {
        [
            self.owner,
            self.kind,
            "",
            "",
            "",
            "",
            self.commune,
            "",
            "Thanh Hóa",
            self.phone,
            "",
            self.reg,
            self.product,
            self.set,
            "",
            self.code,
            self.application,
            self.received,
        ]
    }
}

fn book(rows: &[R]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ocop_core::import::TEMPLATE_HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.cells().iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn import_ok(s: &mut Store, rows: &[R], round: Option<&str>) {
    let rep = s.import_xlsx(ACTOR, &book(rows), round).unwrap();
    assert!(rep.ok, "{:?}", rep.errors);
}

fn owners(s: &Store) -> Vec<Owner> {
    s.owners(&Default::default()).unwrap()
}

fn products(s: &Store) -> Vec<Product> {
    let mut p = s.products(&Default::default()).unwrap();
    p.sort_by(|a, b| a.name.cmp(&b.name));
    p
}

fn audit_count(s: &Store) -> usize {
    s.audit_list(&AuditFilter {
        limit: Some(100_000),
        ..Default::default()
    })
    .unwrap()
    .len()
}

fn round(s: &mut Store) -> String {
    s.create_round(
        ACTOR,
        &RoundInput {
            name: "Đợt nhập".into(),
            level: Level::Province,
            decision_id: "QD26-2026".into(),
            procedure: Procedure::Province26,
            date: "2026-11-20".into(),
            place: String::new(),
            rules: RoundRules::default(),
        },
    )
    .unwrap()
    .id
}

const HTX: &str = "Hợp tác xã Chè Bình Sơn";
const BS: &str = "Xã Bình Sơn";

#[test]
fn che_is_a_new_product_and_che_xanh_stays_as_it_was() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(&mut s, &[R::new(HTX, BS, "Chè xanh")], None);
    let before = products(&s);
    assert_eq!(before.len(), 1);
    import_ok(&mut s, &[R::new(HTX, BS, "Chè")], None);
    let after = products(&s);
    let names: Vec<&str> = after.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Chè", "Chè xanh"],
        "'Chè' must not rename 'Chè xanh'"
    );
    assert_eq!(after[1], before[0], "'Chè xanh' is unchanged");
    assert_eq!(owners(&s).len(), 1, "the same owner");
}

#[test]
fn a_shorter_owner_name_is_another_owner() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(&mut s, &[R::new(HTX, BS, "Chè xanh")], None);
    let before = owners(&s);
    import_ok(&mut s, &[R::new("Hợp tác xã Chè", BS, "Chè búp")], None);
    let after = owners(&s);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.contains(&before[0]), "the first owner is unchanged");
}

#[test]
fn owners_without_registration_number_in_different_communes_stay_two() {
    let name = "Hộ kinh doanh Nguyễn Văn An";
    // In one file …
    let mut s = Store::open_in_memory().unwrap();
    import_ok(
        &mut s,
        &[
            R::new(name, "Xã Hải Ninh", "Mật ong rừng"),
            R::new(name, "Xã Quảng Phú", "Mật ong hoa nhãn"),
        ],
        None,
    );
    let o = owners(&s);
    assert_eq!(o.len(), 2, "{o:?}");
    let mut communes: Vec<&str> = o.iter().map(|o| o.commune.as_str()).collect();
    communes.sort();
    assert_eq!(communes, ["Xã Hải Ninh", "Xã Quảng Phú"]);
    // … and across two imports.
    let mut s = Store::open_in_memory().unwrap();
    import_ok(&mut s, &[R::new(name, "Xã Hải Ninh", "Mật ong rừng")], None);
    let first = owners(&s);
    import_ok(
        &mut s,
        &[R::new(name, "Xã Quảng Phú", "Mật ong rừng")],
        None,
    );
    let o = owners(&s);
    assert_eq!(o.len(), 2, "{o:?}");
    assert!(o.contains(&first[0]), "the first owner keeps its commune");
    assert_eq!(products(&s).len(), 2);
}

#[test]
fn percent_and_underscore_are_letters_not_wildcards() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(&mut s, &[R::new(HTX, BS, "Chè xanh")], None);
    let (o0, p0) = (owners(&s), products(&s));
    // An owner named "%" in the same commune is not "every owner".
    import_ok(&mut s, &[R::new("%", BS, "Chè xanh")], None);
    let o = owners(&s);
    assert_eq!(o.len(), 2, "{o:?}");
    assert!(o.contains(&o0[0]));
    // A product "Ch_ xanh" of the same owner is not "Chè xanh".
    import_ok(&mut s, &[R::new(HTX, BS, "Ch_ xanh")], None);
    let p = products(&s);
    assert!(p.contains(&p0[0]), "{p:?}");
    assert!(p.iter().any(|p| p.name == "Ch_ xanh"));
    assert_eq!(p.len(), 3, "{p:?}");
}

#[test]
fn two_candidate_owners_make_a_row_error_naming_both() {
    let mut s = Store::open_in_memory().unwrap();
    for reg in ["2801001", "2801002"] {
        s.save_owner(
            ACTOR,
            &Owner {
                name: HTX.into(),
                commune: BS.into(),
                registration_no: reg.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let audit = audit_count(&s);
    let rep = s
        .import_xlsx(ACTOR, &book(&[R::new(HTX, BS, "Chè xanh")]), None)
        .unwrap();
    assert!(!rep.ok, "one of two owners must not be picked");
    assert_eq!(rep.errors.len(), 1, "{:?}", rep.errors);
    assert_eq!(rep.errors[0].row, 2);
    let m = &rep.errors[0].message;
    assert!(m.contains("2801001") && m.contains("2801002"), "{m}");
    assert_eq!(owners(&s).len(), 2);
    assert!(products(&s).is_empty());
    assert_eq!(audit_count(&s), audit, "nothing written");
}

#[test]
fn two_candidate_products_make_a_row_error_naming_both() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(
        &mut s,
        &[
            R {
                code: "38-16213-001-2026",
                ..R::new(HTX, BS, "Chè xanh")
            },
            R {
                code: "38-16213-002-2026",
                ..R::new(HTX, BS, "Chè Xanh")
            },
        ],
        None,
    );
    let before = products(&s);
    assert_eq!(before.len(), 2);
    let rep = s
        .import_xlsx(
            ACTOR,
            &book(&[R {
                set: "12",
                ..R::new(HTX, BS, "chè xanh")
            }]),
            None,
        )
        .unwrap();
    assert!(!rep.ok, "one of two products must not be picked");
    let m = &rep.errors[0].message;
    assert!(
        m.contains("38-16213-001-2026") && m.contains("38-16213-002-2026"),
        "{m}"
    );
    assert_eq!(products(&s), before);
}

#[test]
fn a_row_in_error_after_good_rows_writes_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    for reg in ["2801001", "2801002"] {
        s.save_owner(
            ACTOR,
            &Owner {
                name: HTX.into(),
                commune: BS.into(),
                registration_no: reg.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let audit = audit_count(&s);
    let rep = s
        .import_xlsx(
            ACTOR,
            &book(&[
                R::new("Hợp tác xã Mật ong", "Xã Hải Ninh", "Mật ong rừng"),
                R::new(HTX, BS, "Chè xanh"),
            ]),
            None,
        )
        .unwrap();
    assert!(!rep.ok);
    assert_eq!(rep.errors.iter().map(|e| e.row).collect::<Vec<_>>(), [3]);
    assert_eq!(owners(&s).len(), 2, "the good row 2 is not written either");
    assert!(products(&s).is_empty());
    assert_eq!(audit_count(&s), audit);
}

#[test]
fn the_same_product_twice_in_one_file_is_a_row_error() {
    let mut s = Store::open_in_memory().unwrap();
    let rep = s
        .import_xlsx(
            ACTOR,
            &book(&[
                R::new(HTX, BS, "Chè xanh"),
                R {
                    set: "12",
                    ..R::new(HTX, BS, "Chè xanh")
                },
            ]),
            None,
        )
        .unwrap();
    assert!(!rep.ok, "the second row must not silently win");
    assert_eq!(rep.errors.iter().map(|e| e.row).collect::<Vec<_>>(), [3]);
    assert!(rep.errors[0].message.contains('2'), "{:?}", rep.errors);
    assert!(products(&s).is_empty());
}

#[test]
fn an_empty_cell_keeps_the_stored_value() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(
        &mut s,
        &[R {
            phone: "0237 3812345",
            reg: "2801001",
            ..R::new(HTX, BS, "Chè xanh")
        }],
        None,
    );
    let before = owners(&s);
    // The same owner by name and commune, the phone and registration number left empty.
    import_ok(
        &mut s,
        &[R {
            kind: "",
            ..R::new(HTX, BS, "Chè xanh")
        }],
        None,
    );
    assert_eq!(owners(&s), before);
}

#[test]
fn importing_again_into_a_round_keeps_the_dossier_checklist() {
    let mut s = Store::open_in_memory().unwrap();
    let r = round(&mut s);
    let row = R {
        application: "Lần đầu",
        received: "01/10/2026",
        ..R::new(HTX, BS, "Chè xanh")
    };
    import_ok(&mut s, std::slice::from_ref(&row), Some(&r));
    let d = s.dossiers(&r).unwrap().remove(0);
    let key = d.checklist[0].key.clone();
    let input = DossierInput {
        product_id: d.product.id.clone(),
        application_type: d.application_type,
        received_on: d.received_on.clone(),
        checklist: [(key.clone(), true)].into_iter().collect(),
        permits: vec![Permit {
            kind: "Giấy chứng nhận ATTP".into(),
            number: "12/2026".into(),
            valid_until: "2028-01-01".into(),
        }],
    };
    s.save_dossier(ACTOR, &r, &input).unwrap();
    import_ok(&mut s, &[row], Some(&r));
    let d = s.dossiers(&r).unwrap().remove(0);
    assert!(
        d.checklist.iter().any(|c| c.key == key && c.received),
        "{:?}",
        d.checklist
    );
    assert_eq!(d.permits, input.permits);
    assert_eq!(d.received_on, "2026-10-01");
}

// ---- The plan ----

use ocop_core::import::{ImportAction, ImportEntity, ImportPlan, ImportRecordAction};
use ocop_core::Lang;

fn plan(s: &Store, rows: &[R], round: Option<&str>) -> ImportPlan {
    s.import_plan(&book(rows), round, Lang::En).unwrap()
}

fn changes(p: &ImportPlan, row: usize) -> Vec<(ImportEntity, &str, &str, &str)> {
    p.rows[row]
        .changes
        .iter()
        .map(|c| (c.entity, c.field.as_str(), c.old.as_str(), c.new.as_str()))
        .collect()
}

#[test]
fn the_plan_shows_each_changed_field_old_to_new_and_writes_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    let r = round(&mut s);
    let first = R {
        phone: "0237 3812345",
        code: "38-16213-001-2026",
        application: "Lần đầu",
        received: "01/10/2026",
        ..R::new(HTX, BS, "Chè xanh")
    };
    import_ok(&mut s, std::slice::from_ref(&first), Some(&r));
    let (audit, o, p) = (audit_count(&s), owners(&s), products(&s));
    let changed = R {
        phone: "0912 000111",
        set: "12",
        application: "Nâng hạng",
        ..first.clone()
    };
    let unchanged = R {
        code: "",
        ..R::new(HTX, BS, "Chè búp")
    };
    let pl = plan(&s, &[changed, unchanged], Some(&r));
    assert_eq!(pl.format, 1);
    assert_eq!(pl.round_id.as_deref(), Some(r.as_str()));
    assert_eq!(pl.rows[0].action, ImportAction::Update);
    assert_eq!(
        changes(&pl, 0),
        [
            (ImportEntity::Owner, "phone", "0237 3812345", "0912 000111"),
            (ImportEntity::Product, "set_code", "11", "12"),
            (
                ImportEntity::Dossier,
                "application_type",
                "first",
                "upgrade"
            ),
        ]
    );
    let row = &pl.rows[0];
    assert_eq!(
        row.owner.as_ref().unwrap().id.as_deref(),
        Some(o[0].id.as_str())
    );
    assert_eq!(
        row.product.as_ref().unwrap().action,
        ImportRecordAction::Update
    );
    // The second row: same owner (named by row 2), a new product and dossier.
    let row = &pl.rows[1];
    assert_eq!(row.action, ImportAction::New);
    let owner = row.owner.as_ref().unwrap();
    assert_eq!(
        (owner.action, owner.same_as_row),
        (ImportRecordAction::Unchanged, Some(2))
    );
    assert_eq!(
        row.product.as_ref().unwrap().action,
        ImportRecordAction::New
    );
    assert_eq!(row.product.as_ref().unwrap().id, None);
    assert_eq!(
        row.dossier.as_ref().unwrap().action,
        ImportRecordAction::New
    );
    let c = &pl.counts;
    assert_eq!(
        (c.rows, c.new, c.update, c.unchanged, c.error),
        (2, 1, 1, 0, 0)
    );
    assert_eq!((c.owners_new, c.owners_updated), (0, 1));
    assert_eq!((c.products_new, c.products_updated), (1, 1));
    assert_eq!((c.dossiers_new, c.dossiers_updated), (1, 1));
    // A dry run writes nothing.
    assert_eq!(audit_count(&s), audit);
    assert_eq!((owners(&s), products(&s)), (o, p));
    // The same file again: every row unchanged.
    let again = plan(&s, std::slice::from_ref(&first), Some(&r));
    assert_eq!(again.rows[0].action, ImportAction::Unchanged);
    assert!(again.rows[0].changes.is_empty());
}

#[test]
fn che_next_to_che_xanh_is_planned_as_a_new_product() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(&mut s, &[R::new(HTX, BS, "Chè xanh")], None);
    let pl = plan(
        &s,
        &[R::new(HTX, BS, "Chè"), R::new(HTX, BS, "Chè xanh")],
        None,
    );
    assert_eq!(pl.rows[0].action, ImportAction::New);
    assert_eq!(
        pl.rows[0].product.as_ref().unwrap().action,
        ImportRecordAction::New
    );
    assert_eq!(pl.rows[1].action, ImportAction::Unchanged);
    assert!(pl.rows.iter().all(|r| r.changes.is_empty()));
}

#[test]
fn applying_writes_the_plan_with_structured_audit_entries() {
    let mut s = Store::open_in_memory().unwrap();
    let r = round(&mut s);
    let rows = [
        R::new(HTX, BS, "Chè xanh"),
        R {
            set: "12",
            ..R::new(HTX, BS, "Trà hoa vàng")
        },
    ];
    let pl = plan(&s, &rows, Some(&r));
    let audit = audit_count(&s);
    let done = s
        .import_apply(
            ACTOR,
            &book(&rows),
            Some(&r),
            Some(&pl.fingerprint),
            Lang::En,
        )
        .unwrap();
    assert!(done.applied);
    assert_eq!(done.fingerprint, pl.fingerprint);
    let o = owners(&s);
    assert_eq!(o.len(), 1);
    for row in &done.rows {
        assert_eq!(
            row.owner.as_ref().unwrap().id.as_deref(),
            Some(o[0].id.as_str())
        );
        assert!(row.product.as_ref().unwrap().id.is_some());
        assert!(row.dossier.as_ref().unwrap().id.is_some());
    }
    assert_eq!(s.dossiers(&r).unwrap().len(), 2);
    // One owner, two products, two dossiers and the summary.
    let entries = s
        .audit_list(&AuditFilter {
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entries.len() - audit, 6);
    let newest = &entries[0];
    assert_eq!(
        (newest.action.as_str(), newest.entity_id.as_str()),
        ("import.xlsx", r.as_str())
    );
    let summary: serde_json::Value = newest.after.clone().unwrap();
    assert_eq!(summary["fingerprint"], pl.fingerprint.as_str());
    assert_eq!(summary["counts"]["products_new"], 2);
    let owner_entry = entries.iter().find(|e| e.action == "owner.add").unwrap();
    let after: serde_json::Value = owner_entry.after.clone().unwrap();
    assert_eq!(after["name"], HTX);
    assert_eq!(after["import_rows"], serde_json::json!([2, 3]));
    // An update records the old values of the fields it changes.
    let pl = plan(
        &s,
        &[R {
            phone: "0912 000111",
            ..R::new(HTX, BS, "Chè xanh")
        }],
        None,
    );
    s.import_apply(
        ACTOR,
        &book(&[R {
            phone: "0912 000111",
            ..R::new(HTX, BS, "Chè xanh")
        }]),
        None,
        Some(&pl.fingerprint),
        Lang::Vi,
    )
    .unwrap();
    let e = s
        .audit_list(&AuditFilter {
            entity_id: Some(o[0].id.clone()),
            limit: Some(10),
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(e.action, "owner.update");
    let before: serde_json::Value = e.before.clone().unwrap();
    let after: serde_json::Value = e.after.clone().unwrap();
    assert_eq!(before, serde_json::json!({ "phone": "" }));
    assert_eq!(
        after,
        serde_json::json!({ "phone": "0912 000111", "import_rows": [2] })
    );
}

#[test]
fn applying_refuses_a_plan_the_records_no_longer_match() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(&mut s, &[R::new(HTX, BS, "Chè xanh")], None);
    let file = [R {
        phone: "0912 000111",
        ..R::new(HTX, BS, "Chè xanh")
    }];
    let shown = plan(&s, &file, None);
    // Someone changes the owner's phone after the plan was shown.
    let mut o = owners(&s).remove(0);
    o.phone = "0237 999999".into();
    s.save_owner(ACTOR, &o).unwrap();
    let audit = audit_count(&s);
    let e = s
        .import_apply(
            ACTOR,
            &book(&file),
            None,
            Some(&shown.fingerprint),
            Lang::En,
        )
        .unwrap_err();
    assert_eq!(e.code(), "import.plan_changed");
    assert_eq!(audit_count(&s), audit, "nothing written");
    assert_eq!(owners(&s), [o]);
    // The plan shown now says what would change, and applies.
    let now = plan(&s, &file, None);
    assert_ne!(now.fingerprint, shown.fingerprint);
    assert_eq!(
        changes(&now, 0),
        [(ImportEntity::Owner, "phone", "0237 999999", "0912 000111")]
    );
    s.import_apply(ACTOR, &book(&file), None, Some(&now.fingerprint), Lang::En)
        .unwrap();
    assert_eq!(owners(&s)[0].phone, "0912 000111");
}

#[test]
fn row_errors_are_coded_and_refuse_the_whole_file() {
    let mut s = Store::open_in_memory().unwrap();
    for reg in ["2801001", "2801002"] {
        s.save_owner(
            ACTOR,
            &Owner {
                name: HTX.into(),
                commune: BS.into(),
                registration_no: reg.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let rows = [
        R::new("Hợp tác xã Mật ong", "Xã Hải Ninh", "Mật ong rừng"),
        R::new(HTX, BS, "Chè xanh"),
        R {
            set: "27",
            kind: "Liên minh",
            ..R::new("Hợp tác xã Mật ong", "Xã Hải Ninh", "Mật ong hoa nhãn")
        },
    ];
    let pl = plan(&s, &rows, None);
    assert_eq!(pl.counts.error, 2);
    assert_eq!(pl.rows[0].action, ImportAction::New);
    let e = &pl.rows[1].errors[0];
    assert_eq!(e.code, "import.row.owner_ambiguous");
    assert_eq!(e.params["count"], "2");
    assert!(
        e.params["candidates"].contains("2801001") && e.params["candidates"].contains("2801002")
    );
    assert_eq!(e.params["ids"].split(", ").count(), 2);
    assert!(
        e.message.starts_with("2 owners match this row"),
        "{}",
        e.message
    );
    let codes: Vec<&str> = pl.rows[2].errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["import.row.bad_kind", "import.row.unknown_set"]);
    let audit = audit_count(&s);
    let err = s
        .import_apply(ACTOR, &book(&rows), None, None, Lang::En)
        .unwrap_err();
    assert_eq!(err.code(), "import.has_errors");
    assert_eq!(err.to_dto(Lang::En).params["rows"], "3, 4");
    assert_eq!(audit_count(&s), audit);
    assert_eq!(owners(&s).len(), 2);
    // The fingerprint does not depend on the language of the messages.
    let vi = s.import_plan(&book(&rows), None, Lang::Vi).unwrap();
    assert_eq!(vi.fingerprint, pl.fingerprint);
    assert_ne!(vi.rows[1].errors[0].message, e.message);
}

#[test]
fn rows_of_one_file_agree_about_their_owner() {
    let mut s = Store::open_in_memory().unwrap();
    let pl = plan(
        &s,
        &[
            R {
                phone: "0237 3812345",
                ..R::new(HTX, BS, "Chè xanh")
            },
            R {
                reg: "2801001",
                ..R::new(HTX, BS, "Chè búp")
            },
            R {
                phone: "0912 000111",
                ..R::new(HTX, BS, "Trà hoa vàng")
            },
        ],
        None,
    );
    assert_eq!(pl.rows[1].owner.as_ref().unwrap().same_as_row, Some(2));
    assert_eq!(pl.rows[1].action, ImportAction::New);
    let e = &pl.rows[2].errors[0];
    assert_eq!(e.code, "import.row.owner_conflict");
    assert_eq!(
        (
            e.params["other_row"].as_str(),
            e.params["other"].as_str(),
            e.params["value"].as_str()
        ),
        ("2", "0237 3812345", "0912 000111")
    );
    assert_eq!(pl.counts.owners_new, 1, "one owner for the rows that agree");
    // Written, the two good rows make one owner with the registration number of row 3.
    let good = [
        R {
            phone: "0237 3812345",
            ..R::new(HTX, BS, "Chè xanh")
        },
        R {
            reg: "2801001",
            ..R::new(HTX, BS, "Chè búp")
        },
    ];
    s.import_apply(ACTOR, &book(&good), None, None, Lang::En)
        .unwrap();
    let o = owners(&s);
    assert_eq!(o.len(), 1);
    assert_eq!(
        (o[0].phone.as_str(), o[0].registration_no.as_str()),
        ("0237 3812345", "2801001")
    );
    assert_eq!(products(&s).len(), 2);
}

#[test]
fn a_product_code_of_another_owner_is_a_row_error() {
    let mut s = Store::open_in_memory().unwrap();
    import_ok(
        &mut s,
        &[R {
            code: "38-16213-001-2026",
            ..R::new(HTX, BS, "Chè xanh")
        }],
        None,
    );
    let pl = plan(
        &s,
        &[R {
            code: "38-16213-001-2026",
            ..R::new("Hợp tác xã Mật ong", "Xã Hải Ninh", "Mật ong rừng")
        }],
        None,
    );
    let e = &pl.rows[0].errors[0];
    assert_eq!(e.code, "import.row.product_other_owner");
    assert_eq!(e.params["owner"], HTX);
    // The same code, under its own owner, finds the product whatever its name says.
    let pl = plan(
        &s,
        &[R {
            code: "38-16213-001-2026",
            ..R::new(HTX, BS, "Chè xanh đặc biệt")
        }],
        None,
    );
    assert_eq!(
        changes(&pl, 0),
        [(
            ImportEntity::Product,
            "name",
            "Chè xanh",
            "Chè xanh đặc biệt"
        )]
    );
}

#[test]
fn a_finalised_round_takes_no_import() {
    let mut s = Store::open_in_memory().unwrap();
    ocop_core::demo::load(&mut s).unwrap();
    let done = s
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status == RoundStatus::Finalised)
        .unwrap();
    let file = book(&[R::new(HTX, BS, "Chè xanh")]);
    let e = s.import_plan(&file, Some(&done.id), Lang::En).unwrap_err();
    assert_eq!(e.code(), "round.finalised");
    let e = s
        .import_apply(ACTOR, &file, Some(&done.id), None, Lang::En)
        .unwrap_err();
    assert_eq!(e.code(), "round.finalised");
    let e = s
        .import_plan(&file, Some("no-such-round"), Lang::En)
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
}
