//! `slacalc check`: validate plan files.

use anyhow::Result;
use serde_json::json;
use slacalc::PlanSet;
use slacalc::loader::{embedded_sources, read_sources};

use crate::cli::{Ctx, Output, render};

/// Runs `check`: with files, validates them on top of the embedded plans (so
/// they may use the shipped holiday sets); without, everything loaded.
pub fn run(ctx: &Ctx, a: &crate::cli::args::CheckArgs) -> Result<Output> {
    let mut rows = Vec::new();
    if a.files.is_empty() {
        let set = ctx.plans()?;
        rows.push(json!({"file": "(all loaded plans)", "status": "ok", "plans": set.plans().len()}));
    } else {
        let mut base = embedded_sources();
        base.extend(read_sources(&ctx.plan_paths)?);
        for f in &a.files {
            let extra = read_sources(std::slice::from_ref(f))?;
            let mut all = base.clone();
            all.extend(extra.iter().cloned());
            let set = PlanSet::from_sources(&all)?;
            let names: Vec<&str> = extra.iter().map(|s| s.name.as_str()).collect();
            let mine = set.plans().iter().filter(|p| names.contains(&p.origin.as_str())).count();
            rows.push(json!({"file": f.display().to_string(), "status": "ok", "plans": mine}));
        }
    }
    Ok(Output { text: render::rows(ctx.format, &rows), code: 0 })
}
