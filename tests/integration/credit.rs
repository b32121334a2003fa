//! `slacalc credit`: uptime over the period, per-outage credits, tiers, caps,
//! errors. Figures are worked out by hand next to each assertion.

use serde_json::{Value, json};

use crate::util::{json, slacalc, temp_file};

const NOW: &str = "2026-06-20T12:00:00Z";

/// `credit --plan biings-cloud --subscription CHF 12500` for the 2026
/// subscription year (365 days = 31,536,000 s), with `--outage` values.
fn cloud(outages: &[&str]) -> Value {
    let mut a =
        vec!["credit", "--now", NOW, "--plan", "cloud", "--subscription", "CHF 12500", "--period-start", "2026-01-01"];
    for o in outages {
        a.extend(["--outage", o]);
    }
    json(&a)
}

fn tiered() -> String {
    format!("{}/examples/tiered-vendor.toml", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn exactly_24_hours_earns_no_outage_credit() {
    let v = cloud(&["2026-03-01 08:00/2026-03-02 08:00"]);
    assert_eq!(v["downtime_seconds"], 86_400);
    assert_eq!(v["outages"][0]["duration_seconds"], 86_400);
    assert_eq!(v["outages"][0]["days_credited"], 0);
    assert_eq!(v["outages"][0]["credit"], "0.00");
    assert_eq!(v["outage_credit_total"], "0.00");
    assert_eq!(v["below_threshold"], false);
    let r = slacalc(&[
        "credit",
        "--now",
        NOW,
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--outage",
        "2026-03-01 08:00/2026-03-02 08:00",
        "--check",
    ])
    .run();
    r.ok();
}

#[test]
fn one_second_more_earns_two_days() {
    // ceil(86,401 / 86,400) = 2 days × 12,500 / 365 = 68.493… → CHF 68.49.
    let v = cloud(&["2026-03-01 08:00/2026-03-02 08:00:01"]);
    assert_eq!(v["outages"][0]["days_credited"], 2);
    assert_eq!(v["outages"][0]["credit"], "68.49");
    assert_eq!(v["outage_credit_total"], "68.49");
    assert_eq!(v["currency"], "CHF");
    let r = slacalc(&[
        "credit",
        "--now",
        NOW,
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--outage",
        "2026-03-01 08:00/2026-03-02 08:00:01",
        "--check",
        "--format",
        "json",
    ])
    .run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.json()["credit_due"], true);
}

#[test]
fn contract_fields_come_first_in_order() {
    let v = cloud(&[]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).take(11).collect();
    assert_eq!(
        keys,
        [
            "plan",
            "period_start",
            "period_end",
            "downtime_seconds",
            "uptime_percent",
            "threshold_percent",
            "below_threshold",
            "outages",
            "outage_credit_total",
            "currency",
            "notes"
        ]
    );
    // No outage: 100 % uptime, nothing due.
    assert_eq!(v["uptime_percent"], 100);
    assert_eq!(v["threshold_percent"], 99.5);
    assert_eq!(v["period_start"], "2026-01-01T00:00:00+01:00");
    assert_eq!(v["period_end"], "2027-01-01T00:00:00+01:00");
    assert_eq!(v["commitment"], "uptime");
    assert_eq!(v["credit_due"], false);
}

#[test]
fn overlapping_outages_are_merged() {
    // 10:00–20:00 and 18:00–(next day) 12:00 overlap: one outage of 26 h → 2 days.
    let v = cloud(&["2026-04-01 18:00/2026-04-02 12:00", "2026-04-01 10:00/2026-04-01 20:00"]);
    assert_eq!(v["outages"].as_array().unwrap().len(), 1);
    assert_eq!(v["outages"][0]["start"], "2026-04-01T10:00:00+02:00");
    assert_eq!(v["outages"][0]["duration_seconds"], 26 * 3600);
    assert_eq!(v["outages"][0]["days_credited"], 2);
    assert_eq!(v["downtime_seconds"], 26 * 3600);
    // Touching outages merge too: 20 h + 5 h = 25 h > 24 h.
    let v = cloud(&["2026-04-01 00:00/2026-04-01 20:00", "2026-04-01 20:00/2026-04-02 01:00"]);
    assert_eq!(v["outages"].as_array().unwrap().len(), 1);
    assert_eq!(v["outages"][0]["days_credited"], 2);
}

#[test]
fn an_outage_straddling_the_period_start_is_clipped() {
    // Period from 2026-03-01 (Zurich). The outage starts 12 h before it and lasts 37 h: 25 h inside.
    let v = json(&[
        "credit",
        "--now",
        NOW,
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--period-start",
        "2026-03-01",
        "--outage",
        "2026-02-28 12:00/2026-03-02 01:00",
        "--outage",
        "2025-06-01 00:00/2025-06-03 00:00",
    ]);
    assert_eq!(v["period_start"], "2026-03-01T00:00:00+01:00");
    assert_eq!(v["period_end"], "2027-03-01T00:00:00+01:00");
    assert_eq!(v["outages"][0]["start"], "2026-03-01T00:00:00+01:00");
    assert_eq!(v["outages"][0]["duration_seconds"], 25 * 3600);
    assert_eq!(v["outages"][0]["days_credited"], 2);
    assert_eq!(v["outages_ignored"], 1);
    let notes = v["notes"].to_string();
    assert!(notes.contains("1 outage wholly outside the period was ignored"), "{notes}");
    assert!(notes.contains("1 outage was clipped"), "{notes}");
}

#[test]
fn exactly_half_a_percent_down_is_not_below() {
    // 0.5 % of 31,536,000 s = 157,680 s, in two outages of 78,840 s (21h54m) so no per-outage credit.
    let at = cloud(&["2026-03-01 00:00/2026-03-01 21:54", "2026-04-01 00:00/2026-04-01 21:54"]);
    assert_eq!(at["downtime_seconds"], 157_680);
    assert_eq!(at["uptime_percent"], 99.5);
    assert_eq!(at["below_threshold"], false);
    assert_eq!(at["below_threshold_credit"], Value::Null);
    assert_eq!(at["credit_due"], false);
    // One second more: below (99.499996 %, truncated so it never shows 99.5).
    let below = cloud(&["2026-03-01 00:00/2026-03-01 21:54", "2026-04-01 00:00/2026-04-01 21:54:01"]);
    assert_eq!(below["downtime_seconds"], 157_681);
    assert_eq!(below["uptime_percent"], 99.499996);
    assert_eq!(below["below_threshold"], true);
    assert_eq!(below["below_threshold_credit"], "due, amount per contract");
    assert!(below["notes"].to_string().contains("amount per contract"));
    let r = slacalc(&[
        "credit",
        "--now",
        NOW,
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--outage",
        "2026-03-01 00:00/2026-03-01 21:54",
        "--outage",
        "2026-04-01 00:00/2026-04-01 21:54:01",
        "--check",
    ])
    .run();
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("below_threshold"));
}

