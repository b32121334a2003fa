//! The questions slacalc answers, as pure functions of (plan, input, now).
//! The CLI and `batch` both call these; none of them reads a clock or a file.

pub(crate) mod credit;
pub(crate) mod deadline;
pub(crate) mod entitlements;
pub(crate) mod lifecycle;
pub(crate) mod money;
pub(crate) mod pause;
pub(crate) mod period;
pub(crate) mod quota;
pub(crate) mod status;
pub(crate) mod ticket;

pub use deadline::{ClockStart, Commitment, DeadlineAnswer, Explanation, Resolved, deadline, explanation};
pub use pause::parse_pauses;
pub use status::{ClockState, RowStatus, StatusAnswer, StatusRun, row_status, status};
pub use ticket::{Given, StopAfterNow, Ticket, Untracked, resolve};

pub(crate) use money::Money;
pub(crate) use pause::{parse_pause, parse_pause_list_as};
pub(crate) use status::not_after_now;
