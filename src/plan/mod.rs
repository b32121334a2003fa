//! Plan files: the raw TOML mirror, the validated model, and the rules between.

pub(crate) mod lifecycle;
pub(crate) mod model;
pub(crate) mod provenance;
pub(crate) mod raw;
pub(crate) mod validate;

pub(crate) use model::*;
pub(crate) use validate::{Catalogue, Source};
