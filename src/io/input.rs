//! Bounded input: every file slacalc reads, whatever it is (a regular file, a
//! FIFO, a device such as `/dev/zero`, stdin), is read through a cap, and CSV
//! is read through a guard that is never silently wrong.
//!
//! [`CsvInput`] streams CSV records (used by `batch`, `quota --log` and `credit
//! --outages`): between the source and the `csv` parser sits a small `Read`
//! adapter that follows the bytes with a four-state machine (field start,
//! unquoted, quoted, quote inside quoted; the `csv` crate still does the
//! parsing). It knows, while reading,
//!
//! - the physical line (1-based, the header is line 1) where each record
//!   starts, so every command reports the same line for the same row;
//! - how many bytes the current record holds, so an over-long record is cut
//!   at the limit and never buffered whole (a 1 GB single-line row, or
//!   `/dev/zero`, costs the limit, not the row);
//! - the line where the open quoted field began, so a quote that is never
//!   closed is an error naming that line instead of swallowing the rest of
//!   the file.

use std::collections::VecDeque;
use std::io::{self, Read};

use super::MAX_RECORD_BYTES;
use crate::error::{Error, Result};

/// Most bytes in a request log (`quota --log`) or an outage file (`credit
/// --outages`): 256 MiB.
pub(crate) const MAX_LOG_BYTES: u64 = 256 << 20;

/// Longest record of a request log or an outage file, in bytes: 64 KiB.
pub(crate) const MAX_LOG_RECORD_BYTES: usize = 64 << 10;

/// The position of column `name` in a header: case-insensitive, with spaces
/// around it and a leading byte-order mark ignored.
pub(crate) fn column(header: &csv::StringRecord, name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(name))
}

/// A header row as messages show it: its fields joined with `,`, control
/// characters escaped, cut to a readable length.
pub(crate) fn shown_header(header: &csv::StringRecord) -> String {
    let joined = header.iter().collect::<Vec<_>>().join(",");
    crate::text::cut(&crate::text::escape_controls(&joined), 200).into_owned()
}

/// A hint for a header row read as one column although it holds another
/// separator: ` (the header holds ';': try --delimiter ';')` (or tabs), or
/// with `--delimiter` given, ` (the header holds ',': …)`; empty otherwise.
/// For the message of a missing column.
pub(crate) fn delimiter_hint(header: &csv::StringRecord, delimiter: u8) -> &'static str {
    let one = match header.len() {
        1 => header.get(0).unwrap_or(""),
        _ => return "",
    };
    match delimiter {
        b',' if one.contains(';') => " (the header holds ';': try --delimiter ';')",
        b',' if one.contains('\t') => " (the header holds tabs: try --delimiter tab)",
        d if d != b',' && one.contains(',') => " (the header holds ',': try --delimiter ',')",
        _ => "",
    }
}

/// Why a record came back without its fields (only from [`CsvInput::batch`],
/// which keeps going; the other readers fail instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The record is not UTF-8; it reads as empty.
    NotUtf8,
    /// The record is longer than the limit; only its first bytes were kept
    /// (the rest was skipped while reading, never buffered).
    TooLong,
}

/// A record read by [`CsvInput::read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    /// The physical line (1-based; the header is line 1) where it starts.
    pub line: u64,
    /// Set when the record could not be read whole.
    pub problem: Option<Problem>,
}

/// How a [`CsvInput`] reads.
#[derive(Debug, Clone, Copy)]
struct ReadOptions {
    /// Longest record, in bytes (its line ending not counted).
    record_bytes: usize,
    /// Most bytes in the whole input, and the kind of file for the message.
    file_bytes: Option<(u64, &'static str)>,
    /// Return over-long and non-UTF-8 data records flagged instead of failing.
    keep_going: bool,
    /// Trim spaces around fields, and skip rows whose fields are all empty.
    log: bool,
    /// The field separator (`,`, `;`, tab).
    delimiter: u8,
}

/// A CSV stream read through the guard (see the [module](self) docs): bounded
/// records, one line count, unterminated quotes reported.
pub(crate) struct CsvInput<R: Read> {
    rdr: csv::Reader<Guard<R>>,
    /// `FILE ` before `line N: …` in messages (empty for none).
    prefix: String,
    name: String,
    opts: ReadOptions,
    /// The line the header row is on (after any blank lines).
    header_line: u64,
}

impl<R: Read> CsvInput<R> {
    /// A `batch` input (and a `replay` one, read with
    /// [`CsvInput::read_bytes`] so that a field that is not UTF-8 spoils only
    /// itself): records up to [`MAX_RECORD_BYTES`]; a
    /// longer one, or one that is not UTF-8, comes back with its
    /// [`Problem`] and reading goes on. Messages say `line N: …` (the caller
    /// names the input).
    #[cfg(test)]
    pub(crate) fn batch(input: R) -> CsvInput<R> {
        CsvInput::batch_with(input, b',')
    }

