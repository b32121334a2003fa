//! Plan files: the raw TOML mirror, the validated model, and the rules between.

pub mod lifecycle;
pub mod model;
pub mod raw;
pub mod validate;

pub use model::*;
pub use validate::{Catalogue, Source};
