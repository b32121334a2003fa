//! `slacalc check`: validate plan files.

use crate::cli::view::CheckRow;
use anyhow::{Result, anyhow};
use slacalc::loader::{embedded_sources, read_sources_all};
use slacalc::{Error, PlanSet};

use crate::cli::{Ctx, Output, render};

/// One problem found: the file it is in, and the message to print.
struct Problem {
    file: String,
    text: String,
}

impl Problem {
    fn of(e: &Error) -> Problem {
        let file = match e {
            Error::Io { path, .. } => path.clone(),
            Error::Plan(p) => p.file.clone(),
            _ => String::new(),
        };
        Problem { file, text: e.to_string() }
    }
}

/// Runs `check`: with files, validates them on top of the embedded plans (so
/// they may use the shipped holiday sets); without, everything loaded.
/// Unlike the commands that load plans to answer, it goes on after a problem
/// and reports every one of every file, then exits 2 if there was any.
pub fn run(ctx: &Ctx, a: &crate::cli::args::CheckArgs) -> Result<Output> {
    let mut rows = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let (extra, errors) = read_sources_all(&ctx.plan_paths);
    problems.extend(errors.iter().map(Problem::of));
    let mut base = embedded_sources();
    base.extend(extra);
    if a.files.is_empty() {
        match PlanSet::from_sources_all(&base) {
            Ok(set) => {
                rows.push(CheckRow { file: "(all loaded plans)".into(), status: "ok", plans: set.plans().len() });
            }
            Err(errs) => problems.extend(errs.into_iter().map(|e| Problem::of(&e.into()))),
        }
    } else {
        for f in &a.files {
            let (extra, errors) = read_sources_all(std::slice::from_ref(f));
            let unreadable = !errors.is_empty();
            problems.extend(errors.iter().map(Problem::of));
            let mut all = base.clone();
            all.extend(extra.iter().cloned());
            match PlanSet::from_sources_all(&all) {
                Ok(set) if !unreadable => {
                    let names: Vec<&str> = extra.iter().map(|s| s.name.as_str()).collect();
                    let mine = set.plans().iter().filter(|p| names.contains(&p.origin.as_str())).count();
                    rows.push(CheckRow { file: f.display().to_string(), status: "ok", plans: mine });
                }
                Ok(_) => {}
                Err(errs) => problems.extend(errs.into_iter().map(|e| Problem::of(&e.into()))),
            }
        }
    }
    if problems.is_empty() {
        return Ok(Output { text: render::rows_of(ctx.format, &rows), code: 0 });
    }
    // A problem in --plans shows up again with every file checked on top.
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert(p.text.clone()));
    let files: std::collections::HashSet<&str> = problems.iter().map(|p| p.file.as_str()).collect();
    let plural = |n: usize, what: &str| if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") };
    let mut text = problems.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n\nerror: ");
    text.push_str(&format!("\n\n{} in {}", plural(problems.len(), "error"), plural(files.len(), "file")));
    // main prints it after "error: ", as the first of the list.
    Err(anyhow!(text))
}
