//! `--format`, in one place: one clap [`ValueEnum`] per kind of command,
//! listing only what it writes, so clap refuses the others and each
//! command's `--help` lists its own choices.
//!
//! | enum | commands | values |
//! |---|---|---|
//! | [`Format`] | quota, credit, entitlements, plans, profiles, holidays, check, completions, man | table, json, csv |
//! | [`CalendarFormat`] | calendar, deadline, status | table, json, csv, ics |
//! | [`ReportFormat`] | report | table, json, csv, html, openmetrics |
//! | [`RowsFormat`] | batch, replay | csv (default), json (JSON Lines) |
//!
//! `--format` is accepted after the command (each command's own argument,
//! parsed by [`FormatParser`]) and before it (`slacalc --format json
//! deadline …`, the top-level argument, read by [`chosen`] once the command
//! is known); both refuse a format the command does not write with the same
//! message.
//!
//! Where each format is written:
//! - table, json, csv of an answer: a `Serialize` view of `cli/view.rs`
//!   laid out by `cli/render.rs` (`record_of`, `rows_of`); `report`'s own
//!   table, CSV and JSON: `cli/cmd/report.rs` over `slacalc::report`;
//! - ics: `slacalc::ics` (events), called from `cli/cmd/ticket.rs`
//!   (deadline, status) and `cli/cmd/calendar.rs`;
//! - html: `slacalc::report::html`; openmetrics: `slacalc::report::openmetrics`;
//! - batch rows: `slacalc::batch` (CSV through the fast row writer of
//!   `batch/csv_row.rs`, JSON Lines through `serde_json`); replay rows:
//!   `slacalc::replay::write`; both write whole records through `slacalc::io`.

use std::marker::PhantomData;

use clap::ValueEnum;
use clap::builder::{EnumValueParser, PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;

/// What most commands write: an answer for people or for scripts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people; fits the terminal, colors only on a terminal without NO_COLOR.
    #[default]
    Table,
    /// One JSON object.
    Json,
    /// CSV with a header row.
    Csv,
}

/// What `calendar`, `deadline` and `status` write: an answer, or the same
/// dates as an iCalendar file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CalendarFormat {
    /// A table for people; fits the terminal, colors only on a terminal without NO_COLOR.
    #[default]
    Table,
    /// One JSON object.
    Json,
    /// CSV with a header row.
    Csv,
    /// An iCalendar (.ics) file.
    Ics,
}

impl CalendarFormat {
    /// The answer's layout; `None` for ics.
    pub fn layout(self) -> Option<Format> {
        match self {
            CalendarFormat::Table => Some(Format::Table),
            CalendarFormat::Json => Some(Format::Json),
            CalendarFormat::Csv => Some(Format::Csv),
            CalendarFormat::Ics => None,
        }
    }
}

/// What `report` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table for people; fits the terminal, colors only on a terminal without NO_COLOR.
    #[default]
    Table,
    /// One JSON object.
    Json,
    /// CSV with a header row.
    Csv,
    /// One self-contained HTML page with charts.
    Html,
    /// OpenMetrics text for a metrics text-file collector.
    Openmetrics,
}

/// What `batch` and `replay` write: rows for a file or a pipe.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum RowsFormat {
    /// CSV with a header row.
    #[default]
    Csv,
    /// One JSON object per line (JSON Lines).
    Json,
}

impl RowsFormat {
    /// The rows' format in the library.
    pub fn rows(self) -> slacalc::io::RowFormat {
        match self {
            RowsFormat::Csv => slacalc::io::RowFormat::Csv,
            RowsFormat::Json => slacalc::io::RowFormat::JsonLines,
        }
    }
}

/// Every format some command writes, in the order help lists them: the
/// values of the top-level `--format` (given before the command).
pub fn any() -> PossibleValuesParser {
    PossibleValuesParser::new(every())
}

/// Every format some command writes, each once.
fn every() -> Vec<PossibleValue> {
    let mut all: Vec<PossibleValue> = Vec::new();
    let lists = [values::<ReportFormat>(), values::<CalendarFormat>(), values::<Format>(), values::<RowsFormat>()];
    for v in lists.into_iter().flatten() {
        if !all.iter().any(|a| a.get_name() == v.get_name()) {
            all.push(v);
        }
    }
    all
}

fn values<F: ValueEnum>() -> Vec<PossibleValue> {
    F::value_variants().iter().filter_map(ValueEnum::to_possible_value).collect()
}

/// Why a format is refused: `Some(message)` when it is a format of another
/// command, `None` when it is no format at all.
fn refusal<F: ValueEnum>(command: &str, given: &str) -> Option<String> {
    let known = every().iter().any(|p| p.get_name() == given);
    if !known {
        return None;
    }
    let only = match given {
        "ics" => "; ics is written by calendar, deadline and status only",
        "html" | "openmetrics" => "; it is written by report only",
        // Only batch and replay write no table.
        "table" => "; its rows are meant for a file or a pipe",
        _ => "",
    };
    let expected: Vec<String> = values::<F>().iter().map(|p| p.get_name().to_string()).collect();
    Some(format!("--format {given} is not written by {command} (expected one of: {}){only}", expected.join(", ")))
}

/// The format of `command`: the one given after it, else the one given
/// before it (the top-level `--format`), checked against what `F` lists.
///
/// # Errors
/// A format the command does not write.
pub fn chosen<F: ValueEnum>(after: Option<F>, before: Option<&str>, command: &str) -> anyhow::Result<Option<F>> {
    match (after, before) {
        (Some(f), _) => Ok(Some(f)),
        (None, None) => Ok(None),
        (None, Some(s)) => match F::from_str(s, false) {
            Ok(f) => Ok(Some(f)),
            Err(_) => Err(anyhow::anyhow!(
                refusal::<F>(command, s)
                    .unwrap_or_else(|| format!("invalid --format \"{}\"", slacalc::text::cut(s, 40)))
            )),
        },
    }
}

/// The value parser of a command's own `--format`: `F`'s values, and for
/// another command's format the message that names what this one writes.
#[derive(Debug)]
pub struct FormatParser<F> {
    command: &'static str,
    format: PhantomData<fn() -> F>,
}

impl<F> FormatParser<F> {
    /// The parser of `command`'s `--format`.
    pub fn new(command: &'static str) -> FormatParser<F> {
        FormatParser { command, format: PhantomData }
    }
}

impl<F> Clone for FormatParser<F> {
    fn clone(&self) -> Self {
        FormatParser::new(self.command)
    }
}

impl<F: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for FormatParser<F> {
    type Value = F;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<F, clap::Error> {
        let given = value.to_string_lossy();
        if F::from_str(&given, false).is_err()
            && let Some(message) = refusal::<F>(self.command, &given)
        {
            return Err(clap::Error::raw(ErrorKind::InvalidValue, format!("{message}\n")).with_cmd(cmd));
        }
        EnumValueParser::<F>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(values::<F>().into_iter()))
    }
}
