//! Pauses (`FROM/TO`): read the same way from `--pause` and from a batch
//! row's `pauses` column, so both stop the clock alike.

use chrono_tz::Tz;

use crate::engine::Segment;
use crate::engine::segment::normalize;
use crate::error::{Error, Result};
use crate::instant::{Ambiguous, TimeFormat, parse_instant, parse_instant_in};
use crate::text::cut;

/// Parses one pause `FROM/TO`; local times are read in `zone`. `name` is how
/// the user gave it (`--pause`, `pauses`), for the messages.
///
/// # Errors
/// [`Error::Invalid`] for no `/`, [`Error::Input`] for a bad time, or
/// [`Error::Backwards`] for an end before the start.
pub(crate) fn parse_pause(text: &str, zone: Tz, now: i64, name: &str) -> Result<Segment> {
    split_pause(text, name, |s| parse_instant(s, zone, now))
}

/// Parses one pause `FROM/TO` of an input file, its times written in
/// `format` (the file's `--time-format`), a local time in a DST fold read as
/// `ambiguous` says (`--ambiguous`). When the format itself holds `/`
/// (`%d/%m/%Y %H:%M`), the pause is split at the one `/` that leaves a time
/// on either side; a pause that two `/` could split is refused as ambiguous.
///
/// # Errors
/// As [`parse_pause`], and [`Error::Invalid`] when no `/`, or more than one,
/// splits it into two times.
pub(crate) fn parse_pause_as(
    text: &str,
    zone: Tz,
    now: i64,
    name: &str,
    format: &TimeFormat,
    ambiguous: Ambiguous,
) -> Result<Segment> {
    split_pause(text, name, |s| parse_instant_in(s, zone, now, format, ambiguous))
}

fn split_pause(text: &str, name: &str, read: impl Fn(&str) -> Result<i64>) -> Result<Segment> {
    let shown = cut(text, 80);
    let slashes: Vec<usize> = text.match_indices('/').map(|(i, _)| i).collect();
    let (from, to) = match slashes[..] {
        [] => {
            return Err(Error::invalid(name.to_string(), shown, "FROM/TO, e.g. \"2026-11-20 11:00/2026-11-23 10:00\""));
        }
        [at] => {
            let (a, b) = (&text[..at], &text[at + 1..]);
            let from = read(a).map_err(|e| e.of(format!("invalid {name} start")))?;
            let to = read(b).map_err(|e| e.of(format!("invalid {name} end")))?;
            (from, to)
        }
        // Several: the times hold `/` themselves. Only a split that leaves a
        // time on both sides is one; a pause is read one way or refused. (A
        // strftime pattern has a fixed number of `/`, so only the middle one
        // can split; the ambiguity check guards the rule, not a known case.)
        _ => {
            let splits: Vec<(i64, i64)> =
                slashes.iter().filter_map(|&at| Some((read(&text[..at]).ok()?, read(&text[at + 1..]).ok()?))).collect();
            match splits[..] {
                [one] => one,
                [] => {
                    return Err(Error::invalid_because(
                        name.to_string(),
                        shown,
                        "no / in it splits it into two times of the file's time format",
                        "FROM/TO, each time as --time-format gives it, e.g. \"01/06/2026 11:00/01/06/2026 12:00\" for %d/%m/%Y %H:%M",
                    ));
                }
                _ => {
                    return Err(Error::invalid_because(
                        name.to_string(),
                        shown,
                        "it splits into FROM and TO at more than one /, so it is ambiguous",
                        "FROM/TO with a single way to read it: write both times in full",
                    ));
                }
            }
        }
    };
    if to < from {
        return Err(Error::Backwards { what: name.to_string().into(), value: shown.into_owned() });
    }
    Ok(Segment::new(from, to))
}

