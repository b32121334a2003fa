//! `--time-format` (and a profile's `time_format`) honoured exactly or
//! refused (SPEC §6, §8; audit 2026-12-06 H8, H9, H27), Unix times, and the
//! messages about times in files and about `SLACALC_NOW` (new-user findings
//! 13, 19, 32).

use crate::util::{json_lines, slacalc, temp_file};

const NOW: &str = "2026-06-30T00:00:00Z";

/// Runs `batch` on `csv` with `--utc --format json` plus `extra`, and
/// returns the rows (asserting exit 0).
#[track_caller]
fn batch(csv: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut a = vec!["batch", "--input", "-", "--now", NOW, "--utc", "--format", "json"];
    a.extend_from_slice(extra);
    let r = slacalc(&a).stdin(csv.to_string()).run();
    json_lines(r.ok())
}

/// The `opened` a one-row batch prints for `opened` read with `extra`.
#[track_caller]
fn opened(value: &str, extra: &[&str]) -> serde_json::Value {
    let rows = batch(&format!("id,plan,priority,opened\nA,gold,major,{value}\n"), extra);
    assert_eq!(rows[0]["error"], serde_json::Value::Null, "{rows:?}");
    rows[0]["opened"].clone()
}

#[test]
fn percent_s_is_an_absolute_instant() {
    // 1763652000 is 2025-11-20T15:20:00Z, whatever the plan's zone (Paris).
    assert_eq!(opened("1763652000", &["--time-format", "%s"]), "2025-11-20T15:20:00Z");
    assert_eq!(opened("1763652000", &["--time-format", "%s", "--input-tz", "Asia/Tokyo"]), "2025-11-20T15:20:00Z");
}

#[test]
fn percent_plus_keeps_its_offset() {
    assert_eq!(opened("2025-11-20T10:00:00+05:00", &["--time-format", "%+"]), "2025-11-20T05:00:00Z");
    // And the %z family, %#z included.
    assert_eq!(opened("2025-11-20 10:00 +05", &["--time-format", "%Y-%m-%d %H:%M %#z"]), "2025-11-20T05:00:00Z");
    assert_eq!(opened("2025-11-20 10:00 +0500", &["--time-format", "%Y-%m-%d %H:%M %z"]), "2025-11-20T05:00:00Z");
}

#[test]
fn percent_cap_z_is_refused_on_the_command_line_and_in_a_profile() {
    let csv = "id,plan,priority,opened\nA,gold,major,2025-11-20 10:00 EST\n";
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--time-format", "%Y-%m-%d %H:%M %Z"]).stdin(csv).run();
    r.bad(&["--time-format", "%Z cannot be resolved exactly: use %z"]);
    let r = slacalc(&["replay", "--input", "-", "--now", NOW, "--time-format", "%Y-%m-%d %H:%M %Z"]).stdin(csv).run();
    r.bad(&["%Z cannot be resolved exactly: use %z"]);
    let (_d, p) = temp_file("z.toml", "time_format = \"%Y-%m-%d %H:%M %Z\"\n");
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--profile", &path]).stdin(csv).run();
    r.bad(&["z.toml", "time_format", "%Z cannot be resolved exactly: use %z"]);
    // Other patterns that cannot name one instant are refused too.
    for (p, why) in [("%d/%m/%Y %I:%M", "needs %p"), ("%d/%m %H:%M", "no year"), ("%s %H:%M", "%s is a whole instant")]
    {
        let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--time-format", p]).stdin(csv).run();
        r.bad(&["--time-format", why]);
    }
}

#[test]
fn a_profile_time_format_percent_s_is_an_absolute_instant() {
    let (_d, p) = temp_file("s.toml", "time_format = \"%s\"\n");
    let path = p.to_string_lossy().to_string();
    assert_eq!(opened("1763652000", &["--profile", &path]), "2025-11-20T15:20:00Z");
}

