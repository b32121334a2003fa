//! Loading plan files from hostile places (SPEC §8): unreadable directory
//! entries, devices and FIFOs, `SLACALC_PLANS` parsing, calendars closed for a
//! whole year, item limits, strict dates, aliases blamed on the right file,
//! `check` reporting every error, and messages cut to a readable length.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::{run_with_timeout, slacalc, temp_file};

/// A minimal valid plan `acme` (alias `acme-alias`) on the 24x7 clock.
const ACME: &str = r#"
[[plans]]
id = "acme"
provider = "Acme"
aliases = ["acme-alias"]
calendar = "24x7"
target = "1h"
target_source = "s"
"#;

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

// ------------------------------------------------------------------ 1. unreadable entries

#[test]
fn a_dangling_symlink_in_a_plan_dir_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing-target.toml"), dir.path().join("gold.toml")).unwrap();
    let r = slacalc(&["--plans", s(dir.path()), "plans", "show", "gold"]).run();
    r.bad(&["gold.toml", "cannot read"]);
}

#[test]
fn a_symlink_loop_in_a_plan_dir_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path().join("b.toml"), dir.path().join("a.toml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("a.toml"), dir.path().join("b.toml")).unwrap();
    let r = slacalc(&["--plans", s(dir.path()), "plans", "list"]).run();
    r.bad(&["a.toml", "cannot read"]);
}

#[test]
fn a_directory_named_like_a_plan_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("gold.toml")).unwrap();
    let r = slacalc(&["--plans", s(dir.path()), "deadline", "--plan", "gold", "--opened", "2026-11-20 10:00"]).run();
    r.bad(&["gold.toml", "directory"]);
}

#[test]
fn an_unreadable_plan_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gold.toml");
    std::fs::write(&path, ACME).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&path).is_ok() {
        // Root reads it whatever its mode: nothing to test here.
        return;
    }
    let r = slacalc(&["--plans", s(dir.path()), "plans", "list"]).run();
    r.bad(&["gold.toml", "cannot read"]);
}

#[test]
fn other_entries_of_a_plan_dir_are_still_ignored() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("acme.toml"), ACME).unwrap();
    std::fs::write(dir.path().join("README.md"), "not toml").unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("notes.txt")).unwrap();
    let r = slacalc(&["--plans", s(dir.path()), "plans", "show", "acme"]).run();
    assert!(r.ok().contains("acme"));
}

// ------------------------------------------------------------------ 2. bounded reads

#[test]
fn plans_from_dev_zero_are_refused_after_one_mib() {
    let r = run_with_timeout(&["--plans", "/dev/zero", "plans", "list"], 30);
    r.bad(&["/dev/zero", "1 MiB"]);
}

#[test]
fn check_of_dev_zero_is_refused_after_one_mib() {
    let r = run_with_timeout(&["check", "/dev/zero"], 30);
    r.bad(&["/dev/zero", "1 MiB"]);
}

#[test]
fn an_endless_fifo_is_refused_after_one_mib() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("plans.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&writer_path) else { return };
        let line = [b'#'; 4096];
        // Writes until the reader goes away (EPIPE).
        while f.write_all(&line).is_ok() {}
    });
    let r = run_with_timeout(&["check", s(&fifo)], 30);
    r.bad(&["plans.toml", "1 MiB"]);
    writer.join().unwrap();
}

#[test]
fn a_file_of_exactly_one_mib_is_read_and_one_byte_more_is_not() {
    let mut text = String::from(ACME);
    text.push('#');
    while text.len() < 1 << 20 {
        text.push('x');
    }
    let (_d, at_limit) = temp_file("big.toml", &text);
    slacalc(&["check", s(&at_limit)]).run().ok();
    text.push('x');
    let (_d2, over) = temp_file("bigger.toml", &text);
    slacalc(&["check", s(&over)]).run().bad(&["bigger.toml", "1 MiB"]);
}

// ------------------------------------------------------------------ 3. SLACALC_PLANS and --plans

#[test]
fn empty_parts_of_slacalc_plans_are_ignored() {
    let (dir, _path) = temp_file("acme.toml", ACME);
    for env in ["", ":", "::", &format!("{}:", s(dir.path())), &format!("::{}::", s(dir.path()))] {
        let r = slacalc(&["plans", "list", "--format", "json"]).env("SLACALC_PLANS", env).run();
        let list = r.json();
        let n = list.as_array().map(Vec::len).or_else(|| list["plans"].as_array().map(Vec::len)).unwrap();
        let want = if env.contains("tmp") || env.len() > 2 { 12 } else { 11 };
        assert_eq!(n, want, "SLACALC_PLANS={env:?}\n{}", r.stderr);
    }
}

