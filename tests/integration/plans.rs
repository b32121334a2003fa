//! `slacalc plans list|show|compare`, `--plans DIR` and `SLACALC_PLANS` (SPEC §1, §4).

use serde_json::Value;

use crate::util::{json, slacalc, temp_file};

/// The 11 shipped plans, in SPEC §1 order, with the file each comes from.
const SHIPPED: [(&str, &str); 11] = [
    ("apizee-bronze", "apizee.toml"),
    ("apizee-silver", "apizee.toml"),
    ("apizee-gold", "apizee.toml"),
    ("otter-basic", "otter.toml"),
    ("otter-extended", "otter.toml"),
    ("otter-premium", "otter.toml"),
    ("cirrus-free", "cirrus.toml"),
    ("cirrus-paying", "cirrus.toml"),
    ("cirrus-premium", "cirrus.toml"),
    ("biings-cloud", "biings.toml"),
    ("biings-onprem", "biings.toml"),
];

/// A new plan, `acme-business`, on the shipped apizee calendar.
const ACME: &str = r#"
[[plans]]
id = "acme-business"
provider = "Acme"
aliases = ["acme"]
calendar = "apizee"

[[plans.priorities]]
name = "urgent"
target = "2h"
source = "\"Urgent: within 2 working hours.\""
"#;

/// Redefines the shipped `apizee-gold` with a 1 h major target.
const GOLD_OVERRIDE: &str = r#"
[[plans]]
id = "apizee-gold"
provider = "Apizee"
aliases = ["gold"]
calendar = "apizee"

[[plans.priorities]]
name = "major"
target = "1h"
source = "our signed contract, clause 4"
"#;

fn list_json(r: &crate::util::Run) -> Vec<Value> {
    r.ok();
    r.json().as_array().expect("plans list --format json is an array").clone()
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

fn origin_of<'a>(list: &'a [Value], id: &str) -> &'a str {
    list.iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("{id} not listed"))["origin"].as_str().unwrap()
}

// ------------------------------------------------------------------ list

#[test]
fn list_json_has_the_11_shipped_plans_with_embedded_origins() {
    let list = list_json(&slacalc(&["plans", "list", "--format", "json"]).run());
    assert_eq!(ids(&list), SHIPPED.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>());
    for (id, file) in SHIPPED {
        assert_eq!(origin_of(&list, id), format!("embedded:{file}"), "{id}");
    }
    let gold = list.iter().find(|p| p["id"] == "apizee-gold").unwrap();
    assert_eq!(gold["provider"], "Apizee");
    assert_eq!(gold["aliases"], serde_json::json!(["gold"]));
    assert_eq!(gold["calendar"], "apizee");
    assert_eq!(gold["priorities"], serde_json::json!(["major", "moderate", "minor"]));
    let onprem = list.iter().find(|p| p["id"] == "biings-onprem").unwrap();
    assert_eq!(onprem["aliases"], serde_json::json!(["onprem", "on-prem"]));
}

#[test]
fn list_table_shows_ids_and_origins() {
    let r = slacalc(&["plans", "list"]).run();
    let out = r.ok();
    for (id, _) in SHIPPED {
        // Long ids may wrap in a narrow column; the first 12 characters never do here.
        assert!(out.contains(&id[..id.len().min(12)]), "{id} missing:\n{out}");
    }
    assert!(out.matches("embedded:").count() >= 11, "{out}");
}

#[test]
fn list_csv_has_a_header_and_11_rows() {
    let r = slacalc(&["plans", "list", "--format", "csv"]).run();
    let out = r.ok();
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let id = header.iter().position(|h| h == "id").expect("id column");
    let origin = header.iter().position(|h| h == "origin").expect("origin column");
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 11);
    for (row, (want_id, file)) in rows.iter().zip(SHIPPED) {
        assert_eq!(&row[id], want_id);
        assert_eq!(row[origin], format!("embedded:{file}"));
    }
}

#[test]
fn plans_without_subcommand_lists() {
    let bare = slacalc(&["plans", "--format", "json"]).run();
    let list = list_json(&bare);
    assert_eq!(list.len(), 11);
}

// ------------------------------------------------------------------ show

