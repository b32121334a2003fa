//! Zendesk's Incremental Ticket Event Export, turned into replay events.
//!
//! Written from Zendesk's API reference, "Incremental Ticket Event Export"
//! (<https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-event-export>):
//! "Returns a stream of changes that occurred on tickets. Each event is tied
//! to an update on a ticket and contains all the fields that were updated in
//! that change." and "If you don't specify the sideload, any comment present
//! in the ticket update is described only by Boolean `comment_present` and
//! `comment_public` object properties in the event's `child_events` array";
//! with `include=comment_events`, a comment child event carries `author_id`,
//! `public` and `"event_type": "Comment"`. The audit events reference
//! (<https://developer.zendesk.com/documentation/ticketing/reference-guides/ticket-audit-events-reference/>)
//! gives the Create event ("A ticket property was set on a newly created
//! ticket. A separate event is created for each property set.") and the
//! Change event (`previous_value`).
//!
//! # Input
//!
//! One page (`{"ticket_events": […], "end_of_stream": …, "next_page": …}`),
//! several pages one after the other (as a script that follows `next_page`
//! saves them), or ticket event objects one per line (JSON Lines). A ticket
//! event seen twice (time-based pages overlap at their boundary) is read
//! once, by its `id`.
//!
//! # Mapping (one ticket event = one update of one ticket, at its
//! `created_at`, else its Unix `timestamp`)
//!
//! - The update holding `Create` child events → `created`, with the
//!   ticket's `priority` and, as plan, its `organization_id` (see
//!   [`super::ConvertOptions::plan_from_source`]); then its initial `status` as a
//!   `status` event. A child event names its field by key (`"status":
//!   "new"`) or, as in the ticket audits API, by `field_name` and `value`.
//!   The `requester_id` set there is the ticket's requester.
//! - A `Change` of `status` → `status`; of `priority` → `priority` (a
//!   priority cleared to none is skipped: the clocks keep the last one); of
//!   `requester_id` → the new requester for later comments.
//! - A public `Comment` (`public`, or `comment_public` without the sideload;
//!   `comment_present: false` is no comment) → `reply`, `customer` when its
//!   `author_id` (without the sideload: the update's `updater_id`) is the
//!   ticket's requester, else `agent`. The comment of the creating update is
//!   the ticket's description, not a reply. Private comments are skipped.
//! - Every other child event (tags, assignee, notifications, SLA events, …)
//!   is skipped.
//!
//! Updates are grouped by ticket (tickets in order of first appearance),
//! each ticket's updates in time order, file order for equal times.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, TimeZone as _, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::id::Id;
use super::{ConvertOptions, Converted, Kind, Out, Source, json_error, line_col};
use crate::error::{Error, Result};
use crate::text::cut;

const EXPECTED: &str =
    "pages {\"ticket_events\":[…]} of GET /api/v2/incremental/ticket_events, or ticket event objects one per line";

/// A present key, even `null`, is `Some`; an absent one is `None` (with
/// `#[serde(default)]`).
fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A top-level JSON value: a page, or one ticket event.
#[derive(Deserialize)]
struct Top {
    #[serde(default, deserialize_with = "present")]
    ticket_events: Option<Value>,
    #[serde(flatten)]
    event: RawEvent,
}

/// One ticket event (an update of one ticket): the fields read.
#[derive(Deserialize, Default)]
struct RawEvent {
    id: Option<Id>,
    ticket_id: Option<Id>,
    created_at: Option<String>,
    timestamp: Option<i64>,
    updater_id: Option<Id>,
    #[serde(default)]
    child_events: Option<Vec<RawChild>>,
}

/// One child event: the fields read.
#[derive(Deserialize, Default, Clone)]
struct RawChild {
    id: Option<Id>,
    event_type: Option<String>,
    #[serde(rename = "type")]
    type_: Option<String>,
    #[serde(default, deserialize_with = "present")]
    status: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    priority: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    requester_id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    organization_id: Option<Value>,
    field_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Value>,
    public: Option<bool>,
    comment_public: Option<bool>,
    comment_present: Option<bool>,
    author_id: Option<Id>,
}

