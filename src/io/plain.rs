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
        if let Source::Fast(lines) = std::mem::replace(self, Source::Done) {
            *self = Source::Guarded(Box::new(lines.rest(true, delimiter)?));
        }
        Ok(())
    }

    /// The next record as strings, as [`CsvInput::read`] of a
    /// [`CsvInput::batch_with`] reader reads it: a record with a field that
    /// is not UTF-8 comes back empty, with [`Problem::NotUtf8`].
    ///
    /// # Errors
    /// As [`CsvInput::read`].
    pub(crate) fn read(&mut self, rec: &mut csv::StringRecord, delimiter: u8) -> Result<Option<Row>> {
        loop {
            match self {
                Source::Fast(lines) => match lines.next() {
                    Next::Record(line) => {
                        rec.clear();
                        // The line checked once (six short checks cost three
                        // times one long one); a field of it is UTF-8 when it
                        // starts and ends on character boundaries, which
                        // `str::get` checks. csv checks field by field: a
                        // line that is not UTF-8 is checked so too (with a
                        // delimiter that is not ASCII, its fields may be).
                        let whole = std::str::from_utf8(lines.whole()).ok();
                        for range in (0..lines.len()).filter_map(|i| lines.range(i)) {
                            let f = match whole {
                                Some(w) => w.get(range),
                                None => std::str::from_utf8(&lines.whole()[range]).ok(),
                            };
                            let Some(f) = f else {
                                rec.clear();
                                return Ok(Some(Row { line, problem: Some(Problem::NotUtf8) }));
                            };
                            rec.push_field(f);
                        }
                        return Ok(Some(Row { line, problem: None }));
                    }
                    Next::End => return Ok(None),
                    Next::Other => self.guard(delimiter)?,
                },
                Source::Guarded(csv) => return csv.read(rec),
                Source::Done => return Ok(None),
            }
        }
    }
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

    /// What batch read before the fast path: the guarded reader's strings.
    fn batch_guarded(src: impl Read, delimiter: u8) -> Got {
        let mut csv = CsvInput::batch_with(src, delimiter);
        let header = match csv.header() {
            Ok(h) => h.iter().map(String::from).collect(),
            Err(e) => return (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        strings(|rec| csv.read(rec), header)
    }

    /// What batch reads now: [`Source::read`].
    fn batch_fast(src: impl Read, delimiter: u8) -> Got {
        let (header, mut source) = match Source::open(src, delimiter) {
            Ok(opened) => opened,
            Err(e) => return (Vec::new(), Vec::new(), Some(e.to_string())),
        };
        strings(|rec| source.read(rec, delimiter), header.iter().map(String::from).collect())
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
            fail: bool,
        ) {
            // Plain lines first (the common case), then anything.
            let mut input = plain.join("\n").into_bytes();
            input.push(b'\n');
            input.extend_from_slice(&bytes);
            let want = guarded(Trickle { bytes: &input, step: usize::MAX, fail }, delimiter);
            let got = fast(Trickle { bytes: &input, step, fail }, delimiter);
            proptest::prop_assert_eq!(got, want);
            // And as batch reads it: strings, a record not UTF-8 flagged.
            let want = batch_guarded(Trickle { bytes: &input, step: usize::MAX, fail }, delimiter);
            let got = batch_fast(Trickle { bytes: &input, step, fail }, delimiter);
            proptest::prop_assert_eq!(got, want);
        }
    }
}
