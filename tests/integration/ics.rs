//! The iCalendar surface (SPEC §7, §8): `ics = "file.ics"` in a holiday set
//! (all-day events, yearly rules, exceptions; a timed event is an error),
//! `--format ics` output, and hostile `.ics` files and ids (audit 2026-12-06,
//! H1-H7).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::util::{json, run_with_timeout, slacalc};

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

// ------------------------------------------------------------------ hostile input (audit 2026-12-06)

/// Like [`write`], with the `.ics` as bytes.
fn write_bytes(dir: &Path, ics: &[u8]) -> String {
    std::fs::write(dir.join("plan.toml"), PLAN).unwrap();
    std::fs::write(dir.join("holidays.ics"), ics).unwrap();
    dir.join("plan.toml").to_str().unwrap().to_string()
}

/// `BEGIN:VCALENDAR … END:VCALENDAR` around `events` (CRLF line ends).
fn cal(events: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n")
}

/// Asserts `ics` output is made of CRLF-ended content lines holding no
/// control character but HTAB.
#[track_caller]
fn assert_clean_ics(out: &str) {
    assert!(out.ends_with("\r\n"), "{out:?}");
    for line in out.split_terminator("\r\n") {
        assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "raw control character in {line:?}");
    }
}

/// H1: a calendar id is an id, like a plan id: a CRLF in it would start new
/// iCalendar content lines (a forged VEVENT) in `calendar --format ics`.
#[test]
fn h1_a_calendar_id_with_line_breaks_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let bad = r#"c\r\nBEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\nSUMMARY:INJECTED\r\nEND:VEVENT"#;
    let plan = format!(
        "[calendars.\"{bad}\"]\nzone = \"UTC\"\nhours = {{ mon-fri = [\"09:00-17:00\"] }}\nsource = \"s\"\n\n\
         [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"{bad}\"\ntarget = \"2h\"\ntarget_source = \"s\"\n"
    );
    let path = dir.path().join("h1.toml");
    std::fs::write(&path, plan).unwrap();
    let p = path.to_str().unwrap();
    let err = slacalc(&["check", p])
        .run()
        .bad(&["h1.toml:1:", "invalid calendar id", "letters, digits, - and _"])
        .to_string();
    assert!(!err.contains("\r"), "{err:?}");
    slacalc(&[
        "--plans",
        p,
        "--now",
        "2026-06-01T00:00:00Z",
        "calendar",
        "--plan",
        "x",
        "--from",
        "2026-06-08",
        "--weeks",
        "1",
        "--format",
        "ics",
    ])
    .run()
    .bad(&["h1.toml:1:", "invalid calendar id"]);
    // A space or a dot is no id either; letters, digits, - and _ are.
    for (id, ok) in [("office hours", false), ("a.b", false), ("Office_24x5-eu", true)] {
        let text = format!(
            "[calendars.\"{id}\"]\nzone = \"UTC\"\nhours = {{ mon-fri = [\"09:00-17:00\"] }}\nsource = \"s\"\n"
        );
        std::fs::write(&path, text).unwrap();
        let r = slacalc(&["check", p]).run();
        if ok {
            r.ok();
        } else {
            r.bad(&["h1.toml:1:", &format!("invalid calendar id \"{id}\"")]);
        }
    }
}

const H2_PLAN: &str = r#"
[holiday_sets.h]
source = "s"
rules = [ { name = "Hol\u001b]0;pwn\u0007 \r end\u0000\u007f", date = "06-10" } ]
[calendars.c]
zone = "UTC"
hours = { mon-fri = ["09:00-17:00"] }
holidays = ["h"]
source = "s"
[[plans]]
id = "x"
provider = "Prov\u001b[2J"
calendar = "c"
[[plans.priorities]]
name = "urg\u001b]0;x\u0007"
target = "1h"
source = "s"
"#;