#[test]
fn slacalc_plans_splits_on_colons() {
    let (d1, _p1) = temp_file("acme.toml", ACME);
    let (d2, _p2) =
        temp_file("other.toml", &ACME.replace("\"acme\"", "\"other\"").replace("acme-alias", "other-alias"));
    let env = format!("{}:{}", s(d1.path()), s(d2.path()));
    slacalc(&["plans", "show", "acme"]).env("SLACALC_PLANS", &env).run().ok();
    slacalc(&["plans", "show", "other"]).env("SLACALC_PLANS", &env).run().ok();
}

#[test]
fn a_plans_flag_is_one_path_never_split() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a:b.toml");
    std::fs::write(&path, ACME).unwrap();
    let r = slacalc(&["--plans", s(&path), "plans", "show", "acme"]).run();
    assert!(r.ok().contains("acme"));
    // Repeatable.
    let (d2, p2) = temp_file("other.toml", &ACME.replace("\"acme\"", "\"other\"").replace("acme-alias", "other-alias"));
    let r = slacalc(&["--plans", s(&path), "--plans", s(&p2), "plans", "show", "other"]).run();
    r.ok();
    drop(d2);
}

#[test]
fn an_empty_plans_flag_is_an_error_not_a_silent_nothing() {
    slacalc(&["--plans", "", "plans", "list"]).run().bad(&["--plans"]);
}

// ------------------------------------------------------------------ 4. a year with no working time

/// A calendar `c` (Mon–Fri 09:00–17:00) with holiday set `h` of `rules` and
/// `overrides`, and plan `x` on it.
fn calendar_with(rules: &str, overrides: &str) -> String {
    format!(
        "[holiday_sets.h]\nsource = \"s\"\nrules = [\n{rules}]\n\n[calendars.c]\nzone = \"Europe/Paris\"\n\
         hours = {{ mon-fri = [\"09:00-17:00\"] }}\nholidays = [\"h\"]\noverrides = {{ {overrides} }}\nsource = \"s\"\n\n\
         [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\ntarget = \"1h\"\ntarget_source = \"s\"\n"
    )
}

/// Every Monday–Friday of `year`, as `YYYY-MM-DD`.
fn weekdays_of(year: i32) -> Vec<String> {
    use chrono::Datelike;
    let mut d = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let mut out = Vec::new();
    while d.year() == year {
        if d.weekday().num_days_from_monday() < 5 {
            out.push(d.format("%Y-%m-%d").to_string());
        }
        d = d.succ_opt().unwrap();
    }
    out
}

#[test]
fn explicit_holidays_on_every_working_day_of_a_year_are_refused() {
    let mut rules = String::new();
    for d in weekdays_of(2027) {
        writeln!(rules, "  {{ name = \"closed\", date = \"{d}\" }},").unwrap();
    }
    let (_d, path) = temp_file("closed.toml", &calendar_with(&rules, ""));
    let err = slacalc(&["check", s(&path)]).run().bad(&["closed.toml:", "no working time", "2027"]).to_string();
    assert!(err.contains(" | "), "caret display expected:\n{err}");
    // Commands that load the plan refuse it too.
    slacalc(&["--plans", s(&path), "plans", "list"]).run().bad(&["no working time", "2027"]);
}

#[test]
fn closed_overrides_on_every_working_day_of_a_year_are_refused() {
    let overrides: Vec<String> = weekdays_of(2031).iter().map(|d| format!("\"{d}\" = []")).collect();
    let (_d, path) = temp_file("closed.toml", &calendar_with("", &overrides.join(", ")));
    slacalc(&["check", s(&path)]).run().bad(&["closed.toml:", "no working time", "2031"]);
}

#[test]
fn fixed_holidays_on_every_day_close_every_year() {
    let mut rules = String::new();
    let mut d = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    while d.format("%Y").to_string() == "2000" {
        writeln!(rules, "  {{ name = \"closed\", date = \"{}\" }},", d.format("%m-%d")).unwrap();
        d = d.succ_opt().unwrap();
    }
    let (_d, path) = temp_file("closed.toml", &calendar_with(&rules, ""));
    slacalc(&["check", s(&path)]).run().bad(&["closed.toml:", "no working time"]);
}

