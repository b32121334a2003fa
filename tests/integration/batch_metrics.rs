//! Issue 19 / SPEC §9, the analyst route through `batch`: `--metric
//! first_response|resolution` and the `metric` column, duration columns
//! (`responded_after`, `resolved_after`), the note when no stop column is
//! mapped, rows read as of now, `--from`/`--to`, `--ambiguous` and
//! `--max-errors` (batch and replay), and `report` on the new column.

use serde_json::Value;

use crate::util::{NOW, json_lines, rows, slacalc, temp_file};

const VENDOR: &str = "examples/lifecycle-vendor.toml";

fn batch(input: &str, extra: &[&str]) -> crate::util::Run {
    let mut a = vec!["--plans", VENDOR, "batch", "--input", "-", "--now", NOW];
    a.extend_from_slice(extra);
    slacalc(&a).stdin(input).run()
}

fn json_rows(out: &str) -> Vec<Value> {
    json_lines(out)
}

fn csv_rows(out: &str) -> Vec<Vec<String>> {
    rows(out)
}

// ------------------------------------------------------------ --metric

#[test]
fn resolution_rows_answer_as_status_metric_resolution_does() {
    let input = "id,plan,priority,opened,resolved\n\
                 1,nimbus-pro,normal,2026-11-16 09:15,2026-11-18 15:00\n\
                 2,nimbus-pro,urgent,2026-11-18 09:00,2026-11-18 14:30\n\
                 3,nimbus-pro,high,2026-11-20 09:00,\n\
                 4,nimbus-pro,high,2026-11-16 10:00,2026-11-17 11:00\n";
    let r = batch(input, &["--metric", "resolution", "--format", "json"]);
    let rows = json_rows(r.ok());
    assert_eq!(rows.len(), 4);
    let cases = [
        ("normal", "2026-11-16 09:15", Some("2026-11-18 15:00")),
        ("urgent", "2026-11-18 09:00", Some("2026-11-18 14:30")),
        ("high", "2026-11-20 09:00", None),
        ("high", "2026-11-16 10:00", Some("2026-11-17 11:00")),
    ];
    for (b, (priority, opened, resolved)) in rows.iter().zip(cases) {
        let mut a = vec![
            "--plans",
            VENDOR,
            "status",
            "--plan",
            "nimbus-pro",
            "--priority",
            priority,
            "--opened",
            opened,
            "--metric",
            "resolution",
            "--now",
            NOW,
            "--format",
            "json",
        ];
        if let Some(t) = resolved {
            a.extend(["--resolved", t]);
        }
        let s = slacalc(&a).run().json();
        assert_eq!(b["metric"], "resolution");
        for k in ["plan", "priority", "opened", "deadline", "resolved", "state", "elapsed_seconds", "remaining_seconds"]
        {
            assert_eq!(b[k], s[k], "{k}: batch {b} / status {s}");
        }
    }
    // Urgent: 4 h on a 24x7 clock, resolved after 5.5 h → missed.
    assert_eq!(
        (rows[1]["deadline"].as_str(), rows[1]["state"].as_str()),
        (Some("2026-11-18T13:00:00+01:00"), Some("missed"))
    );
    // The JSON keys: metric after priority, the stop named resolved.
    let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "plan",
            "priority",
            "metric",
            "opened",
            "deadline",
            "resolved",
            "state",
            "elapsed_seconds",
            "remaining_seconds",
            "error"
        ]
    );
}

#[test]
fn a_priority_without_a_resolution_target_is_no_commitment() {
    // The shipped plans publish first-response targets only.
    let input = "id,plan,priority,opened,resolved\n1,gold,major,2026-11-20 17:30,2026-11-23 10:00\n\
                 2,nimbus-pro,low,2026-11-19 16:00,2026-11-20 16:30\n";
    let rows = json_rows(batch(input, &["--metric", "resolution", "--format", "json"]).ok());
    for row in &rows {
        assert_eq!(row["state"], "no-commitment", "{row}");
        assert_eq!(row["deadline"], Value::Null);
        assert_eq!(row["remaining_seconds"], Value::Null);
        assert_eq!(row["error"], Value::Null);
    }
    // gold major: 0.5 h Fri + 1 h Mon of working time until the solve.
    assert_eq!(rows[0]["elapsed_seconds"], 5400);
    assert_eq!(rows[0]["resolved"], "2026-11-23T10:00:00+01:00");
}

