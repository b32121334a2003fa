//! Calendars for real contracts (SPEC §7), through the binary: overnight
//! shifts, recurring overrides, a priority on a calendar of its own, and ICS
//! export, on `examples/follow-the-sun.toml`. Every deadline is checked by
//! hand in the comment beside it.

use crate::util::{json, slacalc, temp_file};

const PLANS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/follow-the-sun.toml");

fn due(plan: &str, priority: &str, opened: &str) -> String {
    crate::util::due(&["--plans", PLANS, "--plan", plan, "--priority", priority, "--opened", opened])
}

#[test]
fn overnight_shift_deadlines_by_hand() {
    // Night shift 21:30–06:30 India time (9 h), Mon–Fri.
    // Mon 23:00 + 8 h: 7.5 h until Tue 06:30, then 0.5 h from Tue 21:30.
    assert_eq!(due("meridian-americas", "high", "2026-11-23T23:00:00+05:30"), "2026-11-24T22:00:00+05:30");
    // 2 bd = 18 h: 7.5 h (Mon night) + 9 h (Tue night) + 1.5 h from Wed 21:30.
    assert_eq!(due("meridian-americas", "normal", "2026-11-23T23:00:00+05:30"), "2026-11-25T23:00:00+05:30");
    // Opened at 03:00 on Tuesday: inside Monday's shift, the clock runs at once.
    let v = json(&[
        "--plans",
        PLANS,
        "deadline",
        "--plan",
        "meridian-americas",
        "--priority",
        "high",
        "--opened",
        "2026-11-24T03:00:00+05:30",
    ]);
    assert_eq!(v["clock_start"], "2026-11-24T03:00:00+05:30");
    // 3.5 h until 06:30, then 4.5 h from Tue 21:30.
    assert_eq!(v["deadline"], "2026-11-25T02:00:00+05:30");
}

#[test]
fn a_holiday_closes_the_shift_that_starts_on_it_not_the_one_before() {
    // Gandhi Jayanti, Fri 2026-10-02. Thursday's shift (from Thu 21:30)
    // runs into the holiday morning: Thu 23:00 + 8 h = 7.5 h until Fri
    // 06:30; Friday's own shift is closed, then the weekend; 0.5 h from Mon 21:30.
    assert_eq!(due("meridian-americas", "high", "2026-10-01T23:00:00+05:30"), "2026-10-05T22:00:00+05:30");
    // Opened on the holiday morning at 05:00: still Thursday's shift (1.5 h),
    // then 6.5 h from Mon 21:30 → Tue 04:00.
    assert_eq!(due("meridian-americas", "high", "2026-10-02T05:00:00+05:30"), "2026-10-06T04:00:00+05:30");
}

#[test]
fn the_calendar_shows_overnight_windows_on_the_day_they_start() {
    let out =
        slacalc(&["--plans", PLANS, "calendar", "--plan", "meridian-americas", "--from", "2026-09-28", "--weeks", "1"])
            .run();
    let text = out.ok();
    let line =
        |day: &str| text.lines().find(|l| l.contains(day)).unwrap_or_else(|| panic!("{day}:\n{text}")).to_string();
    let thu = line("Thu 2026-10-01");
    assert!(thu.contains("21:30-06:30") && thu.contains("9h") && thu.contains("overnight: until Fri 06:30"), "{thu}");
    let fri = line("Fri 2026-10-02");
    assert!(fri.contains("closed") && fri.contains("holiday: Gandhi Jayanti"), "{fri}");
    assert!(text.contains("critical runs on calendar meridian-24x5"), "{text}");
    // JSON: the shift is one window of Thursday, ending on Friday.
    let v =
        json(&["--plans", PLANS, "calendar", "--plan", "meridian-americas", "--from", "2026-10-01", "--weeks", "1"]);
    let thu = &v["days"][0];
    assert_eq!(thu["date"], "2026-10-01");
    assert_eq!(thu["windows"][0]["from"], "2026-10-01T21:30:00+05:30");
    assert_eq!(thu["windows"][0]["to"], "2026-10-02T06:30:00+05:30");
    assert_eq!(thu["working_seconds"], 9 * 3600);
    assert_eq!(v["days"][1]["holiday"], "Gandhi Jayanti");
    assert_eq!(v["days"][1]["working_seconds"], 0);
}

#[test]
fn critical_runs_on_its_own_24x5_calendar() {
    // 24x5 desk, Sun 22:00 UTC to Fri 22:00 UTC. Fri 21:00Z + 2 h: 1 h until
    // 22:00Z, then Sun 22:00Z + 1 h = Sun 23:00Z = Mon 04:30 India time.
    assert_eq!(due("meridian-americas", "critical", "2026-11-27T21:00:00Z"), "2026-11-30T04:30:00+05:30");
    // The same priority in EMEA, printed in Dublin time (UTC+0 in winter).
    assert_eq!(due("meridian-emea", "critical", "2026-11-27T21:00:00Z"), "2026-11-29T23:00:00+00:00");
    // The other priorities stay on the region's office hours: Fri 16:00 + 8 h
    // in Dublin = 1 h Friday, Mon 08:00 + 7 h.
    assert_eq!(due("meridian-emea", "high", "2026-11-27T16:00:00Z"), "2026-11-30T15:00:00+00:00");
}

