//! `slacalc replay --input-format zendesk-events|jira-changelog`: the event
//! exports of tests/fixtures/event-exports/ (see its README for the
//! documentation each follows) through the one replay engine, on
//! examples/lifecycle-vendor.toml (nimbus-pro: Europe/Paris, Mon–Fri
//! 09:00–17:00, 1 bd = 8 h; urgent 1h / 1h / 4h on 24x7; high 2h / 4h / 2bd;
//! normal 4h / 1bd / 5bd; resolution pauses on waiting; priority changes
//! retarget). November 2026 is +01:00: Mon 16, Tue 17, Wed 18. Every figure
//! is computed by hand in the comment above it.

use serde_json::Value;

use crate::util::{Run, slacalc, temp_file};

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lifecycle-vendor.toml");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/event-exports");
const NOW: &str = "2026-11-18T12:00:00+01:00";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn replay(input: &str, format: &str, extra: &[&str]) -> Run {
    let mut a = vec!["--plans", PLAN, "replay", "--input", input, "--now", NOW];
    if !format.is_empty() {
        a.extend(["--input-format", format]);
    }
    a.extend(extra);
    slacalc(&a).run()
}

fn zendesk(extra: &[&str]) -> Run {
    let profile = fixture("zendesk-events.toml");
    let mut a = vec!["--profile", profile.as_str()];
    a.extend(extra);
    replay(&fixture("zendesk-ticket-events.json"), "zendesk-events", &a)
}

fn jira(extra: &[&str]) -> Run {
    let profile = fixture("jira-changelog.toml");
    let mut a = vec!["--profile", profile.as_str()];
    a.extend(extra);
    replay(&fixture("jira-search-changelog.json"), "jira-changelog", &a)
}

fn rows(r: &Run) -> Vec<Value> {
    r.ok().lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[track_caller]
fn find<'a>(rows: &'a [Value], id: &str, metric: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id && r["metric"] == metric)
        .unwrap_or_else(|| panic!("no row {id} {metric} in {rows:#?}"))
}

/// (priority, stop, deadline, elapsed, paused, remaining, state); times are
/// local `MM-DD HH:MM` in +01:00, "" for null.
type Want<'a> = (&'a str, &'a str, &'a str, i64, i64, i64, &'a str);

#[track_caller]
fn check(r: &Value, (priority, stop, deadline, elapsed, paused, remaining, state): Want<'_>) {
    let t = |s: &str| {
        if s.is_empty() { Value::Null } else { Value::from(format!("2026-{}:00+01:00", s.replace(' ', "T"))) }
    };
    assert_eq!(r["plan"], "nimbus-pro", "plan {r}");
    assert_eq!(r["priority"], priority, "priority {r}");
    assert_eq!(r["stop"], t(stop), "stop {r}");
    assert_eq!(r["deadline"], t(deadline), "deadline {r}");
    assert_eq!(r["elapsed_seconds"], elapsed, "elapsed {r}");
    assert_eq!(r["paused_seconds"], paused, "paused {r}");
    assert_eq!(r["remaining_seconds"], remaining, "remaining {r}");
    assert_eq!(r["state"], state, "state {r}");
    assert_eq!(r["error"], Value::Null, "error {r}");
}

