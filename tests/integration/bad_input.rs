//! The bad-input matrix (issue 5): one row per way a user can get it wrong, on
//! every command. Each row must exit 2, print nothing on stdout, and name on
//! stderr the bad value and what was expected (`Run::bad`). Never a panic.
//!
//! A row runs the real binary in a fresh temporary directory holding the row's
//! files, so file arguments are plain relative names and error messages can be
//! matched on `bad.toml:3:9`. Each row is a `#[test]` of its own, and its
//! whole stderr is pinned by an insta snapshot (`snapshots/integration__bad_input__*.snap`):
//! review a change of wording with `cargo insta review`.
//!
//! Some rows repeat single tests in `errors.rs` and `check.rs`, which go into
//! more detail (exact messages, caret display); this table is the checklist.

use crate::util::slacalc;

/// A file the row needs in its working directory.
pub(crate) enum F {
    /// UTF-8 text.
    Text(&'static str),
    /// Raw bytes.
    Bytes(&'static [u8]),
    /// Generated content (large files).
    Gen(fn() -> Vec<u8>),
    /// A directory.
    Dir,
}

/// One row of the matrix.
pub(crate) struct Case {
    /// What is wrong, for the failure report.
    pub(crate) what: &'static str,
    /// The command line (after `slacalc`).
    pub(crate) args: &'static [&'static str],
    /// Files created in the working directory first.
    files: &'static [(&'static str, F)],
    /// Standard input.
    stdin: &'static [u8],
    /// Every one of these must appear on stderr.
    expect: &'static [&'static str],
    /// Environment variables set for the run.
    env: &'static [(&'static str, &'static str)],
}

const NO_FILES: &[(&str, F)] = &[];

/// A row with no files and no stdin.
pub(crate) const fn case(what: &'static str, args: &'static [&'static str], expect: &'static [&'static str]) -> Case {
    Case { what, args, files: NO_FILES, stdin: b"", expect, env: &[] }
}

/// A row whose command reads `files`.
pub(crate) const fn with(
    what: &'static str,
    files: &'static [(&'static str, F)],
    args: &'static [&'static str],
    expect: &'static [&'static str],
) -> Case {
    Case { what, args, files, stdin: b"", expect, env: &[] }
}

/// A row that feeds `stdin`.
pub(crate) const fn piped(
    what: &'static str,
    stdin: &'static [u8],
    args: &'static [&'static str],
    expect: &'static [&'static str],
) -> Case {
    Case { what, args, files: NO_FILES, stdin, expect, env: &[] }
}

/// A row run with environment variables `env`.
pub(crate) const fn env(
    what: &'static str,
    env: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    expect: &'static [&'static str],
) -> Case {
    Case { what, args, files: NO_FILES, stdin: b"", expect, env }
}

/// Plan `x` on calendar `c`, one priority `urgent` with this target.
macro_rules! plan_x {
    ($target:literal) => {
        concat!(
            "\n[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"c\"\n\n",
            "[[plans.priorities]]\nname = \"urgent\"\ntarget = \"",
            $target,
            "\"\nsource = \"s\"\n"
        )
    };
}

/// Calendar `c` (lines 1–5: zone on line 2, hours on line 3, `extra` on line
/// 4), then plan `x` on it with a `1h` target.
macro_rules! cal {
    ($zone:literal, $hours:literal, $extra:literal) => {
        concat!(
            "[calendars.c]\nzone = \"",
            $zone,
            "\"\nhours = { ",
            $hours,
            " }\n",
            $extra,
            "\nsource = \"s\"\n",
            plan_x!("1h")
        )
    };
    ($hours:literal) => {
        cal!("Europe/Paris", $hours, "")
    };
}

/// A plan file over 1 MiB (valid TOML: one long comment).
fn huge_plan_file() -> Vec<u8> {
    let mut v = cal!("mon-fri = [\"09:00-18:00\"]").as_bytes().to_vec();
    v.extend_from_slice(b"# ");
    v.resize(v.len() + (1 << 20), b'x');
    v.push(b'\n');
    v
}