/// Parses a list of pauses `FROM/TO;FROM/TO` (empty parts ignored), merged
/// where they overlap.
///
/// # Errors
/// As [`parse_pause`], for the first bad one.
#[cfg(test)]
pub(crate) fn parse_pause_list(text: &str, zone: Tz, now: i64, name: &str) -> Result<Vec<Segment>> {
    parse_pause_list_as(text, zone, now, name, None)
}

/// [`parse_pause_list`] for the `pauses` column of an input file: its times
/// written in `format`, folds read as the policy says (see
/// [`parse_pause_as`]); `None` reads them as `--pause` does.
///
/// # Errors
/// As [`parse_pause_as`], for the first bad one.
pub(crate) fn parse_pause_list_as(
    text: &str,
    zone: Tz,
    now: i64,
    name: &str,
    format: Option<(&TimeFormat, Ambiguous)>,
) -> Result<Vec<Segment>> {
    let mut out = Vec::new();
    for p in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        out.push(match format {
            Some((f, a)) => parse_pause_as(p, zone, now, name, f, a)?,
            None => parse_pause(p, zone, now, name)?,
        });
    }
    Ok(normalize(out))
}

/// A ticket's pauses as `batch` reads its `pauses` column with no profile:
/// `FROM/TO;FROM/TO` (empty parts ignored), each time RFC 3339 or a local
/// time read in `zone` (the plan's), a local time in a DST fold refused,
/// `now` standing for `now`; merged where they overlap, ready for
/// [`super::Ticket::with_pauses`]. For embedding programs (the Python
/// package) that hand over a `pauses` column: the same parser and messages
/// as `batch`.
///
/// # Errors
/// As [`parse_pause_as`], for the first bad pause (named `pauses`).
pub fn parse_pauses(text: &str, zone: Tz, now: crate::Timestamp) -> Result<Vec<Segment>> {
    parse_pause_list_as(text, zone, now.secs(), "pauses", Some((&TimeFormat::Auto, Ambiguous::Reject)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    #[test]
    fn lists_parse_and_merge() {
        let p = parse_pause_list(
            "2026-11-20 11:00/2026-11-20 12:00; 2026-11-20 11:30/2026-11-20 13:00;",
            Paris,
            0,
            "pauses",
        )
        .unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].duration(), 7200);
        let e = parse_pause_list("2026-11-20 12:00/2026-11-20 11:00", Paris, 0, "pauses").unwrap_err().to_string();
        assert!(e.contains("pauses") && e.contains("before it starts"), "{e}");
        let e = parse_pause_list("x", Paris, 0, "pauses").unwrap_err().to_string();
        assert!(e.contains("FROM/TO"), "{e}");
    }

    #[test]
    fn pauses_read_as_batch_reads_its_column() {
        let now = crate::Timestamp::from_secs(1_800_000_000);
        let p = parse_pauses("2026-11-20 11:00/2026-11-20T11:30:00Z; 2026-11-20 13:00/now", Paris, now).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].duration(), 5400, "the local start in Paris (10:00Z), the end in UTC");
        assert_eq!(p[1].end, now.secs());
        let e = parse_pauses("2026-10-25 02:30/2026-10-25 04:00", Paris, now).unwrap_err().to_string();
        assert!(e.contains("pauses"), "{e}");
    }

    #[test]
    fn a_format_with_slashes_splits_where_both_sides_read() {
        let f = TimeFormat::parse("%d/%m/%Y %H:%M").unwrap();
        let p = parse_pause_as("01/06/2026 11:00/01/06/2026 12:30", Paris, 0, "pauses", &f, Ambiguous::Reject).unwrap();
        assert_eq!(p.duration(), 5400);
        let e = parse_pause_as("01/06/2026 11:00/01/06/x", Paris, 0, "pauses", &f, Ambiguous::Reject)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no / in it splits"), "{e}");
        let unix = TimeFormat::Unix;
        let p = parse_pause_as("1780304400/1780308000", Paris, 0, "pauses", &unix, Ambiguous::Reject).unwrap();
        assert_eq!(p.duration(), 3600);
    }
}
