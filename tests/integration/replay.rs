//! `slacalc replay` through the binary: one test per rule of SPEC §5, on
//! examples/lifecycle-vendor.toml (nimbus-pro: Europe/Paris, Mon–Fri
//! 09:00–17:00, so 1 bd = 8 h; urgent 1h / 1h / 4h on 24x7; high 2h / 4h /
//! 2bd; normal 4h / 1bd / 5bd; low 1bd / best-effort / no resolution;
//! resolution pauses on waiting and on_hold; at risk from 80 %). Dates are
//! in November 2026 (+01:00, no DST change): Mon 16 … Fri 20, Mon 23 … Fri 27.
//! Every expected figure is computed by hand in the comment above it.

use serde_json::Value;

use crate::util::{json_lines, slacalc, temp_file};

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lifecycle-vendor.toml");
const HEADER: &str = "id,at,event,value,plan,priority\n";

fn run(csv: &str, now: &str, extra: &[&str]) -> crate::util::Run {
    let mut a = vec!["--plans", PLAN, "replay", "--input", "-", "--now", now, "--format", "json"];
    a.extend(extra);
    slacalc(&a).stdin(format!("{HEADER}{csv}")).run()
}

fn rows(csv: &str, now: &str) -> Vec<Value> {
    let r = run(csv, now, &[]);
    r.ok().lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[track_caller]
fn find<'a>(rows: &'a [Value], id: &str, metric: &str, cycle: u64) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id && r["metric"] == metric && r["cycle"] == cycle)
        .unwrap_or_else(|| panic!("no row {id} {metric} {cycle} in {rows:#?}"))
}

/// (stop, deadline, elapsed, paused, remaining, state); times are local
/// `YYYY-MM-DD HH:MM` in +01:00, "" for null.
type Want<'a> = (&'a str, &'a str, i64, i64, Option<i64>, &'a str);

#[track_caller]
fn check(r: &Value, (stop, deadline, elapsed, paused, remaining, state): Want<'_>) {
    let t = |s: &str| if s.is_empty() { Value::Null } else { Value::from(format!("{}:00+01:00", s.replace(' ', "T"))) };
    assert_eq!(r["stop"], t(stop), "stop {r}");
    assert_eq!(r["deadline"], t(deadline), "deadline {r}");
    assert_eq!(r["elapsed_seconds"], elapsed, "elapsed {r}");
    assert_eq!(r["paused_seconds"], paused, "paused {r}");
    assert_eq!(r["remaining_seconds"], remaining.map_or(Value::Null, Value::from), "remaining {r}");
    assert_eq!(r["state"], state, "state {r}");
    assert_eq!(r["error"], Value::Null);
}

#[test]
fn three_metrics_and_numbered_next_response_cycles() {
    let rows = rows(
        "T1,2026-11-16 10:00,created,,nimbus-pro,normal
T1,2026-11-16 10:30,reply,customer
T1,2026-11-16 11:00,reply,agent
T1,2026-11-16 12:00,reply,customer
T1,2026-11-16 12:30,reply,customer
T1,2026-11-16 13:30,reply,agent
T1,2026-11-16 14:00,reply,customer
T1,2026-11-17 10:00,reply,agent
T1,2026-11-17 11:00,status,solved
",
        "2026-11-27T18:00:00+01:00",
    );
    // One first response, two next responses (the 10:30 customer reply came
    // before any agent reply, the 12:30 one while cycle 1 ran), one resolution.
    let metrics: Vec<(&str, u64)> =
        rows.iter().map(|r| (r["metric"].as_str().unwrap(), r["cycle"].as_u64().unwrap())).collect();
    assert_eq!(metrics, [("first_response", 1), ("next_response", 1), ("next_response", 2), ("resolution", 1)]);
    // First response 4h from Mon 10:00: due 14:00; replied 11:00 = 1 h.
    check(
        find(&rows, "T1", "first_response", 1),
        ("2026-11-16 11:00", "2026-11-16 14:00", 3600, 0, Some(10_800), "met"),
    );
    // Next response 1bd = 8 h from Mon 12:00: Mon 12–17 (5 h) + Tue 09–12 → Tue 12:00;
    // answered 13:30 = 1h30.
    let nr1 = find(&rows, "T1", "next_response", 1);
    assert_eq!(nr1["start"], "2026-11-16T12:00:00+01:00");
    assert_eq!(nr1["target"], "1bd");
    assert_eq!(nr1["target_seconds"], 28_800);
    check(nr1, ("2026-11-16 13:30", "2026-11-17 12:00", 5400, 0, Some(23_400), "met"));
    // From Mon 14:00: Mon 14–17 (3 h) + Tue 09–14 → Tue 14:00; answered Tue
    // 10:00 = 3 h + 1 h = 4 h.
    check(
        find(&rows, "T1", "next_response", 2),
        ("2026-11-17 10:00", "2026-11-17 14:00", 14_400, 0, Some(14_400), "met"),
    );
    // Resolution 5bd = 40 h from Mon 10:00: Mon 7 h, Tue–Fri 32 h (39 h),
    // Mon 23 09:00 + 1 h → 10:00. Solved Tue 11:00 = 7 h + 2 h = 9 h.
    check(
        find(&rows, "T1", "resolution", 1),
        ("2026-11-17 11:00", "2026-11-23 10:00", 32_400, 0, Some(111_600), "met"),
    );
}

#[test]
fn running_cycles_are_running_at_risk_or_breached_at_the_plans_threshold() {
    let csv = "A,2026-11-16 09:00,created,,nimbus-pro,high
B,2026-11-16 09:01,created,,nimbus-pro,high
";
    // now 10:36: A has used 96 min of 2 h = 80 % (at risk, the plan's 80 %),
    // B 95 min = 79.2 % (running). Deadlines 11:00 and 11:01.
    let r = rows(csv, "2026-11-16T10:36:00+01:00");
    check(find(&r, "A", "first_response", 1), ("", "2026-11-16 11:00", 5760, 0, Some(1440), "at-risk"));
    check(find(&r, "B", "first_response", 1), ("", "2026-11-16 11:01", 5700, 0, Some(1500), "running"));
    // Resolution 2bd = 16 h from Mon 09:00 → Tue 17:00; 96 min used.
    check(find(&r, "A", "resolution", 1), ("", "2026-11-17 17:00", 5760, 0, Some(51_840), "running"));
    // At the deadline itself: at risk (100 %); one second later: breached.
    let r = rows(csv, "2026-11-16T11:00:00+01:00");
    check(find(&r, "A", "first_response", 1), ("", "2026-11-16 11:00", 7200, 0, Some(0), "at-risk"));
    let r = rows(csv, "2026-11-16T11:00:01+01:00");
    assert_eq!(find(&r, "A", "first_response", 1)["state"], "breached");
}