    /// [`CsvInput::batch`] with another field separator (`;`, tab).
    pub(crate) fn batch_with(input: R, delimiter: u8) -> CsvInput<R> {
        let opts =
            ReadOptions { record_bytes: MAX_RECORD_BYTES, file_bytes: None, keep_going: true, log: false, delimiter };
        CsvInput::new(input, "", opts)
    }

    /// A `report` input (batch or replay output), fields separated by
    /// `delimiter`: records up to [`MAX_RECORD_BYTES`]; a longer one, or one
    /// that is not UTF-8, is an error naming its line, raised as soon as the
    /// record reaches the limit (report refuses the whole input then, so it
    /// never reads on to the end of a record that may never end).
    pub(crate) fn report_with(input: R, delimiter: u8) -> CsvInput<R> {
        let opts =
            ReadOptions { record_bytes: MAX_RECORD_BYTES, file_bytes: None, keep_going: false, log: false, delimiter };
        CsvInput::new(input, "", opts)
    }

    /// A request log or an outage file named `name` (`what` is its kind, for
    /// the size message: `"request logs"`): at most [`MAX_LOG_BYTES`],
    /// records up to [`MAX_LOG_RECORD_BYTES`], fields trimmed, blank rows
    /// skipped; any bad record is an error `NAME line N: …`.
    #[cfg(test)]
    pub(crate) fn log(input: R, name: &str, what: &'static str) -> CsvInput<R> {
        CsvInput::log_with(input, name, what, b',')
    }

    /// [`CsvInput::log`] with another field separator (`;`, tab).
    pub(crate) fn log_with(input: R, name: &str, what: &'static str, delimiter: u8) -> CsvInput<R> {
        let opts = ReadOptions {
            record_bytes: MAX_LOG_RECORD_BYTES,
            file_bytes: Some((MAX_LOG_BYTES, what)),
            keep_going: false,
            log: true,
            delimiter,
        };
        CsvInput::new(input, name, opts)
    }

    fn new(input: R, name: &str, opts: ReadOptions) -> CsvInput<R> {
        let mut guard = Guard::new(input, opts.record_bytes, opts.file_bytes.map(|f| f.0), opts.keep_going);
        guard.m.delimiter = opts.delimiter;
        let trim = if opts.log { csv::Trim::All } else { csv::Trim::None };
        let rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .trim(trim)
            .delimiter(opts.delimiter)
            .from_reader(guard);
        let prefix = if name.is_empty() { String::new() } else { format!("{name} ") };
        CsvInput { rdr, prefix, name: name.to_string(), opts, header_line: 1 }
    }

    /// Reads the header row (the first record; empty for an empty input).
    ///
    /// # Errors
    /// [`Error::Input`] for a header that is too long, not UTF-8 or opens a
    /// quote it never closes; [`Error::Io`] for a read error.
    pub(crate) fn header(&mut self) -> Result<csv::StringRecord> {
        let mut h = csv::StringRecord::new();
        match self.rdr.read_record(&mut h) {
            Ok(found) => {
                if found {
                    self.header_line = self.start(h.position().map(csv::Position::byte)).line;
                }
                Ok(h)
            }
            Err(e) => {
                if let csv::ErrorKind::Utf8 { pos, .. } = e.kind() {
                    let line = self.start(pos.as_ref().map(csv::Position::byte)).line;
                    return Err(Error::NotUtf8 { what: "the header row".into() }.at_line(self.input(), line));
                }
                Err(self.fail(&e))
            }
        }
    }

    /// Reads the next record into `rec`; `None` at the end of the input.
    ///
    /// # Errors
    /// [`Error::Input`] naming the line for a quote never closed, a file over
    /// its size limit and (except from [`CsvInput::batch`]) a record too
    /// long or not UTF-8; [`Error::Io`] for a read error.
    pub(crate) fn read(&mut self, rec: &mut csv::StringRecord) -> Result<Option<Row>> {
        loop {
            let (at, not_utf8) = match self.rdr.read_record(rec) {
                Ok(false) => return Ok(None),
                Ok(true) => (rec.position().map(csv::Position::byte), false),
                Err(e) => match e.kind() {
                    csv::ErrorKind::Utf8 { pos, .. } => (pos.as_ref().map(csv::Position::byte), true),
                    _ => return Err(self.fail(&e)),
                },
            };
            let start = self.start(at);
            // A cut record may end inside a UTF-8 sequence: too long wins.
            let problem = if start.too_long {
                Some(Problem::TooLong)
            } else if not_utf8 {
                Some(Problem::NotUtf8)
            } else {
                None
            };
            let line = start.line;
            match problem {
                Some(Problem::NotUtf8) if !self.opts.keep_going => {
                    return Err(Error::NotUtf8 { what: "row".into() }.at_line(self.input(), line));
                }
                None if self.opts.log && rec.iter().all(str::is_empty) => continue,
                _ => return Ok(Some(Row { line, problem })),
            }
        }
    }

