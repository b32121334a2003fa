//! Reading replay input: the fields of each event record (CSV through the
//! mapping's columns, or one JSON object per line), and records that cannot
//! be read, which become their ticket's error.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::instant::{Ambiguous, Display, TimeFormat, format_instant, in_range, is_local, parse_instant_in};
use crate::io::plain::Fields;
use crate::io::{MAX_RECORD_BYTES, Problem, column};
use crate::mapping::Mapping;
use crate::text::cut;

/// One input record's fields (trimmed), borrowed from the record read.
#[derive(Default, Clone, Copy)]
pub(super) struct Rec<'a> {
    pub(super) line: u64,
    pub(super) id: &'a str,
    pub(super) at: At<'a>,
    pub(super) event: &'a str,
    pub(super) value: &'a str,
    pub(super) plan: &'a str,
    pub(super) priority: &'a str,
}

/// When an event happened: the text of a CSV or JSON field, or an instant
/// a table column holds ([`super::EventTime::Secs`]).
#[derive(Clone, Copy, Debug)]
pub(super) enum At<'a> {
    /// As typed (trimmed), read as `--time-format` and the zone say.
    Text(&'a str),
    /// Unix seconds: an instant already, read as its RFC 3339 text in UTC
    /// would be (the text a CSV export of the table holds).
    Secs(i64),
}

impl Default for At<'_> {
    fn default() -> Self {
        At::Text("")
    }
}

impl At<'_> {
    /// No time given (an empty cell).
    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        matches!(self, At::Text(s) if s.is_empty())
    }

    /// A local date-time, an instant only once a zone is chosen
    /// ([`is_local`]); an instant in seconds never is.
    #[inline]
    pub(super) fn is_local(&self) -> bool {
        match self {
            At::Text(s) => is_local(s),
            At::Secs(_) => false,
        }
    }

    /// The instant, as [`parse_instant_in`] reads the text. Seconds in the
    /// years it accepts are that instant as they are (their text would read
    /// back to them); others are read as their text, for its message.
    /// Always inlined: `replay` reads a time per event, and a call in
    /// between costs more than this match (callgrind: +17 instructions an
    /// event with `#[inline]`, LTO having made one function of the two).
    #[inline(always)]
    pub(super) fn instant(
        &self,
        zone: chrono_tz::Tz,
        now: i64,
        format: &TimeFormat,
        ambiguous: Ambiguous,
    ) -> Result<i64> {
        match *self {
            At::Text(s) => parse_instant_in(s, zone, now, format, ambiguous),
            At::Secs(t) if in_range(t, "").is_ok() && *format == TimeFormat::Auto => Ok(t),
            At::Secs(_) => parse_instant_in(&self.text(), zone, now, format, ambiguous),
        }
    }

    /// The time as messages quote it: as typed, or seconds as RFC 3339 in UTC.
    pub(super) fn text(&self) -> Cow<'_, str> {
        match *self {
            At::Text(s) => Cow::Borrowed(s),
            At::Secs(t) => Cow::Owned(format_instant(t, Display::Utc)),
        }
    }
}

/// The fields of one JSON Lines event, in reused buffers.
#[derive(Default)]
pub(super) struct JsonRec {
    id: String,
    at: String,
    event: String,
    value: String,
    plan: String,
    priority: String,
}

impl JsonRec {
    /// The fields as a [`Rec`] of line `line`.
    pub(super) fn rec(&self, line: u64) -> Rec<'_> {
        Rec {
            line,
            id: &self.id,
            at: At::Text(&self.at),
            event: &self.event,
            value: &self.value,
            plan: &self.plan,
            priority: &self.priority,
        }
    }
}

/// A record that cannot be read as an event: over [`MAX_RECORD_BYTES`]
/// (cut while reading, SPEC §8), a field that is not UTF-8, a JSON line that
/// is not an object or has a field that is not a string.
///
/// Such a record is an error of its ticket, not of the run (SPEC §5: bad
/// events are error rows; exit 0 unless `--strict`). Its ticket is
///
/// - the id read from the record itself, when that field is whole and
///   readable (a long CSV record keeps its fields before the cut; a
///   non-UTF-8 CSV field spoils only itself; a JSON object with a bad field
///   still names its id);
/// - else the ticket around it, when the records before and after it are of
///   the same ticket (its events are contiguous, so it can be no other);
/// - else no ticket: at a boundary between two tickets (or at the end) it
///   may belong to either, so it gets a row of its own with an empty id and
///   the error naming its line, between the two tickets' rows.
///
/// Such a record is an error whatever its time: its time cannot be trusted
/// to be after `--now`.
#[derive(Debug)]
pub(super) struct Unreadable {
    pub(super) message: Error,
    /// The record's id was read into [`Rec::id`].
    pub(super) id_known: bool,
}

