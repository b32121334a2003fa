//! The library's error type. Every message names the bad value and what was
//! expected; plan-file errors carry `file:line:column` and the offending line.

use std::fmt;

/// A problem in a plan file, located to the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// File name as given (or `embedded:NAME`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// The source line, for the caret display.
    pub line_text: String,
    /// How many characters the caret row underlines.
    pub width: usize,
}

impl PlanError {
    /// Locates byte range `span` of `text` and builds the error.
    pub fn at(file: &str, text: &str, span: std::ops::Range<usize>, message: impl Into<String>) -> PlanError {
        let start = span.start.min(text.len());
        let before = &text[..floor_char(text, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let line_text: String = text[line_start..].lines().next().unwrap_or("").to_string();
        let end = floor_char(text, span.end.min(text.len()).max(start));
        let width = text[floor_char(text, start)..end].lines().next().map_or(1, |l| l.chars().count().max(1));
        PlanError { file: file.to_string(), line, column, message: message.into(), line_text, width }
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        if !self.line_text.is_empty() {
            let n = self.line.to_string();
            let pad = " ".repeat(n.len());
            let lead: String = self
                .line_text
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{pad} |\n{n} | {}\n{pad} | {lead}{}", self.line_text, "^".repeat(self.width.min(80)))?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A plan file is invalid.
    #[error("{0}")]
    Plan(Box<PlanError>),
    /// `--plan` names no loaded plan.
    #[error("unknown plan \"{name}\"{hint}")]
    UnknownPlan {
        /// What was typed.
        name: String,
        /// ` (did you mean …?)` or the list of plans.
        hint: String,
    },
    /// `--priority` names no level of the plan.
    #[error("unknown priority \"{given}\" for plan {plan} (expected one of: {expected})")]
    UnknownPriority {
        /// What was typed.
        given: String,
        /// Plan id.
        plan: String,
        /// Accepted names.
        expected: String,
    },
    /// The plan's levels differ, so `--priority` is needed.
    #[error("plan {plan} needs --priority (expected one of: {expected})")]
    PriorityRequired {
        /// Plan id.
        plan: String,
        /// Accepted names.
        expected: String,
    },
    /// A value given on the command line or in an input file is invalid.
    #[error("{0}")]
    Input(String),
    /// A walk found no answer.
    #[error(transparent)]
    Walk(#[from] crate::engine::WalkError),
    /// Output could not be written (a full disk, a closed pipe).
    #[error("cannot write output: {0}")]
    Write(String),
    /// A file could not be read.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Error {
        Error::Plan(Box::new(e))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// ` (did you mean "x"?)` for the candidates closest to `given`, or "".
pub fn suggest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let g = given.to_lowercase();
    let mut best: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&g, &c.to_lowercase()), c))
        .filter(|(s, _)| *s > 0.75)
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    best.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<String> = best.iter().take(3).map(|(_, c)| format!("\"{c}\"")).collect();
    (!names.is_empty()).then(|| names.join(" or "))
}

/// `s` when it has at most `max` characters, else its first `max` characters
/// and "…". Messages echo what was given, and a value can be megabytes long.
pub fn cut(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..end])),
    }
}