#[test]
fn show_marks_assumed_figures() {
    let r = slacalc(&["plans", "show", "otter-premium"]).run();
    let out = r.ok();
    assert!(out.contains("otter-premium"), "{out}");
    assert!(out.contains("embedded:otter.toml"), "{out}");
    // Calendar zone and hours are assumed for otter.
    assert!(out.contains("Europe/Paris (assumed)"), "{out}");
    assert!(out.contains("09:00-18:00 (assumed)"), "{out}");
    // The 24x7 clock of critical is assumed.
    assert!(out.contains("ASSUMED"), "{out}");
    // A sourced target is not marked: the "high" row reads 6h without "(assumed)".
    let high = out.lines().find(|l| l.contains(" high ")).expect("high row");
    assert!(high.contains("6h") && !high.to_lowercase().contains("assumed"), "{high}");
}

#[test]
fn show_gold_marks_every_target_assumed() {
    let r = slacalc(&["plans", "show", "gold"]).run();
    let out = r.ok();
    assert!(out.contains("apizee-gold"), "{out}");
    for t in ["4h (assumed)", "8h (assumed)", "16h (assumed)"] {
        assert!(out.contains(t), "{t} missing:\n{out}");
    }
    // The apizee calendar is sourced.
    assert!(out.contains("Europe/Paris") && !out.contains("Europe/Paris (assumed)"), "{out}");
}