#[test]
fn waiting_pauses_resolution_across_a_weekend_but_not_responses() {
    let csv = "W,2026-11-20 09:00,created,,nimbus-pro,normal
W,2026-11-20 10:00,reply,agent
W,2026-11-20 15:00,status,awaiting-customer
W,2026-11-23 11:00,status,open
";
    // Resolution: Fri 09–15 counts (6 h); waiting Fri 15:00 → Mon 11:00 takes
    // off Fri 15–17 + Mon 09–11 = 4 h; Mon 11–12 counts: 7 h. 40 h due: Fri
    // 6 h, Mon 11–17 6 h (12), Tue–Thu 24 h (36), Fri 27 09:00 + 4 h → 13:00.
    let r = rows(csv, "2026-11-23T12:00:00+01:00");
    check(find(&r, "W", "resolution", 1), ("", "2026-11-27 13:00", 25_200, 14_400, Some(118_800), "running"));
    // First response: replied Fri 10:00 after 1 h, due 13:00; no pause.
    check(find(&r, "W", "first_response", 1), ("2026-11-20 10:00", "2026-11-20 13:00", 3600, 0, Some(10_800), "met"));
    // Still waiting on Saturday noon: paused, no deadline; 6 h counted, Fri
    // 15–17 paused.
    let r = rows(csv, "2026-11-21T12:00:00+01:00");
    check(find(&r, "W", "resolution", 1), ("", "", 21_600, 7200, Some(122_400), "paused"));
    // Monday 10:00, still waiting: Fri 15–17 + Mon 09–10 = 3 h paused.
    let r = rows(csv, "2026-11-23T10:00:00+01:00");
    check(find(&r, "W", "resolution", 1), ("", "", 21_600, 10_800, Some(122_400), "paused"));
}

#[test]
fn a_cycle_paused_after_its_target_is_breached_not_paused() {
    // Urgent resolution 4 h on 24x7 from Mon 09:00 → 13:00; on hold from
    // 14:00: 5 h used, the target was reached before the pause.
    let csv = "P,2026-11-16 09:00,created,,nimbus-pro,urgent
P,2026-11-16 09:10,reply,agent
P,2026-11-16 14:00,status,with-vendor
";
    let r = rows(csv, "2026-11-16T16:00:00+01:00");
    // 24x7: the 2 h on hold count as paused seconds.
    check(find(&r, "P", "resolution", 1), ("", "2026-11-16 13:00", 18_000, 7200, Some(-3600), "breached"));
}

#[test]
fn raising_the_priority_after_the_target_passed_breaches_from_where_the_new_target_ran_out() {
    let csv = "R,2026-11-16 09:00,created,,nimbus-pro,normal
R,2026-11-16 12:00,priority,urgent
";
    let r = rows(csv, "2026-11-16T12:30:00+01:00");
    let fr = find(&r, "R", "first_response", 1);
    // Spans: 09:00–12:00 on normal's business clock (3 h), 12:00–12:30 on
    // urgent's 24x7 (30 min) = 3h30. Target 1 h (urgent, in force now) was
    // used up at 10:00, inside the first span: breached, 2h30 over.
    assert_eq!(fr["priority"], "urgent");
    assert_eq!(fr["target"], "1h");
    assert_eq!(fr["clock"], "24x7");
    check(fr, ("", "2026-11-16 10:00", 12_600, 0, Some(-9000), "breached"));
    // Resolution 4 h: 3h30 used (87.5 % ≥ 80 %), the last 30 min on 24x7
    // from 12:30 → 13:00.
    check(find(&r, "R", "resolution", 1), ("", "2026-11-16 13:00", 12_600, 0, Some(1800), "at-risk"));
    // on_priority_change = "keep" (nimbus-fixed): normal's 4 h business
    // target stays: 09:00–12:30 = 3h30 of 4 h (87.5 % ≥ 75 %), due 13:00.
    let keep = csv.replace("nimbus-pro", "nimbus-fixed");
    let r = rows(&keep, "2026-11-16T12:30:00+01:00");
    let fr = find(&r, "R", "first_response", 1);
    assert_eq!(fr["priority"], "urgent");
    assert_eq!(fr["target"], "4h");
    assert_eq!(fr["clock"], "business");
    check(fr, ("", "2026-11-16 13:00", 12_600, 0, Some(1800), "at-risk"));
}

#[test]
fn a_change_to_a_level_without_commitment_or_target() {
    // Low: next response best-effort, no resolution target. The rule (see
    // lifecycle::replay): a cycle is tracked when a priority in force at some
    // point of it gives the metric a target; it is evaluated on the priority
    // in force at its end, and when that one has no target the cycle is
    // no-commitment (target "none"), never dropped.
    let all = rows(
        "L,2026-11-16 09:00,created,,nimbus-pro,normal
L,2026-11-16 09:30,reply,agent
L,2026-11-16 10:00,reply,customer
L,2026-11-16 10:30,priority,low
R,2026-11-16 09:00,created,,nimbus-pro,low
R,2026-11-16 10:00,priority,normal
Z,2026-11-16 09:00,created,,nimbus-pro,low
Z,2026-11-16 09:30,priority,normal
Z,2026-11-16 10:00,priority,low
S,2026-11-16 09:00,created,,nimbus-pro,low
",
        "2026-11-16T11:00:00+01:00",
    );
    let r: Vec<Value> = all.iter().filter(|r| r["id"] == "L").cloned().collect();
    assert_eq!(r.len(), 3, "{r:#?}");
    // L's resolution, tracked under normal (5bd) from 09:00, lowered to
    // low: no-commitment; 09:00–11:00 = 2 h elapsed, no deadline.
    let res = find(&r, "L", "resolution", 1);
    assert_eq!(
        (&res["target"], &res["target_seconds"], &res["clock"]),
        (&Value::from("none"), &Value::Null, &Value::from("business"))
    );
    check(res, ("", "", 7200, 0, None, "no-commitment"));
    // R, created low, raised to normal at 10:00: resolution on normal's 5bd
    // = 40 h from Mon 09:00: Mon 8 h + Tue–Fri 32 h → Fri 20 17:00; 2 h used.
    check(find(&all, "R", "resolution", 1), ("", "2026-11-20 17:00", 7200, 0, Some(136_800), "running"));
    // Z, low → normal (09:30–10:00) → low: tracked, no-commitment.
    check(find(&all, "Z", "resolution", 1), ("", "", 7200, 0, None, "no-commitment"));
    // S stays low: resolution is not tracked, first response only.
    assert_eq!(all.iter().filter(|r| r["id"] == "S").count(), 1);
    // First response stopped at 09:30 under normal (4 h, due 13:00).
    check(find(&r, "L", "first_response", 1), ("2026-11-16 09:30", "2026-11-16 13:00", 1800, 0, Some(12_600), "met"));
    let nr = find(&r, "L", "next_response", 1);
    assert_eq!(nr["target"], "best-effort");
    assert_eq!(nr["target_seconds"], Value::Null);
    // 10:00–11:00 = 1 h elapsed, no deadline.
    check(nr, ("", "", 3600, 0, None, "no-commitment"));
}

