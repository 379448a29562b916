//! Integration tests: each module drives the built binary the way a user does.

mod appeal;
mod batch;
mod broken;
mod catalog;
mod claims;
mod data;
mod documents;
mod editions;
mod finding_cases;
mod integrity;
mod layout;
mod ledger;
mod remit;
mod remit_import;
mod scrub;
mod statement;
mod util;
mod validate;
mod x12;
