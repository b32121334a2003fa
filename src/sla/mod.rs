//! The questions slacalc answers, as pure functions of (plan, input, now).
//! The CLI and `batch` both call these; none of them reads a clock or a file.

pub mod credit;
pub mod deadline;
pub mod entitlements;
pub mod lifecycle;
pub mod money;
pub mod pause;
pub mod period;
pub mod quota;
pub mod status;
pub mod ticket;

pub use credit::{CreditAnswer, CreditInput, UptimeAnswer, credit};
pub use deadline::{ClockStart, Commitment, DeadlineAnswer, Explanation, Resolved, deadline, explanation};
pub use entitlements::{EntitlementRow, entitlements};
pub use money::Money;
pub use pause::{parse_pause, parse_pause_as, parse_pause_list, parse_pause_list_as};
pub use quota::{QuotaAnswer, QuotaInput, QuotaState, Usage, quota};
pub use status::{ClockState, StatusAnswer, not_after_now, status};
pub use ticket::{Given, StopAfterNow, Ticket, Untracked, resolve};
