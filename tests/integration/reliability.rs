//! Reliability (issue 5): nothing is lost (batch writes one row per input row,
//! a closed pipe ends quietly), resource bounds give clear errors rather than
//! hangs, and arithmetic holds at the edges (year 9999, 10,000 business days,
//! amounts up to 10^12).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{json, slacalc, temp_file};

const NOW: &str = "2026-11-22T12:00:00+01:00";

// ------------------------------------------------------------------ batch: nothing lost

/// A ticket export with good rows and every kind of bad row a batch must
/// survive, one `id` per row.
fn mixed_export() -> Vec<u8> {
    let mut v: Vec<u8> = b"id,plan,priority,opened,responded,customer\n".to_vec();
    let rows: [&[u8]; 12] = [
        b"1,gold,major,2026-11-20 17:30,,acme\n",
        b"2,nope,major,2026-11-20 17:30,,acme\n",                 // unknown plan
        b"3,gold,urgent,2026-11-20 17:30,,acme\n",                // unknown priority
        b"4,gold,major,2026-13-01 10:00,,acme\n",                 // bad instant
        b"5,gold,major,2026-03-29 02:30,,acme\n",                 // DST gap
        b"6,gold,major,2026-11-20 10:00,2026-11-19 10:00,acme\n", // responded before opened
        b"7,gold,major,\xff\xfe,,acme\n",                         // not UTF-8
        b"8,gold\n",                                              // short row
        b"9,paying,,2026-11-20T10:00:00+01:00,2026-11-20 11:00,\"multi\nline\"\n",
        b"10,gold,major,1500-01-01 10:00,,acme\n",               // out of range
        b"11,gold,major,2026-11-20 17:30,,acme,extra,columns\n", // longer row
        b"12,premium,critical,9999-12-31T23:00:00Z,,acme\n",     // opened after now: left out
    ];
    for r in rows {
        v.extend_from_slice(r);
    }
    // A row over 64 KiB, then a good one.
    v.extend_from_slice(b"13,gold,major,2026-11-20 17:30,,");
    v.resize(v.len() + 70 * 1024, b'x');
    v.extend_from_slice(b"\n14,cloud,down,2026-11-20 09:00,,acme\n");
    v
}

#[test]
fn batch_writes_one_row_per_input_row_with_bad_rows_csv() {
    let r = slacalc(&["batch", "--input", "-", "--now", NOW]).stdin(mixed_export()).run();
    let out = r.ok();
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(out.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let id = header.iter().position(|h| h == "id").unwrap();
    let err = header.iter().position(|h| h == "error").unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 13, "{out}");
    let ids: Vec<&str> = rows.iter().map(|r| r.get(id).unwrap_or("")).collect();
    // The non-UTF-8 row keeps its place (its fields are not readable); 12,
    // opened after now, is left out (SPEC §9).
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "", "8", "9", "10", "11", "13", "14"]);
    let errors: Vec<&str> = rows.iter().map(|r| r.get(err).unwrap_or("")).collect();
    for (i, e) in errors.iter().enumerate() {
        let bad = ![0, 8, 10, 12].contains(&i);
        assert_eq!(!e.is_empty(), bad, "row {} error {e:?}", i + 1);
    }
    assert!(errors[1].contains("unknown plan \"nope\""), "{}", errors[1]);
    assert!(errors[2].contains("unknown priority \"urgent\""), "{}", errors[2]);
    assert!(errors[4].contains("does not exist"), "{}", errors[4]);
    assert!(errors[6].contains("UTF-8"), "{}", errors[6]);
    assert!(errors[11].contains("longer than 65536 bytes"), "{}", errors[11]);
    assert!(
        r.stderr.contains("13 rows written of 14 read (1 left out)") && r.stderr.contains("9 errors"),
        "{}",
        r.stderr
    );
}

#[test]
fn batch_writes_one_row_per_input_row_with_bad_rows_json() {
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--format", "json"]).stdin(mixed_export()).run();
    let out = r.ok();
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 13, "{out}");
    assert_eq!(rows[12]["id"], "14");
    assert_eq!(rows[12]["error"], serde_json::Value::Null);
    assert_eq!(rows[0]["customer"], "acme");
}

// ------------------------------------------------------------------ closed pipes

