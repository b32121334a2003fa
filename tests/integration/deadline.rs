//! `slacalc deadline`: clock start, working windows, business days, holidays,
//! DST, pauses, output formats and provenance (SPEC §1–§4).

use serde_json::Value;

use crate::util::{deadline, due, json, slacalc, temp_file};

/// The "now" of the tests here that give their own.
const NOW: &str = "2026-11-22T12:00:00+01:00";

/// A user plan file: plan `acme-1h`, 1 h working-hours target on the shipped
/// `apizee` calendar.
const ONE_HOUR_ON_APIZEE: &str = r#"
[[plans]]
id = "acme-1h"
provider = "Acme"
calendar = "apizee"
target = "1h"
target_source = "\"we answer within one working hour\""
"#;

// ------------------------------------------------------------------ clock start

#[test]
fn gold_major_opened_friday_1730_is_due_monday_1430() {
    let d = deadline(&["--plan", "apizee-gold", "--priority", "major", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["plan"], "apizee-gold");
    assert_eq!(d["provider"], "Apizee");
    assert_eq!(d["priority"], "major");
    assert_eq!(d["opened"], "2026-11-20T17:30:00+01:00");
    assert_eq!(d["clock_start"], "2026-11-20T17:30:00+01:00");
    assert_eq!(d["target"], "4h");
    assert_eq!(d["target_seconds"], 14400);
    assert_eq!(d["clock"], "business");
    // 30 min Friday + 09:00–12:00 + 14:00–14:30 Monday.
    assert_eq!(d["deadline"], "2026-11-23T14:30:00+01:00");
    assert_eq!(d["commitment"], "committed");
}

#[test]
fn opened_after_hours_starts_the_clock_at_next_opening() {
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-20 18:30"]);
    assert_eq!(d["opened"], "2026-11-20T18:30:00+01:00");
    assert_eq!(d["clock_start"], "2026-11-23T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T15:00:00+01:00");
}

#[test]
fn opened_exactly_at_interval_end_starts_at_next_interval() {
    // Intervals are half-open: 12:00 is not working time, 14:00 is.
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-20 12:00"]);
    assert_eq!(d["clock_start"], "2026-11-20T14:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-20T18:00:00+01:00");
    // 18:00 Friday: the next working instant is Monday 09:00.
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-20 18:00"]);
    assert_eq!(d["clock_start"], "2026-11-23T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T15:00:00+01:00");
}

#[test]
fn opened_at_interval_start_starts_at_once() {
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-23 09:00"]);
    assert_eq!(d["clock_start"], "2026-11-23T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T15:00:00+01:00");
}

#[test]
fn one_hour_target_skips_the_lunch_break() {
    let (_dir, path) = temp_file("acme.toml", ONE_HOUR_ON_APIZEE);
    let d = json(&[
        "--plans",
        path.to_str().unwrap(),
        "--now",
        NOW,
        "deadline",
        "--plan",
        "acme-1h",
        "--opened",
        "2026-11-23 11:30",
    ]);
    assert_eq!(d["plan"], "acme-1h");
    assert_eq!(d["target_seconds"], 3600);
    // 11:30–12:00, then 14:00–14:30.
    assert_eq!(d["deadline"], "2026-11-23T14:30:00+01:00");
    assert_eq!(d["assumed"], false);
    assert_eq!(d["assumptions"], serde_json::json!([]));
}

#[test]
fn deadline_at_the_end_of_an_interval_is_that_end() {
    // 14:00–18:00 Friday is exactly 4 h: due Friday 18:00, not Monday 09:00.
    due!("gold", "major", "2026-11-20 14:00" => "2026-11-20T18:00:00+01:00");
    // 1bd on cirrus from Monday 09:00 is Monday 18:00, not Tuesday 09:00.
    due!("cirrus-premium", "critical", "2026-11-23 09:00" => "2026-11-23T18:00:00+01:00");
}

#[test]
fn deadline_at_the_morning_close_is_noon() {
    // Thu 17:00–18:00 (1h), Fri 2026-05-08 is a holiday (VE Day), Mon 09:00–12:00 (3h).
    due!("gold", "major", "2026-05-07 17:00" => "2026-05-11T12:00:00+02:00");
}

// ------------------------------------------------------------------ SPEC §2 worked examples

#[test]
fn spec_example_24x7_across_spring_forward() {
    let d = deadline(&["--plan", "otter-premium", "--priority", "critical", "--opened", "2026-03-29T01:30:00+01:00"]);
    assert_eq!(d["clock"], "24x7");
    assert_eq!(d["target_seconds"], 7200);
    assert_eq!(d["clock_start"], "2026-03-29T01:30:00+01:00");
    // Two real hours: 00:30Z → 02:30Z.
    assert_eq!(d["deadline"], "2026-03-29T04:30:00+02:00");
}

#[test]
fn spec_24x7_across_fall_back_counts_real_hours() {
    // 2026-10-25T01:30+02:00 = 23:30Z; + 2 h = 01:30Z = 02:30+01:00 (second 02:30).
    due!("otter-premium", "critical", "2026-10-25T01:30:00+02:00" => "2026-10-25T02:30:00+01:00");
}

#[test]
fn spec_example_business_hours_across_spring_forward() {
    let d = deadline(&["--plan", "apizee-gold", "--priority", "major", "--opened", "2026-03-27T16:30:00Z"]);
    // Printed in the plan's zone: Fri 17:30 CET.
    assert_eq!(d["opened"], "2026-03-27T17:30:00+01:00");
    assert_eq!(d["deadline"], "2026-03-30T14:30:00+02:00");
}

// ------------------------------------------------------------------ business days (cirrus 09:00–18:00)

#[test]
fn cirrus_premium_1bd_monday_1700_is_tuesday_1700() {
    let d = deadline(&["--plan", "cirrus-premium", "--priority", "critical", "--opened", "2026-11-23 17:00"]);
    assert_eq!(d["target"], "1bd");
    assert_eq!(d["target_seconds"], 9 * 3600);
    assert_eq!(d["deadline"], "2026-11-24T17:00:00+01:00");
}

#[test]
fn cirrus_premium_1bd_monday_2000_is_tuesday_1800() {
    let d = deadline(&["--plan", "cirrus-premium", "--priority", "critical", "--opened", "2026-11-23 20:00"]);
    assert_eq!(d["clock_start"], "2026-11-24T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-24T18:00:00+01:00");
}

#[test]
fn cirrus_premium_1bd_saturday_1100_is_monday_1800() {
    let d = deadline(&["--plan", "cirrus-premium", "--priority", "critical", "--opened", "2026-11-21 11:00"]);
    assert_eq!(d["clock_start"], "2026-11-23T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T18:00:00+01:00");
}

#[test]
fn cirrus_paying_2bd_friday_1000_is_tuesday_1000() {
    let d = deadline(&["--plan", "cirrus-paying", "--opened", "2026-11-27 10:00"]);
    assert_eq!(d["target"], "2bd");
    assert_eq!(d["target_seconds"], 2 * 9 * 3600);
    assert_eq!(d["deadline"], "2026-12-01T10:00:00+01:00");
}

#[test]
fn cirrus_paying_without_priority_works_and_with_one_too() {
    let d = deadline(&["--plan", "paying", "--opened", "2026-11-23 17:00"]);
    assert_eq!(d["plan"], "cirrus-paying");
    assert_eq!(d["priority"], Value::Null);
    assert_eq!(d["deadline"], "2026-11-25T17:00:00+01:00");
    let d = deadline(&["--plan", "paying", "--priority", "critique", "--opened", "2026-11-23 17:00"]);
    assert_eq!(d["priority"], "critical");
    assert_eq!(d["deadline"], "2026-11-25T17:00:00+01:00");
}

#[test]
fn otter_basic_critical_is_one_9h_business_day() {
    // Fri 17:30–18:00 (30m) + Mon 09:00–17:30 (8h30m).
    let d = deadline(&["--plan", "otter-basic", "--priority", "p1", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["priority"], "critical");
    assert_eq!(d["target"], "1bd");
    assert_eq!(d["target_seconds"], 32400);
    assert_eq!(d["deadline"], "2026-11-23T17:30:00+01:00");
}

#[test]
fn biings_uses_zurich_0800_1700() {
    let d = deadline(&["--plan", "on-prem", "--priority", "down", "--opened", "2026-11-23 08:00"]);
    assert_eq!(d["plan"], "biings-onprem");
    assert_eq!(d["deadline"], "2026-11-23T12:00:00+01:00");
    // 1bd = 9h: Fri 16:00–17:00 + Mon 08:00–16:00.
    let d = deadline(&["--plan", "biings-cloud", "--priority", "moderate", "--opened", "2026-11-20 16:00"]);
    assert_eq!(d["target_seconds"], 32400);
    assert_eq!(d["deadline"], "2026-11-23T16:00:00+01:00");
}

// ------------------------------------------------------------------ holidays

#[test]
fn bastille_day_is_skipped() {
    // Mon 17:00–18:00 (1h), Tue 14 Jul holiday, Wed 09–12 + 14–18 (7h).
    due!("gold", "moderate", "2026-07-13 17:00" => "2026-07-15T18:00:00+02:00");
}

#[test]
fn easter_based_holidays_are_skipped() {
    // Easter 2026 = 5 April. Whit Monday (Easter+50) = Mon 25 May.
    // Fri 22 May 17:00–18:00 (1h), Tue 26 May 09:00–12:00 (3h).
    due!("gold", "major", "2026-05-22 17:00" => "2026-05-26T12:00:00+02:00");
    // Ascension (Easter+39) = Thu 14 May. Wed 13 May 14–18 (4h), Fri 15 May 09–12 (3h) + 14–15 (1h).
    due!("gold", "moderate", "2026-05-13 14:00" => "2026-05-15T15:00:00+02:00");
    // Easter Monday (Easter+1) = 6 April. Fri 3 Apr 17:00–18:00, Tue 7 Apr 09:00–12:00.
    due!("gold", "major", "2026-04-03 17:00" => "2026-04-07T12:00:00+02:00");
}

#[test]
fn christmas_is_skipped() {
    // Thu 24 Dec 17:00–18:00 (1h), Fri 25 Dec holiday, Mon 28 Dec 09:00–12:00 (3h).
    due!("gold", "major", "2026-12-24 17:00" => "2026-12-28T12:00:00+01:00");
}

// ------------------------------------------------------------------ pauses

#[test]
fn pause_in_working_time_moves_the_deadline() {
    let base = ["--plan", "gold", "--priority", "major", "--opened", "2026-11-23 09:00"];
    assert_eq!(due(&base), "2026-11-23T15:00:00+01:00");
    let mut a = base.to_vec();
    a.extend(["--pause", "2026-11-23 10:00/2026-11-23 11:00"]);
    assert_eq!(due(&a), "2026-11-23T16:00:00+01:00");
}

#[test]
fn pause_across_lunch_only_counts_working_time() {
    // Paused 11:00–15:00: that stops 11–12 and 14–15 (2h of working time).
    // 09–11 (2h) + 15–17 (2h) → 17:00.
    due!("gold", "major", "2026-11-23 09:00", "--pause", "2026-11-23 11:00/2026-11-23 15:00" => "2026-11-23T17:00:00+01:00");
}

#[test]
fn several_pauses_add_up() {
    due!("gold", "major", "2026-11-23 09:00", "--pause", "2026-11-23 11:00/2026-11-23 15:00", "--pause", "2026-11-23T16:00:00+01:00/2026-11-23T16:30:00+01:00" => "2026-11-23T17:30:00+01:00");
}

#[test]
fn pause_outside_working_time_changes_nothing() {
    // Lunch break and before the ticket was opened.
    due!("gold", "major", "2026-11-23 09:00", "--pause", "2026-11-23 12:00/2026-11-23 14:00", "--pause", "2026-11-20 09:00/2026-11-20 18:00" => "2026-11-23T15:00:00+01:00");
}

#[test]
fn clock_start_ignores_pauses() {
    let d = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-23 09:00",
        "--pause",
        "2026-11-23 09:00/2026-11-23 10:00",
    ]);
    assert_eq!(d["clock_start"], "2026-11-23T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T16:00:00+01:00");
}

