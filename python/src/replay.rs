//! `Plans.replay` over Arrow columns: the events' cells go to the library's
//! `replay::run_rows` as they are (no CSV in between), with the GIL
//! released, and its rows come back as Arrow buffers.
//!
//! The answers are those of `slacalc replay` on the table written as CSV
//! (the form `slacalc._columns.table_to_csv` writes), bit for bit: a row's
//! line is its CSV line (row index + 2), a row whose every cell is blank is
//! skipped as a blank line is, and text comes back as replay's CSV output
//! holds it (an empty cell read as null, as `pyarrow.csv` reads it). Three
//! things only the CSV text can tell: a cell holding a line break (lines
//! would shift), a row whose CSV form could near replay's 64 KiB record
//! limit, and a column name holding a line break. A table with any of them
//! is answered by `replay::run` on its CSV form instead (`None` here).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::columns::{I64Col, I64Out, StrCol, StrOut};
use crate::engine::Engine;
use slacalc::replay::{Cycle, EventRow, EventTime, Failed, Output};

/// The CSV form of a row this long (cells' bytes, quotes not counted) may
/// reach replay's record limit (64 KiB): a cell's CSV form is at most twice
/// its bytes and two quotes, and a time at most 40 bytes.
const LONG_ROW: usize = 30_000;

/// The event columns, as the Python half hands them over.
pub struct Events {
    pub n: usize,
    pub id: StrCol,
    /// Timestamps (UTC seconds) or text.
    pub at: At,
    pub event: StrCol,
    pub value: StrCol,
    pub plan: StrCol,
    pub priority: StrCol,
    /// The table's other columns, as text: a row is blank only when these
    /// are blank too.
    pub others: Vec<StrCol>,
}

pub enum At {
    Secs(I64Col),
    Text(StrCol),
}

impl Events {
    /// Reads the arguments of `NativePlans.replay` (see `slacalc.Plans.replay`).
    #[allow(clippy::too_many_arguments)]
    pub fn extract(
        n: usize,
        id: &Bound<'_, PyAny>,
        at_secs: bool,
        at: &Bound<'_, PyAny>,
        event: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        plan: &Bound<'_, PyAny>,
        priority: &Bound<'_, PyAny>,
        others: &Bound<'_, PyAny>,
    ) -> PyResult<Events> {
        let others: Vec<Bound<'_, PyAny>> = others.extract()?;
        Ok(Events {
            n,
            id: StrCol::extract(id, n)?,
            at: if at_secs { At::Secs(I64Col::extract(at, n)?) } else { At::Text(StrCol::extract(at, n)?) },
            event: StrCol::extract(event, n)?,
            value: StrCol::extract(value, n)?,
            plan: StrCol::extract(plan, n)?,
            priority: StrCol::extract(priority, n)?,
            others: others.iter().map(|o| StrCol::extract(o, n)).collect::<PyResult<_>>()?,
        })
    }

    fn texts(&self) -> impl Iterator<Item = &StrCol> {
        let at = match &self.at {
            At::Text(c) => Some(c),
            At::Secs(_) => None,
        };
        [&self.id, &self.event, &self.value, &self.plan, &self.priority].into_iter().chain(at).chain(&self.others)
    }

    /// A cell holds a line break: only the CSV form says which line each
    /// row is then.
    fn has_line_break(&self) -> bool {
        self.texts().any(|c| c.has_byte(b'\n', b'\r'))
    }

    /// Replays the events into `out`; `Ok(false)` when the table needs its
    /// CSV form (see the module's docs).
    fn run(&self, engine: &Engine, now: i64, out: &mut Rows) -> Result<bool, String> {
        if self.has_line_break() {
            return Ok(false);
        }
        let mut long = false;
        let rows = (0..self.n).map_while(|i| {
            let (id, event, value, plan, priority) = (
                cell(&self.id, i),
                cell(&self.event, i),
                cell(&self.value, i),
                cell(&self.plan, i),
                cell(&self.priority, i),
            );
            let at = match &self.at {
                At::Secs(c) => c.get(i).map_or(EventTime::Text(b""), EventTime::Secs),
                At::Text(c) => EventTime::Text(cell(c, i)),
            };
            let mut bytes = id.len() + event.len() + value.len() + plan.len() + priority.len();
            if let EventTime::Text(t) = at {
                bytes += t.len();
            }
            let mut more = false;
            for c in &self.others {
                let b = cell(c, i);
                bytes += b.len();
                more |= !b.iter().all(u8::is_ascii_whitespace);
            }
            if bytes + 2 * self.others.len() > LONG_ROW {
                long = true;
                return None;
            }
            let line = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(2);
            Some(EventRow { line, id, at, event, value, plan, priority, more })
        });
        engine.replay_rows(rows, out, now)?;
        Ok(!long)
    }
}

