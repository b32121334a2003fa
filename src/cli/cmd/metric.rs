//! `--metric NAME` and `--resolved T` of `deadline` and `status`: which of a
//! ticket's clocks (SPEC §5) the single-ticket commands answer for.

use anyhow::{Result, bail};
use slacalc::plan::lifecycle::Metric;

/// Parses `--metric` (default `first_response`).
pub(super) fn parse(name: Option<&str>) -> Result<Metric> {
    match name {
        None => Ok(Metric::FirstResponse),
        Some(n) => Metric::parse(n).ok_or_else(|| {
            anyhow::anyhow!(
                "unknown --metric \"{}\" (expected first_response, next_response or resolution)",
                slacalc::text::cut(n, 40)
            )
        }),
    }
}

/// Which flag stops the clock of `metric`: `--responded` for the response
/// metrics, `--resolved` for resolution; the other one is refused.
pub(super) fn stop<'a>(
    metric: Metric,
    responded: Option<&'a str>,
    resolved: Option<&'a str>,
) -> Result<(&'static str, Option<&'a str>)> {
    match (metric, responded, resolved) {
        (Metric::Resolution, Some(_), _) => {
            bail!("--responded stops a response clock; with --metric resolution give --resolved T")
        }
        (Metric::Resolution, None, r) => Ok(("--resolved", r)),
        (m, _, Some(_)) => bail!(
            "--resolved stops the resolution clock; with --metric {} give --responded T (or --metric resolution)",
            m.as_str()
        ),
        (_, r, None) => Ok(("--responded", r)),
    }
}