// ------------------------------------------------------------------ --explain

#[test]
fn explain_json_lists_worked_windows_with_running_totals() {
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30", "--explain"]);
    assert_eq!(d["deadline"], "2026-11-23T14:30:00+01:00");
    let steps = d["explain"].as_array().expect("explain is an array");
    let worked: Vec<(&str, &str, &str, i64, i64)> = steps
        .iter()
        .filter(|s| s["step"] == "worked")
        .map(|s| {
            (
                s["date"].as_str().unwrap(),
                s["from"].as_str().unwrap(),
                s["to"].as_str().unwrap(),
                s["seconds"].as_i64().unwrap(),
                s["total_seconds"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        worked,
        vec![
            ("2026-11-20", "2026-11-20T17:30:00+01:00", "2026-11-20T18:00:00+01:00", 1800, 1800),
            ("2026-11-23", "2026-11-23T09:00:00+01:00", "2026-11-23T12:00:00+01:00", 10800, 12600),
            ("2026-11-23", "2026-11-23T14:00:00+01:00", "2026-11-23T14:30:00+01:00", 1800, 14400),
        ]
    );
}

#[test]
fn explain_json_names_skipped_holidays() {
    let d = deadline(&["--plan", "gold", "--priority", "moderate", "--opened", "2026-07-13 17:00", "--explain"]);
    let steps = d["explain"].as_array().expect("explain is an array");
    let holidays: Vec<_> = steps.iter().filter(|s| s["step"] == "holiday").collect();
    assert_eq!(holidays.len(), 1, "{steps:?}");
    assert_eq!(holidays[0]["date"], "2026-07-14");
    assert_eq!(holidays[0]["name"], "Bastille Day");
    let last = steps.iter().rev().find(|s| s["step"] == "worked").unwrap();
    assert_eq!(last["to"], "2026-07-15T18:00:00+02:00");
    assert_eq!(last["total_seconds"], 28800);
}

#[test]
fn explain_json_lists_pauses() {
    let d = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-23 09:00",
        "--pause",
        "2026-11-23 10:00/2026-11-23 11:00",
        "--explain",
    ]);
    let paused: Vec<_> = d["explain"].as_array().unwrap().iter().filter(|s| s["step"] == "paused").collect();
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0]["from"], "2026-11-23T10:00:00+01:00");
    assert_eq!(paused[0]["to"], "2026-11-23T11:00:00+01:00");
    assert_eq!(paused[0]["seconds"], 3600);
}

