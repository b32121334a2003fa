//! Issue 19, "Done when": the analyst route on exports written in each
//! product's own shape (examples/exports/, README there), with only a
//! built-in profile, a plan default and the flags that export needs, through
//! `batch` and on into `report --format json`. Every asserted deadline and
//! state is worked out by hand in the comment above it.
//!
//! Plans used: `cloud` (biings-cloud: Europe/Zurich, Mon–Fri 08:00–17:00,
//! no holidays; first-response targets down/p1 1h, serious/p2 4h,
//! moderate/p3 1bd = 9h, limited/p4 2bd = 18h, all business hours; no
//! resolution targets) and `nimbus-pro` from examples/lifecycle-vendor.toml
//! (Europe/Paris, Mon–Fri 09:00–17:00, holidays 01-01 and 12-25 only;
//! resolution targets urgent/p1 4h on 24x7, high/p2 2bd = 16h, normal/p3
//! 5bd = 40h, low/p4 none → no-commitment). Zurich and Paris keep the same
//! offsets. No built-in plan has a resolution target, so the resolution runs
//! load nimbus-pro.

use std::collections::HashMap;

use serde_json::Value;

use crate::util::slacalc;

const ZENDESK: &str = "examples/exports/zendesk-2024-03.csv";
const JIRA: &str = "examples/exports/jira-2024-03.csv";
const FRESHDESK: &str = "examples/exports/freshdesk-2024-03.csv";
const VENDOR: &str = "examples/lifecycle-vendor.toml";

/// The outcome of `batch ARGS | report --input - --format json`.
struct Route {
    /// Batch output rows by id.
    rows: HashMap<String, HashMap<String, String>>,
    /// Batch stderr (notes and the summary).
    notes: String,
    /// The report's JSON.
    report: Value,
}

impl Route {
    #[track_caller]
    fn row(&self, id: &str) -> &HashMap<String, String> {
        self.rows.get(id).unwrap_or_else(|| panic!("no row {id} in the batch output"))
    }

    /// (deadline, stop, state) of row `id`; the stop column is `responded`
    /// or `resolved` after the metric.
    #[track_caller]
    fn answer(&self, id: &str) -> (String, String, String) {
        let r = self.row(id);
        let stop = r.get("responded").or_else(|| r.get("resolved")).cloned().unwrap_or_default();
        (r["deadline"].clone(), stop, r["state"].clone())
    }

    /// The report's total: met, missed, breached, running, no_commitment,
    /// errors, and attainment_percent.
    fn total(&self) -> (u64, u64, u64, u64, u64, u64, Value) {
        let t = &self.report["total"];
        let n = |k: &str| t[k].as_u64().unwrap_or_else(|| panic!("total.{k} in {t}"));
        (
            n("met"),
            n("missed"),
            n("breached"),
            n("running"),
            n("no_commitment"),
            n("errors"),
            t["attainment_percent"].clone(),
        )
    }
}

/// Runs `slacalc ARGS` (a batch) and its output through `report --format json`.
#[track_caller]
fn route(args: &[&str]) -> Route {
    let b = slacalc(args).run();
    let out = b.ok().to_string();
    let mut r = csv::ReaderBuilder::new().from_reader(out.as_bytes());
    let header: Vec<String> = r.headers().expect("batch header").iter().map(str::to_string).collect();
    let mut rows = HashMap::new();
    for rec in r.records() {
        let rec = rec.expect("batch output is CSV");
        let row: HashMap<String, String> = header.iter().cloned().zip(rec.iter().map(str::to_string)).collect();
        rows.insert(row["id"].clone(), row);
    }
    let rep = slacalc(&["report", "--input", "-", "--format", "json"]).stdin(out).run();
    rep.ok();
    Route { rows, notes: b.stderr.clone(), report: rep.json() }
}

fn s(x: &str) -> String {
    x.to_string()
}

// ------------------------------------------------------------------ Zendesk

