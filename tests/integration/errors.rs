//! Bad input: exit 2, nothing on stdout, a message naming the value and what
//! was expected (SPEC §3). Plus `completions`.

use crate::util::{Run, slacalc, temp_file};

const NOW: &str = "2026-11-22T12:00:00+01:00";

/// `deadline ARGS --now NOW` (table format: an error must leave stdout empty whatever the format).
fn deadline(args: &[&str]) -> Run {
    let mut a = vec!["deadline"];
    a.extend_from_slice(args);
    a.extend(["--now", NOW]);
    slacalc(&a).run()
}

#[track_caller]
fn no_panic(r: &Run) {
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

// ------------------------------------------------------------------ plans and priorities

#[test]
fn unknown_plan_suggests_close_names() {
    let r = deadline(&["--plan", "gld", "--priority", "major"]);
    r.bad(&["unknown plan \"gld\"", "did you mean", "gold"]);
    let r = deadline(&["--plan", "apizee-gol", "--priority", "major"]);
    r.bad(&["unknown plan \"apizee-gol\"", "did you mean", "\"apizee-gold\""]);
}

#[test]
fn plan_names_are_not_prefix_matched() {
    deadline(&["--plan", "apizee", "--priority", "major"]).bad(&["unknown plan \"apizee\""]);
    deadline(&["--plan", "gol", "--priority", "major"]).bad(&["unknown plan \"gol\""]);
}

#[test]
fn unknown_priority_lists_the_valid_ones() {
    let r = deadline(&["--plan", "gold", "--priority", "urgent"]);
    r.bad(&[
        "error: unknown priority \"urgent\" for plan apizee-gold (expected one of: major, moderate, minor, p1, p2, p3)",
    ]);
}

#[test]
fn unknown_priority_lists_aliases_too() {
    let r = deadline(&["--plan", "cirrus-premium", "--priority", "p4"]);
    r.bad(&["\"p4\"", "cirrus-premium", "critical", "major", "minor", "p1", "p2", "p3"]);
}

#[test]
fn missing_priority_where_required() {
    deadline(&["--plan", "gold"]).bad(&["apizee-gold", "--priority", "major, moderate, minor"]);
    deadline(&["--plan", "otter-basic"]).bad(&["otter-basic", "--priority", "critical, high, medium, low"]);
    let r = slacalc(&["status", "--plan", "cloud", "--opened", "2026-11-20 10:00", "--now", NOW]).run();
    r.bad(&["biings-cloud", "--priority", "down"]);
}

// ------------------------------------------------------------------ instants

#[test]
fn malformed_instants_are_rejected() {
    for bad in [
        "2026-13-01 10:00",
        "2026-02-30T10:00",
        "2026-11-20 25:00",
        "2026-11-20 10:60",
        "",
        "2026-11-20 10:00xyz",
        "2026-11-20T10:00:00+01:00 garbage",
        "tomorrow",
        "20/11/2026 10:00",
    ] {
        let r = deadline(&["--plan", "gold", "--priority", "major", "--opened", bad]);
        no_panic(&r);
        r.bad(&["--opened", &format!("\"{bad}\""), "expected"]);
    }
}

#[test]
fn malformed_now_and_responded_are_rejected() {
    let r = slacalc(&["deadline", "--plan", "gold", "--priority", "major", "--now", "2026-13-01 10:00"]).run();
    r.bad(&["--now", "\"2026-13-01 10:00\""]);
    let r = slacalc(&["deadline", "--plan", "gold", "--priority", "major"]).env("SLACALC_NOW", "garbage").run();
    r.bad(&["\"garbage\""]);
    let r = slacalc(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 10:00",
        "--responded",
        "2026-11-20 99:00",
        "--now",
        NOW,
    ])
    .run();
    r.bad(&["--responded", "\"2026-11-20 99:00\""]);
}

#[test]
fn dst_gap_names_both_offsets() {
    let r = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-03-29 02:30"]);
    r.bad(&["2026-03-29 02:30", "Europe/Paris", "+01:00", "+02:00"]);
}

#[test]
fn dst_fold_names_both_offsets() {
    let r = deadline(&["--plan", "gold", "--priority", "major", "--opened", "2026-10-25 02:30"]);
    r.bad(&["2026-10-25 02:30", "Europe/Paris", "+01:00", "+02:00"]);
}

#[test]
fn dst_gap_in_tz_names_that_zones_offsets() {
    let r = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-03-08 02:30",
        "--tz",
        "America/New_York",
    ]);
    r.bad(&["2026-03-08 02:30", "America/New_York", "-05:00", "-04:00"]);
}

