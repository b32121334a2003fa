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
mod replay;

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rustc_hash::FxHashMap;

use columns::{I64Col, I64Out, I64Rows, NameRows, SparseText, StrBuffers, StrCol, StrOut};
use engine::{Engine, Metric, Pair};

/// The loaded plans (`slacalc.Plans` wraps it).
#[pyclass(frozen, module = "slacalc._native")]
struct NativePlans {
    engine: Engine,
}

/// The pairs of one call: each distinct (plan, priority) as given is
/// resolved once (or gets the error every such row gets), and a row finds
/// its pair by the bytes of its two cells, without allocating or checking
/// UTF-8 again. One entry per distinct pair of the call, so at most one per
/// row: memory stays proportional to the batch (the Python half hands over
/// at most `_CHUNK` rows per call), and an entry's index never changes.
struct Pairs<'e, 'a> {
    engine: &'e Engine,
    metric: Metric,
    refuse_untracked: bool,
    /// (plan, priority) bytes → index in `entries`; the keys borrow the
    /// input columns, alive for the whole call.
    index: FxHashMap<Key<'a>, u32>,
    entries: Vec<Result<Pair, String>>,
    /// The last row's cells and entry: sorted or constant columns repeat them.
    last: Option<(&'a [u8], &'a [u8], u32)>,
    /// With dictionary-encoded (or scalar) plan and priority columns: the
    /// entry of each (plan code, priority code or null) as `plan code ×
    /// (priority codes + 1) + priority code`, [`UNSET`] until a row names
    /// it. A row then finds its pair by two indices, not by its strings.
    table: Vec<u32>,
    /// The priority codes + 1 (the last slot of a plan: a null priority).
    stride: usize,
}

const UNSET: u32 = u32::MAX;

/// A row's (plan, priority) cells as a key of [`Pairs`]'s index, hashed and
/// compared by a few word loads ([`same`], [`fingerprint`]): a pair is
/// looked up on every row of plain string columns, where the byte-wise
/// hasher and four `memcmp` calls cost about 90 instructions a row, half
/// the look-up.
#[derive(Clone, Copy)]
struct Key<'a>(&'a [u8], &'a [u8]);

impl PartialEq for Key<'_> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        same(self.0, other.0) && same(self.1, other.1)
    }
}

impl Eq for Key<'_> {}

impl std::hash::Hash for Key<'_> {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(fingerprint(self.0).rotate_left(32) ^ fingerprint(self.1));
    }
}

/// The little-endian word of the `N` bytes of `s` at `at` (0 past its end).
#[inline]
fn word<const N: usize>(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(b) = s.get(at..at + N) {
        w[..N].copy_from_slice(b);
    }
    u64::from_le_bytes(w)
}

/// `a == b`, by at most four word loads for names up to 16 bytes (two
/// overlapping loads cover every byte), by `memcmp` beyond.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    n == b.len()
        && match n {
            0..4 => a.iter().zip(b).all(|(x, y)| x == y),
            4..8 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
            8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
            _ => a == b,
        }
}