#[test]
fn first_response_is_the_default_with_a_metric_column_after_priority() {
    let input =
        "id,plan,priority,opened,responded,resolved\n1,gold,major,2026-11-20 17:30,2026-11-23 09:30,2026-11-23 11:00\n";
    let r = batch(input, &[]);
    let out = r.ok();
    assert_eq!(
        out,
        "id,plan,priority,metric,opened,deadline,responded,state,elapsed_seconds,remaining_seconds,error,resolved\n\
         1,apizee-gold,major,first_response,2026-11-20T17:30:00+01:00,2026-11-23T14:30:00+01:00,2026-11-23T09:30:00+01:00,met,3600,10800,,2026-11-23 11:00\n",
        "the resolved column, not read for first_response, passes through"
    );
    assert_eq!(batch(input, &["--metric", "first_response"]).ok(), out);
    // With --metric resolution the stop column is resolved and responded
    // passes through.
    let r = batch(input, &["--metric", "resolution"]);
    let rows = csv_rows(r.ok());
    assert_eq!(
        rows[0].join(","),
        "id,plan,priority,metric,opened,deadline,resolved,state,elapsed_seconds,remaining_seconds,error,responded"
    );
    assert_eq!(rows[1][6], "2026-11-23T11:00:00+01:00");
    assert_eq!(rows[1][11], "2026-11-23 09:30");
    batch(input, &["--metric", "next_response"]).bad(&["--metric", "next_response", "first_response", "resolution"]);
}

// ------------------------------------------------------- duration columns

#[test]
fn duration_columns_give_the_stop_as_opened_plus_the_time() {
    // gold major opened Mon 2026-11-23 09:00 (4 h, due 14:00).
    let input = "id,plan,priority,opened,responded,responded_after\n\
                 m,gold,major,2026-11-23 09:00,,90\n\
                 dec,gold,major,2026-11-23 09:00,,12.51\n\
                 dur,gold,major,2026-11-23 09:00,,1h30m\n\
                 both,gold,major,2026-11-23 09:00,2026-11-23 09:10,90\n\
                 late,gold,major,2026-11-23 09:00,,600\n\
                 bad,gold,major,2026-11-23 09:00,,-5\n\
                 word,gold,major,2026-11-23 09:00,,soon\n";
    let rows = json_rows(batch(input, &["--format", "json"]).ok());
    let stop = |i: usize| rows[i]["responded"].as_str().unwrap_or("null").to_string();
    assert_eq!(stop(0), "2026-11-23T10:30:00+01:00", "90 minutes (the default unit)");
    // 12.51 minutes = 750.6 s, truncated to the second.
    assert_eq!((stop(1).as_str(), rows[1]["elapsed_seconds"].as_i64()), ("2026-11-23T09:12:30+01:00", Some(750)));
    assert_eq!(stop(2), "2026-11-23T10:30:00+01:00", "a duration as slacalc writes it");
    assert_eq!(stop(3), "2026-11-23T09:10:00+01:00", "the stop column wins over its duration");
    // 10 h after opening is after now (12:00): not yet happened; 3 h of 4 h used.
    assert_eq!((stop(4).as_str(), rows[4]["state"].as_str()), ("null", Some("at-risk")));
    for i in [5, 6] {
        let e = rows[i]["error"].as_str().unwrap_or("");
        assert!(e.contains("responded_after") && e.contains("a number of minutes") && e.contains("1h30m"), "{e}");
    }
    assert!(rows[6]["error"].as_str().unwrap_or("").contains("\"soon\""));
    // The profile's duration_unit; resolved_after for resolution.
    let (_d, profile) = temp_file("p.toml", "duration_unit = \"hours\"\n");
    let input = "id,plan,priority,opened,resolved_after\n1,nimbus-pro,urgent,2026-11-18 09:00,1.5\n";
    let p = profile.to_str().unwrap();
    let rows = json_rows(batch(input, &["--metric", "resolution", "--profile", p, "--format", "json"]).ok());
    assert_eq!(rows[0]["resolved"], "2026-11-18T10:30:00+01:00");
    assert_eq!(rows[0]["state"], "met");
    // Mapped with --columns, as a Zendesk export names it.
    let input = "Ticket,Plan,Prio,Created,First reply time in minutes\n7,gold,major,2026-11-23 09:00,45\n";
    let r = batch(
        input,
        &[
            "--columns",
            "id=Ticket,plan=Plan,priority=Prio,opened=Created,responded_after=\"First reply time in minutes\"",
            "--format",
            "json",
        ],
    );
    assert!(!r.stderr.contains("no responded column"), "{}", r.stderr);
    assert_eq!(json_rows(r.ok())[0]["responded"], "2026-11-23T09:45:00+01:00");
}

