//! A fast path for plain CSV records, in front of the guarded CSV reader
//! ([`CsvInput`], the `csv` crate behind a byte guard), which stays the
//! reader of record; `batch` (tickets) and `replay` (events) both read
//! through it ([`Source`]).
//!
//! Most exports are plain lines: no quote, no CR, far shorter than
//! [`MAX_RECORD_BYTES`]. For such a line csv's parser and the guard come to
//! nothing more than "the fields are the line split at the delimiter, and
//! the record starts on this line", so [`Lines`] answers that itself from
//! one buffer, finding the line's end and its delimiters, and checking for
//! quotes and CRs, in one pass eight bytes at a time. A line it cannot
//! vouch for (a quote, a CR, a long line),
//! or a header that is not plain ASCII, hands the rest of the input, from
//! that line's first byte, to a [`CsvInput`] for good ([`Lines::rest`]),
//! which then reads exactly what it would have read from there, and names
//! the same lines (see [`Lines::rest`] for how). Property tests check the
//! two readers' records, lines, problems and errors against each other, as
//! bytes (replay) and as strings (batch).

use std::io::{self, Chain, Cursor, Read};

use super::{CsvInput, MAX_RECORD_BYTES, Problem, Row};
use crate::error::Result;

/// Buffer size: room for the longest plain line, and then some.
const BUF_BYTES: usize = 4 * MAX_RECORD_BYTES;

/// The input before the guarded reader takes over: what [`Lines`] has
/// buffered, then the rest of the source (with a read error it met first).
pub(crate) type Rest<R> = Chain<Chain<Cursor<Vec<u8>>, Cursor<Vec<u8>>>, Pending<R>>;

/// Plain event lines, read straight from a buffer (see the module docs).
pub(crate) struct Lines<R> {
    src: R,
    /// [`BUF_BYTES`] bytes, of which `..end` are read from the source.
    buf: Box<[u8]>,
    end: usize,
    /// Start of the bytes not read yet.
    pos: usize,
    /// The source has no more bytes (or failed: `error`).
    eof: bool,
    error: Option<io::Error>,
    /// Line of the byte at `pos` (1-based).
    line: u64,
    delimiter: u8,
    /// The current line: where it starts in `buf`, and where each field
    /// ends in it (the delimiter after it, or the line's end).
    start: usize,
    ends: Vec<usize>,
}

/// What [`Lines::next`] found.
pub(crate) enum Next {
    /// A plain record (its fields through [`Lines::fields`]) on this line.
    Record(u64),
    /// The end of the input.
    End,
    /// A line this path does not read: call [`Lines::rest`].
    Other,
}

impl<R: Read> Lines<R> {
    pub(crate) fn new(src: R, delimiter: u8) -> Lines<R> {
        Lines {
            src,
            buf: vec![0; BUF_BYTES].into_boxed_slice(),
            end: 0,
            pos: 0,
            eof: false,
            error: None,
            line: 1,
            delimiter,
            start: 0,
            ends: Vec::new(),
        }
    }

    /// The header, when it is a plain ASCII line (after any blank lines);
    /// `None` leaves the whole input, untouched, to [`Lines::rest`].
    pub(crate) fn header(&mut self) -> Option<csv::StringRecord> {
        let (pos, line) = (self.pos, self.line);
        match self.next() {
            Next::Record(_) if self.whole().is_ascii() => {
                Some(self.fields().map(|f| std::str::from_utf8(f).unwrap_or_default()).collect())
            }
            _ => {
                (self.pos, self.line) = (pos, line);
                None
            }
        }
    }

    /// The next plain record, skipping blank lines as the guarded reader
    /// does (they count as lines).
    pub(crate) fn next(&mut self) -> Next {
        // A quote or a CR anywhere in the line (or a delimiter that is one
        // of the bytes csv gives a meaning) is for the guarded reader.
        if matches!(self.delimiter, b'"' | b'\r' | b'\n') {
            return Next::Other;
        }
        // How many unread bytes were scanned without finding the line's
        // end (so that a source handing out a few bytes per read costs no
        // rescans; `ends` keeps what they held).
        let mut scanned = 0;
        self.ends.clear();
        loop {
            let (len, newline) =
                match scan(&self.buf[self.pos + scanned..self.end], self.delimiter, scanned, &mut self.ends) {
                    Scan::Line(len) => (len, true),
                    Scan::Special => return Next::Other,
                    Scan::Open if !self.eof && self.end - self.pos <= MAX_RECORD_BYTES => {
                        scanned = self.end - self.pos;
                        self.fill();
                        continue;
                    }
                    // A read error: the guarded reader meets it where it was met.
                    Scan::Open if self.error.is_some() => return Next::Other,
                    Scan::Open if self.eof && self.pos == self.end => return Next::End,
                    Scan::Open if self.eof => (self.end - self.pos, false),
                    // A line this long may be cut: the guard's business.
                    Scan::Open => return Next::Other,
                };
            if len == 0 {
                // A blank line: no record.
                self.pos += 1;
                self.line += 1;
                scanned = 0;
                continue;
            }
            // At most the limit: the guard cuts only longer records.
            if len > MAX_RECORD_BYTES {
                return Next::Other;
            }
            self.start = self.pos;
            self.ends.push(len);
            self.pos += len + usize::from(newline);
            let line = self.line;
            self.line += 1;
            return Next::Record(line);
        }
    }

