//! Figures computed once in Rust for documents: units and charges, visits used and left,
//! the patient's estimated cost, deadlines and the pain trend. Templates only print them.

pub mod cost;
pub mod deadlines;
pub mod lines;
pub mod trend;
pub mod visits;
