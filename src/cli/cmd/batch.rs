//! `slacalc batch`: a ticket export through the shared deadline/status code.

use std::io::{IsTerminal, Write as _};
use std::time::Instant;

use anyhow::{Context as _, Result};
use slacalc::batch::{self, Options};
use slacalc::instant::Display;

use crate::cli::args::{BatchArgs, Format};
use crate::cli::{Ctx, Output};

/// Runs `batch`, streaming to stdout; prints the summary on stderr.
pub fn run(ctx: &Ctx, a: &BatchArgs) -> Result<Output> {
    let plans = ctx.plans()?;
    let now = ctx.now(ctx.tz.unwrap_or(chrono_tz::UTC))?;
    let format = match ctx.format {
        Format::Json => batch::Format::JsonLines,
        Format::Csv | Format::Table => batch::Format::Csv,
    };
    let opts = Options {
        now,
        input_zone: ctx.tz,
        display: if ctx.utc { Some(Display::Utc) } else { ctx.tz.map(Display::Zone) },
        format,
        strict: a.strict,
    };
    let input: Box<dyn std::io::Read> = if a.input.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        if a.input.is_dir() {
            anyhow::bail!(slacalc::Error::Input(format!(
                "--input {} is a directory, not a CSV file",
                a.input.display()
            )));
        }
        Box::new(std::fs::File::open(&a.input).with_context(|| format!("cannot open --input {}", a.input.display()))?)
    };
    // Errors name the input (`--input tickets.csv: line 3: …`); a failed
    // write is about the output, not the input.
    let located = |e: slacalc::Error| -> anyhow::Error {
        match e {
            e @ slacalc::Error::Write(_) => anyhow::Error::from(e),
            e => anyhow::Error::from(e).context(format!("--input {}", a.input.display())),
        }
    };
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let progress = |rows: u64| {
        if show_progress && started.elapsed().as_secs() >= 1 {
            let _ = write!(std::io::stderr(), "\r{rows} rows…");
        }
    };
    // --strict promises nothing on stdout when it fails, so it buffers;
    // the normal mode streams with constant memory.
    let summary = if a.strict {
        let mut buf = Vec::new();
        let s = batch::run(&plans, input, &mut buf, &opts, progress).map_err(located)?;
        crate::cli::emit(&Output { text: String::from_utf8_lossy(&buf).into_owned(), code: 0 });
        s
    } else {
        let stdout = std::io::stdout();
        match batch::run(&plans, input, stdout.lock(), &opts, progress) {
            Ok(s) => s,
            Err(slacalc::Error::Write(reason)) if reason.contains("Broken pipe") => return Ok(Output::quiet()),
            Err(e) => return Err(located(e)),
        }
    };
    if show_progress && started.elapsed().as_secs() >= 1 {
        let _ = write!(std::io::stderr(), "\r");
    }
    // Not eprintln!, which panics when stderr is closed.
    let _ = writeln!(
        std::io::stderr(),
        "{} rows: {} breached, {} at risk, {} missed, {} errors ({:.2} s)",
        summary.rows,
        summary.breached,
        summary.at_risk,
        summary.missed,
        summary.errors,
        started.elapsed().as_secs_f64()
    );
    Ok(Output::quiet())
}
