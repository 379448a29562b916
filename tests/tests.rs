//! Integration tests: each module drives the built binary the way a user does.

mod batch;
mod catalog;
mod claims;
mod documents;
mod editions;
mod util;
mod validate;