impl RawChild {
    fn kind(&self) -> &str {
        self.event_type.as_deref().or(self.type_.as_deref()).unwrap_or("")
    }

    /// The value this child event gives `field` (`"status": "open"`, or
    /// `"field_name": "status", "value": "open"`); `Some(Null)` when set to
    /// none.
    fn field(&self, field: &str) -> Option<&Value> {
        let keyed = match field {
            "status" => self.status.as_ref(),
            "priority" => self.priority.as_ref(),
            "requester_id" => self.requester_id.as_ref(),
            "organization_id" => self.organization_id.as_ref(),
            _ => None,
        };
        keyed.or_else(|| (self.field_name.as_deref() == Some(field)).then_some(self.value.as_ref()).flatten())
    }
}

/// One update, placed in time.
struct Update {
    at: DateTime<FixedOffset>,
    id: Option<Id>,
    updater: Option<Id>,
    children: Vec<RawChild>,
}

/// Where a record is, for messages: the ticket and event ids.
fn place(ticket: &str, event: Option<&Id>) -> String {
    match event {
        Some(e) => format!("ticket {}, event {}", cut(ticket, 40), cut(&e.0, 40)),
        None => format!("ticket {} (an event without id)", cut(ticket, 40)),
    }
}

/// A scalar as the text replay reads; `None` for null; an error for an
/// array or object.
fn text(v: &Value, what: &str, at: &str) -> Result<Option<String>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(Error::Input(format!(
            "zendesk-events: {at}: {what} is {} (expected a string or a number)",
            cut(&other.to_string(), 60)
        ))),
    }
}

/// Reads a Zendesk export into `out`.
pub(crate) fn convert(bytes: &[u8], out: &mut Out, opts: &ConvertOptions) -> Result<Converted> {
    let mut tickets: Vec<(String, Vec<Update>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut conv = Converted::default();
    let mut duplicates = 0u64;
    let mut any = false;
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Top>();
    let mut start = 0usize;
    while let Some(top) = stream.next() {
        let top = top.map_err(|e| json_error(Source::ZendeskEvents, &e, EXPECTED))?;
        // The value began at the first non-blank byte after the previous one.
        let begin = bytes[start..].iter().position(|b| !b.is_ascii_whitespace()).map_or(start, |i| start + i);
        start = stream.byte_offset();
        let (line, _) = line_col(bytes, begin);
        any = true;
        let events = match top.ticket_events {
            Some(Value::Array(items)) => {
                let mut events = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let e = RawEvent::deserialize(item).map_err(|e| {
                        Error::Input(format!(
                            "zendesk-events: the page at line {line}: ticket_events[{i}]: {e} (expected a ticket event object with ticket_id, created_at and child_events)"
                        ))
                    })?;
                    events.push(e);
                }
                events
            }
            Some(other) => {
                return Err(Error::Input(format!(
                    "zendesk-events: the page at line {line}: ticket_events is {} (expected an array of ticket events)",
                    cut(&other.to_string(), 60)
                )));
            }
            None if top.event.ticket_id.is_some() || top.event.child_events.is_some() => vec![top.event],
            None => {
                return Err(Error::Input(format!(
                    "zendesk-events: line {line}: a JSON object with neither \"ticket_events\" (a page) nor \"ticket_id\" (a ticket event) (expected {EXPECTED})"
                )));
            }
        };
        for e in events {
            conv.records += 1;
            let Some(ticket) = e.ticket_id.clone() else {
                let which =
                    e.id.as_ref()
                        .map_or_else(|| "a ticket event without id".to_string(), |i| format!("ticket event {i}"));
                return Err(Error::Input(format!(
                    "zendesk-events: line {line}: {which} has no ticket_id (expected the id of the ticket it updates)"
                )));
            };
            if let Some(id) = &e.id
                && !seen.insert(id.0.clone())
            {
                duplicates += 1;
                continue;
            }
            let at = update_time(&e, &ticket.0)?;
            let update = Update { at, id: e.id, updater: e.updater_id, children: e.child_events.unwrap_or_default() };
            match index.get(&ticket.0) {
                Some(&i) => tickets[i].1.push(update),
                None => {
                    index.insert(ticket.0.clone(), tickets.len());
                    tickets.push((ticket.0, vec![update]));
                }
            }
        }
    }
    if !any {
        return Err(Error::Input(format!("zendesk-events: the input is empty (expected {EXPECTED})")));
    }
    let mut skipped = Skipped::default();
    for (ticket, mut updates) in tickets {
        // Stable: equal times keep file order.
        updates.sort_by_key(|u| u.at);
        conv.tickets += 1;
        write_ticket(&ticket, &updates, out, opts, &mut skipped)?;
    }
    if duplicates > 0 {
        conv.notes.push(format!("zendesk-events: {duplicates} ticket events seen twice (overlapping pages) read once"));
    }
    if skipped.private > 0 {
        conv.notes.push(format!(
            "zendesk-events: {} private comments skipped (internal notes are not replies)",
            skipped.private
        ));
    }
    if skipped.no_create > 0 {
        conv.notes.push(format!(
            "zendesk-events: {} tickets have no Create event in this export (created before its start_time?): each is an error row; export from an earlier start_time",
            skipped.no_create
        ));
    }
    Ok(conv)
}

