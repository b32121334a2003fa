//! `slacalc._native`: the Rust half of the Python package. The Python half
//! (`slacalc/__init__.py`) turns whatever it is given (pyarrow, pandas,
//! Polars, NumPy, scalars) into plain Arrow columns and hands this module
//! their buffers' addresses; this module runs the engine over them with the
//! GIL released, and hands back Arrow buffers (validity bitmap, values,
//! offsets) as `bytes`, which the Python half wraps without a copy.
//!
//! Every call into the slacalc library is in [`engine`].

mod columns;
mod engine;

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rustc_hash::FxHashMap;

use columns::{I64Col, I64Out, StrCol, StrOut};
use engine::{Engine, Metric, Pair};

/// The loaded plans (`slacalc.Plans` wraps it).
#[pyclass(frozen, module = "slacalc._native")]
struct NativePlans {
    engine: Engine,
}

/// The pair cache of one call: (plan, priority) as given → resolved, or
/// the error every such row gets. Bounded like batch's.
struct Pairs<'e> {
    engine: &'e Engine,
    metric: Metric,
    refuse_untracked: bool,
    map: FxHashMap<Box<str>, FxHashMap<Box<str>, Result<Arc<Pair>, Arc<str>>>>,
    pairs: usize,
    /// The last row's names and pair: consecutive rows often repeat them.
    last: Option<(Box<str>, Option<Box<str>>, Result<Arc<Pair>, Arc<str>>)>,
}

const MAX_CACHED_PAIRS: usize = 4096;

impl<'e> Pairs<'e> {
    fn new(engine: &'e Engine, metric: Metric, refuse_untracked: bool) -> Pairs<'e> {
        Pairs { engine, metric, refuse_untracked, map: FxHashMap::default(), pairs: 0, last: None }
    }

    /// Looked up by `&str`, allocating nothing but on a miss (a null
    /// priority and an empty one are both "not given").
    fn get(&mut self, plan: &str, priority: Option<&str>) -> Result<Arc<Pair>, Arc<str>> {
        let q = priority.unwrap_or("");
        if let Some(c) = self.map.get(plan).and_then(|m| m.get(q)) {
            return c.clone();
        }
        if self.pairs >= MAX_CACHED_PAIRS {
            self.map.clear();
            self.pairs = 0;
        }
        let r = self.engine.pair(plan, priority, self.metric, self.refuse_untracked).map_err(Arc::from);
        self.map.entry(plan.into()).or_default().insert(q.into(), r.clone());
        self.pairs += 1;
        r
    }

    /// The pair of row `i`: the last one again when the row's strings are
    /// the same bytes as the last row's (sorted or constant columns).
    fn row(&mut self, plan: &StrCol, priority: &StrCol, i: usize) -> Option<Result<Arc<Pair>, Arc<str>>> {
        let p = plan.get(i)?;
        let q = priority.get(i);
        if let Some((lp, lq, r)) = &self.last
            && **lp == *p
            && lq.as_deref() == q
        {
            return Some(r.clone());
        }
        let r = self.get(p, q);
        self.last = Some((p.into(), q.map(Box::from), r.clone()));
        Some(r)
    }
}

#[pymethods]
impl NativePlans {
    #[new]
    #[pyo3(signature = (paths=Vec::new()))]
    fn new(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<NativePlans> {
        let engine = py.allow_threads(|| Engine::load(&paths)).map_err(pyo3::exceptions::PyValueError::new_err)?;
        Ok(NativePlans { engine })
    }

    /// Deadlines: returns (validity bitmap, int64 values) of `n` rows, or
    /// raises `ValueError` naming the first bad row (`errors="raise"`).
    #[pyo3(signature = (n, plan, priority, opened, metric, raise_errors))]
    fn deadline<'py>(
        &self,
        py: Python<'py>,
        n: usize,
        plan: &Bound<'py, PyAny>,
        priority: &Bound<'py, PyAny>,
        opened: &Bound<'py, PyAny>,
        metric: &str,
        raise_errors: bool,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let metric = Metric::parse(metric).map_err(pyo3::exceptions::PyValueError::new_err)?;
        let (plan, priority, opened) =
            (StrCol::extract(plan, n)?, StrCol::extract(priority, n)?, I64Col::extract(opened, n)?);
        let engine = &self.engine;
        let answer = py.allow_threads(|| -> Result<I64Out, String> {
            let mut out = I64Out::with_capacity(n);
            let mut pairs = Pairs::new(engine, metric, true);
            for i in 0..n {
                let (Some(pair), Some(t)) = (pairs.row(&plan, &priority, i), opened.get(i)) else {
                    out.push(None);
                    continue;
                };
                let d = pair.map_err(|e| e.to_string()).and_then(|p| Engine::deadline(&p, t));
                match d {
                    Ok(d) => out.push(d),
                    Err(e) if raise_errors => return Err(format!("row {i}: {e}")),
                    Err(_) => out.push(None),
                }
            }
            Ok(out)
        });
        let out = answer.map_err(pyo3::exceptions::PyValueError::new_err)?;
        Ok((PyBytes::new(py, &out.valid.bits), PyBytes::new(py, &out.values)))
    }

