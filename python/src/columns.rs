//! Arrow columns in and out, without an Arrow crate: the Python half hands
//! over each input column's buffers by address (a pyarrow array it keeps
//! alive for the whole call), or a scalar that broadcasts; outputs are
//! built as Arrow buffers (LSB validity bitmap, little-endian values, i32
//! offsets) for `pyarrow.Array.from_buffers`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashMap;

/// A validity bitmap being built.
#[derive(Default)]
pub struct BitsOut {
    pub bits: Vec<u8>,
    len: usize,
}

impl BitsOut {
    fn with_capacity(n: usize) -> BitsOut {
        BitsOut { bits: Vec::with_capacity(n.div_ceil(8)), len: 0 }
    }

    #[inline]
    fn push(&mut self, valid: bool) {
        let at = self.len % 8;
        if at == 0 {
            self.bits.push(u8::from(valid));
        } else if let Some(last) = self.bits.last_mut() {
            *last |= u8::from(valid) << at;
        }
        self.len += 1;
    }
}

/// An int64 (or timestamp) column being built.
pub struct I64Out {
    pub valid: BitsOut,
    pub values: Vec<u8>,
}

impl I64Out {
    pub fn with_capacity(n: usize) -> I64Out {
        I64Out { valid: BitsOut::with_capacity(n), values: Vec::with_capacity(n * 8) }
    }

    #[inline]
    pub fn push(&mut self, v: Option<i64>) {
        self.valid.push(v.is_some());
        self.values.extend_from_slice(&v.unwrap_or(0).to_le_bytes());
    }
}

/// A string column being built.
pub struct StrOut {
    pub valid: BitsOut,
    pub offsets: Vec<u8>,
    pub data: Vec<u8>,
}

impl StrOut {
    pub fn with_capacity(n: usize, width: usize) -> StrOut {
        let mut offsets = Vec::with_capacity((n + 1) * 4);
        offsets.extend_from_slice(&0i32.to_le_bytes());
        StrOut { valid: BitsOut::with_capacity(n), offsets, data: Vec::with_capacity(n * width) }
    }

    #[inline]
    pub fn push(&mut self, s: Option<&str>) {
        self.valid.push(s.is_some());
        if let Some(s) = s {
            self.data.extend_from_slice(s.as_bytes());
        }
        // More than 2 GiB of text in one column: the offsets would wrap;
        // the Python half splits calls long before (one batch at a time).
        let end = i32::try_from(self.data.len()).unwrap_or(i32::MAX);
        self.offsets.extend_from_slice(&end.to_le_bytes());
    }
}

/// The null rows of a column being built, as a list: a status column has
/// few (a row's error, a stop not given), so a row costs a compare, not a
/// bit written; the Arrow validity bitmap is made once at the end.
#[derive(Default)]
pub struct Nulls {
    rows: Vec<u32>,
    len: u32,
}

impl Nulls {
    #[inline]
    fn push(&mut self, valid: bool) {
        if !valid {
            self.rows.push(self.len);
        }
        // A call has fewer than 2^32 rows (`status` checks).
        self.len = self.len.wrapping_add(1);
    }

    /// The validity bitmap; `None` when no row is null (Arrow's "all valid").
    pub fn bitmap(&self) -> Option<Vec<u8>> {
        if self.rows.is_empty() {
            return None;
        }
        let mut bits = vec![0xFFu8; (self.len as usize).div_ceil(8)];
        for &r in &self.rows {
            bits[r as usize / 8] &= !(1 << (r % 8));
        }
        Some(bits)
    }
}

/// An int64 (or timestamp) column of a status table being built.
pub struct I64Rows {
    pub nulls: Nulls,
    pub values: Vec<u8>,
}

impl I64Rows {
    pub fn with_capacity(n: usize) -> I64Rows {
        I64Rows { nulls: Nulls::default(), values: Vec::with_capacity(n * 8) }
    }

