//! The `slacalc` binary: parse, run, print, exit (0 answered, 1 `--check`
//! said no, 2 bad input).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(out) => cli::emit(&out),
        Err(e) => {
            // Not eprintln!, which panics when stderr is closed.
            // Messages echo values from plan and input files: escaped, so
            // they cannot drive the terminal.
            let _ = writeln!(std::io::stderr(), "error: {}", slacalc::text::escape_controls(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