/// `n` explicit dates, one a year from `first`, as holiday set `id`.
fn holiday_set(id: &str, first: u32, n: u32) -> String {
    let mut s = format!("[holiday_sets.{id}]\nsource = \"s\"\nrules = [\n");
    for y in first..first + n {
        s.push_str(&format!("  {{ name = \"d{y}\", date = \"{y}-01-01\" }},\n"));
    }
    s + "]\n"
}

/// A holiday set of 1,001 rules, used by calendar `c`.
fn many_holidays() -> Vec<u8> {
    let cal = cal!("Europe/Paris", "mon-fri = [\"09:00-18:00\"]", "holidays = [\"h\"]");
    (holiday_set("h", 2000, 1001) + cal).into_bytes()
}

/// Two sets of 600 holidays, both used by calendar `c` (1,200 + 5 intervals).
fn two_holiday_sets() -> Vec<u8> {
    let cal = cal!("Europe/Paris", "mon-fri = [\"09:00-18:00\"]", "holidays = [\"a\", \"b\"]");
    (holiday_set("a", 2000, 600) + &holiday_set("b", 3000, 600) + cal).into_bytes()
}

/// 1,001 one-minute intervals on Mondays (00:00-00:01, 00:01-00:02, …).
fn many_intervals() -> Vec<u8> {
    let hhmm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    let windows: Vec<String> = (0..1001).map(|m| format!("\"{}-{}\"", hhmm(m), hhmm(m + 1))).collect();
    format!(
        "[calendars.c]\nzone = \"UTC\"\nhours = {{ mon = [{}] }}\nsource = \"s\"\n{}",
        windows.join(", "),
        plan_x!("1h")
    )
    .into_bytes()
}

/// A batch export whose second row is over 64 KiB.
fn long_batch_row() -> Vec<u8> {
    let mut v = b"id,plan,priority,opened,note\n1,gold,major,2026-11-20 10:00,".to_vec();
    v.resize(v.len() + 70 * 1024, b'x');
    v.push(b'\n');
    v
}

/// Two plans claiming the alias `pro` (the second on line 11).
const ALIAS_TWICE: &str = "[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"24x7\"\naliases = [\"pro\"]\ntarget = \"1h\"\ntarget_source = \"s\"\n\n[[plans]]\nid = \"y\"\naliases = [\"pro\"]\nprovider = \"Y\"\ncalendar = \"24x7\"\ntarget = \"1h\"\ntarget_source = \"s\"\n";

const OPENED: &str = "2026-11-20 10:00";
const REQUESTS_PLAN: &str = "otter-basic";

/// A matrix of bad-input rows, one `#[test]` per row (named after what is
/// wrong): the row must keep the contract ([`run`]), and its whole stderr is
/// pinned by an insta snapshot named after the test, in the calling module.
/// `CASES` holds every row for checks over the whole matrix.
macro_rules! matrix {
    ($($name:ident: $row:expr,)*) => {
        #[allow(dead_code)] // a module without checks over its whole matrix
        const CASES: &[$crate::bad_input::Case] = &[$($row),*];
        $(
            #[test]
            fn $name() {
                let row = $row;
                let stderr = $crate::bad_input::run(&row);
                insta::assert_snapshot!(stringify!($name), stderr, &format!("{} (slacalc {})", row.what, row.args.join(" ")));
            }
        )*
    };
}