    /// Reads the next record as bytes into `rec` (no UTF-8 check: the
    /// caller checks the fields it uses); `None` at the end of the input.
    /// The only [`Problem`] it returns is [`Problem::TooLong`] (from
    /// [`CsvInput::batch_with`], which also reads replay's events through
    /// [`super::plain::Source`]).
    ///
    /// # Errors
    /// As [`CsvInput::read`].
    pub(crate) fn read_bytes(&mut self, rec: &mut csv::ByteRecord) -> Result<Option<Row>> {
        loop {
            match self.rdr.read_byte_record(rec) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) => return Err(self.fail(&e)),
            }
            let start = self.start(rec.position().map(csv::Position::byte));
            // Without keep_going the guard refuses a long row itself.
            let problem = start.too_long.then_some(Problem::TooLong);
            if problem.is_none() && self.opts.log && rec.iter().all(<[u8]>::is_empty) {
                continue;
            }
            return Ok(Some(Row { line: start.line, problem }));
        }
    }

    /// The start of the record csv read from output byte `at` (its position
    /// is taken before the line endings it skips).
    fn start(&mut self, at: Option<u64>) -> Start {
        let at = at.unwrap_or(0);
        let starts = &mut self.rdr.get_mut().m.starts;
        while starts.front().is_some_and(|s| s.offset < at) {
            starts.pop_front();
        }
        starts.pop_front().unwrap_or(Start { offset: at, line: 0, too_long: false })
    }

    /// The input's name in a [`Error::Row`], when messages name it.
    fn input(&self) -> Option<String> {
        (!self.name.is_empty()).then(|| self.name.clone())
    }

    /// The message for a read that failed.
    fn fail(&self, e: &csv::Error) -> Error {
        let p = &self.prefix;
        let limit = self.opts.record_bytes;
        let too_long =
            |what: &'static str, line| Error::TooLong { what: what.into(), limit }.at_line(self.input(), line);
        match self.rdr.get_ref().m.failure {
            Some(Failure::Unterminated { line }) => {
                Error::Input(format!("{p}line {line}: a quoted field opened here is never closed (unterminated \")"))
            }
            Some(Failure::HeaderTooLong { line }) => too_long("the header row", line),
            Some(Failure::RowTooLong { line }) => too_long("row", line),
            Some(Failure::TooLarge) => {
                let (bytes, what) = self.opts.file_bytes.unwrap_or((0, "this input"));
                super::file::too_large(if self.name.is_empty() { "the input" } else { &self.name }, bytes, what)
            }
            None => match e.kind() {
                csv::ErrorKind::Io(io) => Error::io(
                    if self.name.is_empty() { "input" } else { &self.name },
                    io::Error::new(io.kind(), io.to_string()),
                ),
                _ => Error::Input(format!("{}cannot read CSV: {e}", self.prefix)),
            },
        }
    }
}

/// Where the byte machine is, between two input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    /// Between records: line endings here are skipped (no record).
    RecordStart,
    /// At the start of a field: a `"` opens a quoted field.
    FieldStart,
    /// In an unquoted field (a `"` here is an ordinary byte).
    Unquoted,
    /// In a quoted field: only a `"` can end it.
    Quoted,
    /// Just after a `"` in a quoted field: `""` is an escaped quote; anything
    /// else means the quote closed the field.
    QuoteInQuoted,
}

/// Where a record starts.
#[derive(Debug, Clone, Copy)]
struct Start {
    /// Offset of its first byte in what the guard handed to csv.
    offset: u64,
    /// Physical line of its first byte.
    line: u64,
    /// It was longer than the limit and cut.
    too_long: bool,
}

/// Why the guard stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// The input ended inside a quoted field opened on `line`.
    Unterminated { line: u64 },
    /// The first record (starting on `line`) is over the limit.
    HeaderTooLong { line: u64 },
    /// A data record (starting on `line`) is over the limit, and cutting is off.
    RowTooLong { line: u64 },
    /// The input holds more than its file limit.
    TooLarge,
}

/// The `Read` adapter between the source and `csv::Reader`. It passes bytes
/// through unchanged except for an over-long record: the bytes past the limit
/// are dropped (the machine still follows them, to find where the record
/// ends), and where it ends csv gets a `"` (when the cut was inside quotes)
/// and a line ending instead, so it ends the cut record there.
struct Guard<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    /// Bytes read from `inner` so far, and the most allowed.
    read: u64,
    file_limit: Option<u64>,
    /// Bytes handed to csv so far.
    emitted: u64,
    m: Machine,
}

/// The byte machine: where the bytes are, record by record.
struct Machine {
    state: QuoteState,
    /// The field separator: after it a quote opens a quoted field.
    delimiter: u8,
    /// Line of the next byte. A line ends at LF, CRLF or a lone CR, as
    /// the csv reader ends records (and as an editor shows the lines of a
    /// classic Mac file).
    line: u64,
    /// The last byte was a CR: an LF right after it ends no other line.
    after_cr: bool,
    /// Line where the open quoted field began.
    quote_line: u64,
    /// Bytes of the current record so far (at most `record_limit` while
    /// passing; not counted while dropping).
    record_bytes: usize,
    record_limit: usize,
    /// Records started (the first is the header).
    records: u64,
    /// Cut over-long data records (else fail).
    cut: bool,
    /// Dropping the rest of an over-long record.
    dropping: bool,
    /// What will end the cut record for csv, once its own end is found.
    ending: &'static [u8],
    /// Bytes still to hand to csv to end a cut record.
    inject: &'static [u8],
    /// Starts of the records csv has not returned yet.
    starts: VecDeque<Start>,
    failure: Option<Failure>,
}

