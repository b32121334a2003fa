//! The row layer under `batch`, `replay` and `report`, and every bounded
//! read: files read whole through a cap ([`file`]), CSV records through a
//! guard ([`CsvInput`]) with a fast path for plain lines in front of it
//! ([`plain`], for `batch` and `replay`), JSON Lines through one bounded line
//! reader ([`JsonLines`]); one [`RowFormat`] for both kinds of row file, and
//! one way to write output records whole ([`Records`], [`Spill`],
//! [`PipeRecords`]).
//!
//! It sits below the plan model and the pipelines: it knows bytes, records
//! and limits, never a plan or an SLA.

pub(crate) mod file;
mod input;
mod jsonl;
mod pipe;
pub(crate) mod plain;
mod sink;

pub(crate) use file::{open, open_for_reading};
pub(crate) use input::{CsvInput, Problem, Row, column, delimiter_hint, shown_header};
pub(crate) use jsonl::JsonLines;
pub(crate) use pipe::PipeRecords;
pub(crate) use sink::{Records, Spill};

use crate::error::{Error, Result};

/// Longest input record of `batch`, `replay` and `report`, in bytes; a
/// longer one is an error row (`batch`, `replay`) or an error (`report`).
pub(crate) const MAX_RECORD_BYTES: usize = 64 * 1024;

/// The UTF-8 byte-order mark: ignored at the start of an input, CSV or
/// JSON Lines (RFC 8259 lets a JSON parser ignore it; Excel writes it).
pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// How a row file is written: events read by `replay`, tickets read by
/// `batch`, the rows `batch` and `replay` write and `report` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl RowFormat {
    /// `given`, else told by the input's first non-blank byte (`{`: JSON
    /// Lines) after a UTF-8 byte-order mark, if any, looked at without
    /// consuming it.
    ///
    /// # Errors
    /// [`Error::Io`] when the input cannot be read.
    pub fn detect(given: Option<RowFormat>, input: &mut impl std::io::BufRead) -> Result<RowFormat> {
        if let Some(f) = given {
            return Ok(f);
        }
        let head = input.fill_buf().map_err(|e| Error::Io { path: "input".into(), error: e })?;
        let head = head.strip_prefix(BOM).unwrap_or(head);
        Ok(match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => RowFormat::JsonLines,
            _ => RowFormat::Csv,
        })
    }
}
