//! Issue 9, engine items: `--explain` in another display zone, holidays inside
//! whole weeks, Easter offsets across a year boundary, offsets after 2099,
//! the fall-back day (SPEC §2: worked twice) and otter's assumed 24x7 clock.
//! Each expected answer is worked out by hand in a comment.

use serde_json::Value;

use crate::util::{json, slacalc, temp_file};

/// A fixed "now" that no test depends on (every test gives `--opened`).
const NOW: &str = "2026-11-22T12:00:00+01:00";

/// `ARGS [--now NOW] --format json`, asserting exit 0.
#[track_caller]
fn answer(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    if !a.contains(&"--now") {
        a.extend(["--now", NOW]);
    }
    json(&a)
}

/// `ARGS --now NOW` as a table, asserting exit 0.
#[track_caller]
fn table(args: &[&str]) -> String {
    let mut a = args.to_vec();
    a.extend(["--now", NOW]);
    slacalc(&a).run().ok().to_string()
}

// ------------------------------------------------------------------ offsets after 2099

#[test]
fn paris_summer_time_still_applies_in_2150() {
    // Wed 2150-07-01 12:00 in Paris is CEST (+02:00): the EU rule (last
    // Sunday of March to last Sunday of October) goes on after chrono-tz's
    // table ends in 2099. 12:00 is the lunch break, so the clock starts at
    // 14:00 and 4 h later is 18:00 the same day, still +02:00.
    let d = answer(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2150-07-01 12:00"]);
    assert_eq!(d["opened"], "2150-07-01T12:00:00+02:00");
    assert_eq!(d["clock_start"], "2150-07-01T14:00:00+02:00");
    assert_eq!(d["deadline"], "2150-07-01T18:00:00+02:00");
    // The same instant given in UTC (10:00Z) prints the same way.
    let d = answer(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2150-07-01T10:00:00Z"]);
    assert_eq!(d["opened"], "2150-07-01T12:00:00+02:00");
    // --utc: 18:00 CEST is 16:00Z.
    let d = answer(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2150-07-01 12:00", "--utc"]);
    assert_eq!(d["deadline"], "2150-07-01T16:00:00Z");
}

#[test]
fn otter_24x7_in_july_2150_is_cest() {
    // otter-premium critical: 2 h on the 24x7 clock. 2150-07-01 12:00 CEST
    // (10:00Z) + 2 h = 12:00Z = 14:00+02:00.
    let d = answer(&["deadline", "--plan", "otter-premium", "--priority", "critical", "--opened", "2150-07-01 12:00"]);
    assert_eq!(d["opened"], "2150-07-01T12:00:00+02:00");
    assert_eq!(d["deadline"], "2150-07-01T14:00:00+02:00");
}

#[test]
fn spring_forward_weekend_of_2150_is_worked_like_2026() {
    // 2150-03-27 is a Friday and the clocks go forward on Sun 2150-03-29
    // (last Sunday of March), as in 2026. SPEC §2's example shifted to 2150:
    // Fri 17:30 CET (16:30Z) + 4 h: 30 min on Friday, Mon 09:00–12:00 and
    // 14:00–14:30 CEST → Mon 2150-03-30 14:30+02:00 (12:30Z). Easter 2150 is
    // 12 April, so no holiday is in the way.
    let d = answer(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2150-03-27T16:30:00Z"]);
    assert_eq!(d["opened"], "2150-03-27T17:30:00+01:00");
    assert_eq!(d["deadline"], "2150-03-30T14:30:00+02:00");
}

#[test]
fn dst_gap_and_fold_in_2150_are_refused_with_both_offsets() {
    // 02:30 on Sun 2150-03-29 does not exist in Paris (02:00 → 03:00).
    slacalc(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2150-03-29 02:30", "--now", NOW])
        .run()
        .bad(&["2150-03-29 02:30", "does not exist", "+01:00", "+02:00"]);
    // 02:30 on Sun 2150-10-25 (last Sunday of October) happens twice.
    slacalc(&["deadline", "--plan", "gold", "--priority", "major", "--opened", "2150-10-25 02:30", "--now", NOW])
        .run()
        .bad(&["2150-10-25 02:30", "ambiguous", "+02:00", "+01:00"]);
}

#[test]
fn sydney_winter_after_2099_is_aest() {
    // Sydney is on AEST (+10:00) in July and AEDT (+11:00) in January,
    // after 2099 as before. 2150-07-01T02:00:00Z is 12:00 AEST.
    let d = answer(&[
        "deadline",
        "--plan",
        "otter-premium",
        "--priority",
        "critical",
        "--opened",
        "2150-07-01T02:00:00Z",
        "--tz",
        "Australia/Sydney",
    ]);
    assert_eq!(d["opened"], "2150-07-01T12:00:00+10:00");
    // 2151-01-15T02:00:00Z is 13:00 AEDT.
    let d = answer(&[
        "deadline",
        "--plan",
        "otter-premium",
        "--priority",
        "critical",
        "--opened",
        "2151-01-15T02:00:00Z",
        "--tz",
        "Australia/Sydney",
    ]);
    assert_eq!(d["opened"], "2151-01-15T13:00:00+11:00");
}

// ------------------------------------------------------------------ fall-back day

/// A plan whose calendar works 01:00–04:00 every day in Paris, over the small-hours DST changes.
const NIGHT_SHIFT: &str = r#"
[calendars.night]
zone = "Europe/Paris"
hours = { mon-sun = ["01:00-04:00"] }
source = "test calendar"

[[plans]]
id = "night-4h"
provider = "Test"
calendar = "night"
target = "4h"
target_source = "test"
"#;

#[test]
fn fall_back_window_lasts_four_hours() {
    let (_dir, path) = temp_file("night.toml", NIGHT_SHIFT);
    let plans = path.to_str().unwrap();
    // Sun 2026-10-25, clocks go back at 03:00 CEST (01:00Z) to 02:00 CET.
    // 01:00 CEST = 23:00Z (24th) to 04:00 CET = 03:00Z: 4 real hours, the
    // repeated 02:00–03:00 worked twice. So a 4 h target opened at 01:00 is
    // due at 04:00+01:00 the same night (the old fold cut gave 3 h that
    // night and a deadline on Monday 02:00).
    let d = answer(&["--plans", plans, "deadline", "--plan", "night-4h", "--opened", "2026-10-25 01:00"]);
    assert_eq!(d["opened"], "2026-10-25T01:00:00+02:00");
    assert_eq!(d["deadline"], "2026-10-25T04:00:00+01:00");
    // status: from Sun 00:00 to Mon 00:00 the clock ran 4 h (14,400 s).
    let s = answer(&[
        "--plans",
        plans,
        "status",
        "--plan",
        "night-4h",
        "--opened",
        "2026-10-25 00:00",
        "--responded",
        "2026-10-25T23:00:00Z",
        "--now",
        "2026-10-26T12:00:00Z",
    ]);
    assert_eq!(s["elapsed_seconds"], 14_400);
    // Spring forward, Sun 2026-03-29 (02:00 → 03:00): 01:00–02:00 CET and
    // 03:00–04:00 CEST, 2 h; the 4 h target opened at 01:00 uses 2 h that
    // night and 2 h on Monday 01:00–03:00 CEST.
    let d = answer(&["--plans", plans, "deadline", "--plan", "night-4h", "--opened", "2026-03-29 01:00"]);
    assert_eq!(d["deadline"], "2026-03-30T03:00:00+02:00");
}

// ------------------------------------------------------------------ Easter offsets across a year boundary

/// Mon–Fri 09:00–18:00 in Paris with two holidays counted from Easter far
/// enough to leave Easter's year.
const FAR_FROM_EASTER: &str = r#"
[holiday_sets.far]
source = "test rules"
rules = [
  { name = "Winter day", easter = -95 },
  { name = "Early day", easter = -100 },
]

[calendars.far]
zone = "Europe/Paris"
hours = { mon-fri = ["09:00-18:00"] }
holidays = ["far"]
source = "test calendar"

[[plans]]
id = "far-2h"
provider = "Test"
calendar = "far"
target = "2h"
target_source = "test"
"#;

#[test]
fn easter_offsets_that_leave_easters_year_fall_on_the_right_date() {
    let (_dir, path) = temp_file("far.toml", FAR_FROM_EASTER);
    let plans = path.to_str().unwrap();
    let due = |opened: &str| {
        let d = answer(&["--plans", plans, "deadline", "--plan", "far-2h", "--opened", opened]);
        d["deadline"].as_str().unwrap().to_string()
    };
    // easter = -95: Easter 2027 is 28 March, minus 95 days = Wed 2026-12-23
    // (the true holiday); Easter 2026 (5 April) minus 95 = 2025-12-31, whose
    // day of the year (the 365th) used to be marked in 2026: Thu 2026-12-31.
    // Opened Tue 2026-12-22 17:00 + 2 h: 1 h on Tuesday, Wednesday is the
    // holiday, 1 h on Thursday → Thu 2026-12-24 10:00.
    assert_eq!(due("2026-12-22 17:00"), "2026-12-24T10:00:00+01:00");
    // Opened Wed 2026-12-30 17:00 + 2 h: 1 h Wednesday, Thursday 31 is a
    // working day → Thu 2026-12-31 10:00 (not Fri 2027-01-01).
    assert_eq!(due("2026-12-30 17:00"), "2026-12-31T10:00:00+01:00");
    // easter = -100 (the issue's example): Easter 2027 (28 March) - 100 days
    // = Fri 2026-12-18. Opened Thu 2026-12-17 17:00 + 2 h: 1 h Thursday,
    // Friday is the holiday, 1 h on Monday → Mon 2026-12-21 10:00.
    assert_eq!(due("2026-12-17 17:00"), "2026-12-21T10:00:00+01:00");
    // The calendar command sees the same dates.
    let v = answer(&["--plans", plans, "calendar", "--plan", "far-2h", "--from", "2026-12-14", "--weeks", "3"]);
    let holidays: Vec<(&str, &str)> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["holiday"].is_null())
        .map(|d| (d["date"].as_str().unwrap(), d["holiday"].as_str().unwrap()))
        .collect();
    // Nothing on Sat 2026-12-26 (Easter 2026 - 100 = 2025-12-26, the old
    // phantom) nor on Thu 2026-12-31.
    assert_eq!(holidays, vec![("2026-12-18", "Early day"), ("2026-12-23", "Winter day")]);
}

// ------------------------------------------------------------------ holidays inside whole weeks

/// Plan `acme-15bd`: a 15 bd target on the shipped `apizee` calendar
/// (Paris, Mon–Fri 09:00–12:00 and 14:00–18:00, French holidays).
const FIFTEEN_BD_ON_APIZEE: &str = r#"
[[plans]]
id = "acme-15bd"
provider = "Acme"
calendar = "apizee"
target = "15bd"
target_source = "\"within fifteen business days\""
"#;

#[test]
fn explain_over_whole_weeks_lists_the_holidays_in_them() {
    let (_dir, path) = temp_file("acme.toml", FIFTEEN_BD_ON_APIZEE);
    let plans = path.to_str().unwrap();
    let args = ["--plans", plans, "deadline", "--plan", "acme-15bd", "--opened", "2026-12-13 12:00", "--explain"];
    // 15 bd = 15 × 7 h = 105 h from Mon 2026-12-14 09:00. The weeks of 14
    // and 21 December count 35 h + 28 h = 63 h (Christmas, Fri 25th, is a
    // holiday); then Mon 28 – Thu 31 December 4 × 7 h = 28 h (91 h), New
    // Year's Day on Friday, Mon 4 January 7 h (98 h) and Tue 5 January 7 h:
    // due Tue 2027-01-05 18:00.
    let d = answer(&args);
    assert_eq!(d["deadline"], "2027-01-05T18:00:00+01:00");
    let steps = d["explain"].as_array().unwrap();
    let weeks: Vec<_> = steps.iter().filter(|s| s["step"] == "weeks").collect();
    assert_eq!(weeks.len(), 1, "the whole weeks are still taken at once: {steps:?}");
    assert_eq!(weeks[0]["from_date"], "2026-12-14");
    assert_eq!(weeks[0]["to_date"], "2026-12-28");
    assert_eq!(weeks[0]["seconds"], 63 * 3600);
    let holidays: Vec<(&str, &str)> = steps
        .iter()
        .filter(|s| s["step"] == "holiday")
        .map(|s| (s["date"].as_str().unwrap(), s["name"].as_str().unwrap()))
        .collect();
    assert_eq!(holidays, vec![("2026-12-25", "Christmas Day"), ("2027-01-01", "New Year's Day")]);
    // In order: the weeks, Christmas inside them, then the days of 28 December on.
    let order: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).take(3).collect();
    assert_eq!(order, ["weeks", "holiday", "worked"]);
    // The table lists Christmas too, right after the weeks row.
    let out = table(&args);
    let weeks_row = out.find("2 whole weeks").expect("weeks row");
    let christmas = out.find("holiday: Christmas Day").expect("Christmas row");
    let next_day = out.find("Mon 2026-12-28").expect("28 December row");
    assert!(weeks_row < christmas && christmas < next_day, "{out}");
    assert!(out.contains("Fri 2026-12-25"), "{out}");
}

#[test]
fn status_explain_over_whole_weeks_lists_the_holidays_in_them() {
    // status measures elapsed time with the same walk: from Sun 2026-12-13
    // to Mon 2027-01-04 00:00 the clock ran 63 h + 28 h = 91 h, over
    // Christmas (in the whole weeks) and New Year's Day (a day walked).
    let (_dir, path) = temp_file("acme.toml", FIFTEEN_BD_ON_APIZEE);
    let plans = path.to_str().unwrap();
    let s = answer(&[
        "--plans",
        plans,
        "status",
        "--plan",
        "acme-15bd",
        "--opened",
        "2026-12-13 12:00",
        "--now",
        "2027-01-04T00:00:00+01:00",
        "--explain",
    ]);
    assert_eq!(s["elapsed_seconds"], 91 * 3600);
    let names: Vec<&str> = s["explain"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["step"] == "holiday")
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Christmas Day", "New Year's Day"]);
}

// ------------------------------------------------------------------ --explain in another display zone

/// A vendor in Tokyo (UTC+9, no DST): Mon–Fri 09:00–18:00, 23 November a holiday.
const TOKYO: &str = r#"
[holiday_sets.tokyo-test]
source = "test rules"
rules = [ { name = "Labour Thanksgiving Day", date = "11-23" } ]

[calendars.tokyo]
zone = "Asia/Tokyo"
hours = { mon-fri = ["09:00-18:00"] }
holidays = ["tokyo-test"]
source = "test calendar"

[[plans]]
id = "tokyo-support"
provider = "Test KK"
calendar = "tokyo"

[[plans.priorities]]
name = "urgent"
target = "2h"
source = "test"

[[plans.priorities]]
name = "normal"
target = "8h"
source = "test"

[[plans.priorities]]
name = "slow"
target = "10bd"
source = "test"
"#;

/// The explain table's rows (the lines between the header and the bottom
/// border), cells trimmed.
fn rows(out: &str) -> Vec<Vec<String>> {
    out.lines()
        .skip_while(|l| !l.starts_with("How the clock ran"))
        .filter(|l| l.starts_with('│'))
        .skip(1)
        .map(|l| l.trim_matches('│').split('┆').map(|c| c.trim().to_string()).collect())
        .collect()
}

#[test]
fn explain_rows_are_dated_in_the_display_zone() {
    let (_dir, path) = temp_file("tokyo.toml", TOKYO);
    let plans = path.to_str().unwrap();
    let args = |priority| {
        [
            "--plans",
            plans,
            "deadline",
            "--plan",
            "tokyo-support",
            "--priority",
            priority,
            "--opened",
            "2026-11-25 15:00",
            "--tz",
            "America/New_York",
            "--explain",
        ]
    };
    // Opened Wed 2026-11-25 15:00 EST (read in --tz) = 20:00Z = Thu 05:00 in
    // Tokyo; the clock starts Thu 09:00 JST = 00:00Z = Wed 19:00 EST. 2 h
    // later: Thu 11:00 JST = 02:00Z = Wed 21:00 EST. The row is dated Wed,
    // like its times and the deadline line (it used to say Thu 2026-11-26,
    // the vendor's date).
    let out = table(&args("urgent"));
    assert_eq!(rows(&out), vec![vec!["Wed 2026-11-25", "19:00–21:00", "2h", "2h"]], "{out}");
    assert!(out.contains("deadline: Wed 2026-11-25 21:00"), "{out}");
    assert!(!out.contains("Thu 2026-11-26"), "{out}");
    // 8 h: Thu 09:00–17:00 JST = Wed 19:00 – Thu 03:00 EST: one row on the
    // Wednesday, its end marked as the next day's.
    let out = table(&args("normal"));
    assert_eq!(rows(&out), vec![vec!["Wed 2026-11-25", "19:00–03:00 (+1d)", "8h", "8h"]], "{out}");
    assert!(out.contains("deadline: Thu 2026-11-26 03:00"), "{out}");
    // JSON: `date` is the date `from` shows, `calendar_date` the vendor's working day.
    let d = answer(&args("normal"));
    assert_eq!(d["deadline"], "2026-11-26T03:00:00-05:00");
    let w = &d["explain"][0];
    assert_eq!(w["date"], "2026-11-25");
    assert_eq!(w["calendar_date"], "2026-11-26");
    assert_eq!(w["from"], "2026-11-25T19:00:00-05:00");
    assert_eq!(w["to"], "2026-11-26T03:00:00-05:00");
}

#[test]
fn explain_in_another_zone_names_the_calendars_zone_for_holidays_and_weeks() {
    let (_dir, path) = temp_file("tokyo.toml", TOKYO);
    let plans = path.to_str().unwrap();
    // Opened Sat 2026-11-21 09:00 EST = Sat 23:00 JST. Mon 23 November is the
    // Tokyo holiday, so the clock starts Tue 24th 09:00 JST = Mon 19:00 EST.
    // 10 bd = 90 h: the weeks of 23 and 30 November (Tokyo dates) count
    // 36 h + 45 h = 81 h, then Mon 7 December 09:00–18:00 JST = Sun 6
    // December 19:00 – Mon 04:00 EST: due Mon 2026-12-07 04:00 EST.
    let out = table(&[
        "--plans",
        plans,
        "deadline",
        "--plan",
        "tokyo-support",
        "--priority",
        "slow",
        "--opened",
        "2026-11-21 09:00",
        "--tz",
        "America/New_York",
        "--explain",
    ]);
    assert!(out.contains("2026-12-07T04:00:00-05:00"), "{out}");
    // (The table may wrap "2 whole weeks in Asia/Tokyo" at 80 columns.)
    assert!(out.contains("2 whole weeks in"), "{out}");
    assert!(out.contains("Mon 2026-11-23"), "the holiday keeps its Tokyo date: {out}");
    assert!(out.contains("holiday in Asia/Tokyo"), "{out}");
    assert_eq!(out.matches("Asia/Tokyo").count(), 2, "the weeks row and the holiday row: {out}");
    assert!(
        rows(&out).contains(&vec!["Sun 2026-12-06".into(), "19:00–04:00 (+1d)".into(), "9h".into(), "90h".into()]),
        "{out}"
    );
    // In the calendar's own zone nothing is qualified.
    let out = table(&[
        "--plans",
        plans,
        "deadline",
        "--plan",
        "tokyo-support",
        "--priority",
        "slow",
        "--opened",
        "2026-11-21 23:00",
        "--explain",
    ]);
    assert!(out.contains("holiday: Labour") && out.contains("2 whole weeks ") && !out.contains("weeks in"), "{out}");
    assert!(
        rows(&out).contains(&vec!["Mon 2026-12-07".into(), "09:00–18:00".into(), "9h".into(), "90h".into()]),
        "{out}"
    );
}

// ------------------------------------------------------------------ assumed 24x7 clock

#[test]
fn otter_critical_deadlines_rest_on_an_assumed_clock() {
    // otter-extended critical: "4 heures" is quoted, the 24x7 clock is
    // assumed ("work continuously"), so the answer is assumed. Fri 17:30 +
    // 4 real hours = 21:30 the same evening.
    for (plan, due) in [("otter-extended", "2026-11-20T21:30:00+01:00"), ("otter-premium", "2026-11-20T19:30:00+01:00")]
    {
        let d = answer(&["deadline", "--plan", plan, "--priority", "critical", "--opened", "2026-11-20 17:30"]);
        assert_eq!(d["clock"], "24x7");
        assert_eq!(d["deadline"], due);
        assert_eq!(d["assumed"], true, "{plan}: the 24x7 clock is assumed");
        let a = d["assumptions"].as_array().unwrap();
        assert_eq!(a.len(), 1, "{a:?}");
        assert!(a[0].as_str().unwrap().contains("24x7") && a[0].as_str().unwrap().contains("work continuously"));
        // status carries the same provenance.
        let s = answer(&[
            "status",
            "--plan",
            plan,
            "--priority",
            "critical",
            "--opened",
            "2026-11-20 17:30",
            "--now",
            "2026-11-20T18:00:00+01:00",
        ]);
        assert_eq!(s["assumed"], true);
    }
    // A quoted target on the business clock stays not assumed (its
    // calendar's assumed figures are listed, but they are not the target):
    // otter-extended high, "Jusqu'à 1 jour ouvrable".
    let d = answer(&["deadline", "--plan", "otter-extended", "--priority", "high", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["clock"], "business");
    assert_eq!(d["assumed"], false);
    // otter-basic critical, 1 bd on the business clock: not assumed either.
    let d = answer(&["deadline", "--plan", "otter-basic", "--priority", "critical", "--opened", "2026-11-20 17:30"]);
    assert_eq!(d["assumed"], false);
}
