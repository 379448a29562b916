//! claimwright: validates a massage and manual therapy practice's YAML records against the
//! billing rules payers enforce, and renders its paperwork (SOAP notes, benefit summaries,
//! appeal letters, superbills, CMS-1500 claims).
//!
//! The pipeline runs one way: `load` reads the folder into typed `model` records, `rules`
//! check them and produce `findings`, and `commands` drive it all from the CLI.

pub mod cli;
pub mod codes;
pub mod commands;
pub mod documents;
pub mod figures;
pub mod findings;
pub mod hooks;
pub mod load;
pub mod model;
pub mod output;
pub mod posting;
pub mod render;
pub mod rules;
pub mod synthetic;
pub mod x12;