#[test]
fn a_customer_reply_reopens_a_solved_ticket_and_resolution_stops_at_the_last_solve() {
    let r = rows(
        "O,2026-11-16 09:00,created,,nimbus-pro,normal
O,2026-11-16 10:00,reply,agent
O,2026-11-16 11:00,status,solved
O,2026-11-16 11:30,status,resolved
O,2026-11-17 09:00,reply,customer
O,2026-11-17 10:00,reply,agent
O,2026-11-17 12:00,status,fixed
O,2026-11-18 10:00,status,closed
",
        "2026-11-18T12:00:00+01:00",
    );
    // Resolution counts Mon 09–11 (2 h) and Tue 09–12 (3 h); solved Mon
    // 11:00 → Tue 09:00 does not count (and is no pause); "resolved" changes
    // nothing; closing on Wed does not move the stop. 40 h due, run on from
    // the stop: 5 h + Tue 12–17 (10) + Wed–Fri (34) + Mon 23 09:00 + 6 h → 15:00.
    check(find(&r, "O", "resolution", 1), ("2026-11-17 12:00", "2026-11-23 15:00", 18_000, 0, Some(126_000), "met"));
    // The reopening reply starts next response 1: Tue 09:00–10:00, 1bd due Tue 17:00.
    check(find(&r, "O", "next_response", 1), ("2026-11-17 10:00", "2026-11-17 17:00", 3600, 0, Some(25_200), "met"));
    check(find(&r, "O", "first_response", 1), ("2026-11-16 10:00", "2026-11-16 13:00", 3600, 0, Some(10_800), "met"));
}

#[test]
fn a_solve_or_close_stops_the_first_response_met_or_missed() {
    let r = rows(
        "C,2026-11-16 09:00,created,,nimbus-pro,normal
C,2026-11-16 10:00,status,closed
S,2026-11-16 09:00,created,,nimbus-pro,high
S,2026-11-16 12:00,status,solved
",
        "2026-11-16T16:00:00+01:00",
    );
    // Closed straight from open at 10:00: both clocks stop there (1 h).
    // Resolution 40 h from Mon 09:00 = Mon–Fri 8 h each → Fri 17:00.
    check(find(&r, "C", "first_response", 1), ("2026-11-16 10:00", "2026-11-16 13:00", 3600, 0, Some(10_800), "met"));
    check(find(&r, "C", "resolution", 1), ("2026-11-16 10:00", "2026-11-20 17:00", 3600, 0, Some(140_400), "met"));
    // High 2 h due 11:00, solved at 12:00 without a reply: missed by 1 h.
    check(
        find(&r, "S", "first_response", 1),
        ("2026-11-16 12:00", "2026-11-16 11:00", 10_800, 0, Some(-3600), "missed"),
    );
    // Resolution 16 h due Tue 17:00; 3 h used: met.
    check(find(&r, "S", "resolution", 1), ("2026-11-16 12:00", "2026-11-17 17:00", 10_800, 0, Some(46_800), "met"));
}

#[test]
fn same_instant_events_apply_in_file_order() {
    let r = rows(
        "X,2026-11-16 09:00,created,,nimbus-pro,normal
X,2026-11-16 10:00,status,pending
X,2026-11-16 10:00,status,open
X,2026-11-16 10:00,reply,agent
X,2026-11-16 10:00,reply,customer
Y,2026-11-16 09:00,created,,nimbus-pro,normal
Y,2026-11-16 10:00,reply,customer
Y,2026-11-16 10:00,reply,agent
",
        "2026-11-16T11:00:00+01:00",
    );
    // X: pending then open at 10:00 is no pause (the state at 10:00 is open):
    // resolution 2 h, none paused. Agent then customer at 10:00 starts next
    // response 1 at 10:00 (1 h so far of 8 h, due Tue 10:00).
    check(find(&r, "X", "resolution", 1), ("", "2026-11-20 17:00", 7200, 0, Some(136_800), "running"));
    check(find(&r, "X", "next_response", 1), ("", "2026-11-17 10:00", 3600, 0, Some(25_200), "running"));
    // Y: the customer wrote before any agent reply: no next response cycle.
    assert!(!r.iter().any(|x| x["id"] == "Y" && x["metric"] == "next_response"), "{r:#?}");
}

#[test]
fn an_event_back_in_time_is_an_error_row_and_the_rest_go_on() {
    let csv = "B,2026-11-16 10:00,created,,nimbus-pro,normal
B,2026-11-16 09:00,reply,agent
G,2026-11-16 09:00,created,,nimbus-pro,normal
";
    let r = rows(csv, "2026-11-16T12:00:00+01:00");
    assert_eq!(r[0]["id"], "B");
    let e = r[0]["error"].as_str().unwrap();
    assert!(e.contains("line 3") && e.contains("back in time") && e.contains("line 2"), "{e}");
    assert_eq!(r[0]["state"], Value::Null);
    // G: 3 h of 4 h (75 % < 80 %): running.
    check(find(&r, "G", "first_response", 1), ("", "2026-11-16 13:00", 10_800, 0, Some(3600), "running"));
    // --strict: exit 2, nothing on stdout, the line named.
    run(csv, "2026-11-16T12:00:00+01:00", &["--strict"]).bad(&["line 3", "back in time", "ticket \"B\""]);
}

