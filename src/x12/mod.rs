//! X12 (ASC X12 005010) text, independent of any practice: delimiters, segments that write
//! themselves without trailing empty elements, value cleaning, a tokenizer for reading, and
//! the 835 remittance reader.

pub mod remit;
mod segment;
mod tokenize;
mod values;

pub use segment::{Element, Segment};
pub use tokenize::{Delimiters, ReadError, read, tokenize};
pub use values::{amount, clean, date, digits, fit, read_amount, read_date, read_decimal, time};
