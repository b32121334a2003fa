//! `slacalc report` (SPEC §6): every rule through the binary.

use serde_json::{Value, json};

use crate::util::{slacalc, temp_file};

const BATCH_HEADER: &str = "id,plan,priority,opened,deadline,responded,state,elapsed_seconds,remaining_seconds,error\n";

/// A batch output row.
fn brow(plan: &str, prio: &str, opened: &str, state: &str, elapsed: &str, error: &str) -> String {
    format!("x,{plan},{prio},{opened},,,{state},{elapsed},,{error}\n")
}

/// Runs report over `input` (stdin) with `args`, `--format json`, exit 0.
fn report_json(input: &str, args: &[&str]) -> Value {
    let mut a = vec!["report", "--input", "-", "--format", "json"];
    a.extend(args);
    let r = slacalc(&a).stdin(input).run();
    r.ok();
    r.json()
}

fn group<'a>(v: &'a Value, keys: &[(&str, Value)]) -> &'a Value {
    v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| keys.iter().all(|(k, want)| &g[*k] == want))
        .unwrap_or_else(|| panic!("no group {keys:?} in {v:#}"))
}

#[test]
fn counts_every_state_and_errors_only_in_errors() {
    let t = "2026-11-20T10:00:00+01:00";
    let mut input = BATCH_HEADER.to_string();
    for (state, elapsed) in [
        ("met", "100"),
        ("missed", "300"),
        ("breached", "999"),
        ("running", "5"),
        ("at-risk", "6"),
        ("paused", "7"),
        ("no-commitment", ""),
    ] {
        input.push_str(&brow("apizee-gold", "major", t, state, elapsed, ""));
    }
    // An error row: as batch prints it (its input time as typed, no state).
    input.push_str(&brow("apizee-gold", "major", "2026-11-23 09:00", "", "", "\"unknown priority \"\"x\"\"\""));
    input.push_str(&brow("", "", "", "", "", "row is not valid UTF-8"));
    let v = report_json(&input, &[]);
    let g = group(&v, &[("plan", json!("apizee-gold"))]);
    let want = json!({
        "plan": "apizee-gold", "priority": "major", "metric": "first_response",
        "cycles": 7, "met": 1, "missed": 1, "breached": 1, "running": 1, "at_risk": 1, "paused": 1,
        "no_commitment": 1, "errors": 1, "attainment_percent": 33.33,
        "p50_seconds": 100, "p90_seconds": 300, "p95_seconds": 300, "mean_seconds": 200
    });
    assert_eq!(g, &want);
    // The field order is the contract's.
    let keys: Vec<&String> = g.as_object().expect("object").keys().collect();
    let want_keys: Vec<&String> = want.as_object().expect("object").keys().collect();
    assert_eq!(keys, want_keys);
    // The error row without a plan is in its own group, counted only in errors.
    let e = group(&v, &[("plan", Value::Null)]);
    assert_eq!(
        (e["cycles"].clone(), e["errors"].clone(), e["metric"].clone()),
        (json!(0), json!(1), json!("first_response"))
    );
    assert_eq!(e["attainment_percent"], Value::Null);
    assert_eq!(e["p50_seconds"], Value::Null);
    assert_eq!(e["mean_seconds"], Value::Null);
}

#[test]
fn an_error_row_counts_in_the_group_of_its_printed_time() {
    let mut input = BATCH_HEADER.to_string();
    input.push_str(&brow("gold", "major", "2026-11-20T10:00:00+01:00", "met", "60", ""));
    input.push_str(&brow("gold", "major", "2026-11-21 09:00", "", "", "opened after now"));
    input.push_str(&brow("gold", "major", "garbage", "", "", "bad time"));
    let v = report_json(&input, &["--by", "day"]);
    let days: Vec<(Value, Value, Value)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| (g["day"].clone(), g["cycles"].clone(), g["errors"].clone()))
        .collect();
    assert_eq!(
        days,
        vec![
            (Value::Null, json!(0), json!(1)),
            (json!("2026-11-20"), json!(1), json!(0)),
            (json!("2026-11-21"), json!(0), json!(1)),
        ]
    );
}

#[test]
fn attainment_rounds_half_up_to_two_decimals() {
    let t = "2026-11-20T10:00:00Z";
    let case = |met: usize, missed: usize| -> (Value, String) {
        let mut input = BATCH_HEADER.to_string();
        for _ in 0..met {
            input.push_str(&brow("p", "x", t, "met", "1", ""));
        }
        for _ in 0..missed {
            input.push_str(&brow("p", "x", t, "missed", "1", ""));
        }
        let v = report_json(&input, &["--by", "plan"]);
        let csv = slacalc(&["report", "--input", "-", "--by", "plan", "--format", "csv"]).stdin(input).run();
        let line = csv.ok().lines().nth(1).expect("a row").to_string();
        (v["groups"][0]["attainment_percent"].clone(), line.split(',').nth(10).expect("attainment").to_string())
    };
    // 1 of 32 = 3.125 %: half up gives 3.13 (not the banker's 3.12).
    assert_eq!(case(1, 31), (json!(3.13), "3.13".to_string()));
    // 2 of 3 = 66.666… %.
    assert_eq!(case(2, 1), (json!(66.67), "66.67".to_string()));
    assert_eq!(case(1, 7), (json!(12.5), "12.50".to_string()));
    assert_eq!(case(3, 0), (json!(100.0), "100.00".to_string()));
    assert_eq!(case(0, 2), (json!(0.0), "0.00".to_string()));
    // Breached counts in the denominator; running does not.
    let mut input = BATCH_HEADER.to_string();
    input.push_str(&brow("p", "x", t, "met", "1", ""));
    input.push_str(&brow("p", "x", t, "breached", "9", ""));
    input.push_str(&brow("p", "x", t, "running", "1", ""));
    input.push_str(&brow("p", "x", t, "at-risk", "1", ""));
    assert_eq!(report_json(&input, &["--by", "plan"])["groups"][0]["attainment_percent"], json!(50.0));
    // No met, missed or breached: null.
    let mut input = BATCH_HEADER.to_string();
    input.push_str(&brow("p", "x", t, "running", "1", ""));
    assert_eq!(report_json(&input, &["--by", "plan"])["groups"][0]["attainment_percent"], Value::Null);
}

