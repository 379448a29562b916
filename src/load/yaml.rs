//! The one module that calls the YAML crate: it reads a text into a document tree, and says
//! in the crate's own words where a text that is not YAML goes wrong.

/// The document tree the rest of the loader works on is the YAML crate's own.
pub use serde_yaml::{Mapping, Number, Value};

/// Why a text is not a YAML document: the crate's message, and its position when it has one.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// The crate's message, shown as it is.
    pub message: String,
    /// 1-based line of the problem, which may lie past the end for a construct left open.
    pub line: Option<usize>,
    /// 1-based column of the problem.
    pub column: Option<usize>,
}

/// Parses `text` as one YAML document.
pub fn parse_document(text: &str) -> Result<Value, YamlError> {
    serde_yaml::from_str(text).map_err(|e| YamlError {
        message: e.to_string(),
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
    })
}

/// The document form of a JSON value, such as a schema's first allowed word.
pub fn from_json(value: &serde_json::Value) -> Option<Value> {
    serde_yaml::to_value(value).ok()
}

/// The YAML text of a record claimwright writes into the practice folder (the ledger).
pub fn to_text<T: serde::Serialize>(record: &T) -> Result<String, String> {
    serde_yaml::to_string(record).map_err(|e| e.to_string())
}
