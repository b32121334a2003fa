//! JSON Lines read one bounded line at a time, for `replay` (events) and
//! `report` (batch and replay output).

use std::io::BufRead;

use super::{BOM, MAX_RECORD_BYTES};
use crate::error::{Error, Result};

/// A line read by [`JsonLines::read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JsonLine {
    /// The physical line, 1-based.
    pub line: u64,
    /// The line is longer than [`MAX_RECORD_BYTES`]: nothing of it is kept.
    pub too_long: bool,
}

/// A JSON Lines input read line by line, never more than
/// [`MAX_RECORD_BYTES`] of a line buffered: a longer line is returned
/// flagged (and empty) as soon as the limit is passed, and the rest of it is
/// skipped, unbuffered, only when the next line is read. So a caller
/// that fails on it never waits for the end of a line that may not come,
/// and one that goes on (an error row) costs the limit, not the line. A line
/// ends at `\n`; a `\r` before it is dropped; a byte-order mark at the start
/// of the input is dropped.
pub(crate) struct JsonLines<R: BufRead> {
    input: R,
    buf: Vec<u8>,
    line: u64,
    /// The rest of an over-long line is still to be skipped.
    skipping: bool,
    /// The input's name in a read error (`cannot read NAME: …`).
    name: &'static str,
}

impl<R: BufRead> JsonLines<R> {
    /// Reads `input`, naming it `name` in a read error.
    pub(crate) fn new(input: R, name: &'static str) -> JsonLines<R> {
        JsonLines { input, buf: Vec::with_capacity(1024), line: 0, skipping: false, name }
    }

    /// The bytes of the line [`read`](Self::read) returned (without its line
    /// ending; empty for a line that is too long).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The next line; `None` at the end of the input.
    ///
    /// # Errors
    /// [`Error::Io`] when the input cannot be read.
    pub(crate) fn read(&mut self) -> Result<Option<JsonLine>> {
        let name = self.name;
        let read_error = |e| Error::io(name, e);
        if self.skipping {
            loop {
                let avail = self.input.fill_buf().map_err(read_error)?;
                if avail.is_empty() {
                    return Ok(None);
                }
                match memchr::memchr(b'\n', avail) {
                    Some(i) => {
                        self.input.consume(i + 1);
                        break;
                    }
                    None => {
                        let n = avail.len();
                        self.input.consume(n);
                    }
                }
            }
            self.skipping = false;
        }
        self.buf.clear();
        self.line += 1;
        let mut any = false;
        loop {
            let avail = self.input.fill_buf().map_err(read_error)?;
            if avail.is_empty() {
                return Ok(any.then_some(JsonLine { line: self.line, too_long: false }));
            }
            any = true;
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            if self.buf.len() + take > MAX_RECORD_BYTES {
                self.buf.clear();
                self.skipping = true;
                return Ok(Some(JsonLine { line: self.line, too_long: true }));
            }
            self.buf.extend_from_slice(&avail[..take]);
            self.input.consume(take + usize::from(done));
            if done {
                if self.buf.last() == Some(&b'\r') {
                    self.buf.pop();
                }
                break;
            }
        }
        if self.line == 1 && self.buf.starts_with(BOM) {
            self.buf.drain(..BOM.len());
        }
        Ok(Some(JsonLine { line: self.line, too_long: false }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<(u64, bool, Vec<u8>)> {
        let mut r = JsonLines::new(std::io::BufReader::with_capacity(7, input), "input");
        let mut out = Vec::new();
        while let Some(l) = r.read().unwrap() {
            out.push((l.line, l.too_long, r.bytes().to_vec()));
        }
        out
    }

    #[test]
    fn lines_lose_their_endings_and_the_first_its_bom() {
        let got = all(b"\xef\xbb\xbf{}\r\n\n{\"a\":1}");
        assert_eq!(got, [(1, false, b"{}".to_vec()), (2, false, vec![]), (3, false, b"{\"a\":1}".to_vec())]);
        assert!(all(b"").is_empty());
    }

    #[test]
    fn a_long_line_is_flagged_and_skipped() {
        let mut input = vec![b'x'; MAX_RECORD_BYTES + 1];
        input.extend_from_slice(b"\n{}\n");
        let got = all(&input);
        assert_eq!(got, [(1, true, vec![]), (2, false, b"{}".to_vec())]);
        let exact = vec![b'x'; MAX_RECORD_BYTES];
        assert_eq!(all(&exact), [(1, false, exact.clone())]);
    }
}