    /// Status rows: a dict of column name → buffers (see `slacalc.Plans.status`).
    #[pyo3(signature = (n, plan, priority, opened, now, stop, metric))]
    #[allow(clippy::too_many_arguments)]
    fn status<'py>(
        &self,
        py: Python<'py>,
        n: usize,
        plan: &Bound<'py, PyAny>,
        priority: &Bound<'py, PyAny>,
        opened: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        stop: &Bound<'py, PyAny>,
        metric: &str,
    ) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let metric = Metric::parse(metric).map_err(pyo3::exceptions::PyValueError::new_err)?;
        let (plan, priority) = (StrCol::extract(plan, n)?, StrCol::extract(priority, n)?);
        let (opened, now, stop) = (I64Col::extract(opened, n)?, I64Col::extract(now, n)?, I64Col::extract(stop, n)?);
        let engine = &self.engine;
        let cols = py.allow_threads(|| {
            let mut c = StatusCols::with_capacity(n);
            let mut pairs = Pairs::new(engine, metric, false);
            for i in 0..n {
                let (Some(pair), Some(o), Some(t)) = (pairs.row(&plan, &priority, i), opened.get(i), now.get(i)) else {
                    c.null_row();
                    continue;
                };
                let pair = match pair {
                    Ok(p) => p,
                    Err(e) => {
                        // As batch prints a row it could not resolve: the
                        // names as given.
                        c.error_row(plan.get(i), given(priority.get(i)), metric, o, stop.get(i), &e);
                        continue;
                    }
                };
                // A plan that needs no priority prints the priority as given.
                let shown = pair.priority.as_deref().or(given(priority.get(i)));
                match Engine::status(&pair, metric, o, stop.get(i), t) {
                    Ok(s) => c.row(&pair.plan_id, shown, metric, &s),
                    Err(e) => c.error_row(Some(&pair.plan_id), shown, metric, o, stop.get(i), &e),
                }
            }
            c
        });
        let d = pyo3::types::PyDict::new(py);
        let bytes = |b: &[u8]| PyBytes::new(py, b);
        let strs = |s: &StrOut| (bytes(&s.valid.bits), bytes(&s.offsets), bytes(&s.data));
        let ints = |s: &I64Out| (bytes(&s.valid.bits), bytes(&s.values));
        d.set_item("plan", strs(&cols.plan))?;
        d.set_item("priority", strs(&cols.priority))?;
        d.set_item("metric", strs(&cols.metric))?;
        d.set_item("opened", ints(&cols.opened))?;
        d.set_item("deadline", ints(&cols.deadline))?;
        d.set_item(metric.stop_column(), ints(&cols.stop))?;
        d.set_item("state", strs(&cols.state))?;
        d.set_item("elapsed_seconds", ints(&cols.elapsed))?;
        d.set_item("remaining_seconds", ints(&cols.remaining))?;
        d.set_item("error", strs(&cols.error))?;
        Ok(d)
    }

    /// `replay` on CSV bytes: its CSV output (instants in UTC).
    fn replay_csv<'py>(&self, py: Python<'py>, events: &[u8], now: i64) -> PyResult<Bound<'py, PyBytes>> {
        let engine = &self.engine;
        let out =
            py.allow_threads(|| engine.replay_csv(events, now)).map_err(pyo3::exceptions::PyValueError::new_err)?;
        Ok(PyBytes::new(py, &out))
    }

    /// `report` on CSV bytes: (key names, CSV output).
    #[pyo3(signature = (rows, by, tz=None))]
    fn report_csv(&self, py: Python<'_>, rows: &[u8], by: &str, tz: Option<&str>) -> PyResult<(Vec<String>, String)> {
        let engine = &self.engine;
        py.allow_threads(|| engine.report_csv(rows, by, tz)).map_err(pyo3::exceptions::PyValueError::new_err)
    }
}