#[test]

fn explain_steps_are_in_chronological_order() {
    let d = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-23 09:00",
        "--pause",
        "2026-11-23 11:00/2026-11-23 15:00",
        "--explain",
    ]);
    let steps: Vec<(&str, &str)> = d["explain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["step"].as_str().unwrap(), s["from"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("worked", "2026-11-23T09:00:00+01:00"),
            ("paused", "2026-11-23T11:00:00+01:00"),
            ("paused", "2026-11-23T14:00:00+01:00"),
            ("worked", "2026-11-23T15:00:00+01:00"),
        ]
    );
}

#[test]
fn explain_table_shows_windows_and_holiday() {
    let r = slacalc(&[
        "deadline",
        "--plan",
        "gold",
        "--priority",
        "moderate",
        "--opened",
        "2026-07-13 17:00",
        "--explain",
        "--now",
        NOW,
    ])
    .run();
    let out = r.ok();
    assert!(out.contains("2026-07-15T18:00:00+02:00"), "{out}");
    assert!(out.contains("Bastille Day"), "{out}");
    assert!(out.contains("17:00–18:00") || out.contains("17:00-18:00"), "{out}");
    assert!(out.contains("14:00–18:00") || out.contains("14:00-18:00"), "{out}");
}

// ------------------------------------------------------------------ formats and zones

