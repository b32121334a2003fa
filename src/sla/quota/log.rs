//! The request log `quota --log` reads: `opened,hours,kind`.

use std::io::Read;

use chrono_tz::Tz;

use super::ticks::parse_hours;
use crate::error::{Error, Result};
use crate::io::{CsvInput, Row, column};

/// One row of a request log (`opened,hours,kind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// 1-based line in the file.
    pub line: u64,
    /// When the request was opened (UTC seconds).
    pub opened: i64,
    /// Time spent, in milliseconds, if given.
    pub hours_ms: Option<i64>,
    /// The request's kind, lowercase (empty when not given).
    pub kind: String,
}

/// Reads a request log: CSV with a header row naming at least `opened`, and
/// optionally `hours` (a plain number of hours or a duration such as `1h30m`)
/// and `kind` (`account`, `bug`, `global`, …). Column names are
/// case-insensitive and other columns are ignored. Local times in `opened` are
/// read in `zone`; `now` is what `now` means. The log is read through
/// [`CsvInput::log`] (at most [`crate::io::MAX_LOG_BYTES`], bounded
/// records), `name` naming it in messages.
///
/// # Errors
/// [`Error::Input`] naming the line and the bad value (or the unclosed
/// quote, the over-long row, the size limit); [`Error::Io`] when it cannot
/// be read.
#[cfg(test)]
pub(crate) fn parse_log(input: impl Read, name: &str, zone: Tz, now: i64) -> Result<Vec<LogRow>> {
    parse_log_with(input, name, zone, now, b',')
}

/// [`parse_log`] of a file whose fields are separated by `delimiter` (`;`,
/// tab) instead of `,`.
///
/// # Errors
/// As [`parse_log`]; a header without `opened` that holds another separator
/// gets a hint naming `--delimiter`.
pub(crate) fn parse_log_with(input: impl Read, name: &str, zone: Tz, now: i64, delimiter: u8) -> Result<Vec<LogRow>> {
    let mut rdr = CsvInput::log_with(input, name, "request logs", delimiter);
    let headers = rdr.header()?;
    let col = |n: &str| column(&headers, n);
    let opened_col = col("opened").ok_or_else(|| {
        Error::Input(format!(
            "{name}: the header row has no \"opened\" column (expected a header such as opened,hours,kind; found: {}){}",
            crate::io::shown_header(&headers),
            crate::io::delimiter_hint(&headers, delimiter)
        ))
    })?;
    let (hours_col, kind_col) = (col("hours"), col("kind"));
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    while let Some(Row { line, .. }) = rdr.read(&mut rec)? {
        let field = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        let opened_s = field(Some(opened_col));
        let opened = crate::instant::parse_instant(opened_s, zone, now)
            .map_err(|e| e.of("opened").at_line(Some(name.to_string()), line))?;
        let hours_s = field(hours_col);
        let hours_ms = if hours_s.is_empty() {
            None
        } else {
            Some(parse_hours(hours_s).map_err(|_| {
                Error::invalid("hours", hours_s, "hours >= 0 such as 1.5, 1h30m or 90m")
                    .at_line(Some(name.to_string()), line)
            })?)
        };
        rows.push(LogRow { line, opened, hours_ms, kind: field(kind_col).to_lowercase() });
    }
    Ok(rows)
}