impl Unreadable {
    pub(super) fn anonymous(message: Error) -> Unreadable {
        Unreadable { message, id_known: false }
    }
}

pub(super) fn too_long_message() -> Error {
    Error::Input(format!("record is longer than {MAX_RECORD_BYTES} bytes (replay records are limited to 64 KiB)"))
}

/// Unreadable records whose ticket is not known yet (see [`Unreadable`]):
/// the first one's line and message, and the last one's line.
pub(super) struct Pending {
    pub(super) line: u64,
    pub(super) message: Error,
    pub(super) last_line: u64,
}

impl Pending {
    pub(super) fn text(&self) -> String {
        if self.last_line == self.line {
            format!("line {}: {}", self.line, self.message)
        } else {
            format!(
                "line {}: {} (and every record up to line {}, unreadable too)",
                self.line, self.message, self.last_line
            )
        }
    }
}

/// Where replay's input columns are in a header (a CSV header row, or a
/// table's column names), found as [`super::event_columns`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The ticket id.
    pub id: usize,
    /// When the event happened.
    pub at: usize,
    /// The event kind.
    pub event: usize,
    /// The reply author, status or priority name (optional).
    pub value: Option<usize>,
    /// The plan of a created event (optional).
    pub plan: Option<usize>,
    /// The priority of a created event (optional).
    pub priority: Option<usize>,
}

impl Columns {
    pub(super) fn read(h: &csv::StringRecord, map: &Mapping) -> Result<Columns> {
        let column = |h: &csv::StringRecord, n: &str| column(h, map.column(n));
        let need = |n: &str| {
            column(h, n).ok_or_else(|| {
                let names: Vec<String> =
                    h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_lowercase()).collect();
                let named = if map.is_mapped(n) {
                    format!(" (named \"{}\" by --columns or --profile)", cut(map.column(n), 80))
                } else {
                    String::new()
                };
                Error::Input(format!(
                    "replay input has no \"{}\" column{named} (expected a header id,at,event,value[,plan,priority]; got: {})",
                    cut(map.column(n), 80),
                    cut(&names.join(","), 200)
                ))
            })
        };
        Ok(Columns {
            id: need("id")?,
            at: need("at")?,
            event: need("event")?,
            value: column(h, "value"),
            plan: column(h, "plan"),
            priority: column(h, "priority"),
        })
    }

    /// The fields of record `r` (of line `line`); a record cut while
    /// reading (`problem`) or with a field that is not UTF-8 is
    /// [`Unreadable`], its id kept when that field is whole. A created event
    /// (named so by the export, or through `map`'s `[values.event]`) also
    /// reads its plan and priority.
    pub(super) fn fill<'r>(
        &self,
        r: &'r impl Fields,
        line: u64,
        problem: Option<Problem>,
        map: &Mapping,
    ) -> (Rec<'r>, std::result::Result<(), Unreadable>) {
        // The whole record checked as UTF-8 once (a field of it is then
        // valid when it starts and ends on character boundaries, which
        // `str::get` checks); a field is checked on its own only when that
        // fails, to name the field that is not UTF-8.
        let whole = std::str::from_utf8(r.whole()).ok();
        let get = |i: Option<usize>, name: &str| -> Result<&'r str> {
            let Some(i) = i else { return Ok("") };
            let Some(range) = r.range(i) else { return Ok("") };
            let s = match whole.and_then(|w| w.get(range.clone())) {
                Some(s) => s,
                None => std::str::from_utf8(&r.whole()[range])
                    .map_err(|_| Error::NotUtf8 { what: format!("column {name}").into() })?,
            };
            Ok(trim(s))
        };
        let id = get(Some(self.id), "id");
        if problem.is_some() {
            let mut rec = Rec { line, ..Rec::default() };
            if let Ok(id) = id {
                rec.id = id;
            }
            // Of a cut record, only the fields before the last one are whole.
            let id_known = self.id + 1 < r.len() && id.is_ok();
            return (rec, Err(Unreadable { message: too_long_message(), id_known }));
        }
        read_fields(
            line,
            id,
            |f| match f {
                Field::At => get(Some(self.at), "at"),
                Field::Event => get(Some(self.event), "event"),
                Field::Value => get(self.value, "value"),
                Field::Plan => get(self.plan, "plan"),
                Field::Priority => get(self.priority, "priority"),
            },
            |get| get(Field::At).map(At::Text),
            map,
        )
    }
}