#[test]
fn a_ticket_id_that_reappears_is_an_error_row_naming_both_lines() {
    let r = rows(
        "A,2026-11-16 09:00,created,,nimbus-pro,normal
B,2026-11-16 09:00,created,,nimbus-pro,normal
A,2026-11-16 10:00,reply,agent
",
        "2026-11-16T12:00:00+01:00",
    );
    // A's earlier rows stand (2 rows: first response, resolution), then B's,
    // then one error row for the reappearance at line 4 (A's events ended at line 2).
    let ids: Vec<&str> = r.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["A", "A", "B", "B", "A"]);
    check(find(&r, "A", "first_response", 1), ("", "2026-11-16 13:00", 10_800, 0, Some(3600), "running"));
    let e = r[4]["error"].as_str().unwrap();
    assert!(e.contains("line 4") && e.contains("line 2") && e.contains("reappears"), "{e}");
}

#[test]
fn closed_is_final() {
    let r = rows(
        "F,2026-11-16 09:00,created,,nimbus-pro,normal
F,2026-11-16 10:00,status,closed
F,2026-11-16 11:00,reply,customer
",
        "2026-11-16T12:00:00+01:00",
    );
    assert_eq!(r.len(), 1);
    let e = r[0]["error"].as_str().unwrap();
    assert!(e.contains("line 4") && e.contains("closed") && e.contains("line 3"), "{e}");
}

#[test]
fn events_after_now_are_ignored_entirely() {
    let r = rows(
        "N,2026-11-16 09:00,created,,nimbus-pro,normal
N,2026-11-16 13:00,reply,agent
N,2026-11-16 14:00,status,no-such-status
L,2026-11-16 12:30,created,,nimbus-pro,normal
",
        "2026-11-16T12:00:00+01:00",
    );
    // As of 12:00 N has no reply (3 h of 4 h, running) and the unknown status
    // after now is not looked at; L, created after now, gives no row.
    assert_eq!(r.len(), 2, "{r:#?}");
    check(find(&r, "N", "first_response", 1), ("", "2026-11-16 13:00", 10_800, 0, Some(3600), "running"));
    // An event at exactly now counts.
    let r = rows(
        "N,2026-11-16 09:00,created,,nimbus-pro,normal\nN,2026-11-16 12:00,reply,agent\n",
        "2026-11-16T12:00:00+01:00",
    );
    check(find(&r, "N", "first_response", 1), ("2026-11-16 12:00", "2026-11-16 13:00", 10_800, 0, Some(3600), "met"));
}

#[test]
fn unknown_names_and_a_missing_created_give_one_error_row_each() {
    let cases = [
        ("P,2026-11-16 09:00,created,,no-such-plan,normal\n", "unknown plan \"no-such-plan\""),
        ("P,2026-11-16 09:00,created,,nimbus-pro,critical\n", "unknown priority \"critical\""),
        (
            "P,2026-11-16 09:00,created,,nimbus-pro,normal\nP,2026-11-16 10:00,status,archived\n",
            "unknown status \"archived\"",
        ),
        ("P,2026-11-16 09:00,created,,nimbus-pro,normal\nP,2026-11-16 10:00,note,agent\n", "unknown event \"note\""),
        (
            "P,2026-11-16 09:00,created,,nimbus-pro,normal\nP,2026-11-16 10:00,reply,bot\n",
            "unknown reply author \"bot\"",
        ),
        ("P,2026-11-16 09:00,created,,nimbus-pro,normal\nP,2026-11-16 10:00,priority,p9\n", "unknown priority \"p9\""),
        ("P,2026-11-16T09:00:00+01:00,reply,agent\n", "before the ticket's created event"),
        (
            "P,2026-11-16 09:00,created,,nimbus-pro,normal\nP,2026-11-16 09:30,created,,nimbus-pro,normal\n",
            "second created",
        ),
    ];
    for (csv, needle) in cases {
        let input = format!("{csv}Q,2026-11-16 09:00,created,,nimbus-pro,normal\n");
        let r = rows(&input, "2026-11-16T12:00:00+01:00");
        let errors: Vec<&Value> = r.iter().filter(|x| x["id"] == "P").collect();
        assert_eq!(errors.len(), 1, "{csv}: {r:#?}");
        let e = errors[0]["error"].as_str().unwrap();
        assert!(e.contains(needle) && e.contains("line "), "{csv}: {e}");
        // The next ticket goes on.
        assert_eq!(find(&r, "Q", "first_response", 1)["state"], "running", "{csv}");
    }
    // A ticket with no created event at all, times local: named with its line.
    let r = rows("Z,2026-11-16 10:00,reply,agent\n", "2026-11-16T12:00:00+01:00");
    assert!(r[0]["error"].as_str().unwrap().contains("line 2"), "{r:#?}");
}

