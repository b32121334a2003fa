//! Bad input: exit 2, nothing on stdout, a message naming the value and what
//! was expected (SPEC §3), in more detail than the checklist in `bad_input.rs`:
//! one `#[test]` per row with its stderr pinned (`snapshots/integration__errors__*.snap`).
//! Plus `completions`.

use crate::bad_input::{F, case, env, with};
use crate::util::slacalc;

const G: &str = "gold";
const OPENED: &str = "2026-11-20 10:00";

/// Working time only on Mondays, and every Monday of every month a holiday.
fn all_mondays_off() -> Vec<u8> {
    let mut rules = String::new();
    for month in 1..=12 {
        for nth in 1..=5 {
            rules.push_str(&format!(
                "  {{ name = \"m{month}n{nth}\", nth = {nth}, weekday = \"mon\", month = {month} }},\n"
            ));
        }
    }
    format!(
        "[holiday_sets.allmon]\nsource = \"s\"\nrules = [\n{rules}]\n\
         [calendars.c]\nzone = \"Europe/Paris\"\nhours = {{ mon = [\"09:00-18:00\"] }}\nholidays = [\"allmon\"]\nsource = \"s\"\n\
         [[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\ntarget = \"1h\"\ntarget_source = \"s\"\n"
    )
    .into_bytes()
}