/// Zendesk: first response from "First reply time in minutes" (opened +
/// minutes), on cloud's first-response targets; now Fri 2024-03-15 12:00.
#[test]
fn zendesk_first_response_from_reply_minutes() {
    let r = route(&[
        "batch",
        "--profile",
        "zendesk",
        "--plan",
        "cloud",
        "--input",
        ZENDESK,
        "--now",
        "2024-03-15T12:00:00+01:00",
    ]);
    // 18 tickets: 1011 (Fri 15 14:00) and 1012 (Mon 18) are opened after now.
    assert!(r.notes.contains("2 rows opened after now left out"), "{}", r.notes);
    assert_eq!(r.rows.len(), 16);
    // met 1001 1002 1004 1005 1006 1013 1016; missed 1003 1015 1017 1018;
    // breached 1008; running 1009 1010; errors 1007 1014 (no priority).
    // Attainment 7 / (7 + 4 + 1) = 58.33 %.
    assert_eq!(r.total(), (7, 4, 1, 2, 0, 2, Value::from(58.33)));

    // 1002 high → p2 serious 4h. Opened Mon 03-04 16:30 +0100; window Mon
    // 16:30–17:00 = 30m, Tue 08:00 + 3h30m → deadline Tue 11:30. Reply =
    // 16:30 + 1080 min = Tue 10:30 → met (elapsed 30m + 2h30m = 3h).
    assert_eq!(r.answer("1002"), (s("2024-03-05T11:30:00+01:00"), s("2024-03-05T10:30:00+01:00"), s("met")));
    assert_eq!(r.row("1002")["elapsed_seconds"], "10800");
    // 1003 normal → p3 moderate 1bd = 9h. Opened Tue 03-05 14:03:21; Tue
    // 14:03:21–17:00 = 2h56m39s, Wed 08:00 + 6h03m21s → deadline Wed
    // 14:03:21. Reply = + 1500 min = Wed 15:03:21 → missed.
    assert_eq!(r.answer("1003"), (s("2024-03-06T14:03:21+01:00"), s("2024-03-06T15:03:21+01:00"), s("missed")));
    // 1005 urgent → p1 down 1h. Opened Fri 03-08 16:45; Fri 16:45–17:00 =
    // 15m, Mon 08:00 + 45m → deadline Mon 03-11 08:45. Reply = + 90 min =
    // Fri 18:15, after hours → met with 15m elapsed.
    assert_eq!(r.answer("1005"), (s("2024-03-11T08:45:00+01:00"), s("2024-03-08T18:15:00+01:00"), s("met")));
    assert_eq!(r.row("1005")["elapsed_seconds"], "900");
    // 1008 high, no reply. Opened Mon 03-11 09:00 + 4h → Mon 13:00; as of
    // Fri 12:00 → breached.
    assert_eq!(r.answer("1008"), (s("2024-03-11T13:00:00+01:00"), s(""), s("breached")));
    // 1010 urgent, opened Fri 03-15 11:40 + 1h → 12:40; its reply (+45 min
    // = 12:25) is after now, so as of 12:00 it is running, 20 of 60 min.
    assert_eq!(r.answer("1010"), (s("2024-03-15T12:40:00+01:00"), s(""), s("running")));
    // 1007: empty Priority → an error naming the fix.
    assert!(r.row("1007")["error"].contains("needs --priority"), "{:?}", r.row("1007"));
    // Pass-through columns survive: quoted commas, quotes and several lines.
    assert_eq!(r.row("1003")["Subject"], "Invoice address, billing contact");
    assert_eq!(r.row("1005")["Description"], "Production orders fail, \"502 Bad Gateway\".");
    assert!(r.row("1003")["Description"].contains("billing contact to\r\nFinance, 2nd floor"));
}

/// Zendesk: resolution from "Solved at", on nimbus-pro.
#[test]
fn zendesk_resolution_from_solved_at() {
    let r = route(&[
        "--plans",
        VENDOR,
        "batch",
        "--profile",
        "zendesk",
        "--plan",
        "nimbus-pro",
        "--metric",
        "resolution",
        "--input",
        ZENDESK,
        "--now",
        "2024-03-15T12:00:00+01:00",
    ]);
    assert!(!r.notes.contains("no resolved column"), "{}", r.notes);
    // met 1001 1003 1006 1015 1016; missed 1002 1005; breached 1008;
    // running 1009 1010 1017; no-commitment (low) 1004 1013 1018; errors
    // 1007 1014. Attainment 5 / 8 = 62.50 %.
    assert_eq!(r.total(), (5, 2, 1, 3, 3, 2, Value::from(62.5)));
    // 1002 high 2bd = 16h. Opened Mon 03-04 16:30; Mon 16:30–17:00 = 30m,
    // Tue 8h, Wed 09:00 + 7h30m → deadline Wed 16:30. Solved Thu 03-07
    // 16:00 → missed.
    assert_eq!(r.answer("1002"), (s("2024-03-06T16:30:00+01:00"), s("2024-03-07T16:00:00+01:00"), s("missed")));
    // 1015 urgent 4h, 24x7. Opened Tue 03-12 23:10 → deadline Wed 03:10.
    // Solved Wed 02:30 → met (3h20m).
    assert_eq!(r.answer("1015"), (s("2024-03-13T03:10:00+01:00"), s("2024-03-13T02:30:00+01:00"), s("met")));
    // 1003 normal 5bd = 40h. Opened Tue 03-05 14:03:21; Tue 2h56m39s, Wed,
    // Thu, Fri, Mon 8h each (34h56m39s), Tue 03-12 09:00 + 5h03m21s →
    // deadline Tue 14:03:21. Solved Fri 03-08 11:00 → met.
    assert_eq!(r.answer("1003"), (s("2024-03-12T14:03:21+01:00"), s("2024-03-08T11:00:00+01:00"), s("met")));
    // 1004 low: nimbus-pro has no resolution target for low.
    assert_eq!(r.row("1004")["state"], "no-commitment");
}