#[test]
fn plan_and_priority_defaults_json_lines_and_the_input_zone() {
    // No plan/priority columns: --plan / --priority. 09:00 read in New York
    // with --input-tz is 15:00 Paris: 2 h of working time to 17:00, then Tue
    // 09:00 + 2 h → due 11:00 (normal, 4 h).
    let csv = "id,at,event,value\nD,2026-11-16 09:00,created,\n";
    let (_dir, path) = temp_file("events.csv", csv);
    let args = |extra: &[&str]| {
        let mut a =
            vec!["--plans", PLAN, "replay", "--input", path.to_str().unwrap(), "--now", "2026-11-16T17:00:00+01:00"];
        a.extend(["--plan", "nimbus", "--priority", "sev3", "--format", "json"]);
        a.extend_from_slice(extra);
        slacalc(&a).run()
    };
    let out = args(&["--input-tz", "America/New_York"]);
    let r: Value = serde_json::from_str(out.ok().lines().next().unwrap()).unwrap();
    assert_eq!(r["plan"], "nimbus-pro");
    assert_eq!(r["priority"], "normal");
    assert_eq!(r["start"], "2026-11-16T15:00:00+01:00");
    assert_eq!(r["deadline"], "2026-11-17T11:00:00+01:00");
    // --tz only prints: the same deadline in New York time.
    let out = args(&["--input-tz", "America/New_York", "--tz", "America/New_York"]);
    assert!(out.ok().contains("\"deadline\":\"2026-11-17T05:00:00-05:00\""), "{}", out.stdout);
    // JSON Lines in, told by the first byte; same answer as CSV.
    let jsonl = "{\"id\":\"J\",\"at\":\"2026-11-16T09:00:00+01:00\",\"event\":\"created\",\"plan\":\"nimbus-pro\",\"priority\":\"high\"}\n\
                 {\"id\":\"J\",\"at\":\"2026-11-16T10:00:00+01:00\",\"event\":\"reply\",\"value\":\"agent\"}\n";
    let out =
        slacalc(&["--plans", PLAN, "replay", "--input", "-", "--now", "2026-11-16T12:00:00+01:00"]).stdin(jsonl).run();
    // High 2 h from 09:00, replied 10:00: met.
    assert!(out.ok().contains("J,nimbus-pro,high,first_response,1,2026-11-16T09:00:00+01:00,2026-11-16T10:00:00+01:00,2h,7200,business,2026-11-16T11:00:00+01:00,3600,0,3600,met,"), "{}", out.stdout);
    // A local --now needs --tz.
    slacalc(&["--plans", PLAN, "replay", "--input", path.to_str().unwrap(), "--now", "2026-11-16 12:00"])
        .run()
        .bad(&["--now", "--tz"]);
}

#[test]
fn csv_output_has_the_contract_header_and_bad_files_exit_2() {
    let out = slacalc(&["--plans", PLAN, "replay", "--input", "-", "--now", "2026-11-16T12:00:00+01:00"])
        .stdin(format!("{HEADER}T,2026-11-16 09:00,created,,nimbus-pro,low\n"))
        .run();
    let text = out.ok();
    assert_eq!(
        text.lines().next().unwrap(),
        "id,plan,priority,metric,cycle,start,stop,target,target_seconds,clock,deadline,elapsed_seconds,paused_seconds,remaining_seconds,state,error"
    );
    // Low: 1bd = 8 h from 09:00 → 17:00; 3 h used; no resolution row.
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("T,nimbus-pro,low,first_response,1,2026-11-16T09:00:00+01:00,,1bd,28800,business,2026-11-16T17:00:00+01:00,10800,0,18000,running,"), "{text}");
    let bad = |input: String, needles: &[&str]| {
        slacalc(&["--plans", PLAN, "replay", "--input", "-", "--now", "2026-11-16T12:00:00+01:00"])
            .stdin(input)
            .run()
            .bad(needles);
    };
    bad("id,when,event\n".into(), &["no \"at\" column"]);
    bad(format!("{HEADER}T,2026-11-16 09:00,created,\"never closed\n"), &["line 2", "never closed"]);
    // An over-long header is still the whole file's error.
    bad(format!("id,at,event,{}\n", "x".repeat(70_000)), &["line 1", "65536 bytes"]);
    slacalc(&["replay", "--input", "-", "--plan", "nope"]).stdin(HEADER).run().bad(&["unknown plan \"nope\""]);
}

#[test]
fn status_and_deadline_answer_for_one_metric() {
    let status = |extra: &[&str]| {
        let mut a = vec!["--plans", PLAN, "status", "--plan", "nimbus", "--priority", "normal", "--format", "json"];
        a.extend_from_slice(extra);
        slacalc(&a).run()
    };
    // Resolution 5bd = 40 h from Mon 09:00 → Fri 17:00; solved Tue 10:00 =
    // Mon 8 h + Tue 1 h = 9 h: met, 31 h left.
    let r = status(&[
        "--opened",
        "2026-11-16 09:00",
        "--metric",
        "resolution",
        "--resolved",
        "2026-11-17 10:00",
        "--now",
        "2026-11-18T12:00:00+01:00",
    ]);
    let v = r.json();
    assert_eq!(v["metric"], "resolution");
    assert_eq!(v["target"], "5bd");
    assert_eq!(v["deadline"], "2026-11-20T17:00:00+01:00");
    assert_eq!(v["resolved"], "2026-11-17T10:00:00+01:00");
    assert_eq!(v["elapsed_seconds"], 32_400);
    assert_eq!(v["state"], "met");
    // Inside a --pause, target not reached: paused. The pause's end is
    // known here, so the deadline is too: Fri 09–15 (6 h), Mon 11:00 on →
    // Fri 27 13:00 (as replay computes once the ticket is open again).
    let r = status(&[
        "--opened",
        "2026-11-20 09:00",
        "--metric",
        "resolution",
        "--pause",
        "2026-11-20 15:00/2026-11-23 11:00",
        "--now",
        "2026-11-21T12:00:00+01:00",
    ]);
    let v = r.json();
    assert_eq!(v["state"], "paused");
    assert_eq!(v["deadline"], "2026-11-27T13:00:00+01:00");
    assert_eq!(v["remaining_seconds"], 122_400);
    // Next response 1bd from a customer reply Mon 12:00 → Tue 12:00.
    let r = status(&[
        "--opened",
        "2026-11-16 12:00",
        "--metric",
        "next-response",
        "--responded",
        "2026-11-16 13:30",
        "--now",
        "2026-11-18T12:00:00+01:00",
    ]);
    assert_eq!(r.json()["deadline"], "2026-11-17T12:00:00+01:00");
    // Wrong stop flag for the metric, an unknown metric, a metric the priority has no target for.
    status(&["--opened", "2026-11-16 09:00", "--metric", "resolution", "--responded", "2026-11-16 10:00"])
        .bad(&["--resolved"]);
    status(&["--opened", "2026-11-16 09:00", "--resolved", "2026-11-16 10:00", "--now", "2026-11-18T12:00:00+01:00"])
        .bad(&["--metric resolution"]);
    status(&["--opened", "2026-11-16 09:00", "--metric", "uptime"]).bad(&["unknown --metric \"uptime\""]);
    slacalc(&[
        "--plans",
        PLAN,
        "deadline",
        "--plan",
        "nimbus",
        "--priority",
        "low",
        "--metric",
        "resolution",
        "--opened",
        "2026-11-16 09:00",
    ])
    .run()
    .bad(&["no resolution target"]);
    // deadline --metric resolution: urgent 4 h on 24x7.
    let r = slacalc(&[
        "--plans",
        PLAN,
        "deadline",
        "--plan",
        "nimbus",
        "--priority",
        "urgent",
        "--metric",
        "resolution",
        "--opened",
        "2026-11-21 10:00",
        "--format",
        "json",
    ])
    .run();
    assert_eq!(r.json()["deadline"], "2026-11-21T14:00:00+01:00");
}

