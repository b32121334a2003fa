//! Jira issues with their changelog (the search API's `expand=changelog`),
//! turned into replay events.
//!
//! Written from Atlassian's Jira Cloud platform REST API reference, "Issue
//! search" (<https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/>):
//! `expand` "`changelog` Returns a list of recent updates to an issue,
//! sorted by date, starting from the most recent."; the changelog's
//! `histories` each have `created` ("The date on which the change took
//! place.") and `items` with `field`, `fieldId`, `fromString` ("The details
//! of the original value as a string.") and `toString` ("The details of the
//! new value as a string."); a comment's `jsdPublic` is "Whether the
//! comment is visible in Jira Service Desk. Defaults to true when comments
//! are created in the Jira Cloud Platform." Jira writes times as
//! `2024-03-01T10:00:00.000+0100` (milliseconds, an offset without colon).
//!
//! # Input
//!
//! A search response (`{"issues": […], "startAt": …, "total": …}`, from
//! `/rest/api/3/search` or `/rest/api/3/search/jql`), several of them one
//! after the other, or issue objects (`GET /rest/api/3/issue/{key}?expand=changelog`)
//! one after the other or one per line.
//!
//! # Mapping (one issue = one ticket, its id the issue `key`)
//!
//! - `fields.created` → `created`, with the priority the issue was created
//!   with (the `fromString` of its first priority change, else
//!   `fields.priority.name`) and, as plan, `fields.project.key` (see
//!   [`super::ConvertOptions::plan_from_source`]); then the status it was created
//!   in (the first status change's `fromString`, else `fields.status.name`)
//!   as a `status` event.
//! - Each changelog item on `status` → `status` (its `toString`); on
//!   `priority` → `priority`. Other fields are skipped.
//! - Each comment in `fields.comment.comments` → `reply` at its `created`:
//!   `customer` when its author is the issue's `reporter` (by `accountId`,
//!   else Server/Data Center's `key` or `name`), else `agent`. A comment with
//!   `jsdPublic: false` (internal in Jira Service Management) or a
//!   `visibility` restriction is skipped.
//!
//! The events of an issue are in time order (changelog entries before
//! comments at the same instant); times keep their offset, to the second.
//! A changelog or comment list the API cut short (`total` above the entries
//! returned) is an error naming the issue: its replay would be wrong.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::{ConvertOptions, Converted, Kind, Out, Source, json_error, line_col};
use crate::error::{Error, Result};
use crate::text::cut;

const EXPECTED: &str = "search responses {\"issues\":[…]} requested with expand=changelog, or issue objects with \"key\", \"fields\" and \"changelog\"";

/// A top-level JSON value: a search response, or one issue.
#[derive(Deserialize)]
struct Top {
    issues: Option<Vec<Issue>>,
    #[serde(flatten)]
    issue: Issue,
}

#[derive(Deserialize, Default)]
struct Issue {
    key: Option<String>,
    fields: Option<Fields>,
    changelog: Option<Changelog>,
}

#[derive(Deserialize, Default)]
struct Fields {
    created: Option<String>,
    priority: Option<Named>,
    status: Option<Named>,
    project: Option<Project>,
    reporter: Option<User>,
    comment: Option<Comments>,
}

