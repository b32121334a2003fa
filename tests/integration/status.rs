//! `slacalc status`: elapsed / remaining working time, the states and `--check`
//! (SPEC §4). The reference ticket is apizee-gold major (4 h) opened Monday
//! 2026-11-23 09:00 Paris: due 15:00 the same day (09–12, 14–15).

use serde_json::Value;

use crate::util::{Run, slacalc};

const OPENED: &str = "2026-11-23 09:00";

/// `status --plan gold --priority major --opened OPENED --now NOW EXTRA --format json`.
fn run(now: &str, extra: &[&str]) -> Run {
    let mut a = vec!["status", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--now", now];
    a.extend_from_slice(extra);
    a.extend(["--format", "json"]);
    slacalc(&a).run()
}

/// [`run`], asserting exit 0, parsed.
#[track_caller]
fn status(now: &str, extra: &[&str]) -> Value {
    let r = run(now, extra);
    r.ok();
    r.json()
}

#[track_caller]
fn assert_clock(d: &Value, elapsed: i64, remaining: i64, used: f64, state: &str) {
    assert_eq!(d["elapsed_seconds"], elapsed, "{d}");
    assert_eq!(d["remaining_seconds"], remaining, "{d}");
    let u = d["used_percent"].as_f64().unwrap_or_else(|| panic!("used_percent not a number: {d}"));
    assert!((u - used).abs() < 1e-9, "used_percent {u} != {used}: {d}");
    assert_eq!(d["state"], state, "{d}");
}

#[test]
fn running_early_on() {
    let d = status("2026-11-23 10:00", &[]);
    assert_eq!(d["plan"], "apizee-gold");
    assert_eq!(d["priority"], "major");
    assert_eq!(d["opened"], "2026-11-23T09:00:00+01:00");
    assert_eq!(d["deadline"], "2026-11-23T15:00:00+01:00");
    assert_eq!(d["target_seconds"], 14400);
    assert_eq!(d["commitment"], "committed");
    assert_clock(&d, 3600, 10800, 25.0, "running");
}

#[test]
fn just_under_75_percent_is_running() {
    // 09:00 → 11:59:59 = 10799 s = 74.99 %.
    let d = status("2026-11-23 11:59:59", &[]);
    assert_eq!(d["elapsed_seconds"], 10799);
    assert_eq!(d["remaining_seconds"], 3601);
    assert_eq!(d["state"], "running");
}

#[test]
fn at_75_percent_is_at_risk_even_during_lunch() {
    // 12:30 is the lunch break: the clock stopped at 12:00 after 3 h.
    let d = status("2026-11-23 12:30", &[]);
    assert_clock(&d, 10800, 3600, 75.0, "at-risk");
}

#[test]
fn at_the_deadline_instant_is_at_risk_at_100_percent() {
    let r = run("2026-11-23 15:00", &["--check"]);
    assert_eq!(r.code, 0, "at the deadline is not breached: {}", r.stderr);
    assert_clock(&r.json(), 14400, 0, 100.0, "at-risk");
}

#[test]
fn one_second_past_the_deadline_is_breached() {
    let d = status("2026-11-23T15:00:01+01:00", &[]);
    assert_eq!(d["elapsed_seconds"], 14401);
    assert_eq!(d["remaining_seconds"], -1);
    assert_eq!(d["state"], "breached");
}

#[test]
fn breached_an_hour_late() {
    let d = status("2026-11-23 16:00", &[]);
    assert_clock(&d, 18000, -3600, 125.0, "breached");
}

#[test]
fn breached_when_now_is_after_a_deadline_at_the_end_of_the_week() {
    // Opened Fri 14:00, due Fri 18:00. On Saturday no working time has passed
    // since the deadline, yet now > deadline: breached.
    let r = slacalc(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 14:00",
        "--now",
        "2026-11-21 10:00",
        "--format",
        "json",
    ])
    .run();
    r.ok();
    let d = r.json();
    assert_eq!(d["deadline"], "2026-11-20T18:00:00+01:00");
    assert_clock(&d, 14400, 0, 100.0, "breached");
}

#[test]
fn check_exits_1_when_breached_and_still_prints_the_answer() {
    let r = run("2026-11-23 16:00", &["--check"]);
    assert_eq!(r.code, 1, "stderr: {}", r.stderr);
    let d = r.json();
    assert_eq!(d["state"], "breached");
    assert_eq!(d["remaining_seconds"], -3600);
}

#[test]
fn without_check_breached_exits_0() {
    let r = run("2026-11-23 16:00", &[]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["state"], "breached");
}

#[test]
fn check_exits_0_while_running_or_at_risk() {
    assert_eq!(run("2026-11-23 10:00", &["--check"]).code, 0);
    assert_eq!(run("2026-11-23 14:30", &["--check"]).code, 0);
}

