//! The questions slacalc answers, as pure functions of (plan, input, now).
//! The CLI and `batch` both call these; none of them reads a clock or a file.

pub mod deadline;
pub mod status;

pub use deadline::{Commitment, DeadlineAnswer, Resolved, deadline, resolve};
pub use status::{State, StatusAnswer, status};
