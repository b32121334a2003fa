//! The library's error type. Every message names the bad value and what was
//! expected; plan-file errors carry `file:line:column` and the offending line.

use std::borrow::Cow;
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
///
/// Variants carry the data of the problem (what was given, what was
/// expected, the names it may have meant) and print it; the library names the
/// value, and the CLI adds which flag or file it came from (anyhow context).
/// Add a variant when a shape of message repeats; use [`Error::Input`] only
/// for a one-off message that no variant fits.
///
/// # Example
///
/// ```
/// let plans = slacalc::PlanSet::load(&[])?;
/// let gold = plans.get("apizee-gold")?;
/// let metric = slacalc::Metric::FirstResponse;
/// let err = slacalc::sla::resolve(gold, Some("majr"), metric, slacalc::sla::Untracked::Refused).unwrap_err();
/// assert!(matches!(err, slacalc::Error::UnknownPriority { .. }));
/// assert!(err.to_string().contains("\"majr\""));
/// # Ok::<(), slacalc::Error>(())
/// ```
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A plan file is invalid.
    #[error("{0}")]
    Plan(Box<PlanError>),
    /// `--plan` names no loaded plan: `unknown plan "NAME" (did you mean …?)`,
    /// or the first few plans when none is close.
    #[error("unknown plan \"{name}\"{}", PlanHint(.suggestions, .known, *.more))]
    UnknownPlan {
        /// What was typed (cut to a readable length).
        name: String,
        /// The closest plans, closest first.
        suggestions: Vec<Suggestion>,
        /// The first few plan ids, shown when nothing is close.
        known: Vec<String>,
        /// How many more plans are loaded than `known` lists.
        more: usize,
    },
    /// `--priority` names no level of the plan.
    #[error("unknown priority \"{given}\" for plan {plan} (expected one of: {})", OneOf(.expected))]
    UnknownPriority {
        /// What was typed.
        given: String,
        /// Plan id.
        plan: String,
        /// Accepted names (none: the plan has no levels).
        expected: Vec<String>,
    },
    /// The plan's levels differ, so `--priority` is needed.
    #[error("plan {plan} needs --priority (expected one of: {})", OneOf(.expected))]
    PriorityRequired {
        /// Plan id.
        plan: String,
        /// Accepted names.
        expected: Vec<String>,
    },
    /// `invalid WHAT "VALUE"[: PROBLEM] (expected EXPECTED)`: a value that
    /// does not parse, or is out of its range.
    #[error("invalid {what} \"{value}\"{}{} (expected {expected})", if .problem.is_some() { ": " } else { "" }, .problem.as_deref().unwrap_or(""))]
    Invalid {
        /// What the value is: a flag (`--used`), a column, `time`, `date`.
        what: Cow<'static, str>,
        /// The value as given (cut when it may be long).
        value: String,
        /// What is wrong with it, when "invalid" alone would not say.
        problem: Option<Cow<'static, str>>,
        /// The accepted forms or range.
        expected: Cow<'static, str>,
    },
    /// `invalid WHAT "VALUE": it ends before it starts`: a span written
    /// backwards.
    #[error("invalid {what} \"{value}\": it ends before it starts")]
    Backwards {
        /// What the span is (`--pause`, `pauses`).
        what: Cow<'static, str>,
        /// The span as given (cut).
        value: String,
    },
    /// `WHAT AT is after now (NOW)`: an event in the future.
    #[error("{what} {at} is after now ({now})")]
    AfterNow {
        /// What happened (`--opened`, `responded`).
        what: Cow<'static, str>,
        /// When, as printed.
        at: String,
        /// Now, as printed.
        now: String,
    },
    /// `WHAT AT is before OTHER`: a stop before the time it must follow
    /// (`--responded X is before --opened Y`, `responded "X" is before opened`).
    #[error("{what} {at} is before {other}")]
    Before {
        /// What came too early (`--responded`, `responded`).
        what: String,
        /// It, as typed (quoted where the caller quotes it).
        at: String,
        /// What it must not precede, with its value when shown.
        other: String,
    },
    /// `plan P[ priority N] gives no METRIC target (add METRIC = "…" to the
    /// priority in the plan file)`.
    #[error("plan {plan}{} gives no {metric} target (add {metric} = \"…\" to the priority in the plan file)", .priority.as_ref().map_or(String::new(), |p| format!(" priority {p}")))]
    NoTarget {
        /// Plan id.
        plan: String,
        /// The priority level, if the plan has levels.
        priority: Option<String>,
        /// The metric asked about (`next_response`, `resolution`).
        metric: &'static str,
    },
    /// `[NAME ]line N: ERROR`: a record of an input file (a CSV row, a JSON
    /// line) and what is wrong with it.
    #[error("{}line {line}: {error}", InputName(.input))]
    Row {
        /// The input's name, when the message names it (`log.csv`).
        input: Option<String>,
        /// The physical line (1-based) where the record starts.
        line: u64,
        /// What is wrong with the record.
        error: Box<Error>,
    },
    /// `WHAT: ERROR`: a value named by where it came from (a column, a
    /// flag's part, a profile) and what is wrong with it. The inner error is
    /// printed, not returned as `source()` (see [`Error::Write`]).
    #[error("{what}: {error}")]
    Context {
        /// Where the value came from (`opened`, `profile P`, `invalid --pause start`).
        what: Cow<'static, str>,
        /// What is wrong with it.
        error: Box<Error>,
    },
    /// `WHAT is not valid UTF-8`.
    #[error("{what} is not valid UTF-8")]
    NotUtf8 {
        /// What is not (`row`, `the header row`, `column id`).
        what: Cow<'static, str>,
    },
    /// `WHAT is longer than LIMIT bytes`: a record over its limit.
    #[error("{what} is longer than {limit} bytes")]
    TooLong {
        /// What is too long (`row`, `the header row`).
        what: Cow<'static, str>,
        /// The limit in bytes.
        limit: usize,
    },
    /// `unknown WHAT "GIVEN"[PLACE] (expected one of: …)[; did you mean …?]`:
    /// a name that is none of the accepted ones.
    #[error("unknown {what} \"{given}\"{place} (expected one of: {}){}", .expected.join(", "), did_you_mean(.suggestions))]
    Unknown {
        /// What kind of name (`field`).
        what: &'static str,
        /// The name given (cut).
        given: String,
        /// Where it was given (` in [columns]`), or empty.
        place: &'static str,
        /// The accepted names.
        expected: Vec<String>,
        /// The closest accepted names.
        suggestions: Vec<Suggestion>,
    },
    /// `WHAT is out of range (RANGE)`.
    #[error("{what} is out of range ({range})")]
    OutOfRange {
        /// What is out of range (`time "…"`, `the period`).
        what: String,
        /// The range allowed (`years 1583 to 9999`).
        range: Cow<'static, str>,
    },
    /// `WHAT is empty (expected EXPECTED)`.
    #[error("{what} is empty (expected {expected})")]
    Empty {
        /// What is empty.
        what: Cow<'static, str>,
        /// What should be there.
        expected: Cow<'static, str>,
    },
    /// `NAME is larger than LIMIT (limit for KIND)`: an input over its size
    /// limit.
    #[error("{name} is larger than {} (limit for {kind})", crate::text::size(*.limit))]
    TooLarge {
        /// The input (a file name, `<stdin>`, `the input`).
        name: String,
        /// The limit in bytes.
        limit: u64,
        /// The kind of input the limit is for (`request logs`).
        kind: &'static str,
    },
    /// A value of a plan's kind (a duration, a target, a window) that does
    /// not parse.
    #[error(transparent)]
    Parse(#[from] crate::engine::ParseError),
    /// A one-off message: a problem no other variant describes (a flag that
    /// needs another, a plan that needs `--subscription`, a line of an input
    /// file with its own problem). Prefer a variant for any shape that repeats.
    #[error("{0}")]
    Input(String),
    /// A walk found no answer.
    #[error(transparent)]
    Walk(#[from] crate::engine::WalkError),
    /// Output could not be written (a full disk, a closed pipe: match
    /// [`std::io::ErrorKind::BrokenPipe`]).
    ///
    /// The message ends with the `io::Error`'s, so the error is kept but not
    /// returned as `source()` (here and in `Io`): anyhow's `{:#}`, which
    /// `main` prints, would print the reason twice.
    #[error("cannot write output: {0}")]
    Write(std::io::Error),
    /// A file could not be read: `cannot read PATH: REASON`, the reason being
    /// the operating system's, or slacalc's own words in an `io::Error` of a
    /// kind such as `IsADirectory`, `InvalidData` or `FileTooLarge`.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// Why, with its [`std::io::ErrorKind`].
        error: std::io::Error,
    },
}