// --------------------------------------------------------------------- Jira

/// Jira: resolution from "Resolved", read in the exporting user's zone
/// (Europe/London: one hour behind Paris on both sides of 31 March 2024);
/// now Fri 2024-04-05 12:00 +02:00. The README's Jira example gave 0 %.
#[test]
fn jira_resolution_from_resolved() {
    let r = route(&[
        "--plans",
        VENDOR,
        "batch",
        "--profile",
        "jira",
        "--plan",
        "nimbus-pro",
        "--metric",
        "resolution",
        "--input-tz",
        "Europe/London",
        "--input",
        JIRA,
        "--now",
        "2024-04-05T12:00:00+02:00",
    ]);
    // SD-110 (05/Apr/24 2:10 PM London = 15:10 Paris) is after now.
    assert!(r.notes.contains("1 row opened after now left out"), "{}", r.notes);
    // The duplicate headers pass through, renamed.
    assert!(r.notes.contains("\"Labels\" as \"Labels_2\""), "{}", r.notes);
    assert_eq!(r.row("SD-103")["Labels_2"], "hardware");
    // met SD-101 103 106 111 115 116; missed 102 105 114; breached 107;
    // running 108 109; no-commitment (Low, Lowest) 104 112; error 113.
    // Attainment 6 / 10 = 60.00 %, not 0.
    assert_eq!(r.total(), (6, 3, 1, 2, 2, 1, Value::from(60.0)));

    // SD-102 High → p2 high 16h. Created 25/Mar/24 3:30 PM London = Mon
    // 16:30 Paris; Mon 30m, Tue 8h, Wed 09:00 + 7h30m → Wed 16:30.
    // Resolved 28/Mar/24 11:00 AM = Thu 12:00 Paris → missed.
    assert_eq!(r.answer("SD-102"), (s("2024-03-27T16:30:00+01:00"), s("2024-03-28T12:00:00+01:00"), s("missed")));
    // SD-106 Highest → urgent 4h on 24x7, across the spring change.
    // Created 30/Mar/24 11:30 PM London (GMT) = 23:30 UTC = Sun 00:30
    // +01:00; deadline 03:30 UTC = 05:30 +02:00. Resolved 31/Mar/24 4:00 AM
    // London (BST) = 03:00 UTC = 05:00 +02:00 → met after 3h30m (a
    // wall-clock reading would say 4h30m and missed).
    assert_eq!(r.answer("SD-106"), (s("2024-03-31T05:30:00+02:00"), s("2024-03-31T05:00:00+02:00"), s("met")));
    assert_eq!(r.row("SD-106")["elapsed_seconds"], "12600");
    // SD-116 Medium → normal 40h. Created 31/Mar/24 1:57 PM London = Sun
    // 14:57 Paris: the clock starts Mon 04-01 09:00 (Easter Monday is no
    // nimbus holiday); 5 × 8h → Fri 04-05 17:00. Resolved 02/Apr/24 10:00 AM
    // = Tue 11:00 → met after 10h.
    assert_eq!(r.answer("SD-116"), (s("2024-04-05T17:00:00+02:00"), s("2024-04-02T11:00:00+02:00"), s("met")));
    // SD-107 High, unresolved. Created 02/Apr/24 8:00 AM London = Tue 09:00
    // Paris; Tue 8h + Wed 8h → Wed 17:00; as of Fri → breached.
    assert_eq!(r.answer("SD-107"), (s("2024-04-03T17:00:00+02:00"), s(""), s("breached")));
    // SD-109 Highest, resolved at 14:30 Paris: after now, so running.
    assert_eq!(r.answer("SD-109"), (s("2024-04-05T14:40:00+02:00"), s(""), s("running")));
    // SD-113: a priority the profile does not map, named with its map.
    assert!(
        r.row("SD-113")["error"].contains("Priority \"Critical\" is not in [values.priority] of jira"),
        "{:?}",
        r.row("SD-113")
    );
}

