//! Finds and loads plan files: the ones embedded in the binary, then any given
//! with `--plans` or `SLACALC_PLANS`; resolves `--plan` names.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::validate::{self, MAX_FILE_BYTES};
use crate::plan::{Catalogue, Plan, Source};

/// The shipped plan files, compiled in so the binary works with no files
/// around it.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("features.toml", include_str!("../plans/features.toml")),
    ("france.toml", include_str!("../plans/france.toml")),
    ("apizee.toml", include_str!("../plans/apizee.toml")),
    ("otter.toml", include_str!("../plans/otter.toml")),
    ("cirrus.toml", include_str!("../plans/cirrus.toml")),
    ("biings.toml", include_str!("../plans/biings.toml")),
];

/// The loaded plans, with a case-insensitive index of ids and aliases.
#[derive(Debug, Clone)]
pub struct PlanSet {
    catalogue: Catalogue,
    by_name: HashMap<String, usize>,
}

/// The embedded files as [`Source`]s.
pub fn embedded_sources() -> Vec<Source> {
    EMBEDDED.iter().map(|(name, text)| Source { name: format!("embedded:{name}"), text: (*text).to_string() }).collect()
}

/// Reads plan files: a directory gives its `*.toml` files in name order.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| io_err(p, &e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml") && f.is_file())
                .collect();
            files.sort();
            for f in files {
                out.push(read_one(&f)?);
            }
        } else {
            out.push(read_one(p)?);
        }
    }
    Ok(out)
}

fn io_err(p: &Path, e: &std::io::Error) -> Error {
    Error::Io { path: p.display().to_string(), reason: e.to_string() }
}

fn read_one(p: &Path) -> Result<Source> {
    let meta = std::fs::metadata(p).map_err(|e| io_err(p, &e))?;
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(Error::Io {
            path: p.display().to_string(),
            reason: format!("file is {} bytes; plan files are limited to 1 MiB", meta.len()),
        });
    }
    let bytes = std::fs::read(p).map_err(|e| io_err(p, &e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Io { path: p.display().to_string(), reason: "not valid UTF-8 text".into() })?;
    Ok(Source { name: p.display().to_string(), text })
}

impl PlanSet {
    /// Loads the embedded plans, then the files and directories in `extra`.
    ///
    /// # Errors
    /// An unreadable file, or the first invalid plan file.
    pub fn load(extra: &[PathBuf]) -> Result<PlanSet> {
        let mut sources = embedded_sources();
        sources.extend(read_sources(extra)?);
        PlanSet::from_sources(&sources)
    }

    /// Validates `sources` (later ones override earlier ids).
    ///
    /// # Errors
    /// The first invalid plan file, located to the column.
    pub fn from_sources(sources: &[Source]) -> Result<PlanSet> {
        let catalogue = validate::load(sources)?;
        let mut by_name = HashMap::new();
        for (i, p) in catalogue.plans.iter().enumerate() {
            by_name.insert(p.id.to_lowercase(), i);
            for a in &p.aliases {
                by_name.insert(a.clone(), i);
            }
        }
        Ok(PlanSet { catalogue, by_name })
    }

    /// All plans, in load order.
    pub fn plans(&self) -> &[Plan] {
        &self.catalogue.plans
    }

    /// Feature id → description.
    pub fn features(&self) -> &std::collections::BTreeMap<String, String> {
        &self.catalogue.features
    }

    /// The plan named by id or alias, case-insensitively.
    ///
    /// # Errors
    /// [`Error::UnknownPlan`] with the closest names.
    pub fn get(&self, name: &str) -> Result<&Plan> {
        let key = name.trim().to_lowercase();
        if let Some(&i) = self.by_name.get(&key) {
            return Ok(&self.catalogue.plans[i]);
        }
        let ids: Vec<&str> = self.plans().iter().map(|p| p.id.as_str()).collect();
        // Suggest plan ids (with the alias that matched), closest first.
        let mut close: Vec<(f64, String)> = Vec::new();
        for (name, &i) in &self.by_name {
            let score = strsim::jaro_winkler(&key, name);
            if score > 0.75 {
                let id = &self.catalogue.plans[i].id;
                let shown = if name == &id.to_lowercase() { format!("\"{id}\"") } else { format!("\"{id}\" ({name})") };
                close.push((score, shown));
            }
        }
        close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut shown: Vec<String> = Vec::new();
        for (_, s) in close {
            let id = s.split(' ').next().unwrap_or_default().to_string();
            if !shown.iter().any(|x| x.split(' ').next() == Some(id.as_str())) && shown.len() < 3 {
                shown.push(s);
            }
        }
        let hint = if shown.is_empty() {
            format!(" (known plans: {})", ids.join(", "))
        } else {
            format!(" (did you mean {}?)", shown.join(" or "))
        };
        Err(Error::UnknownPlan { name: name.to_string(), hint })
    }
}
