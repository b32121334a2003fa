//! `slacalc entitlements`: listing with provenance, `--check FEATURE`.

use serde_json::json;

use crate::util::{json, slacalc};

#[test]
fn lists_features_with_descriptions_and_provenance() {
    let v = json(&["entitlements", "--plan", "premium"]);
    assert_eq!(v["plan"], "otter-premium");
    let rows = v["entitlements"].as_array().unwrap();
    let retro = rows.iter().find(|r| r["feature"] == "retroview").unwrap();
    assert_eq!(retro["included"], true);
    assert_eq!(retro["detail"], "unlimited");
    assert_eq!(retro["description"], "Retroview history retention");
    assert_eq!(retro["assumed"], false);
    assert!(retro["source"].as_str().unwrap().contains("Retroview illimité"));
    // Upgrade / downgrade rules come with the plan's notes.
    assert!(v["notes"].to_string().contains("Upgrade at any time"));
    // Assumed lines are flagged and listed.
    let email = rows.iter().find(|r| r["feature"] == "email").unwrap();
    assert_eq!(email["assumed"], true);
    assert!(v["assumptions"].to_string().contains("email: "));
}

#[test]
fn check_included_exits_0_not_included_exits_1() {
    let r = slacalc(&["entitlements", "--plan", "premium", "--check", "live-chat", "--format", "json"]).run();
    r.ok();
    assert_eq!(r.json()["included"], true);
    assert_eq!(r.json()["feature"], "live_chat");
    let r = slacalc(&["entitlements", "--plan", "basic", "--check", "LIVE_CHAT", "--format", "json"]).run();
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["included"], false);
    assert!(r.json()["source"].as_str().unwrap().contains("messagerie instantanée"));
    // Known feature the plan does not list: not included, and said so.
    let r = slacalc(&["entitlements", "--plan", "basic", "--check", "phone", "--format", "json"]).run();
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["assumed"], true);
    assert!(r.json()["source"].as_str().unwrap().contains("not listed"));
}

#[test]
fn gold_only_features() {
    for (plan, code) in [("bronze", 1), ("silver", 1), ("gold", 0)] {
        let r = slacalc(&["entitlements", "--plan", plan, "--check", "code-analysis"]).run();
        assert_eq!(r.code, code, "{plan}: {}", r.stderr);
    }
}

#[test]
fn unknown_feature_exits_2_with_suggestions() {
    let r = slacalc(&["entitlements", "--plan", "basic", "--check", "emial"]).run();
    r.bad(&["unknown feature \"emial\"", "did you mean \"email\"", "known features:", "live_chat", "retroview"]);
}

#[test]
fn example_plan_features() {
    let plans = format!("{}/examples/tiered-vendor.toml", env!("CARGO_MANIFEST_DIR"));
    let r = slacalc(&["--plans", &plans, "entitlements", "--plan", "nimbus", "--check", "named-engineer"]).run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&["--plans", &plans, "entitlements", "--plan", "nimbus"]);
    let phone = v["entitlements"].as_array().unwrap().iter().find(|r| r["feature"] == "phone").unwrap().clone();
    assert_eq!(phone["detail"], json!("business hours"));
}

#[test]
fn table_and_csv() {
    let r = slacalc(&["entitlements", "--plan", "basic"]).run();
    let out = r.ok();
    assert!(out.contains("retroview") && out.contains("3 months") && out.contains("assumed:"), "{out}");
    let r = slacalc(&["entitlements", "--plan", "basic", "--format", "csv"]).run();
    let out = r.ok();
    assert!(out.starts_with("plan,feature,included,detail,description,assumed,source\n"), "{out}");
    assert_eq!(out.lines().count(), 9, "{out}");
}

#[test]
fn unknown_plan_exits_2() {
    slacalc(&["entitlements", "--plan", "platinum"]).run().bad(&["unknown plan \"platinum\""]);
}