#[rustfmt::skip]
matrix! {
    // ---------------------------------------------------------------- deadline
    unknown_plan_with_a_suggestion: case("unknown plan, with a suggestion", &["deadline", "--plan", "gld", "--priority", "major"], &["unknown plan \"gld\"", "did you mean", "apizee-gold"]),
    ambiguous_plan_no_prefix_matching: case("ambiguous plan (no prefix matching)", &["deadline", "--plan", "apizee", "--priority", "major"], &["unknown plan \"apizee\"", "did you mean", "apizee-gold", "apizee-bronze"]),
    unknown_priority_lists_the_valid_ones: case("unknown priority lists the valid ones", &["deadline", "--plan", "gold", "--priority", "urgent"], &["unknown priority \"urgent\" for plan apizee-gold (expected one of: major, moderate, minor, p1, p2, p3)"]),
    missing_priority_where_the_plan_needs_one: case("missing priority where the plan needs one", &["deadline", "--plan", "gold"], &["apizee-gold", "--priority", "major, moderate, minor"]),
    month_13: case("month 13", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-13-01"], &["--opened", "\"2026-13-01\"", "expected RFC 3339"]),
    n30_february: case("30 February", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-02-30T10:00"], &["--opened", "\"2026-02-30T10:00\"", "expected RFC 3339"]),
    hour_25: case("hour 25", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20 25:00"], &["--opened", "\"2026-11-20 25:00\"", "expected"]),
    empty_instant: case("empty instant", &["deadline", "--plan", "gold", "--priority", "major", "--opened", ""], &["--opened", "\"\"", "expected RFC 3339"]),
    trailing_garbage: case("trailing garbage", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20T10:00:00+01:00 garbage"], &["--opened", "\"2026-11-20T10:00:00+01:00 garbage\"", "expected"]),
    dst_gap_in_the_plan_s_zone: case("DST gap in the plan's zone", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-03-29 02:30"], &["\"2026-03-29 02:30\"", "does not exist", "Europe/Paris", "+01:00", "+02:00"]),
    dst_fold_in_the_plan_s_zone: case("DST fold in the plan's zone", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-10-25 02:30"], &["\"2026-10-25 02:30\"", "ambiguous", "Europe/Paris", "+02:00", "+01:00"]),
    year_before_1583: case("year before 1583", &["deadline", "--plan", "gold", "--priority", "major", "--opened", "1500-06-01T10:00:00Z"], &["\"1500-06-01T10:00:00Z\"", "out of range", "1583"]),
    unknown_tz: case("unknown --tz", &["deadline", "--plan", "gold", "--priority", "major", "--tz", "Mars/Olympus"], &["unknown time zone \"Mars/Olympus\"", "IANA"]),
    misspelt_tz_with_a_suggestion: case("misspelt --tz, with a suggestion", &["deadline", "--plan", "gold", "--priority", "major", "--tz", "Europe/Pariss"], &["\"Europe/Pariss\"", "did you mean", "Europe/Paris"]),
    pause_ending_before_it_starts: case("pause ending before it starts", &["deadline", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--pause", "2026-11-20 12:00/2026-11-20 11:00"], &["--pause", "\"2026-11-20 12:00/2026-11-20 11:00\"", "ends before it starts"]),
    pause_without_a_slash: case("pause without a slash", &["deadline", "--plan", "gold", "--priority", "major", "--pause", "2026-11-20 12:00"], &["--pause", "\"2026-11-20 12:00\"", "FROM/TO"]),
    pause_with_an_empty_end: case("pause with an empty end", &["deadline", "--plan", "gold", "--priority", "major", "--pause", "2026-11-20 12:00/"], &["--pause end", "\"\"", "expected"]),
    unknown_flag: case("unknown flag", &["deadline", "--plan", "gold", "--priority", "major", "--bogus"], &["unexpected argument '--bogus'"]),
    unknown_format: case("unknown --format", &["deadline", "--plan", "gold", "--priority", "major", "--format", "yaml"], &["'yaml'", "table", "json", "csv"]),
    malformed_now: case("malformed --now", &["deadline", "--plan", "gold", "--priority", "major", "--now", "tomorrow"], &["--now", "\"tomorrow\"", "expected"]),
    // ---------------------------------------------------------------- status
    status_without_opened: case("status without --opened", &["status", "--plan", "gold", "--priority", "major"], &["--opened"]),
    malformed_responded: case("malformed --responded", &["status", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--responded", "2026-11-20 99:00"], &["--responded", "\"2026-11-20 99:00\"", "expected"]),
    responded_before_opened: case("responded before opened", &["status", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--responded", "2026-11-19 10:00"], &["--responded", "2026-11-19 10:00", "before", "--opened"]),
    dst_gap_in_tz: case("DST gap in --tz", &["status", "--plan", "gold", "--priority", "major", "--opened", "2026-03-08 02:30", "--tz", "America/New_York"], &["\"2026-03-08 02:30\"", "America/New_York", "-05:00", "-04:00"]),
    unknown_priority_on_a_plan_with_aliases: case("unknown priority on a plan with aliases", &["status", "--plan", "cirrus-premium", "--priority", "p4", "--opened", OPENED], &["\"p4\"", "cirrus-premium", "critical", "majeure", "p3"]),
    pause_with_a_bad_start: case("pause with a bad start", &["status", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--pause", "x/2026-11-20 12:00"], &["--pause", "\"x\"", "expected"]),
    unknown_status_flag: case("unknown status flag", &["status", "--plan", "gold", "--priority", "major", "--opened", OPENED, "--checks"], &["unexpected argument '--checks'"]),
    // ---------------------------------------------------------------- quota
    negative_used_hours: case("negative --used hours", &["quota", "--plan", "cloud", "--subscription", "12500", "--used", "-3"], &["--used", "\"-3\"", "expected hours >= 0"]),
    malformed_used: case("malformed --used", &["quota", "--plan", "cloud", "--subscription", "12500", "--used", "3x"], &["--used", "\"3x\"", "expected hours"]),
    fractional_requests: case("fractional requests", &["quota", "--plan", REQUESTS_PLAN, "--used", "1.5"], &["--used", "\"1.5\"", "whole number of requests"]),
    used_too_large: case("--used too large", &["quota", "--plan", "cloud", "--subscription", "12500", "--used", "99999999999999999999"], &["--used", "\"99999999999999999999\"", "expected"]),
    negative_subscription: case("negative --subscription", &["quota", "--plan", "cloud", "--subscription", "-5"], &["--subscription", "\"-5\"", "negative"]),
    subscription_in_another_currency: case("--subscription in another currency", &["quota", "--plan", "cloud", "--subscription", "EUR 12500"], &["--subscription", "EUR", "CHF"]),
    subscription_with_an_exponent: case("--subscription with an exponent", &["quota", "--plan", "cloud", "--subscription", "1e5"], &["--subscription", "\"1e5\"", "expected an amount"]),
    missing_subscription: case("missing --subscription", &["quota", "--plan", "cloud"], &["biings-cloud", "--subscription"]),
    malformed_allowance: case("malformed --allowance", &["quota", "--plan", "gold", "--allowance", "lots"], &["--allowance", "\"lots\"", "expected hours"]),
    allowance_on_a_plan_without_quota: case("--allowance on a plan without quota", &["quota", "--plan", "paying", "--allowance", "3"], &["cirrus-paying", "no support quota", "--allowance"]),
    period_start_on_30_february: case("--period-start on 30 February", &["quota", "--plan", "cloud", "--subscription", "12500", "--period-start", "2026-02-30"], &["--period-start", "\"2026-02-30\"", "YYYY-MM-DD"]),
    malformed_at: case("malformed --at", &["quota", "--plan", REQUESTS_PLAN, "--at", "2026-13-01"], &["--at", "\"2026-13-01\"", "expected"]),
    used_and_log_together: case("--used and --log together", &["quota", "--plan", REQUESTS_PLAN, "--used", "1", "--log", "x.csv"], &["--used", "--log", "cannot be used with"]),
    missing_log_file: case("missing --log file", &["quota", "--plan", REQUESTS_PLAN, "--log", "missing.csv"], &["--log", "missing.csv", "No such file"]),
    a_directory_as_log: with("a directory as --log", &[("dir.csv", F::Dir)], &["quota", "--plan", REQUESTS_PLAN, "--log", "dir.csv"], &["--log", "dir.csv", "directory"]),
    unreadable_log: case("unreadable --log", &["quota", "--plan", REQUESTS_PLAN, "--log", "/proc/self/mem"], &["--log", "/proc/self/mem", "cannot read"]),
    non_utf_8_log: with("non-UTF-8 --log", &[("log.csv", F::Bytes(b"opened\n\xff\xfe\n"))], &["quota", "--plan", REQUESTS_PLAN, "--log", "log.csv"], &["log.csv", "not valid UTF-8"]),
    non_utf_8_log_on_stdin: piped("non-UTF-8 --log on stdin", b"opened\n2026-11-02 10:00\n\xff\n", &["quota", "--plan", REQUESTS_PLAN, "--log", "-"], &["<stdin>", "valid UTF-8"]),
    log_row_with_a_bad_time: with("--log row with a bad time", &[("log.csv", F::Text("opened\n2026-11-02 10:00\nyesterday\n"))], &["quota", "--plan", REQUESTS_PLAN, "--log", "log.csv"], &["log.csv line 3", "\"yesterday\"", "expected"]),
    log_row_with_negative_hours: with("--log row with negative hours", &[("log.csv", F::Text("opened,hours\n2026-11-02 10:00,-2\n"))], &["quota", "--plan", "cloud", "--subscription", "12500", "--log", "log.csv"], &["log.csv line 2", "\"-2\"", "expected hours >= 0"]),
    log_without_an_opened_column: with("--log without an opened column", &[("log.csv", F::Text("when,hours\n2026-11-02 10:00,1\n"))], &["quota", "--plan", REQUESTS_PLAN, "--log", "log.csv"], &["log.csv", "no \"opened\" column", "when,hours"]),
    // ---------------------------------------------------------------- credit
    outage_ending_before_it_starts: case("outage ending before it starts", &["credit", "--plan", "cloud", "--subscription", "12500", "--outage", "2026-11-20 12:00/2026-11-20 11:00"], &["--outage", "\"2026-11-20 12:00/2026-11-20 11:00\"", "ends before it starts"]),
    outage_without_a_slash: case("outage without a slash", &["credit", "--plan", "cloud", "--subscription", "12500", "--outage", "2026-11-20 12:00"], &["--outage", "\"2026-11-20 12:00\"", "START/END"]),
    outage_in_a_dst_gap: case("outage in a DST gap", &["credit", "--plan", "cloud", "--subscription", "12500", "--outage", "2026-03-29 02:30/2026-03-29 05:00"], &["\"2026-03-29 02:30\"", "Europe/Zurich", "+01:00", "+02:00"]),
    subscription_with_a_comma: case("--subscription with a comma", &["credit", "--plan", "cloud", "--subscription", "12,500"], &["--subscription", "\"12,500\"", "expected an amount"]),
    subscription_with_three_decimals: case("--subscription with three decimals", &["credit", "--plan", "cloud", "--subscription", "12.345"], &["--subscription", "\"12.345\"", "two decimals"]),
    subscription_too_large: case("--subscription too large", &["credit", "--plan", "cloud", "--subscription", "99999999999999999"], &["--subscription", "\"99999999999999999\""]),
    period_start_month_13: case("--period-start month 13", &["credit", "--plan", "cloud", "--subscription", "12500", "--period-start", "2026-13-01"], &["--period-start", "\"2026-13-01\"", "YYYY-MM-DD"]),
    missing_outages_file: case("missing --outages file", &["credit", "--plan", "cloud", "--subscription", "12500", "--outages", "missing.csv"], &["--outages", "missing.csv", "No such file"]),
    a_directory_as_outages: with("a directory as --outages", &[("out", F::Dir)], &["credit", "--plan", "cloud", "--subscription", "12500", "--outages", "out"], &["--outages", "out", "directory"]),
    unreadable_outages: case("unreadable --outages", &["credit", "--plan", "cloud", "--subscription", "12500", "--outages", "/proc/self/mem"], &["--outages", "/proc/self/mem", "cannot read"]),
    non_utf_8_outages: with("non-UTF-8 --outages", &[("o.csv", F::Bytes(b"start,end\n2026-01-01 10:00,\xe9\n"))], &["credit", "--plan", "cloud", "--subscription", "12500", "--outages", "o.csv"], &["o.csv", "not valid UTF-8"]),
    outages_row_ending_before_it_starts: with("--outages row ending before it starts", &[("o.csv", F::Text("start,end\n2026-02-14 08:00,2026-02-13 08:00\n"))], &["credit", "--plan", "cloud", "--subscription", "12500", "--outages", "o.csv"], &["o.csv line 2", "ends before it starts"]),
    outages_without_an_end_column: with("--outages without an end column", &[("o.csv", F::Text("start,finish\n2026-02-14 08:00,2026-02-15 08:00\n"))], &["credit", "--plan", "cloud", "--subscription", "12500", "--outages", "o.csv"], &["o.csv", "no \"end\" column", "start,finish"]),
    // ---------------------------------------------------------------- entitlements
    entitlements_of_an_unknown_plan: case("entitlements of an unknown plan", &["entitlements", "--plan", "gld"], &["unknown plan \"gld\"", "did you mean"]),
    unknown_feature: case("unknown feature", &["entitlements", "--plan", "gold", "--check", "teleport"], &["unknown feature \"teleport\"", "phone"]),
    entitlements_without_plan: case("entitlements without --plan", &["entitlements"], &["--plan"]),
    // ---------------------------------------------------------------- plans
    plans_show_of_an_unknown_plan: case("plans show of an unknown plan", &["plans", "show", "nope"], &["unknown plan \"nope\""]),
    plans_compare_with_one_plan: case("plans compare with one plan", &["plans", "compare", "gold"], &["PLAN"]),
    plans_compare_with_an_unknown_plan: case("plans compare with an unknown plan", &["plans", "compare", "gold", "silverr"], &["unknown plan \"silverr\"", "did you mean", "apizee-silver"]),
    unknown_plans_subcommand: case("unknown plans subcommand", &["plans", "frobnicate"], &["'frobnicate'"]),
    plans_path_that_does_not_exist: case("--plans path that does not exist", &["--plans", "no-such-dir", "plans", "list"], &["no-such-dir", "No such file"]),
    // ---------------------------------------------------------------- check (plan files)
    invalid_toml_at_line_column: with("invalid TOML, at line:column", &[("bad.toml", F::Text("[calendars.c\nzone = 1\n"))], &["check", "bad.toml"], &["bad.toml:1:13", "expected `]`"]),
    unknown_key_reported_not_ignored: with("unknown key, reported not ignored", &[("bad.toml", F::Text(cal!("Europe/Paris", "mon-fri = [\"09:00-18:00\"]", "colour = \"red\"")))], &["check", "bad.toml"], &["bad.toml:4:1", "unknown field `colour`", "expected one of", "zone"]),
    overlapping_intervals: with("overlapping intervals", &[("bad.toml", F::Text(cal!("mon-fri = [\"09:00-12:00\", \"11:00-13:00\"]")))], &["check", "bad.toml"], &["bad.toml:3:", "overlapping intervals", "09:00-12:00", "11:00-13:00"]),
    empty_interval: with("empty interval", &[("bad.toml", F::Text(cal!("mon-fri = [\"09:00-09:00\"]")))], &["check", "bad.toml"], &["bad.toml:3:", "\"09:00-09:00\"", "is empty", "overnight"]),
    overnight_interval_into_the_next_morning: with("overnight interval into the next morning", &[("bad.toml", F::Text(cal!("mon-fri = [\"08:00-12:00\", \"22:00-09:00\"]")))], &["check", "bad.toml"], &["bad.toml:3:", "overnight mon 22:00-09:00 runs into tue 08:00-12:00"]),
    hour_25_in_an_interval: with("hour 25 in an interval", &[("bad.toml", F::Text(cal!("mon-fri = [\"09:00-25:00\"]")))], &["check", "bad.toml"], &["bad.toml:3:22", "\"25:00\"", "HH:MM from 00:00 to 24:00"]),
    unknown_time_zone: with("unknown time zone", &[("bad.toml", F::Text(cal!("Europe/Pariss", "mon-fri = [\"09:00-18:00\"]", "")))], &["check", "bad.toml"], &["bad.toml:2:8", "unknown time zone \"Europe/Pariss\"", "Europe/Paris"]),
    holiday_on_30_february: with("holiday on 30 February", &[("bad.toml", F::Text(concat!("[holiday_sets.h]\nsource = \"s\"\nrules = [{ name = \"Leap\", date = \"02-30\" }]\n", cal!("Europe/Paris", "mon-fri = [\"09:00-18:00\"]", "holidays = [\"h\"]"))))], &["check", "bad.toml"], &["bad.toml:3:", "\"02-30\"", "no day 30"]),
    calendar_with_no_working_time: with("calendar with no working time", &[("bad.toml", F::Text(cal!("")))], &["check", "bad.toml"], &["bad.toml:3:", "calendar c", "no working time"]),
    alias_used_by_two_plans: with("alias used by two plans", &[("bad.toml", F::Text(ALIAS_TWICE))], &["check", "bad.toml"], &["bad.toml:11:12", "alias \"pro\" of plan y is already used by plan x", "unique"]),
    priority_with_no_target: with("priority with no target", &[("bad.toml", F::Text("[[plans]]\nid = \"x\"\nprovider = \"X\"\ncalendar = \"24x7\"\n\n[[plans.priorities]]\nname = \"urgent\"\nsource = \"s\"\n"))], &["check", "bad.toml"], &["bad.toml:6:1", "priority \"urgent\" has no target", "target = "]),
    bd_target_on_unequal_days_without_business_day: with("bd target on unequal days without business_day", &[("bad.toml", F::Text(concat!("[calendars.c]\nzone = \"Europe/Paris\"\nhours = { mon-thu = [\"09:00-18:00\"], fri = [\"09:00-12:00\"] }\nsource = \"s\"\n", plan_x!("1bd"))))], &["check", "bad.toml"], &["bad.toml:3:9", "working days differ in length", "fri 3h", "business_day"]),
    unequal_days_without_business_day_even_with_no_bd_target_spec_2: with("unequal days without business_day, even with no bd target (SPEC §2)", &[("bad.toml", F::Text(cal!("mon-thu = [\"09:00-18:00\"], fri = [\"09:00-12:00\"]")))], &["check", "bad.toml"], &["bad.toml:3:9", "working days differ in length", "business_day"]),
    duplicate_plan_ids_in_one_file: with("duplicate plan ids in one file", &[("bad.toml", F::Text(concat!(cal!("mon-fri = [\"09:00-18:00\"]"), plan_x!("2h"))))], &["check", "bad.toml"], &["bad.toml:", "plan id \"x\" is defined twice in this file"]),
    invalid_target: with("invalid target", &[("bad.toml", F::Text(concat!("[calendars.c]\nzone = \"UTC\"\nhours = { mon = [\"09:00-18:00\"] }\nsource = \"s\"\n", plan_x!("2 days"))))], &["check", "bad.toml"], &["bad.toml:13:10", "invalid target \"2 days\"", "expected e.g. 4h"]),
    non_utf_8_plan_file: with("non-UTF-8 plan file", &[("bad.toml", F::Bytes(b"[calendars.c]\nzone = \"\xff\"\n"))], &["check", "bad.toml"], &["bad.toml", "not valid UTF-8"]),
    missing_plan_file: case("missing plan file", &["check", "nope.toml"], &["nope.toml", "No such file"]),
    unreadable_plan_file: case("unreadable plan file", &["check", "/proc/self/mem"], &["/proc/self/mem", "cannot read"]),
    plan_file_over_1_mib: with("plan file over 1 MiB", &[("big.toml", F::Gen(huge_plan_file))], &["check", "big.toml"], &["big.toml", "bytes", "1 MiB"]),
    more_than_1000_holiday_rules_in_a_set: with("more than 1,000 holiday rules in a set", &[("bad.toml", F::Gen(many_holidays))], &["check", "bad.toml"], &["bad.toml:1:1", "holiday set has 1001 rules; the limit is 1000"]),
    more_than_1000_holidays_in_a_calendar: with("more than 1,000 holidays in a calendar", &[("bad.toml", F::Gen(two_holiday_sets))], &["check", "bad.toml"], &["bad.toml:", "calendar has 1205 intervals, holidays and overrides; the limit is 1000"]),
    more_than_1000_intervals: with("more than 1,000 intervals", &[("bad.toml", F::Gen(many_intervals))], &["check", "bad.toml"], &["bad.toml:", "calendar has 1001 intervals, holidays and overrides; the limit is 1000"]),
    a_bad_file_given_with_plans_fails_every_command: with("a bad file given with --plans fails every command", &[("bad.toml", F::Text(cal!("mon-fri = [\"09:00-25:00\"]")))], &["--plans", "bad.toml", "deadline", "--plan", "x", "--priority", "urgent"], &["bad.toml:3:22", "\"25:00\""]),
    // ---------------------------------------------------------------- batch
    missing_input_file: case("missing --input file", &["batch", "--input", "nope.csv"], &["--input", "nope.csv", "No such file"]),
    a_directory_as_input: with("a directory as --input", &[("in", F::Dir)], &["batch", "--input", "in"], &["--input", "in", "directory"]),
    unreadable_input: case("unreadable --input", &["batch", "--input", "/proc/self/mem"], &["--input /proc/self/mem", "cannot read"]),
    header_without_an_opened_column: piped("header without an opened column", b"id,plan,priority\n1,gold,major\n", &["batch", "--input", "-"], &["no \"opened\" column", "id,plan,priority,opened", "got: id,plan,priority"]),
    empty_input: piped("empty input", b"", &["batch", "--input", "-"], &["batch input is empty", "expected a header"]),
    strict_stops_at_a_bad_row: piped("--strict stops at a bad row", b"id,plan,priority,opened\n1,gold,major,2026-11-20 10:00\n2,gold,major,bad\n", &["batch", "--input", "-", "--strict"], &["--input -: line 3", "\"bad\"", "expected"]),
    strict_and_an_unknown_plan: piped("--strict and an unknown plan", b"id,plan,priority,opened\n1,gld,major,2026-11-20 10:00\n", &["batch", "--input", "-", "--strict"], &["line 2", "unknown plan \"gld\""]),
    strict_and_a_non_utf_8_row: piped("--strict and a non-UTF-8 row", b"id,plan,priority,opened\n1,gold,major,\xff\n", &["batch", "--input", "-", "--strict"], &["line 2", "not valid UTF-8"]),
    strict_and_a_row_over_64kib: with("--strict and a row over 64 KiB", &[("long.csv", F::Gen(long_batch_row))], &["batch", "--input", "long.csv", "--strict"], &["--input long.csv: line 2", "longer than 65536 bytes"]),
    batch_with_an_unknown_tz: case("batch with an unknown --tz", &["batch", "--input", "-", "--tz", "Nowhere/City"], &["\"Nowhere/City\"", "IANA"]),
    batch_with_a_malformed_now: case("batch with a malformed --now", &["batch", "--input", "-", "--now", "2026-02-30 10:00"], &["--now", "\"2026-02-30 10:00\""]),
    batch_without_input: case("batch without --input", &["batch"], &["--input"]),
    // ---------------------------------------------------------------- completions, globals, usage
    completions_for_an_unknown_shell: case("completions for an unknown shell", &["completions", "tcsh-but-not-really"], &["'tcsh-but-not-really'", "bash"]),
    completions_without_a_shell: case("completions without a shell", &["completions"], &["<SHELL>"]),
    unknown_subcommand: case("unknown subcommand", &["deadlines"], &["'deadlines'"]),
    no_subcommand: case("no subcommand", &[], &["Usage"]),
}

/// The commands every row must cover at least once.
const COMMANDS: [&str; 9] =
    ["deadline", "status", "quota", "credit", "entitlements", "plans", "check", "batch", "completions"];

/// Runs one row and checks the contract (exit 2, empty stdout, every expected
/// text on stderr, no panic); returns stderr.
#[track_caller]
pub(crate) fn run(c: &Case) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, f) in c.files {
        let path = dir.path().join(file);
        match f {
            F::Text(t) => std::fs::write(&path, t),
            F::Bytes(b) => std::fs::write(&path, b),
            F::Gen(g) => std::fs::write(&path, g()),
            F::Dir => std::fs::create_dir(&path),
        }
        .expect("write fixture");
    }
    let mut cmd = slacalc(c.args).dir(dir.path()).stdin(c.stdin);
    for (k, v) in c.env {
        cmd = cmd.env(k, v);
    }
    let r = cmd.run();
    assert!(!r.stderr.contains("panicked"), "{} (slacalc {}): panic:\n{}", c.what, c.args.join(" "), r.stderr);
    r.bad(c.expect);
    r.stderr
}

#[test]
fn the_matrix_has_a_row_for_every_command() {
    assert!(CASES.len() >= 60, "the matrix has {} rows", CASES.len());
    for cmd in COMMANDS {
        assert!(CASES.iter().any(|c| c.args.contains(&cmd)), "no row covers {cmd}");
    }
}