#[test]
fn no_stop_column_is_said_once_before_the_rows() {
    let input = "id,plan,priority,opened\n1,gold,major,2026-11-20 17:30\n2,gold,major,2026-11-20 17:30\n";
    let r = batch(input, &[]);
    r.ok();
    assert!(
        r.stderr.starts_with(
            "note: no responded column: every ticket is measured as unanswered as of now (name one with --columns responded=COLUMN or responded_after=COLUMN)\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.matches("no responded column").count(), 1);
    let r = batch(input, &["--metric", "resolution"]);
    assert!(
        r.stderr.starts_with("note: no resolved column: every ticket is measured as unresolved as of now"),
        "{}",
        r.stderr
    );
    // A responded column, even empty, is a mapped stop: no note.
    let r = batch("id,plan,priority,opened,responded\n1,gold,major,2026-11-20 17:30,\n", &[]);
    assert!(!r.stderr.contains("note:"), "{}", r.stderr);
}

// ------------------------------------------------------------- as of now

/// Rows around now (Mon 2026-11-23 12:00 Paris), some opened after it.
fn around_now(n: usize) -> String {
    let mut s = String::from("id,plan,priority,opened,responded\n");
    for i in 0..n {
        let opened = if i % 3 == 0 { "2026-11-24 09:00" } else { "2026-11-20 17:30" };
        let responded = if i % 5 == 0 { "2026-11-23 12:30" } else { "" };
        s.push_str(&format!("T{i},gold,major,{opened},{responded}\n"));
    }
    s
}

#[test]
fn rows_opened_after_now_are_left_out_and_counted_the_same_with_jobs() {
    let input = around_now(9000);
    let (_d, path) = temp_file("t.csv", &input);
    let p = path.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut a = vec!["batch", "--input", p, "--now", NOW];
        a.extend_from_slice(extra);
        slacalc(&a).run()
    };
    let one = run(&[]);
    let rows = csv_rows(one.ok());
    assert_eq!(rows.len() - 1, 6000, "9000 in, 3000 opened after now left out");
    assert!(rows.iter().skip(1).all(|r| r[4] == "2026-11-20T17:30:00+01:00"));
    // A response after now has not happened yet: no stop, at-risk as of now.
    assert!(rows.iter().skip(1).all(|r| r[6].is_empty() && r[7] == "at-risk"), "{:?}", &rows[1]);
    assert!(one.stderr.contains("note: 3000 rows opened after now left out\n"), "{}", one.stderr);
    assert!(
        one.stderr.contains("6000 rows written of 9000 read (3000 left out): 0 breached, 6000 at risk"),
        "{}",
        one.stderr
    );
    for format in [&["--format", "csv"][..], &["--format", "json"]] {
        let a = run(format);
        let b = run(&[format, &["--jobs", "2"]].concat());
        assert!(a.stdout == b.stdout, "--jobs 2 gives the bytes of one job for {format:?}");
        assert_eq!((a.code, b.code), (0, 0));
        let summary = |s: &str| s.lines().filter(|l| !l.contains(" s)")).map(str::to_string).collect::<Vec<_>>();
        assert_eq!(summary(&a.stderr), summary(&b.stderr));
    }
    // --strict: a row opened after now is an error (exit 2, nothing on stdout).
    run(&["--strict"]).bad(&["line 2", "opened 2026-11-24T09:00:00+01:00 is after now"]);
    run(&["--strict", "--jobs", "2"]).bad(&["line 2", "opened 2026-11-24T09:00:00+01:00 is after now"]);
}

#[test]
fn from_and_to_keep_rows_opened_in_that_range_in_the_plan_zone() {
    // 2026-11-18T23:30:00Z is 00:30 on the 19th in Paris: inside --from 2026-11-19.
    let input = "id,plan,priority,opened\n\
                 a,gold,major,2026-11-18T22:30:00Z\n\
                 b,gold,major,2026-11-18T23:30:00Z\n\
                 c,gold,major,2026-11-20 23:59:59\n\
                 d,gold,major,2026-11-21 00:00\n\
                 e,gold,major,bad\n\
                 f,nope,major,2026-11-01 10:00\n";
    let r = batch(input, &["--from", "2026-11-19", "--to", "2026-11-20"]);
    let rows = csv_rows(r.ok());
    let ids: Vec<&str> = rows.iter().skip(1).map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["b", "c", "e", "f"], "rows that cannot be dated stay, as error rows");
    assert!(r.stderr.contains("note: 2 rows opened outside 2026-11-19 to 2026-11-20 left out\n"), "{}", r.stderr);
    assert!(r.stderr.contains("4 rows written of 6 read (2 left out)"), "{}", r.stderr);
    let r = batch(input, &["--to", "2026-11-18"]);
    assert_eq!(csv_rows(r.ok()).len() - 1, 3);
    assert!(r.stderr.contains("note: 3 rows opened outside --to 2026-11-18 left out"), "{}", r.stderr);
    batch(input, &["--from", "2026-11-21", "--to", "2026-11-20"]).bad(&["--from 2026-11-21 is after --to 2026-11-20"]);
    batch(input, &["--from", "19/11/2026"]).bad(&["--from", "19/11/2026", "YYYY-MM-DD"]);
}