#[test]
fn an_explicit_offset_resolves_the_fold() {
    // The second 02:30 (+01:00) = 01:30Z; + 2 real hours = 03:30Z = 04:30+01:00.
    let r = deadline(&[
        "--plan",
        "otter-premium",
        "--priority",
        "critical",
        "--opened",
        "2026-10-25T02:30:00+01:00",
        "--format",
        "json",
    ]);
    r.ok();
    let d = r.json();
    assert_eq!(d["opened"], "2026-10-25T02:30:00+01:00");
    assert_eq!(d["deadline"], "2026-10-25T04:30:00+01:00");
}

#[test]
fn unknown_time_zone() {
    deadline(&["--plan", "gold", "--priority", "major", "--tz", "Mars/Olympus"]).bad(&["\"Mars/Olympus\"", "IANA"]);
    deadline(&["--plan", "gold", "--priority", "major", "--tz", "Europe/Pariss"]).bad(&[
        "\"Europe/Pariss\"",
        "did you mean",
        "\"Europe/Paris\"",
    ]);
}

// ------------------------------------------------------------------ pauses

#[test]
fn pause_ending_before_it_starts() {
    let r = deadline(&[
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 10:00",
        "--pause",
        "2026-11-20 12:00/2026-11-20 11:00",
    ]);
    r.bad(&["--pause", "2026-11-20 12:00/2026-11-20 11:00", "before"]);
}

#[test]
fn pause_without_a_slash_or_with_bad_times() {
    deadline(&["--plan", "gold", "--priority", "major", "--pause", "2026-11-20 12:00"]).bad(&[
        "--pause",
        "\"2026-11-20 12:00\"",
        "FROM/TO",
    ]);
    deadline(&["--plan", "gold", "--priority", "major", "--pause", "x/2026-11-20 12:00"]).bad(&["--pause", "\"x\""]);
}

// ------------------------------------------------------------------ usage

#[test]
fn unknown_flag_is_a_usage_error() {
    let r = deadline(&["--plan", "gold", "--priority", "major", "--bogus"]);
    r.bad(&["--bogus"]);
}

#[test]
fn unknown_format_is_a_usage_error() {
    deadline(&["--plan", "gold", "--priority", "major", "--format", "yaml"]).bad(&["yaml"]);
}

#[test]
fn status_needs_opened() {
    slacalc(&["status", "--plan", "gold", "--priority", "major", "--now", NOW]).run().bad(&["--opened"]);
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    slacalc(&["deadlines"]).run().bad(&["deadlines"]);
}

#[test]
fn missing_plans_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    let r = slacalc(&["--plans", missing.to_str().unwrap(), "plans", "list"]).run();
    r.bad(&["no-such-dir"]);
}

#[test]
fn calendar_with_no_working_time_for_years_is_an_error_not_a_hang() {
    // Working time only on Mondays, and every Monday of every month is a holiday.
    let mut rules = String::new();
    for month in 1..=12 {
        for nth in 1..=5 {
            rules.push_str(&format!(
                "  {{ name = \"m{month}n{nth}\", nth = {nth}, weekday = \"mon\", month = {month} }},\n"
            ));
        }
    }
    let text = format!(
        "[holiday_sets.allmon]\nsource = \"s\"\nrules = [\n{rules}]\n\
         [calendars.c]\nzone = \"Europe/Paris\"\nhours = {{ mon = [\"09:00-18:00\"] }}\nholidays = [\"allmon\"]\nsource = \"s\"\n\
         [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\ntarget = \"1h\"\ntarget_source = \"s\"\n"
    );
    let (_dir, path) = temp_file("allmon.toml", &text);
    let r = slacalc(&[
        "--plans",
        path.to_str().unwrap(),
        "deadline",
        "--plan",
        "x",
        "--opened",
        "2026-11-20 10:00",
        "--now",
        NOW,
    ])
    .run();
    no_panic(&r);
    r.bad(&["no working time"]);
}

// ------------------------------------------------------------------ completions

#[test]
fn completions_bash() {
    let r = slacalc(&["completions", "bash"]).run();
    let out = r.ok();
    assert!(out.contains("slacalc"), "{out}");
    assert!(out.contains("deadline") && out.contains("status"), "subcommands should be completed");
}

#[test]
fn completions_other_shells() {
    for shell in ["zsh", "fish"] {
        let r = slacalc(&["completions", shell]).run();
        let out = r.ok();
        assert!(out.contains("slacalc"), "{shell}: {out}");
    }
    slacalc(&["completions", "tcsh-but-not-really"]).run().bad(&["tcsh-but-not-really"]);
}