    #[inline]
    pub fn push(&mut self, v: Option<i64>) {
        self.nulls.push(v.is_some());
        self.values.extend_from_slice(&v.unwrap_or(0).to_le_bytes());
    }
}

/// A string column of a few distinct values repeated (names, states),
/// written as a code per row, then spelled out in Rust at the end
/// ([`NameRows::spell`]) as a plain Arrow string column: a handful of
/// bytes copied per row, where pyarrow's `dictionary_decode` of codes cost
/// several times as much (and a dictionary column would reach pandas as a
/// categorical).
pub struct NameRows {
    /// The value of each row; [`NameRows::NULL`] for a null.
    codes: Vec<u32>,
    nulls: usize,
    /// The distinct values, in the order first met.
    values: Vec<Box<str>>,
    known: FxHashMap<Box<str>, u32>,
}

/// A string column as Arrow buffers: (validity bitmap or `None` when no row
/// is null, int32 offsets, UTF-8 data).
pub type StrBuffers = (Option<Vec<u8>>, Vec<u8>, Vec<u8>);

/// Values up to this long are copied as one fixed-size block (a couple of
/// vector moves, no `memcpy` call); the data buffer has this much slack.
const BLOCK: usize = 32;

impl NameRows {
    const NULL: u32 = u32::MAX;

    pub fn with_capacity(n: usize) -> NameRows {
        NameRows { codes: Vec::with_capacity(n), nulls: 0, values: Vec::new(), known: FxHashMap::default() }
    }

    /// The code of `s`, added to the values when new.
    pub fn code(&mut self, s: &str) -> u32 {
        if let Some(&c) = self.known.get(s) {
            return c;
        }
        // At most one value per row, and a call has fewer than 2^32 - 1 rows.
        let c = u32::try_from(self.values.len()).unwrap_or(Self::NULL - 1);
        self.values.push(s.into());
        self.known.insert(s.into(), c);
        c
    }

    #[inline]
    pub fn push_code(&mut self, c: Option<u32>) {
        self.nulls += usize::from(c.is_none());
        self.codes.push(c.unwrap_or(Self::NULL));
    }

    pub fn push(&mut self, s: Option<&str>) {
        let c = s.map(|s| self.code(s));
        self.push_code(c);
    }

    /// The column as Arrow string buffers. More than 2 GiB of text would
    /// wrap the offsets: the Python half hands over a few million rows per
    /// call, and a value is a plan, priority, metric or state name.
    pub fn spell(&self) -> StrBuffers {
        // One value on every row (the metric): the same bytes over and over.
        if let ([v], 0) = (&self.values[..], self.nulls) {
            let n = self.codes.len();
            let offsets = (0..=n).flat_map(|i| i32::try_from(i * v.len()).unwrap_or(i32::MAX).to_le_bytes()).collect();
            return (None, offsets, v.as_bytes().repeat(n));
        }
        // Per value: its length and its first BLOCK bytes.
        let table: Vec<(usize, [u8; BLOCK])> = self
            .values
            .iter()
            .map(|v| {
                let mut b = [0u8; BLOCK];
                let n = v.len().min(BLOCK);
                b[..n].copy_from_slice(&v.as_bytes()[..n]);
                (v.len(), b)
            })
            .collect();
        let len = |c: u32| table.get(c as usize).map_or(0, |&(n, _)| n);
        let total: usize = self.codes.iter().map(|&c| len(c)).sum();
        let mut data = vec![0u8; total + BLOCK];
        let mut offsets = vec![0u8; (self.codes.len() + 1) * 4];
        let mut at = 0;
        for (&c, offset) in self.codes.iter().zip(offsets[4..].chunks_exact_mut(4)) {
            if let Some(&(n, ref block)) = table.get(c as usize) {
                match data.get_mut(at..at + BLOCK) {
                    // `at + n <= total`: the block fits in the slack.
                    Some(d) if n <= BLOCK => d.copy_from_slice(block),
                    _ => data[at..at + n].copy_from_slice(self.values[c as usize].as_bytes()),
                }
                at += n;
            }
            offset.copy_from_slice(&i32::try_from(at).unwrap_or(i32::MAX).to_le_bytes());
        }
        data.truncate(total);
        let valid = (self.nulls > 0).then(|| {
            let mut bits = vec![0u8; self.codes.len().div_ceil(8)];
            for (i, &c) in self.codes.iter().enumerate() {
                bits[i / 8] |= u8::from(c != Self::NULL) << (i % 8);
            }
            bits
        });
        (valid, offsets, data)
    }
}