// ---------------------------------------------------------- --ambiguous

#[test]
fn ambiguous_local_times_in_files_follow_the_policy_and_gaps_stay_errors() {
    // 2026-10-25 02:30 happens twice in Paris (+02:00, then +01:00); 24x7
    // urgent on nimbus-pro: 1 h first response.
    let input = "id,plan,priority,opened,responded,pauses\n\
                 fold,nimbus-pro,urgent,2026-10-25 02:30,2026-10-25 04:00,\n\
                 gap,nimbus-pro,urgent,2026-03-29 02:30,,\n\
                 pause,nimbus-pro,urgent,2026-10-25 01:00,2026-10-25 04:00,2026-10-25 02:15/2026-10-25 02:45\n";
    let get = |extra: &[&str]| json_rows(batch(input, &[extra, &["--format", "json"]].concat()).ok());
    let reject = get(&[]);
    assert!(reject[0]["error"].as_str().unwrap_or("").contains("ambiguous"), "{}", reject[0]);
    assert!(reject[0]["error"].as_str().unwrap_or("").contains("--ambiguous earlier|later"), "{}", reject[0]);
    assert!(reject[2]["error"].as_str().unwrap_or("").contains("pauses"), "{}", reject[2]);
    let earlier = get(&["--ambiguous", "earlier"]);
    let later = get(&["--ambiguous", "later"]);
    assert_eq!(earlier[0]["opened"], "2026-10-25T02:30:00+02:00");
    assert_eq!(later[0]["opened"], "2026-10-25T02:30:00+01:00");
    // 04:00 +01:00 is 2.5 h after the first 02:30, 1.5 h after the second.
    assert_eq!(
        (earlier[0]["elapsed_seconds"].as_i64(), later[0]["elapsed_seconds"].as_i64()),
        (Some(9000), Some(5400))
    );
    for rows in [&earlier, &later] {
        assert!(rows[1]["error"].as_str().unwrap_or("").contains("does not exist"), "{}", rows[1]);
        assert_eq!(rows[2]["error"], Value::Null, "{}", rows[2]);
    }
    // The pause 02:15–02:45: earlier = first occurrences (+02:00), 30 min;
    // later = second ones (+01:00), 30 min too, but an hour later in time.
    assert_eq!(earlier[2]["elapsed_seconds"].as_i64(), Some(4 * 3600 - 1800));
    assert_eq!(later[2]["elapsed_seconds"].as_i64(), Some(4 * 3600 - 1800));
    // A profile may set it; --ambiguous beats it.
    let (_d, profile) = temp_file("p.toml", "ambiguous = \"later\"\n");
    let p = profile.to_str().unwrap();
    assert_eq!(get(&["--profile", p]), later);
    assert_eq!(get(&["--profile", p, "--ambiguous", "earlier"]), earlier);
    let (_d2, bad) = temp_file("b.toml", "ambiguous = \"first\"\n");
    batch(input, &["--profile", bad.to_str().unwrap()]).bad(&["ambiguous", "\"first\"", "earlier, later or reject"]);
    batch(input, &["--ambiguous", "first"]).bad(&["--ambiguous", "first"]);
}