#[test]
fn table_is_the_default_format() {
    let r =
        slacalc(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30", "--now", NOW])
            .run();
    let out = r.ok();
    assert!(out.contains("2026-11-23T14:30:00+01:00"), "{out}");
    assert!(out.contains("apizee-gold"), "{out}");
    assert!(serde_json::from_str::<Value>(out).is_err(), "default output should not be JSON");
}

#[test]
fn csv_has_a_header_and_one_row() {
    let r = slacalc(&[
        "deadline",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 17:30",
        "--now",
        NOW,
        "--format",
        "csv",
    ])
    .run();
    let out = r.ok();
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    for field in [
        "plan",
        "provider",
        "priority",
        "opened",
        "clock_start",
        "target",
        "target_seconds",
        "clock",
        "deadline",
        "commitment",
        "assumed",
        "assumptions",
    ] {
        assert!(header.iter().any(|h| h == field), "header lacks {field}: {header:?}");
    }
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "{out}");
    let get = |name: &str| rows[0].get(header.iter().position(|h| h == name).unwrap()).unwrap().to_string();
    assert_eq!(get("plan"), "apizee-gold");
    assert_eq!(get("priority"), "major");
    assert_eq!(get("deadline"), "2026-11-23T14:30:00+01:00");
    assert_eq!(get("target_seconds"), "14400");
    assert_eq!(get("commitment"), "committed");
}

