//! Where a figure of a plan comes from: a quote of the vendor's terms, or
//! why it was assumed. Its own file, because the model and the lifecycle
//! model both carry it.

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A quote of the vendor's published terms.
    Source(String),
    /// Not published: why this value was chosen.
    Assumed(String),
}

impl Provenance {
    /// True for an assumed figure.
    pub fn is_assumed(&self) -> bool {
        matches!(self, Provenance::Assumed(_))
    }

    /// The quote or the reason.
    pub fn text(&self) -> &str {
        match self {
            Provenance::Source(s) | Provenance::Assumed(s) => s,
        }
    }
}