#[test]
fn one_working_day_left_in_the_year_is_enough() {
    let days = weekdays_of(2027);
    let mut rules = String::new();
    for d in &days[1..] {
        writeln!(rules, "  {{ name = \"closed\", date = \"{d}\" }},").unwrap();
    }
    let (_d, path) = temp_file("open.toml", &calendar_with(&rules, ""));
    slacalc(&["check", s(&path)]).run().ok();
    // A worked Saturday opens the year too.
    let mut all = String::new();
    for d in &days {
        writeln!(all, "  {{ name = \"closed\", date = \"{d}\" }},").unwrap();
    }
    let (_d2, path) = temp_file("saturday.toml", &calendar_with(&all, "\"2027-03-06\" = [\"09:00-12:00\"]"));
    slacalc(&["check", s(&path)]).run().ok();
}

// ------------------------------------------------------------------ 5. closed days count

#[test]
fn closed_day_overrides_count_toward_the_item_limit() {
    use chrono::Datelike;
    // Mon–Fri hours are 5 intervals; 996 Mondays closed make 1,001 items. No
    // year is fully closed, but the list is too long.
    let mut d = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    assert_eq!(d.weekday(), chrono::Weekday::Mon);
    let mut overrides = Vec::new();
    for _ in 0..996 {
        overrides.push(format!("\"{}\" = []", d.format("%Y-%m-%d")));
        d += chrono::Duration::days(7);
    }
    let (_d, path) = temp_file("many.toml", &calendar_with("", &overrides.join(", ")));
    slacalc(&["check", s(&path)]).run().bad(&["many.toml:", "calendar has 1001 intervals", "limit is 1000"]);
    overrides.pop();
    let (_d2, path) = temp_file("enough.toml", &calendar_with("", &overrides.join(", ")));
    slacalc(&["check", s(&path)]).run().ok();
}

// ------------------------------------------------------------------ 6. strict dates

#[test]
fn override_dates_must_be_zero_padded() {
    let text = calendar_with("", "\"2026-3-2\" = [], \"2026-03-02\" = [\"09:00-12:00\"]");
    let (_d, path) = temp_file("dates.toml", &text);
    slacalc(&["check", s(&path)]).run().bad(&["dates.toml:", "\"2026-3-2\"", "YYYY-MM-DD"]);
}

#[test]
fn holiday_dates_must_be_zero_padded() {
    let (_d, path) = temp_file("dates.toml", &calendar_with("  { name = \"odd\", date = \"2026-3-2\" },\n", ""));
    slacalc(&["check", s(&path)]).run().bad(&["dates.toml:", "\"2026-3-2\"", "YYYY-MM-DD"]);
    for bad in ["+2026-03-02", "2026-03-2", "20260-03-02", " 2026-03-02"] {
        let (_d, path) =
            temp_file("dates.toml", &calendar_with(&format!("  {{ name = \"odd\", date = \"{bad}\" }},\n"), ""));
        slacalc(&["check", s(&path)]).run().bad(&["dates.toml:", bad]);
    }
}

#[test]
fn the_same_override_date_twice_is_an_error() {
    // TOML itself refuses the same key spelled with and without quotes.
    let (_d, path) = temp_file("dup.toml", &calendar_with("", "\"2026-03-02\" = [], 2026-03-02 = [\"09:00-12:00\"]"));
    slacalc(&["check", s(&path)]).run().bad(&["dup.toml:"]);
}

// ------------------------------------------------------------------ 7. aliases blamed on the user's file

#[test]
fn a_user_plan_id_equal_to_a_shipped_alias_is_blamed_on_the_user_file() {
    let text = ACME.replace("id = \"acme\"", "id = \"gold\"");
    let (_d, path) = temp_file("mine.toml", &text);
    let err = slacalc(&["check", s(&path)]).run().bad(&["mine.toml:3:", "apizee-gold", "gold"]).to_string();
    assert!(!err.contains("embedded:apizee.toml:"), "blamed on the embedded file:\n{err}");
    slacalc(&["--plans", s(&path), "plans", "list"]).run().bad(&["mine.toml:3:", "apizee-gold"]);
}

#[test]
fn a_user_override_taking_a_shipped_alias_is_blamed_on_the_user_file() {
    // apizee-bronze comes before apizee-gold in load order; its override takes "gold".
    let text = r#"
[[plans]]
id = "apizee-bronze"
provider = "Apizee"
aliases = ["bronze", "gold"]
calendar = "24x7"
target = "1h"
target_source = "s"
"#;
    let (_d, path) = temp_file("mine.toml", text);
    let err = slacalc(&["check", s(&path)]).run().bad(&["mine.toml:5:22", "apizee-gold", "\"gold\""]).to_string();
    assert!(!err.contains("embedded:apizee.toml:"), "blamed on the embedded file:\n{err}");
}