impl Error {
    /// [`Error::Invalid`] without a problem: `invalid WHAT "VALUE" (expected EXPECTED)`.
    pub fn invalid(
        what: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
        expected: impl Into<Cow<'static, str>>,
    ) -> Error {
        Error::Invalid { what: what.into(), value: value.into(), problem: None, expected: expected.into() }
    }

    /// [`Error::Invalid`] saying what is wrong: `invalid WHAT "VALUE": PROBLEM (expected EXPECTED)`.
    pub fn invalid_because(
        what: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
        problem: impl Into<Cow<'static, str>>,
        expected: impl Into<Cow<'static, str>>,
    ) -> Error {
        Error::Invalid {
            what: what.into(),
            value: value.into(),
            problem: Some(problem.into()),
            expected: expected.into(),
        }
    }

    /// [`Error::Io`] for `path`, from an operating-system error or one made
    /// with [`std::io::Error::new`] (`IsADirectory`, "is a directory, not a file").
    pub fn io(path: impl Into<String>, error: std::io::Error) -> Error {
        Error::Io { path: path.into(), error }
    }

    /// [`Error::Row`]: this error, of the record at `line` (of `input`, when
    /// the message names it).
    pub fn at_line(self, input: Option<String>, line: u64) -> Error {
        Error::Row { input, line, error: Box::new(self) }
    }

