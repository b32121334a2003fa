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

/// Offset changes per equivalent year, filled on first use (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct ZoneYears {
    /// [`zone::changes_after_table`], asked once.
    changes: OnceLock<bool>,
    /// For each year 2072–2099, its changes strictly inside it (absolute UTC
    /// instants, with the offset from then on).
    equivalent: [OnceLock<Vec<(i64, i64)>>; 28],
}

impl ZoneYears {
    /// Exactly [`zone::transitions`]`(tz, from, to)`: the offset at `from`
    /// and every change in `(from, to]`, answered from the memo past the table.
    pub(crate) fn transitions(&self, tz: Tz, from: i64, to: i64) -> (i64, Vec<(i64, i64)>) {
        if to < TABLE_END {
            return zone::transitions(tz, from, to);
        }
        let changes = *self.changes.get_or_init(|| zone::changes_after_table(tz));
        let (base, mut out) = if from < TABLE_END {
            zone::transitions(tz, from, TABLE_END - 1)
        } else {
            (zone::offset_at(tz, from), Vec::new())
        };
        let mut off = out.last().map_or(base, |&(_, o)| o);
        let mut s = from.max(TABLE_END);
        while s <= to {
            let year = Day::containing(s).year();
            let (start, end) = (Day::jan1(year).start(), Day::jan1(year + 1).start());
            if s > from {
                // `s` starts a UTC year: its offset may differ from the last one.
                let o = zone::offset_beyond(tz, s, changes);
                if o != off {
                    out.push((s, o));
                    off = o;
                }
            }
            if changes {
                let eq = zone::equivalent_year(year);
                let shift = start - Day::jan1(eq).start();
                let last = (end - 1).min(to);
                for &(at, o) in self.equivalent_changes(tz, eq) {
                    let at = at + shift;
                    if at > s && at <= last {
                        out.push((at, o));
                        off = o;
                    }
                }
            }
            s = end;
        }
        (base, out)
    }

    /// The changes strictly inside equivalent year `eq` (2072–2099).
    fn equivalent_changes(&self, tz: Tz, eq: i64) -> &[(i64, i64)] {
        let Some(slot) = usize::try_from(eq - 2072).ok().and_then(|i| self.equivalent.get(i)) else { return &[] };
        slot.get_or_init(|| zone::transitions(tz, Day::jan1(eq).start(), Day::jan1(eq + 1).start() - 1).1)
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