    /// The fields of the record [`Lines::next`] returned.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let line = self.whole();
        let mut from = 0;
        self.ends.iter().map(move |&end| {
            let f = &line[from..end];
            from = end + 1;
            f
        })
    }

    /// The record [`Lines::next`] returned: its bytes and where each field
    /// ends in them (the last end is the line's length).
    pub(crate) fn line(&self) -> (&[u8], &[usize]) {
        (self.whole(), &self.ends)
    }

    /// Whole lines for a worker of `batch --jobs` (see [`Block`]): the
    /// unread bytes up to the last line end within `want` bytes (or the
    /// first after, for a longer line), with the line number of the first,
    /// copied into `out`. At the end of the input, the last line without
    /// its line end too.
    ///
    /// [`BlockNext::Other`] where the unread bytes start with a line this
    /// path does not read whole in a block (longer than
    /// [`MAX_RECORD_BYTES`] before any line end, or a read error before
    /// one): call [`Lines::rest`], as after [`Next::Other`]. A block that
    /// holds a quote or a CR is found out by its reader ([`Block::next`]),
    /// which gives where it stopped ([`Lines::rest_after`]).
    pub(crate) fn block(&mut self, out: &mut Vec<u8>, want: usize) -> BlockNext {
        out.clear();
        let first = self.line;
        if matches!(self.delimiter, b'"' | b'\r' | b'\n') {
            return BlockNext::Other;
        }
        // How many unread bytes are known to hold no line end (so that a
        // source handing out a few bytes per read costs no rescans).
        let mut scanned = 0;
        loop {
            let unread = &self.buf[self.pos..self.end];
            // The last line end within `want` bytes, else the first after.
            let limit = want.min(unread.len()).max(scanned);
            let last = memchr::memrchr(b'\n', &unread[scanned..limit])
                .map(|i| scanned + i)
                .or_else(|| memchr::memchr(b'\n', &unread[limit..]).map(|i| limit + i));
            let take = match last {
                Some(last) => last + 1,
                None if self.eof && self.error.is_none() && unread.is_empty() => return BlockNext::End,
                // The last line, without its line end.
                None if self.eof && self.error.is_none() => unread.len(),
                // A read error, or a line too long: as `next` has it.
                None if self.eof || unread.len() > MAX_RECORD_BYTES => return BlockNext::Other,
                None => {
                    scanned = unread.len();
                    self.fill();
                    continue;
                }
            };
            let taken = &unread[..take];
            out.extend_from_slice(taken);
            self.line += line_ends(taken);
            self.pos += take;
            return BlockNext::Lines(first);
        }
    }

    /// Reads more after the unread bytes (moved to the front first when
    /// the room after them is less than a record).
    fn fill(&mut self) {
        if self.buf.len() - self.end <= MAX_RECORD_BYTES {
            self.buf.copy_within(self.pos..self.end, 0);
            (self.pos, self.end) = (0, self.end - self.pos);
        }
        let read = loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => break r,
            }
        };
        match read {
            Ok(k) => {
                self.end += k;
                self.eof = k == 0;
            }
            Err(e) => {
                self.error = Some(e);
                self.eof = true;
            }
        }
    }

    /// The guarded reader over the rest of the input, from the first byte
    /// not read as a plain record, and whether it starts after a header
    /// this path read.
    ///
    /// Read from where this path stopped, the guarded reader would take the
    /// first record for a header and count lines from 1; so when a header
    /// was read here, the rest is preceded by a one-field stand-in header
    /// (`-`, taken off by [`CsvInput::header`] right here) and as many
    /// blank lines as bring the count to the line the rest starts on: blank
    /// lines between records are skipped by both csv and the guard, and
    /// counted by the guard, so every record and error comes with the line
    /// the whole input's reader would name.
    ///
    /// # Errors
    /// What reading the stand-in header gives (nothing, in practice).
    pub(crate) fn rest(self, header_read: bool, delimiter: u8) -> Result<CsvInput<Rest<R>>> {
        let mut prefix = Vec::new();
        if header_read {
            prefix.push(b'-');
            prefix.resize(usize::try_from(self.line).unwrap_or(usize::MAX), b'\n');
        }
        let buf = self.buf[self.pos..self.end].to_vec();
        let src = Cursor::new(prefix).chain(Cursor::new(buf)).chain(Pending { error: self.error, inner: self.src });
        let mut csv = CsvInput::batch_with(src, delimiter);
        if header_read {
            csv.header()?;
        }
        Ok(csv)
    }

    /// [`Lines::rest`] after a header, when blocks were handed out
    /// ([`Lines::block`]) and the one holding line `line` stopped at a line
    /// it does not read ([`Block::next`]): `unread` are the bytes from that
    /// line's first byte to the end of the blocks handed out, read before
    /// what this path still holds.
    ///
    /// # Errors
    /// As [`Lines::rest`].
    pub(crate) fn rest_after(mut self, unread: &[u8], line: u64, delimiter: u8) -> Result<CsvInput<Rest<R>>> {
        let mut held = unread.to_vec();
        held.extend_from_slice(&self.buf[self.pos..self.end]);
        (self.pos, self.end) = (0, 0);
        let mut prefix = vec![b'-'];
        prefix.resize(usize::try_from(line).unwrap_or(usize::MAX), b'\n');
        let src = Cursor::new(prefix).chain(Cursor::new(held)).chain(Pending { error: self.error, inner: self.src });
        let mut csv = CsvInput::batch_with(src, delimiter);
        csv.header()?;
        Ok(csv)
    }
}