#[test]
fn zendesk_pages_replayed_by_hand() {
    let r = zendesk(&["--format", "json"]);
    let rows = rows(&r);
    // Tickets in order of first appearance; 4801 has three metrics, 4803 one
    // error row, 4802 two metrics (no customer reply after an agent's).
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap_or("")).collect();
    assert_eq!(ids, ["4801", "4801", "4801", "4803", "4802", "4802"]);

    // 4801, high (2h / 4h / 2bd), created Mon 10:00 (09:00Z). The creating
    // update's comment is the description, not a reply. Agent 7001 replies
    // at 13:00: 3 h > 2 h, missed, deadline 12:00, remaining 2h − 3h.
    check(find(&rows, "4801", "first_response"), ("high", "11-16T13:00", "11-16T12:00", 10800, 0, -3600, "missed"));
    // The requester (9001) answers at 15:00: next response 1 starts; the
    // internal note at 16:00 is skipped; the agent replies Tue 10:00: 15–17
    // + 9–10 = 3 h; deadline 15:00 + 4 h business = Tue 11:00.
    check(find(&rows, "4801", "next_response"), ("high", "11-17T10:00", "11-17T11:00", 10800, 0, 3600, "met"));
    // Resolution: 10–13 (3 h), pending 13–15 paused (2 h), 15–17 (2 h), Tue
    // 9–10 (1 h) = 6 h; solved Tue 10:00. 2bd = 16 h: 10 h left from Tue
    // 10:00 = 7 h Tue + 3 h Wed = Wed 12:00.
    check(find(&rows, "4801", "resolution"), ("high", "11-17T10:00", "11-18T12:00", 21600, 7200, 36000, "met"));

    // 4803 was created before the export's start_time: no Create, one error row.
    let e = find_error(&rows, "4803");
    assert!(e.contains("status event before the ticket's created event"), "{e}");

    // 4802, created normal Mon 17:30 (after hours: 0 s on the business
    // clock), its requester's comment at 17:45 (no sideload form) is no
    // reply; a trigger raises it to urgent (1h / 4h on 24x7) at 18:00. As of
    // Wed 12:00: 42 h on the 24x7 clock. First response due 19:00, resolution
    // 22:00, both breached.
    check(find(&rows, "4802", "first_response"), ("urgent", "", "11-16T19:00", 151200, 0, 3600 - 151200, "breached"));
    check(find(&rows, "4802", "resolution"), ("urgent", "", "11-16T22:00", 151200, 0, 14400 - 151200, "breached"));

    for note in [
        "1 ticket events seen twice (overlapping pages) read once",
        "1 private comments skipped",
        "1 tickets have no Create event",
    ] {
        assert!(r.stderr.contains(note), "stderr should say {note:?}:\n{}", r.stderr);
    }
}

fn find_error<'a>(rows: &'a [Value], id: &str) -> &'a str {
    rows.iter().find(|r| r["id"] == id).and_then(|r| r["error"].as_str()).unwrap_or_else(|| panic!("no error row {id}"))
}

#[test]
fn jira_changelog_replayed_by_hand() {
    let r = jira(&["--format", "json"]);
    let rows = rows(&r);
    assert_eq!(rows.len(), 5, "{rows:#?}");
    // NIM-1 was created Medium (the first priority change's fromString) at
    // Mon 10:00 in "Waiting for support"; raised to High at 10:30 (2h / 4h /
    // 2bd, retargeted). The agent's public comment at 11:30: 1.5 h, due 12:00.
    check(find(&rows, "NIM-1", "first_response"), ("high", "11-16T11:30", "11-16T12:00", 5400, 0, 1800, "met"));
    // The reporter's comment at 14:00 starts next response 1; the internal
    // comment at 14:30 is skipped; the agent's public one at 15:00 stops it:
    // 1 h, due 14:00 + 4 h business = Tue 10:00.
    check(find(&rows, "NIM-1", "next_response"), ("high", "11-16T15:00", "11-17T10:00", 3600, 0, 10800, "met"));
    // Resolution: 10:00–11:30 (1.5 h), Waiting for customer 11:30–14:00
    // paused (2.5 h), 14–17 (3 h), Tue 9–10 (1 h) = 5.5 h; Resolved Tue
    // 10:00. 16 h − 5.5 h = 10.5 h from Tue 10:00: 7 h Tue + 3.5 h Wed = Wed 12:30.
    check(find(&rows, "NIM-1", "resolution"), ("high", "11-17T10:00", "11-18T12:30", 19800, 9000, 37800, "met"));
    // NIM-2, Highest → urgent (1h / 4h on 24x7), created Tue 09:00; only the
    // reporter's comment: as of Wed 12:00, 27 h elapsed, both breached.
    check(find(&rows, "NIM-2", "first_response"), ("urgent", "", "11-17T10:00", 97200, 0, 3600 - 97200, "breached"));
    check(find(&rows, "NIM-2", "resolution"), ("urgent", "", "11-17T13:00", 97200, 0, 14400 - 97200, "breached"));
    assert!(r.stderr.contains("1 internal comments skipped"), "{}", r.stderr);
}

