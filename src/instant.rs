//! Reading and printing instants (SPEC §3): RFC 3339, or a local date-time read
//! in a zone, where a time in a DST gap or fold is an error naming the offsets.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};

/// Parses `s` as an instant: `now`, RFC 3339 (`2026-11-20T17:30:00+01:00`,
/// `…Z`), or local `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` read in `tz`. Sub-second
/// digits are truncated. Returns UTC seconds.
///
/// # Errors
/// [`Error::Input`] naming the value and the accepted forms, or, for a local
/// time in a DST gap or fold, both possible offsets.
pub fn parse_instant(s: &str, tz: Tz, now: i64) -> Result<i64> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    let bad = || {
        Error::Input(format!(
            "invalid time \"{s}\" (expected RFC 3339 like 2026-11-20T17:30:00+01:00, a local time like \"2026-11-20 17:30\", or now)"
        ))
    };
    if t.is_empty() || t.len() > 64 {
        return Err(bad());
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return in_range(dt.timestamp(), s);
    }
    // RFC 3339 with a space instead of T.
    if let Ok(dt) = DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)) {
        return in_range(dt.timestamp(), s);
    }
    let naive = parse_local(t).ok_or_else(bad)?;
    in_range(resolve_local(naive, tz, s)?, s)
}

fn in_range(t: i64, s: &str) -> Result<i64> {
    // 1583-01-01 .. 9999-12-31: the years the holiday rules cover.
    if (-12_212_553_600..=253_402_300_799).contains(&t) {
        Ok(t)
    } else {
        Err(Error::Input(format!("time \"{s}\" is out of range (years 1583 to 9999)")))
    }
}

fn parse_local(t: &str) -> Option<NaiveDateTime> {
    let t = t.replacen('T', " ", 1);
    let t = match t.split_once('.') {
        Some((head, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => head.to_string(),
        Some(_) => return None,
        None => t,
    };
    NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M"))
        .ok()
        .filter(|_| t.len() <= 19 && t.as_bytes().get(4) == Some(&b'-'))
}

/// Reads a local date-time in `tz`, refusing gaps and folds.
///
/// # Errors
/// [`Error::Input`] naming both possible offsets.
pub fn resolve_local(naive: NaiveDateTime, tz: Tz, shown: &str) -> Result<i64> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => Ok(dt.timestamp()),
        LocalResult::Ambiguous(a, b) => {
            let (oa, ob) = (a.offset().fix(), b.offset().fix());
            Err(Error::Input(format!(
                "local time \"{shown}\" is ambiguous in {tz}: it happens twice as the clocks go back, at {oa} and at {ob}; write the offset, e.g. {} or {}",
                a.fixed_offset().format("%Y-%m-%dT%H:%M:%S%:z"),
                b.fixed_offset().format("%Y-%m-%dT%H:%M:%S%:z"),
            )))
        }
        LocalResult::None => {
            let before = tz.offset_from_utc_datetime(&(naive - chrono::Duration::hours(24))).fix();
            let after = tz.offset_from_utc_datetime(&(naive + chrono::Duration::hours(24))).fix();
            Err(Error::Input(format!(
                "local time \"{shown}\" does not exist in {tz}: the clocks jump from {before} to {after} (a DST gap); write the offset, e.g. {} or {}",
                fmt_with(naive, before),
                fmt_with(naive, after),
            )))
        }
    }
}

fn fmt_with(naive: NaiveDateTime, off: FixedOffset) -> String {
    format!("{}{}", naive.format("%Y-%m-%dT%H:%M:%S"), off)
}

/// Parses a date `YYYY-MM-DD`.
///
/// # Errors
/// [`Error::Input`] naming the value.
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1583..=9998).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| Error::Input(format!("invalid date \"{s}\" (expected YYYY-MM-DD between 1583 and 9998)")))
}

/// Where printed instants are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// In this zone, with its offset.
    Zone(Tz),
    /// In UTC, with `Z`.
    Utc,
}

/// Prints UTC seconds as RFC 3339: `2026-11-23T14:30:00+01:00` or `…Z`.
pub fn format_instant(t: i64, d: Display) -> String {
    let Some(utc) = DateTime::<Utc>::from_timestamp(t, 0) else {
        return t.to_string();
    };
    match d {
        Display::Utc => utc.to_rfc3339_opts(SecondsFormat::Secs, true),
        Display::Zone(tz) => utc.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    #[test]
    fn forms() {
        let want = 1_763_656_200; // 2025-11-20T16:30:00Z
        assert_eq!(parse_instant("2025-11-20T17:30:00+01:00", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20T16:30:00Z", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20 17:30", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20T17:30:00.999", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("now", Paris, 42).unwrap(), 42);
        for bad in ["2026-13-01 10:00", "2026-02-30T10:00", "2026-01-01 25:00", "", "2026-01-01 10:00 x", "tomorrow"] {
            assert!(parse_instant(bad, Paris, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn gap_and_fold_name_both_offsets() {
        let gap = parse_instant("2026-03-29 02:30", Paris, 0).unwrap_err().to_string();
        assert!(gap.contains("+01:00") && gap.contains("+02:00"), "{gap}");
        let fold = parse_instant("2026-10-25 02:30", Paris, 0).unwrap_err().to_string();
        assert!(fold.contains("+02:00") && fold.contains("+01:00") && fold.contains("ambiguous"), "{fold}");
    }

    #[test]
    fn prints_in_zone_or_utc() {
        assert_eq!(format_instant(1_763_656_200, Display::Zone(Paris)), "2025-11-20T17:30:00+01:00");
        assert_eq!(format_instant(1_763_656_200, Display::Utc), "2025-11-20T16:30:00Z");
    }
}
