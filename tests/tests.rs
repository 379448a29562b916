//! Integration tests: each module drives the built binary the way a user does.

mod batch;
mod broken;
mod catalog;
mod claims;
mod data;
mod documents;
mod editions;
mod finding_cases;
mod hostile;
mod integrity;
mod layout;
mod ledger;
mod minutes;
mod pdf;
mod remit;
mod remit_import;
mod scrub;
mod scrub_messages;
mod statement;
mod util;
mod validate;
mod x12;