#[test]
fn utc_prints_utc_offsets() {
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30", "--utc"]);
    let z = |v: &Value| v.as_str().unwrap().replace("+00:00", "Z");
    // The local input is still read in the plan's zone (Paris).
    assert_eq!(z(&d["opened"]), "2026-11-20T16:30:00Z");
    assert_eq!(z(&d["deadline"]), "2026-11-23T13:30:00Z");
}

#[test]
fn tz_prints_in_that_zone() {
    let d = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20T17:30:00+01:00",
        "--tz",
        "America/New_York",
    ]);
    assert_eq!(d["opened"], "2026-11-20T11:30:00-05:00");
    assert_eq!(d["clock_start"], "2026-11-20T11:30:00-05:00");
    assert_eq!(d["deadline"], "2026-11-23T08:30:00-05:00");
}

#[test]
fn tz_reads_local_input_in_that_zone() {
    // 17:30 New York = 23:30 Paris (Friday, after hours): clock starts Monday 09:00 Paris.
    let d = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 17:30",
        "--tz",
        "America/New_York",
    ]);
    assert_eq!(d["opened"], "2026-11-20T17:30:00-05:00");
    assert_eq!(d["clock_start"], "2026-11-23T03:00:00-05:00");
    assert_eq!(d["deadline"], "2026-11-23T09:00:00-05:00");
}

#[test]
fn sub_second_input_is_truncated() {
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-23T11:30:00.999+01:00"]);
    assert_eq!(d["opened"], "2026-11-23T11:30:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T17:30:00+01:00");
}

// ------------------------------------------------------------------ names and aliases

#[test]
fn priority_p_numbers_follow_urgency_order() {
    let p1 = deadline(&["--plan", "gold", "--priority", "p1", "--opened", "2026-11-23 09:00"]);
    assert_eq!(p1["priority"], "major");
    assert_eq!(p1["deadline"], "2026-11-23T15:00:00+01:00");
    let p2 = deadline(&["--plan", "gold", "--priority", "P2", "--opened", "2026-11-23 09:00"]);
    assert_eq!(p2["priority"], "moderate");
    // 8h: Mon 09–12, 14–18 (7h), Tue 09–10.
    assert_eq!(p2["deadline"], "2026-11-24T10:00:00+01:00");
    let p3 = deadline(&["--plan", "gold", "--priority", "p3", "--opened", "2026-11-23 09:00"]);
    assert_eq!(p3["priority"], "minor");
    assert_eq!(p3["target_seconds"], 16 * 3600);
}

#[test]
fn plan_names_are_case_insensitive() {
    for name in ["GOLD", "Gold", "APIZEE-GOLD", "apizee-gold"] {
        let d = deadline(&["--plan", name, "--priority", "MAJOR", "--opened", "2026-11-20 17:30"]);
        assert_eq!(d["plan"], "apizee-gold", "--plan {name}");
        assert_eq!(d["priority"], "major");
        assert_eq!(d["deadline"], "2026-11-23T14:30:00+01:00");
    }
}

#[test]
fn json_priority_is_canonical_when_an_alias_is_typed() {
    for (typed, canonical) in [
        ("critique", "critical"),
        ("CRITIQUE", "critical"),
        ("majeure", "major"),
        ("mineure", "minor"),
        ("p3", "minor"),
    ] {
        let d = deadline(&["--plan", "cirrus-premium", "--priority", typed, "--opened", "2026-11-23 17:00"]);
        assert_eq!(d["priority"], canonical, "--priority {typed}");
        assert_eq!(d["deadline"], "2026-11-24T17:00:00+01:00");
    }
}

