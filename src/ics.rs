//! iCalendar (RFC 5545) output, written with the `icalendar` crate: the
//! holidays and working windows of a calendar (`calendar --format ics`) and
//! a ticket's deadline (`deadline` / `status --format ics`).
//!
//! Output is reproducible: every event's `UID` is made from what it is (the
//! calendar, the date, the instant) and `DTSTAMP` is the run's "now", so two
//! runs with the same `--now` write the same bytes. Timed events are in UTC
//! (`…Z`), which every reader takes as is, with no `VTIMEZONE` to agree on;
//! holidays are all-day events (`DTSTART;VALUE=DATE`, `DTEND` the next day,
//! exclusive).
//!
//! Every text value (names, ids, summaries, descriptions, UIDs) goes through
//! [`text_property`]: data never becomes structure. Control characters are
//! shown escaped as in every other output ([`crate::text`]), and the value is
//! escaped as RFC 5545 TEXT (§3.3.11) whether or not the crate types the
//! property as TEXT (it writes `NAME` and `X-WR-CALNAME` verbatim).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar as Ical, Component, Event, EventLike, Property, ValueType};

use crate::error::{Error, Result};

/// One event of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IcsEvent {
    /// A whole day (a holiday).
    AllDay {
        /// Unique, stable id.
        uid: String,
        /// The date.
        date: NaiveDate,
        /// Title (the holiday's name).
        summary: String,
        /// Longer text.
        description: Option<String>,
    },
    /// A span of time in UTC seconds; `end == start` is an instant (a
    /// deadline), written without `DTEND`.
    Timed {
        /// Unique, stable id.
        uid: String,
        /// Start, UTC seconds.
        start: i64,
        /// End, UTC seconds (not before `start`).
        end: i64,
        /// Title.
        summary: String,
        /// Longer text.
        description: Option<String>,
    },
}

/// `s` with every control character but HTAB and LF shown escaped (`\x1b`,
/// `\r`, `\x00`, `\x7f`), as [`crate::text::escape_all_controls`] shows
/// them; LF stays a line break, which TEXT writes as `\n`.
pub(crate) fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n')) {
        return Cow::Borrowed(s);
    }
    let lines: Vec<Cow<'_, str>> = s.split('\n').map(crate::text::escape_all_controls).collect();
    Cow::Owned(lines.join("\n"))
}

/// RFC 5545 §3.3.11: backslash, comma, semicolon and line breaks escaped.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Property `key` holding the text `value`, the one way text reaches the
/// output: controls shown escaped ([`visible`]), then TEXT-escaped here
/// unless the crate does it itself (it does for the properties it types as
/// TEXT: `SUMMARY`, `DESCRIPTION`, `UID`, …), so nothing is escaped twice.
pub(crate) fn text_property(key: &str, value: &str) -> Property {
    let shown = visible(value);
    if Property::new(key, "").value_type() == Some(ValueType::Text) {
        Property::new(key, shown.as_ref())
    } else {
        Property::new(key, escape_text(&shown))
    }
}

fn utc(t: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(t, 0).ok_or_else(|| Error::Input(format!("instant {t} is out of range for iCalendar")))
}

/// Writes `events` as one `VCALENDAR` named `name`, stamped with `stamp`
/// (UTC seconds: the run's "now").
///
/// # Errors
/// [`Error::Input`] when an instant is out of chrono's range (never for the
/// years 1583–9999 the engine answers in).
pub(crate) fn write(name: &str, events: &[IcsEvent], stamp: i64) -> Result<String> {
    let stamp = utc(stamp)?;
    let mut cal = Ical::new();
    cal.append_property(icalendar::Property::new("PRODID", "-//slacalc//slacalc//EN"));
    cal.append_property(text_property("NAME", name));
    cal.append_property(text_property("X-WR-CALNAME", name));
    for e in events {
        let mut ev = Event::new();
        ev.timestamp(stamp);
        match e {
            IcsEvent::AllDay { uid, date, summary, description } => {
                let next = date.succ_opt().ok_or_else(|| Error::Input(format!("date {date} is out of range")))?;
                ev.append_property(text_property("UID", uid));
                ev.append_property(text_property("SUMMARY", summary));
                ev.starts(*date).ends(next);
                // A holiday blocks no one's time in a reader's calendar.
                ev.add_property("TRANSP", "TRANSPARENT");
                if let Some(d) = description {
                    ev.append_property(text_property("DESCRIPTION", d));
                }
            }
            IcsEvent::Timed { uid, start, end, summary, description } => {
                ev.append_property(text_property("UID", uid));
                ev.append_property(text_property("SUMMARY", summary));
                ev.starts(utc(*start)?);
                if end > start {
                    ev.ends(utc(*end)?);
                }
                if let Some(d) = description {
                    ev.append_property(text_property("DESCRIPTION", d));
                }
            }
        }
        cal.push(ev.done());
    }
    // The crate writes PRODID itself; keep one, ours.
    let text = cal.done().to_string();
    let mut seen = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive("\r\n") {
        if line.starts_with("PRODID:") {
            if seen || line.starts_with("PRODID:ICALENDAR-RS") {
                continue;
            }
            seen = true;
        }
        out.push_str(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_and_timed_events_parse_back() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        let events = vec![
            IcsEvent::AllDay { uid: "h1".into(), date, summary: "Christmas Day".into(), description: None },
            IcsEvent::Timed {
                uid: "w1".into(),
                start: 1_795_000_000,
                end: 1_795_003_600,
                summary: "open".into(),
                description: Some("a, b; c".into()),
            },
            IcsEvent::Timed {
                uid: "d1".into(),
                start: 1_795_000_000,
                end: 1_795_000_000,
                summary: "due".into(),
                description: None,
            },
        ];
        let text = write("x", &events, 1_794_000_000).unwrap();
        assert_eq!(text.matches("PRODID").count(), 1, "{text}");
        assert!(
            text.contains("DTSTART;VALUE=DATE:20261225\r\n") && text.contains("DTEND;VALUE=DATE:20261226\r\n"),
            "{text}"
        );
        let parsed: Ical = text.parse().unwrap();
        let got: Vec<(Option<&str>, Option<&str>)> = parsed.events().map(|e| (e.get_uid(), e.get_summary())).collect();
        assert_eq!(got, [(Some("h1"), Some("Christmas Day")), (Some("w1"), Some("open")), (Some("d1"), Some("due"))]);
        assert_eq!(write("x", &events, 1_794_000_000).unwrap(), text, "reproducible");
    }

    #[test]
    fn text_never_becomes_structure() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        let evil = "a\r\nBEGIN:VEVENT\x1b]0;x\x07\0\x7f, b\\";
        let events =
            vec![IcsEvent::AllDay { uid: evil.into(), date, summary: evil.into(), description: Some(evil.into()) }];
        let text = write(evil, &events, 1_794_000_000).unwrap();
        for line in text.split_terminator("\r\n") {
            assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "{line:?}");
            assert!(!line.starts_with("BEGIN:VEVENT\\"), "{line:?}");
        }
        let want = r"a\\r\nBEGIN:VEVENT\\x1b]0\;x\\x07\\x00\\x7f\, b\\";
        let unfolded = text.replace("\r\n ", "");
        for key in ["NAME", "X-WR-CALNAME", "SUMMARY", "DESCRIPTION", "UID"] {
            assert!(unfolded.contains(&format!("\r\n{key}:{want}\r\n")), "{key}: {unfolded}");
        }
        assert_eq!(visible("tab\tline\nend"), "tab\tline\nend");
    }
}
