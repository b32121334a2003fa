//! Integration tests: every test drives the real binary through `util`.

mod util;