/// The Zendesk fixture's events as a person would write them for replay's
/// own JSON Lines, with the same raw values for the same profile to map.
const ZENDESK_BY_HAND: &str = r#"{"id":"4801","at":"2026-11-16T09:00:00Z","event":"created","plan":"509974","priority":"high"}
{"id":"4801","at":"2026-11-16T09:00:00Z","event":"status","value":"new"}
{"id":"4801","at":"2026-11-16T12:00:00Z","event":"reply","value":"agent"}
{"id":"4801","at":"2026-11-16T12:00:00Z","event":"status","value":"pending"}
{"id":"4801","at":"2026-11-16T14:00:00Z","event":"reply","value":"customer"}
{"id":"4801","at":"2026-11-16T14:00:00Z","event":"status","value":"open"}
{"id":"4801","at":"2026-11-17T09:00:00Z","event":"reply","value":"agent"}
{"id":"4801","at":"2026-11-17T09:00:00Z","event":"status","value":"solved"}
{"id":"4803","at":"2026-11-16T13:00:00Z","event":"status","value":"open"}
{"id":"4802","at":"2026-11-16T16:30:00Z","event":"created","plan":"509975","priority":"normal"}
{"id":"4802","at":"2026-11-16T16:30:00Z","event":"status","value":"new"}
{"id":"4802","at":"2026-11-16T16:45:00Z","event":"reply","value":"customer"}
{"id":"4802","at":"2026-11-16T17:00:00Z","event":"priority","value":"urgent"}
"#;

const JIRA_BY_HAND: &str = r#"{"id":"NIM-1","at":"2026-11-16T10:00:00+01:00","event":"created","plan":"NIM","priority":"Medium"}
{"id":"NIM-1","at":"2026-11-16T10:00:00+01:00","event":"status","value":"Waiting for support"}
{"id":"NIM-1","at":"2026-11-16T10:30:00+01:00","event":"priority","value":"High"}
{"id":"NIM-1","at":"2026-11-16T11:00:00+01:00","event":"status","value":"In Progress"}
{"id":"NIM-1","at":"2026-11-16T11:30:00+01:00","event":"status","value":"Waiting for customer"}
{"id":"NIM-1","at":"2026-11-16T11:30:00+01:00","event":"reply","value":"agent"}
{"id":"NIM-1","at":"2026-11-16T14:00:00+01:00","event":"status","value":"Waiting for support"}
{"id":"NIM-1","at":"2026-11-16T14:00:00+01:00","event":"reply","value":"customer"}
{"id":"NIM-1","at":"2026-11-16T15:00:00+01:00","event":"reply","value":"agent"}
{"id":"NIM-1","at":"2026-11-17T10:00:00+01:00","event":"status","value":"Resolved"}
{"id":"NIM-2","at":"2026-11-17T09:00:00+01:00","event":"created","plan":"NIM","priority":"Highest"}
{"id":"NIM-2","at":"2026-11-17T09:00:00+01:00","event":"status","value":"Waiting for support"}
{"id":"NIM-2","at":"2026-11-17T09:20:00+01:00","event":"reply","value":"customer"}
"#;

#[test]
fn zendesk_gives_the_rows_of_the_same_events_written_by_hand() {
    let (_d, path) = temp_file("events.jsonl", ZENDESK_BY_HAND);
    let profile = fixture("zendesk-events.toml");
    let by_hand = replay(path.to_str().unwrap_or(""), "jsonl", &["--profile", &profile]);
    assert_eq!(zendesk(&[]).ok(), by_hand.ok());
}

#[test]
fn jira_gives_the_rows_of_the_same_events_written_by_hand() {
    let (_d, path) = temp_file("events.jsonl", JIRA_BY_HAND);
    let profile = fixture("jira-changelog.toml");
    let by_hand = replay(path.to_str().unwrap_or(""), "jsonl", &["--profile", &profile]);
    assert_eq!(jira(&[]).ok(), by_hand.ok());
}