/// A name as given, `None` when empty (batch prints an empty cell).
fn given(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// The status output columns being built.
struct StatusCols {
    plan: StrOut,
    priority: StrOut,
    metric: StrOut,
    opened: I64Out,
    deadline: I64Out,
    stop: I64Out,
    state: StrOut,
    elapsed: I64Out,
    remaining: I64Out,
    error: StrOut,
}

impl StatusCols {
    fn with_capacity(n: usize) -> StatusCols {
        StatusCols {
            plan: StrOut::with_capacity(n, 16),
            priority: StrOut::with_capacity(n, 4),
            metric: StrOut::with_capacity(n, 14),
            opened: I64Out::with_capacity(n),
            deadline: I64Out::with_capacity(n),
            stop: I64Out::with_capacity(n),
            state: StrOut::with_capacity(n, 8),
            elapsed: I64Out::with_capacity(n),
            remaining: I64Out::with_capacity(n),
            error: StrOut::with_capacity(n, 0),
        }
    }

    fn null_row(&mut self) {
        for s in [&mut self.plan, &mut self.priority, &mut self.metric, &mut self.state, &mut self.error] {
            s.push(None);
        }
        for c in [&mut self.opened, &mut self.deadline, &mut self.stop, &mut self.elapsed, &mut self.remaining] {
            c.push(None);
        }
    }

    fn row(&mut self, plan: &str, priority: Option<&str>, metric: Metric, s: &engine::StatusRow) {
        self.plan.push(Some(plan));
        self.priority.push(priority);
        self.metric.push(Some(metric.name()));
        self.opened.push(Some(s.opened));
        self.deadline.push(s.deadline);
        self.stop.push(s.stop);
        self.state.push(Some(engine::STATES[usize::from(s.state)]));
        self.elapsed.push(Some(s.elapsed));
        self.remaining.push(s.remaining);
        self.error.push(None);
    }

    /// A row that could not be answered: as batch prints it, its times as
    /// given, its message in `error`.
    #[allow(clippy::too_many_arguments)]
    fn error_row(
        &mut self,
        plan: Option<&str>,
        priority: Option<&str>,
        metric: Metric,
        opened: i64,
        stop: Option<i64>,
        e: &str,
    ) {
        self.plan.push(plan);
        self.priority.push(priority);
        self.metric.push(Some(metric.name()));
        self.opened.push(Some(opened));
        self.stop.push(stop);
        for c in [&mut self.deadline, &mut self.elapsed, &mut self.remaining] {
            c.push(None);
        }
        self.state.push(None);
        self.error.push(Some(e));
    }
}

/// Timestamps (int64 UTC seconds, see `I64Col`) as RFC 3339 strings in
/// UTC, as the library prints them: (validity, offsets, data).
#[pyfunction]
fn format_utc<'py>(py: Python<'py>, n: usize, col: &Bound<'py, PyAny>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
    let col = I64Col::extract(col, n)?;
    let out = py.allow_threads(|| {
        let mut out = StrOut::with_capacity(n, 20);
        let mut buf = Vec::with_capacity(32);
        for i in 0..n {
            match col.get(i) {
                Some(t) => {
                    buf.clear();
                    engine::write_utc(&mut buf, t);
                    out.push(std::str::from_utf8(&buf).ok());
                }
                None => out.push(None),
            }
        }
        out
    });
    pyo3::types::PyTuple::new(
        py,
        [PyBytes::new(py, &out.valid.bits), PyBytes::new(py, &out.offsets), PyBytes::new(py, &out.data)],
    )
}

/// The replay output columns, in order.
#[pyfunction]
fn replay_columns() -> Vec<&'static str> {
    Engine::replay_columns().to_vec()
}

/// The report's figure columns, after the keys.
#[pyfunction]
fn report_fields() -> Vec<&'static str> {
    Engine::report_fields().to_vec()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativePlans>()?;
    m.add_function(wrap_pyfunction!(replay_columns, m)?)?;
    m.add_function(wrap_pyfunction!(format_utc, m)?)?;
    m.add_function(wrap_pyfunction!(report_fields, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
