//! `claimwright schema`: JSON Schema of each YAML file kind, for editors' YAML extensions.

use super::Outcome;
use crate::cli::SchemaKind;
use crate::model::{ClaimRecord, Denial, Patient, Payer, Practice, RemittanceRecord, Session};
use anyhow::Result;
use std::io::Write;

/// Prints the schema of `kind`, or an object holding every kind's schema.
pub fn run(kind: Option<SchemaKind>) -> Result<Outcome> {
    let value = match kind {
        Some(k) => schema_of(k),
        None => {
            let mut all = serde_json::Map::new();
            for (name, k) in [
                ("practice", SchemaKind::Practice),
                ("payer", SchemaKind::Payer),
                ("patient", SchemaKind::Patient),
                ("session", SchemaKind::Session),
                ("denial", SchemaKind::Denial),
                ("claim", SchemaKind::Claim),
                ("remittance", SchemaKind::Remittance),
            ] {
                all.insert(name.to_string(), schema_of(k));
            }
            serde_json::Value::Object(all)
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    Ok(Outcome::Success)
}

/// The JSON Schema of one file kind.
pub fn schema_of(kind: SchemaKind) -> serde_json::Value {
    let schema = match kind {
        SchemaKind::Practice => schemars::schema_for!(Practice),
        SchemaKind::Payer => schemars::schema_for!(Payer),
        SchemaKind::Patient => schemars::schema_for!(Patient),
        SchemaKind::Session => schemars::schema_for!(Session),
        SchemaKind::Denial => schemars::schema_for!(Denial),
        SchemaKind::Claim => schemars::schema_for!(ClaimRecord),
        SchemaKind::Remittance => schemars::schema_for!(RemittanceRecord),
    };
    schema.to_value()
}