#[test]
fn christmas_eve_is_short_every_year() {
    // Recurring "12-24" = 08:00–12:00. 2 bd = 18 h from Wed 2026-12-23 09:00:
    // 8 h Wed, 4 h on the 24th, 25th and 26th holidays and the weekend, Mon 28 08:00 + 6 h.
    assert_eq!(due("meridian-emea", "normal", "2026-12-23T09:00:00Z"), "2026-12-28T14:00:00+00:00");
    // Fri 2027-12-24 11:00 + 8 h: 1 h, then Mon 27 08:00 + 7 h.
    assert_eq!(due("meridian-emea", "high", "2027-12-24T11:00:00Z"), "2027-12-27T15:00:00+00:00");
}

#[test]
fn an_exact_override_beats_a_recurring_one_and_bad_keys_point_at_the_key() {
    let plan = |overrides: &str| {
        format!(
            "[calendars.c]\nzone = \"UTC\"\nhours = {{ mon-fri = [\"09:00-17:00\"] }}\noverrides = {{ {overrides} }}\nsource = \"s\"\n\n\
             [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\ntarget = \"2h\"\ntarget_source = \"s\"\n"
        )
    };
    let (_d, path) = temp_file("o.toml", &plan("\"12-24\" = [\"09:00-12:00\"], \"2027-12-24\" = [\"09:00-10:00\"]"));
    let p = path.to_str().unwrap();
    let d = |opened| json(&["--plans", p, "deadline", "--plan", "x", "--opened", opened])["deadline"].clone();
    // Thu 2026-12-24 11:00 + 2 h: 1 h (recurring), Fri 25 09:00 + 1 h (no holidays here).
    assert_eq!(d("2026-12-24T11:00:00Z"), "2026-12-25T10:00:00+00:00");
    // Fri 2027-12-24 09:30 + 2 h: 0.5 h (exact 09:00–10:00), Mon 27 09:00 + 1.5 h.
    assert_eq!(d("2027-12-24T09:30:00Z"), "2027-12-27T10:30:00+00:00");
    for (key, needle) in [
        ("\"2-24\" = []", "invalid override date \"2-24\""),
        ("\"02-30\" = []", "no such day \"02-30\""),
        ("\"2026-2-01\" = []", "zero-padded"),
    ] {
        let (_d, path) = temp_file("bad.toml", &plan(key));
        slacalc(&["check", path.to_str().unwrap()]).run().bad(&["bad.toml:4:15", needle]);
    }
    // An overnight weekday and a recurring override that starts before it ends.
    let night = "[calendars.c]\nzone = \"UTC\"\nhours = { mon-fri = [\"22:00-06:00\"] }\noverrides = { \"12-24\" = [\"05:00-08:00\"] }\nsource = \"s\"\n";
    let (_d, path) = temp_file("bad.toml", night);
    slacalc(&["check", path.to_str().unwrap()]).run().bad(&["bad.toml:", "overnight", "runs into 12-24 05:00-08:00"]);
}

#[test]
fn a_priority_calendar_must_exist_and_not_repeat_clock() {
    let plan = |prio: &str| {
        format!(
            "[calendars.c]\nzone = \"UTC\"\nhours = {{ mon-fri = [\"09:00-17:00\"] }}\nsource = \"s\"\n\n\
             [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\npriorities = [ {prio} ]\n"
        )
    };
    let (_d, path) =
        temp_file("bad.toml", &plan("{ name = \"a\", target = \"2h\", calendar = \"nope\", source = \"s\" }"));
    slacalc(&["check", path.to_str().unwrap()]).run().bad(&["bad.toml:10:", "unknown calendar \"nope\""]);
    let (_d, path) = temp_file(
        "bad.toml",
        &plan("{ name = \"a\", target = \"2h\", calendar = \"24x7\", clock = \"24x7\", source = \"s\" }"),
    );
    slacalc(&["check", path.to_str().unwrap()]).run().bad(&["bad.toml:10:", "both clock and calendar"]);
    // `calendar = "24x7"` is the built-in 24x7 clock.
    let (_d, path) =
        temp_file("ok.toml", &plan("{ name = \"a\", target = \"2h\", calendar = \"24x7\", source = \"s\" }"));
    let v = json(&["--plans", path.to_str().unwrap(), "deadline", "--plan", "x", "--opened", "2026-11-21T10:00:00Z"]);
    assert_eq!((v["clock"].as_str(), v["deadline"].as_str()), (Some("24x7"), Some("2026-11-21T12:00:00+00:00")));
}

