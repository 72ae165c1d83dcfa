//! coachbook: a static-site generator for sales-coaching playbooks.
//!
//! The build is a one-way pipeline, one module per stage (see
//! ARCHITECTURE.md): [`content`] loads notes, [`validate`] checks the rules
//! across fields and notes, [`links`] resolves references, [`metrics`]
//! computes the figures (pure functions), [`render`] turns them into pages
//! and [`output`] writes them. [`build`] runs the stages in order.

pub mod audience;
pub mod build;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod history;
pub mod incremental;
pub mod links;
pub mod metrics;
pub mod model;
pub mod output;
pub mod render;
pub(crate) mod site_files;
pub mod validate;