impl<R: Read> Guard<R> {
    fn new(inner: R, record_limit: usize, file_limit: Option<u64>, cut: bool) -> Guard<R> {
        let m = Machine {
            state: QuoteState::RecordStart,
            delimiter: b',',
            line: 1,
            after_cr: false,
            quote_line: 0,
            record_bytes: 0,
            record_limit: record_limit.max(1),
            records: 0,
            cut,
            dropping: false,
            ending: b"",
            inject: b"",
            starts: VecDeque::new(),
            failure: None,
        };
        Guard {
            inner,
            buf: vec![0; 32 << 10].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            read: 0,
            file_limit,
            emitted: 0,
            m,
        }
    }

    /// Reads the next chunk of the source (never past the file limit + 1).
    fn fill(&mut self) -> io::Result<()> {
        let mut want = self.buf.len();
        if let Some(limit) = self.file_limit {
            let left = limit.saturating_add(1).saturating_sub(self.read);
            want = want.min(usize::try_from(left).unwrap_or(usize::MAX));
        }
        let k = loop {
            match self.inner.read(&mut self.buf[..want]) {
                Ok(k) => break k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        (self.pos, self.len) = (0, k);
        self.read += k as u64;
        self.eof = k == 0;
        if self.file_limit.is_some_and(|l| self.read > l) {
            self.m.failure = Some(Failure::TooLarge);
        }
        Ok(())
    }

    /// Moves over buffered bytes, writing those that pass to `out` (not
    /// empty); returns how many were written.
    fn advance(&mut self, out: &mut [u8]) -> usize {
        let raw = &self.buf[self.pos..self.len];
        let m = &mut self.m;
        if m.dropping {
            let mut i = 0;
            while m.dropping && i < raw.len() {
                i += m.run(&raw[i..]);
                if let Some(&b) = raw.get(i) {
                    m.step(b, 0);
                    i += 1;
                }
            }
            self.pos += i;
            return 0;
        }
        let n = raw.len().min(out.len());
        let (mut i, mut dropped) = (0, 0);
        while i < n {
            i += m.run(&raw[i..n]);
            if i == n {
                break;
            }
            if !m.step(raw[i], self.emitted + i as u64) {
                dropped = 1;
                break;
            }
            i += 1;
        }
        out[..i].copy_from_slice(&raw[..i]);
        self.pos += i + dropped;
        self.emitted += i as u64;
        i
    }
}

impl Machine {
    /// The fast path: moves over the start of `bytes` for as long as the
    /// record neither starts, ends nor reaches the limit (while passing),
    /// following fields and quotes inline; returns how many bytes it took.
    fn run(&mut self, bytes: &[u8]) -> usize {
        use QuoteState::*;
        if self.state == RecordStart {
            return 0;
        }
        let room = if self.dropping { bytes.len() } else { bytes.len().min(self.record_limit - self.record_bytes) };
        let (mut state, mut line, mut cr, mut i) = (self.state, self.line, self.after_cr, 0);
        while i < room {
            // Only a few bytes matter: skip to the next one. Outside quotes a
            // comma matters only before a quote (it opens a quoted field), so
            // the state after a run is told by the run's last byte.
            match state {
                Unquoted | FieldStart => {
                    let k = find(&bytes[i..room], [b'"', b'\r', b'\n']);
                    if k > 0 {
                        state = if bytes[i + k - 1] == self.delimiter { FieldStart } else { Unquoted };
                        (i, cr) = (i + k, false);
                    }
                }
                Quoted => {
                    let k = find(&bytes[i..room], [b'"', b'\n', b'\r']);
                    if k > 0 {
                        (i, cr) = (i + k, false);
                    }
                }
                _ => {}
            }
            if i == room {
                break;
            }
            let b = bytes[i];
            if state != Quoted && matches!(b, b'\r' | b'\n') {
                break; // the record ends: `step`
            }
            // Inside quotes a line end is data, but still a line.
            line += u64::from(b == b'\r' || (b == b'\n' && !cr));
            cr = b == b'\r';
            state = match (state, b) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (FieldStart, b'"') => {
                    self.quote_line = line;
                    Quoted
                }
                (QuoteInQuoted, b'"') => Quoted,
                (_, b) if b == self.delimiter => FieldStart,
                _ => Unquoted,
            };
            i += 1;
        }
        (self.state, self.line, self.after_cr) = (state, line, cr);
        if !self.dropping {
            self.record_bytes += i;
        }
        i
    }

    /// One byte through the machine (`offset`: where it goes in csv's
    /// input); true when it passes to csv.
    fn step(&mut self, b: u8, offset: u64) -> bool {
        use QuoteState::*;
        if self.state == RecordStart {
            if matches!(b, b'\r' | b'\n') {
                self.line_end(b);
                return true;
            }
            self.records += 1;
            self.starts.push_back(Start { offset, line: self.line, too_long: false });
            self.record_bytes = 0;
            self.state = FieldStart;
        }
        self.line_end(b);
        if self.state != Quoted && matches!(b, b'\r' | b'\n') {
            // The record ends (the csv reader ends it on the same byte). A
            // cut one is ended for csv now that it is known to end: a record
            // that never does is an unclosed quote, not a long row.
            self.state = RecordStart;
            if std::mem::take(&mut self.dropping) {
                self.inject = self.ending;
                return false;
            }
            return true;
        }
        if !self.dropping {
            if self.record_bytes == self.record_limit {
                self.overflow();
                if self.failure.is_some() {
                    return false;
                }
            } else {
                self.record_bytes += 1;
            }
        }
        self.state = match (self.state, b) {
            (FieldStart, b'"') => {
                self.quote_line = self.line;
                Quoted
            }
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (_, b) if b == self.delimiter => FieldStart,
            _ => Unquoted,
        };
        !self.dropping
    }

    /// Counts the line `b` ends: a CR ends one, an LF one unless it follows
    /// a CR (CRLF is one line end).
    fn line_end(&mut self, b: u8) {
        self.line += u64::from(b == b'\r' || (b == b'\n' && !self.after_cr));
        self.after_cr = b == b'\r';
    }

    /// The current record reached the limit: fail, or cut it here.
    fn overflow(&mut self) {
        let line = self.starts.back().map_or(self.line, |s| s.line);
        if self.records <= 1 {
            self.failure = Some(Failure::HeaderTooLong { line });
        } else if !self.cut {
            self.failure = Some(Failure::RowTooLong { line });
        } else {
            if let Some(s) = self.starts.back_mut() {
                s.too_long = true;
            }
            self.dropping = true;
            // csv's record is to end where it stands: close its quote if open
            // (after a `"` in quotes, csv already takes the field as closed).
            self.ending = if self.state == QuoteState::Quoted { b"\"\n" } else { b"\n" };
        }
    }
}

/// The index of the first byte of `bytes` that is one of `set` (`bytes.len()`
/// if none): memchr's vector search, a record's bytes in a few steps.
fn find(bytes: &[u8], set: [u8; 3]) -> usize {
    memchr::memchr3(set[0], set[1], set[2], bytes).unwrap_or(bytes.len())
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            if self.m.failure.is_some() {
                if n > 0 {
                    break;
                }
                // The reader asks `fail` for the message.
                return Err(io::Error::other("input refused"));
            }
            if !self.m.inject.is_empty() {
                let k = self.m.inject.len().min(out.len() - n);
                out[n..n + k].copy_from_slice(&self.m.inject[..k]);
                self.m.inject = &self.m.inject[k..];
                self.emitted += k as u64;
                n += k;
                continue;
            }
            if self.pos == self.len {
                if n > 0 {
                    break; // hand over what there is before waiting for more
                }
                if self.eof {
                    if self.m.state == QuoteState::Quoted {
                        self.m.failure = Some(Failure::Unterminated { line: self.m.quote_line });
                        continue;
                    }
                    if std::mem::take(&mut self.m.dropping) {
                        self.m.inject = self.m.ending; // a cut last record without a line ending
                        continue;
                    }
                    return Ok(0);
                }
                self.fill()?;
                continue;
            }
            n += self.advance(&mut out[n..]);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out one byte per read, to cross every boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((&b, rest)), Some(o)) => {
                    *o = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    /// Records as (line, problem, fields).
    type Rows = Vec<(u64, Option<Problem>, Vec<String>)>;

    /// Every record as (line, problem, fields), or the error message.
    fn read_all<R: Read>(mut c: CsvInput<R>) -> std::result::Result<Rows, String> {
        let h = c.header().map_err(|e| e.to_string())?;
        let mut v = vec![(c.header_line, None, h.iter().map(String::from).collect())];
        let mut rec = csv::StringRecord::new();
        while let Some(r) = c.read(&mut rec).map_err(|e| e.to_string())? {
            v.push((r.line, r.problem, rec.iter().map(String::from).collect()));
        }
        Ok(v)
    }

    fn small(text: &[u8], limit: usize) -> CsvInput<&[u8]> {
        let opts = ReadOptions { record_bytes: limit, file_bytes: None, keep_going: true, log: false, delimiter: b',' };
        CsvInput::new(text, "", opts)
    }

    fn lines(text: &str) -> Vec<u64> {
        let a: Vec<u64> = read_all(CsvInput::batch(text.as_bytes())).unwrap().iter().map(|r| r.0).collect();
        let b: Vec<u64> = read_all(CsvInput::batch(Trickle(text.as_bytes()))).unwrap().iter().map(|r| r.0).collect();
        assert_eq!(a, b, "{text:?}");
        a
    }

    #[test]
    fn lines_are_where_records_start() {
        assert_eq!(lines("h\na\nb\n"), [1, 2, 3]);
        assert_eq!(lines("h\n\n\na\r\n\r\nb"), [1, 4, 6]);
        assert_eq!(lines("\n\nh\na"), [3, 4]);
        // A quoted field holding line endings; a record that starts right after it.
        assert_eq!(lines("h,n\n1,\"x\ny\nz\"\n2,\"\"\"\n\"\n3,a\"b\n"), [1, 2, 5, 7]);
        // A lone CR ends a record as csv does, and a line as a reader sees
        // it (audit 2026-12-06 H21: it was [1, 1, 1, 3]); CRLF is one end.
        assert_eq!(lines("h\ra\rb\n\nc"), [1, 2, 3, 5]);
        assert_eq!(lines("h\r\n\ra\r\n\r\nb"), [1, 3, 5]);
        // Inside quotes too: the record after a quoted CR starts a line on.
        assert_eq!(lines("h\r\"x\ry\"\rb\r\"x\r\ny\"\rc"), [1, 2, 4, 5, 7]);
    }

    #[test]
    fn states_follow_quotes() {
        let rows = read_all(CsvInput::batch(&b"h\n\"a,\"\"b\"\"\",c\n\"x\"y,\"\"\n"[..])).unwrap();
        assert_eq!(rows[1].2, ["a,\"b\"", "c"]);
        assert_eq!(rows[2].2, ["xy", ""]);
        // A quote inside an unquoted field opens nothing.
        let rows = read_all(CsvInput::batch(&b"h\nab\"c,d\ne\n"[..])).unwrap();
        assert_eq!((rows.len(), rows[1].2.clone()), (3, vec!["ab\"c".to_string(), "d".into()]));
    }

    #[test]
    fn an_unclosed_quote_names_the_line_it_opened_on() {
        let text = "h,n\n1,a\n2,b\n3,\"never\nclosed\n4,x\n5,y\n";
        for e in [
            read_all(CsvInput::batch(text.as_bytes())).unwrap_err(),
            read_all(CsvInput::batch(Trickle(text.as_bytes()))).unwrap_err(),
        ] {
            assert_eq!(e, "line 4: a quoted field opened here is never closed (unterminated \")");
        }
        let e = read_all(CsvInput::log(&b"opened\n\"x\n"[..], "log.csv", "request logs")).unwrap_err();
        assert!(e.starts_with("log.csv line 2: a quoted field"), "{e}");
        // In the header too; and a closed quote at the very end is fine.
        assert!(read_all(CsvInput::batch(&b"\"h\n"[..])).unwrap_err().starts_with("line 1:"));
        assert_eq!(read_all(CsvInput::batch(&b"h\n\"a\""[..])).unwrap()[1].2, ["a"]);
        assert_eq!(read_all(CsvInput::batch(&b"h\n\"a\"\"\""[..])).unwrap()[1].2, ["a\""]);
    }

    #[test]
    fn long_records_are_cut_where_they_reach_the_limit() {
        // Limit 8: "1,aaaaaaaaaa" is cut, the rest of its record skipped.
        for text in
            [&b"h\n1,aaaaaaaaaaaa\n2,b\n"[..], b"h\n1,\"aa\naaa,aaaaa\"\"a\nx\"\n2,b\n", b"h\n1,\"aaaaaa\"aaaa\n2,b"]
        {
            for rows in [read_all(small(text, 8)).unwrap(), read_all(small_trickle(text, 8)).unwrap()] {
                assert_eq!(rows.len(), 3, "{:?}", String::from_utf8_lossy(text));
                assert_eq!((rows[1].1, rows[1].2[0].as_str()), (Some(Problem::TooLong), "1"));
                assert!(rows[1].2.concat().len() <= 8);
                assert_eq!((rows[2].1, rows[2].2.clone()), (None, vec!["2".to_string(), "b".into()]));
            }
        }
        assert_eq!(read_all(small(b"h\n1,\"aa\naaa,aaaaa\"\"a\nx\"\n2,b\n", 8)).unwrap()[2].0, 5);
        // Exactly the limit is fine; one more byte is not.
        assert_eq!(read_all(small(b"h\n12345678\n", 8)).unwrap()[1].1, None);
        assert_eq!(read_all(small(b"h\n123456789\n", 8)).unwrap()[1].1, Some(Problem::TooLong));
        // A cut record whose quote never closes is an unclosed quote, and
        // is not returned first as a long row.
        let mut c = small(b"h\n1\n2,\"aaaaaaaaaaaaa\n\n", 8);
        let mut rec = csv::StringRecord::new();
        c.header().unwrap();
        assert_eq!(c.read(&mut rec).unwrap(), Some(Row { line: 2, problem: None }));
        let e = c.read(&mut rec).unwrap_err().to_string();
        assert!(e.starts_with("line 3: a quoted field opened here is never closed"), "{e}");
        // A cut last record without a line ending.
        let rows = read_all(small(b"h\n1,aaaaaaaaaaa", 8)).unwrap();
        assert_eq!((rows.len(), rows[1].1), (2, Some(Problem::TooLong)));
        // The header is never cut.
        assert_eq!(
            read_all(small(b"hhhhhhhhhh\n1\n", 8)).unwrap_err(),
            "line 1: the header row is longer than 8 bytes"
        );
    }

    fn small_trickle(text: &[u8], limit: usize) -> CsvInput<Trickle<'_>> {
        let opts = ReadOptions { record_bytes: limit, file_bytes: None, keep_going: true, log: false, delimiter: b',' };
        CsvInput::new(Trickle(text), "", opts)
    }