    /// [`Error::Context`]: this error, of the value `what` names.
    pub fn of(self, what: impl Into<Cow<'static, str>>) -> Error {
        Error::Context { what: what.into(), error: Box::new(self) }
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Error {
        Error::Plan(Box::new(e))
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A name the user may have meant: `"gold"`, or `"acme-gold" (gold)` when it
/// was an alias of that name that came close (just's `Suggestion`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The name to type.
    pub name: String,
    /// The alias of `name` that matched, when it was not `name` itself.
    pub alias: Option<String>,
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.name)?;
        match &self.alias {
            Some(a) => write!(f, " ({a})"),
            None => Ok(()),
        }
    }
}

/// The one place "did you mean" is worded: ` (did you mean "a" or "b"?)`,
/// or nothing when there is no suggestion.
pub(crate) fn did_you_mean(suggestions: &[Suggestion]) -> impl fmt::Display + '_ {
    DidYouMean(suggestions)
}

struct DidYouMean<'a>(&'a [Suggestion]);

impl fmt::Display for DidYouMean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((first, rest)) = self.0.split_first() else { return Ok(()) };
        write!(f, " (did you mean {first}")?;
        for s in rest {
            write!(f, " or {s}")?;
        }
        f.write_str("?)")
    }
}

/// `UnknownPlan`'s tail: the suggestions, or the plans known.
/// `NAME ` before `line N`, or nothing.
struct InputName<'a>(&'a Option<String>);

impl fmt::Display for InputName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => write!(f, "{name} "),
            None => Ok(()),
        }
    }
}

struct PlanHint<'a>(&'a [Suggestion], &'a [String], usize);

