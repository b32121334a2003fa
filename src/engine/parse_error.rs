//! Why a value written in a plan (a duration, a target, a window) did not
//! parse. The parsers name the value; the plan loader adds where it is.

use std::fmt;

/// A value of the engine's own syntax that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// `invalid WHAT "VALUE" (expected EXPECTED)`.
    Invalid {
        /// `duration`, `target` or `interval`.
        what: &'static str,
        /// The value as written.
        value: String,
        /// The accepted forms.
        expected: &'static str,
    },
    /// A time of day in a window that is not `HH:MM` in range.
    Time {
        /// The time as written.
        time: String,
        /// The latest time accepted: `24:00` for an end, `23:59` for a start.
        latest: &'static str,
        /// The window it is in.
        interval: String,
    },
    /// A window whose end is its start (an end before the start is an
    /// overnight window, not an error).
    Empty {
        /// The window as written.
        interval: String,
    },
    /// A number of business days over 1,000,000.
    BusinessDays {
        /// The target as written.
        value: String,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Invalid { what, value, expected } => {
                write!(f, "invalid {what} \"{value}\" (expected {expected})")
            }
            ParseError::Time { time, latest, interval } => {
                write!(f, "invalid time \"{time}\" (expected HH:MM from 00:00 to {latest}) in interval \"{interval}\"")
            }
            ParseError::Empty { interval } => write!(
                f,
                "interval \"{interval}\" is empty (it ends when it starts; an end before the start, as in 22:00-06:00, is an overnight window ending the next day)"
            ),
            ParseError::BusinessDays { value } => write!(f, "business days out of range in \"{value}\" (0 to 1000000)"),
        }
    }
}

impl std::error::Error for ParseError {}
