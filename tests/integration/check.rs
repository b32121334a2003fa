//! `slacalc check FILE...`: plan-file validation with `file:line:column`
//! errors (SPEC §2, §3, plans/README.md).

use crate::util::{json, slacalc, temp_file};

/// A plan `x` on calendar `c`, appended to calendar tests so the calendar is used.
const PLAN_ON_C: &str = r#"
[[plans]]
id = "x"
provider = "X"
calendar = "c"
target = "1h"
target_source = "s"
"#;

/// A calendar `c` (lines 1–4) with `hours` on line 3, then plan `x` using it.
fn calendar(zone: &str, hours: &str, extra: &str) -> String {
    format!("[calendars.c]\nzone = \"{zone}\"\nhours = {{ {hours} }}\n{extra}source = \"s\"\n{PLAN_ON_C}")
}

/// Runs `check` on a temp file `name` holding `text`, expecting exit 2 with
/// `name:LINE:COL` and every needle on stderr.
#[track_caller]
fn rejected(name: &str, text: &str, line_col: &str, needles: &[&str]) -> String {
    let (_dir, path) = temp_file(name, text);
    let r = slacalc(&["check", path.to_str().unwrap()]).run();
    let mut all = vec![line_col];
    all.extend_from_slice(needles);
    let want = format!("{name}:{line_col}");
    let err = r.bad(&all).to_string();
    assert!(err.contains(&want), "stderr should contain {want:?}:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_valid_user_plan_file_passes() {
    let text = r#"
[holiday_sets.acme-us]
source = "\"Closed on New Year's Day and Thanksgiving.\""
rules = [
  { name = "New Year's Day", date = "01-01" },
  { name = "Thanksgiving", nth = 4, weekday = "thu", month = 11 },
  { name = "Memorial Day", nth = -1, weekday = "mon", month = 5 },
  { name = "Office move", date = "2026-06-12" },
]

[calendars.acme]
zone = "America/New_York"
hours = { mon-thu = ["08:00-17:00"], fri = ["08:00-13:00"] }
holidays = ["acme-us"]
overrides = { "2026-12-24" = ["08:00-12:00"], "2026-12-31" = [] }
business_day = "9h"
source = "\"Mon-Thu 8-5, Fri 8-1 Eastern.\""

[[plans]]
id = "acme-business"
provider = "Acme"
aliases = ["acme"]
calendar = "acme"

[[plans.priorities]]
name = "urgent"
aliases = ["sev1"]
target = "1h"
clock = "24x7"
source = "\"Urgent: 1 hour, 24/7.\""

[[plans.priorities]]
name = "normal"
target = "1bd"
assumed = "our guess"
"#;
    let (_dir, path) = temp_file("acme.toml", text);
    let r = slacalc(&["check", path.to_str().unwrap()]).run();
    let out = r.ok();
    assert!(out.contains("acme.toml") && out.contains("ok"), "{out}");

    let d = json(&["check", path.to_str().unwrap()]);
    let rows = d.as_array().expect("check --format json is an array");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["file"], path.to_str().unwrap());
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(rows[0]["plans"], 1);
}

#[test]
fn check_without_files_validates_the_shipped_plans() {
    let d = json(&["check"]);
    let rows = d.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "ok");
    assert_eq!(rows[0]["plans"], 11);
}

#[test]
fn invalid_toml_gives_file_line_column() {
    rejected("bad.toml", "[[plans]]\nid = \"x\"\nprovider = \n", "3:12", &[]);
}

#[test]
fn unknown_key_is_named_with_its_position() {
    let text = "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"apizee\"\ntarget = \"1h\"\ntarget_source = \"s\"\ncolour = \"red\"\n";
    rejected("unk.toml", text, "7:1", &["colour"]);
}

