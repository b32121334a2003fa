//! Helpdesk event exports read as they come from the products' APIs, turned
//! into `replay`'s own flat events (SPEC §5 and §9, "Event exports").
//!
//! - [`zendesk`]: Zendesk's Incremental Ticket Event Export
//!   (`GET /api/v2/incremental/ticket_events`, with or without
//!   `include=comment_events`): `ticket_events` with `child_events`.
//! - [`jira`]: Jira issues with their changelog, as the search API returns
//!   them with `expand=changelog`.
//!
//! Each adapter writes replay's JSON Lines (`id`, `at`, `event`, `value`,
//! `plan`, `priority`) into a buffer that [`crate::replay::run`] then reads
//! as any JSON Lines input: there is one replay engine, and the value maps
//! of a profile (`[values.plan]`, `[values.priority]`, `[values.status]`,
//! `[values.author]`, `[values.event]`) apply to the raw values the adapters
//! write (Zendesk's `organization_id`, `priority` and `status` names; Jira's
//! project key, priority and status names).
//!
//! # Memory
//!
//! An export is read whole (at most [`MAX_EXPORT_BYTES`]): Zendesk's events
//! are ordered by time across tickets, and replay needs each ticket's events
//! together, so they are grouped by ticket first. Memory is O(input) here,
//! unlike the streaming CSV and JSON Lines paths of replay; a larger export
//! is refused with a message, never read in part.

pub(crate) mod jira;
pub(crate) mod zendesk;

use std::io::Read;

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::error::{Error, Result};
use crate::mapping::Mapping;

/// Largest export read (256 MiB).
pub(crate) const MAX_EXPORT_BYTES: u64 = 256 << 20;

/// Which product's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Zendesk's Incremental Ticket Event Export.
    ZendeskEvents,
    /// Jira issues with `expand=changelog`.
    JiraChangelog,
}

impl Source {
    /// The name `--input-format` gives it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Source::ZendeskEvents => "zendesk-events",
            Source::JiraChangelog => "jira-changelog",
        }
    }
}

/// How the adapters fill the fields replay cannot find in the export.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConvertOptions {
    /// Write the export's own plan key (Zendesk `organization_id`, Jira
    /// project key) as each ticket's plan, for `[values.plan]` to map. When
    /// false the plan is left empty, so that `--plan` applies.
    pub plan_from_source: bool,
}

/// An export turned into replay JSON Lines.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// Replay's JSON Lines, one event per line, each ticket's events
    /// together and in time order.
    pub jsonl: Vec<u8>,
    /// Source records read (Zendesk ticket events, Jira issues).
    pub records: u64,
    /// Tickets written.
    pub tickets: u64,
    /// Replay events written.
    pub events: u64,
    /// Notes for stderr: what was skipped and why, what may be missing.
    pub notes: Vec<String>,
}

/// Reads an export and writes replay's JSON Lines.
///
/// # Errors
/// [`Error::Input`] for an export over [`MAX_EXPORT_BYTES`], JSON that does
/// not parse (naming the line and column), or a record of the wrong shape
/// (naming the ticket and event id, or the issue key, and what was
/// expected); [`Error::Io`] when the input cannot be read.
pub(crate) fn convert(source: Source, input: impl Read, mapping: &Mapping, opts: &ConvertOptions) -> Result<Converted> {
    let bytes = read_bounded(input, source, MAX_EXPORT_BYTES)?;
    let mut out = Out::new(mapping);
    let mut converted = match source {
        Source::ZendeskEvents => zendesk::convert(&bytes, &mut out, opts)?,
        Source::JiraChangelog => jira::convert(&bytes, &mut out, opts)?,
    };
    converted.events = out.events;
    converted.jsonl = out.buf;
    Ok(converted)
}

fn read_bounded(input: impl Read, source: Source, cap: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(cap + 1).read_to_end(&mut bytes).map_err(|e| Error::Io { path: "input".into(), error: e })?;
    if bytes.len() as u64 > cap {
        return Err(Error::Input(format!(
            "{} export is larger than 256 MiB (it is read whole, to group each ticket's events): split it by time range and replay the parts",
            source.name()
        )));
    }
    Ok(bytes)
}

/// Replay's event kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Created,
    Reply,
    Status,
    Priority,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Created => "created",
            Kind::Reply => "reply",
            Kind::Status => "status",
            Kind::Priority => "priority",
        }
    }
}