    #[test]
    fn an_endless_record_costs_the_limit() {
        // /dev/zero in miniature: the header is refused at the limit.
        let e = read_all(CsvInput::batch(io::repeat(0))).unwrap_err();
        assert_eq!(e, "line 1: the header row is longer than 65536 bytes");
        let e = read_all(CsvInput::log(io::repeat(b'x'), "log", "request logs")).unwrap_err();
        assert_eq!(e, "log line 1: the header row is longer than 65536 bytes");
        // A data row in a log is refused, not cut.
        let e = read_all(CsvInput::log(b"opened\n".chain(io::repeat(b'x')), "log", "request logs")).unwrap_err();
        assert_eq!(e, "log line 2: row is longer than 65536 bytes");
    }

    #[test]
    fn files_are_capped() {
        let mut g = Guard::new(io::repeat(b'\n'), 10, Some(1000), false);
        let mut sink = Vec::new();
        assert!(g.by_ref().read_to_end(&mut sink).is_err());
        assert_eq!((g.read, g.m.failure), (1001, Some(Failure::TooLarge)));
        let opts = ReadOptions {
            record_bytes: 10,
            file_bytes: Some((1 << 20, "request logs")),
            keep_going: false,
            log: true,
            delimiter: b',',
        };
        let mut c = CsvInput::new(io::repeat(b'\n'), "log.csv", opts);
        assert_eq!(c.header().unwrap_err().to_string(), "log.csv is larger than 1 MiB (limit for request logs)");
        assert_eq!(crate::text::size(256 << 20), "256 MiB");
        assert_eq!(crate::text::size(64 << 10), "64 KiB");
        assert_eq!(crate::text::size(1000), "1000 bytes");
    }