/// What an analyst sees on Jira without a plan that has resolution targets,
/// or without `--metric resolution`: no attainment, or 0 % with a note.
#[test]
fn jira_without_resolution_targets_or_metric() {
    let base = ["batch", "--profile", "jira", "--plan", "cloud", "--input-tz", "Europe/London", "--input", JIRA];
    let mut a = base.to_vec();
    a.extend(["--metric", "resolution", "--now", "2024-04-05T12:00:00+02:00"]);
    let r = route(&a);
    // biings-cloud has no resolution target: every row is no-commitment,
    // and the attainment is none (not 0).
    assert_eq!(r.total(), (0, 0, 0, 0, 14, 1, Value::Null));
    let mut a = base.to_vec();
    a.extend(["--now", "2024-04-05T12:00:00+02:00"]);
    let r = route(&a);
    // first_response: the export has no reply time; the note says so.
    assert!(r.notes.contains("no responded column: every ticket is measured as unanswered"), "{}", r.notes);
    assert_eq!(r.total().6, Value::from(0.0));
}

// ---------------------------------------------------------------- Freshdesk

/// The flags this export needs besides the profile and the plan.
fn freshdesk() -> Vec<&'static str> {
    vec![
        "--delimiter",
        ";",
        "--time-format",
        "%d/%m/%Y %H:%M",
        "--input-tz",
        "Europe/Paris",
        "--input",
        FRESHDESK,
        "--now",
        "2024-03-29T12:00:00+01:00",
    ]
}

/// Freshdesk (re-saved by a French Excel): first response from "Initial
/// response time", on cloud; now Fri 2024-03-29 12:00.
#[test]
fn freshdesk_first_response_from_initial_response_time() {
    let mut a = vec!["batch", "--profile", "freshdesk", "--plan", "cloud"];
    a.extend(freshdesk());
    let r = route(&a);
    // 113 (Fri 14:00) and 114 (Mon 04-01) are after now.
    assert!(r.notes.contains("2 rows opened after now left out"), "{}", r.notes);
    // met 101 102 104 105 107 110 115; missed 103 106 116; breached 108
    // 111; running 112; error 109 (merged: replied before created).
    // Attainment 7 / 12 = 58.33 %.
    assert_eq!(r.total(), (7, 3, 2, 1, 0, 1, Value::from(58.33)));
    // 103 Medium → moderate 9h. Created Tue 03-19 10:15; Tue 10:15–17:00 =
    // 6h45m, Wed 08:00 + 2h15m → Wed 10:15. First response Wed 11:00 →
    // missed.
    assert_eq!(r.answer("103"), (s("2024-03-20T10:15:00+01:00"), s("2024-03-20T11:00:00+01:00"), s("missed")));
    // 111 High → serious 4h. Created Thu 03-28 15:30; Thu 1h30m, Fri 08:00
    // + 2h30m → Fri 10:30. The response (Fri 13:00) is after now → as of
    // 12:00 no response and past the deadline: breached.
    assert_eq!(r.answer("111"), (s("2024-03-29T10:30:00+01:00"), s(""), s("breached")));
    // 115 Urgent → down 1h. Created Wed 03-27 22:10, after hours: the
    // clock starts Thu 08:00 → 09:00. Response Thu 08:40 → met (40m).
    assert_eq!(r.answer("115"), (s("2024-03-28T09:00:00+01:00"), s("2024-03-28T08:40:00+01:00"), s("met")));
    // 107: no Company Name → the --plan default.
    assert_eq!(r.row("107")["plan"], "biings-cloud");
    assert!(r.row("109")["error"].contains("is before opened"), "{:?}", r.row("109"));
    // The company with a `;` in its name (quoted) is read as one cell; the
    // accents and the decimal commas pass through.
    assert_eq!(r.row("102")["plan"], "biings-cloud");
    assert_eq!(r.row("102")["Subject"], "Export comptable : colonnes décalées");
    assert_eq!(r.row("102")["First response time (in hrs)"], "17,5");
}

