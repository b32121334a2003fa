//! Regressions: every crash, hang or wrong answer found by fuzzing and by the
//! issue-5 audit, as the smallest input that showed it. Every one is fixed and
//! runs; a bug found and not yet fixed would go here as
//! `#[ignore = "BUG: …"]` (none today).

use std::time::{Duration, Instant};

use slacalc::internal::instant::{Display, format_instant, parse_instant};

use crate::util::{json, slacalc, temp_file};

/// An hour quota whose rate is `amount` hours per `per` CHF.
fn rate_plan(amount: &str, per: &str) -> String {
    format!(
        "[calendars.c]\nzone = \"UTC\"\nhours = {{ mon-fri = [\"09:00-18:00\"] }}\nsource = \"s\"\n\n\
         [[plans]]\nid = \"huge\"\nprovider = \"X\"\ncalendar = \"c\"\ntarget = \"none\"\ntarget_source = \"s\"\n\
         [plans.quota]\nunit = \"hours\"\nperiod = \"year\"\nrate = {{ amount = {amount}, per = {per}, currency = \"CHF\" }}\nsource = \"s\"\n"
    )
}

/// Audit: `quota --format json` on a plan whose rate gave an allowance of
/// i64::MAX ticks panicked with "attempt to add with overflow" in
/// src/cli/cmd/quota.rs (rounding ticks to seconds); in release it wrapped.
#[test]
fn a_huge_rate_is_refused_at_load() {
    let (_dir, path) = temp_file("huge.toml", &rate_plan("999999999999999", "0.01"));
    let r = slacalc(&["check", path.to_str().unwrap()]).run();
    r.bad(&["huge.toml:15:19", "invalid rate amount", "at most 10^12"]);
}

#[test]
fn an_allowance_too_large_to_count_is_an_error() {
    let (_dir, path) = temp_file("huge.toml", &rate_plan("1000000000000", "0.01"));
    let p = path.to_str().unwrap();
    let r = slacalc(&["--plans", p, "quota", "--plan", "huge", "--subscription", "10000000000000", "--format", "json"])
        .run();
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.bad(&["--subscription \"CHF 10000000000000.00\"", "too large to count"]);
    // The largest allowance that fits still answers, to the second.
    let q = json(&["--plans", p, "quota", "--plan", "huge", "--subscription", "0.01", "--used", "100000000"]);
    assert_eq!(q["allowance"], 1_000_000_000_000_i64);
    assert_eq!(q["allowance_seconds"], 3_600_000_000_000_000_i64);
    assert_eq!(q["remaining_seconds"], 3_600_000_000_000_000_i64 - 360_000_000_000);
}

/// Audit: `--log` and `--outages` found each row's line by counting newlines
/// from the start of the file: quadratic, 48 s for 15,000 rows.
#[test]
fn long_input_files_are_read_in_linear_time() {
    let mut outages = String::from("start,end\n");
    for i in 0..30_000 {
        let h = i % 24;
        outages.push_str(&format!("2026-02-14T{h:02}:00:00Z,2026-02-14T{h:02}:30:00Z\n"));
    }
    let (_dir, path) = temp_file("o.csv", &outages);
    let started = Instant::now();
    let c = json(&[
        "credit",
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--period-start",
        "2026-01-01",
        "--outages",
        path.to_str().unwrap(),
    ]);
    assert_eq!(c["downtime_seconds"], 24 * 1800);
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    // And a bad row far down is still located by its line.
    outages.push_str("2026-02-15 10:00,2026-02-14 10:00\n");
    let (_dir, path) = temp_file("o.csv", &outages);
    slacalc(&["credit", "--plan", "cloud", "--subscription", "12500", "--outages", path.to_str().unwrap()])
        .run()
        .bad(&["line 30002", "ends before it starts"]);
}

/// Audit: a priority without `target` said only "missing field `target`".
#[test]
fn a_priority_without_target_is_named() {
    let text = "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"24x7\"\n\n[[plans.priorities]]\nname = \"urgent\"\nsource = \"s\"\n";
    let (_dir, path) = temp_file("t.toml", text);
    slacalc(&["check", path.to_str().unwrap()]).run().bad(&["t.toml:6:1", "priority \"urgent\" has no target"]);
}