#[test]
fn default_period_is_the_year_holding_now() {
    let v = json(&["credit", "--now", "2027-02-10T10:00:00Z", "--plan", "cloud", "--subscription", "12500"]);
    assert_eq!(v["period_start"], "2027-01-01T00:00:00+01:00");
    assert!(v["notes"].to_string().contains("--period-start"));
}

#[test]
fn outages_from_a_file() {
    let file = format!("{}/examples/outages.csv", env!("CARGO_MANIFEST_DIR"));
    let v = json(&[
        "credit",
        "--now",
        NOW,
        "--plan",
        "cloud",
        "--subscription",
        "12500",
        "--period-start",
        "2026-01-01",
        "--outages",
        &file,
    ]);
    // New Year outage clipped to 3 h; the two February ones merge into 28 h (2 days, 68.49);
    // 2h30m in May; exactly 24 h in September (nothing). 3 + 28 + 2.5 + 24 = 57.5 h.
    assert_eq!(v["downtime_seconds"], 207_000);
    assert_eq!(v["outages"].as_array().unwrap().len(), 4);
    assert_eq!(v["outage_credit_total"], "68.49");
    // 207,000 s > 157,680 s: below 99.5 %.
    assert_eq!(v["below_threshold"], true);
}

#[test]
fn csv_and_table_outputs() {
    let base = ["credit", "--now", NOW, "--plan", "cloud", "--subscription", "12500", "--outage"];
    let mut a = base.to_vec();
    a.extend(["2026-03-01 08:00/2026-03-02 08:00:01", "--format", "csv"]);
    let r = slacalc(&a).run();
    assert!(r.ok().starts_with("plan,period_start,period_end,downtime_seconds"), "{}", r.stdout);
    assert!(r.stdout.contains("2 days credited, 68.49"), "{}", r.stdout);
    let mut a = base.to_vec();
    a.push("2026-03-01 08:00/2026-03-02 08:00:01");
    let r = slacalc(&a).run();
    assert!(r.ok().contains("days_credited") && r.stdout.contains("68.49"), "{}", r.stdout);
}

#[test]
fn no_commitment_answers_clearly() {
    for plan in ["onprem", "cirrus-paying"] {
        let r = slacalc(&[
            "credit",
            "--now",
            NOW,
            "--plan",
            plan,
            "--check",
            "--format",
            "json",
            "--outage",
            "2026-03-01 00:00/2026-03-09 00:00",
        ])
        .run();
        r.ok();
        let v = r.json();
        assert_eq!(v["commitment"], "none");
        assert_eq!(v["credit_due"], false);
        assert!(v["notes"][0].as_str().unwrap().contains("no uptime commitment"), "{v}");
    }
    let v = json(&["credit", "--now", NOW, "--plan", "onprem"]);
    assert_eq!(v["assumed"], true);
}