/// A string column that is null on most rows (a status table's `error`):
/// only its values are kept, with their rows.
#[derive(Default)]
pub struct SparseText {
    /// (row, end of its text in `data`), rows increasing.
    rows: Vec<(u32, usize)>,
    data: Vec<u8>,
}

impl SparseText {
    /// Row `row`'s text (rows given in increasing order).
    pub fn set(&mut self, row: usize, s: &str) {
        self.data.extend_from_slice(s.as_bytes());
        // `status` checks a call has fewer than 2^32 rows.
        self.rows.push((u32::try_from(row).unwrap_or(u32::MAX), self.data.len()));
    }

    /// The column of `n` rows as Arrow string buffers (the rows not set null).
    pub fn spell(self, n: usize) -> StrBuffers {
        let mut bits = vec![0u8; n.div_ceil(8)];
        if self.rows.is_empty() {
            return (Some(bits), vec![0u8; (n + 1) * 4], Vec::new());
        }
        // Offset `i + 1` is the end of the text of the last row set up to `i`.
        let mut ends = vec![0i32; n + 1];
        for (k, &(row, end)) in self.rows.iter().enumerate() {
            let (row, end) = (row as usize, i32::try_from(end).unwrap_or(i32::MAX));
            let until = self.rows.get(k + 1).map_or(n, |&(r, _)| r as usize);
            if let Some(run) = ends.get_mut(row + 1..=until) {
                run.fill(end);
            }
            if let Some(b) = bits.get_mut(row / 8) {
                *b |= 1 << (row % 8);
            }
        }
        let offsets = ends.iter().flat_map(|e| e.to_le_bytes()).collect();
        (Some(bits), offsets, self.data)
    }
}

/// Reads bit `i` of an Arrow validity bitmap.
#[inline]
fn bit(bits: &[u8], i: usize) -> bool {
    bits[i / 8] >> (i % 8) & 1 == 1
}

/// A slice over memory the caller guarantees is alive and immutable for
/// the call: an Arrow buffer of a pyarrow array the Python half holds.
///
/// # Safety
/// `addr` points to at least `len` readable, initialised, aligned `T`s that
/// no one writes while the slice lives.
unsafe fn view<T>(addr: usize, len: usize) -> &'static [T] {
    if len == 0 || addr == 0 {
        return &[];
    }
    // SAFETY: the caller's promise (see above).
    unsafe { std::slice::from_raw_parts(addr as *const T, len) }
}

fn check_aligned<T>(addr: usize, what: &str) -> PyResult<()> {
    if !addr.is_multiple_of(std::mem::align_of::<T>()) {
        return Err(PyValueError::new_err(format!("{what}: buffer at {addr:#x} is not aligned")));
    }
    Ok(())
}

/// An int64 input column (UTC seconds), or one value for every row.
pub enum I64Col {
    Scalar(Option<i64>),
    Array { offset: usize, valid: Option<&'static [u8]>, values: &'static [i64] },
}