#[test]
fn a_new_user_plan_taking_a_shipped_alias_is_still_blamed_on_it() {
    let text = ACME.replace("[\"acme-alias\"]", "[\"silver\"]");
    let (_d, path) = temp_file("mine.toml", &text);
    slacalc(&["check", s(&path)]).run().bad(&["mine.toml:5:12", "apizee-silver"]);
}

// ------------------------------------------------------------------ 8. check reports every error

#[test]
fn check_reports_every_error_of_every_file() {
    let two_bad_plans = r#"[[plans]]
id = "one"
provider = "X"
calendar = "nowhere"
target = "1h"
target_source = "s"

[[plans]]
id = "two"
provider = "X"
calendar = "24x7"
target = "1 hour"
target_source = "s"
"#;
    let syntax = "[[plans]\nid = \"x\"\n";
    let (_d1, p1) = temp_file("first.toml", two_bad_plans);
    let (_d2, p2) = temp_file("second.toml", syntax);
    let (_d3, p3) = temp_file("fine.toml", ACME);
    let r = slacalc(&["check", s(&p1), s(&p3), s(&p2)]).run();
    let err = r.bad(&[
        "first.toml:4:12",
        "unknown calendar \"nowhere\"",
        "first.toml:12:10",
        "second.toml:1:",
        "3 errors in 2 files",
    ]);
    // Each error keeps its caret display, and errors are separated by a blank line.
    assert!(err.matches(" | ").count() >= 3, "{err}");
    assert!(err.contains("\n\n"), "{err}");
    assert!(err.trim_end().ends_with("3 errors in 2 files"), "{err}");
}

#[test]
fn check_reports_every_bad_priority_and_calendar_of_a_file() {
    let text = r#"[calendars.c]
zone = "Europe/Pariss"
hours = { mon-fri = ["09:00-17:00"] }
source = "s"

[[plans]]
id = "x"
provider = "X"
calendar = "c"

[[plans.priorities]]
name = "high"
target = "4 hours"
source = "s"

[[plans.priorities]]
name = "low"
target = "2bd"
"#;
    let (_d, path) = temp_file("many.toml", text);
    let r = slacalc(&["check", s(&path)]).run();
    r.bad(&["many.toml:2:8", "Europe/Pariss", "many.toml:13:10", "many.toml:16:1", "3 errors in 1 file"]);
}

#[test]
fn check_reports_an_unreadable_file_and_goes_on() {
    let (_d, bad) = temp_file("bad.toml", "[[plans]]\nid = 3\n");
    let r = slacalc(&["check", "/nonexistent/x.toml", s(&bad)]).run();
    r.bad(&["/nonexistent/x.toml", "bad.toml:2:", "2 errors in 2 files"]);
}

#[test]
fn one_error_is_counted_in_the_singular() {
    let (_d, bad) = temp_file("bad.toml", "[[plans]]\nid = 3\n");
    let r = slacalc(&["check", s(&bad)]).run();
    r.bad(&["bad.toml:2:", "1 error in 1 file"]);
}

// ------------------------------------------------------------------ 9. messages cut to a readable length

#[test]
fn the_known_plans_list_is_capped() {
    let mut text = String::new();
    for i in 0..200 {
        writeln!(
            text,
            "[[plans]]\nid = \"vendor-{i:03}\"\nprovider = \"V\"\ncalendar = \"24x7\"\ntarget = \"1h\"\ntarget_source = \"s\"\n"
        )
        .unwrap();
    }
    let (_d, path) = temp_file("many.toml", &text);
    let r = slacalc(&["--plans", s(&path), "plans", "show", "qqqqqqqqqqqqq"]).run();
    let err = r.bad(&["unknown plan \"qqqqqqqqqqqqq\"", "more"]).to_string();
    assert!(err.len() < 600, "{} bytes:\n{err}", err.len());
}

#[test]
fn a_huge_unknown_plan_name_is_cut() {
    let name = "z".repeat(100_000);
    let r = slacalc(&["plans", "show", &name]).run();
    let err = r.bad(&["unknown plan", "…"]).to_string();
    assert!(err.len() < 1000, "{} bytes", err.len());
}

#[test]
fn a_huge_alias_is_cut_in_messages() {
    let alias = "a".repeat(50_000);
    let text = format!(
        "{}{}",
        ACME.replace("acme-alias", &alias),
        ACME.replace("\"acme\"", "\"beta\"").replace("acme-alias", &alias)
    );
    let (_d, path) = temp_file("huge.toml", &text);
    let err = slacalc(&["check", s(&path)]).run().bad(&["huge.toml:", "already used", "…"]).to_string();
    assert!(err.len() < 2000, "{} bytes", err.len());
}