#[test]
fn percentiles_are_nearest_rank_over_stopped_cycles() {
    let t = "2026-11-20T10:00:00Z";
    let mut input = BATCH_HEADER.to_string();
    for v in [60, 5, 5, 10, 5] {
        input.push_str(&brow("p", "x", t, if v == 60 { "missed" } else { "met" }, &v.to_string(), ""));
    }
    // Breached, running: not stopped, their elapsed times do not count.
    input.push_str(&brow("p", "x", t, "breached", "100000", ""));
    input.push_str(&brow("p", "x", t, "running", "1", ""));
    let g = &report_json(&input, &["--by", "plan"])["groups"][0];
    // Sorted 5 5 5 10 60: p50 rank ceil(2.5) = 3 → 5; p90 rank ceil(4.5) = 5 →
    // 60; p95 rank 5 → 60; mean 85 / 5 = 17.
    assert_eq!(
        (&g["p50_seconds"], &g["p90_seconds"], &g["p95_seconds"], &g["mean_seconds"]),
        (&json!(5), &json!(60), &json!(60), &json!(17))
    );
    let mut input = BATCH_HEADER.to_string();
    for v in 1..=20 {
        input.push_str(&brow("p", "x", t, "met", &v.to_string(), ""));
    }
    let g = &report_json(&input, &["--by", "plan"])["groups"][0];
    // 1..20: p50 rank 10, p90 rank 18, p95 rank 19; mean 10.5 rounded down.
    assert_eq!(
        (&g["p50_seconds"], &g["p90_seconds"], &g["p95_seconds"], &g["mean_seconds"]),
        (&json!(10), &json!(18), &json!(19), &json!(10))
    );
}

#[test]
fn month_week_and_day_are_the_printed_local_date() {
    let mut input = BATCH_HEADER.to_string();
    for opened in [
        // In its own offset: 04:30 UTC on 1 December, still 30 November here.
        "2026-11-30T23:30:00-05:00",
        // ISO weeks across the year boundary: 2026 has 53 weeks.
        "2026-12-31T10:00:00+01:00",
        "2027-01-03T10:00:00+01:00",
        "2027-01-04T10:00:00+01:00",
        "2025-12-29T10:00:00Z",
    ] {
        input.push_str(&brow("p", "x", opened, "met", "1", ""));
    }
    let v = report_json(&input, &["--by", "month,week,day"]);
    let keys: Vec<(String, String, String)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            let s = |k: &str| g[k].as_str().expect("key").to_string();
            (s("month"), s("week"), s("day"))
        })
        .collect();
    let want = [
        ("2025-12", "2026-W01", "2025-12-29"),
        ("2026-11", "2026-W49", "2026-11-30"),
        ("2026-12", "2026-W53", "2026-12-31"),
        ("2027-01", "2026-W53", "2027-01-03"),
        ("2027-01", "2027-W01", "2027-01-04"),
    ];
    let want: Vec<(String, String, String)> =
        want.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(keys, want);
    assert_eq!(v["by"], json!(["month", "week", "day"]));
}

#[test]
fn by_is_validated() {
    let input = format!("{BATCH_HEADER}{}", brow("p", "x", "2026-11-20T10:00:00Z", "met", "1", ""));
    for (by, needle) in
        [("plann", "unknown key \"plann\""), ("plan,plan", "given twice"), ("plan,", "empty key"), ("", "empty key")]
    {
        let r = slacalc(&["report", "--input", "-", "--by", by]).stdin(input.clone()).run();
        r.bad(&[needle]);
    }
    let r = slacalc(&["report", "--input", "-", "--by", "plann"]).stdin(input.clone()).run();
    r.bad(&["plan, priority, metric, month, week, day"]);
    // Case-insensitive; the order given is the order of the keys.
    let v = report_json(&input, &["--by", "Metric,PLAN"]);
    assert_eq!(v["by"], json!(["metric", "plan"]));
    let keys: Vec<&String> = v["groups"][0].as_object().expect("object").keys().take(3).collect();
    assert_eq!(keys, ["metric", "plan", "cycles"]);
}

#[test]
fn json_groups_are_sorted_by_their_keys() {
    let t = "2026-11-20T10:00:00Z";
    let mut input = BATCH_HEADER.to_string();
    for (plan, prio) in [("b", "y"), ("a", "z"), ("b", "x"), ("a", "z"), ("", "")] {
        input.push_str(&brow(plan, prio, t, "met", "1", ""));
    }
    let v = report_json(&input, &["--by", "plan,priority"]);
    let keys: Vec<(Value, Value)> =
        v["groups"].as_array().expect("groups").iter().map(|g| (g["plan"].clone(), g["priority"].clone())).collect();
    assert_eq!(
        keys,
        vec![(Value::Null, Value::Null), (json!("a"), json!("z")), (json!("b"), json!("x")), (json!("b"), json!("y"))]
    );
    assert_eq!(v.as_object().expect("object").keys().collect::<Vec<_>>(), ["by", "groups", "total"]);
    assert_eq!(group(&v, &[("plan", json!("a"))])["cycles"], json!(2));
}

#[test]
fn default_by_and_csv_and_table() {
    let input = format!("{BATCH_HEADER}{}", brow("gold", "major", "2026-11-20T10:00:00Z", "met", "5400", ""));
    let r = slacalc(&["report", "--input", "-", "--format", "csv"]).stdin(input.clone()).run();
    assert_eq!(
        r.ok(),
        "plan,priority,metric,cycles,met,missed,breached,running,at_risk,paused,no_commitment,errors,attainment_percent,p50_seconds,p90_seconds,p95_seconds,mean_seconds\n\
         gold,major,first_response,1,1,0,0,0,0,0,0,0,100.00,5400,5400,5400,5400\n"
    );
    // Wide enough for every column (at 80 the percentiles are left out).
    let r = slacalc(&["report", "--input", "-"]).env("COLUMNS", "200").stdin(input).run();
    let table = r.ok();
    assert!(table.contains("gold") && table.contains("100.00") && table.contains("1h30m"), "{table}");
    assert!(table.contains("1 row, 1 group"), "{table}");
    assert!(!table.contains("Left out"), "{table}");
}