/// H2 (and H1's second half): ESC, BEL, NUL, DEL and a bare CR from plan
/// values never reach `--format ics` raw; they are shown escaped, as in
/// every other output, and the text stays one content line.
#[test]
fn h2_ics_output_shows_control_characters_escaped() {
    let (_d, path) = crate::util::temp_file("h2.toml", H2_PLAN);
    let p = path.to_str().unwrap();
    let now = "2026-06-01T00:00:00Z";
    let out = slacalc(&[
        "--plans",
        p,
        "--now",
        now,
        "calendar",
        "--plan",
        "x",
        "--from",
        "2026-06-08",
        "--weeks",
        "1",
        "--format",
        "ics",
    ])
    .run()
    .ok()
    .to_string();
    assert_clean_ics(&out);
    assert!(out.contains(r"SUMMARY:Hol\\x1b]0\;pwn\\x07 \\r end\\x00\\x7f"), "{out}");
    assert!(out.contains(r"SUMMARY:Prov\\x1b[2J open"), "{out}");
    let out = slacalc(&[
        "--plans",
        p,
        "--now",
        now,
        "deadline",
        "--plan",
        "x",
        "--priority",
        "p1",
        "--opened",
        "2026-06-08T10:00:00Z",
        "--format",
        "ics",
    ])
    .run()
    .ok()
    .to_string();
    assert_clean_ics(&out);
    let out = out.replace("\r\n ", "");
    assert!(out.contains(r"SUMMARY:SLA due: x urg\\x1b]0\;x\\x07 (1h)"), "{out}");
    // The description's own line breaks stay TEXT line breaks (`\n`).
    assert!(out.contains(r"DESCRIPTION:opened 2026-06-08"), "{out}");
    assert!(out.contains(r"\nclock start"), "{out}");
}

/// H3: components nested thousands deep are refused before the parser
/// (which recurses once per level) can overflow the stack; `check` too.
#[test]
fn h3_a_deeply_nested_ics_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), &format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:X\r\n".repeat(30_000)));
    run_with_timeout(&["check", &plan], 60).bad(&["plan.toml:4:7", "holidays.ics", "nested too deeply"]);
    run_with_timeout(&["--plans", &plan, "deadline", "--plan", "x", "--opened", "2026-06-08T10:00:00Z"], 60)
        .bad(&["holidays.ics", "nested too deeply"]);
}

/// H4: the work of expanding recurrences is bounded per file: 100 daily rules
/// that match once in 28 years (11 KB) are answered or refused at once, not
/// after minutes; so are rules with a COUNT they never reach.
#[test]
fn h4_rrule_expansion_work_is_bounded_per_file() {
    let dir = tempfile::tempdir().unwrap();
    for rule in
        ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1000"]
    {
        let ev = format!("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:15830101\r\nRRULE:{rule}\r\nEND:VEVENT\r\n").repeat(100);
        let plan = write(dir.path(), &cal(&ev));
        let started = Instant::now();
        let r = run_with_timeout(&["check", &plan], 20);
        let took = started.elapsed();
        r.bad(&["plan.toml:4:7", "holidays.ics", "the limit is"]);
        assert!(took < Duration::from_secs(5), "{rule}: {took:?}");
    }
    // A bounded daily rule is still expanded.
    let ev = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260608\r\nRRULE:FREQ=DAILY;UNTIL=20260610;BYDAY=MO,WE\r\nSUMMARY:Stock\r\nEND:VEVENT\r\n";
    let plan = write(dir.path(), &cal(ev));
    assert_eq!(holidays(&plan, "2026-06-08"), pairs(&[("2026-06-08", "Stock"), ("2026-06-10", "Stock")]));
}

/// H5: a COUNT beyond the engine's years (here 2^32 - 1, past i32) means no
/// end: the holiday is kept every year.
#[test]
fn h5_a_huge_count_keeps_the_holiday_every_year() {
    let dir = tempfile::tempdir().unwrap();
    for count in ["4294967295", "2147483649", "2147483648"] {
        let ev = format!(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20200612\r\nRRULE:FREQ=YEARLY;COUNT={count}\r\nSUMMARY:Company Day\r\nEND:VEVENT\r\n"
        );
        let plan = write(dir.path(), &cal(&ev));
        let v = json(&["--plans", &plan, "deadline", "--plan", "x", "--opened", "2026-06-11T16:00:00Z"]);
        assert_eq!(v["deadline"], "2026-06-15T10:00:00+00:00", "COUNT={count}");
        assert_eq!(holidays(&plan, "9998-06-08"), pairs(&[("9998-06-12", "Company Day")]), "COUNT={count}");
    }
}

