//! Text that reaches a terminal: values from plan files and input files are
//! data, never commands to the terminal, and echoed values stay readable.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with control characters shown escaped (`\x1b`, `\u{9b}`), so a plan
/// or an input field cannot set a window title or clear the screen. Tabs and
/// line breaks (LF, CRLF) are kept: tables and messages lay them out. A CR
/// not followed by LF is shown as `\r`: nothing lays it out, and on a
/// terminal it moves the cursor back to the start of the line, so that
/// what follows overwrites the row (a name could hide or fake one).
pub(crate) fn escape_controls(s: &str) -> Cow<'_, str> {
    // batch escapes most fields of every row: a byte scan answers for almost
    // all of them.
    // Printable ASCII needs nothing: checked without early exit, which the
    // compiler vectorizes.
    if s.as_bytes().iter().fold(true, |ok, &b| ok & (b.wrapping_sub(0x20) < 0x5f)) {
        return Cow::Borrowed(s);
    }
    if !s.chars().any(is_unsafe) && !has_bare_cr(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push_str("\\r");
        } else if is_unsafe(c) {
            let n = u32::from(c);
            if n < 0x80 {
                let _ = write!(out, "\\x{n:02x}");
            } else {
                let _ = write!(out, "\\u{{{n:x}}}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// True when `s` holds a CR that no LF follows.
fn has_bare_cr(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'))
}

/// `n` with its noun, singular for one: `1 error`, `3 errors`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// `s.trim()`, answered by two byte checks when `s` starts and ends with
/// ASCII that is not white space (almost every field of an export): `batch`
/// trims several fields a row, and the general trim decodes characters.
pub(crate) fn trim(s: &str) -> &str {
    // ASCII white space, as `char::is_whitespace` has it: tab to carriage
    // return, and space. Any other byte under 0x80 is not white space.
    let solid = |b: u8| b < 0x80 && !matches!(b, b'\t'..=b'\r' | b' ');
    match s.as_bytes() {
        [first, .., last] if solid(*first) && solid(*last) => s,
        [only] if solid(*only) => s,
        _ => s.trim(),
    }
}

/// Like [`escape_controls`], and line breaks too: for one-line cells.
pub(crate) fn escape_all_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&escape_controls(c.encode_utf8(&mut [0; 4]))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// C0 and C1 control characters and DEL, but tab and line breaks, plus the
/// bidirectional overrides that reorder what a terminal shows.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` cut to at most `max` characters, with `…` and the count left out, so a
/// message never echoes a 300 MB value.
pub(crate) fn cut(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((i, _)) => {
            let rest = s.len() - i;
            Cow::Owned(format!("{}… ({rest} more bytes)", &s[..i]))
        }
    }
}

/// A byte count as messages print it: `256 MiB`, `64 KiB`, `1000 bytes`.
pub(crate) fn size(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_escaped() {
        assert_eq!(escape_controls("plain é\ttab\nline"), "plain é\ttab\nline");
        assert_eq!(escape_controls("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");
        assert_eq!(escape_controls("a\u{9b}2J"), "a\\u{9b}2J");
        assert_eq!(escape_controls("\u{202e}txt"), "\\u{202e}txt");
        assert_eq!(escape_all_controls("a\nb\x1b"), "a\\nb\\x1b");
        // A CR is kept only as part of CRLF.
        assert_eq!(escape_controls("a\r\nb"), "a\r\nb");
        assert_eq!(escape_controls("gold\rsilver\r"), "gold\\rsilver\\r");
        assert_eq!(escape_controls("x\r\r\n"), "x\\r\r\n");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        #[test]
        fn trim_is_str_trim(s in "[ \t\n\r\x0b\x0c\x1c-\x1fa-z,\u{85}\u{a0}\u{2003}\u{3000}é]{0,6}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }

    #[test]
    fn long_values_are_cut() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abcdef", 3), "abc… (3 more bytes)");
        assert_eq!(cut("ééé", 2), "éé… (2 more bytes)");
    }
}