#[test]
fn reads_json_lines_by_first_byte_extension_or_flag() {
    let lines = concat!(
        r#"{"id":"1","plan":"gold","priority":"major","opened":"2026-11-20T10:00:00+01:00","deadline":null,"responded":null,"state":"met","elapsed_seconds":60,"remaining_seconds":0,"error":null}"#,
        "\n\n",
        r#"{"id":"2","plan":"gold","priority":"major","opened":"2026-11-20 10:00","deadline":null,"responded":null,"state":null,"elapsed_seconds":null,"remaining_seconds":null,"error":"bad"}"#,
        "\n",
        r#"{"id":"E1","plan":"nimbus","priority":"high","metric":"resolution","cycle":1,"start":"2026-11-21T10:00:00Z","stop":null,"state":"breached","elapsed_seconds":9000,"error":null}"#,
        "\n"
    );
    let v = report_json(lines, &[]);
    let g = group(&v, &[("plan", json!("gold"))]);
    assert_eq!((&g["met"], &g["errors"], &g["metric"]), (&json!(1), &json!(1), &json!("first_response")));
    let g = group(&v, &[("plan", json!("nimbus"))]);
    assert_eq!((&g["breached"], &g["metric"]), (&json!(1), &json!("resolution")));
    let (_d, path) = temp_file("rows.ndjson", &format!("  {lines}"));
    let r = slacalc(&["report", "--input", path.to_str().expect("utf-8"), "--format", "json"]).run();
    assert_eq!(r.json(), v);
    let r = slacalc(&["report", "--input", "-", "--input-format", "jsonl", "--format", "json"]).stdin(lines).run();
    assert_eq!(r.json(), v);
    // Told it is CSV, the same bytes are refused.
    let r = slacalc(&["report", "--input", "-", "--input-format", "csv"]).stdin(lines).run();
    r.bad(&["no \"start\" column"]);
}

#[test]
fn bad_input_is_exit_2_with_nothing_on_stdout() {
    let t = "2026-11-20T10:00:00Z";
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "empty"),
        ("id,plan,priority,at,event\n1,a,b,c,d\n".into(), "no \"start\" column"),
        (format!("{BATCH_HEADER}{}", brow("p", "x", t, "great", "1", "")), "line 2: unknown state \"great\""),
        (format!("{BATCH_HEADER}{}", brow("p", "x", t, "met", "1.5", "")), "line 2: elapsed_seconds \"1.5\""),
        (format!("{BATCH_HEADER}{}", brow("p", "x", t, "met", "1", "")) + "x,\"open\n", "never closed"),
        (format!("{BATCH_HEADER}x,{}\n", "a".repeat(70_000)), "line 2: row is longer than 65536 bytes"),
        ("{\"plan\": 1}\n".into(), "line 1: not a batch or replay JSON row"),
        (
            format!("{{\"opened\":\"{}\",\"state\":\"met\"}}\n", "a".repeat(70_000)),
            "line 1: row is longer than 65536 bytes",
        ),
    ];
    for (input, needle) in cases {
        slacalc(&["report", "--input", "-"]).stdin(input).run().bad(&[needle]);
    }
    // Grouping by time needs a date-time in every row without an error.
    let input = format!("{BATCH_HEADER}{}", brow("p", "x", "soon", "met", "1", ""));
    slacalc(&["report", "--input", "-", "--by", "week"]).stdin(input.clone()).run().bad(&["line 2", "\"soon\""]);
    slacalc(&["report", "--input", "-", "--by", "plan"]).stdin(input).run().ok();
    slacalc(&["report", "--input", "/nonexistent/rows.csv"]).run().bad(&["/nonexistent/rows.csv"]);
}

#[test]
fn openmetrics_has_types_help_escaped_labels_and_eof() {
    let t = "2026-11-20T10:00:00Z";
    let mut input = BATCH_HEADER.to_string();
    input.push_str(&brow("\"\"\"we\\ird\"\"\"", "x", t, "met", "1", ""));
    input.push_str(&brow("\"\"\"we\\ird\"\"\"", "x", t, "missed", "1", ""));
    input.push_str(&brow("\"\"\"we\\ird\"\"\"", "x", t, "missed", "1", ""));
    input.push_str(&brow("quiet", "x", t, "running", "1", ""));
    let r = slacalc(&["report", "--input", "-", "--by", "plan", "--format", "openmetrics"]).stdin(input).run();
    let text = r.ok();
    assert!(text.ends_with("# EOF\n"), "{text}");
    for want in [
        "# TYPE slacalc_attainment_ratio gauge\n",
        "# HELP slacalc_attainment_ratio ",
        "# TYPE slacalc_cycles gauge\n",
        "# HELP slacalc_cycles ",
        // `"we\ird"`: the quotes and the backslash escaped.
        "slacalc_attainment_ratio{plan=\"\\\"we\\\\ird\\\"\"} 0.3333\n",
        "slacalc_cycles{plan=\"\\\"we\\\\ird\\\"\",state=\"missed\"} 2\n",
        "slacalc_cycles{plan=\"quiet\",state=\"running\"} 1\n",
        "slacalc_error_rows{plan=\"quiet\"} 0\n",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // No denominator, no attainment sample.
    assert!(!text.contains("slacalc_attainment_ratio{plan=\"quiet\"}"), "{text}");
    // Each family once, its samples together.
    assert_eq!(text.matches("# TYPE").count(), 3);
}

#[test]
fn html_is_one_self_contained_page_with_charts() {
    let mut input = BATCH_HEADER.to_string();
    input.push_str(&brow("<b>evil</b>&co", "x", "2026-11-20T10:00:00Z", "met", "1", ""));
    input.push_str(&brow("plain", "x", "2026-11-27T10:00:00Z", "missed", "1", ""));
    let r = slacalc(&["report", "--input", "-", "--format", "html"]).stdin(input.clone()).run();
    let page = r.ok();
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"), "{page}");
    assert_eq!(page.matches("<svg").count(), 1, "bars only without a time key");
    assert!(page.contains("&lt;b&gt;evil&lt;/b&gt;&amp;co") && !page.contains("<b>evil"), "escaped");
    for external in ["http://", "https://", "<script", "<link", "src=", "url(", "@import"] {
        assert!(!page.contains(external), "{external} in the page");
    }
    assert!(page.contains("@media print"));
    let r = slacalc(&[
        "report",
        "--input",
        "-",
        "--by",
        "plan,week",
        "--format",
        "html",
        "--check",
        "--min-attainment",
        "90",
    ])
    .stdin(input)
    .run();
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.matches("<svg").count(), 2, "bars and the line over time");
    assert!(r.stdout.contains("Attainment over time") && r.stdout.contains("2026-W48"));
}

