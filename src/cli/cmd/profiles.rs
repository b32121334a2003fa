//! `slacalc profiles list | show`: the built-in profiles.

use anyhow::Result;
use serde::Serialize;
use slacalc::profiles::{self, BUILTIN};

use crate::cli::args::ProfilesCommand;
use crate::cli::ctx::Output;
use crate::cli::format::Format;
use crate::cli::render;

/// One line of `profiles list`.
#[derive(Serialize)]
struct ProfileRow<'a> {
    name: &'a str,
    product: String,
    source: String,
}

/// Runs `profiles …`.
pub(crate) fn run(c: &ProfilesCommand, format: Format) -> Result<Output> {
    let text = match c {
        ProfilesCommand::List => {
            let rows: Vec<ProfileRow> = BUILTIN
                .iter()
                .map(|b| {
                    let (product, source) = slacalc::mapping::describe(b.text);
                    ProfileRow { name: b.name, product, source }
                })
                .collect();
            render::rows_of(format, &rows)
        }
        // The file as it is, whatever --format says: it is meant to be saved.
        ProfilesCommand::Show { name } => profiles::get(name)?.text.to_string(),
    };
    Ok(Output { text, code: 0 })
}