#[rustfmt::skip]
matrix! {
    // ------------------------------------------------------------------ plans and priorities
    unknown_plan_suggests_close_names: case("unknown plan gld", &["deadline", "--plan", "gld", "--priority", "major"], &["unknown plan \"gld\"", "did you mean", "gold"]),
    unknown_plan_suggests_the_full_id: case("unknown plan apizee-gol", &["deadline", "--plan", "apizee-gol", "--priority", "major"], &["unknown plan \"apizee-gol\"", "did you mean", "\"apizee-gold\""]),
    plan_names_are_not_prefix_matched: case("a plan id's prefix", &["deadline", "--plan", "apizee", "--priority", "major"], &["unknown plan \"apizee\""]),
    plan_aliases_are_not_prefix_matched: case("a plan alias's prefix", &["deadline", "--plan", "gol", "--priority", "major"], &["unknown plan \"gol\""]),
    unknown_priority_lists_the_valid_ones: case("unknown priority", &["deadline", "--plan", G, "--priority", "urgent"], &["error: unknown priority \"urgent\" for plan apizee-gold (expected one of: major, moderate, minor, p1, p2, p3)"]),
    unknown_priority_lists_aliases_too: case("unknown priority on a plan with aliases", &["deadline", "--plan", "cirrus-premium", "--priority", "p4"], &["\"p4\"", "cirrus-premium", "critical", "major", "minor", "p1", "p2", "p3"]),
    missing_priority_where_required: case("missing priority (gold)", &["deadline", "--plan", G], &["apizee-gold", "--priority", "major, moderate, minor"]),
    missing_priority_where_required_otter: case("missing priority (otter-basic)", &["deadline", "--plan", "otter-basic"], &["otter-basic", "--priority", "critical, high, medium, low"]),
    missing_priority_where_required_status: case("missing priority (status)", &["status", "--plan", "cloud", "--opened", OPENED], &["biings-cloud", "--priority", "down"]),
    // ------------------------------------------------------------------ instants
    malformed_opened_month_13: case("month 13", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-13-01 10:00"], &["--opened", "\"2026-13-01 10:00\"", "expected"]),
    malformed_opened_30_february: case("30 February", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-02-30T10:00"], &["--opened", "\"2026-02-30T10:00\"", "expected"]),
    malformed_opened_hour_25: case("hour 25", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-11-20 25:00"], &["--opened", "\"2026-11-20 25:00\"", "expected"]),
    malformed_opened_minute_60: case("minute 60", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-11-20 10:60"], &["--opened", "\"2026-11-20 10:60\"", "expected"]),
    malformed_opened_empty: case("empty", &["deadline", "--plan", G, "--priority", "major", "--opened", ""], &["--opened", "\"\"", "expected"]),
    malformed_opened_trailing_letters: case("trailing letters", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-11-20 10:00xyz"], &["--opened", "\"2026-11-20 10:00xyz\"", "expected"]),
    malformed_opened_trailing_word: case("a word after the offset", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-11-20T10:00:00+01:00 garbage"], &["--opened", "\"2026-11-20T10:00:00+01:00 garbage\"", "expected"]),
    malformed_opened_tomorrow: case("tomorrow", &["deadline", "--plan", G, "--priority", "major", "--opened", "tomorrow"], &["--opened", "\"tomorrow\"", "expected"]),
    malformed_opened_day_first: case("day first", &["deadline", "--plan", G, "--priority", "major", "--opened", "20/11/2026 10:00"], &["--opened", "\"20/11/2026 10:00\"", "expected"]),
    malformed_now_is_rejected: case("malformed --now", &["deadline", "--plan", G, "--priority", "major", "--now", "2026-13-01 10:00"], &["--now", "\"2026-13-01 10:00\""]),
    malformed_slacalc_now_is_rejected: env("malformed SLACALC_NOW", &[("SLACALC_NOW", "garbage")], &["deadline", "--plan", G, "--priority", "major"], &["\"garbage\""]),
    malformed_responded_is_rejected: case("malformed --responded", &["status", "--plan", G, "--priority", "major", "--opened", OPENED, "--responded", "2026-11-20 99:00"], &["--responded", "\"2026-11-20 99:00\""]),
    dst_gap_names_both_offsets: case("DST gap", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-03-29 02:30"], &["2026-03-29 02:30", "Europe/Paris", "+01:00", "+02:00"]),
    dst_fold_names_both_offsets: case("DST fold", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-10-25 02:30"], &["2026-10-25 02:30", "Europe/Paris", "+01:00", "+02:00"]),
    dst_gap_in_tz_names_that_zones_offsets: case("DST gap in --tz", &["deadline", "--plan", G, "--priority", "major", "--opened", "2026-03-08 02:30", "--tz", "America/New_York"], &["2026-03-08 02:30", "America/New_York", "-05:00", "-04:00"]),
    unknown_time_zone: case("unknown --tz", &["deadline", "--plan", G, "--priority", "major", "--tz", "Mars/Olympus"], &["\"Mars/Olympus\"", "IANA"]),
    misspelt_time_zone: case("misspelt --tz", &["deadline", "--plan", G, "--priority", "major", "--tz", "Europe/Pariss"], &["\"Europe/Pariss\"", "did you mean", "\"Europe/Paris\""]),
    // ------------------------------------------------------------------ pauses
    pause_ending_before_it_starts: case("pause ending before it starts", &["deadline", "--plan", G, "--priority", "major", "--opened", OPENED, "--pause", "2026-11-20 12:00/2026-11-20 11:00"], &["--pause", "2026-11-20 12:00/2026-11-20 11:00", "before"]),
    pause_without_a_slash: case("pause without a slash", &["deadline", "--plan", G, "--priority", "major", "--pause", "2026-11-20 12:00"], &["--pause", "\"2026-11-20 12:00\"", "FROM/TO"]),
    pause_with_a_bad_start: case("pause with a bad start", &["deadline", "--plan", G, "--priority", "major", "--pause", "x/2026-11-20 12:00"], &["--pause", "\"x\""]),
    // ------------------------------------------------------------------ usage
    unknown_flag_is_a_usage_error: case("unknown flag", &["deadline", "--plan", G, "--priority", "major", "--bogus"], &["--bogus"]),
    unknown_format_is_a_usage_error: case("unknown --format", &["deadline", "--plan", G, "--priority", "major", "--format", "yaml"], &["yaml"]),
    status_needs_opened: case("status without --opened", &["status", "--plan", G, "--priority", "major"], &["--opened"]),
    unknown_subcommand_is_a_usage_error: case("unknown subcommand", &["deadlines"], &["deadlines"]),
    // A relative path in the row's fresh directory: it does not exist.
    missing_plans_path_is_an_error: case("missing --plans path", &["--plans", "no-such-dir", "plans", "list"], &["no-such-dir"]),
    calendar_with_no_working_time_for_years_is_an_error_not_a_hang: with("no working time for years", &[("allmon.toml", F::Gen(all_mondays_off))], &["--plans", "allmon.toml", "deadline", "--plan", "x", "--opened", OPENED], &["no working time"]),
    completions_for_an_unknown_shell: case("completions for an unknown shell", &["completions", "tcsh-but-not-really"], &["tcsh-but-not-really"]),
}

#[test]
fn an_explicit_offset_resolves_the_fold() {
    // The second 02:30 (+01:00) = 01:30Z; + 2 real hours = 03:30Z = 04:30+01:00.
    let r = slacalc(&[
        "deadline",
        "--plan",
        "otter-premium",
        "--priority",
        "critical",
        "--opened",
        "2026-10-25T02:30:00+01:00",
        "--format",
        "json",
    ])
    .run();
    r.ok();
    let d = r.json();
    assert_eq!(d["opened"], "2026-10-25T02:30:00+01:00");
    assert_eq!(d["deadline"], "2026-10-25T04:30:00+01:00");
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
}