/// A hash of `s` from its length and its first and last bytes (at most 16
/// of them): names that share those only share a hash slot.
#[inline]
fn fingerprint(s: &[u8]) -> u64 {
    let n = s.len();
    let (first, last) = match n {
        0..4 => (s.iter().fold(0u64, |h, &b| h << 8 | u64::from(b)), 0),
        4..8 => (word::<4>(s, 0), word::<4>(s, n - 4)),
        _ => (word::<8>(s, 0), word::<8>(s, n - 8)),
    };
    (first ^ last.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n as u64
}

/// The largest pair table (cells): dictionaries beyond it are read by
/// their strings.
const MAX_TABLE: usize = 1 << 16;

impl<'e, 'a> Pairs<'e, 'a> {
    fn new(
        engine: &'e Engine,
        metric: Metric,
        refuse_untracked: bool,
        plan: &StrCol,
        priority: &StrCol,
    ) -> Pairs<'e, 'a> {
        let (table, stride) = match (plan.codes(), priority.codes()) {
            (Some(np), Some(nq)) if np.saturating_mul(nq + 1) <= MAX_TABLE => (vec![UNSET; np * (nq + 1)], nq + 1),
            _ => (Vec::new(), 0),
        };
        Pairs {
            engine,
            metric,
            refuse_untracked,
            index: FxHashMap::default(),
            entries: Vec::new(),
            last: None,
            table,
            stride,
        }
    }

    /// The entry of row `i` (an index for [`Pairs::entry`]); `None` when its
    /// plan is null. A null priority and an empty one are both "not given".
    #[inline]
    fn row(&mut self, plan: &'a StrCol, priority: &'a StrCol, i: usize) -> Option<u32> {
        if !self.table.is_empty() {
            let slot = plan.code(i)? * self.stride + priority.code(i).unwrap_or(self.stride - 1);
            return match self.table[slot] {
                UNSET => {
                    let k = self.by_names(plan, priority, i)?;
                    self.table[slot] = k;
                    Some(k)
                }
                k => Some(k),
            };
        }
        self.by_names(plan, priority, i)
    }

    /// Row `i`'s entry found by its strings.
    #[inline]
    fn by_names(&mut self, plan: &'a StrCol, priority: &'a StrCol, i: usize) -> Option<u32> {
        let p = plan.bytes(i)?;
        let q = priority.bytes(i).unwrap_or_default();
        if let Some((lp, lq, k)) = self.last
            && same(lp, p)
            && same(lq, q)
        {
            return Some(k);
        }
        let k = match self.index.get(&Key(p, q)) {
            Some(&k) => k,
            None => self.resolve(p, q)?,
        };
        self.last = Some((p, q, k));
        Some(k)
    }

    /// Resolves a pair not seen yet; `None` for names that are not UTF-8
    /// (read as nulls: pyarrow validates strings, so never).
    #[cold]
    fn resolve(&mut self, p: &'a [u8], q: &'a [u8]) -> Option<u32> {
        let (plan, priority) = (std::str::from_utf8(p).ok()?, std::str::from_utf8(q).ok()?);
        let r = self.engine.pair(plan, (!priority.is_empty()).then_some(priority), self.metric, self.refuse_untracked);
        let k = u32::try_from(self.entries.len()).ok()?;
        self.entries.push(r);
        self.index.insert(Key(p, q), k);
        Some(k)
    }

    #[inline]
    fn entry(&self, k: u32) -> &Result<Pair, String> {
        &self.entries[k as usize]
    }

    /// The entry, to answer a status row with (its run keeps a cursor).
    #[inline]
    fn entry_mut(&mut self, k: u32) -> &mut Result<Pair, String> {
        &mut self.entries[k as usize]
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
    /// `pauses` (batch's `pauses` cells) read `now` as `now`.
    #[pyo3(signature = (n, plan, priority, opened, metric, raise_errors, pauses, now))]
    #[allow(clippy::too_many_arguments)]
    fn deadline<'py>(
        &self,
        py: Python<'py>,
        n: usize,
        plan: &Bound<'py, PyAny>,
        priority: &Bound<'py, PyAny>,
        opened: &Bound<'py, PyAny>,
        metric: &str,
        raise_errors: bool,
        pauses: &Bound<'py, PyAny>,
        now: i64,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let metric = Metric::parse(metric).map_err(pyo3::exceptions::PyValueError::new_err)?;
        let (plan, priority, opened) =
            (StrCol::extract(plan, n)?, StrCol::extract(priority, n)?, I64Col::extract(opened, n)?);
        let pauses = StrCol::extract(pauses, n)?;
        let engine = &self.engine;
        let answer = py.allow_threads(|| -> Result<I64Out, String> {
            let mut out = I64Out::with_capacity(n);
            let mut pairs = Pairs::new(engine, metric, true, &plan, &priority);
            for i in 0..n {
                let (Some(k), Some(t)) = (pairs.row(&plan, &priority, i), opened.get(i)) else {
                    out.push(None);
                    continue;
                };
                let d = match pairs.entry(k) {
                    Ok(p) => Engine::deadline(p, t, pauses.get(i), now),
                    Err(e) => Err(e.clone()),
                };
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
    #[pyo3(signature = (n, plan, priority, opened, now, stop, metric, pauses))]
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
        pauses: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let metric = Metric::parse(metric).map_err(pyo3::exceptions::PyValueError::new_err)?;
        if u32::try_from(n).is_err() {
            return Err(pyo3::exceptions::PyValueError::new_err(format!("{n} rows in one call: at most 2^32 - 1")));
        }
        let (plan, priority, pauses) =
            (StrCol::extract(plan, n)?, StrCol::extract(priority, n)?, StrCol::extract(pauses, n)?);
        let (opened, now, stop) = (I64Col::extract(opened, n)?, I64Col::extract(now, n)?, I64Col::extract(stop, n)?);
        let engine = &self.engine;
        let cols = py.allow_threads(|| {
            let mut c = StatusCols::with_capacity(n, metric);
            let mut pairs = Pairs::new(engine, metric, false, &plan, &priority);
            for i in 0..n {
                let (Some(k), Some(o), Some(t)) = (pairs.row(&plan, &priority, i), opened.get(i), now.get(i)) else {
                    c.null_row();
                    continue;
                };
                let pair = match pairs.entry_mut(k) {
                    Ok(p) => p,
                    Err(e) => {
                        // As batch prints a row it could not resolve: the
                        // names as given.
                        c.error_row(i, plan.get(i), given(priority.get(i)), o, stop.get(i), e);
                        continue;
                    }
                };
                match Engine::status(pair, metric, o, stop.get(i), t, pauses.get(i)) {
                    // A plan that needs no priority prints the priority as given.
                    Ok(s) => c.row(k, pair, || given(priority.get(i)), &s),
                    Err(e) => {
                        let shown = pair.priority.as_deref().or_else(|| given(priority.get(i)));
                        c.error_row(i, Some(&pair.plan_id), shown, o, stop.get(i), &e);
                    }
                }
            }
            c.spell(n)
        });
        let d = pyo3::types::PyDict::new(py);
        let bytes = |b: &[u8]| PyBytes::new(py, b);
        let valid = |b: &Option<Vec<u8>>| b.as_deref().map(bytes);
        let strs = |s: &StrBuffers| (valid(&s.0), bytes(&s.1), bytes(&s.2));
        let ints = |s: &(Option<Vec<u8>>, Vec<u8>)| (valid(&s.0), bytes(&s.1));
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

    /// Where replay's input columns are among `names` (id, at, event,
    /// value, plan, priority), or `ValueError` as the CLI says of such a header.
    #[staticmethod]
    #[allow(clippy::type_complexity)]
    fn replay_columns_of(
        names: Vec<String>,
    ) -> PyResult<(usize, usize, usize, Option<usize>, Option<usize>, Option<usize>)> {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Engine::replay_columns_of(&names).map_err(pyo3::exceptions::PyValueError::new_err)
    }

    /// `replay` on the table's columns (see `replay.rs`): (rows, column
    /// name → buffers), or `None` when the table must go as CSV.
    #[pyo3(signature = (n, id, at_secs, at, event, value, plan, priority, others, now))]
    #[allow(clippy::too_many_arguments)]
    fn replay<'py>(
        &self,
        py: Python<'py>,
        n: usize,
        id: &Bound<'py, PyAny>,
        at_secs: bool,
        at: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        value: &Bound<'py, PyAny>,
        plan: &Bound<'py, PyAny>,
        priority: &Bound<'py, PyAny>,
        others: &Bound<'py, PyAny>,
        now: i64,
    ) -> PyResult<Option<(usize, Bound<'py, pyo3::types::PyDict>)>> {
        let events = replay::Events::extract(n, id, at_secs, at, event, value, plan, priority, others)?;
        replay::replay(py, &self.engine, &events, now)
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
    plan: NameRows,
    priority: NameRows,
    metric: NameRows,
    opened: I64Rows,
    deadline: I64Rows,
    stop: I64Rows,
    state: NameRows,
    elapsed: I64Rows,
    remaining: I64Rows,
    error: SparseText,
    /// Per pair entry: its plan's and priority's codes, once written.
    names: Vec<Option<(u32, Option<u32>)>>,
}

/// The status columns as Arrow buffers (see [`StatusCols::spell`]).
struct StatusBuffers {
    plan: StrBuffers,
    priority: StrBuffers,
    metric: StrBuffers,
    opened: (Option<Vec<u8>>, Vec<u8>),
    deadline: (Option<Vec<u8>>, Vec<u8>),
    stop: (Option<Vec<u8>>, Vec<u8>),
    state: StrBuffers,
    elapsed: (Option<Vec<u8>>, Vec<u8>),
    remaining: (Option<Vec<u8>>, Vec<u8>),
    error: StrBuffers,
}

impl StatusCols {
    fn with_capacity(n: usize, metric: Metric) -> StatusCols {
        let mut c = StatusCols {
            plan: NameRows::with_capacity(n),
            priority: NameRows::with_capacity(n),
            metric: NameRows::with_capacity(n),
            opened: I64Rows::with_capacity(n),
            deadline: I64Rows::with_capacity(n),
            stop: I64Rows::with_capacity(n),
            state: NameRows::with_capacity(n),
            elapsed: I64Rows::with_capacity(n),
            remaining: I64Rows::with_capacity(n),
            error: SparseText::default(),
            names: Vec::new(),
        };
        // Code 0 of `metric`; a state's code is its index in STATES.
        c.metric.code(metric.name());
        for s in engine::STATES {
            c.state.code(s);
        }
        c
    }

    fn null_row(&mut self) {
        for s in [&mut self.plan, &mut self.priority, &mut self.metric, &mut self.state] {
            s.push_code(None);
        }
        for c in [&mut self.opened, &mut self.deadline, &mut self.stop, &mut self.elapsed, &mut self.remaining] {
            c.push(None);
        }
    }

    /// An answered row of pair entry `k`; `given` is the row's priority as
    /// given, printed when the plan needs none.
    #[inline]
    fn row<'g>(&mut self, k: u32, pair: &Pair, given: impl FnOnce() -> Option<&'g str>, s: &engine::StatusRow) {
        let k = k as usize;
        if self.names.len() <= k {
            self.names.resize(k + 1, None);
        }
        let (plan, priority) = match self.names[k] {
            Some(names) => names,
            None => {
                let names = (self.plan.code(&pair.plan_id), pair.priority.as_deref().map(|q| self.priority.code(q)));
                self.names[k] = Some(names);
                names
            }
        };
        let priority = priority.or_else(|| given().map(|q| self.priority.code(q)));
        self.plan.push_code(Some(plan));
        self.priority.push_code(priority);
        self.metric.push_code(Some(0));
        self.opened.push(Some(s.opened));
        self.deadline.push(s.deadline);
        self.stop.push(s.stop);
        self.state.push_code(Some(u32::from(s.state)));
        self.elapsed.push(Some(s.elapsed));
        self.remaining.push(s.remaining);
    }

    /// Row `i`, which could not be answered: as batch prints it, its times
    /// as given, its message in `error`.
    fn error_row(
        &mut self,
        i: usize,
        plan: Option<&str>,
        priority: Option<&str>,
        opened: i64,
        stop: Option<i64>,
        e: &str,
    ) {
        self.plan.push(plan);
        self.priority.push(priority);
        self.metric.push_code(Some(0));
        self.opened.push(Some(opened));
        self.stop.push(stop);
        for c in [&mut self.deadline, &mut self.elapsed, &mut self.remaining] {
            c.push(None);
        }
        self.state.push_code(None);
        self.error.set(i, e);
    }

    /// The columns of `n` rows as Arrow buffers.
    fn spell(self, n: usize) -> StatusBuffers {
        let ints = |c: I64Rows| (c.nulls.bitmap(), c.values);
        StatusBuffers {
            plan: self.plan.spell(),
            priority: self.priority.spell(),
            metric: self.metric.spell(),
            opened: ints(self.opened),
            deadline: ints(self.deadline),
            stop: ints(self.stop),
            state: self.state.spell(),
            elapsed: ints(self.elapsed),
            remaining: ints(self.remaining),
            error: self.error.spell(n),
        }
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