#[test]
fn replay_reads_fold_times_by_the_policy_too() {
    let events = "id,at,event,value,plan,priority\n\
                  F1,2026-10-25 02:30,created,,nimbus-pro,urgent\n\
                  F1,2026-10-25 03:00,reply,agent\n";
    let run = |extra: &[&str]| {
        let mut a = vec!["--plans", VENDOR, "replay", "--input", "-", "--now", NOW, "--format", "json"];
        a.extend_from_slice(extra);
        slacalc(&a).stdin(events).run()
    };
    let rows = json_rows(run(&[]).ok());
    assert!(rows[0]["error"].as_str().unwrap_or("").contains("ambiguous"), "{}", rows[0]);
    let rows = json_rows(run(&["--ambiguous", "earlier"]).ok());
    // Created at the first 02:30 (+02:00), answered at 03:00 +01:00: 1.5 h.
    assert_eq!(
        (rows[0]["start"].as_str(), rows[0]["elapsed_seconds"].as_i64()),
        (Some("2026-10-25T02:30:00+02:00"), Some(5400))
    );
    let rows = json_rows(run(&["--ambiguous", "later"]).ok());
    assert_eq!(
        (rows[0]["start"].as_str(), rows[0]["elapsed_seconds"].as_i64()),
        (Some("2026-10-25T02:30:00+01:00"), Some(1800))
    );
}

// ---------------------------------------------------------- --max-errors

#[test]
fn max_errors_exits_1_past_the_limit_with_the_output_complete() {
    let input =
        "id,plan,priority,opened\n1,gold,major,2026-11-20 17:30\n2,nope,major,2026-11-20 17:30\n3,gold,major,x\n";
    let all = batch(input, &[]);
    assert_eq!(all.code, 0, "without --max-errors, error rows never fail the run");
    for (n, code) in [("0", 1), ("1", 1), ("2", 0)] {
        let r = batch(input, &["--max-errors", n]);
        assert_eq!(r.code, code, "--max-errors {n}: {}", r.stderr);
        assert_eq!(r.stdout, all.stdout, "the output is complete");
        if code == 1 {
            assert!(
                r.stderr.contains(&format!("failed: 2 rows are error rows, more than --max-errors {n}")),
                "{}",
                r.stderr
            );
        }
    }
    batch(input, &["--max-errors", "many"]).bad(&["--max-errors", "many"]);
    // replay counts tickets with an error row.
    let events = "id,at,event,value,plan,priority\nE1,2026-11-16 09:15,created,,nimbus-pro,normal\nE2,2026-11-16 09:15,created,,nimbus-pro,nope\n";
    let run = |extra: &[&str]| {
        let mut a = vec!["--plans", VENDOR, "replay", "--input", "-", "--now", NOW];
        a.extend_from_slice(extra);
        slacalc(&a).stdin(events).run()
    };
    let r = run(&["--max-errors", "0"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("failed: 1 ticket is an error row, more than --max-errors 0"), "{}", r.stderr);
    assert_eq!(r.stdout, run(&[]).stdout);
    assert_eq!(run(&["--max-errors", "1"]).code, 0);
}

// --------------------------------------------------------------- report

#[test]
fn report_groups_batch_rows_by_their_metric_column_and_reads_old_output() {
    let input = "id,plan,priority,opened,resolved\n\
                 1,nimbus-pro,normal,2026-11-16 09:15,2026-11-18 15:00\n\
                 2,nimbus-pro,urgent,2026-11-18 09:00,2026-11-18 14:30\n";
    for format in ["csv", "json"] {
        let out = batch(input, &["--metric", "resolution", "--format", format]).ok().to_string();
        let v = slacalc(&["report", "--input", "-", "--by", "metric", "--format", "json"]).stdin(out).run().json();
        assert_eq!(v["groups"][0]["metric"], "resolution", "{format}: {v}");
        assert_eq!((v["groups"][0]["met"].as_u64(), v["groups"][0]["missed"].as_u64()), (Some(1), Some(1)));
    }
    // Batch output written before the metric column reports as first_response.
    let old = "id,plan,priority,opened,deadline,responded,state,elapsed_seconds,remaining_seconds,error\n\
               1,apizee-gold,major,2026-11-20T17:30:00+01:00,2026-11-23T14:30:00+01:00,,at-risk,12600,1800,\n";
    let v = slacalc(&["report", "--input", "-", "--by", "metric", "--format", "json"]).stdin(old).run().json();
    assert_eq!(v["groups"][0]["metric"], "first_response", "{v}");
    let old_json = r#"{"id":"1","plan":"apizee-gold","priority":"major","opened":"2026-11-20T17:30:00+01:00","deadline":null,"responded":null,"state":"met","elapsed_seconds":5,"remaining_seconds":1,"error":null}"#;
    let v = slacalc(&["report", "--input", "-", "--by", "metric", "--format", "json"]).stdin(old_json).run().json();
    assert_eq!(v["groups"][0]["metric"], "first_response", "{v}");
}
