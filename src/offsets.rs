//! UTC offsets remembered per zone while `batch` and `replay` print their
//! rows (one memo for both: each keeps its own, per worker).

use std::sync::Arc;

use crate::engine::{Calendar, YearCursor};

/// The UTC offsets of the plans' zones, each with the span it holds for, so
/// most rows print their instants without a time-zone look-up.
#[derive(Default)]
pub(crate) struct OffsetMemo {
    zones: Vec<ZoneSpans>,
    /// The zone asked for last (rows of one plan often follow each other).
    last: usize,
}

/// Spans of one zone's offsets remembered: a year of instants falls in
/// three (winter, summer, winter), which one span alone kept swapping.
struct ZoneSpans {
    cal: Arc<Calendar>,
    /// (offset, valid from, valid until); an empty span matches nothing.
    spans: [(i64, i64, i64); SPANS],
    /// The slot the next new span replaces.
    next: usize,
    cursor: YearCursor,
}

/// Offset spans remembered per zone.
const SPANS: usize = 4;

impl OffsetMemo {
    pub(crate) fn offset(&mut self, cal: &Arc<Calendar>, t: i64) -> i64 {
        let i = match self.zones.get(self.last) {
            Some(z) if Arc::ptr_eq(&z.cal, cal) => self.last,
            _ => match self.zones.iter().position(|z| Arc::ptr_eq(&z.cal, cal)) {
                Some(i) => i,
                None => {
                    let cal = Arc::clone(cal);
                    self.zones.push(ZoneSpans { cal, spans: [(0, 1, 0); SPANS], next: 0, cursor: YearCursor::new() });
                    self.zones.len() - 1
                }
            },
        };
        self.last = i;
        let z = &mut self.zones[i];
        if let Some(&(off, _, _)) = z.spans.iter().find(|&&(_, from, to)| from <= t && t < to) {
            return off;
        }
        let span = z.cal.offset_span(t, &mut z.cursor);
        z.spans[z.next % SPANS] = span;
        z.next = (z.next + 1) % SPANS;
        span.0
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::PlanSet;

    /// The four calendars, from plans loaded once for every case (a load per
    /// case was most of this test's time).
    static CALS: LazyLock<Vec<Arc<Calendar>>> = LazyLock::new(|| {
        let plans = PlanSet::load(&[]).unwrap();
        ["apizee-gold", "cirrus-paying", "otter-basic", "biings-onprem"]
            .iter()
            .map(|id| Arc::clone(&plans.get(id).unwrap().calendar.calendar))
            .collect()
    });

    proptest::proptest! {
        // SLACALC_PROPTEST_CASES=N for a long run.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300),
        ))]

        #[test]
        fn remembered_offsets_are_the_calendars(
            asks in proptest::collection::vec((0usize..4, -2_000_000_000i64..6_000_000_000, 0i64..3), 1..60),
        ) {
            let cals = &*CALS;
            let mut memo = OffsetMemo::default();
            let mut at = 0;
            for (zone, t, step) in asks {
                // Near the last instant too: what a row asks.
                at = if step == 0 { t } else { at + step * 86_400 * 40 };
                let want = cals[zone].offset_span(at, &mut YearCursor::new()).0;
                proptest::prop_assert_eq!(memo.offset(&cals[zone], at), want, "{} at {}", zone, at);
                // And what printing in the zone used to ask for each instant.
                let tz = cals[zone].tz();
                let shown = if cals[zone].is_always() { 0 } else { crate::engine::zone::offset_at(tz, at) };
                proptest::prop_assert_eq!(want, shown, "{} at {}", zone, at);
            }
        }
    }
}
