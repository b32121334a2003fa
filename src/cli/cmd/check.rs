//! `slacalc check`: validate plan files.

use crate::cli::view::CheckRow;
use anyhow::{Result, anyhow};
use slacalc::loader::{embedded_sources, read_sources_all};
use slacalc::plan::Source;
use slacalc::plan::validate::defined_ids;
use slacalc::{Error, PlanSet};

use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::Format;
use crate::cli::render;

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
/// and reports every one of every file, then exits 2 if there was any. A
/// user file whose ids a later user file redefines is validated too (its
/// definitions would otherwise never be read), and a note names both files.
pub(crate) fn run(ctx: &Ctx, a: &crate::cli::args::CheckArgs, format: Format) -> Result<Output> {
    let mut rows = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    let (extra, errors) = read_sources_all(&ctx.plan_paths);
    problems.extend(errors.iter().map(Problem::of));
    let embedded = embedded_sources();
    let mut notes = Vec::new();
    if a.files.is_empty() {
        let mut all = embedded.clone();
        all.extend(extra.iter().cloned());
        match PlanSet::from_sources_all(&all) {
            Ok(set) => {
                rows.push(CheckRow { file: "(all loaded plans)".into(), status: "ok", plans: set.plans().len() });
            }
            Err(errs) => problems.extend(errs.into_iter().map(|e| Problem::of(&e.into()))),
        }
        shadowed(&embedded, &extra, &mut problems, &mut notes);
    } else {
        for f in &a.files {
            let (mine, errors) = read_sources_all(std::slice::from_ref(f));
            let unreadable = !errors.is_empty();
            problems.extend(errors.iter().map(Problem::of));
            let mut user = extra.clone();
            user.extend(mine.iter().cloned());
            let mut all = embedded.clone();
            all.extend(user.iter().cloned());
            let before = problems.len();
            match PlanSet::from_sources_all(&all) {
                Ok(set) => {
                    let names: Vec<&str> = mine.iter().map(|s| s.name.as_str()).collect();
                    let count = set.plans().iter().filter(|p| names.contains(&p.origin.as_str())).count();
                    let bad = shadowed(&embedded, &user, &mut problems, &mut notes);
                    if !unreadable && !bad && problems.len() == before {
                        rows.push(CheckRow { file: f.display().to_string(), status: "ok", plans: count });
                    }
                }
                Err(errs) => {
                    problems.extend(errs.into_iter().map(|e| Problem::of(&e.into())));
                    shadowed(&embedded, &user, &mut problems, &mut notes);
                }
            }
        }
    }
    // The same override is met once per file checked with --plans on top.
    let mut seen_notes = std::collections::HashSet::new();
    notes.retain(|n| seen_notes.insert(n.clone()));
    for n in &notes {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "note: {}", slacalc::text::escape_all_controls(n));
    }
    if problems.is_empty() {
        return Ok(Output { text: render::rows_of(format, &rows), code: 0 });
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

/// Validates each user file that a later user file overrides, as if it were
/// loaded last (so that its own definitions are the ones read), and keeps
/// the problems in that file; adds a note for each id overridden. Returns
/// whether a problem was found.
fn shadowed(embedded: &[Source], user: &[Source], problems: &mut Vec<Problem>, notes: &mut Vec<String>) -> bool {
    let ids: Vec<Vec<(&'static str, String)>> = user.iter().map(defined_ids).collect();
    let mut found = false;
    for (i, src) in user.iter().enumerate() {
        let mut hidden = false;
        for (kind, id) in &ids[i] {
            // The same file given twice (`--plans f.toml check f.toml`) hides nothing.
            let other = |j: usize| user[j].name != src.name;
            if let Some(j) = (i + 1..user.len()).find(|&j| other(j) && ids[j].iter().any(|(k, x)| k == kind && x == id))
            {
                hidden = true;
                notes.push(format!(
                    "{} redefines {kind} \"{}\" of {}: the later file wins",
                    user[j].name,
                    slacalc::text::cut(id, 80),
                    src.name
                ));
            }
        }
        if !hidden {
            continue;
        }
        let mut all = embedded.to_vec();
        all.extend(user.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, s)| s.clone()));
        all.push(src.clone());
        if let Err(errs) = PlanSet::from_sources_all(&all) {
            for e in errs.into_iter().filter(|e| e.file == src.name) {
                found = true;
                problems.push(Problem::of(&e.into()));
            }
        }
    }
    found
}
