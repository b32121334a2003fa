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

/// A string column built as int32 codes into a dictionary of its distinct
/// values, which the Python half decodes into a plain string column
/// (pyarrow's `dictionary_decode`): a status table's names and states are a
/// few strings repeated, cheaper to write as a code than as bytes per row.
pub struct DictOut {
    pub valid: BitsOut,
    pub indices: Vec<u8>,
    /// The dictionary: one row per distinct value, in the order first met.
    pub values: StrOut,
    known: FxHashMap<Box<str>, i32>,
}

impl DictOut {
    pub fn with_capacity(n: usize) -> DictOut {
        DictOut {
            valid: BitsOut::with_capacity(n),
            indices: Vec::with_capacity(n * 4),
            values: StrOut::with_capacity(16, 16),
            known: FxHashMap::default(),
        }
    }

    /// The code of `s`, added to the dictionary when new.
    pub fn code(&mut self, s: &str) -> i32 {
        if let Some(&c) = self.known.get(s) {
            return c;
        }
        // At most one value per row, and a call has fewer than 2^31 rows.
        let c = i32::try_from(self.known.len()).unwrap_or(i32::MAX);
        self.values.push(Some(s));
        self.known.insert(s.into(), c);
        c
    }

    /// The rows in the dictionary.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    #[inline]
    pub fn push_code(&mut self, c: Option<i32>) {
        self.valid.push(c.is_some());
        self.indices.extend_from_slice(&c.unwrap_or(0).to_le_bytes());
    }

    pub fn push(&mut self, s: Option<&str>) {
        let c = s.map(|s| self.code(s));
        self.push_code(c);
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

    /// Row `i`'s bytes; `None` for a null.
    #[inline]
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
