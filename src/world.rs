//! The generated tier of the holiday library: a set for every country and
//! subdivision python-holidays covers (`plans/world/*.toml`, written by
//! `scripts/gen-world-holidays.py` from a pinned release and compiled in).
//!
//! A set is found by id in a table `build.rs` sorts at compile time, and
//! only its own section of its country's file is parsed (with its country's
//! when it `extends` it): naming `pl` costs one small TOML section, whatever
//! the size of the library. The law-checked sets (`plans/holidays/*.toml`)
//! and a user's own sets win over a generated set of the same id.

use crate::plan::Source;

mod index {
    include!(concat!(env!("OUT_DIR"), "/world_index.rs"));
}

/// One generated set, as the compile-time table gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WorldSet {
    /// Lower-case id: `pl`, `de-by`.
    pub id: &'static str,
    /// Display name: `Germany: Bavaria`.
    pub name: &'static str,
    /// The set whose rules come first (its country), if any.
    pub extends: Option<&'static str>,
    /// The first year its data holds (python-holidays compared from there;
    /// `data_from`, its parent's included), if any.
    pub data_from: Option<i32>,
    /// The last year of its `dates` lists (its parent's included), if any.
    pub horizon: Option<i32>,
    file: usize,
    start: usize,
    end: usize,
}

fn row(r: &index::Row) -> WorldSet {
    let &(id, file, start, end, name, extends, data_from, horizon) = r;
    WorldSet { id, name, extends: (!extends.is_empty()).then_some(extends), data_from, horizon, file, start, end }
}

/// Every generated set, sorted by id.
pub(crate) fn all() -> impl Iterator<Item = WorldSet> {
    index::SETS.iter().map(row)
}

/// The generated set `id` (case-insensitive).
pub(crate) fn find(id: &str) -> Option<WorldSet> {
    let key = id.trim().to_lowercase();
    let at = index::SETS.binary_search_by(|r| r.0.cmp(key.as_str())).ok()?;
    index::SETS.get(at).map(row)
}

impl WorldSet {
    /// Its section of its country's file as a plan source, preceded by as
    /// many blank lines as the file has before it, so that a position in it
    /// is the position in the file.
    pub(crate) fn source(&self) -> Option<Source> {
        let (name, text) = index::FILES.get(self.file)?;
        let before = text.get(..self.start)?.bytes().filter(|&b| b == b'\n').count();
        let mut t = String::with_capacity(before + self.end - self.start);
        t.extend(std::iter::repeat_n('\n', before));
        t.push_str(text.get(self.start..self.end)?);
        Some(Source { name: format!("{WORLD_PREFIX}{name}"), text: t })
    }
}

/// The source name prefix of a generated set (`embedded:world/pl.toml`).
pub(crate) const WORLD_PREFIX: &str = "embedded:";

/// True for the source name of a generated set's section.
pub fn is_world_source(name: &str) -> bool {
    name.strip_prefix(WORLD_PREFIX).is_some_and(|n| n.starts_with("world/"))
}

/// The sources of the generated sets `ids` (those that are generated sets;
/// others are ignored) and of the sets they extend, each once, in id order.
pub(crate) fn sources_for<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<Source> {
    let mut sets: Vec<WorldSet> = Vec::new();
    for id in ids {
        let Some(s) = find(id) else { continue };
        if let Some(parent) = s.extends.and_then(find) {
            sets.push(parent);
        }
        sets.push(s);
    }
    sets.sort_by_key(|s| s.id);
    sets.dedup_by_key(|s| s.id);
    sets.iter().filter_map(WorldSet::source).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_finds_sets_in_any_case() {
        let ids: Vec<&str> = all().map(|s| s.id).collect();
        assert!(ids.len() > 800, "{}", ids.len());
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let by = find(" DE-BY ").unwrap();
        assert_eq!((by.id, by.extends), ("de-by", Some("de")));
        // Every generated set holds from 2000 on (python-holidays compared from there).
        assert!(all().all(|s| s.data_from == Some(2000)));
        assert!(find("xx-nowhere").is_none());
        let src = by.source().unwrap();
        assert!(src.text.trim_start().starts_with("[holiday_sets.de-by]"), "{}", src.text);
        assert!(is_world_source(&src.name), "{}", src.name);
        // A subdivision brings its country along.
        let names: Vec<String> = sources_for(["de-by", "pl", "nope"]).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["embedded:world/de.toml", "embedded:world/de.toml", "embedded:world/pl.toml"]);
    }
}
