//! Output records written whole: `batch` and `replay` gather finished
//! records in a buffer and write it out only at a record's end, so an
//! interrupted run (a full disk, `| head`, Ctrl-C) never leaves half a
//! record that a later reader would take for data.

use std::cell::RefCell;
use std::io::Write;

use crate::error::{Error, Result};

/// Bytes of whole records gathered before one write.
pub(crate) const SINK_BYTES: usize = 1 << 16;

/// The buffer of finished output records. A `RefCell` because `csv::Writer`
/// (batch's header and row writer) lends its inner writer out only by shared
/// reference; [`Records::buf`] takes it without a borrow check.
#[derive(Debug)]
pub(crate) struct Records(RefCell<Vec<u8>>);

impl Default for Records {
    fn default() -> Records {
        Records(RefCell::new(Vec::with_capacity(SINK_BYTES + 4096)))
    }
}

impl Records {
    /// The buffer, to append records to.
    pub(crate) fn buf(&mut self) -> &mut Vec<u8> {
        self.0.get_mut()
    }

    /// The buffer, through a shared reference (see the type's docs).
    pub(crate) fn borrow_mut(&self) -> std::cell::RefMut<'_, Vec<u8>> {
        self.0.borrow_mut()
    }

    /// Writes the records to `out` once they fill [`SINK_BYTES`] (or at the
    /// end, with `last`, then flushes `out`).
    ///
    /// # Errors
    /// [`Error::Write`].
    pub(crate) fn commit(&self, out: &mut impl Write, last: bool) -> Result<()> {
        let mut buf = self.0.borrow_mut();
        if buf.len() >= SINK_BYTES || last {
            out.write_all(&buf).map_err(Error::Write)?;
            buf.clear();
        }
        drop(buf);
        if last {
            out.flush().map_err(Error::Write)?;
        }
        Ok(())
    }
}

impl Write for Records {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.get_mut().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Records made in chunks (batch's `--jobs`) written at the points where
/// [`Records::commit`] writes them for one job: the end of the first record
/// that brings the bytes not yet written to [`SINK_BYTES`]. The same bytes
/// are then on stdout whenever a run stops, as with one job. Output records
/// end with their only raw newline (fields are escaped, JSON strings too);
/// the header, which may quote a newline of a column name, is never a point
/// of its own.
#[derive(Debug)]
pub(crate) struct Spill {
    buf: Vec<u8>,
    /// Bytes at the start of `buf` that hold no write point (the header).
    head: usize,
}

impl Spill {
    /// A spill whose output so far is `head` (the header).
    pub(crate) fn new(head: Vec<u8>) -> Spill {
        let head_len = head.len();
        let mut buf = head;
        buf.reserve(2 * SINK_BYTES);
        Spill { buf, head: head_len }
    }

    /// Takes a chunk's records and writes what one job would have.
    ///
    /// # Errors
    /// [`Error::Write`].
    pub(crate) fn push(&mut self, records: &[u8], out: &mut impl Write) -> Result<()> {
        self.buf.extend_from_slice(records);
        let mut start = 0;
        while self.buf.len() - start >= SINK_BYTES {
            let from = (start + SINK_BYTES - 1).max(self.head);
            let Some(i) = memchr::memchr(b'\n', &self.buf[from..]) else { break };
            let end = from + i + 1;
            out.write_all(&self.buf[start..end]).map_err(Error::Write)?;
            start = end;
            self.head = 0;
        }
        self.buf.drain(..start);
        self.head = self.head.saturating_sub(start);
        Ok(())
    }

    /// At the end of the input: the rest, then a flush.
    ///
    /// # Errors
    /// [`Error::Write`].
    pub(crate) fn finish(self, out: &mut impl Write) -> Result<()> {
        out.write_all(&self.buf).map_err(Error::Write)?;
        out.flush().map_err(Error::Write)
    }
}
