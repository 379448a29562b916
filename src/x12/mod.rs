//! X12 (ASC X12 005010) text, independent of any practice: delimiters, segments that write
//! themselves without trailing empty elements, value cleaning, and a tokenizer for reading.

mod segment;
mod tokenize;
mod values;

pub use segment::{Element, Segment};
pub use tokenize::{Delimiters, ReadError, read, tokenize};
pub use values::{amount, clean, date, digits, fit, time};