#[test]
fn unknown_key_in_a_calendar_is_rejected() {
    let text = calendar("Europe/Paris", r#"mon-fri = ["09:00-18:00"]"#, "timezone = \"UTC\"\n");
    rejected("cal.toml", &text, "4:1", &["timezone"]);
}

#[test]
fn hour_25_is_rejected() {
    let text = calendar("Europe/Paris", r#"mon-fri = ["09:00-25:00"]"#, "");
    rejected("h25.toml", &text, "3:22", &["25:00"]);
}

#[test]
fn end_24_00_is_accepted() {
    let (_dir, path) = temp_file("h24.toml", &calendar("Europe/Paris", r#"mon-fri = ["09:00-24:00"]"#, ""));
    slacalc(&["check", path.to_str().unwrap()]).run().ok();
}

#[test]
fn unknown_time_zone_suggests_a_close_one() {
    let text = calendar("Europe/Pariss", r#"mon-fri = ["09:00-18:00"]"#, "");
    rejected("tz.toml", &text, "2:8", &["Europe/Pariss", "did you mean", "\"Europe/Paris\""]);
}

#[test]
fn overlapping_intervals_are_rejected() {
    let text = calendar("Europe/Paris", r#"mon-fri = ["09:00-13:00", "12:00-18:00"]"#, "");
    rejected("overlap.toml", &text, "3:9", &["overlap", "09:00-13:00", "12:00-18:00"]);
}

#[test]
fn overlapping_intervals_from_two_keys_are_rejected() {
    // mon-fri and mon both give Monday hours that overlap.
    let text = calendar("Europe/Paris", r#"mon-fri = ["09:00-18:00"], mon = ["17:00-19:00"]"#, "");
    let (_dir, path) = temp_file("overlap2.toml", &text);
    let r = slacalc(&["check", path.to_str().unwrap()]).run();
    r.bad(&["overlap2.toml:3:"]);
}

#[test]
fn holiday_february_30_is_rejected() {
    let text = format!(
        "[holiday_sets.h]\nsource = \"s\"\nrules = [ {{ name = \"X\", date = \"02-30\" }} ]\n{}",
        calendar("Europe/Paris", r#"mon-fri = ["09:00-18:00"]"#, "holidays = [\"h\"]\n")
    );
    rejected("feb30.toml", &text, "3:32", &["02-30"]);
}

#[test]
fn calendar_with_no_working_time_is_rejected() {
    rejected("empty.toml", &calendar("Europe/Paris", "mon-fri = []", ""), "3:9", &["no working time"]);
    rejected("empty2.toml", &calendar("Europe/Paris", "", ""), "3:9", &["no working time"]);
}

#[test]
fn alias_used_by_two_plans_is_rejected() {
    let text = r#"[[plans]]
id = "a"
provider = "X"
aliases = ["dup"]
calendar = "apizee"
target = "1h"
target_source = "s"
[[plans]]
id = "b"
provider = "X"
aliases = ["DUP"]
calendar = "apizee"
target = "1h"
target_source = "s"
"#;
    rejected("alias.toml", text, "11:12", &["dup", "plan a"]);
}

#[test]
fn alias_of_a_shipped_plan_is_rejected() {
    let text = "[[plans]]\nid = \"x\"\nprovider = \"X\"\naliases = [\"gold\"]\ncalendar = \"apizee\"\ntarget = \"1h\"\ntarget_source = \"s\"\n";
    rejected("gold-alias.toml", text, "4:12", &["\"gold\"", "apizee-gold"]);
}

#[test]
fn priority_without_provenance_is_rejected() {
    let text = "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"apizee\"\n[[plans.priorities]]\nname = \"hi\"\ntarget = \"1h\"\n";
    rejected("noprov.toml", text, "5:1", &["hi", "provenance", "source", "assumed"]);
}

#[test]
fn plan_target_without_provenance_is_rejected() {
    let text = "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"apizee\"\ntarget = \"1h\"\n";
    rejected("noprov2.toml", text, "5:10", &["provenance", "target_source"]);
}

#[test]
fn duplicate_plan_ids_in_one_file_are_rejected() {
    let one =
        "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"apizee\"\ntarget = \"1h\"\ntarget_source = \"s\"\n";
    rejected("dup.toml", &format!("{one}{one}"), "8:6", &["\"x\"", "twice"]);
}

#[test]
fn unequal_days_without_business_day_are_rejected() {
    let text = calendar("Europe/Paris", r#"mon-thu = ["09:00-18:00"], fri = ["09:00-12:00"]"#, "");
    rejected("bd.toml", &text, "3:9", &["business_day"]);
}

#[test]
fn unequal_days_with_business_day_pass_and_use_it() {
    let text =
        calendar("Europe/Paris", r#"mon-thu = ["09:00-18:00"], fri = ["09:00-12:00"]"#, "business_day = \"9h\"\n")
            .replace("target = \"1h\"", "target = \"1bd\"");
    let (_dir, path) = temp_file("bd-ok.toml", &text);
    slacalc(&["check", path.to_str().unwrap()]).run().ok();
    // 1bd = 9h: Fri 09:00–12:00 (3h) + Mon 09:00–15:00 (6h).
    let d = json(&[
        "--plans",
        path.to_str().unwrap(),
        "deadline",
        "--plan",
        "x",
        "--opened",
        "2026-11-20 09:00",
        "--now",
        "2026-11-22T12:00:00+01:00",
    ]);
    assert_eq!(d["target_seconds"], 32400);
    assert_eq!(d["deadline"], "2026-11-23T15:00:00+01:00");
}

#[test]
fn unknown_calendar_is_rejected() {
    let text =
        "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"nocal\"\ntarget = \"1h\"\ntarget_source = \"s\"\n";
    rejected("nocal.toml", text, "4:12", &["nocal"]);
}

#[test]
fn unknown_holiday_set_is_rejected() {
    let text = calendar("Europe/Paris", r#"mon-fri = ["09:00-18:00"]"#, "holidays = [\"nope\"]\n");
    rejected("noset.toml", &text, "4:13", &["nope"]);
}

#[test]
fn invalid_target_is_rejected() {
    let text = "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"apizee\"\n[[plans.priorities]]\nname = \"a\"\ntarget = \"2x\"\nsource = \"s\"\n";
    rejected("target.toml", text, "7:10", &["2x"]);
}

#[test]
fn missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.toml");
    slacalc(&["check", path.to_str().unwrap()]).run().bad(&["nope.toml"]);
}

#[test]
fn a_bad_file_loaded_with_plans_makes_other_commands_fail_too() {
    let (_dir, path) = temp_file("h25.toml", &calendar("Europe/Paris", r#"mon-fri = ["09:00-25:00"]"#, ""));
    slacalc(&["--plans", path.to_str().unwrap(), "plans", "list"]).run().bad(&["h25.toml:3:22", "25:00"]);
}

#[test]
fn unused_calendar_is_still_validated() {
    // Ids are global across files: a calendar-only file is meaningful and must be checked.
    let text = "[calendars.c]\nzone = \"Europe/Paris\"\nhours = { mon-fri = [\"09:00-25:00\"] }\nsource = \"s\"\n";
    rejected("cal-only.toml", text, "3:22", &["25:00"]);
}

/// A plan `x` with `at_risk_percent = VALUE` on line 8.
fn at_risk(value: &str) -> String {
    format!(
        "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"24x7\"\ntarget = \"4h\"\ntarget_source = \"s\"\n\nat_risk_percent = {value}\n"
    )
}

#[test]
fn an_at_risk_fraction_is_refused_with_the_percentage_meant() {
    // See: new-user trial 2026-12-06, finding 3 (0.75 read as 0.75 %).
    rejected("risk.toml", &at_risk("0.75"), "8:19", &["at_risk_percent", "0.75", "from 1 to 100", "did you mean 75?"]);
    rejected("risk.toml", &at_risk("0.5"), "8:19", &["did you mean 50?"]);
    rejected("risk.toml", &at_risk("0"), "8:19", &["at_risk_percent", "at most 100"]);
    rejected("risk.toml", &at_risk("100.5"), "8:19", &["at_risk_percent", "at most 100"]);
    for ok in ["1", "75", "80.5", "100"] {
        let (_dir, path) = temp_file("risk.toml", &at_risk(ok));
        slacalc(&["check", path.to_str().unwrap()]).run().ok();
    }
}

/// A calendar `c` on `holidays` and a plan `acme` on it (line 4 names the set).
fn acme(holidays: &str) -> String {
    format!(
        "[calendars.c]\nzone = \"America/New_York\"\nhours = {{ mon-fri = [\"09:00-17:00\"] }}\nholidays = [\"{holidays}\"]\nsource = \"s\"\n{}",
        "\n[[plans]]\nid = \"acme\"\nprovider = \"Acme\"\ncalendar = \"c\"\ntarget = \"4h\"\ntarget_source = \"s\"\n"
    )
}

#[test]
fn check_dir_validates_a_file_whose_ids_a_later_file_redefines() {
    // See: new-user trial 2026-12-06, finding 5: a-draft.toml was hidden by
    // b-final.toml and `check DIR` said ok.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-draft.toml"), acme("usa")).unwrap();
    std::fs::write(dir.path().join("b-final.toml"), acme("us")).unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [&["check", d][..], &["--plans", d, "check"]] {
        let r = slacalc(args).run();
        let e = r.bad(&["a-draft.toml:4:13", "unknown holiday set \"usa\"", "1 error in 1 file"]);
        assert!(e.contains("note:") && e.contains("b-final.toml redefines plan \"acme\" of"), "{e}");
    }
    // Both valid: ok, with the note naming both files on stderr.
    std::fs::write(dir.path().join("a-draft.toml"), acme("us")).unwrap();
    let r = slacalc(&["check", d]).run();
    assert!(r.ok().contains("ok"), "{}", r.stdout);
    assert!(
        r.stderr.contains("b-final.toml redefines plan \"acme\" of") && r.stderr.contains("a-draft.toml"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("redefines calendar \"c\""), "{}", r.stderr);
    // The same file named twice hides nothing: no note.
    let f = dir.path().join("a-draft.toml");
    let f = f.to_str().unwrap();
    let r = slacalc(&["--plans", f, "check", f]).run();
    r.ok();
    assert!(!r.stderr.contains("redefines"), "{}", r.stderr);
}
