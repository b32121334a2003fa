//! `slacalc replay`: ticket event histories through the lifecycle clocks.

use std::io::Write as _;
use std::time::Instant;

use anyhow::Result;
use slacalc::replay::{self, Options};

use super::stream;
use crate::cli::args::ReplayArgs;
use crate::cli::{Ctx, Output};

/// Runs `replay`, streaming to stdout; prints the summary on stderr.
pub fn run(ctx: &Ctx, a: &ReplayArgs) -> Result<Output> {
    let format = stream::row_format(ctx, "replay")?;
    let mapping =
        stream::mapping(&a.export, a.plan.as_deref(), a.priority.as_deref(), &replay::FIELDS, &replay::VALUED)?;
    let input_zone = stream::input_zone(a.input_tz.as_deref(), &mapping)?;
    let plans = ctx.plans()?;
    let now = ctx.now_for_rows()?;
    let input_format = stream::input_format(a.input_format, &a.input);
    let opts = Options {
        now,
        input_zone,
        display: stream::display(ctx),
        format,
        input_format,
        strict: a.strict,
        plan: mapping.plan.clone(),
        priority: mapping.priority.clone(),
        mapping,
    };
    let input = stream::open_input(&a.input, "an event file")?;
    let started = Instant::now();
    let Some(summary) = stream::run(&a.input, input, a.strict, "events", |input, out, progress| {
        replay::run(&plans, input, out, &opts, progress)
    })?
    else {
        return Ok(Output::quiet());
    };
    let _ = writeln!(
        std::io::stderr(),
        "{} events, {} tickets, {} rows: {} breached, {} at risk, {} paused, {} missed, {} tickets with errors ({:.2} s)",
        summary.events,
        summary.tickets,
        summary.rows,
        summary.breached,
        summary.at_risk,
        summary.paused,
        summary.missed,
        summary.errors,
        started.elapsed().as_secs_f64()
    );
    Ok(Output::quiet())
}