#[test]
fn show_json_has_calendar_zone_and_priorities() {
    let d = json(&["plans", "show", "apizee-gold"]);
    assert_eq!(d["id"], "apizee-gold");
    assert_eq!(d["provider"], "Apizee");
    assert_eq!(d["origin"], "embedded:apizee.toml");
    assert_eq!(d["calendar"]["id"], "apizee");
    assert_eq!(d["calendar"]["zone"], "Europe/Paris");
    assert_eq!(d["calendar"]["business_day_seconds"], 7 * 3600);
    assert_eq!(d["calendar"]["holidays"].as_array().unwrap().len(), 11);
    let pri = d["priorities"].as_array().unwrap();
    let got: Vec<(&str, &str, i64, bool)> = pri
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["target"].as_str().unwrap(),
                p["target_seconds"].as_i64().unwrap(),
                p["assumed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![("major", "4h", 14400, true), ("moderate", "8h", 28800, true), ("minor", "16h", 57600, true)]);
}

#[test]
fn show_json_biings_is_zurich_and_otter_clock_is_24x7() {
    let d = json(&["plans", "show", "cloud"]);
    assert_eq!(d["id"], "biings-cloud");
    assert_eq!(d["calendar"]["zone"], "Europe/Zurich");
    assert_eq!(d["calendar"]["business_day_seconds"], 9 * 3600);

    let d = json(&["plans", "show", "otter-premium"]);
    let crit = &d["priorities"][0];
    assert_eq!(crit["name"], "critical");
    assert_eq!(crit["target"], "2h");
    assert_eq!(crit["clock"], "24x7");
    assert_eq!(d["priorities"][1]["clock"], "business");
}

#[test]
fn show_is_case_insensitive() {
    let d = json(&["plans", "show", "GOLD"]);
    assert_eq!(d["id"], "apizee-gold");
}

#[test]
fn show_unknown_plan_is_an_error() {
    slacalc(&["plans", "show", "apizee-gol"]).run().bad(&["apizee-gol", "did you mean", "apizee-gold"]);
}

// ------------------------------------------------------------------ compare

#[test]

fn compare_two_plans() {
    let r = slacalc(&["plans", "compare", "gold", "silver"]).run();
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let out = r.ok();
    assert!(out.contains("apizee-gold") && out.contains("apizee-silver"), "{out}");
    // gold major 4h vs silver major 8h.
    assert!(out.contains("4h") && out.contains("8h"), "{out}");
}

#[test]

fn compare_three_plans_json() {
    let r = slacalc(&["plans", "compare", "apizee-gold", "apizee-silver", "bronze", "--format", "json"]).run();
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.ok();
    let d = r.json();
    let s = d.to_string();
    for id in ["apizee-gold", "apizee-silver", "apizee-bronze"] {
        assert!(s.contains(id), "{id} missing: {s}");
    }
    for t in ["4h", "8h", "16h"] {
        assert!(s.contains(t), "{t} missing: {s}");
    }
}

#[test]

fn compare_unknown_plan_is_an_error() {
    slacalc(&["plans", "compare", "gold", "nope"]).run().bad(&["nope"]);
}

#[test]
fn compare_needs_two_plans() {
    let r = slacalc(&["plans", "compare", "gold"]).run();
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
}

// ------------------------------------------------------------------ --plans / SLACALC_PLANS

#[test]
fn plans_dir_adds_a_plan() {
    let (dir, path) = temp_file("acme.toml", ACME);
    let list =
        list_json(&slacalc(&["--plans", dir.path().to_str().unwrap(), "plans", "list", "--format", "json"]).run());
    assert_eq!(list.len(), 12);
    assert_eq!(origin_of(&list, "acme-business"), path.to_str().unwrap());
    assert_eq!(origin_of(&list, "apizee-gold"), "embedded:apizee.toml");

    let d = json(&[
        "--plans",
        dir.path().to_str().unwrap(),
        "deadline",
        "--plan",
        "ACME",
        "--priority",
        "p1",
        "--opened",
        "2026-11-20 17:30",
        "--now",
        "2026-11-22T12:00:00+01:00",
    ]);
    assert_eq!(d["plan"], "acme-business");
    assert_eq!(d["priority"], "urgent");
    assert_eq!(d["deadline"], "2026-11-23T10:30:00+01:00");
}

#[test]
fn plans_file_overrides_an_embedded_id() {
    let (dir, path) = temp_file("gold.toml", GOLD_OVERRIDE);
    let dir_s = dir.path().to_str().unwrap();
    let list = list_json(&slacalc(&["--plans", dir_s, "plans", "list", "--format", "json"]).run());
    assert_eq!(list.len(), 11, "overriding replaces, it does not add");
    assert_eq!(origin_of(&list, "apizee-gold"), path.to_str().unwrap());

    let d = json(&["--plans", dir_s, "plans", "show", "gold"]);
    assert_eq!(d["origin"], path.to_str().unwrap());
    assert_eq!(d["priorities"].as_array().unwrap().len(), 1);

    let d = json(&[
        "--plans",
        dir_s,
        "deadline",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-23 09:00",
        "--now",
        "2026-11-22T12:00:00+01:00",
    ]);
    assert_eq!(d["target_seconds"], 3600);
    assert_eq!(d["deadline"], "2026-11-23T10:00:00+01:00");
    // The user's own figure is sourced: nothing assumed any more.
    assert_eq!(d["assumed"], false);
    assert_eq!(d["assumptions"], serde_json::json!([]));
}

#[test]
fn plans_accepts_a_single_file() {
    let (_dir, path) = temp_file("acme.toml", ACME);
    let list = list_json(&slacalc(&["--plans", path.to_str().unwrap(), "plans", "list", "--format", "json"]).run());
    assert_eq!(list.len(), 12);
    assert_eq!(origin_of(&list, "acme-business"), path.to_str().unwrap());
}

#[test]
fn plans_is_repeatable() {
    let (d1, _) = temp_file("acme.toml", ACME);
    let (d2, p2) = temp_file("gold.toml", GOLD_OVERRIDE);
    let list = list_json(
        &slacalc(&[
            "--plans",
            d1.path().to_str().unwrap(),
            "--plans",
            d2.path().to_str().unwrap(),
            "plans",
            "list",
            "--format",
            "json",
        ])
        .run(),
    );
    assert_eq!(list.len(), 12);
    assert_eq!(origin_of(&list, "apizee-gold"), p2.to_str().unwrap());
}

#[test]
fn slacalc_plans_env_joins_paths_with_colons() {
    let (d1, p1) = temp_file("acme.toml", ACME);
    let (d2, p2) = temp_file("gold.toml", GOLD_OVERRIDE);
    let env = format!("{}:{}", d1.path().display(), d2.path().display());
    let list = list_json(&slacalc(&["plans", "list", "--format", "json"]).env("SLACALC_PLANS", &env).run());
    assert_eq!(list.len(), 12);
    assert_eq!(origin_of(&list, "acme-business"), p1.to_str().unwrap());
    assert_eq!(origin_of(&list, "apizee-gold"), p2.to_str().unwrap());
}