/// How many line ends (LF) `bytes` hold. Written so that the compiler
/// turns it into a vector loop: a block's count costs a fraction of an
/// instruction a byte on the reading thread.
fn line_ends(bytes: &[u8]) -> u64 {
    bytes.chunks(255).map(|c| u64::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum()
}

/// What [`Lines::block`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BlockNext {
    /// A block of whole lines; the first is this line.
    Lines(u64),
    /// The end of the input.
    End,
    /// A line the guarded reader reads: call [`Lines::rest`].
    Other,
}

/// The plain lines of a block handed out by [`Lines::block`], read as
/// [`Lines::next`] reads them (a blank line skipped and counted; a quote,
/// a CR or a line over [`MAX_RECORD_BYTES`] stops it: [`Next::Other`],
/// with [`Block::stop`] saying where).
pub(crate) struct Block<'a> {
    bytes: &'a [u8],
    /// Start of the bytes not read yet, and its line.
    pos: usize,
    line: u64,
    delimiter: u8,
    /// The current line's start, and where each field ends in it.
    start: usize,
    ends: Vec<usize>,
}

impl<'a> Block<'a> {
    /// The lines of `bytes`, the first being line `line`; `ends` is a
    /// buffer kept from block to block.
    pub(crate) fn new(bytes: &'a [u8], line: u64, delimiter: u8, ends: Vec<usize>) -> Block<'a> {
        Block { bytes, pos: 0, line, delimiter, start: 0, ends }
    }

    /// The next plain record, as [`Lines::next`] reads it.
    pub(crate) fn next(&mut self) -> Next {
        if matches!(self.delimiter, b'"' | b'\r' | b'\n') {
            return Next::Other;
        }
        loop {
            self.ends.clear();
            let (len, newline) = match scan(&self.bytes[self.pos..], self.delimiter, 0, &mut self.ends) {
                Scan::Line(len) => (len, true),
                Scan::Special => return Next::Other,
                Scan::Open if self.pos == self.bytes.len() => return Next::End,
                Scan::Open => (self.bytes.len() - self.pos, false),
            };
            if len == 0 {
                self.pos += 1;
                self.line += 1;
                continue;
            }
            if len > MAX_RECORD_BYTES {
                return Next::Other;
            }
            self.start = self.pos;
            self.ends.push(len);
            self.pos += len + usize::from(newline);
            let line = self.line;
            self.line += 1;
            return Next::Record(line);
        }
    }

    /// The record [`Block::next`] returned, as [`Lines::line`].
    pub(crate) fn line(&self) -> (&'a [u8], &[usize]) {
        let len = self.ends.last().copied().unwrap_or(0);
        (&self.bytes[self.start..self.start + len], &self.ends)
    }

    /// After [`Next::Other`]: where the line not read starts in the block,
    /// and its line number.
    pub(crate) fn stop(&self) -> (usize, u64) {
        (self.pos, self.line)
    }

    /// The `ends` buffer, to keep for the next block.
    pub(crate) fn into_ends(self) -> Vec<usize> {
        self.ends
    }
}

/// A CSV record's fields: csv's [`csv::ByteRecord`] or a plain line read
/// by [`Lines`] (so a caller reads either without copying the line).
pub(crate) trait Fields {
    /// Every field's bytes, in order (with or without what separates them).
    fn whole(&self) -> &[u8];
    /// Field `i`'s place in [`Fields::whole`].
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>>;
    /// How many fields.
    fn len(&self) -> usize;
}

impl Fields for csv::ByteRecord {
    fn whole(&self) -> &[u8] {
        self.as_slice()
    }
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        csv::ByteRecord::range(self, i)
    }
    fn len(&self) -> usize {
        csv::ByteRecord::len(self)
    }
}

/// Where CSV records come from: plain lines, then (from the first line
/// that is not) the guarded reader.
pub(crate) enum Source<R: Read> {
    Fast(Lines<R>),
    /// Boxed: the guarded reader is several times the fast one's size.
    Guarded(Box<CsvInput<Rest<R>>>),
    /// Between the two (never seen by a read).
    Done,
}

