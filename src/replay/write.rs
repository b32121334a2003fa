//! Writing replay rows: CSV (computed fields unquoted, input fields quoted
//! and escaped as needed) or JSON Lines, gathered whole in [`Records`].

use std::io::Write;

use serde::Serialize;

use super::ticket::Ticket;
use super::{COLUMNS, Replay};
use crate::error::Result;
use crate::instant::{Display, write_instant};
use crate::io::Records;
use crate::plan::Plan;
use crate::sla::ClockState;
use crate::sla::lifecycle::{CycleRow, TicketAnswer};
use crate::text::escape_controls;

/// Rows written whole, at ticket boundaries ([`Records`]): an interrupted
/// run never leaves half a row.
pub(super) struct Sink<W: Write> {
    pub(super) out: W,
    pub(super) records: Records,
    pub(super) json: bool,
}

impl<W: Write> Sink<W> {
    pub(super) fn buf(&mut self) -> &mut Vec<u8> {
        self.records.buf()
    }

    pub(super) fn header(&mut self) {
        let buf = self.buf();
        buf.extend_from_slice(COLUMNS.join(",").as_bytes());
        buf.push(b'\n');
    }

    pub(super) fn commit(&mut self, last: bool) -> Result<()> {
        self.records.commit(&mut self.out, last)
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
    pub(super) num: String,
    pub(super) start: String,
    pub(super) stop: String,
    pub(super) deadline: String,
    pub(super) target: String,
}

impl<W: Write> Replay<'_, '_, W> {
    pub(super) fn error_row(&mut self, t: &Ticket<'_>, e: &str) {
        self.summary.rows += 1;
        let plan = t.plan.map_or(t.plan_typed.as_str(), |p| p.id.as_str());
        if self.sink.json {
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
                self.sink.field(f, i == 0);
            }
            self.sink.buf().push(b'\n');
        }
    }

    pub(super) fn json(&mut self, row: &JsonRow<'_>) {
        // Serializing plain strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(self.sink.buf(), row);
        self.sink.buf().push(b'\n');
    }

    pub(super) fn rows(&mut self, t: &Ticket<'_>, plan: &Plan, a: &TicketAnswer) -> Result<()> {
        use std::fmt::Write as _;
        let disp = self.opts.display.unwrap_or(Display::Zone(plan.calendar.calendar.tz()));
        let priority = a.priority.and_then(|i| plan.priorities.get(i)).map_or("", |p| p.name.as_str());
        for r in &a.rows {
            self.summary.rows += 1;
            match r.state {
                ClockState::Breached => self.summary.breached += 1,
                ClockState::AtRisk => self.summary.at_risk += 1,
                ClockState::Missed => self.summary.missed += 1,
                ClockState::Paused => self.summary.paused += 1,
                _ => {}
            }
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
            if self.sink.json {
                self.json(&row);
            } else {
                self.sink.field(row.id, true);
                self.sink.raw(row.plan);
                self.sink.field(priority, false);
                self.sink.raw(r.metric.as_str());
                let n = &mut text.num;
                let mut num = |sink: &mut Sink<W>, v: Option<i64>| {
                    n.clear();
                    if let Some(v) = v {
                        let _ = write!(n, "{v}");
                    }
                    sink.raw(n);
                };
                num(&mut self.sink, Some(i64::from(r.cycle)));
                self.sink.raw(&text.start);
                self.sink.raw(&text.stop);
                self.sink.raw(&text.target);
                num(&mut self.sink, r.target_seconds);
                self.sink.raw(r.clock.as_str());
                self.sink.raw(&text.deadline);
                num(&mut self.sink, Some(r.elapsed));
                num(&mut self.sink, Some(r.paused));
                num(&mut self.sink, r.remaining);
                self.sink.raw(r.state.as_str());
                self.sink.raw("");
                self.sink.buf().push(b'\n');
            }
            self.text = text;
        }
        Ok(())
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