#[test]
fn example_tiers_per_month_in_new_york() {
    let plans = tiered();
    // April 2026 in New York: 30 days = 2,592,000 s; fee = USD 12,000 / 12 = 1,000.00.
    let april = |outages: &[&str]| {
        let mut a = vec![
            "--plans",
            &plans,
            "credit",
            "--now",
            NOW,
            "--plan",
            "nimbus",
            "--subscription",
            "USD 12000",
            "--period-start",
            "2026-04-01",
        ];
        for o in outages {
            a.extend(["--outage", o]);
        }
        json(&a)
    };
    // 0.1 % = 2,592 s (43m12s): uptime exactly 99.9 %, not below: no tier.
    let v = april(&["2026-04-10 09:00/2026-04-10 09:43:12"]);
    assert_eq!(v["period_start"], "2026-04-01T00:00:00-04:00");
    assert_eq!(v["period_fee"], "1000.00");
    assert_eq!((v["below_threshold"].clone(), v["tier"].clone()), (json!(false), Value::Null));
    assert_eq!(v["credit_total"], "0.00");
    // One second more: tier [99, 99.9): 10 % = 100.00.
    let v = april(&["2026-04-10 09:00/2026-04-10 09:43:13"]);
    assert_eq!(v["tier"]["credit_percent"], 10);
    assert_eq!(v["tier_credit"], "100.00");
    assert_eq!(v["credit_total"], "100.00");
    // Exactly 99.0 % (7h12m in two outages under the 4 h minimum): at_least is inclusive: still 10 %.
    let v = april(&["2026-04-10 09:00/2026-04-10 12:36", "2026-04-11 09:00/2026-04-11 12:36"]);
    assert_eq!(v["uptime_percent"], 99);
    assert_eq!(v["tier_credit"], "100.00");
    assert_eq!(v["outage_credit_total"], "0.00");
    // One second more: 25 %.
    let v = april(&["2026-04-10 09:00/2026-04-10 12:36", "2026-04-11 09:00/2026-04-11 12:36:01"]);
    assert_eq!(v["tier_credit"], "250.00");
    // 40 h in one outage: uptime 94.4 % → 50 % (500.00) + 40 started hours × 0.5 % × 12,000 (2,400.00)
    // = 2,900.00, capped at 50 % of the month's fee: 500.00.
    let v = april(&["2026-04-10 00:00/2026-04-11 16:00"]);
    assert_eq!(v["tier_credit"], "500.00");
    assert_eq!(v["outages"][0]["days_credited"], 40);
    assert_eq!(v["outage_credit_total"], "2400.00");
    assert_eq!(v["credit_total"], "500.00");
    assert_eq!(v["capped"], true);
    // The month is cut in New York: 23:00–01:00 EDT across 30 April counts 1 h in April.
    let v = april(&["2026-05-01T03:00:00Z/2026-05-01T05:00:00Z"]);
    assert_eq!(v["downtime_seconds"], 3600);
    // A check fails when a tier is reached.
    let r = slacalc(&[
        "--plans",
        &plans,
        "credit",
        "--now",
        NOW,
        "--plan",
        "nimbus",
        "--subscription",
        "12000",
        "--period-start",
        "2026-04-01",
        "--outage",
        "2026-04-10 09:00/2026-04-10 09:43:13",
        "--check",
    ])
    .run();
    assert_eq!(r.code, 1);
}

#[test]
fn inclusive_upper_bound() {
    let plan = r#"
[[plans]]
id = "incl-test"
provider = "Test"
calendar = "otter"
target = "none"
target_assumed = "test plan"

[plans.credit]
commitment = "uptime"
period = "month"
zone = "UTC"
currency = "EUR"
source = "test: \"99.5 % or less: 10 %; less than 99.9 %: 5 %\""

[[plans.credit.tiers]]
below = 99.5
below_inclusive = true
at_least = 90
credit_percent = 10

[[plans.credit.tiers]]
below = 99.9
at_least = 99.500001
credit_percent = 5
"#;
    let (_d, path) = temp_file("incl.toml", plan);
    let p = path.to_str().unwrap();
    // June = 2,592,000 s; 0.5 % = 12,960 s = 3h36m → exactly 99.5 %, in the inclusive tier.
    let v = json(&[
        "--plans",
        p,
        "credit",
        "--now",
        NOW,
        "--plan",
        "incl-test",
        "--subscription",
        "EUR 1200",
        "--period-start",
        "2026-06-01",
        "--outage",
        "2026-06-02T00:00:00Z/2026-06-02T03:36:00Z",
    ]);
    assert_eq!(v["tier"]["credit_percent"], 10);
    assert_eq!(v["tier_credit"], "10.00");
    assert_eq!(v["below_threshold"], true);
    let v = json(&[
        "--plans",
        p,
        "credit",
        "--now",
        NOW,
        "--plan",
        "incl-test",
        "--subscription",
        "EUR 1200",
        "--period-start",
        "2026-06-01",
        "--outage",
        "2026-06-02T00:00:00Z/2026-06-02T03:35:59Z",
    ]);
    assert_eq!(v["tier"]["credit_percent"], 5);
    assert_eq!(v["tier_credit"], "5.00");
}

