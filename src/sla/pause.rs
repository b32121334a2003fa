//! Pauses (`FROM/TO`): read the same way from `--pause` and from a batch
//! row's `pauses` column, so both stop the clock alike.

use chrono_tz::Tz;

use crate::engine::Segment;
use crate::engine::segment::normalize;
use crate::error::{Error, Result};
use crate::instant::parse_instant;
use crate::text::cut;

/// Parses one pause `FROM/TO`; local times are read in `zone`. `name` is how
/// the user gave it (`--pause`, `pauses`), for the messages.
///
/// # Errors
/// [`Error::Invalid`] for no `/`, [`Error::Input`] for a bad time, or
/// [`Error::Backwards`] for an end before the start.
pub fn parse_pause(text: &str, zone: Tz, now: i64, name: &str) -> Result<Segment> {
    let shown = cut(text, 80);
    let Some((a, b)) = text.split_once('/') else {
        return Err(Error::invalid(name.to_string(), shown, "FROM/TO, e.g. \"2026-11-20 11:00/2026-11-23 10:00\""));
    };
    let from = parse_instant(a, zone, now).map_err(|e| Error::Input(format!("invalid {name} start: {e}")))?;
    let to = parse_instant(b, zone, now).map_err(|e| Error::Input(format!("invalid {name} end: {e}")))?;
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
pub fn parse_pause_list(text: &str, zone: Tz, now: i64, name: &str) -> Result<Vec<Segment>> {
    let mut out = Vec::new();
    for p in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        out.push(parse_pause(p, zone, now, name)?);
    }
    Ok(normalize(out))
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
}