impl fmt::Display for PlanHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let PlanHint(suggestions, known, more) = *self;
        if !suggestions.is_empty() {
            return did_you_mean(suggestions).fmt(f);
        }
        write!(f, " (known plans: {}", known.join(", "))?;
        if more > 0 {
            write!(f, ", … and {more} more: slacalc plans list")?;
        }
        f.write_str(")")
    }
}

/// Accepted names, `a, b, c`; for none, that there are none.
struct OneOf<'a>(&'a [String]);

impl fmt::Display for OneOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("none: this plan has no priority levels, omit --priority")
        } else {
            f.write_str(&self.0.join(", "))
        }
    }
}

/// The candidates closest to `given` (Jaro–Winkler above 0.75, ignoring
/// case), closest first, at most three, one per key: several names (a plan's
/// id and aliases) may share a key, and only the closest of them is kept.
pub(crate) fn closest<'a, K: PartialEq>(
    given: &str,
    candidates: impl IntoIterator<Item = (&'a str, K)>,
) -> Vec<(&'a str, K)> {
    let g = given.to_lowercase();
    let mut close: Vec<(f64, &str, K)> = candidates
        .into_iter()
        .map(|(c, k)| (strsim::jaro_winkler(&g, &c.to_lowercase()), c, k))
        .filter(|(s, _, _)| *s > 0.75)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut picked: Vec<(&str, K)> = Vec::new();
    for (_, c, k) in close {
        if picked.len() < 3 && !picked.iter().any(|(_, j)| *j == k) {
            picked.push((c, k));
        }
    }
    picked
}

/// The names closest to `given` (see [`closest`]), to show with
/// [`did_you_mean`].
pub(crate) fn suggest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<Suggestion> {
    closest(given, candidates.into_iter().map(|c| (c, c)))
        .into_iter()
        .map(|(c, _)| Suggestion { name: c.to_string(), alias: None })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str, alias: Option<&str>) -> Suggestion {
        Suggestion { name: name.into(), alias: alias.map(Into::into) }
    }

    #[test]
    fn did_you_mean_is_worded_once() {
        assert_eq!(did_you_mean(&[]).to_string(), "");
        assert_eq!(did_you_mean(&[s("gold", None)]).to_string(), " (did you mean \"gold\"?)");
        let two = [s("acme-gold", Some("gold")), s("silver", None)];
        assert_eq!(did_you_mean(&two).to_string(), " (did you mean \"acme-gold\" (gold) or \"silver\"?)");
    }

    #[test]
    fn suggestions_are_the_closest_three_one_per_key() {
        let names = suggest("Europe/Pariss", ["Europe/Paris", "Europe/Riga", "Asia/Tokyo", "Europe/Paris"]);
        assert_eq!(names, [s("Europe/Paris", None), s("Europe/Riga", None)]);
        let by_plan = closest("gld", [("gold", 0), ("acme-gold", 0), ("glad", 1)]);
        assert_eq!(by_plan.iter().filter(|(_, k)| *k == 0).count(), 1);
    }

    #[test]
    fn unknown_plan_lists_plans_when_nothing_is_close() {
        let e =
            Error::UnknownPlan { name: "x".into(), suggestions: vec![], known: vec!["a".into(), "b".into()], more: 3 };
        assert_eq!(e.to_string(), "unknown plan \"x\" (known plans: a, b, … and 3 more: slacalc plans list)");
        let e = Error::PriorityRequired { plan: "p".into(), expected: vec![] };
        assert_eq!(
            e.to_string(),
            "plan p needs --priority (expected one of: none: this plan has no priority levels, omit --priority)"
        );
    }

    #[test]
    fn io_errors_keep_their_kind_and_print_their_reason_once() {
        let e = Error::io("f.csv", std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory, not a file"));
        assert_eq!(e.to_string(), "cannot read f.csv: is a directory, not a file");
        assert!(std::error::Error::source(&e).is_none());
        assert!(matches!(&e, Error::Io { error, .. } if error.kind() == std::io::ErrorKind::IsADirectory));
    }
}
