//! What `batch` and `replay` share: a row format (csv or JSON Lines, never a
//! table), an input file or stdin, and a run that streams to stdout, or
//! buffers with `--strict` (which promises nothing on stdout when it fails);
//! and the one way a command reads a CSV file named by a flag
//! ([`read_csv`]: `quota --log`, `credit --outages`).

use std::io::{IsTerminal, Read, Write as _};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use slacalc::instant::Display;
use slacalc::io::PipeRecords;

use crate::cli::args::ExportArgs;
use crate::cli::ctx::Ctx;
use slacalc::mapping::{self, Mapping};

/// How instants are printed: `--utc`, `--tz`, else each row's plan zone.
pub(super) fn display(ctx: &Ctx) -> Option<Display> {
    if ctx.utc { Some(Display::Utc) } else { ctx.tz.map(Display::Zone) }
}

/// `--input FILE|-`, opened.
pub(super) fn open_input(path: &Path, what: &str) -> Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    if path.is_dir() {
        bail!("--input {} is a directory, not {what}", path.display());
    }
    Ok(Box::new(std::fs::File::open(path).with_context(|| format!("cannot open --input {}", path.display()))?))
}

/// Runs `run(input, output, progress)` over `--input`, streaming to stdout, or
/// with `strict` spooled to an anonymous temporary file and copied to stdout
/// only when the run succeeds (nothing on stdout when it fails; memory stays
/// flat). On a pipe, output goes in whole records of at most `PIPE_BUF`
/// bytes ([`PipeRecords`]), so a run killed while it waits on the pipe leaves
/// no half record. `None` when stdout was closed (`| head`): the run ends
/// quietly. Errors name the input (`--input tickets.csv: line 3: …`), but a
/// failed write, which is about the output.
pub(super) fn run<S>(
    input_path: &Path,
    input: Box<dyn Read>,
    strict: bool,
    unit: &str,
    run: impl FnOnce(Box<dyn Read>, &mut dyn std::io::Write, &dyn Fn(u64)) -> slacalc::Result<S>,
) -> Result<Option<S>> {
    let located = |e: slacalc::Error| -> anyhow::Error {
        match e {
            e @ (slacalc::Error::Write(_) | slacalc::Error::UnknownPlan { .. }) => anyhow::Error::from(e),
            e => anyhow::Error::from(e).context(format!("--input {}", input_path.display())),
        }
    };
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let progress = |n: u64| {
        if show_progress && started.elapsed().as_secs() >= 1 {
            let _ = write!(std::io::stderr(), "\r{n} {unit}…");
        }
    };
    let stdout = std::io::stdout().lock();
    let mut stdout: Box<dyn std::io::Write> =
        if stdout_is_pipe() { Box::new(PipeRecords(stdout)) } else { Box::new(stdout) };
    let summary = if strict {
        let spool_error = |e: std::io::Error| {
            anyhow::Error::from(slacalc::Error::Write(e)).context(format!(
                "--strict keeps the output in a temporary file in {} until the run succeeds (set TMPDIR to use another directory)",
                std::env::temp_dir().display()
            ))
        };
        let mut spool = tempfile::tempfile().map_err(spool_error)?;
        let s = match run(input, &mut spool, &progress) {
            Ok(s) => s,
            Err(slacalc::Error::Write(e)) => return Err(spool_error(e)),
            Err(e) => return Err(located(e)),
        };
        match copy_records(&mut spool, &mut stdout) {
            Ok(()) => {}
            Err(Copy::Read(e)) => return Err(spool_error(e)),
            Err(Copy::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(None),
            Err(Copy::Write(e)) => return Err(slacalc::Error::Write(e).into()),
        }
        s
    } else {
        match run(input, &mut stdout, &progress) {
            Ok(s) => s,
            Err(slacalc::Error::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(None),
            Err(e) => return Err(located(e)),
        }
    };
    if show_progress && started.elapsed().as_secs() >= 1 {
        let _ = write!(std::io::stderr(), "\r");
    }
    Ok(Some(summary))
}

/// Whether stdout is a pipe (a FIFO), where a large write may be cut.
fn stdout_is_pipe() -> bool {
    use std::os::fd::AsFd as _;
    use std::os::unix::fs::FileTypeExt as _;
    std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .and_then(|fd| std::fs::File::from(fd).metadata())
        .is_ok_and(|m| m.file_type().is_fifo())
}

/// Which side of [`copy_records`] failed.
enum Copy {
    Read(std::io::Error),
    Write(std::io::Error),
}

/// Copies the spooled output to `out` from its start, in whole records
/// (each write ends at a newline), then flushes.
fn copy_records(spool: &mut std::fs::File, out: &mut dyn std::io::Write) -> std::result::Result<(), Copy> {
    use std::io::Seek as _;
    spool.seek(std::io::SeekFrom::Start(0)).map_err(Copy::Read)?;
    let mut buf = vec![0u8; 1 << 16];
    // Bytes at the start of `buf` after the last newline written.
    let mut kept = 0;
    loop {
        if kept == buf.len() {
            // A record longer than the buffer (rare): make room.
            buf.resize(buf.len() * 2, 0);
        }
        let n = match spool.read(&mut buf[kept..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Copy::Read(e)),
        };
        let filled = kept + n;
        let whole = memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1);
        out.write_all(&buf[..whole]).map_err(Copy::Write)?;
        buf.copy_within(whole..filled, 0);
        kept = filled - whole;
    }
    out.write_all(&buf[..kept]).map_err(Copy::Write)?;
    out.flush().map_err(Copy::Write)
}

/// The export mapping: the profile, then `--columns`, `--time-format`,
/// `--delimiter`, `--ambiguous` and the `--plan`/`--priority` defaults over it.
pub(super) fn mapping(
    a: &ExportArgs,
    plan: Option<&str>,
    priority: Option<&str>,
    fields: &[&str],
    valued: &[&str],
) -> Result<Mapping> {
    let mut m = match &a.profile {
        Some(p) => {
            let name = p.to_string_lossy();
            if slacalc::profiles::is_builtin_name(&name) {
                Mapping::from_builtin(&name, fields, valued).context("invalid --profile")?
            } else {
                Mapping::from_profile(p, fields, valued).context("invalid --profile")?
            }
        }
        None => Mapping::new(),
    };
    if let Some(c) = &a.columns {
        m.add_columns(c, fields)?;
    }
    if let Some(f) = &a.time_format {
        m.time_format = slacalc::instant::TimeFormat::parse(f)?;
    }
    if let Some(d) = &a.delimiter {
        m.delimiter = mapping::parse_delimiter(d)?;
    }
    if let Some(x) = &a.ambiguous {
        m.ambiguous = slacalc::instant::Ambiguous::parse(x)?;
    }
    if let Some(p) = plan {
        m.plan = Some(p.to_string());
    }
    if let Some(p) = priority {
        m.priority = Some(p.to_string());
    }
    Ok(m)
}

/// `--input-tz`, else the profile's zone.
pub(super) fn input_zone(flag: Option<&str>, m: &Mapping) -> Result<Option<chrono_tz::Tz>> {
    flag.or(m.input_tz.as_deref()).map(crate::cli::ctx::parse_tz).transpose()
}

/// `--input-format`, else the extension (`.jsonl`, `.ndjson`); `None`: the
/// library looks at the first byte.
pub(super) fn input_format(
    given: Option<crate::cli::args::InputFormat>,
    path: &Path,
) -> Option<slacalc::io::RowFormat> {
    use crate::cli::args::InputFormat as Arg;
    use slacalc::io::RowFormat as F;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match (given, ext.as_deref()) {
        (Some(Arg::Csv), _) => Some(F::Csv),
        (Some(Arg::Jsonl), _) | (None, Some("jsonl" | "ndjson")) => Some(F::JsonLines),
        (None, _) => None,
    }
}

/// `--max-errors N`: exit 1 when more than N rows are error rows, with a
/// message on stderr naming both; 0 otherwise (or without the option).
pub(super) fn max_errors(limit: Option<u64>, errors: u64, what: &str) -> u8 {
    match limit {
        Some(n) if errors > n => {
            let (what, verb) =
                if errors == 1 { (what.trim_end_matches('s'), "is an error row") } else { (what, "are error rows") };
            let _ = writeln!(
                std::io::stderr(),
                "failed: {errors} {what} {verb}, more than --max-errors {n} (the output is complete; exit 1)"
            );
            1
        }
        _ => 0,
    }
}

/// Reads the CSV file named by `flag` (`-` reads stdin) with `parse`, which
/// streams it through the bounded reader ([`slacalc::input`]); an error
/// opening or reading the file names the flag.
pub(super) fn read_csv<T>(
    path: &Path,
    flag: &str,
    parse: impl FnOnce(Box<dyn std::io::Read>, &str) -> slacalc::Result<T>,
) -> Result<T> {
    let (input, name) = slacalc::io::open(path).with_context(|| format!("invalid {flag}"))?;
    parse(input, &name).map_err(|e| match e {
        e @ slacalc::Error::Io { .. } => anyhow::Error::from(e).context(format!("invalid {flag}")),
        e => e.into(),
    })
}
