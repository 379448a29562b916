//! CMS-1500 printing (interim placeholder until the grid renderer lands).

use std::collections::BTreeMap;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Overlay,
    Replica,
}
#[derive(Debug, Clone, Copy)]
pub struct Offsets {
    pub x_inches: f32,
    pub y_inches: f32,
}
#[derive(Debug, thiserror::Error)]
#[error("stub")]
pub struct FormError;
pub fn render_forms(
    _f: &[BTreeMap<String, String>],
    _m: Mode,
    _o: Offsets,
    _t: &str,
) -> Result<Vec<u8>, FormError> {
    Ok(b"%PDF-stub".to_vec())
}
