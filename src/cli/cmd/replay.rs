//! `slacalc replay`: ticket event histories through the lifecycle clocks.

use std::io::{IsTerminal, Write as _};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use slacalc::instant::Display;
use slacalc::replay::{self, InputFormat, Options};

use crate::cli::args::{self, Format, ReplayArgs};
use crate::cli::{Ctx, Output};

/// Runs `replay`, streaming to stdout; prints the summary on stderr.
pub fn run(ctx: &Ctx, a: &ReplayArgs) -> Result<Output> {
    let format = match ctx.format_given {
        Some(Format::Json) => slacalc::batch::Format::JsonLines,
        Some(Format::Csv) | None => slacalc::batch::Format::Csv,
        Some(Format::Table) => bail!(slacalc::Error::Input(
            "replay writes csv (the default) or json (JSON Lines), not a table: one row per ticket and cycle is meant for a file or a pipe".into()
        )),
    };
    let input_zone = a.input_tz.as_deref().map(crate::cli::parse_tz).transpose()?;
    let plans = ctx.plans()?;
    let now = ctx.now_for_rows()?;
    let ext = a.input.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let input_format = match (a.input_format, ext.as_deref()) {
        (Some(args::InputFormat::Csv), _) => Some(InputFormat::Csv),
        (Some(args::InputFormat::Jsonl), _) | (None, Some("jsonl" | "ndjson")) => Some(InputFormat::JsonLines),
        (None, _) => None,
    };
    let opts = Options {
        now,
        input_zone,
        display: if ctx.utc { Some(Display::Utc) } else { ctx.tz.map(Display::Zone) },
        format,
        input_format,
        strict: a.strict,
        plan: a.plan.clone(),
        priority: a.priority.clone(),
    };
    let input: Box<dyn std::io::Read> = if a.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        if a.input.is_dir() {
            bail!(slacalc::Error::Input(format!("--input {} is a directory, not an event file", a.input.display())));
        }
        Box::new(std::fs::File::open(&a.input).with_context(|| format!("cannot open --input {}", a.input.display()))?)
    };
    let located = |e: slacalc::Error| -> anyhow::Error {
        match e {
            e @ (slacalc::Error::Write(_) | slacalc::Error::UnknownPlan { .. }) => anyhow::Error::from(e),
            e => anyhow::Error::from(e).context(format!("--input {}", a.input.display())),
        }
    };
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let progress = |n: u64| {
        if show_progress && started.elapsed().as_secs() >= 1 {
            let _ = write!(std::io::stderr(), "\r{n} events…");
        }
    };
    // --strict promises nothing on stdout when it fails, so it buffers.
    let summary = if a.strict {
        let mut buf = Vec::new();
        let s = replay::run(&plans, input, &mut buf, &opts, progress).map_err(located)?;
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(&buf).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Output::quiet()),
            r => r.map_err(slacalc::Error::Write)?,
        }
        s
    } else {
        let stdout = std::io::stdout();
        match replay::run(&plans, input, stdout.lock(), &opts, progress) {
            Ok(s) => s,
            Err(slacalc::Error::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Output::quiet()),
            Err(e) => return Err(located(e)),
        }
    };
    if show_progress && started.elapsed().as_secs() >= 1 {
        let _ = write!(std::io::stderr(), "\r");
    }
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