/// Replays `input` (given whole, header included) as of Mon 16 12:00 and
/// returns (exit code, rows as (id, metric or error)).
fn replay_raw(input: Vec<u8>, extra: &[&str]) -> (i32, Vec<(String, String)>, String) {
    let mut a =
        vec!["--plans", PLAN, "replay", "--input", "-", "--now", "2026-11-16T12:00:00+01:00", "--format", "json"];
    a.extend(extra);
    let r = slacalc(&a).stdin(input).run();
    let rows = r
        .stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let what = if v["error"].is_null() {
                v["metric"].as_str().unwrap().to_string()
            } else {
                v["error"].as_str().unwrap().to_string()
            };
            (v["id"].as_str().unwrap().to_string(), what)
        })
        .collect();
    (r.code, rows, r.stderr)
}

#[test]
fn an_unreadable_record_is_an_error_row_of_its_ticket_or_of_its_line() {
    let long = "x".repeat(70_000);
    // A: the long record's id field is whole (the cut is in `value`): A's
    // error. B: a non-UTF-8 value, id readable: B's error. C: the id itself
    // is not UTF-8, but the records before and after it are C's: C's error.
    // Then a record too long in its id between D and E: either's, so a row
    // of its own with an empty id, between D's rows and E's. E is fine:
    // high, created 09:00, first response due 11:00, breached at 12:00.
    let mut input = HEADER.as_bytes().to_vec();
    input.extend(format!("A,2026-11-16 09:00,created,,nimbus-pro,high\nA,2026-11-16 09:30,reply,{long}\n").as_bytes());
    input.extend(b"B,2026-11-16 09:00,created,,nimbus-pro,high\nB,2026-11-16 09:30,status,\xff\n");
    input.extend(b"C,2026-11-16 09:00,created,,nimbus-pro,high\nC\xff,2026-11-16 09:10,reply,agent\nC,2026-11-16 09:30,reply,agent\n");
    input.extend(b"D,2026-11-16 09:00,created,,nimbus-pro,low\n");
    input.extend(format!("{long},2026-11-16 09:00,created\n").as_bytes());
    input.extend(b"E,2026-11-16 09:00,created,,nimbus-pro,high\n");
    let (code, rows, _) = replay_raw(input.clone(), &[]);
    assert_eq!(code, 0);
    let want: Vec<(String, String)> = [
        ("A", "line 3: record is longer than 65536 bytes (replay records are limited to 64 KiB)"),
        ("B", "line 5: column value is not valid UTF-8"),
        ("C", "line 7: column id is not valid UTF-8"),
        ("D", "first_response"),
        ("", "line 10: record is longer than 65536 bytes (replay records are limited to 64 KiB); its ticket cannot be told (the records around it are not of one ticket)"),
        ("E", "first_response"),
        ("E", "resolution"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(rows, want);
    // --strict: the first one stops the run, exit 2, nothing on stdout.
    let (code, rows, stderr) = replay_raw(input, &["--strict"]);
    assert_eq!((code, rows.len()), (2, 0));
    assert!(stderr.contains("ticket \"A\": line 3: record is longer than 65536 bytes"), "{stderr}");
}

#[test]
fn an_unreadable_json_line_is_an_error_row_of_its_ticket_or_of_its_line() {
    let ev = |id: &str, at: &str, event: &str, extra: &str| {
        format!("{{\"id\":\"{id}\",\"at\":\"2026-11-16T{at}:00+01:00\",\"event\":\"{event}\"{extra}}}\n")
    };
    let created = ",\"plan\":\"nimbus-pro\",\"priority\":\"high\"";
    let mut input = Vec::new();
    // Line 2 is not an object, between two records of A: A's error.
    input.extend(ev("A", "09:00", "created", created).as_bytes());
    input.extend(b"[1,2]\n");
    input.extend(ev("A", "09:30", "reply", ",\"value\":\"agent\"").as_bytes());
    // Line 4: over 64 KiB, between A and B: a row of its own.
    input.extend(format!("{{\"id\":\"B\",\"value\":\"{}\"}}\n", "x".repeat(70_000)).as_bytes());
    // Line 5: B's created; line 6 not UTF-8 but its id reads: B's error.
    input.extend(ev("B", "09:00", "created", created).as_bytes());
    input.extend(b"{\"id\":\"B\",\"at\":\"2026-11-16T09:30:00+01:00\",\"event\":\"status\",\"value\":\"\xff\"}\n");
    // Line 7: C, fine; line 8, garbage at the end of the input: its own row.
    input.extend(ev("C", "09:00", "created", created).as_bytes());
    input.extend(b"not json\n");
    let (code, rows, stderr) = replay_raw(input, &[]);
    assert_eq!(code, 0, "{stderr}");
    let errors: Vec<(&str, &str)> =
        rows.iter().filter(|r| r.1.starts_with("line")).map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(errors.len(), 4, "{rows:#?}");
    assert!(errors[0].0 == "A" && errors[0].1.starts_with("line 2: not a JSON object"), "{errors:?}");
    assert!(
        errors[1].0.is_empty() && errors[1].1.starts_with("line 4: record is longer than 65536 bytes"),
        "{errors:?}"
    );
    assert_eq!(errors[2], ("B", "line 6: the line is not valid UTF-8"));
    assert!(errors[3].0.is_empty() && errors[3].1.starts_with("line 8: not a JSON object"), "{errors:?}");
    // C's rows come before the last error row; A's error row before the
    // orphan of line 4.
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, ["A", "", "B", "C", "C", ""]);
    assert!(stderr.contains("8 events, 3 tickets, 6 rows"), "{stderr}");
}

#[test]
fn plans_show_lists_the_lifecycle_keys() {
    let v = crate::util::json(&["--plans", PLAN, "plans", "show", "nimbus-pro"]);
    let l = &v["lifecycle"];
    assert_eq!(l["at_risk_percent"], 80.0);
    assert_eq!(l["on_priority_change"], "retarget");
    assert_eq!(l["statuses"]["waiting"], serde_json::json!(["awaiting-customer"]));
    assert_eq!(l["pause_on"]["resolution"], serde_json::json!(["waiting", "on_hold"]));
    assert_eq!(l["pause_on"]["next_response"], serde_json::json!([]));
    // normal: next response 1bd = 8 h, resolution 5bd = 40 h of the
    // nimbus calendar's 8-hour day; low: best-effort, assumed; no resolution.
    let normal = &l["priorities"][2];
    assert_eq!(
        (&normal["name"], &normal["next_response"]["target_seconds"]),
        (&Value::from("normal"), &Value::from(28_800))
    );
    assert_eq!(normal["resolution"]["target"], "5bd");
    assert_eq!(normal["resolution"]["target_seconds"], 144_000);
    let low = &l["priorities"][3];
    assert_eq!(
        (&low["next_response"]["target"], &low["next_response"]["assumed"]),
        (&Value::from("best-effort"), &Value::Bool(true))
    );
    assert_eq!(low["resolution"], Value::Null);
    // keep, on the fixed plan; a plan without lifecycle keys: null.
    assert_eq!(
        crate::util::json(&["--plans", PLAN, "plans", "show", "nimbus-fixed"])["lifecycle"]["on_priority_change"],
        "keep"
    );
    assert_eq!(crate::util::json(&["plans", "show", "gold"])["lifecycle"], Value::Null);
    // The table says the same.
    let t = slacalc(&["--plans", PLAN, "plans", "show", "nimbus-pro"]).run();
    let text = t.ok();
    for needle in [
        "at risk from",
        "80 %",
        "resolution pauses on",
        "waiting, on_hold",
        "awaiting-customer (besides the defaults)",
        "next response 1bd; resolution 5bd",
        "next response best-effort (assumed)",
        "retarget",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    assert!(!slacalc(&["plans", "show", "gold"]).run().ok().contains("at risk from"));
}

#[test]
fn bad_lifecycle_keys_are_errors_at_their_file_line_and_column() {
    // Columns are 1-based, at the first character of the bad value (or key).
    let text = r#"[calendars.c]
zone = "Europe/Paris"
hours = { mon-fri = ["09:00-17:00"] }
source = "\"Mon-Fri 9-17.\""

[[plans]]
id = "v"
name = "V"
provider = "V"
calendar = "c"
at_risk_percent = 120
on_priority_change = "sometimes"

[plans.statuses]
parked = ["later"]

[plans.metrics.uptime]
pause_on = ["waiting"]

[plans.metrics.resolution]
pause_on = ["waiting", "solved", "lunch"]

[[plans.priorities]]
name = "high"
target = "2h"
resolution = "3 days"
source = "\"High: 2 hours.\""

[[plans.priorities]]
name = "low"
target = "1bd"
next_response = "1bd"
"#;
    let (_dir, path) = temp_file("bad-lifecycle.toml", text);
    let r = slacalc(&["check", path.to_str().unwrap()]).run();
    r.bad(&[
        // Line 11, `at_risk_percent = 120`: the value at column 19.
        "bad-lifecycle.toml:11:19: invalid at_risk_percent 120 (expected a percentage above 0, at most 100",
        // Line 12: `on_priority_change = "sometimes"`, the string at column 22.
        "bad-lifecycle.toml:12:22: unknown on_priority_change \"sometimes\" (expected retarget or keep)",
        // Line 15: the class is the key, column 1.
        "bad-lifecycle.toml:15:1: unknown status class \"parked\"",
        // Line 17: `[plans.metrics.uptime]`, "uptime" at column 16.
        "bad-lifecycle.toml:17:16: unknown metric \"uptime\" (expected first_response, next_response or resolution)",
        // Line 21: `pause_on = ["waiting", "solved", "lunch"]`: "solved" at 24, "lunch" at 34.
        "bad-lifecycle.toml:21:24: pause_on \"solved\": a solved or closed ticket stops the clock, it does not pause it",
        "bad-lifecycle.toml:21:34: unknown status class \"lunch\" in pause_on",
        // Line 26: `resolution = "3 days"`, the string at column 14.
        "bad-lifecycle.toml:26:14: resolution: invalid target \"3 days\"",
        // low (line 29) gives next_response but no source or assumed: the
        // priority's table, column 1, is the error (a metric target takes
        // the priority's provenance when it has none of its own).
        "bad-lifecycle.toml:29:1: target of priority low has no provenance",
        "8 errors in 1 file",
    ]);
    // Loading the file for any command stops at the first one.
    slacalc(&["--plans", path.to_str().unwrap(), "plans", "list"]).run().bad(&["bad-lifecycle.toml:11:19"]);
}

// ------------------------------------ audits of 2026-12-06 (hostile input, new user)

/// Runs replay over `input` as given (no header added), JSON Lines out.
fn run_raw(input: &str, now: &str, extra: &[&str]) -> crate::util::Run {
    let mut a = vec!["--plans", PLAN, "replay", "--input", "-", "--now", now, "--format", "json"];
    a.extend(extra);
    slacalc(&a).stdin(input).run()
}

fn json_rows(out: &str) -> Vec<Value> {
    json_lines(out)
}

/// H21: with classic Mac line ends (a lone CR), a line is where a reader
/// sees it: replay's error row and batch --strict name line 3, not line 1.
#[test]
fn cr_only_line_ends_name_the_line_a_reader_sees() {
    let input = "id,at,event,value,plan,priority\rA,2026-11-16T09:00:00+01:00,created,,nimbus-pro,normal\rA,2026-11-16T10:00:00+01:00,status,weird\r";
    let r = run_raw(input, "2026-11-27T18:00:00+01:00", &[]);
    let rows = json_rows(r.ok());
    assert_eq!(rows.len(), 1, "{rows:?}");
    let e = rows[0]["error"].as_str().expect("an error row");
    assert!(e.starts_with("line 3: unknown status \"weird\""), "{e}");
    // CRLF stays one line end, a CR inside quotes counts as the reader sees it.
    let input = "id,at,event,value,plan,priority\r\nA,2026-11-16T09:00:00+01:00,created,,nimbus-pro,normal\r\n\"A\r\",2026-11-16T10:00:00+01:00,created,,nimbus-pro,normal\rB,2026-11-16T10:00:00+01:00,status,weird\r";
    let r = run_raw(input, "2026-11-27T18:00:00+01:00", &[]);
    let rows = json_rows(r.ok());
    let b = rows.iter().find(|r| r["id"] == "B").expect("B");
    assert!(b["error"].as_str().expect("error").starts_with("line 5: "), "{b}");
    // batch --strict stops at the row, naming its line.
    let input = "id,plan,priority,opened\rA,gold,major,2026-06-01T10:00:00+02:00\rB,gold,major,bogus\r";
    let r = slacalc(&["batch", "--input", "-", "--now", "2026-06-30T00:00:00Z", "--strict"]).stdin(input).run();
    r.bad(&["line 3: opened: invalid time \"bogus\""]);
}

/// New user #1: a created event renamed by `[values.event]` keeps its
/// row's plan and priority, in CSV as in JSON Lines.
#[test]
fn a_mapped_created_event_reads_its_plan_and_priority() {
    // `"*" = "*"`: the events the map does not name keep their names (a
    // name not in a map is otherwise an error, SPEC §9).
    let (_d, profile) = temp_file("p.toml", "[values.event]\nopen = \"created\"\n\"*\" = \"*\"\n");
    let profile = profile.to_str().expect("utf-8");
    let csv = "1,2026-11-16T09:00:00+01:00,open,,nimbus-pro,urgent\n1,2026-11-16T09:30:00+01:00,reply,agent,,\n";
    let now = "2026-11-16T12:00:00+01:00";
    for extra in [vec!["--profile", profile], vec!["--profile", profile, "--plan", "nimbus-pro", "--priority", "low"]] {
        let rows = json_rows(run(csv, now, &extra).ok()).clone();
        let fr = find(&rows, "1", "first_response", 1);
        // urgent: 1 h on 24x7 (low would be 1bd on the business clock).
        assert_eq!(
            (&fr["priority"], &fr["target"], &fr["clock"]),
            (&Value::from("urgent"), &Value::from("1h"), &Value::from("24x7")),
            "{fr}"
        );
        check(fr, ("2026-11-16 09:30", "2026-11-16 10:00", 1800, 0, Some(1800), "met"));
    }
    // The same events as JSON Lines: the same rows.
    let jsonl = "{\"id\":\"1\",\"at\":\"2026-11-16T09:00:00+01:00\",\"event\":\"open\",\"plan\":\"nimbus-pro\",\"priority\":\"urgent\"}\n{\"id\":\"1\",\"at\":\"2026-11-16T09:30:00+01:00\",\"event\":\"reply\",\"value\":\"agent\"}\n";
    let a = run_raw(jsonl, now, &["--profile", profile]).ok().to_string();
    assert_eq!(a, run(csv, now, &["--profile", profile]).ok());
}

/// H20 / new user #11: `[values.status]` may map onto a class as
/// `pause_on` spells it (`on_hold` is no default status name); an unknown
/// mapped value is named with the export's value.
#[test]
fn a_profile_maps_a_status_onto_a_class() {
    let (_d, profile) = temp_file(
        "p.toml",
        "[values.status]\n\"Waiting for vendor\" = \"on_hold\"\n\"Back to us\" = \"open\"\n\"Stuck\" = \"stuk\"\n",
    );
    let profile = profile.to_str().expect("utf-8");
    let csv = "A,2026-11-16T09:00:00+01:00,created,,nimbus-pro,normal\n\
               A,2026-11-16T10:00:00+01:00,status,Waiting for vendor\n\
               A,2026-11-16T11:00:00+01:00,status,Back to us\n";
    let rows = json_rows(run(csv, "2026-11-16T12:00:00+01:00", &["--profile", profile]).ok()).clone();
    // Resolution pauses on on_hold: 09–10 and 11–12 run, 10–11 paused.
    let res = find(&rows, "A", "resolution", 1);
    assert_eq!((&res["elapsed_seconds"], &res["paused_seconds"]), (&Value::from(7200), &Value::from(3600)), "{res}");
    let csv = "B,2026-11-16T09:00:00+01:00,created,,nimbus-pro,normal\nB,2026-11-16T10:00:00+01:00,status,Stuck\n";
    let rows = json_rows(run(csv, "2026-11-16T12:00:00+01:00", &["--profile", profile]).ok()).clone();
    let e = rows[0]["error"].as_str().expect("an error row");
    assert!(e.contains("unknown status \"stuk\" (mapped from \"Stuck\" by [values.status])"), "{e}");
    assert!(e.contains("on_hold"), "the classes are listed: {e}");
}

/// New user #14: an event name replay does not know is called that, with
/// the fix, whatever the event's place in the ticket.
#[test]
fn an_unknown_event_name_is_named_with_the_fix() {
    let want = "line 2: unknown event \"Ticket created\" (expected created, reply, status or priority; map yours with [values.event] in a --profile)";
    for at in ["2026-11-16T09:00:00+01:00", "2026-11-16 09:00"] {
        let csv = format!("1,{at},Ticket created,,nimbus-pro,normal\n");
        let rows = json_rows(run(&csv, "2026-11-27T18:00:00+01:00", &[]).ok()).clone();
        assert_eq!(rows[0]["error"], want, "at {at}");
    }
}

/// H22: a UTF-8 byte-order mark before JSON Lines is ignored, as before CSV.
#[test]
fn json_lines_after_a_bom_are_replayed() {
    let jsonl = "\u{feff}{\"id\":\"A\",\"at\":\"2026-11-16T09:00:00+01:00\",\"event\":\"created\",\"plan\":\"nimbus-pro\",\"priority\":\"normal\"}\n{\"id\":\"A\",\"at\":\"2026-11-16T10:00:00+01:00\",\"event\":\"reply\",\"value\":\"agent\"}\n";
    let now = "2026-11-27T18:00:00+01:00";
    let plain = run_raw(&jsonl[3..], now, &[]).ok().to_string();
    assert!(!plain.contains("\"error\":\""), "{plain}");
    assert_eq!(run_raw(jsonl, now, &[]).ok(), plain, "told by its first byte after the BOM");
    let (_d, path) = temp_file("events.jsonl", jsonl);
    let r = slacalc(&[
        "--plans",
        PLAN,
        "replay",
        "--input",
        path.to_str().expect("utf-8"),
        "--now",
        now,
        "--format",
        "json",
    ])
    .run();
    assert_eq!(r.ok(), plain, "a .jsonl file");
}