#[test]
fn check_exits_1_below_the_minimum_and_still_prints() {
    let t = "2026-11-20T10:00:00Z";
    let mut input = BATCH_HEADER.to_string();
    for s in ["met", "met", "missed"] {
        input.push_str(&brow("a", "x", t, s, "1", ""));
    }
    input.push_str(&brow("b", "x", t, "running", "1", ""));
    let run = |min: &str| {
        slacalc(&["report", "--input", "-", "--by", "plan", "--format", "csv", "--check", "--min-attainment", min])
            .stdin(input.clone())
            .run()
    };
    let r = run("70");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("a,3,2,1"), "printed: {}", r.stdout);
    assert!(r.stderr.contains("1 of 2 groups below 70.00 %") && r.stderr.contains("a (66.67)"), "{}", r.stderr);
    // Compared as printed: 66.67 is not below 66.67.
    assert_eq!(run("66.67").code, 0);
    assert_eq!(run("66.67%").code, 0);
    assert_eq!(run("0").code, 0);
    // Group b has no denominator: never below.
    assert_eq!(run("66").code, 0);
    for bad in ["101", "-5", "abc", "66.667"] {
        run(bad).bad(&["--min-attainment"]);
    }
    let r = slacalc(&["report", "--input", "-", "--check"]).stdin(input.clone()).run();
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    let r = slacalc(&["report", "--input", "-", "--min-attainment", "5"]).stdin(input).run();
    assert_eq!(r.code, 2);
}

#[test]
fn html_and_openmetrics_are_report_only() {
    slacalc(&["plans", "list", "--format", "html"]).run().bad(&["report only"]);
    slacalc(&["deadline", "--plan", "gold", "--priority", "major", "--format", "openmetrics"])
        .run()
        .bad(&["report only"]);
}

#[test]
fn batch_then_report_on_the_shipped_tickets() {
    let r = slacalc(&["batch", "--input", "examples/tickets.csv", "--now", "2026-11-23T12:00:00+01:00"]).run();
    let rows = r.ok().to_string();
    let v = report_json(&rows, &["--by", "plan,priority"]);
    assert_eq!(v["groups"].as_array().expect("groups").len(), 12);
    let g = group(&v, &[("plan", json!("apizee-gold")), ("priority", json!("urgent"))]);
    assert_eq!((&g["cycles"], &g["errors"]), (&json!(0), &json!(1)));
    let g = group(&v, &[("plan", json!("otter-premium"))]);
    assert_eq!((&g["breached"], &g["attainment_percent"]), (&json!(1), &json!(0.0)));
    let g = group(&v, &[("plan", json!("apizee-bronze"))]);
    assert_eq!((&g["met"], &g["p50_seconds"], &g["mean_seconds"]), (&json!(1), &json!(56700), &json!(56700)));
    let total: u64 = v["groups"].as_array().expect("groups").iter().map(|g| g["cycles"].as_u64().unwrap_or(0)).sum();
    assert_eq!(total, 11);
    // JSON Lines from batch give the same report.
    let r = slacalc(&[
        "batch",
        "--input",
        "examples/tickets.csv",
        "--now",
        "2026-11-23T12:00:00+01:00",
        "--format",
        "json",
    ])
    .run();
    assert_eq!(report_json(r.ok(), &["--by", "plan,priority"]), v);
}