#[derive(Deserialize, Default)]
struct Named {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
struct Project {
    key: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct User {
    account_id: Option<String>,
    key: Option<String>,
    name: Option<String>,
}

impl User {
    /// Who this is: Cloud's `accountId`, else Server's `key` or `name`.
    fn who(&self) -> Option<&str> {
        self.account_id.as_deref().or(self.key.as_deref()).or(self.name.as_deref())
    }
}

#[derive(Deserialize, Default)]
struct Comments {
    #[serde(default)]
    comments: Vec<Comment>,
    total: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Comment {
    id: Option<String>,
    author: Option<User>,
    created: Option<String>,
    jsd_public: Option<bool>,
    visibility: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct Changelog {
    #[serde(default)]
    histories: Vec<History>,
    total: Option<u64>,
}

#[derive(Deserialize, Default)]
struct History {
    id: Option<String>,
    created: Option<String>,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Item {
    field: Option<String>,
    field_id: Option<String>,
    from_string: Option<String>,
    to_string: Option<String>,
}

impl Item {
    /// `status` or `priority` (by `fieldId`, else by `field`), else "".
    fn tracked(&self) -> &str {
        match self.field_id.as_deref().or(self.field.as_deref()) {
            Some("status") => "status",
            Some("priority") => "priority",
            _ => "",
        }
    }
}

/// The `name` of a named value (`{"name": "High"}`), or "".
fn name(n: Option<&Named>) -> &str {
    n.and_then(|n| n.name.as_deref()).unwrap_or("")
}

/// A Jira time: `2024-03-01T10:00:00.000+0100`, or RFC 3339.
fn time(s: &str, what: &str, at: &str) -> Result<DateTime<FixedOffset>> {
    let t = s.trim();
    DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z").or_else(|_| DateTime::parse_from_rfc3339(t)).map_err(|_| {
        Error::Input(format!(
            "jira-changelog: {at}: {what} \"{}\" is not a Jira time (expected e.g. 2024-03-01T10:00:00.000+0100)",
            cut(s, 40)
        ))
    })
}

/// Reads a Jira export into `out`.
pub(crate) fn convert(bytes: &[u8], out: &mut Out, opts: &ConvertOptions) -> Result<Converted> {
    let mut issues: Vec<Issue> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut conv = Converted::default();
    let mut replaced = 0u64;
    let mut any = false;
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Top>();
    let mut start = 0usize;
    while let Some(top) = stream.next() {
        let top = top.map_err(|e| json_error(Source::JiraChangelog, &e, EXPECTED))?;
        let begin = bytes[start..].iter().position(|b| !b.is_ascii_whitespace()).map_or(start, |i| start + i);
        start = stream.byte_offset();
        let (line, _) = line_col(bytes, begin);
        any = true;
        let page = match top.issues {
            Some(list) => list,
            None if top.issue.key.is_some() || top.issue.fields.is_some() => vec![top.issue],
            None => {
                return Err(Error::Input(format!(
                    "jira-changelog: line {line}: a JSON object with neither \"issues\" (a search response) nor \"key\" and \"fields\" (an issue) (expected {EXPECTED})"
                )));
            }
        };
        for (i, issue) in page.into_iter().enumerate() {
            conv.records += 1;
            let Some(key) = issue.key.clone().filter(|k| !k.trim().is_empty()) else {
                return Err(Error::Input(format!(
                    "jira-changelog: line {line}: issue #{} has no key (expected the issue key, e.g. \"CS-101\")",
                    i + 1
                )));
            };
            // A later page is the fresher copy of an issue listed twice.
            match index.get(&key) {
                Some(&j) => {
                    issues[j] = issue;
                    replaced += 1;
                }
                None => {
                    index.insert(key, issues.len());
                    issues.push(issue);
                }
            }
        }
    }
    if !any {
        return Err(Error::Input(format!("jira-changelog: the input is empty (expected {EXPECTED})")));
    }
    let mut no_comment_field = 0u64;
    let mut internal = 0u64;
    for issue in &issues {
        conv.tickets += 1;
        let counts = write_issue(issue, out, opts)?;
        no_comment_field += u64::from(counts.0);
        internal += counts.1;
    }
    if replaced > 0 {
        conv.notes.push(format!("jira-changelog: {replaced} issues listed twice: the later copy is read"));
    }
    if internal > 0 {
        conv.notes.push(format!("jira-changelog: {internal} internal comments skipped (not replies)"));
    }
    if no_comment_field > 0 {
        conv.notes.push(format!(
            "jira-changelog: {no_comment_field} issues have no fields.comment: no replies read for them (ask the search API for the comment field)"
        ));
    }
    Ok(conv)
}

/// Writes one issue's events; returns (no comment field, internal comments skipped).
fn write_issue(issue: &Issue, out: &mut Out, opts: &ConvertOptions) -> Result<(bool, u64)> {
    let key = issue.key.as_deref().unwrap_or("").trim();
    let at = format!("issue {}", cut(key, 40));
    let Some(fields) = &issue.fields else {
        return Err(Error::Input(format!(
            "jira-changelog: {at}: no \"fields\" (expected fields.created, priority, status)"
        )));
    };
    let Some(changelog) = &issue.changelog else {
        return Err(Error::Input(format!(
            "jira-changelog: {at}: no \"changelog\" (expected the search API called with expand=changelog)"
        )));
    };
    let returned = changelog.histories.len() as u64;
    if changelog.total.is_some_and(|t| t > returned) {
        return Err(Error::Input(format!(
            "jira-changelog: {at}: the changelog holds {returned} of its {} entries (the search API cuts it short): fetch the whole history with GET /rest/api/3/issue/{}/changelog and put it in this issue's changelog.histories",
            changelog.total.unwrap_or(0),
            cut(key, 40)
        )));
    }
    let Some(created) = fields.created.as_deref() else {
        return Err(Error::Input(format!(
            "jira-changelog: {at}: no fields.created (expected the time the issue was created)"
        )));
    };
    let created = time(created, "fields.created", &at)?;

    // The changelog's entries, in time order (the API lists the most recent
    // first in some versions, the oldest first in others).
    let mut changes: Vec<(DateTime<FixedOffset>, &Item)> = Vec::new();
    for h in &changelog.histories {
        let h_at = match &h.id {
            Some(id) => format!("{at}, history {}", cut(id, 40)),
            None => at.clone(),
        };
        let Some(t) = h.created.as_deref() else {
            return Err(Error::Input(format!("jira-changelog: {h_at}: no created (expected the time of the change)")));
        };
        let t = time(t, "created", &h_at)?;
        for item in &h.items {
            if !item.tracked().is_empty() {
                changes.push((t, item));
            }
        }
    }
    changes.sort_by_key(|c| c.0);
    let first =
        |field: &str| changes.iter().find(|c| c.1.tracked() == field).map(|c| c.1.from_string.as_deref().unwrap_or(""));
    let priority = first("priority").unwrap_or_else(|| name(fields.priority.as_ref()));
    let status = first("status").unwrap_or_else(|| name(fields.status.as_ref()));
    let plan =
        if opts.plan_from_source { fields.project.as_ref().and_then(|p| p.key.as_deref()).unwrap_or("") } else { "" };

    let mut events: Vec<(DateTime<FixedOffset>, Kind, String)> = Vec::new();
    for (t, item) in &changes {
        let to = item.to_string.as_deref().unwrap_or("").trim();
        match item.tracked() {
            "status" if to.is_empty() => {
                return Err(Error::Input(format!(
                    "jira-changelog: {at}: a status change with no toString (expected the new status)"
                )));
            }
            "status" => events.push((*t, Kind::Status, to.to_string())),
            // Priority cleared: the clocks keep the last one.
            "priority" if !to.is_empty() => events.push((*t, Kind::Priority, to.to_string())),
            _ => {}
        }
    }
    let reporter = fields.reporter.as_ref().and_then(User::who);
    let mut internal = 0u64;
    if let Some(comments) = &fields.comment {
        let returned = comments.comments.len() as u64;
        if comments.total.is_some_and(|t| t > returned) {
            return Err(Error::Input(format!(
                "jira-changelog: {at}: fields.comment holds {returned} of its {} comments: fetch them all with GET /rest/api/3/issue/{}/comment",
                comments.total.unwrap_or(0),
                cut(key, 40)
            )));
        }
        for c in &comments.comments {
            let c_at = match &c.id {
                Some(id) => format!("{at}, comment {}", cut(id, 40)),
                None => at.clone(),
            };
            if c.jsd_public == Some(false) || c.visibility.as_ref().is_some_and(|v| !v.is_null()) {
                internal += 1;
                continue;
            }
            let Some(t) = c.created.as_deref() else {
                return Err(Error::Input(format!(
                    "jira-changelog: {c_at}: no created (expected the time of the comment)"
                )));
            };
            let t = time(t, "created", &c_at)?;
            let author = c.author.as_ref().and_then(User::who);
            let who = if author.is_some() && author == reporter { "customer" } else { "agent" };
            events.push((t, Kind::Reply, who.to_string()));
        }
    }
    // Stable: changelog entries before comments at the same instant.
    events.sort_by_key(|e| e.0);
    out.push(key, &created, Kind::Created, "", plan, priority.trim());
    if !status.trim().is_empty() {
        out.push(key, &created, Kind::Status, status.trim(), "", "");
    }
    for (t, kind, value) in &events {
        out.push(key, t, *kind, value, "", "");
    }
    Ok((fields.comment.is_none(), internal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Mapping;

    fn run(input: &str) -> Result<(String, Vec<String>)> {
        let opts = ConvertOptions { plan_from_source: true };
        let c = super::super::convert(Source::JiraChangelog, input.as_bytes(), &Mapping::new(), &opts)?;
        Ok((String::from_utf8(c.jsonl).unwrap(), c.notes))
    }

    const ISSUE: &str = r#"{"expand":"operations,changelog","id":"10101","key":"CS-101",
      "fields":{"created":"2026-11-16T10:00:00.000+0100","priority":{"name":"High","id":"2"},"status":{"name":"Resolved"},
        "project":{"key":"CS","name":"Customer Support"},"reporter":{"accountId":"cust-1","displayName":"Ann"},
        "comment":{"comments":[
          {"id":"1","author":{"accountId":"agent-9"},"created":"2026-11-16T11:00:00.000+0100","jsdPublic":true},
          {"id":"2","author":{"accountId":"agent-9"},"created":"2026-11-16T11:05:00.000+0100","jsdPublic":false},
          {"id":"3","author":{"accountId":"cust-1"},"created":"2026-11-16T12:00:00.000+0100","jsdPublic":true}],
          "maxResults":3,"total":3,"startAt":0}},
      "changelog":{"startAt":0,"maxResults":2,"total":2,"histories":[
        {"id":"h2","created":"2026-11-16T14:00:00.000+0100","items":[{"field":"resolution","fieldtype":"jira","from":null,"fromString":null,"to":"1","toString":"Done"},{"field":"status","fieldtype":"jira","fieldId":"status","from":"3","fromString":"In Progress","to":"5","toString":"Resolved"}]},
        {"id":"h1","created":"2026-11-16T10:30:00.000+0100","items":[{"field":"priority","fieldtype":"jira","fieldId":"priority","from":"3","fromString":"Medium","to":"2","toString":"High"},{"field":"status","fieldtype":"jira","fieldId":"status","from":"1","fromString":"Open","to":"3","toString":"In Progress"}]}]}}"#;

    #[test]
    fn creation_values_from_the_first_changes_then_events_in_time_order() {
        let (jsonl, notes) =
            run(&format!("{{\"startAt\":0,\"maxResults\":50,\"total\":1,\"issues\":[{ISSUE}]}}")).unwrap();
        assert_eq!(
            jsonl,
            r#"{"id":"CS-101","at":"2026-11-16T10:00:00+01:00","event":"created","plan":"CS","priority":"Medium"}
{"id":"CS-101","at":"2026-11-16T10:00:00+01:00","event":"status","value":"Open"}
{"id":"CS-101","at":"2026-11-16T10:30:00+01:00","event":"priority","value":"High"}
{"id":"CS-101","at":"2026-11-16T10:30:00+01:00","event":"status","value":"In Progress"}
{"id":"CS-101","at":"2026-11-16T11:00:00+01:00","event":"reply","value":"agent"}
{"id":"CS-101","at":"2026-11-16T12:00:00+01:00","event":"reply","value":"customer"}
{"id":"CS-101","at":"2026-11-16T14:00:00+01:00","event":"status","value":"Resolved"}
"#
        );
        assert_eq!(notes, ["jira-changelog: 1 internal comments skipped (not replies)"]);
    }

    #[test]
    fn no_changes_keeps_the_current_values_and_single_issues_read() {
        let issue = r#"{"key":"CS-7","fields":{"created":"2026-11-16T10:00:00.000-0500","priority":{"name":"Low"},"status":{"name":"Open"}},"changelog":{"histories":[]}}"#;
        let (jsonl, notes) = run(&format!("{issue}\n{issue}")).unwrap();
        assert_eq!(
            jsonl,
            r#"{"id":"CS-7","at":"2026-11-16T10:00:00-05:00","event":"created","priority":"Low"}
{"id":"CS-7","at":"2026-11-16T10:00:00-05:00","event":"status","value":"Open"}
"#
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn bad_shapes_name_the_issue() {
        let e = run(r#"{"issues":[{"key":"CS-1","fields":{"created":"2026-11-16T10:00:00.000+0100"}}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("issue CS-1: no \"changelog\"") && e.contains("expand=changelog"), "{e}");
        let e = run(r#"{"issues":[{"fields":{}}]}"#).unwrap_err().to_string();
        assert!(e.contains("issue #1 has no key"), "{e}");
        let e = run(
            r#"{"issues":[{"key":"CS-2","fields":{"created":"16/Nov/26 10:00 AM"},"changelog":{"histories":[]}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("issue CS-2: fields.created \"16/Nov/26 10:00 AM\" is not a Jira time"), "{e}");
        let e = run(r#"{"issues":[{"key":"CS-3","fields":{"created":"2026-11-16T10:00:00.000+0100"},"changelog":{"total":120,"histories":[]}}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("issue CS-3: the changelog holds 0 of its 120 entries"), "{e}");
        let e = run(r#"{"issues":{"key":"CS-1"}}"#).unwrap_err().to_string();
        assert!(e.contains("line 1, column") && e.contains("expected a sequence"), "{e}");
        let e = run(r#"{"total":0}"#).unwrap_err().to_string();
        assert!(e.contains("neither \"issues\""), "{e}");
    }
}
