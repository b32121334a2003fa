//! A calendar's memo of its zone's offset changes after chrono-tz's table.
//!
//! Past 2099 the zone follows the equivalent-year rule of [`zone`]: a UTC
//! year's offsets are those of its equivalent year in 2072–2099, shifted by a
//! whole number of days. So a year's changes need not be searched again:
//! they are the equivalent year's, searched once per calendar (at most 14
//! years, one per year shape), moved by that shift. Only the instant where
//! two UTC years meet is read directly, as its two sides may come from
//! different equivalent years.

use std::sync::OnceLock;

use chrono_tz::Tz;

use super::day::Day;
use super::zone::{self, TABLE_END};

/// One equivalent year's offsets: at its 1 January, and every change
/// strictly inside it (absolute UTC instants, with the offset from then on).
#[derive(Debug, Default)]
struct EqYear {
    base: i64,
    changes: Vec<(i64, i64)>,
}

/// Offsets per equivalent year, filled on first use (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct ZoneYears {
    /// [`zone::changes_after_table`], asked once.
    changes: OnceLock<bool>,
    /// The offset that holds for ever after the table, for a zone without
    /// changes left.
    last: OnceLock<i64>,
    /// Years 2072–2099.
    equivalent: [OnceLock<EqYear>; 28],
}

impl ZoneYears {
    /// Exactly [`zone::transitions`]`(tz, from, to)`: the offset at `from`
    /// and every change in `(from, to]`, answered from the memo past the
    /// table, with no zone look-up once the memo holds the years' shapes.
    pub(crate) fn transitions(&self, tz: Tz, from: i64, to: i64) -> (i64, Vec<(i64, i64)>) {
        if to < TABLE_END {
            return zone::transitions(tz, from, to);
        }
        let changes = *self.changes.get_or_init(|| zone::changes_after_table(tz));
        let in_table = from < TABLE_END;
        let (mut base, mut out) = if in_table { zone::transitions(tz, from, TABLE_END - 1) } else { (0, Vec::new()) };
        let mut off = out.last().map_or(base, |&(_, o)| o);
        let mut s = from.max(TABLE_END);
        while s <= to {
            let year = Day::containing(s).year();
            let (start, end) = (Day::jan1(year).start(), Day::jan1(year + 1).start());
            // The year's offsets: its equivalent year's, moved by the days
            // between the two 1 Januaries.
            let (mut cur, list, shift) = if changes {
                let eq = zone::equivalent_year(year);
                let e = self.equivalent_year(tz, eq);
                (e.base, e.changes.as_slice(), start - Day::jan1(eq).start())
            } else {
                (*self.last.get_or_init(|| zone::offset_at(tz, TABLE_END)), &[][..], 0)
            };
            // Changes at or before `s` (only when `from` lies inside the year).
            let before = list.partition_point(|&(at, _)| at + shift <= s);
            if let Some(&(_, o)) = before.checked_sub(1).and_then(|i| list.get(i)) {
                cur = o;
            }
            if s == from {
                base = cur;
            } else if cur != off {
                // `s` starts a UTC year whose first offset is not the last one.
                out.push((s, cur));
            }
            off = cur;
            let last = (end - 1).min(to);
            for &(at, o) in list.get(before..).unwrap_or(&[]) {
                if at + shift > last {
                    break;
                }
                out.push((at + shift, o));
                off = o;
            }
            s = end;
        }
        (base, out)
    }

    /// The offsets of equivalent year `eq` (2072–2099).
    fn equivalent_year(&self, tz: Tz, eq: i64) -> &EqYear {
        static NONE: EqYear = EqYear { base: 0, changes: Vec::new() };
        let Some(slot) = usize::try_from(eq - 2072).ok().and_then(|i| self.equivalent.get(i)) else { return &NONE };
        slot.get_or_init(|| {
            let (base, changes) = zone::transitions(tz, Day::jan1(eq).start(), Day::jan1(eq + 1).start() - 1);
            EqYear { base, changes }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the table, the memo answers exactly what the search does, for
    /// every zone chrono-tz knows, across the table's end and a few later
    /// years of each shape.
    #[test]
    fn memo_matches_the_search_for_every_zone() {
        for tz in chrono_tz::TZ_VARIANTS {
            let memo = ZoneYears::default();
            for year in [2099, 2100, 2101, 2137, 2400, 2401, 5003, 9999] {
                let (from, to) = ((Day::jan1(year) - 3).start(), (Day::jan1(year + 1) + 3).start());
                assert_eq!(memo.transitions(tz, from, to), zone::transitions(tz, from, to), "{tz} {year}");
            }
        }
    }
}