    #[test]
    fn logs_trim_skip_blank_rows_and_refuse_bad_ones() {
        let text = "Opened , hours\n 2026-01-01 , 1 \n,\n\n  ,  \n2026-01-02,2\n";
        let rows = read_all(CsvInput::log(text.as_bytes(), "l", "request logs")).unwrap();
        let got: Vec<(u64, Vec<String>)> = rows.into_iter().map(|r| (r.0, r.2)).collect();
        assert_eq!(got[1], (2, vec!["2026-01-01".into(), "1".into()]));
        assert_eq!(got[2], (6, vec!["2026-01-02".into(), "2".into()]));
        assert_eq!(got.len(), 3);
        let e = read_all(CsvInput::log(&b"opened\n2026-01-01\n\xff\n"[..], "l", "request logs")).unwrap_err();
        assert_eq!(e, "l line 3: row is not valid UTF-8");
        let rows = read_all(CsvInput::batch(&b"h\n\xff\n,\n"[..])).unwrap();
        assert_eq!((rows[1].0, rows[1].1), (2, Some(Problem::NotUtf8)));
        assert_eq!((rows[2].0, rows[2].1, rows[2].2.len()), (3, None, 2));
    }

    #[test]
    fn find_is_exact_at_every_offset() {
        for len in 0..40 {
            for at in 0..=len {
                for c in [b',', b'\r', b'\n'] {
                    let mut v = vec![b'a'; len];
                    // Bytes that differ from the set by one bit, and a second match later.
                    for (i, b) in v.iter_mut().enumerate() {
                        *b = [b'a', b'-', b'\x0b', b'\x0c', b'\x8a', 0, 0xff][i % 7];
                    }
                    if at < len {
                        v[at] = c;
                        if at + 3 < len {
                            v[at + 3] = b'\n';
                        }
                    }
                    assert_eq!(find(&v, [b',', b'\r', b'\n']), at, "{v:?}");
                }
            }
        }
    }