#[test]
fn a_metric_may_run_on_its_own_calendar() {
    let text = "[calendars.c]\nzone = \"UTC\"\nhours = { mon-fri = [\"09:00-17:00\"] }\nsource = \"s\"\n\n\
        [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\n\
        priorities = [ { name = \"a\", target = \"2h\", resolution = \"4h\", source = \"s\" } ]\n\
        [plans.metrics.resolution]\ncalendar = \"24x7\"\n";
    let (_d, path) = temp_file("m.toml", text);
    let p = path.to_str().unwrap();
    let base = ["--plans", p, "deadline", "--plan", "x", "--priority", "a", "--opened", "2026-11-21T10:00:00Z"];
    // First response on office hours: Sat 10:00 → Mon 09:00 + 2 h.
    assert_eq!(json(&base)["deadline"], "2026-11-23T11:00:00+00:00");
    // Resolution on 24x7: Sat 14:00.
    let mut a = base.to_vec();
    a.extend(["--metric", "resolution"]);
    assert_eq!(json(&a)["deadline"], "2026-11-21T14:00:00+00:00");
}

#[test]
fn ics_export_parses_back() {
    let out = slacalc(&[
        "--plans",
        PLANS,
        "--format",
        "ics",
        "--now",
        "2026-12-01T00:00:00Z",
        "calendar",
        "--plan",
        "meridian-emea",
        "--from",
        "2026-12-21",
        "--weeks",
        "2",
    ])
    .run();
    let text = out.ok().to_string();
    let cal: icalendar::Calendar = text.parse().expect("ics parses");
    use icalendar::{Component, DatePerhapsTime};
    let events: Vec<_> = cal.events().collect();
    let holidays: Vec<(&str, Option<DatePerhapsTime>)> = events
        .iter()
        .filter(|e| matches!(e.get_start(), Some(DatePerhapsTime::Date(_))))
        .map(|e| (e.get_summary().unwrap_or_default(), e.get_start()))
        .collect();
    let date = |y, m, d| Some(DatePerhapsTime::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()));
    assert_eq!(
        holidays,
        [
            ("Christmas Day", date(2026, 12, 25)),
            ("Saint Stephen's Day", date(2026, 12, 26)),
            ("New Year's Day", date(2027, 1, 1))
        ]
    );
    // Working windows: Mon 21 – Thu 24 (short) and Mon 28 – Thu 31 (New Year's Day is Friday).
    let open = events.len() - holidays.len();
    assert_eq!(open, 8, "{text}");
    // Christmas Eve, short every year.
    assert!(text.contains("DTSTART:20261224T080000Z"), "{text}");
    assert!(text.contains("DTEND:20261224T120000Z"), "{text}");
    // The same run again writes the same bytes.
    let again = slacalc(&[
        "--plans",
        PLANS,
        "--format",
        "ics",
        "--now",
        "2026-12-01T00:00:00Z",
        "calendar",
        "--plan",
        "meridian-emea",
        "--from",
        "2026-12-21",
        "--weeks",
        "2",
    ])
    .run();
    assert_eq!(again.ok(), text);
}

#[test]
fn deadline_and_status_export_the_deadline_as_an_event() {
    let args = ["--plans", PLANS, "--now", "2026-11-24T00:00:00Z"];
    let ticket = ["--plan", "meridian-americas", "--priority", "high", "--opened", "2026-11-23T23:00:00+05:30"];
    for cmd in ["deadline", "status"] {
        let mut a = args.to_vec();
        a.extend(["--format", "ics", cmd]);
        a.extend(ticket);
        let text = slacalc(&a).run().ok().to_string();
        let cal: icalendar::Calendar = text.parse().expect("ics parses");
        use icalendar::Component;
        let e = cal.events().next().expect("one event");
        assert_eq!(e.get_summary(), Some("SLA due: meridian-americas high (8h)"));
        // 2026-11-24T22:00:00+05:30 = 16:30Z.
        assert!(text.contains("DTSTART:20261124T163000Z"), "{text}");
        if cmd == "status" {
            // now 05:30 India time: 6.5 h of 8 h used, at risk.
            assert!(e.get_description().is_some_and(|d| d.contains("state at-risk")), "{text}");
        }
    }
    // No deadline to export; other commands refuse ics; ics is not for report.
    slacalc(&[
        "--format",
        "ics",
        "deadline",
        "--plan",
        "basic",
        "--priority",
        "high",
        "--opened",
        "2026-11-20T10:00:00Z",
    ])
    .run()
    .bad(&["no deadline to export", "best-effort"]);
    slacalc(&["--format", "ics", "plans", "list"]).run().bad(&["calendar, deadline and status only"]);
    slacalc(&["--format", "html", "calendar", "--plan", "gold"]).run().bad(&["report only"]);
}