impl<R: Read> Source<R> {
    /// The header (empty for an empty input) and the records after it:
    /// what [`CsvInput::header`] reads, and then [`CsvInput::read`] or
    /// [`CsvInput::read_bytes`] would.
    ///
    /// # Errors
    /// As [`CsvInput::header`].
    pub(crate) fn open(src: R, delimiter: u8) -> Result<(csv::StringRecord, Source<R>)> {
        let mut lines = Lines::new(src, delimiter);
        Ok(match lines.header() {
            Some(h) => (h, Source::Fast(lines)),
            None => {
                let mut csv = lines.rest(false, delimiter)?;
                (csv.header()?, Source::Guarded(Box::new(csv)))
            }
        })
    }

    /// Hands the rest of the input to the guarded reader (after
    /// [`Next::Other`]).
    ///
    /// # Errors
    /// As [`Lines::rest`].
    pub(crate) fn guard(&mut self, delimiter: u8) -> Result<()> {
        if !matches!(self, Source::Fast(_)) {
            return Ok(());
        }
        if let Source::Fast(lines) = std::mem::replace(self, Source::Done) {
            *self = Source::Guarded(Box::new(lines.rest(true, delimiter)?));
        }
        Ok(())
    }

    /// Hands the rest of the input to the guarded reader after blocks were
    /// handed out: see [`Lines::rest_after`].
    ///
    /// # Errors
    /// As [`Lines::rest`].
    pub(crate) fn guard_after(&mut self, unread: &[u8], line: u64, delimiter: u8) -> Result<()> {
        if !matches!(self, Source::Fast(_)) {
            return Ok(());
        }
        if let Source::Fast(lines) = std::mem::replace(self, Source::Done) {
            *self = Source::Guarded(Box::new(lines.rest_after(unread, line, delimiter)?));
        }
        Ok(())
    }

    /// The next record as strings, as [`CsvInput::read`] of a
    /// [`CsvInput::batch_with`] reader reads it: a record with a field that
    /// is not UTF-8 comes back empty, with [`Problem::NotUtf8`]. A plain
    /// line's fields are borrowed from it; a record of the guarded reader
    /// is read into `rec` and copied into `joined` ([`Joined`]).
    ///
    /// # Errors
    /// As [`CsvInput::read`].
    pub(crate) fn next_record<'s>(
        &'s mut self,
        rec: &'s mut csv::StringRecord,
        joined: &'s mut Joined,
        delimiter: u8,
    ) -> Result<Option<(Row, Record<'s>)>> {
        let line = match self {
            Source::Fast(lines) => match lines.next() {
                Next::Record(line) => Some(line),
                Next::End => return Ok(None),
                Next::Other => None,
            },
            _ => None,
        };
        if line.is_none() {
            self.guard(delimiter)?;
        }
        match self {
            Source::Fast(lines) => Ok(line.map(|line| {
                let (bytes, ends) = lines.line();
                text_record(line, bytes, ends, delimiter, joined)
            })),
            Source::Guarded(csv) => Ok(csv.read(rec)?.map(|row| {
                joined.fill(rec.iter());
                (row, joined.record())
            })),
            Source::Done => Ok(None),
        }
    }
}

/// A plain line's record (`bytes`, fields ending at `ends`) as strings, as
/// csv reads it: a record with a field that is not UTF-8 comes back empty,
/// with [`Problem::NotUtf8`].
///
/// The line is checked once (six short checks cost three times one long
/// one): with a delimiter that is ASCII, the line is UTF-8 exactly when
/// every field is, and its fields are borrowed from it. With another
/// delimiter (a byte inside some characters) each field is checked on its
/// own, as csv does, and copied into `joined`.
pub(crate) fn text_record<'a>(
    line: u64,
    bytes: &'a [u8],
    ends: &'a [usize],
    delimiter: u8,
    joined: &'a mut Joined,
) -> (Row, Record<'a>) {
    let not_utf8 = |joined: &'a mut Joined| {
        joined.clear();
        (Row { line, problem: Some(Problem::NotUtf8) }, joined.record())
    };
    if delimiter.is_ascii() {
        let Ok(text) = std::str::from_utf8(bytes) else { return not_utf8(joined) };
        let plain = is_plain_line(bytes, delimiter);
        return (Row { line, problem: None }, Record { text, ends, plain });
    }
    joined.clear();
    let mut from = 0;
    for &end in ends {
        let Ok(f) = std::str::from_utf8(&bytes[from..end]) else { return not_utf8(joined) };
        joined.push(f);
        from = end + 1;
    }
    (Row { line, problem: None }, joined.record())
}

/// One record's fields as text, borrowed from a plain line or from a
/// [`Joined`] copy: field `i` runs from just after field `i - 1`'s end (one
/// byte between them) to `ends[i]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    text: &'a str,
    ends: &'a [usize],
    /// Every field is plain ([`is_plain`]): csv writes it as it is.
    plain: bool,
}

impl<'a> Record<'a> {
    /// Field `i`; `None` past the last.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        self.text.get(start..end)
    }

    /// Every field is plain ([`is_plain`]): one check of the record answers
    /// for each field written out as it was read.
    pub(crate) fn plain(&self) -> bool {
        self.plain
    }

    /// Every field, in order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.ends.len()).map(|i| self.get(i).unwrap_or(""))
    }
}

