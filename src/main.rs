//! The `slacalc` binary: parse, run, print, exit (0 answered, 1 `--check`
//! said no, 2 bad input).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::io::Write as _;
use std::process::ExitCode;

use clap::error::ErrorKind;
use slacalc::cli;
use slacalc::cli::args::Cli;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args = match Cli::parse_args(&args) {
        Ok(args) => args,
        Err(e) => return clap_exit(&e),
    };
    match cli::run(args) {
        Ok(out) => cli::emit(&out),
        Err(e) => {
            // Not eprintln!, which panics when stderr is closed.
            // Messages echo values from plan and input files: escaped, so
            // they cannot drive the terminal.
            let _ = writeln!(std::io::stderr(), "error: {}", cli::escape_controls(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Help, version and usage errors. clap's own `exit` ignores a failed write,
/// so `--help > /dev/full` would exit 0; here a failed write of help or
/// version is exit 2, as for every answer (a closed pipe is not an error).
fn clap_exit(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            match e.print().and_then(|()| std::io::stdout().flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    let _ = writeln!(std::io::stderr(), "error: cannot write output: {err}");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            // Usage errors (and help shown for a missing subcommand) go to
            // stderr with exit 2, as clap prints them.
            let _ = e.print();
            ExitCode::from(2)
        }
    }
}
