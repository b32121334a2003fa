//! `slacalc quota`: request and hour quotas, logs, periods, states, errors.
//! Every figure below is worked out by hand in the comment next to it.

use serde_json::{Value, json};

use crate::util::{json, slacalc, temp_file};

const NOW: &str = "2026-06-20T12:00:00Z";

/// `quota` with a fixed now, as JSON.
fn q(args: &[&str]) -> Value {
    let mut a = vec!["quota", "--now", NOW];
    a.extend_from_slice(args);
    json(&a)
}

fn tiered() -> String {
    format!("{}/examples/tiered-vendor.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn biings_hours_per_full_thousand_francs() {
    // floor(999 / 1000) = 0 h: exhausted at once.
    let v = q(&["--plan", "biings-cloud", "--subscription", "CHF 999"]);
    assert_eq!(v["allowance"], 0);
    assert_eq!(v["remaining"], 0);
    assert_eq!(v["state"], "exhausted");
    assert_eq!(v["unit"], "hours");
    // 1000 → 1 h.
    let v = q(&["--plan", "biings-cloud", "--subscription", "CHF 1000"]);
    assert_eq!((v["allowance"].clone(), v["state"].clone()), (json!(1), json!("ok")));
    // 12,500 → 12 h (the half thousand does not count).
    let v = q(&["--plan", "biings-onprem", "--subscription", "12500", "--used", "4h30m"]);
    assert_eq!(v["allowance"], 12);
    assert_eq!(v["used"], 4.5);
    assert_eq!(v["remaining"], 7.5);
    assert_eq!(v["used_seconds"], 16_200);
    assert_eq!(v["remaining_seconds"], 27_000);
    assert_eq!(v["state"], "ok");
}

#[test]
fn contract_fields_come_first_in_order() {
    let v = q(&["--plan", "cloud", "--subscription", "12500"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).take(8).collect();
    assert_eq!(keys, ["plan", "unit", "period_start", "period_end", "allowance", "used", "remaining", "state"]);
    // The subscription year defaults to 1 January of the year holding --at, midnight in Zurich.
    assert_eq!(v["period_start"], "2026-01-01T00:00:00+01:00");
    assert_eq!(v["period_end"], "2027-01-01T00:00:00+01:00");
    assert_eq!(v["warn_percent"], 80);
    assert_eq!(v["excluded_kinds"], json!(["bug", "global"]));
}

#[test]
fn subscription_amount_forms() {
    for s in ["12500", "12500.50", "CHF12500", "CHF 12500", "12500 CHF", "chf12500", "12'500"] {
        let v = q(&["--plan", "cloud", "--subscription", s]);
        assert_eq!(v["allowance"], 12, "{s}");
    }
}

#[test]
fn hours_used_forms() {
    for used in ["4.5h", "4h30m", "4.5", "270m"] {
        let v = q(&["--plan", "cloud", "--subscription", "12500", "--used", used]);
        assert_eq!(v["used"], 4.5, "{used}");
    }
}

#[test]
fn warning_at_eighty_percent_of_hours() {
    // 80 % of 12 h = 9.6 h = 9h36m.
    let at = |used: &str| q(&["--plan", "cloud", "--subscription", "12500", "--used", used])["state"].clone();
    assert_eq!(at("9h35m"), "ok");
    assert_eq!(at("9h36m"), "warning");
    assert_eq!(at("11h59m"), "warning");
    assert_eq!(at("12h"), "exhausted");
    let v = q(&["--plan", "cloud", "--subscription", "12500", "--used", "13.25"]);
    assert_eq!((v["state"].clone(), v["remaining"].clone()), (json!("exhausted"), json!(-1.25)));
}

#[test]
fn bug_and_global_requests_do_not_count() {
    let log = "opened,hours,kind\n\
        2025-12-31T23:30:00Z,5,account\n\
        2026-01-12 09:30,2,account\n\
        2026-02-03 14:00,3,bug\n\
        2026-03-10 11:15,1h30m,Account\n\
        2026-04-22 08:45,4,GLOBAL\n\
        2027-01-01 00:00,1,account\n";
    let (_d, path) = temp_file("log.csv", log);
    let v = q(&["--plan", "cloud", "--subscription", "12500", "--log", path.to_str().unwrap()]);
    // 2025-12-31T23:30Z is 00:30 on 1 January in Zurich: it counts. 5 + 2 + 1.5 = 8.5 h.
    assert_eq!(v["used"], 8.5);
    assert_eq!(v["counted"], 3);
    assert_eq!(v["excluded"], 2);
    assert_eq!(v["outside_period"], 1);
    assert_eq!(v["log_rows"], 6);
    assert_eq!(v["state"], "ok");
}

#[test]
fn shipped_example_log() {
    let log = format!("{}/examples/request-log.csv", env!("CARGO_MANIFEST_DIR"));
    let v = q(&["--plan", "onprem", "--subscription", "CHF 12500", "--log", &log]);
    // 2026 rows: 1.5 + 2.5 + 0.75 + 2.25 = 7 h counted; the bug and global rows excluded; 2025 outside.
    assert_eq!((v["used"].clone(), v["counted"].clone(), v["excluded"].clone()), (json!(7), json!(4), json!(2)));
    assert_eq!(v["outside_period"], 1);
}

#[test]
fn otter_basic_fourth_request_ok_fifth_exhausted() {
    // 3 used: the 4th request still fits (3/4 = 75 % < 80 %): ok, --check passes.
    let r = slacalc(&["quota", "--now", NOW, "--plan", "basic", "--used", "3", "--check", "--format", "json"]).run();
    r.ok();
    assert_eq!(r.json()["state"], "ok");
    assert_eq!(r.json()["remaining"], 1);
    // 4 used: exhausted, a 5th would exceed: --check exits 1 and still answers.
    let r = slacalc(&["quota", "--now", NOW, "--plan", "basic", "--used", "4", "--check", "--format", "json"]).run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.json()["state"], "exhausted");
    assert_eq!(r.json()["remaining"], 0);
    // Without --check the same answer exits 0.
    assert_eq!(q(&["--plan", "basic", "--used", "5"])["remaining"], -1);
}

#[test]
fn month_is_cut_in_the_plan_zone() {
    // 2026-11-30T23:30Z is 00:30 on 1 December in Paris: it counts in December.
    let log = "opened\n2026-11-30T23:30:00Z\n2026-12-02T10:00:00+01:00\n2026-12-20 10:00\n2026-12-31T22:59:59Z\n2026-11-30T22:59:59Z\n";
    let (_d, path) = temp_file("log.csv", log);
    let p = path.to_str().unwrap();
    let dec = q(&["--plan", "otter-basic", "--log", p, "--at", "2026-12-15T12:00:00+01:00"]);
    assert_eq!(dec["period_start"], "2026-12-01T00:00:00+01:00");
    assert_eq!(dec["period_end"], "2027-01-01T00:00:00+01:00");
    assert_eq!((dec["used"].clone(), dec["state"].clone()), (json!(4), json!("exhausted")));
    let nov = q(&["--plan", "otter-basic", "--log", p, "--at", "2026-11-30T23:00:00+01:00"]);
    assert_eq!(nov["period_start"], "2026-11-01T00:00:00+01:00");
    assert_eq!((nov["used"].clone(), nov["state"].clone()), (json!(1), json!("ok")));
    // --at itself is read in the plan's zone: 23:30Z on the 30th is December.
    let edge = q(&["--plan", "otter-basic", "--at", "2026-11-30T23:30:00Z"]);
    assert_eq!(edge["period_start"], "2026-12-01T00:00:00+01:00");
    // --utc prints the same instants in UTC.
    let utc = q(&["--plan", "otter-basic", "--at", "2026-11-30T23:30:00Z", "--utc"]);
    assert_eq!(utc["period_start"], "2026-11-30T23:00:00Z");
}

#[test]
fn subscription_year_from_period_start_and_anniversaries() {
    let v = q(&["--plan", "cloud", "--subscription", "12500", "--period-start", "2025-03-01"]);
    // --at (now, June 2026) is more than a year after the start: the anniversary period holding it.
    assert_eq!(v["period_start"], "2026-03-01T00:00:00+01:00");
    assert_eq!(v["period_end"], "2027-03-01T00:00:00+01:00");
    let v =
        q(&["--plan", "cloud", "--subscription", "12500", "--period-start", "2025-09-15", "--at", "2026-09-14 23:59"]);
    assert_eq!(v["period_start"], "2025-09-15T00:00:00+02:00");
}

#[test]
fn per_contract_allowance_needs_allowance() {
    let r = slacalc(&["quota", "--now", NOW, "--plan", "gold"]).run();
    r.bad(&["apizee-gold", "--allowance N"]);
    let v = q(&["--plan", "gold", "--allowance", "10", "--used", "8h"]);
    assert_eq!((v["allowance"].clone(), v["used"].clone()), (json!(10), json!(8)));
    assert_eq!(v["state"], "warning");
    assert_eq!(v["assumed"], false);
    let v = q(&["--plan", "gold", "--allowance", "0"]);
    assert_eq!(v["state"], "exhausted");
    // --allowance overrides a published figure too.
    let v = q(&["--plan", "basic", "--allowance", "10", "--used", "4"]);
    assert_eq!((v["allowance"].clone(), v["state"].clone()), (json!(10), json!("ok")));
}

#[test]
fn plans_without_a_limit() {
    let v = q(&["--plan", "cirrus-paying", "--used", "40"]);
    assert_eq!(v["unit"], "requests");
    assert_eq!(v["allowance"], Value::Null);
    assert_eq!(v["remaining"], Value::Null);
    assert_eq!(v["state"], "unlimited");
    let v = q(&["--plan", "premium", "--used", "400"]);
    assert_eq!((v["state"].clone(), v["period"].clone()), (json!("unlimited"), json!("month")));
    let r = slacalc(&["quota", "--now", NOW, "--plan", "premium", "--used", "400", "--check"]).run();
    r.ok();
}

#[test]
fn table_shows_a_bar() {
    let r = slacalc(&["quota", "--now", NOW, "--plan", "cloud", "--subscription", "12500", "--used", "8"]).run();
    // 8 / 12 = 66.7 %: 13 of 20 cells.
    assert!(r.ok().contains("8 / 12 hours [#############-------] 67 %"), "{}", r.stdout);
}

#[test]
fn csv_output_has_a_header_row() {
    let r = slacalc(&["quota", "--now", NOW, "--plan", "basic", "--used", "2", "--format", "csv"]).run();
    let out = r.ok();
    assert!(out.starts_with("plan,unit,period_start,period_end,allowance,used,remaining,state"), "{out}");
    assert!(out.lines().nth(1).unwrap().starts_with("otter-basic,requests,"), "{out}");
}

#[test]
fn example_plan_weekly_requests_in_new_york() {
    let plans = tiered();
    // Sunday 2026-06-21 23:00 in New York is 03:00Z Monday: still the week from Monday the 15th.
    let v = json(&["--plans", &plans, "quota", "--plan", "nimbus", "--used", "1", "--at", "2026-06-22T03:00:00Z"]);
    assert_eq!(v["period_start"], "2026-06-15T00:00:00-04:00");
    assert_eq!(v["period_end"], "2026-06-22T00:00:00-04:00");
    // 1 of 2 = 50 % = the plan's warn_percent.
    assert_eq!((v["allowance"].clone(), v["state"].clone()), (json!(2), json!("warning")));
    let v = json(&["--plans", &plans, "quota", "--plan", "nimbus", "--used", "2", "--now", NOW]);
    assert_eq!(v["state"], "exhausted");
}

#[test]
fn bad_amounts_exit_2() {
    for (amount, needle) in [
        ("-5", "must not be negative"),
        ("CHF -5", "must not be negative"),
        ("12,500", "\"12,500\""),
        ("12.345", "two decimals"),
        ("abc", "\"abc\""),
        ("", "--subscription"),
    ] {
        slacalc(&["quota", "--now", NOW, "--plan", "cloud", "--subscription", amount]).run().bad(&[needle]);
    }
}

#[test]
fn currency_mismatch_exits_2() {
    let r = slacalc(&["quota", "--now", NOW, "--plan", "cloud", "--subscription", "EUR 12500"]).run();
    r.bad(&["EUR", "CHF"]);
}

#[test]
fn missing_subscription_exits_2() {
    let r = slacalc(&["quota", "--now", NOW, "--plan", "onprem", "--used", "1h"]).run();
    r.bad(&["biings-onprem", "--subscription AMOUNT"]);
}

#[test]
fn bad_used_and_allowance_exit_2() {
    let sub = ["--subscription", "12500"];
    let run = |extra: &[&str]| {
        let mut a = vec!["quota", "--now", NOW, "--plan", "cloud"];
        a.extend_from_slice(&sub);
        a.extend_from_slice(extra);
        slacalc(&a).run()
    };
    run(&["--used", "4.5x"]).bad(&["--used", "\"4.5x\""]);
    run(&["--used", "-1h"]).bad(&["--used"]);
    slacalc(&["quota", "--now", NOW, "--plan", "basic", "--used", "3.5"]).run().bad(&["whole number of requests"]);
    slacalc(&["quota", "--now", NOW, "--plan", "gold", "--allowance", "ten"]).run().bad(&["--allowance", "\"ten\""]);
    run(&["--period-start", "2026-02-30"]).bad(&["--period-start", "2026-02-30"]);
    run(&["--at", "yesterday"]).bad(&["--at"]);
    slacalc(&["quota", "--now", NOW, "--plan", "cirrus-paying", "--allowance", "3"]).run().bad(&["no support quota"]);
}

#[test]
fn used_and_log_are_exclusive() {
    let (_d, path) = temp_file("log.csv", "opened\n");
    let r = slacalc(&["quota", "--now", NOW, "--plan", "basic", "--used", "1", "--log", path.to_str().unwrap()]).run();
    r.bad(&["--log"]);
}

#[test]
fn malformed_log_rows_name_the_line() {
    let cases = [
        ("opened,hours,kind\n2026-03-01T10:00:00Z,1,account\n2026-03-02 25:00,1,account\n", "line 3"),
        ("opened,hours,kind\n2026-03-01T10:00:00Z,1,account\n\n2026-03-02T10:00:00Z,-2,account\n", "line 4"),
        ("opened,hours\n2026-03-01T10:00:00Z,lots\n", "\"lots\""),
        ("when,hours\n2026-03-01T10:00:00Z,1\n", "no \"opened\" column"),
        ("opened,hours,kind\n2026-03-01T10:00:00Z,,account\n", "no hours given"),
    ];
    for (text, needle) in cases {
        let (_d, path) = temp_file("log.csv", text);
        let r = slacalc(&[
            "quota",
            "--now",
            NOW,
            "--plan",
            "cloud",
            "--subscription",
            "12500",
            "--log",
            path.to_str().unwrap(),
        ])
        .run();
        r.bad(&[needle]);
    }
    slacalc(&["quota", "--now", NOW, "--plan", "basic", "--log", "/nonexistent/log.csv"])
        .run()
        .bad(&["/nonexistent/log.csv"]);
}

#[test]
fn log_from_stdin() {
    let r = slacalc(&["quota", "--now", NOW, "--plan", "basic", "--log", "-", "--format", "json"])
        .stdin("opened,kind\n2026-06-01 10:00,account\n2026-06-02 10:00,\n")
        .run();
    r.ok();
    assert_eq!(r.json()["used"], 2);
}

/// `--log` as Excel saves it: `;` or tab with --delimiter, a BOM, CRLF or
/// CR-only line ends: the same answer, the right line numbers; without
/// --delimiter the missing-column message names it.
#[test]
fn log_takes_a_delimiter_a_bom_and_cr_line_ends() {
    let shipped = std::fs::read_to_string(format!("{}/examples/request-log.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let want = q(&["--plan", "onprem", "--subscription", "CHF 12500", "--log", "examples/request-log.csv"]);
    for (sep, flag) in [(";", ";"), ("\t", "tab")] {
        for ending in ["\r\n", "\r"] {
            let text = format!("\u{feff}{}", shipped.replace(',', sep).replace('\n', ending));
            let (_d, path) = temp_file("log.csv", &text);
            let p = path.to_str().unwrap();
            let v = q(&["--plan", "onprem", "--subscription", "CHF 12500", "--log", p, "--delimiter", flag]);
            assert_eq!(v, want, "{sep:?} {ending:?}");
            let r =
                slacalc(&["quota", "--now", NOW, "--plan", "onprem", "--subscription", "CHF 12500", "--log", p]).run();
            let hint = if sep == ";" { "try --delimiter ';'" } else { "try --delimiter tab" };
            r.bad(&["no \"opened\" column", hint]);
            // A bad value on line 3 is named line 3.
            let bad = text.replacen("2026-01-12 09:30", "someday", 1);
            let (_d2, path) = temp_file("log.csv", &bad);
            let r = slacalc(&[
                "quota",
                "--now",
                NOW,
                "--plan",
                "onprem",
                "--subscription",
                "CHF 12500",
                "--log",
                path.to_str().unwrap(),
                "--delimiter",
                flag,
            ])
            .run();
            r.bad(&["line 3: opened", "someday"]);
        }
    }
    // --delimiter is for --log only; a bad one names itself.
    slacalc(&["quota", "--now", NOW, "--plan", "basic", "--used", "1", "--delimiter", ";"]).run().bad(&["--log"]);
    let r =
        slacalc(&["quota", "--now", NOW, "--plan", "onprem", "--log", "examples/request-log.csv", "--delimiter", "::"])
            .run();
    r.bad(&["--delimiter \"::\""]);
}