// ------------------------------------------------------------------ commitments

#[test]
fn best_effort_has_no_deadline() {
    let d = deadline(&["--plan", "otter-basic", "--priority", "high", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["priority"], "high");
    assert_eq!(d["deadline"], Value::Null);
    assert_eq!(d["commitment"], "best-effort");
    assert_eq!(d["target"], "best-effort");
    assert_eq!(d["target_seconds"], Value::Null);
}

#[test]
fn cirrus_free_has_no_service_level() {
    let d = deadline(&["--plan", "free", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["plan"], "cirrus-free");
    assert_eq!(d["deadline"], Value::Null);
    assert_eq!(d["commitment"], "none");
    assert_eq!(d["target"], "none");
    assert_eq!(d["target_seconds"], Value::Null);
}

// ------------------------------------------------------------------ provenance

fn assumptions(d: &Value) -> Vec<String> {
    d["assumptions"]
        .as_array()
        .expect("assumptions is a list")
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn apizee_target_is_assumed() {
    let d = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["assumed"], true);
    let a = assumptions(&d);
    // The apizee calendar is fully sourced: only the target is assumed.
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(a[0].contains("major") && a[0].contains("4h"), "{a:?}");
}

#[test]
fn otter_calendar_is_assumed_but_its_target_is_sourced() {
    let d = deadline(&["--plan", "otter-premium", "--priority", "high", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["target"], "6h");
    // 30m Friday + 09:00–14:30 Monday.
    assert_eq!(d["deadline"], "2026-11-23T14:30:00+01:00");
    assert_eq!(d["assumed"], false, "the 6h target is quoted from the source");
    let a = assumptions(&d).join("\n");
    assert!(a.contains("otter"), "{a}");
    assert!(a.contains("time zone"), "otter's zone is assumed: {a}");
    assert!(a.contains("working hours"), "otter's hours are assumed: {a}");
    assert!(a.contains("holidays"), "otter's holidays are assumed: {a}");
}

#[test]
fn cirrus_assumes_zone_and_holidays_but_not_hours() {
    let d = deadline(&["--plan", "cirrus-premium", "--priority", "critical", "--opened", "2026-11-23 17:00"]);
    assert_eq!(d["assumed"], false);
    let a = assumptions(&d);
    assert_eq!(a.len(), 2, "{a:?}");
    assert!(a.iter().any(|s| s.contains("time zone")), "{a:?}");
    assert!(a.iter().any(|s| s.contains("holidays")), "{a:?}");
    assert!(!a.iter().any(|s| s.contains("working hours")), "cirrus publishes its hours: {a:?}");
}

#[test]
fn otter_24x7_clock_is_listed_as_an_assumption() {
    let d = deadline(&["--plan", "otter-premium", "--priority", "critical", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["deadline"], "2026-11-20T19:30:00+01:00");
    let a = assumptions(&d).join("\n");
    assert!(a.contains("24x7"), "{a}");
}

// ------------------------------------------------------------------ now

#[test]
fn slacalc_now_env_fixes_the_default_opened() {
    let r = slacalc(&["deadline", "--plan", "gold", "--priority", "major", "--format", "json"])
        .env("SLACALC_NOW", "2026-11-23T11:30:00+01:00")
        .run();
    r.ok();
    let d = r.json();
    assert_eq!(d["opened"], "2026-11-23T11:30:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T17:30:00+01:00");
}

#[test]
fn opened_now_uses_the_fixed_now() {
    let d =
        json(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "now", "--now", "2026-11-23 11:30"]);
    assert_eq!(d["opened"], "2026-11-23T11:30:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T17:30:00+01:00");
}

#[test]
fn now_flag_wins_over_env() {
    let r = slacalc(&[
        "deadline",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "now",
        "--now",
        "2026-11-23T09:00:00+01:00",
        "--format",
        "json",
    ])
    .env("SLACALC_NOW", "2026-11-23T11:30:00+01:00")
    .run();
    r.ok();
    assert_eq!(r.json()["opened"], "2026-11-23T09:00:00+01:00");
}
