//! `slacalc calendar`: the week-by-week view of a plan's working windows.

use serde_json::{Value, json};

use crate::util::{json, slacalc, temp_file};

fn days(v: &Value) -> &Vec<Value> {
    v["days"].as_array().expect("days is a list")
}

fn day<'a>(v: &'a Value, date: &str) -> &'a Value {
    days(v).iter().find(|d| d["date"] == date).unwrap_or_else(|| panic!("{date} missing"))
}

#[test]
fn json_lists_each_day_with_its_windows_in_the_plan_zone() {
    let v = json(&["calendar", "--plan", "gold", "--from", "2026-03-23", "--weeks", "1"]);
    assert_eq!(v["plan"], "apizee-gold");
    assert_eq!(v["calendar"], "apizee");
    assert_eq!(v["zone"], "Europe/Paris");
    assert_eq!(v["display_zone"], "Europe/Paris");
    assert_eq!(v["from"], "2026-03-23");
    assert_eq!(v["to"], "2026-03-29");
    assert_eq!(days(&v).len(), 7);
    assert_eq!(v["working_seconds"], 5 * 7 * 3600);
    assert_eq!(
        day(&v, "2026-03-23"),
        &json!({
            "date": "2026-03-23",
            "weekday": "mon",
            "windows": [
                {"from": "2026-03-23T09:00:00+01:00", "to": "2026-03-23T12:00:00+01:00"},
                {"from": "2026-03-23T14:00:00+01:00", "to": "2026-03-23T18:00:00+01:00"}
            ],
            "holiday": null,
            "override": false,
            "working_seconds": 25200,
            "dst_change": null
        })
    );
    let sunday = day(&v, "2026-03-29");
    assert_eq!(sunday["windows"], json!([]));
    assert_eq!(sunday["working_seconds"], 0);
    assert_eq!(sunday["dst_change"], "+01:00 → +02:00");
    assert_eq!(day(&v, "2026-03-28")["dst_change"], Value::Null);
}

#[test]
fn windows_after_the_change_carry_the_new_offset() {
    let v = json(&["calendar", "--plan", "gold", "--from", "2026-03-30", "--weeks", "1"]);
    assert_eq!(day(&v, "2026-03-30")["windows"][0]["from"], "2026-03-30T09:00:00+02:00");
    let v = json(&["calendar", "--plan", "gold", "--from", "2026-10-19", "--weeks", "1"]);
    assert_eq!(day(&v, "2026-10-25")["dst_change"], "+02:00 → +01:00");
}

#[test]
fn holidays_are_named() {
    let v = json(&["calendar", "--plan", "cirrus-paying", "--from", "2026-12-21", "--weeks", "2"]);
    let xmas = day(&v, "2026-12-25");
    assert_eq!(xmas["holiday"], "Christmas Day");
    assert_eq!(xmas["windows"], json!([]));
    assert_eq!(xmas["working_seconds"], 0);
    assert_eq!(day(&v, "2027-01-01")["holiday"], "New Year's Day");
    assert_eq!(day(&v, "2026-12-24")["holiday"], Value::Null);
    // 2 weeks of Mon–Fri 9 h minus two holidays.
    assert_eq!(v["working_seconds"], (10 - 2) * 9 * 3600);
    let r = slacalc(&["calendar", "--plan", "cirrus-paying", "--from", "2026-12-21", "--weeks", "1"]).run();
    let out = r.ok();
    assert!(out.contains("holiday: Christmas Day"), "{out}");
    assert!(out.contains("Fri 2026-12-25 ┆ closed"), "{out}");
    assert!(out.contains("Mon 2026-12-21 – Sun 2026-12-27 (week 52): 36h open"), "{out}");
}

