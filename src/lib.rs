//! coachbook: a static-site generator for sales-coaching playbooks.
//!
//! The build is a one-way pipeline, one module per stage:
//! `content` (load) -> `validate` -> `links` -> `metrics` -> `render` -> `output`.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod links;
pub mod metrics;
pub mod model;
pub mod validate;