#[derive(Default)]
struct Skipped {
    private: u64,
    no_create: u64,
}

fn update_time(e: &RawEvent, ticket: &str) -> Result<DateTime<FixedOffset>> {
    let at = place(ticket, e.id.as_ref());
    if let Some(s) = &e.created_at {
        return DateTime::parse_from_rfc3339(s.trim()).map_err(|_| {
            Error::Input(format!(
                "zendesk-events: {at}: created_at \"{}\" is not an RFC 3339 time (expected e.g. 2020-09-29T05:31:43Z)",
                cut(s, 40)
            ))
        });
    }
    if let Some(t) = e.timestamp {
        if let Some(utc) = Utc.timestamp_opt(t, 0).single() {
            return Ok(utc.fixed_offset());
        }
        return Err(Error::Input(format!(
            "zendesk-events: {at}: timestamp {t} is out of range (expected Unix seconds)"
        )));
    }
    Err(Error::Input(format!("zendesk-events: {at}: no created_at nor timestamp (expected the time of the update)")))
}

fn write_ticket(
    ticket: &str,
    updates: &[Update],
    out: &mut Out,
    opts: &ConvertOptions,
    skipped: &mut Skipped,
) -> Result<()> {
    let mut requester: Option<String> = None;
    let mut created = false;
    for u in updates {
        let at_ = place(ticket, u.id.as_ref());
        let child_at = |c: &RawChild| match &c.id {
            Some(id) => format!("{at_}, child event {}", cut(&id.0, 40)),
            None => at_.clone(),
        };
        let creates: Vec<&RawChild> = u.children.iter().filter(|c| c.kind() == "Create").collect();
        let creating = !creates.is_empty();
        if creating {
            let (mut status, mut priority, mut org) = (None, None, None);
            for c in &creates {
                let at = child_at(c);
                if let Some(v) = c.field("status") {
                    status = text(v, "status", &at)?;
                }
                if let Some(v) = c.field("priority") {
                    priority = text(v, "priority", &at)?;
                }
                if let Some(v) = c.field("requester_id") {
                    requester = text(v, "requester_id", &at)?;
                }
                if let Some(v) = c.field("organization_id") {
                    org = text(v, "organization_id", &at)?;
                }
            }
            let plan = if opts.plan_from_source { org.as_deref().unwrap_or("") } else { "" };
            out.push(ticket, &u.at, Kind::Created, "", plan, priority.as_deref().unwrap_or(""));
            if let Some(s) = status.as_deref().filter(|s| !s.is_empty()) {
                out.push(ticket, &u.at, Kind::Status, s, "", "");
            }
            created = true;
        }
        for c in &u.children {
            match c.kind() {
                "Change" => {
                    let at = child_at(c);
                    if let Some(v) = c.field("status") {
                        match text(v, "status", &at)? {
                            Some(s) if !s.is_empty() => out.push(ticket, &u.at, Kind::Status, &s, "", ""),
                            _ => {
                                return Err(Error::Input(format!(
                                    "zendesk-events: {at}: a status change to no status (expected a status name)"
                                )));
                            }
                        }
                    }
                    if let Some(v) = c.field("priority") {
                        // Cleared to none: the clocks keep the last priority.
                        if let Some(p) = text(v, "priority", &at)?.filter(|p| !p.is_empty()) {
                            out.push(ticket, &u.at, Kind::Priority, &p, "", "");
                        }
                    }
                    if let Some(v) = c.field("requester_id") {
                        requester = text(v, "requester_id", &at)?;
                    }
                }
                "Comment" => {
                    if c.comment_present == Some(false) {
                        continue;
                    }
                    let Some(public) = c.public.or(c.comment_public) else {
                        return Err(Error::Input(format!(
                            "zendesk-events: {}: a Comment child event without \"public\" nor \"comment_public\" (expected true or false)",
                            child_at(c)
                        )));
                    };
                    if creating {
                        // The ticket's description: the request, not a reply.
                        continue;
                    }
                    if !public {
                        skipped.private += 1;
                        continue;
                    }
                    let Some(author) = c.author_id.as_ref().or(u.updater.as_ref()) else {
                        return Err(Error::Input(format!(
                            "zendesk-events: {}: a public comment with no author_id and an update with no updater_id (expected the author's user id)",
                            child_at(c)
                        )));
                    };
                    let who = if requester.as_deref() == Some(author.0.as_str()) { "customer" } else { "agent" };
                    out.push(ticket, &u.at, Kind::Reply, who, "", "");
                }
                _ => {}
            }
        }
    }
    if !created {
        skipped.no_create += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Mapping;

    fn run(input: &str, plan_from_source: bool) -> Result<(String, Vec<String>)> {
        let opts = ConvertOptions { plan_from_source };
        let c = super::super::convert(Source::ZendeskEvents, input.as_bytes(), &Mapping::new(), &opts)?;
        Ok((String::from_utf8(c.jsonl).unwrap(), c.notes))
    }

    const CREATE: &str = r#"{"id":1,"ticket_id":7,"created_at":"2026-11-16T09:00:00Z","updater_id":100,"event_type":"Audit","child_events":[
        {"id":11,"via":"Web form","via_reference_id":null,"comment_present":true,"comment_public":true,"event_type":"Comment"},
        {"id":12,"via":"Web form","via_reference_id":null,"status":"new","event_type":"Create"},
        {"id":13,"via":"Web form","via_reference_id":null,"priority":"high","event_type":"Create"},
        {"id":14,"via":"Web form","via_reference_id":null,"requester_id":100,"event_type":"Create"},
        {"id":15,"via":"Web form","via_reference_id":null,"organization_id":509974,"event_type":"Create"},
        {"id":16,"via":"Web form","via_reference_id":null,"tags":["a"],"added_tags":["a"],"removed_tags":[],"event_type":"Create"}]}"#;

    #[test]
    fn create_change_and_comments() {
        let reply = r#"{"id":2,"ticket_id":7,"created_at":"2026-11-16T10:00:00Z","updater_id":200,"child_events":[
            {"id":21,"author_id":200,"public":true,"event_type":"Comment","type":"Comment","body":"hi"},
            {"id":22,"status":"pending","previous_value":"new","event_type":"Change"},
            {"id":23,"field_name":"priority","value":"urgent","previous_value":"high","event_type":"Change"}]}
            {"id":3,"ticket_id":7,"timestamp":1794826800,"updater_id":300,"child_events":[
            {"id":31,"comment_present":true,"comment_public":false,"event_type":"Comment"},
            {"id":32,"comment_present":true,"comment_public":true,"event_type":"Comment"}]}
            {"id":4,"ticket_id":7,"created_at":"2026-11-16T12:00:00Z","updater_id":100,"child_events":[
            {"id":41,"comment_present":true,"comment_public":true,"event_type":"Comment"}]}"#;
        let (jsonl, notes) = run(&format!("{CREATE}\n{reply}"), true).unwrap();
        assert_eq!(
            jsonl,
            r#"{"id":"7","at":"2026-11-16T09:00:00+00:00","event":"created","plan":"509974","priority":"high"}
{"id":"7","at":"2026-11-16T09:00:00+00:00","event":"status","value":"new"}
{"id":"7","at":"2026-11-16T10:00:00+00:00","event":"reply","value":"agent"}
{"id":"7","at":"2026-11-16T10:00:00+00:00","event":"status","value":"pending"}
{"id":"7","at":"2026-11-16T10:00:00+00:00","event":"priority","value":"urgent"}
{"id":"7","at":"2026-11-16T11:00:00+00:00","event":"reply","value":"agent"}
{"id":"7","at":"2026-11-16T12:00:00+00:00","event":"reply","value":"customer"}
"#
        );
        assert_eq!(notes, ["zendesk-events: 1 private comments skipped (internal notes are not replies)"]);
    }

    #[test]
    fn pages_are_grouped_by_ticket_and_sorted_and_deduplicated() {
        let other = r#"{"id":5,"ticket_id":8,"created_at":"2026-11-16T09:30:00Z","child_events":[{"id":51,"status":"open","event_type":"Create"}]}"#;
        let late = r#"{"id":6,"ticket_id":7,"created_at":"2026-11-16T11:00:00Z","child_events":[{"id":61,"status":"solved","event_type":"Change"}]}"#;
        let early = r#"{"id":9,"ticket_id":7,"created_at":"2026-11-16T10:00:00Z","child_events":[{"id":91,"status":"open","event_type":"Change"}]}"#;
        let page1 =
            format!(r#"{{"ticket_events":[{CREATE},{other},{late}],"end_of_stream":false,"next_page":"x","count":3}}"#);
        let page2 = format!(r#"{{"ticket_events":[{late},{early}],"end_of_stream":true,"next_page":null,"count":2}}"#);
        let (jsonl, notes) = run(&format!("{page1}\n{page2}"), false).unwrap();
        let got: Vec<(String, String, String)> = jsonl
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                (
                    v["id"].as_str().unwrap().into(),
                    v["at"].as_str().unwrap()[11..16].into(),
                    v["event"].as_str().unwrap().into(),
                )
            })
            .collect();
        let want = [
            ("7", "09:00", "created"),
            ("7", "09:00", "status"),
            ("7", "10:00", "status"),
            ("7", "11:00", "status"),
            ("8", "09:30", "created"),
            ("8", "09:30", "status"),
        ];
        assert_eq!(got, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
        assert!(!jsonl.contains("509974"), "plan left for --plan: {jsonl}");
        assert_eq!(notes, ["zendesk-events: 1 ticket events seen twice (overlapping pages) read once"]);
    }

    #[test]
    fn bad_shapes_name_where() {
        let e = run("{\"ticket_events\": 3}", false).unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("ticket_events is 3"), "{e}");
        let e = run("\n{\"ticket_events\":[{\"id\":5,\"created_at\":\"2026-11-16T09:00:00Z\"}]}", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2: ticket event 5 has no ticket_id"), "{e}");
        let e = run("{\"id\":5,\"ticket_id\":9,\"created_at\":\"yesterday\"}", false).unwrap_err().to_string();
        assert!(e.contains("ticket 9, event 5: created_at \"yesterday\""), "{e}");
        let e = run("{\"ticket_events\":[", false).unwrap_err().to_string();
        assert!(e.contains("line 1, column 18") && e.contains("truncated"), "{e}");
        let e = run("not json", false).unwrap_err().to_string();
        assert!(e.contains("line 1, column 2: not valid JSON"), "{e}");
        let e = run("{\"hello\":1}", false).unwrap_err().to_string();
        assert!(e.contains("neither \"ticket_events\""), "{e}");
        let e = run("  \n", false).unwrap_err().to_string();
        assert!(e.contains("the input is empty"), "{e}");
        let e = run(r#"{"id":5,"ticket_id":9,"created_at":"2026-11-16T09:00:00Z","child_events":[{"id":1,"event_type":"Comment"}]}"#, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("ticket 9, event 5, child event 1: a Comment child event without"), "{e}");
    }
}