#[test]
fn table_marks_lunch_breaks_and_dst_changes() {
    let r = slacalc(&["calendar", "--plan", "gold", "--from", "2026-03-23", "--weeks", "1"]).run();
    let out = r.ok();
    assert!(out.starts_with("apizee-gold · Apizee · calendar apizee (Europe/Paris)\n"), "{out}");
    assert!(out.contains("hours: Mon–Fri 09:00-12:00, 14:00-18:00"), "{out}");
    assert!(out.contains("│ Mon 2026-03-23 ┆ 09:00-12:00, 14:00-18:00 ┆ 7h"), "{out}");
    assert!(out.contains("break 12:00-14:00"), "{out}");
    assert!(out.contains("clocks go forward:"), "{out}");
    assert!(out.contains("+01:00 → +02:00") || out.contains("+01:00 →"), "{out}");
    assert!(out.contains("Sat 2026-03-28 ┆ closed"), "{out}");
    let r = slacalc(&["calendar", "--plan", "gold", "--from", "2026-10-19", "--weeks", "1"]).run();
    assert!(r.ok().contains("clocks go back:"), "{}", r.stdout);
}

#[test]
fn default_is_two_weeks_from_the_monday_of_now() {
    let v = json(&["calendar", "--plan", "gold", "--now", "2026-11-25T15:00:00+01:00"]);
    assert_eq!(v["from"], "2026-11-23");
    assert_eq!(v["to"], "2026-12-06");
    assert_eq!(days(&v).len(), 14);
    // A Sunday belongs to the week that started the Monday before.
    let v = json(&["calendar", "--plan", "gold", "--now", "2026-11-29T23:30:00+01:00", "--weeks", "1"]);
    assert_eq!(v["from"], "2026-11-23");
    // SLACALC_NOW works the same way; `today` starts on that very day.
    let r = slacalc(&["calendar", "--plan", "gold", "--from", "today", "--weeks", "1", "--format", "json"])
        .env("SLACALC_NOW", "2026-11-25T10:00:00+01:00")
        .run();
    r.ok();
    assert_eq!(r.json()["from"], "2026-11-25");
}

#[test]
fn overrides_and_24x7_priorities_from_a_user_plan() {
    let v = json(&[
        "--plans",
        "examples/acme-full.toml",
        "calendar",
        "--plan",
        "acme",
        "--from",
        "2026-11-23",
        "--weeks",
        "2",
    ]);
    assert_eq!(v["plan"], "acme-enterprise");
    assert_eq!(v["zone"], "America/New_York");
    assert_eq!(day(&v, "2026-11-26")["holiday"], "Thanksgiving");
    let short = day(&v, "2026-11-27");
    assert_eq!(short["override"], true);
    assert_eq!(short["windows"], json!([{"from": "2026-11-27T09:00:00-05:00", "to": "2026-11-27T12:00:00-05:00"}]));
    let saturday = day(&v, "2026-12-05");
    assert_eq!(saturday["override"], true);
    assert_eq!(saturday["working_seconds"], 4 * 3600);
    assert_eq!(day(&v, "2026-12-04")["working_seconds"], 6 * 3600);
    let r =
        slacalc(&["--plans", "examples/acme-full.toml", "calendar", "--plan", "acme", "--from", "2026-12-28"]).run();
    let out = r.ok();
    assert!(out.contains("override: closed"), "{out}");
    assert!(out.contains("holiday: New Year's Day"), "{out}");
    assert!(out.contains("sev1 runs on a 24x7 clock, not on this calendar"), "{out}");
    assert!(out.contains("assumed, not published by the vendor: holidays"), "{out}");
}

#[test]
fn tz_and_utc_change_the_display_not_the_days() {
    let v = json(&["calendar", "--plan", "cloud", "--from", "2026-03-09", "--weeks", "1", "--tz", "America/New_York"]);
    assert_eq!(v["zone"], "Europe/Zurich");
    assert_eq!(v["display_zone"], "America/New_York");
    // Zurich 08:00 (+01:00) is 03:00 in New York after its own change (-04:00).
    assert_eq!(day(&v, "2026-03-09")["windows"][0]["from"], "2026-03-09T03:00:00-04:00");
    let r =
        slacalc(&["calendar", "--plan", "cloud", "--from", "2026-03-09", "--weeks", "1", "--tz", "America/New_York"])
            .run();
    let out = r.ok();
    assert!(out.contains("days are Europe/Zurich dates; times are shown in America/New_York"), "{out}");
    assert!(out.contains("03:00-12:00"), "{out}");
    let v = json(&["calendar", "--plan", "cloud", "--from", "2026-03-09", "--weeks", "1", "--utc"]);
    assert_eq!(v["display_zone"], "UTC");
    assert_eq!(day(&v, "2026-03-09")["windows"][0]["to"], "2026-03-09T16:00:00Z");
}

