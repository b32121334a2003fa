//! The command line: turns parsed arguments into library calls and answers
//! into text. clap, anyhow and comfy-table live here only.
//!
//! This file only dispatches: [`run`] resolves the shared settings
//! ([`ctx::Ctx`]) and hands the parsed arguments to one file of `cmd/`;
//! [`emit`] prints what it returns.

pub mod args;
mod cmd;
pub mod ctx;
mod render;
pub mod view;

use std::process::ExitCode;

use anyhow::{Result, anyhow};

use args::{Cli, Command};
use ctx::{Ctx, Output};

/// Runs one command.
///
/// # Errors
/// Any bad input; the caller prints it and exits 2.
pub fn run(cli: Cli) -> Result<Output> {
    let ctx = Ctx::from(&cli.global)?;
    if let Some(f) = ctx.format_arg {
        let formats = cli.command.formats();
        if !formats.contains(&f) {
            let only = match f {
                args::FormatArg::Ics => "; ics is written by calendar, deadline and status only",
                args::FormatArg::Html | args::FormatArg::Openmetrics => "; it is written by report only",
                // Only batch and replay write no table.
                args::FormatArg::Table => "; its rows are meant for a file or a pipe",
                _ => "",
            };
            return Err(anyhow!(
                "--format {} is not written by {} (expected one of: {}){only}",
                f.name(),
                cli.command.name(),
                formats.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    match cli.command {
        Command::Deadline(a) => cmd::deadline::run(&ctx, &a),
        Command::Status(a) => cmd::status::run(&ctx, &a),
        Command::Batch(a) => cmd::batch::run(&ctx, &a),
        Command::Replay(a) => cmd::replay::run(&ctx, &a),
        Command::Report(a) => cmd::report::run(&ctx, &a),
        Command::Quota(a) => cmd::quota::run(&ctx, &a),
        Command::Credit(a) => cmd::credit::run(&ctx, &a),
        Command::Entitlements(a) => cmd::entitlements::run(&ctx, &a),
        Command::Plans { command } => cmd::plans::run(&ctx, command.as_ref().unwrap_or(&args::PlansCommand::List)),
        Command::Profiles { command } => {
            cmd::profiles::run(&ctx, command.as_ref().unwrap_or(&args::ProfilesCommand::List))
        }
        Command::Check(a) => cmd::check::run(&ctx, &a),
        Command::Holidays { command } => {
            cmd::holidays::run(&ctx, command.as_ref().unwrap_or(&args::HolidaysCommand::List))
        }
        Command::Calendar(a) => cmd::calendar::run(&ctx, &a),
        Command::Man(a) => cmd::man::run(&a),
        Command::Completions { shell } => {
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