/// A record's fields copied into one buffer (a comma between them), for a
/// record that cannot be borrowed from its line.
#[derive(Debug)]
pub(crate) struct Joined {
    text: String,
    ends: Vec<usize>,
    /// Every field pushed is plain ([`is_plain`]).
    plain: bool,
}

impl Default for Joined {
    fn default() -> Joined {
        Joined { text: String::new(), ends: Vec::new(), plain: true }
    }
}

impl Joined {
    /// No fields.
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.plain = true;
    }

    /// Adds a field.
    pub(crate) fn push(&mut self, f: &str) {
        if !self.ends.is_empty() {
            self.text.push(',');
        }
        self.text.push_str(f);
        self.ends.push(self.text.len());
        self.plain &= is_plain(f.as_bytes());
    }

    /// These fields.
    pub(crate) fn fill<'f>(&mut self, fields: impl Iterator<Item = &'f str>) {
        self.clear();
        for f in fields {
            self.push(f);
        }
    }

    /// The fields as a record.
    pub(crate) fn record(&self) -> Record<'_> {
        Record { text: &self.text, ends: &self.ends, plain: self.plain }
    }
}

/// True when csv would write `f` as it is and slacalc's escaping would
/// leave it alone (`crate::text::escape_controls`): printable ASCII (space to `~`) but the delimiter and the
/// quote. Eight bytes at a time ([`plain8`]), the tail byte by byte.
pub(crate) fn is_plain(f: &[u8]) -> bool {
    let mut words = f.chunks_exact(8);
    let words_plain = words.by_ref().all(|w| {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        plain8(u64::from_le_bytes(b))
    });
    words_plain && words.remainder().iter().all(|&b| b.wrapping_sub(0x20) < 0x5f && b != b',' && b != b'"')
}

/// [`is_plain`] on eight bytes as one word (bit tricks from "Bit Twiddling
/// Hacks": a byte's high bit after a subtraction tells it was below).
fn plain8(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let comma = (x ^ (ONES * u64::from(b','))).wrapping_sub(ONES) & !(x ^ (ONES * u64::from(b','))) & HIGH;
    not_plain8(x) | comma == 0
}

/// The high bits of the bytes of `x` that [`plain8`] refuses but the
/// comma (a byte next to a refused one may be flagged too: the borrow).
fn not_plain8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `v` is zero, or below `n` (for bytes under 0x80, which the
    // caller checks apart): its high bit set in the answer.
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGH;
    let high = x & HIGH;
    let control = below(x, 0x20);
    let del = below(x ^ (ONES * 0x7f), 1);
    let quote = below(x ^ (ONES * u64::from(b'"')), 1);
    high | control | del | quote
}

/// [`is_plain`] of every field of a line read by [`Lines`] or [`Block`]
/// (so it holds no quote), whose fields are separated by `sep`: each byte
/// is plain or `sep`. One check of the line answers for the whole record,
/// and tells it is ASCII.
fn is_plain_line(line: &[u8], sep: u8) -> bool {
    debug_assert!(!line.contains(&b'"'));
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if sep == b',' {
        // The usual case: no quote on a plain line, every comma a
        // separator, so printable ASCII is all. A byte of 0x80 or more is
        // its own high bit; 0x7f gets it from + 1, a control byte from
        // − 0x20 (a carry or borrow comes only from a byte so flagged).
        if line.len() < 8 {
            return line.iter().all(|&b| b.wrapping_sub(0x20) < 0x5f);
        }
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&line[at..at + 8]);
            let x = u64::from_le_bytes(b);
            x | x.wrapping_add(ONES) | x.wrapping_sub(ONES * 0x20)
        };
        // Whole words, then the last eight bytes (again in part: the test
        // is byte by byte), with no branch but the loop's.
        let flags = (0..line.len() / 8).fold(word(line.len() - 8), |f, i| f | word(8 * i));
        return flags & HIGH == 0;
    }
    // The high bit of each byte of `v` that is zero, and no other (exact:
    // no borrow crosses a byte), so that a separator lets nothing else by.
    let zeros = |v: u64| !(((v & LOW) + LOW) | v | LOW);
    let mut words = line.chunks_exact(8);
    let words_plain = words.by_ref().all(|w| {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b);
        // What [`plain8`] refuses, the comma exactly; a byte wrongly flagged
        // next to a refused one only sends the row to the field checks.
        let refused = not_plain8(x) | zeros(x ^ (ONES * u64::from(b',')));
        refused & !zeros(x ^ (ONES * u64::from(sep))) == 0
    });
    words_plain
        && words.remainder().iter().all(|&b| b == sep || (b.wrapping_sub(0x20) < 0x5f && b != b',' && b != b'"'))
}

/// What [`scan`] found.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    /// The line ends (LF) this many bytes after where it starts.
    Line(usize),
    /// A quote or a CR before the line's end.
    Special,
    /// Neither: the bytes end first.
    Open,
}

