//! `slacalc replay`: ticket event histories through the lifecycle clocks.

use std::io::Write as _;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use slacalc::event_exports::{self, Source};
use slacalc::replay::{self, ReplayOptions};

use super::stream;
use crate::cli::args::{InputFormat, ReplayArgs, ReplayInputFormat};
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::RowsFormat;

/// Runs `replay`, streaming to stdout; prints the summary on stderr.
pub(crate) fn run(ctx: &Ctx, a: &ReplayArgs, format: RowsFormat) -> Result<Output> {
    let format = format.rows();
    let mut mapping =
        stream::mapping(&a.export, a.plan.as_deref(), a.priority.as_deref(), &replay::FIELDS, &replay::VALUED)?;
    let source = match a.input_format {
        Some(ReplayInputFormat::ZendeskEvents) => Some(Source::ZendeskEvents),
        Some(ReplayInputFormat::JiraChangelog) => Some(Source::JiraChangelog),
        _ => None,
    };
    if let Some(source) = source {
        // The adapter writes RFC 3339 times with their offsets, under the
        // column names the mapping looks for: a CSV export's time format or
        // delimiter (from a shared profile) does not apply.
        for (given, flag) in [(&a.export.time_format, "--time-format"), (&a.export.delimiter, "--delimiter")] {
            if given.is_some() {
                bail!(
                    "{flag} does not apply to --input-format {} (its times and fields are read as the API writes them)",
                    source.name()
                );
            }
        }
        mapping.time_format = slacalc::instant::TimeFormat::Auto;
    }
    let input_zone = stream::input_zone(a.input_tz.as_deref(), &mapping)?;
    let plans = ctx.plans()?;
    // [values.priority.PLAN] names a plan by id or alias: match rows by id.
    mapping.resolve_plans(|k| plans.get(k).map(|p| p.id.clone())).context("invalid --profile")?;
    let now = ctx.now_for_rows()?;
    let input_format = match (source, a.input_format) {
        (Some(_), _) => Some(slacalc::io::RowFormat::JsonLines),
        (None, Some(ReplayInputFormat::Csv)) => stream::input_format(Some(InputFormat::Csv), &a.input),
        (None, Some(ReplayInputFormat::Jsonl)) => stream::input_format(Some(InputFormat::Jsonl), &a.input),
        (None, _) => stream::input_format(None, &a.input),
    };
    let opts = ReplayOptions {
        now: slacalc::Timestamp::from_secs(now),
        input_zone,
        display: stream::display(ctx),
        format,
        input_format,
        strict: a.strict,
        plan: mapping.plan.clone(),
        priority: mapping.priority.clone(),
        mapping,
    };
    let mut input = stream::open_input(&a.input, "an event file")?;
    if let Some(source) = source {
        input = convert(source, input, &a.input, &opts)?;
    }
    let started = Instant::now();
    let Some(summary) = stream::run(&a.input, input, a.strict, "events", |input, out, progress| {
        replay::run(&plans, input, out, &opts, progress)
    })?
    else {
        return Ok(Output::quiet());
    };
    let _ = writeln!(
        std::io::stderr(),
        "{}, {}, {}: {} breached, {} at risk, {} paused, {} missed, {} with errors ({:.2} s)",
        slacalc::text::count(summary.events, "event", "events"),
        slacalc::text::count(summary.tickets, "ticket", "tickets"),
        slacalc::text::count(summary.rows, "row", "rows"),
        summary.breached,
        summary.at_risk,
        summary.paused,
        summary.missed,
        slacalc::text::count(summary.errors, "ticket", "tickets"),
        started.elapsed().as_secs_f64()
    );
    if summary.ignored > 0 {
        let noun = if summary.ignored == 1 { "event" } else { "events" };
        let _ = writeln!(std::io::stderr(), "note: {} {noun} ignored by [values.event]", summary.ignored);
    }
    let code = stream::max_errors(a.max_errors, summary.errors, "tickets");
    Ok(Output { text: String::new(), code })
}

/// Reads an event export whole and turns it into replay's JSON Lines (see
/// [`slacalc::event_exports`]); notes on what was skipped go to stderr.
/// Runs before anything is written: a bad export leaves stdout empty.
fn convert(
    source: Source,
    input: Box<dyn std::io::Read>,
    path: &std::path::Path,
    opts: &ReplayOptions,
) -> Result<Box<dyn std::io::Read>> {
    // The export's own plan key (organization, project) is the plan when a
    // profile maps it, or when no --plan is given to stand for all.
    let plan_from_source = opts.mapping.maps_values("plan") || opts.plan.is_none();
    let converted =
        event_exports::convert(source, input, &opts.mapping, &event_exports::ConvertOptions { plan_from_source })
            .with_context(|| format!("--input {}", path.display()))?;
    let mut err = std::io::stderr();
    for note in &converted.notes {
        let _ = writeln!(err, "note: {note}");
    }
    Ok(Box::new(std::io::Cursor::new(converted.jsonl)))
}
