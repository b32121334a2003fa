//! Half-open spans of time, `[start, end)`, in UTC seconds since the Unix epoch.
//!
//! The engine works on plain `i64` seconds rather than `DateTime` values: the
//! hot loops only add, compare and clip, and the time-zone work happens once per
//! local day in [`crate::engine::calendar`].

/// A half-open span `[start, end)` of UTC seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Segment {
    /// First second inside the span.
    pub start: i64,
    /// First second after the span.
    pub end: i64,
}

impl Segment {
    /// Builds a span; `end` before `start` gives an empty span at `start`.
    pub fn new(start: i64, end: i64) -> Segment {
        Segment { start, end: end.max(start) }
    }

    /// Length in seconds.
    pub fn duration(&self) -> i64 {
        self.end - self.start
    }

    /// True when the span holds no second.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two spans share at least one second.
    pub fn overlaps(&self, other: &Segment) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The part of `self` that lies inside `other`, if any.
    pub fn intersect(&self, other: &Segment) -> Option<Segment> {
        let s = Segment::new(self.start.max(other.start), self.end.min(other.end));
        (!s.is_empty()).then_some(s)
    }
}

/// Sorts spans and merges the ones that overlap or touch, dropping empty ones.
///
/// Pauses and outages arrive in any order and may overlap; every walk wants
/// them disjoint and ordered so it can subtract them in one pass.
pub fn normalize(mut spans: Vec<Segment>) -> Vec<Segment> {
    spans.retain(|s| !s.is_empty());
    spans.sort();
    let mut out: Vec<Segment> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Calls `f` with each piece of `seg` left after removing the (normalized)
/// `holes`, in order.
#[cfg(test)]
pub(crate) fn subtract_each(seg: Segment, holes: &[Segment], mut f: impl FnMut(Segment) -> bool) -> bool {
    let mut cursor = seg.start;
    for h in holes {
        if h.end <= cursor {
            continue;
        }
        if h.start >= seg.end {
            break;
        }
        if h.start > cursor && !f(Segment::new(cursor, h.start)) {
            return false;
        }
        cursor = cursor.max(h.end);
        if cursor >= seg.end {
            return true;
        }
    }
    if cursor < seg.end {
        return f(Segment::new(cursor, seg.end));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_merges_overlapping_and_touching() {
        let n = normalize(vec![
            Segment::new(10, 20),
            Segment::new(0, 5),
            Segment::new(5, 7),
            Segment::new(15, 30),
            Segment::new(40, 40),
        ]);
        assert_eq!(n, vec![Segment::new(0, 7), Segment::new(10, 30)]);
    }

    #[test]
    fn subtract_leaves_pieces_between_holes() {
        let mut pieces = vec![];
        subtract_each(
            Segment::new(0, 100),
            &[Segment::new(-5, 10), Segment::new(20, 30), Segment::new(90, 200)],
            |p| {
                pieces.push(p);
                true
            },
        );
        assert_eq!(pieces, vec![Segment::new(10, 20), Segment::new(30, 90)]);
    }

    #[test]
    fn intersect_of_disjoint_is_none() {
        assert_eq!(Segment::new(0, 5).intersect(&Segment::new(5, 9)), None);
        assert_eq!(Segment::new(0, 6).intersect(&Segment::new(5, 9)), Some(Segment::new(5, 6)));
    }
}
