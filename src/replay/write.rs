//! Writing replay rows: CSV (computed fields unquoted, input fields quoted
//! and escaped as needed) or JSON Lines, gathered whole in [`Records`].

use std::io::Write;

use serde::Serialize;

use super::COLUMNS;
use super::ticket::Ticket;
use crate::engine::Target;
use crate::error::Result;
use crate::instant::{Display, push_int, write_instant, write_instant_bytes, write_with_offset_bytes};
use crate::io::Records;
use crate::offsets::OffsetMemo;
use crate::plan::Plan;
use crate::sla::lifecycle::CycleRow;
use crate::text::escape_controls;

/// Where a replay's rows go: text ([`Sink`]: CSV or JSON Lines) or a
/// caller's columns ([`super::table`]). The replay (`super::Replay`) decides
/// every row and counts it; this only writes it.
pub(super) trait Out {
    /// The row of a ticket that could not be replayed (or, with an empty
    /// id, of unreadable records whose ticket cannot be told), its message
    /// `e`.
    fn error_row(&mut self, t: &Ticket<'_>, e: &str);
    /// One (metric, cycle) row of an answered ticket; `priority` is the
    /// name of the level in force at the end (empty for none).
    fn cycle_row(&mut self, t: &Ticket<'_>, plan: &Plan, priority: &str, r: &CycleRow);
    /// At the end of a ticket (`last`: of the run): the rows so far are
    /// whole.
    fn commit(&mut self, last: bool) -> Result<()>;
}

/// Rows written whole, at ticket boundaries ([`Records`]): an interrupted
/// run never leaves half a row.
pub(super) struct Sink<W: Write> {
    pub(super) out: W,
    pub(super) records: Records,
    pub(super) json: bool,
    /// How to print instants (default: each ticket's plan zone).
    pub(super) display: Option<Display>,
    pub(super) text: RowText,
    pub(super) offsets: OffsetMemo,
    pub(super) targets: TargetText,
}

impl<W: Write> Sink<W> {
    pub(super) fn new(out: W, json: bool, display: Option<Display>) -> Sink<W> {
        Sink {
            out,
            records: Records::default(),
            json,
            display,
            text: RowText::default(),
            offsets: OffsetMemo::default(),
            targets: TargetText::default(),
        }
    }

    pub(super) fn buf(&mut self) -> &mut Vec<u8> {
        self.records.buf()
    }

    pub(super) fn header(&mut self) {
        let buf = self.buf();
        buf.extend_from_slice(COLUMNS.join(",").as_bytes());
        buf.push(b'\n');
    }

    /// A computed field (a number, an instant, a name slacalc spells): no
    /// quoting or escaping needed.
    pub(super) fn raw(&mut self, s: &str) {
        self.buf().push(b',');
        self.buf().extend_from_slice(s.as_bytes());
    }

    /// One CSV field (quoted when it must be), control characters escaped.
    pub(super) fn field(&mut self, s: &str, first: bool) {
        if !first {
            self.buf().push(b',');
        }
        if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b',' && b != b'"') {
            self.buf().extend_from_slice(s.as_bytes());
            return;
        }
        let s = escape_controls(s);
        if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.buf().push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf().push(b'"');
                }
                self.buf().push(b);
            }
            self.buf().push(b'"');
        } else {
            self.buf().extend_from_slice(s.as_bytes());
        }
    }
}

/// The text of one output row.
#[derive(Serialize, Default)]
pub(super) struct JsonRow<'a> {
    pub(super) id: &'a str,
    pub(super) plan: &'a str,
    pub(super) priority: Option<&'a str>,
    pub(super) metric: Option<&'a str>,
    pub(super) cycle: Option<u32>,
    pub(super) start: Option<&'a str>,
    pub(super) stop: Option<&'a str>,
    pub(super) target: Option<&'a str>,
    pub(super) target_seconds: Option<i64>,
    pub(super) clock: Option<&'a str>,
    pub(super) deadline: Option<&'a str>,
    pub(super) elapsed_seconds: Option<i64>,
    pub(super) paused_seconds: Option<i64>,
    pub(super) remaining_seconds: Option<i64>,
    pub(super) state: Option<&'a str>,
    pub(super) error: Option<&'a str>,
}

/// Reused buffers for a row's instants.
#[derive(Default)]
pub(super) struct RowText {
    pub(super) start: String,
    pub(super) stop: String,
    pub(super) deadline: String,
    pub(super) target: String,
}

impl<W: Write> Out for Sink<W> {
    fn commit(&mut self, last: bool) -> Result<()> {
        self.records.commit(&mut self.out, last)
    }

    fn error_row(&mut self, t: &Ticket<'_>, e: &str) {
        let plan = t.plan.map_or(t.plan_typed.as_str(), |p| p.id.as_str());
        if self.json {
            let row = JsonRow {
                id: &t.id,
                plan,
                priority: (!t.priority_typed.is_empty()).then_some(t.priority_typed.as_str()),
                error: Some(e),
                ..JsonRow::default()
            };
            self.json(&row);
        } else {
            let mut fields = [""; 16];
            fields[0] = &t.id;
            fields[1] = plan;
            fields[2] = &t.priority_typed;
            fields[15] = e;
            for (i, f) in fields.iter().enumerate() {
                self.field(f, i == 0);
            }
            self.buf().push(b'\n');
        }
    }