impl I64Col {
    /// From `None`, an int, or `(length, offset, validity address or 0,
    /// values address)` of an int64 Arrow array of `n` rows.
    pub fn extract(obj: &Bound<'_, PyAny>, n: usize) -> PyResult<I64Col> {
        if obj.is_none() {
            return Ok(I64Col::Scalar(None));
        }
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(I64Col::Scalar(Some(v)));
        }
        let (len, offset, valid, values): (usize, usize, usize, usize) = obj.extract()?;
        if len != n {
            return Err(PyValueError::new_err(format!("a column has {len} rows, expected {n}")));
        }
        check_aligned::<i64>(values, "int64 column")?;
        // SAFETY: the Python half passes the buffers of a live int64 array
        // of `len` rows from `offset` (`slacalc._columns`).
        unsafe {
            Ok(I64Col::Array {
                offset,
                valid: (valid != 0).then(|| view::<u8>(valid, (offset + len).div_ceil(8))),
                values: view::<i64>(values, offset + len),
            })
        }
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<i64> {
        match self {
            I64Col::Scalar(v) => *v,
            I64Col::Array { offset, valid, values } => {
                let j = offset + i;
                if valid.is_some_and(|b| !bit(b, j)) { None } else { Some(values[j]) }
            }
        }
    }
}

/// The buffers of a UTF-8 Arrow array (int32 offsets).
pub struct StrArray {
    offset: usize,
    valid: Option<&'static [u8]>,
    offsets: &'static [i32],
    data: &'static [u8],
}

impl StrArray {
    /// From `(length, offset, validity address or 0, offsets address, data
    /// address)`; `len` is the array's length.
    fn extract(obj: &Bound<'_, PyAny>) -> PyResult<(usize, StrArray)> {
        let (len, offset, valid, offsets, data): (usize, usize, usize, usize, usize) = obj.extract()?;
        check_aligned::<i32>(offsets, "string column")?;
        // SAFETY: the Python half passes the buffers of a live string array
        // of `len` rows from `offset`; its data holds offsets[offset + len]
        // bytes.
        unsafe {
            let offsets = view::<i32>(offsets, offset + len + 1);
            let end = offsets.last().map_or(0, |&e| usize::try_from(e).unwrap_or(0));
            Ok((
                len,
                StrArray {
                    offset,
                    valid: (valid != 0).then(|| view::<u8>(valid, (offset + len).div_ceil(8))),
                    offsets,
                    data: view::<u8>(data, end),
                },
            ))
        }
    }

    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(self.offset + 1)
    }

    /// Row `i`'s bytes; `None` for a null (or a row out of the array, which
    /// a dictionary index could name).
    #[inline]
    fn bytes(&self, i: usize) -> Option<&[u8]> {
        let j = self.offset + i;
        if self.valid.is_some_and(|b| !bit(b, j)) {
            return None;
        }
        let (a, b) = (*self.offsets.get(j)?, *self.offsets.get(j + 1)?);
        self.data.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
    }
}

/// A string input column, or one value for every row.
pub enum StrCol {
    Scalar(Option<String>),
    Array(StrArray),
    /// Dictionary-encoded (pandas and Polars categoricals, `dictionary_encode`):
    /// int32 indices into a string array, read without decoding.
    Dict {
        offset: usize,
        valid: Option<&'static [u8]>,
        indices: &'static [i32],
        values: StrArray,
    },
}

