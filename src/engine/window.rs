//! One wall-clock window of a day (`09:00-12:00`), as plan files write it.
//!
//! An overnight window (`22:00-06:00`, end before start) belongs to the day
//! it starts on and ends on the next day: its `end` is past 86 400 (the next
//! day's 06:00 is 86 400 + 21 600), so a window is always `start < end`
//! in seconds after the local midnight of its own day.

use super::ParseError;
use super::day::WorkSpan;

/// Seconds in a civil day, as windows count them.
const DAY: u32 = 86_400;

/// One wall-clock window of a day, `[start, end)` in seconds since the local
/// midnight of the day it starts on; `end` may be 86 400 (`24:00`) or, for an
/// overnight window, up to the next day's wall-clock time plus 86 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    /// Seconds after local midnight, below 86 400.
    pub start: u32,
    /// Seconds after the same local midnight, above `start`; past 86 400 for
    /// an overnight window (then below `start + 86 400`).
    pub end: u32,
}

impl Window {
    /// Parses `HH:MM-HH:MM` (end may be `24:00`). An end before the start is
    /// an overnight window that ends the next day (`22:00-06:00`).
    ///
    /// # Errors
    /// [`ParseError`] naming the value when it is malformed, out of range or empty.
    pub fn parse(s: &str) -> Result<Window, ParseError> {
        let (a, b) = s.split_once('-').ok_or_else(|| ParseError::Invalid {
            what: "interval",
            value: s.to_string(),
            expected: "HH:MM-HH:MM, e.g. 09:00-12:00",
        })?;
        let time = |t: &str, allow_24: bool| {
            parse_hhmm(t, allow_24).ok_or_else(|| ParseError::Time {
                time: t.to_string(),
                latest: if allow_24 { "24:00" } else { "23:59" },
                interval: s.to_string(),
            })
        };
        let start = time(a.trim(), false)?;
        let end = time(b.trim(), true)?;
        if end == start {
            return Err(ParseError::Empty { interval: s.to_string() });
        }
        // `22:00-06:00`: the end is on the next day.
        let end = if end < start { end + DAY } else { end };
        Ok(Window { start, end })
    }

    /// Length, in wall-clock seconds.
    pub fn len(&self) -> WorkSpan {
        WorkSpan::new(i64::from(self.end - self.start))
    }

    /// True when the window holds no time (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the window ends on the next day (`22:00-06:00`).
    pub fn is_overnight(&self) -> bool {
        self.end > DAY
    }

    /// How far into the next day the window reaches, in wall-clock seconds
    /// after that day's midnight (0 unless overnight).
    pub fn tail(&self) -> u32 {
        self.end.saturating_sub(DAY)
    }
}

/// How far the windows of a day reach into the next day (0: not at all).
pub(crate) fn tail_of(day: &[Window]) -> u32 {
    day.iter().map(Window::tail).max().unwrap_or(0)
}

/// The earliest start of a day's windows (a day without any: 86 400).
pub(crate) fn head_of(day: &[Window]) -> u32 {
    day.iter().map(|w| w.start).min().unwrap_or(DAY)
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = |s: u32| format!("{:02}:{:02}", s / 3600, s / 60 % 60);
        // An overnight end is written as the next day's wall-clock time.
        let end = if self.end > DAY { self.end - DAY } else { self.end };
        write!(f, "{}-{}", p(self.start), p(end))
    }
}

fn parse_hhmm(s: &str, allow_24: bool) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)) {
        return None;
    }
    Some(h * 3600 + m * 60)
}

/// Sorts a day's windows and reports the first overlapping pair.
pub(crate) fn check_windows(day: &mut [Window]) -> Result<(), (Window, Window)> {
    day.sort();
    for pair in day.windows(2) {
        if pair[1].start < pair[0].end {
            return Err((pair[0], pair[1]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_parsing() {
        assert_eq!(Window::parse("09:00-12:00"), Ok(Window { start: 32_400, end: 43_200 }));
        assert_eq!(Window::parse("22:00-24:00").map(|w| w.end), Ok(86_400));
        for bad in ["25:00-26:00", "09:00", "9:00-12:00", "24:00-24:00", "09:60-10:00", "10:00-10:00", "00:00-00:00"] {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
        // Overnight: ends the next day, shown as written.
        let night = Window::parse("22:00-06:00").unwrap();
        assert_eq!(night, Window { start: 79_200, end: 86_400 + 21_600 });
        assert!(night.is_overnight());
        assert_eq!(
            (night.len().secs(), night.tail(), night.to_string()),
            (8 * 3600, 21_600, "22:00-06:00".to_string())
        );
        assert_eq!(Window::parse("12:00-09:00").map(|w| w.len().secs()), Ok(21 * 3600));
        assert_eq!(Window::parse("22:00-00:00"), Window::parse("22:00-24:00"));
        assert!(!Window::parse("22:00-24:00").unwrap().is_overnight());
    }
}
