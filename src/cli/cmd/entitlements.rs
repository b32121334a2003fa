//! `slacalc entitlements`: what does a plan include?

use anyhow::Result;
use comfy_table::ColumnConstraint;
use slacalc::sla::entitlements::{self, EntitlementRow};

use crate::cli::args::EntitlementsArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::Format;
use crate::cli::render;
use crate::cli::view::{EntitlementView, EntitlementsView};

fn row_view<'a>(plan: &'a str, r: &'a EntitlementRow) -> EntitlementView<'a> {
    EntitlementView {
        plan,
        feature: &r.feature,
        included: r.included,
        detail: r.detail.as_deref(),
        description: r.description.as_deref(),
        assumed: r.assumed,
        source: &r.source,
    }
}

/// Runs `entitlements`.
pub(crate) fn run(ctx: &Ctx, a: &EntitlementsArgs, format: Format) -> Result<Output> {
    let plans = ctx.plans()?;
    let plan = plans.get(&a.plan)?;
    let features = plans.features();
    if let Some(name) = &a.check {
        let id = entitlements::feature_id(name, plans.plans(), features)?;
        let r = entitlements::check(plan, features, &id);
        let text = render::record_of(format, &row_view(&plan.id, &r), &[]);
        return Ok(Output { text, code: u8::from(!r.included) });
    }
    let rows = entitlements::entitlements(plan, features);
    let text = match format {
        Format::Json => {
            let assumptions: Vec<String> =
                rows.iter().filter(|r| r.assumed).map(|r| format!("{}: {}", r.feature, r.source)).collect();
            let v = EntitlementsView {
                plan: &plan.id,
                provider: &plan.provider,
                entitlements: rows.iter().map(|r| row_view(&plan.id, r)).collect(),
                notes: &plan.notes,
                assumed: !assumptions.is_empty(),
                assumptions,
            };
            render::record_of(Format::Json, &v, &[])
        }
        Format::Csv => render::rows_of(Format::Csv, &rows.iter().map(|r| row_view(&plan.id, r)).collect::<Vec<_>>()),
        Format::Table => {
            let mut text = format!("{} ({})\n", plan.name, plan.id);
            if rows.is_empty() {
                text.push_str("no entitlements listed\n");
            } else {
                let mut t = render::table();
                // Three columns fit 80: the description and its source
                // share one, so long words are never broken.
                t.set_header(vec!["feature", "included", "detail and source"]);
                for r in &rows {
                    let source = if r.assumed { format!("assumed: {}", r.source) } else { r.source.clone() };
                    let about: Vec<String> = [r.detail.clone(), r.description.clone(), Some(source)]
                        .into_iter()
                        .flatten()
                        .filter(|s| !s.is_empty())
                        .collect();
                    t.add_row(vec![
                        r.feature.clone(),
                        (if r.included { "yes" } else { "no" }).to_string(),
                        about.join("\n"),
                    ]);
                }
                for i in 0..2 {
                    if let Some(c) = t.column_mut(i) {
                        c.set_constraint(ColumnConstraint::ContentWidth);
                    }
                }
                text.push_str(&render::show(&mut t));
            }
            for n in &plan.notes {
                text.push_str(&render::wrap(&format!("note: {n}"), 6));
                text.push('\n');
            }
            text
        }
    };
    Ok(Output::ok(text))
}