/// Scans `bytes`, which start `at` bytes into a line, up to the line's end:
/// pushes to `ends` where each delimiter is (from the line's start), and
/// tells where the line ends or that it holds a quote or a CR. Eight bytes
/// at a time: a line is a few words, and a vector search per delimiter
/// cost more than the whole line.
///
/// Always inlined: called from both readers' `Lines::next`, it was no longer
/// inlined into either, which cost replay ≈ 40 instructions an event.
#[inline(always)]
fn scan(bytes: &[u8], delimiter: u8, mut at: usize, ends: &mut Vec<usize>) -> Scan {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of each byte of `x` that is zero, and no other bit (no
    // carry crosses a byte: 0x7f + 0x7f < 0x100).
    let zeros = |x: u64| !(((x & LOW) + LOW) | x | LOW);
    // Cheaper, and exact up to the first zero byte: a byte above a zero one
    // may be flagged too (the borrow). Enough for the lowest LF, and for
    // "a quote or a CR before it" (a false one comes after a true one).
    let first_zeros = |x: u64| x.wrapping_sub(ONES) & !x & !LOW;
    let byte = |b: u8| ONES * u64::from(b);
    let (lf, quote, cr, delim) = (byte(b'\n'), byte(b'"'), byte(b'\r'), byte(delimiter));
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let end = first_zeros(w ^ lf);
        // The bits of the bytes before the first LF (all, without one).
        let before = if end == 0 { u64::MAX } else { (end & end.wrapping_neg()) - 1 };
        if (first_zeros(w ^ quote) | first_zeros(w ^ cr)) & before != 0 {
            return Scan::Special;
        }
        let mut found = zeros(w ^ delim) & before;
        while found != 0 {
            ends.push(at + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
        if end != 0 {
            return Scan::Line(at + (end.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        match b {
            b'\n' => return Scan::Line(at + i),
            b'"' | b'\r' => return Scan::Special,
            _ if b == delimiter => ends.push(at + i),
            _ => {}
        }
    }
    Scan::Open
}

impl<R> Fields for Lines<R> {
    fn whole(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.ends[self.ends.len() - 1]]
    }
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        Some(start..end)
    }
    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// A source with a read error met while this path read ahead: it comes
/// first, as it would have.
pub(crate) struct Pending<R> {
    error: Option<io::Error>,
    inner: R,
}

impl<R: Read> Read for Pending<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self.error.take() {
            Some(e) => Err(e),
            None => self.inner.read(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as (line, problem, fields), then the header, or the first
    /// error's message.
    type Got = (Vec<(u64, Option<Problem>, Vec<Vec<u8>>)>, Vec<String>, Option<String>);

    /// A source that hands out `step` bytes per read, to cross every
    /// boundary, and fails with `fail` where its bytes end.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
        fail: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.bytes.is_empty() && self.fail {
                self.fail = false;
                return Err(io::Error::other("disk on fire"));
            }
            let k = self.step.min(out.len()).min(self.bytes.len());
            out[..k].copy_from_slice(&self.bytes[..k]);
            self.bytes = &self.bytes[k..];
            Ok(k)
        }
    }

    /// What the guarded reader alone reads (as replay read before the fast
    /// path), as bytes.
    fn guarded(src: impl Read, delimiter: u8) -> Got {
        read_on(CsvInput::batch_with(src, delimiter), Vec::new(), None)
    }

    /// The records `csv` reads after `got` (and its header, unless given).
    fn read_on<R: Read>(
        mut csv: CsvInput<R>,
        mut got: Vec<(u64, Option<Problem>, Vec<Vec<u8>>)>,
        header: Option<Vec<String>>,
    ) -> Got {
        let header = match header {
            Some(h) => h,
            None => match csv.header() {
                Ok(h) => h.iter().map(String::from).collect(),
                Err(e) => return (got, Vec::new(), Some(e.to_string())),
            },
        };
        let mut record = csv::ByteRecord::new();
        loop {
            match csv.read_bytes(&mut record) {
                Ok(Some(row)) => got.push((row.line, row.problem, record.iter().map(<[u8]>::to_vec).collect())),
                Ok(None) => return (got, header, None),
                Err(e) => return (got, header, Some(e.to_string())),
            }
        }
    }

    /// What replay reads now: plain lines here, the rest guarded.
    fn fast(src: impl Read, delimiter: u8) -> Got {
        let (header, mut source) = match Source::open(src, delimiter) {
            Ok(opened) => opened,
            Err(e) => return (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        let header: Vec<String> = header.iter().map(String::from).collect();
        let mut got = Vec::new();
        loop {
            match &mut source {
                Source::Fast(lines) => match lines.next() {
                    Next::Record(line) => got.push((line, None, lines.fields().map(<[u8]>::to_vec).collect())),
                    Next::End => return (got, header, None),
                    Next::Other => {
                        if let Err(e) = source.guard(delimiter) {
                            return (got, header, Some(e.to_string()));
                        }
                    }
                },
                Source::Guarded(_) => {
                    let Source::Guarded(csv) = std::mem::replace(&mut source, Source::Done) else { unreachable!() };
                    return read_on(*csv, got, Some(header));
                }
                Source::Done => unreachable!("a read never sees Done"),
            }
        }
    }

    /// What `batch --jobs` reads: blocks of whole lines ([`Lines::block`],
    /// about `want` bytes each), each read by a [`Block`]; from a line it
    /// does not read, the rest guarded ([`Source::guard_after`]).
    fn by_blocks(src: impl Read, delimiter: u8, want: usize) -> Got {
        let (header, mut source) = match Source::open(src, delimiter) {
            Ok(opened) => opened,
            Err(e) => return (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        let header: Vec<String> = header.iter().map(String::from).collect();
        let (mut got, mut bytes) = (Vec::new(), Vec::new());
        while let Source::Fast(lines) = &mut source {
            let first = match lines.block(&mut bytes, want) {
                BlockNext::Lines(first) => first,
                BlockNext::End => return (got, header, None),
                BlockNext::Other => {
                    if let Err(e) = source.guard(delimiter) {
                        return (got, header, Some(e.to_string()));
                    }
                    break;
                }
            };
            let mut block = Block::new(&bytes, first, delimiter, Vec::new());
            loop {
                match block.next() {
                    Next::Record(line) => {
                        let (text, ends) = block.line();
                        let mut from = 0;
                        let fields = ends
                            .iter()
                            .map(|&end| {
                                let f = text[from..end].to_vec();
                                from = end + 1;
                                f
                            })
                            .collect();
                        got.push((line, None, fields));
                    }
                    Next::End => break,
                    Next::Other => {
                        let (at, line) = block.stop();
                        if let Err(e) = source.guard_after(&bytes[at..], line, delimiter) {
                            return (got, header, Some(e.to_string()));
                        }
                        break;
                    }
                }
            }
        }
        match source {
            Source::Guarded(csv) => read_on(*csv, got, Some(header)),
            _ => (got, header, None),
        }
    }

    /// What batch read before the fast path: the guarded reader's strings.
    fn batch_guarded(src: impl Read, delimiter: u8) -> Got {
        let mut csv = CsvInput::batch_with(src, delimiter);
        let header = match csv.header() {
            Ok(h) => h.iter().map(String::from).collect(),
            Err(e) => return (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        strings(|rec| csv.read(rec), header)
    }

    /// What batch reads now: [`Source::next_record`].
    fn batch_fast(src: impl Read, delimiter: u8) -> Got {
        let (header, mut source) = match Source::open(src, delimiter) {
            Ok(opened) => opened,
            Err(e) => return (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        let mut got = Vec::new();
        let (mut rec, mut joined) = (csv::StringRecord::new(), Joined::default());
        loop {
            match source.next_record(&mut rec, &mut joined, delimiter) {
                Ok(Some((row, r))) => {
                    got.push((row.line, row.problem, r.iter().map(|f| f.as_bytes().to_vec()).collect()))
                }
                Ok(None) => return (got, header.iter().map(String::from).collect(), None),
                Err(e) => return (got, header.iter().map(String::from).collect(), Some(e.to_string())),
            }
        }
    }

    /// The string records `read` reads, as bytes.
    fn strings(mut read: impl FnMut(&mut csv::StringRecord) -> Result<Option<Row>>, header: Vec<String>) -> Got {
        let mut got = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match read(&mut record) {
                Ok(Some(row)) => {
                    got.push((row.line, row.problem, record.iter().map(|f| f.as_bytes().to_vec()).collect()))
                }
                Ok(None) => return (got, header, None),
                Err(e) => return (got, header, Some(e.to_string())),
            }
        }
    }

    /// The guarded reader reads the input in one piece: what it reads
    /// a byte at a time can differ (csv-core drops a byte-order mark only
    /// when it gets its three bytes at once, and the line of a header that
    /// is not UTF-8 is then reported one too early), and the fast path hands
    /// it what it buffered in one piece.
    fn same(bytes: &[u8], delimiter: u8, step: usize, fail: bool) {
        let want = guarded(Trickle { bytes, step: usize::MAX, fail }, delimiter);
        let got = fast(Trickle { bytes, step, fail }, delimiter);
        assert_eq!(got, want, "input {:?}", String::from_utf8_lossy(bytes));
        for block in [1, 7, 4096] {
            let got = by_blocks(Trickle { bytes, step, fail }, delimiter, block);
            assert_eq!(got, want, "blocks of {block}, input {:?}", String::from_utf8_lossy(bytes));
        }
        let want = batch_guarded(Trickle { bytes, step: usize::MAX, fail }, delimiter);
        let got = batch_fast(Trickle { bytes, step, fail }, delimiter);
        assert_eq!(got, want, "batch, input {:?}", String::from_utf8_lossy(bytes));
    }

    #[test]
    fn plain_quoted_and_long_lines_read_as_the_guarded_reader_reads_them() {
        let long = "x".repeat(MAX_RECORD_BYTES);
        let cases = [
            String::new(),
            "\n\n".into(),
            "id,at\n".into(),
            "\n\nid,at\nT1,1\n\nT2,2".into(),
            "id,at\nT1,1\nT2,\"a,\nb\"\nT3,3\n".into(),
            "id,at\nT1,1\r\nT2,2\n".into(),
            "id,at\nT1,1\nT2,\"open\nT3,3\n".into(),
            "\u{feff}id,at\nT1,1\n".into(),
            "id,\u{e9}t\nT1,1\n".into(),
            "id,at\nT1,\u{e9}\n".into(),
            "id,at\nT1,1\n\r\n\rT2,2\n".into(),
            format!("id,at\nT1,1\nT2,{long}\nT3,3\n"),
            format!("id,at\nT1,1\nT2,{}\nT3,3\n", &long[3..]),
            format!("id,at\nT1,1\nT2,{}\nT3,3\n", &long[2..]),
            format!("id,at\nT1,1\nT2,{long}"),
            format!("{long}\nT1,1\n"),
        ];
        for c in &cases {
            for step in [1, 7, 1 << 20] {
                for fail in [false, true] {
                    same(c.as_bytes(), b',', step, fail);
                    same(c.as_bytes(), b';', step, fail);
                }
            }
        }
        // Not UTF-8: batch reads such a record as empty, with its problem.
        for c in [&b"id,at\nT1,\xff\nT2,2\n"[..], b"id,at\nT1,\xc3\nT2,\xc3\xa9\n\xff,1", b"id,\xff\nT1,1\n"] {
            for step in [1, 7, 1 << 20] {
                same(c, b',', step, false);
                same(c, 0xff, step, false);
            }
        }
    }

    proptest::proptest! {
        /// One check of a plain line says what a check of each field says.
        #[test]
        fn a_plain_line_is_plain_fields(
            line in proptest::collection::vec(
                proptest::sample::select(&b"a,;\t \x00\x1f\x7e\x7f\x80\xa9\xff-.Z"[..]), 0..40),
            sep in proptest::sample::select(&b",;\t"[..]),
        ) {
            let fields = line.split(|&b| b == sep).all(is_plain);
            proptest::prop_assert_eq!(is_plain_line(&line, sep), fields, "{:?}", line);
        }

        /// The word-at-a-time scan finds what a byte loop finds.
        #[test]
        fn scan_finds_what_a_byte_loop_finds(
            line in proptest::collection::vec(proptest::sample::select(&b"a,;\"\r\n\x00\x80\xff\x2c\x3b"[..]), 0..40),
            delimiter in proptest::sample::select(&b",;\x00\xff"[..]),
            at in 0usize..3,
        ) {
            let mut ends = Vec::new();
            let got = scan(&line, delimiter, at, &mut ends);
            let mut want_ends = Vec::new();
            let mut want = Scan::Open;
            for (i, &b) in line.iter().enumerate() {
                match b {
                    b'\n' => { want = Scan::Line(at + i); break }
                    b'"' | b'\r' => { want = Scan::Special; break }
                    _ if b == delimiter => want_ends.push(at + i),
                    _ => {}
                }
            }
            if want != Scan::Special {
                proptest::prop_assert_eq!(&ends, &want_ends);
            }
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        // SLACALC_PROPTEST_CASES=N for a long run.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000),
        ))]

        /// Any input, read a few bytes at a time or all at once, gives the
        /// same header, records, lines and error both ways.
        #[test]
        fn fast_path_reads_as_the_guarded_reader(
            bytes in proptest::collection::vec(
                proptest::sample::select(&b"ab ,;\"\r\n\n\n\t\xc3\xa9\xff"[..]), 0..200),
            plain in proptest::collection::vec("[a-z0-9;, \u{e9}]{0,12}", 0..12),
            // 0xa9: the second byte of "é", to split a character.
            delimiter in proptest::sample::select(&b",;\"\xa9"[..]),
            step in proptest::sample::select(&[1usize, 3, 64, 1 << 20][..]),
            block in proptest::sample::select(&[1usize, 5, 40, 1 << 20][..]),
            fail: bool,
        ) {
            // Plain lines first (the common case), then anything.
            let mut input = plain.join("\n").into_bytes();
            input.push(b'\n');
            input.extend_from_slice(&bytes);
            let want = guarded(Trickle { bytes: &input, step: usize::MAX, fail }, delimiter);
            let got = fast(Trickle { bytes: &input, step, fail }, delimiter);
            proptest::prop_assert_eq!(&got, &want);
            // In blocks, as `batch --jobs` reads it.
            let got = by_blocks(Trickle { bytes: &input, step, fail }, delimiter, block);
            proptest::prop_assert_eq!(got, want);
            // And as batch reads it: strings, a record not UTF-8 flagged.
            let want = batch_guarded(Trickle { bytes: &input, step: usize::MAX, fail }, delimiter);
            let got = batch_fast(Trickle { bytes: &input, step, fail }, delimiter);
            proptest::prop_assert_eq!(got, want);
        }
    }
}
