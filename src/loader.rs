//! Finds and loads plan files: the ones embedded in the binary, then any given
//! with `--plans` or `SLACALC_PLANS`; resolves `--plan` names.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, PlanError, Result, Suggestion};
use crate::plan::validate::{self, MAX_FILE_BYTES, SHOWN_CHARS};
use crate::plan::{Catalogue, Plan, Source};
use crate::text::cut;

/// The shipped plan files, compiled in so the binary works with no files
/// around it.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("features.toml", include_str!("../plans/features.toml")),
    ("france.toml", include_str!("../plans/france.toml")),
    ("holidays/us.toml", include_str!("../plans/holidays/us.toml")),
    ("holidays/gb-eng.toml", include_str!("../plans/holidays/gb-eng.toml")),
    ("holidays/de.toml", include_str!("../plans/holidays/de.toml")),
    ("holidays/ch.toml", include_str!("../plans/holidays/ch.toml")),
    ("holidays/ch-zh.toml", include_str!("../plans/holidays/ch-zh.toml")),
    ("holidays/ca.toml", include_str!("../plans/holidays/ca.toml")),
    ("holidays/ie.toml", include_str!("../plans/holidays/ie.toml")),
    ("holidays/nl.toml", include_str!("../plans/holidays/nl.toml")),
    ("holidays/es.toml", include_str!("../plans/holidays/es.toml")),
    ("holidays/it.toml", include_str!("../plans/holidays/it.toml")),
    ("holidays/au.toml", include_str!("../plans/holidays/au.toml")),
    ("holidays/fr.toml", include_str!("../plans/holidays/fr.toml")),
    ("apizee.toml", include_str!("../plans/apizee.toml")),
    ("otter.toml", include_str!("../plans/otter.toml")),
    ("cirrus.toml", include_str!("../plans/cirrus.toml")),
    ("biings.toml", include_str!("../plans/biings.toml")),
];

/// How many plan ids an unknown-plan message lists when none is close.
const KNOWN_SHOWN: usize = 10;

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

/// The plan paths of a run. Each `--plans` is one path, as given: never
/// split, since a file name may hold `:`. Without any, `SLACALC_PLANS` (`env`)
/// is split on `:` (the platform's path-list separator), and empty parts are
/// ignored, so `SLACALC_PLANS=`, `dir:` or `::` add nothing rather than fail.
///
/// # Errors
/// [`Error::Empty`] for an empty `--plans`: most likely an unset shell
/// variable, which must not quietly load nothing.
pub fn plan_paths(flags: &[PathBuf], env: Option<&OsStr>) -> Result<Vec<PathBuf>> {
    if flags.iter().any(|p| p.as_os_str().is_empty()) {
        return Err(Error::Empty {
            what: "--plans \"\": the path".into(),
            expected: "a plan file or a directory of them".into(),
        });
    }
    if !flags.is_empty() {
        return Ok(flags.to_vec());
    }
    Ok(env.map(|v| std::env::split_paths(v).filter(|p| !p.as_os_str().is_empty()).collect()).unwrap_or_default())
}

/// Reads plan files: a directory gives its `*.toml` entries in name order.
///
/// # Errors
/// [`Error::Io`] naming the first path or entry that cannot be read.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let (sources, errors) = read_sources_all(paths);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(sources),
    }
}

