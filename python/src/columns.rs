//! Arrow columns in and out, without an Arrow crate: the Python half hands
//! over each input column's buffers by address (a pyarrow array it keeps
//! alive for the whole call), or a scalar that broadcasts; outputs are
//! built as Arrow buffers (LSB validity bitmap, little-endian values, i32
//! offsets) for `pyarrow.Array.from_buffers`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

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
        if self.len % 8 == 0 {
            self.bits.push(0);
        }
        if valid {
            if let Some(last) = self.bits.last_mut() {
                *last |= 1 << (self.len % 8);
            }
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
    if addr % std::mem::align_of::<T>() != 0 {
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

/// A string input column, or one value for every row.
pub enum StrCol {
    Scalar(Option<String>),
    Array { offset: usize, valid: Option<&'static [u8]>, offsets: &'static [i32], data: &'static [u8] },
}

impl StrCol {
    /// From `None`, a str, or `(length, offset, validity address or 0,
    /// offsets address, data address)` of a UTF-8 Arrow array (int32
    /// offsets) of `n` rows.
    pub fn extract(obj: &Bound<'_, PyAny>, n: usize) -> PyResult<StrCol> {
        if obj.is_none() {
            return Ok(StrCol::Scalar(None));
        }
        if let Ok(s) = obj.extract::<String>() {
            return Ok(StrCol::Scalar(Some(s)));
        }
        let (len, offset, valid, offsets, data): (usize, usize, usize, usize, usize) = obj.extract()?;
        if len != n {
            return Err(PyValueError::new_err(format!("a column has {len} rows, expected {n}")));
        }
        check_aligned::<i32>(offsets, "string column")?;
        // SAFETY: the Python half passes the buffers of a live string array
        // of `len` rows from `offset`; its data holds offsets[offset + len]
        // bytes.
        unsafe {
            let offsets = view::<i32>(offsets, offset + len + 1);
            let end = offsets.last().map_or(0, |&e| usize::try_from(e).unwrap_or(0));
            Ok(StrCol::Array {
                offset,
                valid: (valid != 0).then(|| view::<u8>(valid, (offset + len).div_ceil(8))),
                offsets,
                data: view::<u8>(data, end),
            })
        }
    }

    /// Row `i`; `None` for a null. Bytes that are not UTF-8 (pyarrow
    /// validates strings, so never) read as a null.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        match self {
            StrCol::Scalar(v) => v.as_deref(),
            StrCol::Array { offset, valid, offsets, data } => {
                let j = offset + i;
                if valid.is_some_and(|b| !bit(b, j)) {
                    return None;
                }
                let (a, b) = (offsets[j] as usize, offsets[j + 1] as usize);
                std::str::from_utf8(&data[a..b]).ok()
            }
        }
    }
}
