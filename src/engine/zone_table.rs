//! chrono-tz's offset changes from 1582 to 2100, read once for every zone
//! (issue 23), so an offset or a year's changes are a binary search, not a
//! search over chrono-tz's answers.
//!
//! chrono-tz is the zone database, and stays it: it has no public API for
//! its transitions, so `examples/gen_zone_table.rs` reads them from
//! chrono-tz itself (sampling every zone daily and bisecting each change to
//! the second) and writes them to `zone_table/data.rs`, with the tz
//! database release they came from. The table is used only when that
//! release and the number of zones are chrono-tz's own (checked at compile
//! time, [`VALID`]): after a chrono-tz update that was not followed by a
//! regeneration, [`crate::engine::zone`] answers from chrono-tz as before
//! (slower, same answers), and the tests here fail until the file is
//! written again. The tests compare the table with chrono-tz at every change
//! (both sides of it) and at sampled instants, for every zone.
//!
//! Layout: the changes of all zones, two parallel arrays ([`data::AT`],
//! [`data::OFFSET`]), each zone a run of them ([`data::ZONES`], by the
//! zone's `Tz` discriminant, which indexes `TZ_VARIANTS`); a run starts
//! with `i64::MIN` and the offset at [`COVER_START`], and zones with the same
//! offsets (links) share a run. 36 k changes, 12 bytes each.

use chrono_tz::Tz;

use super::zone::TABLE_END;

#[rustfmt::skip]
mod data;

/// 1582-01-01T00:00:00Z: the table's first instant (the walks reach a few
/// days before 1583-01-01; nothing earlier asks).
pub(crate) const COVER_START: i64 = -12_244_089_600;

/// True when the table was read from the chrono-tz release this build links.
const VALID: bool =
    same(data::TZDB_VERSION, chrono_tz::IANA_TZDB_VERSION) && data::ZONES.len() == chrono_tz::TZ_VARIANTS.len();

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `tz`'s run: the instants its offsets start at, and the offsets.
fn run(tz: Tz) -> Option<(&'static [i64], &'static [i32])> {
    if !VALID {
        return None;
    }
    // `Tz` is a field-less enum: its discriminant indexes `TZ_VARIANTS`.
    let &(from, to) = data::ZONES.get(tz as usize)?;
    let range = from as usize..to as usize;
    Some((data::AT.get(range.clone())?, data::OFFSET.get(range)?))
}

/// True when the table answers for instants in `[from, to]`.
fn covers(from: i64, to: i64) -> bool {
    VALID && COVER_START <= from && to < TABLE_END
}

/// chrono-tz's offset of `tz` at UTC instant `t`, when the table covers `t`.
#[inline]
pub(crate) fn offset(tz: Tz, t: i64) -> Option<i64> {
    if !covers(t, t) {
        return None;
    }
    let (at, off) = run(tz)?;
    // `at[0]` is `i64::MIN`, so at least one entry is at or before `t`.
    let i = at.partition_point(|&a| a <= t).checked_sub(1)?;
    off.get(i).map(|&o| i64::from(o))
}

/// The offset of `tz` at `from` and every change in `(from, to]` (the UTC
/// instant, the offset from then on), when the table covers both: what
/// [`crate::engine::zone::transitions`] answers.
pub(crate) fn changes(tz: Tz, from: i64, to: i64) -> Option<(i64, Vec<(i64, i64)>)> {
    if !covers(from, to) || from > to {
        return None;
    }
    let (at, off) = run(tz)?;
    let first = at.partition_point(|&a| a <= from);
    let last = at.partition_point(|&a| a <= to);
    let base = i64::from(*off.get(first.checked_sub(1)?)?);
    let list = at.get(first..last)?.iter().zip(off.get(first..last)?).map(|(&a, &o)| (a, i64::from(o))).collect();
    Some((base, list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Offset, TimeZone};

    fn chrono_offset(tz: Tz, t: i64) -> i64 {
        let dt = chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc();
        i64::from(tz.offset_from_utc_datetime(&dt).fix().local_minus_utc())
    }

    /// The table was read from the tz database release chrono-tz ships
    /// (regenerate it after a chrono-tz update: see the module docs).
    #[test]
    fn read_from_the_linked_chrono_tz() {
        assert_eq!(data::TZDB_VERSION, chrono_tz::IANA_TZDB_VERSION, "run examples/gen_zone_table.rs");
        assert_eq!(data::ZONES.len(), chrono_tz::TZ_VARIANTS.len());
        // In use: `VALID` holds.
        assert!(run(chrono_tz::UTC).is_some());
        assert_eq!(data::AT.len(), data::OFFSET.len());
    }

    /// Every change of every zone: chrono-tz's offset one second before it
    /// is the previous one, at it the new one; and each run is sorted, with
    /// every entry an actual change.
    #[test]
    fn every_change_is_chrono_tz_s() {
        for tz in chrono_tz::TZ_VARIANTS {
            let (at, off) = run(tz).unwrap();
            assert_eq!(at.first(), Some(&i64::MIN), "{tz}");
            assert_eq!(i64::from(off[0]), chrono_offset(tz, COVER_START), "{tz}");
            for i in 1..at.len() {
                assert!(at[i - 1] < at[i] && COVER_START < at[i] && at[i] < TABLE_END, "{tz} {}", at[i]);
                assert_ne!(off[i - 1], off[i], "{tz} {}", at[i]);
                assert_eq!(chrono_offset(tz, at[i] - 1), i64::from(off[i - 1]), "{tz} {}", at[i]);
                assert_eq!(chrono_offset(tz, at[i]), i64::from(off[i]), "{tz} {}", at[i]);
            }
        }
    }

    /// Sampled instants, every zone: every 41 days and 7 hours or so from
    /// 1582 to 2100 (a step that drifts through the hours of the day and the
    /// days of the week; the changes themselves are checked above), and the
    /// edges of the table.
    #[test]
    fn sampled_instants_are_chrono_tz_s() {
        for tz in chrono_tz::TZ_VARIANTS {
            let mut t = COVER_START;
            while t < TABLE_END {
                assert_eq!(offset(tz, t), Some(chrono_offset(tz, t)), "{tz} {t}");
                t += 41 * 86_400 + 7 * 3600 + 13;
            }
            assert_eq!(offset(tz, TABLE_END - 1), Some(chrono_offset(tz, TABLE_END - 1)), "{tz}");
            assert_eq!((offset(tz, COVER_START - 1), offset(tz, TABLE_END)), (None, None));
        }
    }

    /// [`changes`] over a few spans is the table's slice, and (the search it
    /// replaces) the same offsets as chrono-tz's.
    #[test]
    fn changes_are_the_offsets_between() {
        for tz in [chrono_tz::Europe::Paris, chrono_tz::Australia::Sydney, chrono_tz::Africa::Lagos] {
            let (at, _) = run(tz).unwrap();
            for &t in at.iter().skip(1).step_by(7) {
                let (from, to) = (t - 86_400, t);
                let (base, list) = changes(tz, from, to).unwrap();
                assert_eq!(base, chrono_offset(tz, from), "{tz} {t}");
                assert_eq!(list.last().map(|&(a, o)| (a, o)), Some((t, chrono_offset(tz, t))), "{tz} {t}");
                // Exactly at `from`: already in force, not a change in `(from, to]`.
                let (base, list) = changes(tz, t, t + 1).unwrap();
                assert_eq!((base, list.len()), (chrono_offset(tz, t), 0), "{tz} {t}");
            }
        }
    }
}
