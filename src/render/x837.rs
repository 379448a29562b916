//! Placeholder for the 837P writer.

use crate::documents::claim::Claim;
use crate::findings::Finding;
use crate::model::practice::Edi;

/// One interchange: the claims of one payer sent in one file.
pub struct Interchange<'a> {
    /// Sender and receiver.
    pub edi: &'a Edi,
    /// ISA13 and GS06.
    pub control_number: u32,
    /// ISA09/10, GS04/05, BHT04/05.
    pub created: chrono::NaiveDateTime,
    /// The claims, all to one payer.
    pub claims: Vec<&'a Claim>,
}

/// What an 837P needs and the records lack.
pub fn missing(_edi: Option<&Edi>, _claims: &[&Claim], _payer_file: &str) -> Vec<Finding> {
    Vec::new()
}

/// The file's bytes.
pub fn write(_i: &Interchange) -> Result<Vec<u8>, Vec<Finding>> {
    Ok(Vec::new())
}