/// Row `i`'s bytes; empty for a null (as a CSV cell is).
#[inline]
fn cell(c: &StrCol, i: usize) -> &[u8] {
    c.bytes(i).unwrap_or_default()
}

/// Replay's output columns being built (`slacalc.replay::COLUMNS`' order).
pub struct Rows {
    pub len: usize,
    id: StrOut,
    plan: StrOut,
    priority: StrOut,
    metric: StrOut,
    cycle: I64Out,
    start: I64Out,
    stop: I64Out,
    target: StrOut,
    target_seconds: I64Out,
    clock: StrOut,
    deadline: I64Out,
    elapsed: I64Out,
    paused: I64Out,
    remaining: I64Out,
    state: StrOut,
    error: StrOut,
}

/// A text cell as `pyarrow.csv` reads replay's CSV output: empty is null.
fn text(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

impl Rows {
    fn with_capacity(n: usize) -> Rows {
        let s = |w| StrOut::with_capacity(n, w);
        let i = || I64Out::with_capacity(n);
        Rows {
            len: 0,
            id: s(8),
            plan: s(12),
            priority: s(4),
            metric: s(14),
            cycle: i(),
            start: i(),
            stop: i(),
            target: s(3),
            target_seconds: i(),
            clock: s(8),
            deadline: i(),
            elapsed: i(),
            paused: i(),
            remaining: i(),
            state: s(6),
            error: StrOut::with_capacity(n, 0),
        }
    }

    fn strs(&self) -> [(&'static str, &StrOut); 8] {
        [
            ("id", &self.id),
            ("plan", &self.plan),
            ("priority", &self.priority),
            ("metric", &self.metric),
            ("target", &self.target),
            ("clock", &self.clock),
            ("state", &self.state),
            ("error", &self.error),
        ]
    }

    fn ints(&self) -> [(&'static str, &I64Out); 8] {
        [
            ("cycle", &self.cycle),
            ("start", &self.start),
            ("stop", &self.stop),
            ("target_seconds", &self.target_seconds),
            ("deadline", &self.deadline),
            ("elapsed_seconds", &self.elapsed),
            ("paused_seconds", &self.paused),
            ("remaining_seconds", &self.remaining),
        ]
    }
}

impl Output for Rows {
    fn cycle(&mut self, r: &Cycle<'_>) {
        self.len += 1;
        self.id.push(text(r.id));
        self.plan.push(text(r.plan));
        self.priority.push(text(r.priority));
        self.metric.push(Some(r.metric));
        self.cycle.push(Some(i64::from(r.cycle)));
        self.start.push(Some(r.start));
        self.stop.push(r.stop);
        self.target.push(text(r.target));
        self.target_seconds.push(r.target_seconds);
        self.clock.push(Some(r.clock));
        self.deadline.push(r.deadline);
        self.elapsed.push(Some(r.elapsed));
        self.paused.push(Some(r.paused));
        self.remaining.push(r.remaining);
        self.state.push(Some(r.state));
        self.error.push(None);
    }

    fn failed(&mut self, r: &Failed<'_>) {
        self.len += 1;
        self.id.push(text(r.id));
        self.plan.push(text(r.plan));
        self.priority.push(text(r.priority));
        self.error.push(text(r.error));
        for c in [&mut self.metric, &mut self.target, &mut self.clock, &mut self.state] {
            c.push(None);
        }
        for c in [
            &mut self.cycle,
            &mut self.start,
            &mut self.stop,
            &mut self.target_seconds,
            &mut self.deadline,
            &mut self.elapsed,
            &mut self.paused,
            &mut self.remaining,
        ] {
            c.push(None);
        }
    }
}

/// Runs the replay with the GIL released; `None` when the table needs its
/// CSV form (see the module's docs), else (rows, column name → buffers:
/// (validity, offsets, data) for text, (validity, values) for integers and
/// instants).
pub fn replay<'py>(
    py: Python<'py>,
    engine: &Engine,
    events: &Events,
    now: i64,
) -> PyResult<Option<(usize, Bound<'py, PyDict>)>> {
    let answer = py.allow_threads(|| {
        let mut rows = Rows::with_capacity(events.n);
        events.run(engine, now, &mut rows).map(|whole| whole.then_some(rows))
    });
    let Some(rows) = answer.map_err(pyo3::exceptions::PyValueError::new_err)? else {
        return Ok(None);
    };
    let d = PyDict::new(py);
    let bytes = |b: &[u8]| PyBytes::new(py, b);
    for (name, s) in rows.strs() {
        if i32::try_from(s.data.len()).is_err() {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "replay output: more than 2 GiB of text in column {name} (replay fewer events at a time, whole tickets each)"
            )));
        }
        d.set_item(name, (bytes(&s.valid.bits), bytes(&s.offsets), bytes(&s.data)))?;
    }
    for (name, s) in rows.ints() {
        d.set_item(name, (bytes(&s.valid.bits), bytes(&s.values)))?;
    }
    Ok(Some((rows.len, d)))
}
