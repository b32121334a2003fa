//! The command line: turns parsed arguments into library calls and answers
//! into text. clap, anyhow and comfy-table live here only.
//!
//! This file only dispatches: [`run`] resolves the shared settings
//! ([`ctx::Ctx`]) and hands the parsed arguments to one file of `cmd/`;
//! [`emit`] prints what it returns.

pub mod args;
mod cmd;
pub mod ctx;
pub mod format;
mod render;
pub mod view;

use std::process::ExitCode;

use anyhow::Result;

use args::{Cli, Command};
use ctx::{Ctx, Output};
use format::chosen;

/// Control characters escaped, for `main`'s error line.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    slacalc::text::escape_controls(s)
}

/// Runs one command.
///
/// # Errors
/// Any bad input; the caller prints it and exits 2.
pub fn run(cli: Cli) -> Result<Output> {
    let ctx = Ctx::from(&cli.global)?;
    // `--format` given before the command, read as the command's own.
    let before = cli.global.format.as_deref();
    let name = cli.command.name();
    match cli.command {
        Command::Deadline(a) => cmd::deadline::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Status(a) => cmd::status::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Batch(a) => cmd::batch::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Replay(a) => cmd::replay::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Report(a) => cmd::report::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Quota(a) => cmd::quota::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Credit(a) => cmd::credit::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Entitlements(a) => {
            cmd::entitlements::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default())
        }
        Command::Plans { command, format } => cmd::plans::run(
            &ctx,
            command.as_ref().unwrap_or(&args::PlansCommand::List),
            chosen(format, before, name)?.unwrap_or_default(),
        ),
        Command::Profiles { command, format } => cmd::profiles::run(
            command.as_ref().unwrap_or(&args::ProfilesCommand::List),
            chosen(format, before, name)?.unwrap_or_default(),
        ),
        Command::Check(a) => cmd::check::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Holidays { command, format } => cmd::holidays::run(
            &ctx,
            command.as_ref().unwrap_or(&args::HolidaysCommand::List),
            chosen(format, before, name)?.unwrap_or_default(),
        ),
        Command::Calendar(a) => cmd::calendar::run(&ctx, &a, chosen(a.format, before, name)?.unwrap_or_default()),
        Command::Man(a) => {
            chosen(a.format, before, name)?;
            cmd::man::run(&a)
        }
        Command::Completions { shell, format } => {
            chosen(format, before, name)?;
            let mut buf = Vec::new();
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "slacalc", &mut buf);
            Ok(Output::ok(String::from_utf8_lossy(&buf).into_owned()))
        }
    }
}

/// Prints an answer; a closed pipe (`| head`) ends quietly.
pub fn emit(out: &Output) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::from(out.code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(out.code),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}
