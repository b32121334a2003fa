//! `slacalc batch`: a ticket export through the shared deadline/status code.

use std::io::{IsTerminal, Write as _};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use slacalc::batch::{self, Options};
use slacalc::instant::Display;

use crate::cli::args::{BatchArgs, Format};
use crate::cli::{Ctx, Output};

/// Runs `batch`, streaming to stdout; prints the summary on stderr.
pub fn run(ctx: &Ctx, a: &BatchArgs) -> Result<Output> {
    let format = match ctx.format_given {
        Some(Format::Json) => batch::Format::JsonLines,
        Some(Format::Csv) | None => batch::Format::Csv,
        Some(Format::Table) => bail!(slacalc::Error::Input(
            "batch writes csv (the default) or json (JSON Lines), not a table: one row per ticket is meant for a file or a pipe".into()
        )),
    };
    let input_zone = a.input_tz.as_deref().map(crate::cli::parse_tz).transpose()?;
    let plans = ctx.plans()?;
    let now = ctx.now_for_rows()?;
    let opts = Options {
        now,
        input_zone,
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
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(&buf).and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Output::quiet()),
            r => r.map_err(slacalc::Error::Write)?,
        }
        s
    } else {
        let stdout = std::io::stdout();
        match batch::run(&plans, input, stdout.lock(), &opts, progress) {
            Ok(s) => s,
            Err(slacalc::Error::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Output::quiet()),
            Err(e) => return Err(located(e)),
        }
    };
    if show_progress && started.elapsed().as_secs() >= 1 {
        let _ = write!(std::io::stderr(), "\r");
    }
    // Not eprintln!, which panics when stderr is closed.
    if !summary.replaced_columns.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "note: input columns {} are computed by batch: printed once, with the fresh values",
            slacalc::text::escape_all_controls(&slacalc::text::cut(&summary.replaced_columns.join(", "), 200))
        );
    }
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