#[test]
fn windows_running_to_midnight_and_across_dst() {
    let plan = r#"
[calendars.round]
zone = "Europe/Paris"
hours = { mon-sun = ["00:00-24:00"] }
source = "test"

[[plans]]
id = "round-clock"
provider = "Test"
calendar = "round"
target = "4h"
target_source = "test"
"#;
    let (_dir, path) = temp_file("round.toml", plan);
    let p = path.to_str().unwrap();
    let v = json(&["--plans", p, "calendar", "--plan", "round-clock", "--from", "2026-03-28", "--weeks", "1"]);
    assert_eq!(day(&v, "2026-03-28")["working_seconds"], 86_400);
    assert_eq!(day(&v, "2026-03-29")["working_seconds"], 23 * 3600);
    assert_eq!(day(&v, "2026-03-28")["windows"][0]["to"], "2026-03-29T00:00:00+01:00");
    let v = json(&["--plans", p, "calendar", "--plan", "round-clock", "--from", "2026-10-25", "--weeks", "1"]);
    // The fold's repeated hour is worked twice: midnight to midnight is 25 real hours.
    assert_eq!(day(&v, "2026-10-25")["working_seconds"], 25 * 3600);
    let r = slacalc(&["--plans", p, "calendar", "--plan", "round-clock", "--from", "2026-03-28", "--weeks", "1"]).run();
    let out = r.ok();
    assert!(out.contains("│ Sat 2026-03-28 ┆ 00:00-24:00"), "{out}");
    assert!(out.contains("23h"), "{out}");
}

/// The calendar and the SLA clock agree: a week's working time is what
/// `status` counts over the same week.
#[test]
fn agrees_with_the_status_clock() {
    for (plan, monday) in [("cirrus-paying", "2026-12-21"), ("gold", "2026-03-23"), ("cloud", "2026-10-19")] {
        let v = json(&["calendar", "--plan", plan, "--from", monday, "--weeks", "1"]);
        let next = v["days"][6]["date"].as_str().unwrap();
        let s = json(&[
            "status",
            "--plan",
            plan,
            "--priority",
            "p1",
            "--opened",
            &format!("{monday} 00:00"),
            "--now",
            &format!("{next} 23:59:59"),
        ]);
        assert_eq!(s["elapsed_seconds"], v["working_seconds"], "{plan} {monday}");
    }
}

#[test]
fn csv_has_one_row_per_day() {
    let r = slacalc(&["calendar", "--plan", "gold", "--from", "2026-03-23", "--weeks", "1", "--format", "csv"]).run();
    let out = r.ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "date,weekday,windows,holiday,override,working_seconds,dst_change");
    assert_eq!(lines.len(), 8);
    assert_eq!(
        lines[1],
        "2026-03-23,mon,2026-03-23T09:00:00+01:00/2026-03-23T12:00:00+01:00; 2026-03-23T14:00:00+01:00/2026-03-23T18:00:00+01:00,,false,25200,"
    );
    assert_eq!(lines[7], "2026-03-29,sun,,,false,0,+01:00 → +02:00");
}

#[test]
fn weeks_are_capped_and_bad_input_is_refused() {
    slacalc(&["calendar", "--plan", "gold", "--weeks", "521"]).run().bad(&["--weeks 521 is too many", "at most 520"]);
    slacalc(&["calendar", "--plan", "gold", "--weeks", "0"]).run().bad(&["--weeks 0", "1 to 520"]);
    slacalc(&["calendar", "--plan", "gold", "--weeks", "many"]).run().bad(&["--weeks"]);
    slacalc(&["calendar", "--plan", "gold", "--from", "2026-02-30"]).run().bad(&["invalid --from", "2026-02-30"]);
    slacalc(&["calendar", "--plan", "gold", "--from", "9998-12-01", "--weeks", "520"]).run().bad(&["9999"]);
    slacalc(&["calendar", "--plan", "gld"]).run().bad(&["gld", "gold"]);
    slacalc(&["calendar"]).run().bad(&["--plan"]);
    // 520 weeks answer, fast.
    let v = json(&["calendar", "--plan", "gold", "--from", "2026-01-05", "--weeks", "520"]);
    assert_eq!(days(&v).len(), 520 * 7);
}
