//! Plan files: the raw TOML mirror, the validated model, and the rules between.

pub mod lifecycle;
pub mod model;
pub mod provenance;
pub mod raw;
pub mod validate;

pub use model::*;
pub use validate::{Catalogue, Source};