#[test]
fn met_when_responded_before_the_deadline() {
    // Elapsed runs to --responded, not to now.
    let r = run("2026-11-23 16:00", &["--responded", "2026-11-23 14:30", "--check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = r.json();
    assert_eq!(d["responded"], "2026-11-23T14:30:00+01:00");
    assert_clock(&d, 12600, 1800, 87.5, "met");
    assert_eq!(d["elapsed"], "3h30m");
    assert_eq!(d["remaining"], "30m");
}

#[test]
fn met_when_responded_exactly_at_the_deadline() {
    let r = run("2026-11-24 10:00", &["--responded", "2026-11-23 15:00", "--check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_clock(&r.json(), 14400, 0, 100.0, "met");
}

#[test]
fn missed_when_responded_after_the_deadline() {
    let r = run("2026-11-23 16:00", &["--responded", "2026-11-23 15:30", "--check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_clock(&r.json(), 16200, -1800, 112.5, "missed");
}

#[test]
fn missed_without_check_exits_0() {
    let r = run("2026-11-23 16:00", &["--responded", "2026-11-23 15:30"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["state"], "missed");
}

#[test]
fn missed_by_one_second_after_a_friday_deadline() {
    let r = slacalc(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 14:00",
        "--responded",
        "2026-11-20T18:00:01+01:00",
        "--now",
        "2026-11-23 10:00",
        "--format",
        "json",
        "--check",
    ])
    .run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.json()["state"], "missed");
}

#[test]
fn now_before_opened_is_refused_naming_both_instants() {
    // A ticket opened after now is not "running, 0 s elapsed": it is an error.
    let r = slacalc(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 17:30",
        "--now",
        "2026-11-20 16:00",
    ])
    .run();
    r.bad(&["--opened 2026-11-20T17:30:00+01:00 is after now (2026-11-20T16:00:00+01:00)"]);
}

#[test]
fn elapsed_skips_weekends_and_holidays() {
    // Thu 2026-05-07 17:00–18:00 (1h), Fri 8 May holiday, weekend, Mon 09:00–10:00 (1h).
    let r = slacalc(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-05-07 17:00",
        "--now",
        "2026-05-11 10:00",
        "--format",
        "json",
    ])
    .run();
    r.ok();
    let d = r.json();
    assert_eq!(d["deadline"], "2026-05-11T12:00:00+02:00");
    assert_clock(&d, 7200, 7200, 50.0, "running");
}

#[test]
fn pauses_do_not_count_as_elapsed() {
    // Paused 10–11: at 15:30 the clock ran 09–10, 11–12, 14–15:30 = 3h30m; due 16:00.
    let d = status("2026-11-23 15:30", &["--pause", "2026-11-23 10:00/2026-11-23 11:00"]);
    assert_eq!(d["deadline"], "2026-11-23T16:00:00+01:00");
    assert_clock(&d, 12600, 1800, 87.5, "at-risk");
}

#[test]
fn elapsed_on_a_24x7_clock_is_real_time_across_dst() {
    // 01:30+01:00 → 03:30+02:00 is one real hour.
    let r = slacalc(&[
        "status",
        "--plan",
        "otter-premium",
        "--priority",
        "critical",
        "--opened",
        "2026-03-29T01:30:00+01:00",
        "--now",
        "2026-03-29T03:30:00+02:00",
        "--format",
        "json",
    ])
    .run();
    r.ok();
    let d = r.json();
    assert_eq!(d["deadline"], "2026-03-29T04:30:00+02:00");
    assert_clock(&d, 3600, 3600, 50.0, "running");
}

#[test]
fn best_effort_is_no_commitment_and_check_passes() {
    let r = slacalc(&[
        "status",
        "--plan",
        "otter-basic",
        "--priority",
        "high",
        "--opened",
        "2026-11-20 14:00",
        "--now",
        "2026-12-21 10:00",
        "--check",
        "--format",
        "json",
    ])
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = r.json();
    assert_eq!(d["state"], "no-commitment");
    assert_eq!(d["deadline"], Value::Null);
    assert_eq!(d["commitment"], "best-effort");
    assert_eq!(d["remaining_seconds"], Value::Null);
}

#[test]
fn best_effort_responded_late_is_still_no_commitment() {
    let r = slacalc(&[
        "status",
        "--plan",
        "otter-basic",
        "--priority",
        "low",
        "--opened",
        "2026-11-20 14:00",
        "--responded",
        "2026-12-21 09:00",
        "--now",
        "2026-12-21 10:00",
        "--check",
        "--format",
        "json",
    ])
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["state"], "no-commitment");
}

#[test]
fn cirrus_free_is_no_commitment_and_check_passes() {
    let r = slacalc(&[
        "status",
        "--plan",
        "cirrus-free",
        "--opened",
        "2026-11-20 14:00",
        "--now",
        "2026-12-21 10:00",
        "--check",
        "--format",
        "json",
    ])
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = r.json();
    assert_eq!(d["state"], "no-commitment");
    assert_eq!(d["commitment"], "none");
    assert_eq!(d["deadline"], Value::Null);
}

#[test]
fn table_output_shows_the_state() {
    let r =
        slacalc(&["status", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--now", "2026-11-23 16:00"])
            .run();
    let out = r.ok();
    assert!(out.contains("breached"), "{out}");
    assert!(out.contains("2026-11-23T15:00:00+01:00"), "{out}");
    assert!(out.contains("-3600"), "{out}");
}

#[test]
fn csv_output_has_status_columns() {
    let r = slacalc(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        OPENED,
        "--now",
        "2026-11-23 10:00",
        "--format",
        "csv",
    ])
    .run();
    let out = r.ok();
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "{out}");
    let get = |name: &str| {
        let i = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}: {header:?}"));
        rows[0].get(i).unwrap().to_string()
    };
    assert_eq!(get("state"), "running");
    assert_eq!(get("elapsed_seconds"), "3600");
    assert_eq!(get("remaining_seconds"), "10800");
    assert_eq!(get("deadline"), "2026-11-23T15:00:00+01:00");
}
