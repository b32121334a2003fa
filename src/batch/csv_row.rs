//! Writing one CSV output row into the record buffer: slacalc's own fields
//! and plain input text straight in, anything csv would quote through
//! csv-core's field writer (see [`RowWriter`]).

use crate::instant::push_int;
pub(super) use crate::io::plain::is_plain;
use crate::text::escape_controls;

/// Writes one CSV row at the end of the record buffer. Fields that need
/// nothing (slacalc's own: instants, state, numbers; and input text of
/// printable ASCII without delimiter or quote, the usual case) go straight
/// in: csv would write them as they are. The others are escaped
/// ([`escape_controls`]) and go through csv's field writer, which quotes
/// them; the delimiter or terminator after such a field is csv's too (it
/// closes the quote).
pub(super) struct RowWriter<'a> {
    pub(super) buf: &'a mut Vec<u8>,
    pub(super) core: &'a mut csv_core::Writer,
    /// The last field went through csv's writer.
    pub(super) after_csv: bool,
    /// Every field of the input record is plain ([`is_plain`]).
    pub(super) record_plain: bool,
}

impl RowWriter<'_> {
    /// A field slacalc printed: it holds no control character, delimiter or
    /// quote.
    #[inline]
    pub(super) fn printed(&mut self, f: &[u8]) {
        debug_assert!(is_plain(f), "{f:?}");
        self.buf.extend_from_slice(f);
        self.after_csv = false;
    }

    /// A field from the input, or a message that may quote it.
    pub(super) fn input(&mut self, f: &str) {
        if is_plain(f.as_bytes()) {
            self.printed(f.as_bytes());
        } else {
            core_field(self.core, self.buf, escape_controls(f).as_bytes());
            self.after_csv = true;
        }
    }

    /// A field of the input record (or a part of one): plain when the whole
    /// record is, else checked as [`RowWriter::input`].
    #[inline]
    pub(super) fn record_field(&mut self, f: &str) {
        if self.record_plain {
            self.printed(f.as_bytes());
        } else {
            self.input(f);
        }
    }

    /// An optional integer, empty for `None`.
    #[inline]
    pub(super) fn number(&mut self, n: Option<i64>) {
        if let Some(n) = n {
            push_int(self.buf, n);
        }
        self.after_csv = false;
    }

    #[inline]
    pub(super) fn delimiter(&mut self) {
        if self.after_csv {
            let core = &mut *self.core;
            core_write(self.buf, 2, |o| core.delimiter(o));
        } else {
            self.buf.push(b',');
        }
    }

    pub(super) fn terminator(&mut self) {
        if self.after_csv {
            let core = &mut *self.core;
            core_write(self.buf, 8, |o| core.terminator(o));
        } else {
            self.buf.push(b'\n');
        }
        self.after_csv = false;
    }
}

/// Writes `f` through csv's field writer at the end of `buf`.
pub(super) fn core_field(core: &mut csv_core::Writer, buf: &mut Vec<u8>, mut f: &[u8]) {
    loop {
        let n = buf.len();
        // Room for the field quoted, every byte doubled.
        buf.resize(n + 2 * f.len() + 2, 0);
        let (res, nin, nout) = core.field(f, &mut buf[n..]);
        buf.truncate(n + nout);
        f = &f[nin..];
        if matches!(res, csv_core::WriteResult::InputEmpty) {
            return;
        }
    }
}

/// Runs one of csv's delimiter or terminator writers at the end of `buf`,
/// with `room` bytes (more than it can write).
fn core_write(buf: &mut Vec<u8>, room: usize, write: impl FnOnce(&mut [u8]) -> (csv_core::WriteResult, usize)) {
    let n = buf.len();
    buf.resize(n + room, 0);
    let (_, k) = write(&mut buf[n..]);
    buf.truncate(n + k);
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        #[test]
        fn integers_print_as_display_does(n in proptest::prelude::any::<i64>()) {
            let mut b = b"x".to_vec();
            push_int(&mut b, n);
            let want = n.to_string();
            proptest::prop_assert_eq!(&b[1..], want.as_bytes());
        }

        #[test]
        fn a_row_writer_writes_what_csv_writes(
            fields in proptest::collection::vec(
                proptest::prop_oneof!["[ -~]{0,12}", "[a-z,\"]{0,6}", "\\PC{0,6}", "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202e}é ]{0,4}"],
                // Two fields at least, as a batch row has ten (csv writes a
                // lone empty field as `""`).
                2..8,
            ),
            printed in proptest::collection::vec(proptest::prelude::any::<bool>(), 16),
        ) {
            // Each field escaped, then written by csv: what the row must be.
            let mut want = csv::Writer::from_writer(Vec::new());
            want.write_record(fields.iter().map(|f| escape_controls(f).into_owned())).unwrap();
            let want = want.into_inner().unwrap();
            let mut core = csv_core::Writer::new();
            let mut got = Vec::new();
            // Twice: the second row starts from the writer state the first left.
            for _ in 0..2 {
                got.clear();
                let record_plain = is_plain(fields.concat().as_bytes());
                let mut w = RowWriter { buf: &mut got, core: &mut core, after_csv: false, record_plain };
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        w.delimiter();
                    }
                    if printed[i] && is_plain(f.as_bytes()) {
                        w.printed(f.as_bytes());
                    } else if printed[i + 8] {
                        w.record_field(f);
                    } else {
                        w.input(f);
                    }
                }
                w.terminator();
                proptest::prop_assert_eq!(&got, &want, "{:?}", fields);
            }
        }
    }

    proptest::proptest! {
        // 20,000 cases took a third of the lib tests' time: SLACALC_PROPTEST_CASES=20000 for a long run.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000),
        ))]

        #[test]
        fn plain_words_are_plain_bytes(
            b in proptest::collection::vec(proptest::prop_oneof![proptest::prelude::any::<u8>(), 0x1eu8..0x24, 0x2au8..0x2e, 0x7cu8..0x82], 0..20),
        ) {
            let bytewise = b.iter().all(|&c| (0x20..0x7f).contains(&c) && c != b',' && c != b'"');
            proptest::prop_assert_eq!(is_plain(&b), bytewise, "{:?}", b);
        }
    }

    #[test]
    fn integer_edges() {
        for n in [0, 1, -1, 9, 10, -10, 99, 100, 12_345, i64::MAX, i64::MIN, i64::MIN + 1] {
            let mut b = b"x".to_vec();
            push_int(&mut b, n);
            assert_eq!(&b[1..], n.to_string().as_bytes());
        }
    }

    #[test]
    fn plain_fields_are_the_ones_nothing_changes() {
        for (f, plain) in [
            ("T1", true),
            ("a b~", true),
            ("", true),
            ("a,b", false),
            ("q\"", false),
            ("é", false),
            ("\t", false),
            ("\x7f", false),
        ] {
            assert_eq!(is_plain(f.as_bytes()), plain, "{f:?}");
        }
    }
}
