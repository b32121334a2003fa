//! What does a plan include? Its `[plans.entitlements]` lines, described
//! from the feature catalogue, with provenance.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result, did_you_mean, suggest};
use crate::plan::Plan;

/// One feature of one plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementRow {
    /// Feature id.
    pub feature: String,
    /// Included or not.
    pub included: bool,
    /// Extent (`3 months`, `on quote`, …).
    pub detail: Option<String>,
    /// From the feature catalogue.
    pub description: Option<String>,
    /// True when the line is assumed (or the plan does not list the feature).
    pub assumed: bool,
    /// The quote, the reason it is assumed, or why the feature is absent.
    pub source: String,
}

/// Every entitlement of `plan`, sorted by feature id.
pub fn entitlements(plan: &Plan, features: &BTreeMap<String, String>) -> Vec<EntitlementRow> {
    plan.entitlements
        .iter()
        .map(|e| EntitlementRow {
            feature: e.feature.clone(),
            included: e.included,
            detail: e.detail.clone(),
            description: features.get(&e.feature).cloned(),
            assumed: e.provenance.is_assumed(),
            source: e.provenance.text().to_string(),
        })
        .collect()
}

/// `Live-Chat` → `live_chat`: lowercase, `-` and spaces read as `_`.
pub(crate) fn normalize_feature(name: &str) -> String {
    name.trim().to_lowercase().replace(['-', ' '], "_")
}

/// Resolves a feature name typed by the user to a feature id known to the
/// catalogue or to any loaded plan.
///
/// # Errors
/// [`Error::Input`] for an unknown name, with the closest ids and the list of
/// known ones.
pub(crate) fn feature_id(name: &str, plans: &[Plan], features: &BTreeMap<String, String>) -> Result<String> {
    let id = normalize_feature(name);
    let known: BTreeSet<&str> = features
        .keys()
        .map(String::as_str)
        .chain(plans.iter().flat_map(|p| p.entitlements.iter().map(|e| e.feature.as_str())))
        .collect();
    if known.contains(id.as_str()) {
        return Ok(id);
    }
    let hint = suggest(&id, known.iter().copied());
    Err(Error::Input(format!(
        "unknown feature \"{name}\"{}; known features: {}",
        did_you_mean(&hint),
        known.into_iter().collect::<Vec<_>>().join(", ")
    )))
}

/// The entitlement of `plan` for the known feature `id`: a feature the plan
/// does not list is not included.
pub(crate) fn check(plan: &Plan, features: &BTreeMap<String, String>, id: &str) -> EntitlementRow {
    entitlements(plan, features).into_iter().find(|r| r.feature == id).unwrap_or_else(|| EntitlementRow {
        feature: id.to_string(),
        included: false,
        detail: None,
        description: features.get(id).cloned(),
        assumed: true,
        source: format!("not listed in plan {}'s entitlements, so taken as not included", plan.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PlanSet;
    use crate::plan::Source;

    const PLANS: &str = r#"
[calendars.test]
zone = "UTC"
hours = { mon-fri = ["09:00-17:00"] }
source = "test"

[features]
email = "Support by email"
live_chat = "Support by live chat"
retention = "History retention"

[[plans]]
id = "small"
provider = "Test"
calendar = "test"
target = "none"
target_assumed = "test"

[plans.entitlements]
email = { included = true, source = "\"Support by email\"" }
retention = { included = true, detail = "3 months", source = "\"3 months of history\"" }
"#;

    fn set() -> PlanSet {
        PlanSet::from_sources(&[Source { name: "test.toml".into(), text: PLANS.into() }]).unwrap()
    }

    #[test]
    fn names_are_forgiving_and_unknown_ones_suggest() {
        let set = set();
        assert_eq!(feature_id("Live-Chat", set.plans(), set.features()).unwrap(), "live_chat");
        assert_eq!(feature_id(" live chat ", set.plans(), set.features()).unwrap(), "live_chat");
        let e = feature_id("emial", set.plans(), set.features()).unwrap_err().to_string();
        assert!(
            e.contains("did you mean \"email\"") && e.contains("known features: email, live_chat, retention"),
            "{e}"
        );
    }

    #[test]
    fn rows_carry_descriptions_and_provenance() {
        let set = set();
        let plan = set.get("small").unwrap();
        let r = check(plan, set.features(), "retention");
        assert!(r.included && r.detail.as_deref() == Some("3 months") && !r.assumed);
        assert_eq!(r.description.as_deref(), Some("History retention"));
        let r = check(plan, set.features(), "live_chat");
        assert!(!r.included && r.assumed && r.source.contains("not listed"));
        assert_eq!(entitlements(plan, set.features()).len(), 2);
    }
}