impl StrCol {
    /// From `None`, a str, `(length, offset, validity address or 0,
    /// offsets address, data address)` of a UTF-8 Arrow array (int32
    /// offsets) of `n` rows, or `(length, offset, validity address or 0,
    /// int32 indices address, dictionary)` of a dictionary array, its
    /// dictionary such a UTF-8 array's tuple.
    pub fn extract(obj: &Bound<'_, PyAny>, n: usize) -> PyResult<StrCol> {
        if obj.is_none() {
            return Ok(StrCol::Scalar(None));
        }
        if let Ok(s) = obj.extract::<String>() {
            return Ok(StrCol::Scalar(Some(s)));
        }
        let len = obj.get_item(0)?.extract::<usize>()?;
        if len != n {
            return Err(PyValueError::new_err(format!("a column has {len} rows, expected {n}")));
        }
        let dict = obj.get_item(4)?;
        if dict.extract::<usize>().is_ok() {
            return Ok(StrCol::Array(StrArray::extract(obj)?.1));
        }
        let (_, offset, valid, indices, _): (usize, usize, usize, usize, Bound<'_, PyAny>) = obj.extract()?;
        check_aligned::<i32>(indices, "dictionary column")?;
        let (_, values) = StrArray::extract(&dict)?;
        // SAFETY: the Python half passes the buffers of a live dictionary
        // array of `len` rows from `offset`, int32 indices (each checked
        // against the dictionary when read).
        unsafe {
            Ok(StrCol::Dict {
                offset,
                valid: (valid != 0).then(|| view::<u8>(valid, (offset + len).div_ceil(8))),
                indices: view::<i32>(indices, offset + len),
                values,
            })
        }
    }

    /// Row `i`'s bytes; `None` for a null. Always inlined: a status row
    /// reads its plan and priority cells through it, and as a call (which
    /// LLVM chose) it cost about 38 instructions each.
    #[inline(always)]
    pub fn bytes(&self, i: usize) -> Option<&[u8]> {
        match self {
            StrCol::Scalar(v) => v.as_deref().map(str::as_bytes),
            StrCol::Array(a) => a.bytes(i),
            StrCol::Dict { offset, valid, indices, values } => {
                let j = offset + i;
                if valid.is_some_and(|b| !bit(b, j)) {
                    return None;
                }
                values.bytes(usize::try_from(indices[j]).ok()?)
            }
        }
    }

    /// How many codes [`StrCol::code`] gives (a scalar's one, a
    /// dictionary's length); `None` for a plain array, which has none.
    pub fn codes(&self) -> Option<usize> {
        match self {
            StrCol::Scalar(_) => Some(1),
            StrCol::Array(_) => None,
            StrCol::Dict { values, .. } => Some(values.len()),
        }
    }

    /// Row `i`'s code: one index per value of the column's dictionary (the
    /// same code, the same string), below [`StrCol::codes`]; `None` for a
    /// null, an index out of the dictionary, or a plain array.
    #[inline]
    pub fn code(&self, i: usize) -> Option<usize> {
        match self {
            StrCol::Scalar(v) => v.as_ref().map(|_| 0),
            StrCol::Array(_) => None,
            StrCol::Dict { offset, valid, indices, values } => {
                let j = offset + i;
                if valid.is_some_and(|b| !bit(b, j)) {
                    return None;
                }
                // A null entry of the dictionary itself gets a code too: its
                // rows then read as nulls when their pair is looked up.
                usize::try_from(indices[j]).ok().filter(|&k| k < values.len())
            }
        }
    }

    /// Row `i`; `None` for a null. Bytes that are not UTF-8 (pyarrow
    /// validates strings, so never) read as a null.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        std::str::from_utf8(self.bytes(i)?).ok()
    }
}

impl StrCol {
    /// Whether any byte of the column's text is `a` or `b`: every row's
    /// bytes, or a dictionary's values (read whole, used by a row or not).
    pub fn has_byte(&self, a: u8, b: u8) -> bool {
        // Without an early exit, which the compiler vectorizes: the whole
        // text is read once per call, and nearly always has neither byte.
        let has = |s: &[u8]| s.iter().fold(false, |found, &c| found | (c == a) | (c == b));
        match self {
            StrCol::Scalar(v) => v.as_deref().is_some_and(|s| has(s.as_bytes())),
            StrCol::Array(x) | StrCol::Dict { values: x, .. } => {
                let at = |j: usize| x.offsets.get(j).and_then(|&o| usize::try_from(o).ok()).unwrap_or(0);
                let (from, to) = (at(x.offset), at(x.offset + x.len()));
                has(x.data.get(from..to).unwrap_or_default())
            }
        }
    }
}