/// Runs slacalc with `args`, its stdin from `input`, reads at most one line
/// of its stdout and closes the pipe: `slacalc ARGS | head -1`. Returns the
/// exit code and stderr.
fn head_1(args: &[&str], input: Option<&std::path::Path>) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slacalc"));
    cmd.args(args).env_remove("SLACALC_PLANS").env_remove("SLACALC_NOW").env("NO_COLOR", "1");
    cmd.stdin(match input {
        Some(p) => Stdio::from(std::fs::File::open(p).unwrap()),
        None => Stdio::null(),
    });
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
    } // the read end closes here
    let out = child.wait_with_output().unwrap();
    (out.status.code(), first, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Like [`head_1`] but the pipe is closed before slacalc writes anything.
fn closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slacalc"));
    cmd.args(args).env_remove("SLACALC_PLANS").env_remove("SLACALC_NOW").env("NO_COLOR", "1");
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[track_caller]
fn quiet(what: &str, code: Option<i32>, stderr: &str) {
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{what}: {stderr}");
    assert!(!stderr.contains("error"), "{what}: {stderr}");
    assert!(matches!(code, Some(0 | 1)), "{what}: exit {code:?}\n{stderr}");
}

#[test]
fn batch_into_head_exits_quietly() {
    // 100,000 rows: far more output than a pipe buffer holds.
    let mut text = String::from("id,plan,priority,opened\n");
    for i in 0..100_000 {
        text.push_str(&format!("{i},gold,major,2026-11-20 17:30\n"));
    }
    let (_dir, path) = temp_file("big.csv", &text);
    for format in ["csv", "json"] {
        let started = Instant::now();
        let (code, first, stderr) =
            head_1(&["batch", "--input", "-", "--now", NOW, "--format", format], Some(path.as_path()));
        assert!(first.starts_with("id,") || first.starts_with("{\"id\":\"0\""), "{first}");
        quiet(&format!("batch --format {format} | head -1"), code, &stderr);
        assert!(started.elapsed() < Duration::from_secs(20), "batch kept going after the pipe closed");
    }
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let runs: &[&[&str]] = &[
        &["plans", "show", "gold"],
        &["plans", "list"],
        &["plans", "compare", "bronze", "silver", "gold"],
        &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30", "--explain"],
        &["status", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30", "--now", NOW],
        &["quota", "--plan", "cloud", "--subscription", "12500", "--used", "3", "--at", NOW],
        &["credit", "--plan", "cloud", "--subscription", "12500", "--outage", "2026-03-01 08:00/2026-03-02 09:30"],
        &["entitlements", "--plan", "premium"],
        &["check"],
        &["completions", "bash"],
        &["--help"],
        &["deadline", "--help"],
    ];
    for args in runs {
        let (code, stderr) = closed_stdout(args);
        quiet(&args.join(" "), code, &stderr);
        let (code, _, stderr) = head_1(args, None);
        quiet(&format!("{} | head -1", args.join(" ")), code, &stderr);
    }
}

// ------------------------------------------------------------------ resource bounds

/// Working time only on Mondays; every Monday a holiday except a 5th Monday
/// of February, which happens only in leap years whose 1 February is a Monday
/// (2016, 2044, 2072, …).
fn feb29_mondays_only() -> String {
    let mut rules = String::new();
    for month in 1..=12 {
        for nth in [1, 2, 3, 4, -1] {
            if month == 2 && nth == -1 {
                continue;
            }
            rules.push_str(&format!(
                "  {{ name = \"m{month}n{nth}\", nth = {nth}, weekday = \"mon\", month = {month} }},\n"
            ));
        }
    }
    format!(
        "[holiday_sets.mondays]\nsource = \"s\"\nrules = [\n{rules}]\n\n\
         [calendars.rare]\nzone = \"Europe/Paris\"\nhours = {{ mon = [\"09:00-17:00\"] }}\nholidays = [\"mondays\"]\nsource = \"s\"\n\n\
         [[plans]]\nid = \"rare\"\nprovider = \"X\"\ncalendar = \"rare\"\ntarget = \"1h\"\ntarget_source = \"s\"\n"
    )
}

#[test]
fn a_search_for_working_time_beyond_10_years_is_an_error_not_a_hang() {
    let (_dir, path) = temp_file("rare.toml", &feb29_mondays_only());
    let p = path.to_str().unwrap();
    let started = Instant::now();
    // From 2026 the next working day is Monday 2044-02-29: 17 years away. A
    // year with no working time at all is refused when the plan is loaded
    // (SPEC §8), before any walk: 2001 is the first such year checked.
    let r = slacalc(&["--plans", p, "deadline", "--plan", "rare", "--opened", "2026-11-20 10:00"]).run();
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.bad(&["rare.toml:", "no working time in 2001"]);
    slacalc(&["check", p]).run().bad(&["rare.toml:", "no working time in 2001"]);
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[test]
fn plan_files_over_1_mib_are_refused_before_reading() {
    let mut text = String::from("# ");
    text.push_str(&"x".repeat(1 << 20));
    let (_dir, path) = temp_file("big.toml", &text);
    let r = slacalc(&["--plans", path.to_str().unwrap(), "plans", "list"]).run();
    r.bad(&["big.toml", "1048578 bytes", "1 MiB"]);
}

// ------------------------------------------------------------------ arithmetic at the edges

/// A calendar of Mon–Fri 09:00–18:00 with a 10,000 bd target.
const TEN_THOUSAND_BD: &str = r#"
[calendars.c]
zone = "Europe/Paris"
hours = { mon-fri = ["09:00-18:00"] }
holidays = ["france"]
source = "s"

[[plans]]
id = "long"
provider = "X"
calendar = "c"

[[plans.priorities]]
name = "slow"
target = "10000bd"
source = "s"
"#;

#[test]
fn ten_thousand_business_days_answer_and_invert() {
    let (_dir, path) = temp_file("long.toml", TEN_THOUSAND_BD);
    let p = path.to_str().unwrap();
    let d = json(&["--plans", p, "deadline", "--plan", "long", "--priority", "slow", "--opened", "2026-11-20 10:00"]);
    assert_eq!(d["target_seconds"], 10_000 * 9 * 3600);
    let deadline = d["deadline"].as_str().unwrap().to_string();
    assert!(deadline.starts_with("206"), "{deadline}");
    let s = json(&[
        "--plans",
        p,
        "status",
        "--plan",
        "long",
        "--priority",
        "slow",
        "--opened",
        "2026-11-20 10:00",
        "--now",
        &deadline,
    ]);
    assert_eq!(s["elapsed_seconds"], 10_000 * 9 * 3600);
    assert_eq!(s["remaining_seconds"], 0);
    assert_eq!(s["state"], "at-risk");
    // From 9990 the answer would fall after 9999: an error, not a wrap.
    let r =
        slacalc(&["--plans", p, "deadline", "--plan", "long", "--priority", "slow", "--opened", "9990-01-01 10:00"])
            .run();
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.bad(&["after the year 9999"]);
}

#[test]
fn the_last_second_of_9999() {
    let last = "9999-12-31T23:59:59Z";
    // A 24x7 deadline one second past the end of the range.
    let r = slacalc(&["deadline", "--plan", "premium", "--priority", "critical", "--opened", last]).run();
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.bad(&["after the year 9999"]);
    // Status up to it, from the last working day of 9999.
    let s = json(&[
        "status",
        "--plan",
        "premium",
        "--priority",
        "critical",
        "--opened",
        "9999-12-31T20:00:00Z",
        "--now",
        last,
        "--utc",
    ]);
    assert_eq!(s["deadline"], "9999-12-31T22:00:00Z");
    assert_eq!(s["state"], "breached");
    // One second later is out of range.
    slacalc(&["deadline", "--plan", "premium", "--priority", "critical", "--opened", "10000-01-01T00:00:00Z"])
        .run()
        .bad(&["\"10000-01-01T00:00:00Z\""]);
    // Quota and credit periods at the end of the range.
    let q = json(&["quota", "--plan", "basic", "--used", "2", "--at", "9999-12-15 10:00", "--utc"]);
    assert_eq!(q["period_end"], "9999-12-31T23:00:00Z");
    let c =
        json(&["credit", "--plan", "cloud", "--subscription", "12500", "--period-start", "9998-01-01", "--now", last]);
    assert_eq!(c["uptime_percent"], 100);
}

#[test]
fn amounts_up_to_10_to_the_12() {
    let big = "1000000000000"; // 10^12
    // Hours quota: 1 h per CHF 1,000 → 10^9 h.
    let q = json(&["quota", "--plan", "cloud", "--subscription", big, "--used", "100000000", "--at", NOW]);
    assert_eq!(q["allowance"], 1_000_000_000);
    assert_eq!(q["remaining"], 900_000_000);
    assert_eq!(q["allowance_seconds"], 3_600_000_000_000_i64);
    // A full year down: 365 daily credits of 10^12 / 365 each = 10^12.
    let c = json(&[
        "credit",
        "--plan",
        "cloud",
        "--subscription",
        big,
        "--period-start",
        "2026-01-01",
        "--outage",
        "2025-12-01 00:00/2027-02-01 00:00",
    ]);
    assert_eq!(c["downtime_seconds"], 365 * 86_400);
    assert_eq!(c["outage_credit_total"], "1000000000000.00");
    // 10^13 is the largest accepted; beyond is refused, never wrapped.
    json(&["credit", "--plan", "cloud", "--subscription", "10000000000000", "--period-start", "2026-01-01"]);
    slacalc(&["credit", "--plan", "cloud", "--subscription", "10000000000001"]).run().bad(&["too large"]);
}

#[test]
fn huge_usage_is_refused_not_wrapped() {
    slacalc(&["quota", "--plan", "cloud", "--subscription", "12500", "--used", "99999999999999999999"])
        .run()
        .bad(&["\"99999999999999999999\"", "too large"]);
    slacalc(&["quota", "--plan", "basic", "--used", "1000000001"]).run().bad(&["too large", "1000000000"]);
    // A log whose hours add up past the limit: an error naming the line.
    let mut log = String::from("opened,hours\n");
    for _ in 0..15_000 {
        log.push_str("2026-03-02 10:00,87600000h\n");
    }
    let (_dir, path) = temp_file("log.csv", &log);
    let r = slacalc(&[
        "quota",
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--log",
        path.to_str().unwrap(),
        "--at",
        "2026-06-01 10:00",
    ])
    .run();
    r.bad(&["log line", "too large to count"]);
}

#[test]
fn stderr_closed_does_not_panic() {
    // An error with nowhere to print it still exits 2.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slacalc"));
    cmd.args(["deadline", "--plan", "nope"]).env_remove("SLACALC_PLANS");
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let _ = std::io::stderr().flush();
}
