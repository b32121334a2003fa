//! One wall-clock window of a day (`09:00-12:00`), as plan files write it.

use super::ParseError;

/// One wall-clock window of a day, `[start, end)` in seconds since local
/// midnight; `end` may be 86 400 (`24:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    /// Seconds after local midnight.
    pub start: u32,
    /// Seconds after local midnight, at most 86 400.
    pub end: u32,
}

impl Window {
    /// Parses `HH:MM-HH:MM` (end may be `24:00`).
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
        if end <= start {
            return Err(ParseError::Backwards { interval: s.to_string() });
        }
        Ok(Window { start, end })
    }

    /// Length in wall-clock seconds.
    pub fn len(&self) -> i64 {
        i64::from(self.end - self.start)
    }

    /// True when the window holds no time (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = |s: u32| format!("{:02}:{:02}", s / 3600, s / 60 % 60);
        write!(f, "{}-{}", p(self.start), p(self.end))
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
        for bad in ["25:00-26:00", "12:00-09:00", "09:00", "9:00-12:00", "24:00-24:00", "09:60-10:00", "10:00-10:00"] {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
    }
}