/// A field of an event record after its id.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    At,
    Event,
    Value,
    Plan,
    Priority,
}

/// The fields of a record that was read whole, however it is stored (a CSV
/// record, a row of columns): `id` (already read, its message if not UTF-8),
/// `get` for the others (trimmed; an error names a field that is not
/// UTF-8), `at` for the time. Whatever fails first makes the record
/// [`Unreadable`], its id kept when readable. A created event (named so by
/// the export, or through `map`'s `[values.event]`) also reads its plan and
/// priority.
pub(super) fn read_fields<'r, G: Fn(Field) -> Result<&'r str>>(
    line: u64,
    id: Result<&'r str>,
    get: G,
    at: impl FnOnce(&G) -> Result<At<'r>>,
    map: &Mapping,
) -> (Rec<'r>, std::result::Result<(), Unreadable>) {
    let mut rec = Rec { line, ..Rec::default() };
    let id_known = id.is_ok();
    let fail = |message: Error| Unreadable { message, id_known };
    let read = (|| {
        rec.id = id.map_err(fail)?;
        rec.at = at(&get).map_err(fail)?;
        rec.event = get(Field::Event).map_err(fail)?;
        rec.value = get(Field::Value).map_err(fail)?;
        // Only a created event reads its plan and priority: told after the
        // value map, as take() tells it (and as JSON Lines rows are read).
        if map.value("event", rec.event).eq_ignore_ascii_case("created") {
            rec.plan = get(Field::Plan).map_err(fail)?;
            rec.priority = get(Field::Priority).map_err(fail)?;
        }
        Ok(())
    })();
    (rec, read)
}

/// `s.trim()`, answered without decoding characters when `s` starts and
/// ends with printable ASCII (nearly every field): then there is nothing to
/// trim.
pub(super) fn trim(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let b = s.as_bytes();
    if plain(b.first()) && plain(b.last()) { s } else { s.trim() }
}

/// The fields of one JSON Lines event.
pub(super) fn json_fields(line: &[u8], rec: &mut JsonRec, map: &Mapping) -> std::result::Result<(), Unreadable> {
    rec.id.clear();
    let (obj, utf8) = match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line) {
        Ok(obj) => (obj, true),
        // Not UTF-8: read it with the bad bytes replaced, only to find its id.
        Err(_) if std::str::from_utf8(line).is_err() => match serde_json::from_str(&String::from_utf8_lossy(line)) {
            Ok(obj) => (obj, false),
            Err(_) => return Err(Unreadable::anonymous(Error::NotUtf8 { what: "the line".into() })),
        },
        Err(e) => {
            return Err(Unreadable::anonymous(Error::Input(format!(
                "not a JSON object ({e}); expected e.g. {{\"id\":\"T1\",\"at\":\"…\",\"event\":\"created\"}}"
            ))));
        }
    };
    let get = |k: &str, dst: &mut String| -> Result<()> {
        dst.clear();
        match obj.get(map.column(k)) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(s)) => dst.push_str(s.trim()),
            Some(serde_json::Value::Number(x)) => dst.push_str(&x.to_string()),
            Some(other) => {
                return Err(Error::Input(format!(
                    "field \"{k}\" is {} (expected a string)",
                    cut(&other.to_string(), 80)
                )));
            }
        }
        Ok(())
    };
    let id = get("id", &mut rec.id);
    // An id with a replaced byte is not the ticket's id.
    let id_known = id.is_ok() && (utf8 || !rec.id.contains('\u{fffd}'));
    let fail = |message: Error| Unreadable { message, id_known };
    id.map_err(fail)?;
    if !utf8 {
        return Err(fail(Error::NotUtf8 { what: "the line".into() }));
    }
    get("at", &mut rec.at).map_err(fail)?;
    get("event", &mut rec.event).map_err(fail)?;
    get("value", &mut rec.value).map_err(fail)?;
    get("plan", &mut rec.plan).map_err(fail)?;
    get("priority", &mut rec.priority).map_err(fail)?;
    Ok(())
}