/// Audit: the 1,000-item limit counted a calendar's holidays, but a holiday
/// set no calendar uses had no limit at all.
#[test]
fn a_holiday_set_over_the_limit_is_refused_even_unused() {
    let mut text = String::from("[holiday_sets.h]\nsource = \"s\"\nrules = [\n");
    for i in 0..1001 {
        text.push_str(&format!("{{ name = \"n\", date = \"{}-01-01\" }},\n", 2000 + i % 7000));
    }
    text.push_str("]\n");
    let (_dir, path) = temp_file("h.toml", &text);
    slacalc(&["check", path.to_str().unwrap()]).run().bad(&["h.toml:1:1", "holiday set has 1001 rules"]);
}

// ------------------------------------------------------------------ printing instants (src/instant.rs)

/// Audit (fixed in src/instant.rs `write_with_offset`): an instant whose
/// local date in the display zone fell in year 10000 was printed as local
/// wall time with `Z`, an hour (the offset) later than the real instant:
/// `slacalc deadline --plan premium --priority critical --opened
/// 9999-12-31T21:30:00Z --format json` printed `"deadline":
/// "10000-01-01T00:30:00Z"` for 9999-12-31T23:30:00Z.
#[test]
fn a_local_year_10000_is_printed_as_the_right_instant() {
    let t = 253_402_299_000; // 9999-12-31T23:30:00Z
    let shown = format_instant(t, Display::Zone(chrono_tz::Europe::Paris));
    assert_ne!(shown, "10000-01-01T00:30:00Z", "an hour late");
    // A local date past 9999 has no four-digit year: the instant prints in UTC.
    assert_eq!(shown, "9999-12-31T23:30:00Z");
}

/// Audit (fixed in src/instant.rs `write_with_offset`): zones whose offset has
/// seconds (local mean time before standard time: Paris +00:09:21 until 1911,
/// Monrovia −00:44:30 until 1972) printed the offset truncated to minutes but
/// the wall time with the seconds, so the printed instant was off by them:
/// `slacalc deadline --plan paying --opened 1583-01-03T08:00:00Z --format json`
/// printed `"opened": "1583-01-03T08:09:21+00:09"` (= 08:00:21Z).
#[test]
fn printed_instants_parse_back_in_zones_with_second_offsets() {
    for (t, tz) in [
        (-12_212_352_000_i64, chrono_tz::Europe::Paris), // 1583-01-03T08:00:00Z
        (31_536_000, chrono_tz::Africa::Monrovia),       // 1971-01-01T00:00:00Z
    ] {
        let shown = format_instant(t, Display::Zone(tz));
        assert_eq!(parse_instant(&shown, chrono_tz::UTC, 0).ok(), Some(t), "{shown} in {tz}");
    }
}

/// Fuzzing (instant, input `\x05` + `9999-12-31T23:59:59Z`): the last
/// instant slacalc accepts, printed in a zone east of UTC, is a local time in
/// year 10000 (`10000-01-01T01:59:59+02:00`), which `parse_instant` refuses:
/// an answer slacalc prints cannot be fed back to it (e.g. a `deadline` used
/// as `--now`).
#[test]
fn the_last_instant_prints_and_parses_back_in_every_zone() {
    let last = 253_402_300_799; // 9999-12-31T23:59:59Z
    for tz in [chrono_tz::Europe::Paris, chrono_tz::Pacific::Kiritimati] {
        let shown = format_instant(last, Display::Zone(tz));
        assert_eq!(parse_instant(&shown, chrono_tz::UTC, 0).ok(), Some(last), "{shown} in {tz}");
    }
}

/// Fuzzing (engine, `artifacts/engine/timeout-*`): the slowest inputs are
/// calendars with a few minutes of work a week and a business day declared
/// at 24 h, so 10,000 bd is thousands of years of weeks. They took over 1 s
/// under fuzzing instrumentation, 40–110 ms natively for four walks: bounded,
/// not a hang. This one walks from 1600 to the end of 9999.
#[test]
fn ten_thousand_bd_on_a_nine_minute_week_ends_in_time() {
    let text = "[calendars.c]\nzone = \"Europe/Prague\"\nhours = { thu = [\"04:14-04:23\"] }\nbusiness_day = \"24h\"\nsource = \"s\"\n\n\
                [[plans]]\nid = \"slow\"\nprovider = \"X\"\ncalendar = \"c\"\n\n\
                [[plans.priorities]]\nname = \"p\"\ntarget = \"10000bd\"\nsource = \"s\"\n";
    let (_dir, path) = temp_file("slow.toml", text);
    let started = Instant::now();
    let r = slacalc(&[
        "--plans",
        path.to_str().unwrap(),
        "deadline",
        "--plan",
        "slow",
        "--priority",
        "p",
        "--opened",
        "1600-01-01 10:00",
    ])
    .run();
    r.bad(&["after the year 9999"]);
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}