/// Freshdesk: resolution from "Resolved time", on nimbus-pro.
#[test]
fn freshdesk_resolution_from_resolved_time() {
    let mut a =
        vec!["--plans", VENDOR, "batch", "--profile", "freshdesk", "--plan", "nimbus-pro", "--metric", "resolution"];
    a.extend(freshdesk());
    let r = route(&a);
    // met 101 103 106 115; missed 102 105 116; breached 108; running 107
    // 111 112; no-commitment (Low) 104 110; error 109. 4 / 8 = 50.00 %.
    assert_eq!(r.total(), (4, 3, 1, 3, 2, 1, Value::from(50.0)));
    // 106 High 16h. Created Sat 03-23 10:00: the clock starts Mon 09:00;
    // Mon 8h + Tue 8h → Tue 03-26 17:00. Resolved Mon 16:00 → met.
    assert_eq!(r.answer("106"), (s("2024-03-26T17:00:00+01:00"), s("2024-03-25T16:00:00+01:00"), s("met")));
    // 105 Urgent 4h 24x7. Created Fri 03-22 16:30 → 20:30. Resolved Sat
    // 10:00 → missed.
    assert_eq!(r.answer("105"), (s("2024-03-22T20:30:00+01:00"), s("2024-03-23T10:00:00+01:00"), s("missed")));
    // 107 Medium 40h, unresolved. Created Tue 03-26 09:00; Tue–Fri 4 × 8h,
    // Mon 04-01 09:00 + 8h → 17:00 (+02:00 after the change); as of Fri
    // 12:00, 27h used → running.
    assert_eq!(r.answer("107"), (s("2024-04-01T17:00:00+02:00"), s(""), s("running")));
    assert_eq!(r.row("107")["elapsed_seconds"], "97200");
}

/// The Excel re-save rewrites the times; without --time-format each row's
/// error says which option reads them.
#[test]
fn freshdesk_excel_times_point_at_time_format() {
    let r = slacalc(&[
        "batch",
        "--profile",
        "freshdesk",
        "--plan",
        "cloud",
        "--delimiter",
        ";",
        "--input",
        FRESHDESK,
        "--now",
        "2024-03-29T12:00:00+01:00",
    ])
    .run();
    assert!(r.ok().contains("invalid time \"\"18/03/2024 09:05\"\""), "{}", r.stdout);
    assert!(r.stdout.contains("--time-format"), "{}", r.stdout);
}

/// What the analyst route found on these exports, now said or fixed: the
/// organisation passes through for `report --by plan,Organization`; an
/// export with a solved time but no first reply is pointed at `--metric
/// resolution`; a priority that a built-in map sends past a plan's levels
/// names the per-plan map that fixes it; summaries count in the singular.
#[test]
fn the_route_groups_by_organization_and_its_notes_point_at_the_fix() {
    let batch = slacalc(&[
        "batch",
        "--profile",
        "zendesk",
        "--plan",
        "cloud",
        "--input",
        ZENDESK,
        "--now",
        "2024-03-15T12:00:00+01:00",
    ])
    .run();
    let out = batch.ok();
    assert!(out.lines().next().is_some_and(|h| h.contains(",Organization")), "{out}");
    let r = slacalc(&["report", "--input", "-", "--by", "plan,Organization", "--format", "json"]).stdin(out).run();
    let v = r.json();
    let orgs: Vec<&str> = v["groups"].as_array().unwrap().iter().filter_map(|g| g["Organization"].as_str()).collect();
    assert!(orgs.contains(&"Acme, Inc."), "{orgs:?}");

    // Only the solved time mapped (no first reply): the note names --metric resolution.
    let r = slacalc(&[
        "batch",
        "--columns",
        "id=Id,opened=Created at,resolved=Solved at",
        "--plan",
        "cloud",
        "--priority",
        "p2",
        "--input",
        ZENDESK,
        "--now",
        "2024-03-15T12:00:00+01:00",
    ])
    .run();
    r.ok();
    assert!(r.stderr.contains("no responded column") && r.stderr.contains("--metric resolution"), "{}", r.stderr);

    // Gold has three levels; zendesk maps low to p4.
    let r = slacalc(&[
        "batch",
        "--profile",
        "zendesk",
        "--plan",
        "gold",
        "--input",
        ZENDESK,
        "--now",
        "2024-03-15T12:00:00+01:00",
    ])
    .run();
    let out = r.ok();
    assert!(out.contains("map it for this plan with [values.priority.apizee-gold]"), "{out}");
}