/// The JSON Lines being written, keyed by the column names replay will
/// look for (`--columns` or a profile may rename them).
pub(crate) struct Out {
    buf: Vec<u8>,
    keys: [String; 6],
    events: u64,
}

impl Out {
    fn new(mapping: &Mapping) -> Out {
        let key = |f: &str| mapping.column(f).to_string();
        Out {
            buf: Vec::new(),
            keys: [key("id"), key("at"), key("event"), key("value"), key("plan"), key("priority")],
            events: 0,
        }
    }

    /// One replay event; empty `value`, `plan` and `priority` are left out.
    pub(crate) fn push(
        &mut self,
        id: &str,
        at: &DateTime<FixedOffset>,
        kind: Kind,
        value: &str,
        plan: &str,
        priority: &str,
    ) {
        let at = at.to_rfc3339_opts(SecondsFormat::Secs, false);
        let fields = [id, at.as_str(), kind.as_str(), value, plan, priority];
        self.buf.push(b'{');
        let mut first = true;
        for (i, (k, v)) in self.keys.iter().zip(fields).enumerate() {
            if i >= 3 && v.is_empty() {
                continue;
            }
            if !first {
                self.buf.push(b',');
            }
            first = false;
            // Serializing a string into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.buf, k);
            self.buf.push(b':');
            let _ = serde_json::to_writer(&mut self.buf, v);
        }
        self.buf.extend_from_slice(b"}\n");
        self.events += 1;
    }
}

/// Line and column (1-based) of byte `at` in `bytes`.
pub(crate) fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let col = before.len() - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1) + 1;
    (line, col)
}

/// A JSON value at the top of an export did not parse: where, and what the
/// export should look like.
pub(crate) fn json_error(source: Source, e: &serde_json::Error, expected: &str) -> Error {
    let what = if e.is_eof() {
        "the JSON ends in the middle of a value (a truncated download?)".to_string()
    } else if e.is_syntax() {
        "not valid JSON".to_string()
    } else {
        // A type mismatch: serde's message without its own position.
        let s = e.to_string();
        match s.rfind(" at line ") {
            Some(i) => s[..i].to_string(),
            None => s,
        }
    };
    Error::Input(format!("{}: line {}, column {}: {what} (expected {expected})", source.name(), e.line(), e.column()))
}

/// Reads a string of the export as a number or a string id: `155` and
/// `"155"` are the same id.
pub(crate) mod id {
    use std::fmt;

    use serde::de::{self, Deserializer, Visitor};

    /// An id written as a JSON number or string.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
    pub(crate) struct Id(pub(crate) String);

    impl fmt::Display for Id {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    struct V;

    impl Visitor<'_> for V {
        type Value = Id;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an id (a number or a string)")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
            Ok(Id(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
            Ok(Id(v.to_string()))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
            Ok(Id(v.to_string()))
        }
    }

    impl<'de> de::Deserialize<'de> for Id {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
            d.deserialize_any(V)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_writes_replay_json_lines_with_mapped_keys() {
        let mut m = Mapping::new();
        m.add_columns("id=\"Ticket\"", &crate::replay::FIELDS).unwrap();
        let mut out = Out::new(&m);
        let at = DateTime::parse_from_rfc3339("2026-11-16T10:00:00.750+01:00").unwrap();
        out.push("T\"1", &at, Kind::Created, "", "gold", "");
        out.push("T\"1", &at, Kind::Reply, "agent", "", "");
        assert_eq!(
            String::from_utf8(out.buf).unwrap(),
            "{\"Ticket\":\"T\\\"1\",\"at\":\"2026-11-16T10:00:00+01:00\",\"event\":\"created\",\"plan\":\"gold\"}\n\
             {\"Ticket\":\"T\\\"1\",\"at\":\"2026-11-16T10:00:00+01:00\",\"event\":\"reply\",\"value\":\"agent\"}\n"
        );
        assert_eq!(out.events, 2);
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_col(b"ab\ncd", 4), (2, 2));
    }

    #[test]
    fn an_export_over_the_cap_is_refused() {
        let big = std::io::repeat(b' ').take(1025);
        let e = read_bounded(big, Source::ZendeskEvents, 1024).unwrap_err();
        assert!(e.to_string().contains("larger than 256 MiB"), "{e}");
    }
}
