//! `ics = "file.ics"` in a holiday set (SPEC §7): all-day events, yearly
//! rules, exceptions; a timed event is an error.

use std::path::Path;

use crate::util::{json, slacalc};

const PLAN: &str = r#"
[holiday_sets.acme]
source = "Acme's holiday calendar export"
ics = "holidays.ics"

[calendars.c]
zone = "UTC"
hours = { mon-fri = ["09:00-17:00"] }
holidays = ["acme"]
source = "s"

[[plans]]
id = "x"
provider = "X"
calendar = "c"
target = "2h"
target_source = "s"
"#;

/// An all-day event, a yearly rule with one EXDATE, a monthly rule with a
/// COUNT (folded SUMMARY, CRLF line ends).
const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
    BEGIN:VEVENT\r\nUID:a@x\r\nDTSTART;VALUE=DATE:20260610\r\nDTEND;VALUE=DATE:20260611\r\nSUMMARY:Founders Day\r\nEND:VEVENT\r\n\
    BEGIN:VEVENT\r\nUID:b@x\r\nDTSTART;VALUE=DATE:20200612\r\nRRULE:FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12\r\n\
    EXDATE;VALUE=DATE:20270612\r\nSUMMARY:Company\r\n  Day\r\nEND:VEVENT\r\n\
    BEGIN:VEVENT\r\nUID:c@x\r\nDTSTART;VALUE=DATE:20260601\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3\r\nSUMMARY:Inventory\r\nEND:VEVENT\r\n\
    END:VCALENDAR\r\n";

fn write(dir: &Path, ics: &str) -> String {
    std::fs::write(dir.join("plan.toml"), PLAN).unwrap();
    std::fs::write(dir.join("holidays.ics"), ics).unwrap();
    dir.join("plan.toml").to_str().unwrap().to_string()
}

/// The (date, holiday name) pairs `calendar` shows for two weeks from `from`.
fn holidays(plan: &str, from: &str) -> Vec<(String, String)> {
    let v = json(&["--plans", plan, "calendar", "--plan", "x", "--from", from, "--weeks", "2"]);
    v["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["holiday"].is_null())
        .map(|d| (d["date"].as_str().unwrap().to_string(), d["holiday"].as_str().unwrap().to_string()))
        .collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn an_ics_file_gives_its_all_day_events_and_recurrences_as_holidays() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), ICS);
    assert_eq!(
        holidays(&plan, "2026-06-01"),
        pairs(&[("2026-06-01", "Inventory"), ("2026-06-10", "Founders Day"), ("2026-06-12", "Company Day")])
    );
    // The EXDATE removes 2027; the yearly rule has no end.
    assert_eq!(holidays(&plan, "2027-06-07"), pairs(&[]));
    assert_eq!(holidays(&plan, "2031-06-09"), pairs(&[("2031-06-12", "Company Day")]));
    assert_eq!(holidays(&plan, "2026-08-03"), pairs(&[("2026-08-03", "Inventory")]));
    // COUNT=3: June, July, August only.
    assert_eq!(holidays(&plan, "2026-09-07"), pairs(&[]));
    // Thu 11 June 16:00 + 2 h: 1 h on Thursday, Friday 12 is Company Day, Monday 10:00.
    let v = json(&["--plans", &plan, "deadline", "--plan", "x", "--opened", "2026-06-11T16:00:00Z"]);
    assert_eq!(v["deadline"], "2026-06-15T10:00:00+00:00");
    // `check` accepts the file too.
    slacalc(&["check", &plan]).run().ok();
}

#[test]
fn a_timed_event_or_a_missing_file_is_an_error_at_the_ics_key() {
    let dir = tempfile::tempdir().unwrap();
    let timed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:t@x\r\n\
        DTSTART:20260610T090000Z\r\nDTEND:20260610T100000Z\r\nSUMMARY:Team offsite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let plan = write(dir.path(), timed);
    slacalc(&["--plans", &plan, "calendar", "--plan", "x", "--from", "2026-06-01"]).run().bad(&[
        "plan.toml:4:7",
        "\"Team offsite\"",
        "timed event",
    ]);
    std::fs::remove_file(dir.path().join("holidays.ics")).unwrap();
    slacalc(&["check", &plan]).run().bad(&["plan.toml:4:7", "cannot read", "holidays.ics"]);
    let plan = write(dir.path(), "not a calendar");
    slacalc(&["check", &plan]).run().bad(&["plan.toml:4:7", "holidays.ics"]);
    // An unbounded rule that is not a plain yearly date is refused.
    let weekly = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:w@x\r\n\
        DTSTART;VALUE=DATE:20260605\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Fridays\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let plan = write(dir.path(), weekly);
    slacalc(&["check", &plan]).run().bad(&["plan.toml:4:7", "\"Fridays\"", "UNTIL or COUNT"]);
}

/// What `calendar --format ics` exports reads back: its all-day events (the
/// holidays; the timed working windows are left out, as import refuses
/// timed events) as a holiday set give the same holidays, by name.
#[test]
fn exported_holidays_round_trip_through_an_ics_holiday_set() {
    let ics = slacalc(&[
        "--format",
        "ics",
        "--now",
        "2026-01-01T00:00:00Z",
        "calendar",
        "--plan",
        "gold",
        "--from",
        "2026-01-01",
        "--weeks",
        "53",
    ])
    .run()
    .ok()
    .replace("\r\n", "\n");
    let (head, rest) = ics.split_once("BEGIN:VEVENT").expect("events");
    let all_day: String = rest
        .split("BEGIN:VEVENT")
        .map(|e| e.split("END:VEVENT").next().unwrap_or(""))
        .filter(|e| e.contains("DTSTART;VALUE=DATE"))
        .map(|e| format!("BEGIN:VEVENT{e}END:VEVENT\n"))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("h.ics"), format!("{head}{all_day}END:VCALENDAR\n").replace('\n', "\r\n")).unwrap();
    let plan = "[holiday_sets.rt]\nics = \"h.ics\"\nsource = \"slacalc's own export\"\n\n\
                [calendars.rt]\nzone = \"Europe/Paris\"\nhours = { mon-fri = [\"09:00-12:00\", \"14:00-18:00\"] }\nholidays = [\"rt\"]\nsource = \"test\"\n\n\
                [[plans]]\nid = \"rt\"\nprovider = \"RT\"\ncalendar = \"rt\"\ntarget = \"4h\"\ntarget_source = \"test\"\n";
    let plan_path = dir.path().join("plan.toml");
    std::fs::write(&plan_path, plan).unwrap();
    let holidays = |args: &[&str]| -> Vec<(String, String)> {
        let r = slacalc(args).run();
        let v: serde_json::Value = serde_json::from_str(r.ok()).unwrap();
        v["days"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["holiday"].is_string())
            .map(|d| (d["date"].as_str().unwrap().to_string(), d["holiday"].as_str().unwrap().to_string()))
            .collect()
    };
    let p = plan_path.to_string_lossy().to_string();
    let back = holidays(&[
        "--plans",
        &p,
        "calendar",
        "--plan",
        "rt",
        "--from",
        "2026-01-01",
        "--weeks",
        "53",
        "--format",
        "json",
    ]);
    let shipped =
        holidays(&["calendar", "--plan", "gold", "--from", "2026-01-01", "--weeks", "53", "--format", "json"]);
    assert_eq!(back.len(), 12, "{back:?}"); // the 11 French holidays of 2026, and 1 Jan 2027
    assert_eq!(back, shipped);
}