    #[test]
    fn columns_ignore_case_spaces_and_bom() {
        let h = csv::StringRecord::from(vec!["\u{feff}Opened", " END ", "x"]);
        assert_eq!(column(&h, "opened"), Some(0));
        assert_eq!(column(&h, "end"), Some(1));
        assert_eq!(column(&h, "start"), None);
    }

    use proptest::prelude::*;

    /// A source that hands out `.1` bytes per read.
    struct Chunks<'a>(&'a [u8], usize);

    impl Read for Chunks<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let k = self.0.len().min(self.1).min(out.len());
            out[..k].copy_from_slice(&self.0[..k]);
            self.0 = &self.0[k..];
            Ok(k)
        }
    }

    /// Records read as (line, problem, bytes), and the error that stopped
    /// the reading, if any.
    type Outcome = (Vec<(u64, Option<Problem>, csv::ByteRecord)>, Option<String>);

    fn outcome<R: Read>(mut c: CsvInput<R>) -> Outcome {
        let mut got = Vec::new();
        match c.header() {
            Ok(h) if !h.is_empty() => got.push((c.header_line, None, h.into_byte_record())),
            Ok(_) => {}
            Err(e) => return (got, Some(e.to_string())),
        }
        let mut rec = csv::StringRecord::new();
        loop {
            match c.read(&mut rec) {
                Ok(Some(r)) => got.push((r.line, r.problem, rec.as_byte_record().clone())),
                Ok(None) => return (got, None),
                Err(e) => return (got, Some(e.to_string())),
            }
        }
    }

    /// The same outcome whatever sizes the source reads in.
    fn read_every_way(bytes: &[u8], limit: usize) -> std::result::Result<Outcome, TestCaseError> {
        let opts = ReadOptions { record_bytes: limit, file_bytes: None, keep_going: true, log: false, delimiter: b',' };
        let whole = outcome(CsvInput::new(bytes, "", opts));
        for k in [1, 2, 3, 7] {
            let o = outcome(CsvInput::new(Chunks(bytes, k), "", opts));
            prop_assert_eq!(&o, &whole, "reading {} bytes at a time", k);
        }
        Ok(whole)
    }

    /// The physical line of the record csv read at `p`: one more than the
    /// line ends (LF, CRLF, a lone CR) before its first byte.
    fn line_of(bytes: &[u8], p: &csv::ByteRecord) -> u64 {
        let at = skip_endings(bytes, usize::try_from(p.position().unwrap().byte()).unwrap());
        let ends = (0..at).filter(|&i| bytes[i] == b'\r' || (bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r')));
        1 + ends.count() as u64
    }

    fn skip_endings(bytes: &[u8], mut at: usize) -> usize {
        while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
            at += 1;
        }
        at
    }

    fn plain(bytes: &[u8]) -> Vec<csv::ByteRecord> {
        csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(bytes)
            .byte_records()
            .map(Result::unwrap)
            .collect()
    }

    proptest! {
        /// On any input within the limits the guard changes nothing: the same
        /// records as csv alone, each at the line its first byte is on.
        #[test]
        fn the_guard_changes_nothing_within_the_limits(bytes in proptest::collection::vec(
            prop_oneof![6 => Just(b'a'), 1 => Just(b','), 1 => Just(b'"'), 1 => Just(b'\n'), 1 => Just(b'\r'), 1 => Just(0xc3)], 0..80)) {
            let plain = plain(&bytes);
            let (got, err) = read_every_way(&bytes, 1 << 16)?;
            match err {
                Some(e) => prop_assert!(e.contains("never closed") || e.contains("header row is not valid UTF-8"), "{}", e),
                None => {
                    prop_assert_eq!(got.len(), plain.len());
                    for ((line, problem, r), p) in got.iter().zip(&plain) {
                        match problem {
                            None => prop_assert_eq!(r, p),
                            Some(pr) => prop_assert!(*pr == Problem::NotUtf8 && std::str::from_utf8(p.as_slice()).is_err()),
                        }
                        prop_assert_eq!(*line, line_of(&bytes, p));
                    }
                }
            }
        }

        /// Cutting long records never merges or splits records: the same
        /// count and lines as csv alone, every record not cut unchanged.
        #[test]
        fn cutting_keeps_records_apart(limit in 1usize..12, bytes in proptest::collection::vec(
            prop_oneof![6 => Just(b'a'), 1 => Just(b','), 1 => Just(b'"'), 1 => Just(b'\n'), 1 => Just(b'\r')], 0..100)) {
            let plain = plain(&bytes);
            let (got, err) = read_every_way(&bytes, limit)?;
            if let Some(e) = err {
                prop_assert!(e.contains("never closed") || e.contains("header row is longer"), "{}", e);
                return Ok(());
            }
            prop_assert_eq!(got.len(), plain.len());
            for (i, ((line, problem, r), p)) in got.iter().zip(&plain).enumerate() {
                prop_assert_eq!(*line, line_of(&bytes, p));
                // The record's own bytes: from its first byte to its line ending.
                let start = skip_endings(&bytes, usize::try_from(p.position().unwrap().byte()).unwrap());
                let mut end = plain.get(i + 1).map_or(bytes.len(), |n| usize::try_from(n.position().unwrap().byte()).unwrap());
                while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
                    end -= 1;
                }
                match problem {
                    None => {
                        prop_assert!(end - start <= limit);
                        prop_assert_eq!(r, p);
                    }
                    Some(_) => prop_assert!(r.as_slice().len() <= limit && end - start > limit),
                }
            }
        }
    }
}