#[test]
fn pauses_are_read_with_the_time_format() {
    // gold major, opened Mon 2026-06-01 10:00 Paris (08:00Z), answered
    // 14:00 Paris; paused 11:00-12:00 Paris, the same in every format.
    let head = "id,plan,priority,opened,responded,pauses\n";
    let elapsed = |row: &str, extra: &[&str]| {
        let rows = batch(&format!("{head}{row}\n"), extra);
        assert_eq!(rows[0]["error"], serde_json::Value::Null, "{rows:?}");
        rows[0]["elapsed_seconds"].as_i64().unwrap()
    };
    let plain = elapsed("A,gold,major,2026-06-01T08:00:00Z,2026-06-01T12:00:00Z,", &[]);
    let rfc = elapsed(
        "A,gold,major,2026-06-01T08:00:00Z,2026-06-01T12:00:00Z,2026-06-01T09:00:00Z/2026-06-01T10:00:00Z",
        &[],
    );
    assert_eq!(rfc, plain - 3600);
    let unix = elapsed("A,gold,major,1780300800,1780315200,1780304400/1780308000", &["--time-format", "unix"]);
    assert_eq!(unix, rfc);
    let slashes = elapsed(
        "A,gold,major,01/06/2026 10:00,01/06/2026 14:00,01/06/2026 11:00/01/06/2026 12:00",
        &["--time-format", "%d/%m/%Y %H:%M"],
    );
    assert_eq!(slashes, rfc);
    // Two pauses, one list.
    let two = elapsed(
        "A,gold,major,01/06/2026 10:00,01/06/2026 14:00,01/06/2026 11:00/01/06/2026 11:30;01/06/2026 11:30/01/06/2026 12:00",
        &["--time-format", "%d/%m/%Y %H:%M"],
    );
    assert_eq!(two, rfc);
    // A pause no `/` splits into two times says so.
    let rows = batch(
        &format!("{head}A,gold,major,01/06/2026 10:00,,01/06/2026 11:00/01/06/20x\n"),
        &["--time-format", "%d/%m/%Y %H:%M"],
    );
    let e = rows[0]["error"].as_str().unwrap();
    assert!(e.contains("pauses") && e.contains("01/06/2026 11:00/01/06/20x"), "{e}");
}

#[test]
fn negative_fractional_unix_times_floor() {
    assert_eq!(opened("-0.5", &["--time-format", "unix"]), "1969-12-31T23:59:59Z");
    assert_eq!(opened("-1.5", &["--time-format", "unix"]), "1969-12-31T23:59:58Z");
    assert_eq!(opened("-2", &["--time-format", "unix"]), "1969-12-31T23:59:58Z");
    assert_eq!(opened("1.5", &["--time-format", "unix"]), "1970-01-01T00:00:01Z");
}

#[test]
fn epoch_milliseconds_get_a_hint() {
    let rows = batch("id,plan,priority,opened\nA,gold,major,1709647401000\n", &["--time-format", "unix"]);
    let e = rows[0]["error"].as_str().unwrap();
    assert!(e.contains("milliseconds? divide by 1000") && e.contains("2024-03-05T14:03:21Z"), "{e}");
}

#[test]
fn a_bad_time_in_a_file_names_time_format_and_not_now() {
    let rows = batch("id,plan,priority,opened\nA,gold,major,31/Mar/24 1:57 PM\n", &[]);
    let e = rows[0]["error"].as_str().unwrap();
    assert!(e.contains("\"31/Mar/24 1:57 PM\"") && e.contains("--time-format"), "{e}");
    assert!(!e.contains("or now"), "{e}");
}

#[test]
fn a_bad_slacalc_now_says_what_it_accepts() {
    let r = slacalc(&["deadline", "--plan", "gold", "--priority", "major"]).env("SLACALC_NOW", "garbage").run();
    let e = r.bad(&["SLACALC_NOW", "\"garbage\"", "RFC 3339 with a UTC offset", "or now"]);
    assert!(!e.contains("local time"), "{e}");
}

#[test]
fn a_bad_slacalc_now_does_not_break_commands_that_never_use_now() {
    for args in [&["plans", "list"][..], &["plans", "show", "gold"], &["check"], &["completions", "bash"], &["man"]] {
        let r = slacalc(args).env("SLACALC_NOW", "garbage").run();
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    // A command that uses now still reports it.
    let r = slacalc(&["status", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20T10:00:00Z"])
        .env("SLACALC_NOW", "garbage")
        .run();
    r.bad(&["SLACALC_NOW"]);
}
