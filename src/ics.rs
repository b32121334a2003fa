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

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar as Ical, Component, Event, EventLike};

use crate::error::{Error, Result};

/// One event of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IcsEvent {
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

fn utc(t: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(t, 0).ok_or_else(|| Error::Input(format!("instant {t} is out of range for iCalendar")))
}

/// Writes `events` as one `VCALENDAR` named `name`, stamped with `stamp`
/// (UTC seconds: the run's "now").
///
/// # Errors
/// [`Error::Input`] when an instant is out of chrono's range (never for the
/// years 1583–9999 the engine answers in).
pub fn write(name: &str, events: &[IcsEvent], stamp: i64) -> Result<String> {
    let stamp = utc(stamp)?;
    let mut cal = Ical::new();
    cal.append_property(icalendar::Property::new("PRODID", "-//slacalc//slacalc//EN"));
    cal.name(name);
    for e in events {
        let mut ev = Event::new();
        ev.timestamp(stamp);
        match e {
            IcsEvent::AllDay { uid, date, summary, description } => {
                let next = date.succ_opt().ok_or_else(|| Error::Input(format!("date {date} is out of range")))?;
                ev.uid(uid).summary(summary).starts(*date).ends(next);
                // A holiday blocks no one's time in a reader's calendar.
                ev.add_property("TRANSP", "TRANSPARENT");
                if let Some(d) = description {
                    ev.description(d);
                }
            }
            IcsEvent::Timed { uid, start, end, summary, description } => {
                ev.uid(uid).summary(summary).starts(utc(*start)?);
                if end > start {
                    ev.ends(utc(*end)?);
                }
                if let Some(d) = description {
                    ev.description(d);
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
}