#[test]
fn replay_then_report_on_the_shipped_events() {
    let r = slacalc(&[
        "--plans",
        "examples/lifecycle-vendor.toml",
        "replay",
        "--input",
        "examples/ticket-events.csv",
        "--now",
        "2026-11-27T18:00:00+01:00",
    ])
    .run();
    let rows = r.ok().to_string();
    let v = report_json(&rows, &["--by", "metric"]);
    let figures: Vec<(Value, Value, Value, Value, Value)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["metric"].clone(),
                g["cycles"].clone(),
                g["met"].clone(),
                g["errors"].clone(),
                g["attainment_percent"].clone(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        vec![
            // The two tickets that cannot be replayed: one row each, no metric.
            (Value::Null, json!(0), json!(0), json!(2), Value::Null),
            (json!("first_response"), json!(18), json!(10), json!(0), json!(55.56)),
            (json!("next_response"), json!(8), json!(4), json!(0), json!(57.14)),
            // 17 cycles: E20's resolution, retargeted to a level without a
            // resolution target, is a no-commitment cycle (outside the
            // denominator, so attainment stays 7 of 14).
            (json!("resolution"), json!(17), json!(7), json!(0), json!(50.0)),
        ]
    );
    // Cycles + errors = the replay's rows.
    let rows_out = rows.lines().count() - 1;
    let counted: u64 = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["cycles"].as_u64().unwrap_or(0) + g["errors"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(counted as usize, rows_out);
    let r = slacalc(&["report", "--input", "-", "--by", "metric,day", "--format", "html"]).stdin(rows).run();
    assert_eq!(r.ok().matches("<svg").count(), 2);
}

// ------------------------------------------ audit 2026-12-06 (hostile input)

/// `n` batch rows with distinct priorities on distinct days from 2000-01-01.
fn distinct_days(n: usize) -> String {
    let d0 = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let mut input = BATCH_HEADER.to_string();
    for i in 0..n {
        let day = d0 + chrono::Days::new(i as u64);
        input.push_str(&format!("{i},gold,p{i},{day}T10:00:00+02:00,,,met,100,0,\n"));
    }
    input
}

/// H14: the over-time chart keeps only what it draws (8 series, a capped
/// number of periods, with notes), so 10 000 rows of distinct priorities
/// and days cost what is drawn, not series × periods (1.4 GB and seconds
/// before).
#[test]
fn html_over_time_chart_is_bounded_by_what_it_draws() {
    let input = distinct_days(10_000);
    let started = std::time::Instant::now();
    let r = slacalc(&["report", "--input", "-", "--by", "priority,day", "--format", "html"]).stdin(input).run();
    let took = started.elapsed();
    let page = r.ok();
    // A debug binary on a shared machine: generous, yet far below the
    // quadratic chart's time.
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    assert!(page.contains("8 of 366 series drawn"), "series note");
    assert!(page.contains("The last 366 of 10000 periods are drawn"), "periods note");
    // The latest 366 days are drawn (the first label is the first of them);
    // the first days are only table rows.
    let chart = &page[page.find("Attainment over time").expect("chart")..page.find("<h2>Groups").expect("table")];
    assert!(chart.contains(">2026-05-18<") && !chart.contains("2000-01-01"), "the last periods are drawn");
    assert_eq!(chart.matches("<path").count(), 9, "8 series and the overall line");
}

/// H15: the default table shows the first groups only (each costs a few KB
/// in the table), and says how many it left out and where to find them.
#[test]
fn table_shows_the_first_groups_and_says_how_many_it_left_out() {
    let mut input = BATCH_HEADER.to_string();
    for i in 0..1005 {
        input.push_str(&brow("gold", &format!("p{i:04}"), "2026-11-20T10:00:00Z", "met", "60", ""));
    }
    let r = slacalc(&["report", "--input", "-"]).stdin(input.clone()).run();
    let table = r.ok();
    assert!(table.contains("p0999") && !table.contains("p1000"), "the first 1000 groups in order");
    assert!(
        table.contains("5 more groups are not shown in the table (1000 of 1005 shown): use --format csv or --format json for all of them"),
        "{}",
        &table[table.len().saturating_sub(600)..]
    );
    assert!(table.contains("1005 rows, 1005 groups"), "the summary counts every group");
    // At the cap, no note.
    let small: String = input.lines().take(1001).map(|l| format!("{l}\n")).collect();
    let table = slacalc(&["report", "--input", "-"]).stdin(small).run().ok().to_string();
    assert!(!table.contains("not shown in the table"), "no note at 1000 groups");
}

/// H25: a record that never ends is refused at the record limit, naming its
/// line, without waiting for its end: the writer below keeps the pipe open
/// after a few MB, so a reader that reads on for the record's end never
/// exits.
#[test]
fn an_endless_record_ends_report_at_the_record_limit() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("slacalc"))
        .args(["report", "--input", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("slacalc runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(BATCH_HEADER.as_bytes());
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..4 {
            if stdin.write_all(&chunk).is_err() {
                return; // the reader stopped: as wanted
            }
        }
        // Hold the pipe open (no end of the record, no end of the input)
        // until the test is over.
        let _ = done_rx.recv_timeout(std::time::Duration::from_secs(30));
        drop(stdin);
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if started.elapsed() > std::time::Duration::from_secs(15) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let _ = done_tx.send(());
    let _ = writer.join();
    let out = child.wait_with_output().expect("output");
    let status = status.expect("report must stop at the record limit, not wait for the record's end");
    assert_eq!(status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2: row is longer than 65536 bytes"), "{stderr}");
}

/// H16: every control character in a label value is shown escaped (as the
/// other text outputs show it: `\x1b`), the backslash itself escaped for
/// the exposition; nothing but the line ends is a control character.
#[test]
fn openmetrics_escapes_every_control_character() {
    let t = "2026-06-01T10:00:00+02:00";
    let input = format!(
        "{BATCH_HEADER}{}{}",
        brow("gold", "\"p\u{1b}]0;pwn\u{7}\"", t, "met", "100", ""),
        brow("\"gold\rsilver\"", "\"p1\u{0}\u{9b}\"", t, "missed", "100", "")
    );
    let r = slacalc(&["report", "--input", "-", "--format", "openmetrics"]).stdin(input).run();
    let text = r.ok();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    for want in [
        r#"slacalc_attainment_ratio{plan="gold",priority="p\\x1b]0;pwn\\x07",metric="first_response"} 1"#,
        r#"slacalc_attainment_ratio{plan="gold\\rsilver",priority="p1\\x00\\u{9b}",metric="first_response"} 0"#,
    ] {
        assert!(text.contains(want), "missing {want} in:\n{text}");
    }
}

/// H17: a CR not followed by LF is shown as `\r` in the table.
#[test]
fn a_bare_cr_is_shown_escaped_in_the_report_table() {
    let input = format!("{BATCH_HEADER}{}", brow("\"gold\rsilver\"", "p1", "2026-06-01T10:00:00Z", "met", "1", ""));
    let r = slacalc(&["report", "--input", "-"]).stdin(input).run();
    let table = r.ok();
    assert!(!table.contains('\r') && table.contains("gold\\rsilver"), "{table:?}");
}

/// H22: a UTF-8 byte-order mark before JSON Lines is ignored, as before CSV.
#[test]
fn json_lines_after_a_bom_are_read() {
    let line = r#"{"id":"1","plan":"gold","priority":"major","opened":"2026-11-20T10:00:00+01:00","deadline":null,"responded":null,"state":"met","elapsed_seconds":60,"remaining_seconds":0,"error":null}"#;
    let plain = report_json(&format!("{line}\n"), &[]);
    let bom = format!("\u{feff}{line}\n");
    assert_eq!(report_json(&bom, &[]), plain, "told by its first byte after the BOM");
    let (_d, path) = temp_file("rows.jsonl", &bom);
    let r = slacalc(&["report", "--input", path.to_str().expect("utf-8"), "--format", "json"]).run();
    assert_eq!(r.json(), plain, "a .jsonl file");
}

/// H28: a format a command does not write is refused with the list of what
/// that command writes.
#[test]
fn format_errors_list_the_formats_of_the_command() {
    let r = slacalc(&["report", "--input", "-", "--format", "ics"]).stdin("").run();
    r.bad(&["--format ics is not written by report (expected one of: table, json, csv, html, openmetrics)"]);
    let r = slacalc(&["batch", "--input", "-", "--format", "html"]).stdin("").run();
    r.bad(&["--format html is not written by batch (expected one of: csv, json)"]);
    let r = slacalc(&["replay", "--input", "-", "--format", "openmetrics"]).stdin("").run();
    r.bad(&["--format openmetrics is not written by replay (expected one of: csv, json)"]);
    let r = slacalc(&["plans", "list", "--format", "ics"]).run();
    r.bad(&["--format ics is not written by plans (expected one of: table, json, csv)"]);
}

// ------------------------------------------ issue 19 (items 6 and 8)

const ORG_HEADER: &str =
    "id,plan,priority,opened,deadline,responded,state,elapsed_seconds,remaining_seconds,error,Company Name\n";

/// A batch output row with a pass-through `Company Name` column.
fn orow(plan: &str, state: &str, elapsed: &str, error: &str, org: &str) -> String {
    format!("x,{plan},major,2026-11-20T10:00:00+01:00,,,{state},{elapsed},,{error},{org}\n")
}

fn org_input() -> String {
    let mut input = ORG_HEADER.to_string();
    input.push_str(&orow("gold", "met", "60", "", "Acme"));
    input.push_str(&orow("gold", "missed", "120", "", "Acme"));
    input.push_str(&orow("gold", "met", "30", "", "\"<b>Wayne</b> & Co\""));
    input.push_str(&orow("gold", "", "", "bad row", ""));
    input
}

/// `--by` takes a pass-through column (any case), from CSV and JSON Lines,
/// in all five formats: the column's name as the input writes it, its value
/// escaped for each format, a valid OpenMetrics label name.
#[test]
fn by_takes_a_pass_through_column_in_every_format() {
    let input = org_input();
    let v = report_json(&input, &["--by", "plan,company name"]);
    assert_eq!(v["by"], json!(["plan", "Company Name"]));
    let groups: Vec<(Value, Value, Value)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| (g["Company Name"].clone(), g["cycles"].clone(), g["errors"].clone()))
        .collect();
    assert_eq!(
        groups,
        vec![
            // The error row has no value: its own group, first.
            (Value::Null, json!(0), json!(1)),
            (json!("<b>Wayne</b> & Co"), json!(1), json!(0)),
            (json!("Acme"), json!(2), json!(0)),
        ]
    );
    // JSON Lines (as batch --format json writes them) give the same report.
    let lines: String = [
        r#"{"id":"x","plan":"gold","priority":"major","opened":"2026-11-20T10:00:00+01:00","state":"met","elapsed_seconds":60,"error":null,"Company Name":"Acme"}"#,
        r#"{"id":"x","plan":"gold","priority":"major","opened":"2026-11-20T10:00:00+01:00","state":"missed","elapsed_seconds":120,"error":null,"Company Name":"Acme"}"#,
        r#"{"id":"x","plan":"gold","priority":"major","opened":"2026-11-20T10:00:00+01:00","state":"met","elapsed_seconds":30,"error":null,"Company Name":"<b>Wayne</b> & Co"}"#,
        r#"{"id":"x","plan":"gold","priority":"major","opened":null,"state":null,"elapsed_seconds":null,"error":"bad row","Company Name":null}"#,
    ]
    .map(|l| format!("{l}\n"))
    .concat();
    assert_eq!(report_json(&lines, &["--by", "plan,Company Name"]), v);
    // CSV: the column's name in the header.
    let r = slacalc(&["report", "--input", "-", "--by", "Company Name", "--format", "csv"]).stdin(input.clone()).run();
    let csv = r.ok();
    assert!(csv.starts_with("Company Name,cycles,met,"), "{csv}");
    assert!(csv.contains("\nAcme,2,1,1,0,"), "{csv}");
    // Table.
    let r = slacalc(&["report", "--input", "-", "--by", "Company Name"]).stdin(input.clone()).run();
    let table = r.ok();
    assert!(table.contains("Company Name") && table.contains("Acme") && table.contains("50.00"), "{table}");
    // HTML: the name and the values escaped.
    let r = slacalc(&["report", "--input", "-", "--by", "Company Name", "--format", "html"]).stdin(input.clone()).run();
    let page = r.ok();
    assert!(page.contains("<th class=\"key\">Company Name</th>"), "header");
    assert!(page.contains("&lt;b&gt;Wayne&lt;/b&gt; &amp; Co") && !page.contains("<b>Wayne"), "escaped");
    // OpenMetrics: a valid label name, the value escaped as ever.
    let r =
        slacalc(&["report", "--input", "-", "--by", "plan,Company Name", "--format", "openmetrics"]).stdin(input).run();
    let text = r.ok();
    assert!(text.contains("slacalc_attainment_ratio{plan=\"gold\",Company_Name=\"Acme\"} 0.5\n"), "{text}");
    assert!(text.contains("slacalc_cycles{plan=\"gold\",Company_Name=\"Acme\",state=\"met\"} 1\n"), "{text}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let labels = &line[line.find('{').expect("labels") + 1..line.rfind('}').expect("labels")];
        for name in labels.split("\",").map(|l| &l[..l.find('=').expect("=")]) {
            let name = name.trim_start_matches(',');
            assert!(
                name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "label name {name:?} in {line}"
            );
        }
    }
}

/// A column named `state` does not clash with the `state` label.
#[test]
fn openmetrics_label_names_never_clash() {
    let input = format!("{BATCH_HEADER}{}", brow("gold", "major", "2026-11-20T10:00:00Z", "met", "1", ""));
    let r = slacalc(&["report", "--input", "-", "--by", "state,1st", "--format", "openmetrics"]).stdin(input).run();
    r.bad(&["unknown key \"1st\""]);
    let input = "id,plan,priority,opened,state,elapsed_seconds,error,1st\nx,gold,major,2026-11-20T10:00:00Z,met,1,,a\n";
    let r = slacalc(&["report", "--input", "-", "--by", "state,1st", "--format", "openmetrics"]).stdin(input).run();
    let text = r.ok();
    assert!(text.contains("slacalc_cycles{state_2=\"met\",col_1st=\"a\",state=\"met\"} 1\n"), "{text}");
}

/// An unknown key that is no column either: exit 2, naming it, the known
/// keys and the input's columns (CSV: the header; JSON Lines: the first row).
#[test]
fn an_unknown_by_key_names_the_keys_and_the_columns() {
    let r = slacalc(&["report", "--input", "-", "--by", "plan,Company Nme"]).stdin(org_input()).run();
    r.bad(&[
        "unknown key \"Company Nme\"",
        "did you mean \"Company Name\"",
        "plan, priority, metric, month, week, day",
        "the input's columns: id, plan, priority, opened, deadline, responded, state, elapsed_seconds, remaining_seconds, error, Company Name",
    ]);
    let line = r#"{"id":"x","plan":"gold","priority":"major","opened":"2026-11-20T10:00:00+01:00","state":"met","elapsed_seconds":60,"error":null,"Org":"A"}"#;
    let r = slacalc(&["report", "--input", "-", "--by", "team"]).stdin(format!("\n{line}\n")).run();
    r.bad(&[
        "unknown key \"team\"",
        "the fields of line 2: id, plan, priority, opened, state, elapsed_seconds, error, Org",
    ]);
    // A column named as a report figure could not be told from it.
    let input =
        "id,plan,priority,opened,state,elapsed_seconds,error,cycles\nx,gold,major,2026-11-20T10:00:00Z,met,1,,a\n";
    slacalc(&["report", "--input", "-", "--by", "cycles"]).stdin(input).run().bad(&["\"cycles\"", "report field"]);
    // The same column twice.
    let r = slacalc(&["report", "--input", "-", "--by", "company name,Company Name"]).stdin(org_input()).run();
    r.bad(&["given twice"]);
}

/// --tz and --utc cut month, week and day in that zone; without them each
/// row's own offset counts. An error row's time as typed keeps its date; a
/// cycle's start without an offset cannot be put in a zone.
#[test]
fn tz_and_utc_cut_dates_in_that_zone() {
    let mut input = BATCH_HEADER.to_string();
    // 04:30 UTC on 1 December; 17:30 on 1 December in Auckland (+13:00).
    input.push_str(&brow("p", "x", "2026-11-30T23:30:00-05:00", "met", "1", ""));
    // Monday 00:30 in Paris is Sunday 23:30 UTC: another ISO week in UTC.
    input.push_str(&brow("p", "x", "2026-11-30T00:30:00+01:00", "met", "1", ""));
    input.push_str(&brow("p", "x", "2026-11-21 09:00", "", "", "opened after now"));
    let keys = |args: &[&str]| -> Vec<(Value, Value)> {
        let mut a = vec!["--by", "week,day"];
        a.extend(args);
        report_json(&input, &a)["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| (g["week"].clone(), g["day"].clone()))
            .collect()
    };
    let k = |w: &str, d: &str| (json!(w), json!(d));
    assert_eq!(keys(&[]), vec![k("2026-W47", "2026-11-21"), k("2026-W49", "2026-11-30")]);
    assert_eq!(
        keys(&["--utc"]),
        vec![k("2026-W47", "2026-11-21"), k("2026-W48", "2026-11-29"), k("2026-W49", "2026-12-01")]
    );
    assert_eq!(
        keys(&["--tz", "Pacific/Auckland"]),
        vec![k("2026-W47", "2026-11-21"), k("2026-W49", "2026-11-30"), k("2026-W49", "2026-12-01")]
    );
    let r = slacalc(&["report", "--input", "-", "--by", "month", "--tz", "Europe/Paris", "--format", "csv"])
        .stdin(input.clone())
        .run();
    assert_eq!(
        r.ok().lines().skip(1).map(|l| l.split(',').next().unwrap_or("")).collect::<Vec<_>>(),
        ["2026-11", "2026-12"]
    );
    // Without a time key, --tz changes nothing.
    assert_eq!(report_json(&input, &["--by", "plan", "--tz", "Asia/Tokyo"]), report_json(&input, &["--by", "plan"]));
    slacalc(&["report", "--input", "-", "--tz", "Europe/Pari"]).stdin(input).run().bad(&["Europe/Paris"]);
    let local = format!("{BATCH_HEADER}{}", brow("p", "x", "2026-11-20 10:00", "met", "1", ""));
    slacalc(&["report", "--input", "-", "--by", "day", "--tz", "UTC"])
        .stdin(local.clone())
        .run()
        .bad(&["line 2", "\"2026-11-20 10:00\" has no UTC offset"]);
    // Without --tz it is read as printed, as before.
    report_json(&local, &["--by", "day"]);
}

/// --now did nothing in report: refused, with where it belongs. SLACALC_NOW,
/// shared by a whole script, is not refused.
#[test]
fn now_is_refused() {
    let input = format!("{BATCH_HEADER}{}", brow("p", "x", "2026-11-20T10:00:00Z", "met", "1", ""));
    let r = slacalc(&["report", "--input", "-", "--now", "2026-12-01T00:00:00Z"]).stdin(input.clone()).run();
    r.bad(&["report does not use --now", "batch or replay"]);
    let r = slacalc(&["--now", "2026-12-01T00:00:00Z", "report", "--input", "-"]).stdin(input.clone()).run();
    r.bad(&["--now"]);
    slacalc(&["report", "--input", "-"]).env("SLACALC_NOW", "2026-12-01T00:00:00Z").stdin(input).run().ok();
}

/// JSON has a `total` with a group's figures over every row: percentiles
/// over all stopped cycles, not an average of the groups'.
#[test]
fn json_total_has_the_figures_of_all_rows() {
    let t = "2026-11-20T10:00:00Z";
    let mut input = BATCH_HEADER.to_string();
    for (plan, state, e) in
        [("a", "met", "10"), ("a", "met", "20"), ("b", "missed", "30"), ("b", "breached", "99"), ("b", "running", "1")]
    {
        input.push_str(&brow(plan, "x", t, state, e, ""));
    }
    input.push_str(&brow("c", "x", t, "", "", "bad"));
    let v = report_json(&input, &["--by", "plan"]);
    assert_eq!(
        v["total"],
        json!({
            "cycles": 5, "met": 2, "missed": 1, "breached": 1, "running": 1, "at_risk": 0, "paused": 0,
            "no_commitment": 0, "errors": 1, "attainment_percent": 50.0,
            "p50_seconds": 20, "p90_seconds": 30, "p95_seconds": 30, "mean_seconds": 20
        })
    );
    let keys: Vec<&String> = v["total"].as_object().expect("total").keys().collect();
    let group_keys: Vec<&String> = v["groups"][0].as_object().expect("group").keys().skip(1).collect();
    assert_eq!(keys, group_keys, "the fields of a group, in its order, without the keys");
    // No rows: a total of zeros and nulls.
    let v = report_json(BATCH_HEADER, &[]);
    assert_eq!((&v["total"]["cycles"], &v["total"]["attainment_percent"]), (&json!(0), &Value::Null));
    // CSV keeps its one header and one row per group (no total row).
    let r = slacalc(&["report", "--input", "-", "--by", "plan", "--format", "csv"]).stdin(input).run();
    assert_eq!(r.ok().lines().count(), 4);
}

/// At 80 columns (a pipe, or COLUMNS=80) the table fits and keeps the
/// attainment column; the percentiles go first, and a line says which
/// columns were left out. A wide terminal shows them all.
#[test]
fn table_fits_80_columns_and_keeps_attainment() {
    let r = slacalc(&["batch", "--input", "examples/tickets.csv", "--now", "2026-11-23T12:00:00+01:00"]).run();
    let rows = r.ok().to_string();
    for columns in [None, Some("80"), Some("60")] {
        let mut cmd = slacalc(&["report", "--input", "-"]).stdin(rows.clone());
        if let Some(c) = columns {
            cmd = cmd.env("COLUMNS", c);
        }
        let r = cmd.run();
        let out = r.ok();
        let width: usize = columns.map_or(80, |c| c.parse().expect("number"));
        for line in out.lines() {
            assert!(line.chars().count() <= width, "{} columns at {width}:\n{out}", line.chars().count());
        }
        let header = out.lines().nth(1).expect("header");
        assert!(header.contains("attain"), "{out}");
        assert!(!header.contains("p95"), "{out}");
        assert!(out.contains("Left out to fit") && out.contains("p95"), "{out}");
        assert!(out.contains("apizee-bronze"), "{out}");
    }
    let r = slacalc(&["report", "--input", "-"]).env("COLUMNS", "200").stdin(rows).run();
    let out = r.ok();
    assert!(out.lines().nth(1).expect("header").contains("p95") && !out.contains("Left out"), "{out}");
}

/// Priorities of a loaded plan sort in its level order (p1 first), embedded
/// or from --plans; unknown ones after them, by name.
#[test]
fn priorities_sort_in_the_plans_level_order() {
    let t = "2026-11-20T10:00:00Z";
    let mut input = BATCH_HEADER.to_string();
    for (plan, prio) in [
        ("apizee-gold", "minor"),
        ("apizee-gold", "moderate"),
        ("apizee-gold", "zzz"),
        ("apizee-gold", "major"),
        ("apizee-gold", "aaa"),
        ("nimbus-pro", "low"),
        ("nimbus-pro", "urgent"),
        ("nimbus-pro", "high"),
        ("nimbus-pro", "normal"),
        ("apizee-gold", ""),
    ] {
        input.push_str(&brow(plan, prio, t, "met", "1", ""));
    }
    let order = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--by", "plan,priority"];
        a.extend(args);
        report_json(&input, &a)["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| format!("{}/{}", g["plan"].as_str().unwrap_or("-"), g["priority"].as_str().unwrap_or("-")))
            .collect()
    };
    let gold = [
        "apizee-gold/-",
        "apizee-gold/major",
        "apizee-gold/moderate",
        "apizee-gold/minor",
        "apizee-gold/aaa",
        "apizee-gold/zzz",
    ];
    let mut want: Vec<String> = gold.iter().map(|s| s.to_string()).collect();
    // nimbus-pro is not loaded: by name.
    want.extend(["nimbus-pro/high", "nimbus-pro/low", "nimbus-pro/normal", "nimbus-pro/urgent"].map(String::from));
    assert_eq!(order(&[]), want);
    let mut want: Vec<String> = gold.iter().map(|s| s.to_string()).collect();
    want.extend(["nimbus-pro/urgent", "nimbus-pro/high", "nimbus-pro/normal", "nimbus-pro/low"].map(String::from));
    assert_eq!(order(&["--plans", "examples/lifecycle-vendor.toml"]), want);
    // The table and CSV follow the same order.
    let r = slacalc(&["report", "--input", "-", "--by", "plan,priority", "--format", "csv"]).stdin(input.clone()).run();
    let prios: Vec<&str> = r.ok().lines().skip(1).take(4).map(|l| l.split(',').nth(1).unwrap_or("")).collect();
    assert_eq!(prios, ["", "major", "moderate", "minor"]);
    // Without plan among the keys, a priority takes its lowest level.
    let v = report_json(&input, &["--by", "priority"]);
    let prios: Vec<&str> =
        v["groups"].as_array().expect("groups").iter().map(|g| g["priority"].as_str().unwrap_or("-")).collect();
    assert_eq!(prios, ["-", "major", "moderate", "minor", "aaa", "high", "low", "normal", "urgent", "zzz"]);
}

/// An Excel-saved report input: `;`, a BOM, CRLF or CR-only line ends; the
/// line numbers stay right; without --delimiter the message says to use it.
#[test]
fn report_reads_excel_csv_with_delimiter_bom_and_cr_line_ends() {
    let comma = format!(
        "{BATCH_HEADER}{}{}",
        brow("gold", "major", "2026-11-20T10:00:00Z", "met", "60", ""),
        brow("gold", "major", "2026-11-20T10:00:00Z", "missed", "90", "")
    );
    let want = report_json(&comma, &[]);
    let semi = comma.replace(',', ";");
    for ending in ["\r\n", "\r"] {
        let text = format!("\u{feff}{}", semi.replace('\n', ending));
        assert_eq!(report_json(&text, &["--delimiter", ";"]), want, "{ending:?}");
        let r = slacalc(&["report", "--input", "-"]).stdin(text.clone()).run();
        r.bad(&["neither batch nor replay output", "try --delimiter ';'"]);
        // A bad row on line 3 is named line 3.
        let bad = text.replace("missed", "lost");
        slacalc(&["report", "--input", "-", "--delimiter", ";"])
            .stdin(bad)
            .run()
            .bad(&["line 3: unknown state \"lost\""]);
    }
    let tabs = comma.replace(',', "\t");
    assert_eq!(report_json(&tabs, &["--delimiter", "tab"]), want);
    slacalc(&["report", "--input", "-"]).stdin(tabs).run().bad(&["try --delimiter tab"]);
    slacalc(&["report", "--input", "-", "--delimiter", "ab"]).stdin(comma.clone()).run().bad(&["--delimiter \"ab\""]);
    slacalc(&["report", "--input", "-", "--delimiter", ";"]).stdin(comma).run().bad(&["try --delimiter ','"]);
}

/// A missing column is named with the shape the header has: a batch file
/// is never told about `start`, the replay column.
#[test]
fn missing_columns_are_named_for_the_shape_of_the_input() {
    let r = slacalc(&["report", "--input", "-"]).stdin("id,plan,priority,opened,deadline,responded\nx,a,b,c,,\n").run();
    let err = r.bad(&[
        "no \"state\", \"elapsed_seconds\", \"error\" columns for batch output",
        "got: id,plan,priority,opened,deadline,responded",
    ]);
    assert!(!err.contains("\"start\""), "{err}");
    let r =
        slacalc(&["report", "--input", "-"]).stdin("id,plan,priority,cycle,start,state,elapsed_seconds,error\n").run();
    let err = r.bad(&["no \"metric\" column for replay output"]);
    assert!(!err.contains("\"opened\""), "{err}");
    slacalc(&["report", "--input", "-"]).stdin("Ticket,When\n1,2\n").run().bad(&["neither batch nor replay output"]);
}