/// [`read_sources`], going on after a path that cannot be read (for `check`,
/// which reports them all): the files read, and an [`Error::Io`] for each
/// path or directory entry that could not be. Every `*.toml` entry of a
/// directory must be readable: a dangling symlink, a loop, a directory or an
/// unreadable file of that name is an error, never skipped, since skipping
/// it would answer with the shipped plan it was meant to replace.
pub fn read_sources_all(paths: &[PathBuf]) -> (Vec<Source>, Vec<Error>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match plan_files(p) {
            Ok(files) => {
                for f in files {
                    match read_one(&f) {
                        Ok(s) => sources.push(s),
                        Err(e) => errors.push(e),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    (sources, errors)
}

/// The files `p` stands for: itself, or a directory's `*.toml` entries in
/// name order (other entries, such as a README, are not plan files).
fn plan_files(p: &Path) -> Result<Vec<PathBuf>> {
    // Follows symlinks: a link to a directory is read as the directory.
    let is_dir = std::fs::metadata(p).map_err(|e| open_err(p, e))?.is_dir();
    if !is_dir {
        return Ok(vec![p.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(p).map_err(|e| io_err(p, e))? {
        let path = entry.map_err(|e| io_err(p, e))?.path();
        if path.extension().is_some_and(|x| x == "toml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn io_err(p: &Path, e: std::io::Error) -> Error {
    Error::io(p.display().to_string(), e)
}

/// An error opening `p`, saying so when `p` is a symlink to nothing.
fn open_err(p: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        if let Ok(target) = std::fs::read_link(p) {
            let why = format!("dangling symbolic link to {}", target.display());
            return io_err(p, std::io::Error::new(std::io::ErrorKind::NotFound, why));
        }
    }
    io_err(p, e)
}

/// Reads one plan file, at most [`MAX_FILE_BYTES`] of it whatever it is: a
/// device or a FIFO has no length to check first (`/dev/zero` never ends).
fn read_one(p: &Path) -> Result<Source> {
    let too_big = |size: String| {
        let why = format!("{size}; plan files are limited to 1 MiB ({MAX_FILE_BYTES} bytes)");
        io_err(p, std::io::Error::new(std::io::ErrorKind::FileTooLarge, why))
    };
    let file = std::fs::File::open(p).map_err(|e| open_err(p, e))?;
    let meta = file.metadata().map_err(|e| io_err(p, e))?;
    if meta.is_dir() {
        let why = "is a directory, not a plan file";
        return Err(io_err(p, std::io::Error::new(std::io::ErrorKind::IsADirectory, why)));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_big(format!("file is {} bytes", meta.len())));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| io_err(p, e))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_big(format!("more than {MAX_FILE_BYTES} bytes to read")));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| io_err(p, std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-8 text")))?;
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
        Ok(PlanSet::index(validate::load(sources)?))
    }

    /// Validates `sources` like [`PlanSet::from_sources`], but reports every
    /// problem of every file rather than the first (for `check`).
    ///
    /// # Errors
    /// Each problem found, in file order, located to the column.
    pub fn from_sources_all(sources: &[Source]) -> Result<PlanSet, Vec<PlanError>> {
        let (catalogue, errors) = validate::load_all(sources);
        if errors.is_empty() { Ok(PlanSet::index(catalogue)) } else { Err(errors) }
    }

    fn index(catalogue: Catalogue) -> PlanSet {
        let mut by_name = HashMap::new();
        for (i, p) in catalogue.plans.iter().enumerate() {
            by_name.insert(p.id.to_lowercase(), i);
            for a in &p.aliases {
                by_name.insert(a.clone(), i);
            }
        }
        PlanSet { catalogue, by_name }
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
        // Suggest plan ids (with the alias that matched), closest first. A
        // name far longer than any id is no typo of one, and scoring it
        // against every name would cost its length times theirs.
        let close = if key.len() <= 2 * SHOWN_CHARS {
            crate::error::closest(&key, self.by_name.iter().map(|(name, &i)| (name.as_str(), i)))
        } else {
            Vec::new()
        };
        let suggestions: Vec<Suggestion> = close
            .into_iter()
            .map(|(name, i)| {
                let id = &self.catalogue.plans[i].id;
                let alias = (*name != id.to_lowercase()).then(|| cut(name, SHOWN_CHARS).into_owned());
                Suggestion { name: cut(id, SHOWN_CHARS).into_owned(), alias }
            })
            .collect();
        // Thousands of plans may be loaded: list the first few.
        let plans = self.plans();
        let (known, more) = if suggestions.is_empty() {
            let ids = plans.iter().take(KNOWN_SHOWN).map(|p| cut(&p.id, SHOWN_CHARS).into_owned()).collect();
            (ids, plans.len().saturating_sub(KNOWN_SHOWN))
        } else {
            (Vec::new(), 0)
        };
        Err(Error::UnknownPlan { name: cut(name, SHOWN_CHARS).into_owned(), suggestions, known, more })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(v: &[&str]) -> Vec<PathBuf> {
        v.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn plans_flags_are_kept_whole_and_the_variable_is_split() {
        let flags = paths(&["a:b.toml", "dir"]);
        assert_eq!(plan_paths(&flags, Some(OsStr::new("x:y"))).unwrap(), flags);
        for (env, want) in [("", vec![]), (":", vec![]), ("::", vec![]), ("d:", vec!["d"]), ("a::b", vec!["a", "b"])] {
            assert_eq!(plan_paths(&[], Some(OsStr::new(env))).unwrap(), paths(&want), "{env:?}");
        }
        assert_eq!(plan_paths(&[], None).unwrap(), Vec::<PathBuf>::new());
        assert!(plan_paths(&paths(&[""]), None).is_err());
    }

    #[test]
    fn unknown_plan_messages_stay_short() {
        let set = PlanSet::load(&[]).unwrap();
        let long = "q".repeat(10_000);
        let e = set.get(&long).unwrap_err().to_string();
        assert!(e.len() < 500, "{e}");
        assert!(e.contains(" more: slacalc plans list"), "{e}");
        let e = set.get("gld").unwrap_err().to_string();
        assert!(e.contains("did you mean \"apizee-gold\" (gold)"), "{e}");
    }
}