    fn cycle_row(&mut self, t: &Ticket<'_>, plan: &Plan, priority: &str, r: &CycleRow) {
        if self.json {
            self.json_row(t, plan, priority, r);
        } else {
            self.csv_row(t, plan, priority, r);
        }
    }
}

impl<W: Write> Sink<W> {
    fn json(&mut self, row: &JsonRow<'_>) {
        // Serializing plain strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(self.buf(), row);
        self.buf().push(b'\n');
    }

    /// One row as CSV, written straight into the sink: the computed fields
    /// need no quoting, integers and instants are written by hand, instants
    /// in the plan's zone take their offset from [`OffsetMemo`](crate::offsets::OffsetMemo), and a
    /// target's text is remembered ([`TargetText`]).
    fn csv_row(&mut self, t: &Ticket<'_>, plan: &Plan, priority: &str, r: &CycleRow) {
        self.field(&t.id, true);
        self.raw(&plan.id);
        self.field(priority, false);
        self.raw(r.metric.as_str());
        let (display, offsets) = (self.display, &mut self.offsets);
        let buf = self.records.buf();
        let mut instant = |buf: &mut Vec<u8>, at: i64| match display {
            None => write_with_offset_bytes(buf, at, Some(offsets.offset(&plan.calendar.calendar, at))),
            Some(d) => write_instant_bytes(buf, at, d),
        };
        buf.push(b',');
        push_int(buf, i64::from(r.cycle));
        buf.push(b',');
        instant(buf, r.start);
        buf.push(b',');
        if let Some(s) = r.stop {
            instant(buf, s);
        }
        buf.push(b',');
        buf.extend_from_slice(self.targets.text(r.target));
        buf.push(b',');
        if let Some(v) = r.target_seconds {
            push_int(buf, v);
        }
        buf.push(b',');
        buf.extend_from_slice(r.clock.as_str().as_bytes());
        buf.push(b',');
        if let Some(d) = r.deadline {
            instant(buf, d);
        }
        for v in [Some(r.elapsed), Some(r.paused), r.remaining] {
            buf.push(b',');
            if let Some(v) = v {
                push_int(buf, v);
            }
        }
        buf.push(b',');
        buf.extend_from_slice(r.state.as_str().as_bytes());
        buf.extend_from_slice(b",\n");
    }

    /// One row as JSON Lines.
    fn json_row(&mut self, t: &Ticket<'_>, plan: &Plan, priority: &str, r: &CycleRow) {
        let disp = self.display.unwrap_or(Display::Zone(plan.calendar.calendar.tz()));
        let mut text = std::mem::take(&mut self.text);
        fill_text(&mut text, r, disp);
        let row = JsonRow {
            id: &t.id,
            plan: &plan.id,
            priority: nonempty(priority),
            metric: Some(r.metric.as_str()),
            cycle: Some(r.cycle),
            start: Some(text.start.as_str()),
            stop: nonempty(&text.stop),
            target: Some(text.target.as_str()),
            target_seconds: r.target_seconds,
            clock: Some(r.clock.as_str()),
            deadline: nonempty(&text.deadline),
            elapsed_seconds: Some(r.elapsed),
            paused_seconds: Some(r.paused),
            remaining_seconds: r.remaining,
            state: Some(r.state.as_str()),
            error: None,
        };
        self.json(&row);
        self.text = text;
    }
}

/// The text of the last few targets printed (`4h`, `2bd`, `best-effort`):
/// a plan has a handful, and formatting one costs more than the rest of
/// its row's numbers.
#[derive(Default)]
pub(super) struct TargetText {
    known: Vec<(Target, String)>,
}

/// Targets [`TargetText`] keeps (emptied when full).
const TARGETS: usize = 32;

impl TargetText {
    pub(super) fn text(&mut self, target: Target) -> &[u8] {
        let i = match self.known.iter().position(|(t, _)| *t == target) {
            Some(i) => i,
            None => {
                if self.known.len() == TARGETS {
                    self.known.clear();
                }
                self.known.push((target, target.to_string()));
                self.known.len() - 1
            }
        };
        self.known[i].1.as_bytes()
    }
}

fn nonempty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn fill_text(text: &mut RowText, r: &CycleRow, disp: Display) {
    use std::fmt::Write as _;
    text.start.clear();
    text.stop.clear();
    text.deadline.clear();
    text.target.clear();
    write_instant(&mut text.start, r.start, disp);
    if let Some(s) = r.stop {
        write_instant(&mut text.stop, s, disp);
    }
    if let Some(d) = r.deadline {
        write_instant(&mut text.deadline, d, disp);
    }
    let _ = write!(text.target, "{}", r.target);
}