/// The export's ticket events one per line (JSON Lines) read as the pages are.
#[test]
fn zendesk_ticket_events_one_per_line() {
    let text = std::fs::read_to_string(fixture("zendesk-ticket-events.json")).unwrap();
    let mut lines = String::new();
    for page in serde_json::Deserializer::from_str(&text).into_iter::<Value>() {
        for e in page.unwrap()["ticket_events"].as_array().unwrap() {
            lines.push_str(&e.to_string());
            lines.push('\n');
        }
    }
    let (_d, path) = temp_file("ticket_events.jsonl", &lines);
    let profile = fixture("zendesk-events.toml");
    let per_line = replay(path.to_str().unwrap_or(""), "zendesk-events", &["--profile", &profile]);
    assert_eq!(per_line.ok(), zendesk(&[]).ok());
}

/// Without [values.plan], --plan stands for every ticket (the organization
/// ids are not written as plans).
#[test]
fn plan_flag_without_a_plan_map() {
    let r = replay(&fixture("zendesk-ticket-events.json"), "zendesk-events", &["--plan", "nimbus-pro"]);
    assert_eq!(r.ok(), zendesk(&[]).ok());
    let r = replay(&fixture("jira-search-changelog.json"), "jira-changelog", &["--plan", "nimbus-pro"]);
    // Jira's own names need the profile's maps: one error row per issue,
    // naming the value ("line N" counts the converted events).
    let out = r.ok();
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.contains("NIM-1,nimbus-pro,Medium,") && out.contains("unknown priority \"\"Medium\"\" for plan nimbus-pro"),
        "{out}"
    );
    assert!(
        out.contains("NIM-2,nimbus-pro,Highest,") && out.contains("line 11: unknown priority \"\"Highest\"\""),
        "{out}"
    );
}

#[track_caller]
fn bad(format: &str, input: &str, needles: &[&str]) {
    let (_d, path) = temp_file("export.json", input);
    let r = replay(path.to_str().unwrap_or(""), format, &["--plan", "nimbus-pro"]);
    r.bad(needles);
}

#[test]
fn bad_exports_are_exit_2_naming_where() {
    bad(
        "zendesk-events",
        "<html>502 Bad Gateway</html>",
        &["--input", "zendesk-events: line 1, column 1: not valid JSON"],
    );
    bad(
        "zendesk-events",
        "{\"ticket_events\":[{\"id\":1,\"ticket_id\":5,\"created_at\":\"2026-11-16T09:00:00Z\",\"child_events\":[]}",
        &["line 1, column", "truncated"],
    );
    bad(
        "zendesk-events",
        "{\"ticket_events\":[\n{\"id\":77,\"created_at\":\"2026-11-16T09:00:00Z\",\"child_events\":[]}],\"end_of_stream\":true}",
        &["ticket event 77 has no ticket_id"],
    );
    bad(
        "zendesk-events",
        "{\"ticket_events\":{\"id\":1,\"ticket_id\":5},\"end_of_stream\":true}",
        &["the page at line 1: ticket_events is", "expected an array of ticket events"],
    );
    bad("zendesk-events", "{\"tickets\":[],\"end_of_stream\":true}", &["neither \"ticket_events\""]);
    bad(
        "zendesk-events",
        "{\"id\":9,\"ticket_id\":5,\"created_at\":\"16/11/2026\",\"child_events\":[]}",
        &["ticket 5, event 9: created_at \"16/11/2026\" is not an RFC 3339 time"],
    );
    bad("jira-changelog", "", &["jira-changelog: the input is empty"]);
    bad(
        "jira-changelog",
        "{\"issues\":[{\"key\":\"NIM-9\",\"fields\":{\"created\":\"2026-11-16T10:00:00.000+0100\"}}]}",
        &["issue NIM-9: no \"changelog\"", "expand=changelog"],
    );
    bad(
        "jira-changelog",
        "{\"issues\":[{\"key\":\"NIM-9\",\"fields\":{\"created\":\"2026-11-16T10:00:00.000+0100\"},\"changelog\":{\"startAt\":0,\"maxResults\":100,\"total\":130,\"histories\":[]}}]}",
        &["issue NIM-9: the changelog holds 0 of its 130 entries"],
    );
    bad("jira-changelog", "{\"issues\":\"NIM-9\"}", &["line 1, column", "expected a sequence"]);
}

#[test]
fn csv_options_do_not_apply_to_event_exports() {
    let r = zendesk(&["--time-format", "unix"]);
    r.bad(&["--time-format does not apply to --input-format zendesk-events"]);
}