/// H6: property names in any case, a fold inside a UTF-8 character, a
/// leading BOM and several VCALENDAR objects in one file (RFC 5545 §3.1, §3.4).
#[test]
fn h6_the_reader_follows_rfc_5545_on_names_folds_bom_and_streams() {
    let dir = tempfile::tempdir().unwrap();
    let ics = cal(
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260609\r\nDtEnd;VALUE=DATE:20260612\r\nSUMMARY:Closure\r\nEND:VEVENT\r\n\
                   BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260615\r\nSUMMARY:Called off\r\nStatus:CANCELLED\r\nEND:VEVENT\r\n\
                   begin:vevent\r\nuid:l@x\r\ndtstart;value=date:20260617\r\nsummary:Lower\r\nend:vevent\r\n",
    );
    let plan = write(dir.path(), &ics);
    assert_eq!(
        holidays(&plan, "2026-06-08"),
        pairs(&[
            ("2026-06-09", "Closure"),
            ("2026-06-10", "Closure"),
            ("2026-06-11", "Closure"),
            ("2026-06-17", "Lower")
        ])
    );
    // "Fête nationale", folded between the two bytes of "ê".
    let name = "Fête nationale".as_bytes();
    let i = name.iter().position(|&b| b == 0xc3).unwrap() + 1;
    let mut bytes =
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260610\r\nSUMMARY:".to_vec();
    bytes.extend_from_slice(&name[..i]);
    bytes.extend_from_slice(b"\r\n ");
    bytes.extend_from_slice(&name[i..]);
    bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    let plan = write_bytes(dir.path(), &bytes);
    assert_eq!(holidays(&plan, "2026-06-08"), pairs(&[("2026-06-10", "Fête nationale")]));
    // A BOM, then two calendars.
    let two = format!(
        "\u{feff}{}{}",
        cal("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260609\r\nSUMMARY:First\r\nEND:VEVENT\r\n"),
        cal("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260611\r\nSUMMARY:Second\r\nEND:VEVENT\r\n")
    );
    let plan = write(dir.path(), &two);
    assert_eq!(holidays(&plan, "2026-06-08"), pairs(&[("2026-06-09", "First"), ("2026-06-11", "Second")]));
}

/// H7: a FIFO with no writer, as `ics =` or as a plan-directory entry, ends
/// the run with exit 2 naming it instead of hanging.
#[test]
fn h7_a_fifo_with_no_writer_does_not_hang_the_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    let fifo = dir.path().join("holidays.ics");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs").success());
    let plan = dir.path().join("plan.toml");
    run_with_timeout(&["check", plan.to_str().unwrap()], 10).bad(&["plan.toml:4:7", "holidays.ics"]);
    let pd = dir.path().join("pd");
    std::fs::create_dir(&pd).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(pd.join("evil.toml")).status().unwrap().success());
    run_with_timeout(&["--plans", pd.to_str().unwrap(), "plans", "list"], 10).bad(&["evil.toml"]);
}

/// H7, H28: a file that is not iCalendar is named, never quoted (it may be
/// `/proc/self/environ`), and a parse error is one line, not nom's trace.
#[test]
fn h7_errors_on_a_non_ics_file_quote_no_content_and_no_parser_trace() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "SECRET_TOKEN=hunter2\0IS_SANDBOX=yes\0");
    let err = slacalc(&["check", &plan])
        .run()
        .bad(&["plan.toml:4:7", "holidays.ics", "expected BEGIN:VCALENDAR on line 1"])
        .to_string();
    assert!(!err.contains("hunter2") && !err.contains("SECRET"), "{err}");
    // Begins well, then breaks: no multi-line parser dump.
    let plan = write(dir.path(), "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260610\r\n");
    let err = slacalc(&["check", &plan]).run().bad(&["plan.toml:4:7", "holidays.ics"]).to_string();
    let first = err.lines().next().unwrap_or("");
    assert!(first.contains("holidays.ics"), "{err}");
    for nom in ["in Eof", "in Tag", "Many1", "0: at line"] {
        assert!(!err.contains(nom), "{err}");
    }
}

/// Issue: a yearly rule ending with a date-only UNTIL (the form RFC 5545
/// §3.3.10 requires for an all-day event) is read: Thanksgiving through 2035.
#[test]
fn a_date_only_until_ends_an_all_day_yearly_rule() {
    let dir = tempfile::tempdir().unwrap();
    for until in ["20351231", "20351231T000000Z"] {
        let ev = format!(
            "BEGIN:VEVENT\r\nUID:tg@x\r\nDTSTART;VALUE=DATE:20261126\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;UNTIL={until}\r\n\
             SUMMARY:Thanksgiving\r\nEND:VEVENT\r\n"
        );
        let plan = write(dir.path(), &cal(&ev));
        slacalc(&["check", &plan]).run().ok();
        assert_eq!(holidays(&plan, "2026-11-23"), pairs(&[("2026-11-26", "Thanksgiving")]), "UNTIL={until}");
        assert_eq!(holidays(&plan, "2035-11-19"), pairs(&[("2035-11-22", "Thanksgiving")]), "UNTIL={until}");
        assert_eq!(holidays(&plan, "2036-11-24"), pairs(&[]), "UNTIL={until}");
    }
}