#[test]
fn errors_exit_2() {
    let run = |extra: &[&str]| {
        let mut a = vec!["credit", "--now", NOW, "--plan", "cloud"];
        a.extend_from_slice(extra);
        slacalc(&a).run()
    };
    run(&["--subscription", "12500", "--outage", "2026-03-02 10:00/2026-03-01 10:00"]).bad(&["ends before it starts"]);
    run(&["--subscription", "12500", "--outage", "2026-03-02 10:00"]).bad(&["START/END"]);
    run(&["--subscription", "12500", "--outage", "2026-03-02 10:00/later"]).bad(&["--outage end", "\"later\""]);
    run(&["--subscription", "EUR 12500"]).bad(&["EUR", "CHF"]);
    run(&["--subscription", "-12500"]).bad(&["must not be negative"]);
    run(&["--subscription", "12.500,00"]).bad(&["--subscription"]);
    run(&[]).bad(&["--subscription AMOUNT"]);
    run(&["--subscription", "12500", "--period-start", "01/03/2026"]).bad(&["--period-start"]);
    let (_d, path) = temp_file(
        "o.csv",
        "start,end\n2026-03-01T00:00:00Z,2026-03-02T00:00:00Z\n2026-03-05T00:00:00Z,2026-03-04T00:00:00Z\n",
    );
    let p = path.to_str().unwrap();
    run(&["--subscription", "12500", "--outages", p]).bad(&["line 3", "ends before it starts"]);
    run(&["--subscription", "12500", "--outages", p, "--outage", "2026-03-01 00:00/2026-03-01 01:00"])
        .bad(&["--outage"]);
    let (_d2, bad) = temp_file("o.csv", "from,to\n");
    run(&["--subscription", "12500", "--outages", bad.to_str().unwrap()]).bad(&["\"start\""]);
    slacalc(&["--plans", &tiered(), "credit", "--now", NOW, "--plan", "nimbus", "--subscription", "CHF 100"])
        .run()
        .bad(&["CHF", "USD"]);
}

/// `--outages` as Excel saves it: `;` or tab with --delimiter, a BOM, CRLF
/// or CR-only line ends: the same answer, the right line numbers; without
/// --delimiter the missing-column message names it.
#[test]
fn outages_take_a_delimiter_a_bom_and_cr_line_ends() {
    let shipped = std::fs::read_to_string(format!("{}/examples/outages.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let args = |path: &str| -> Vec<String> {
        [
            "credit",
            "--now",
            NOW,
            "--plan",
            "cloud",
            "--subscription",
            "12500",
            "--period-start",
            "2026-01-01",
            "--outages",
            path,
        ]
        .map(String::from)
        .to_vec()
    };
    let run = |a: Vec<String>| slacalc(&a.iter().map(String::as_str).collect::<Vec<_>>()).run();
    let mut a = args("examples/outages.csv");
    a.extend(["--format", "json"].map(String::from));
    let want = run(a).json();
    for (sep, flag) in [(";", ";"), ("\t", "tab")] {
        for ending in ["\r\n", "\r"] {
            let text = format!("\u{feff}{}", shipped.replace(',', sep).replace('\n', ending));
            let (_d, path) = temp_file("o.csv", &text);
            let mut a = args(path.to_str().unwrap());
            a.extend(["--delimiter", flag, "--format", "json"].map(String::from));
            let r = run(a);
            assert_eq!(r.json(), want, "{sep:?} {ending:?}");
            let hint = if sep == ";" { "try --delimiter ';'" } else { "try --delimiter tab" };
            run(args(path.to_str().unwrap())).bad(&["no \"start\" column", hint]);
            let bad = text.replacen("2026-02-14T08:00:00+01:00", "someday", 1);
            let (_d2, path) = temp_file("o.csv", &bad);
            let mut a = args(path.to_str().unwrap());
            a.extend(["--delimiter", flag].map(String::from));
            run(a).bad(&["line 3: start", "someday"]);
        }
    }
    let r = slacalc(&["credit", "--now", NOW, "--plan", "cloud", "--subscription", "12500", "--delimiter", ";"]).run();
    r.bad(&["--outages"]);
}
