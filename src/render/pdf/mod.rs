//! PDF output: a canvas of US Letter pages in the core fonts, and a Markdown layout on top of it.

pub mod canvas;
pub mod fonts;
mod winansi;

pub use canvas::{Color, PAGE_HEIGHT, PAGE_WIDTH, Page, Paint, Stroke, TextStyle, finish, warnings};
pub use fonts::{Font, ascent, descent, text_width};
