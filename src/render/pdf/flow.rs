//! The flow of laid-out content down US Letter pages: a cursor, page breaks, list markers and
//! quote bars that follow the text, and the furniture of every page: the header, and once the
//! number of pages is known, the footer with "Page N of M" and the draft stamp.

use super::canvas::{Color, PAGE_HEIGHT, PAGE_WIDTH, Page, Stroke, TextStyle};
use super::fonts::{Font, ascent, text_width};
use super::{PdfError, PdfOptions};

/// The font of the documents' text, headers and footers; bold and italic come from its family.
pub(crate) const TEXT_FONT: Font = Font::Sans;
/// The font of code spans and code blocks.
pub(crate) const CODE_FONT: Font = Font::Mono;

/// The page margin: three quarters of an inch.
pub(crate) const MARGIN: f32 = 54.0;
/// Left edge of the text column.
pub(crate) const CONTENT_LEFT: f32 = MARGIN;
/// Width of the text column.
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Top of the body, below the header band.
const BODY_TOP: f32 = PAGE_HEIGHT - MARGIN - 26.0;
/// Bottom of the body, above the footer band.
const BODY_BOTTOM: f32 = MARGIN + 24.0;
/// Height available to body content on one page.
pub(crate) const BODY_HEIGHT: f32 = BODY_TOP - BODY_BOTTOM;
/// A bound on output size, so that pathological input ends in an error rather than a
/// runaway file.
pub(crate) const MAX_PAGES: usize = 5000;

/// Colour of header and footer text.
const FURNITURE_COLOR: Color = Color::grey(0.4);
/// Colour of the header and footer rules.
const FURNITURE_RULE: Color = Color::grey(0.8);
/// Size of header and footer text, and the smallest it may shrink to before being cut.
const FURNITURE_SIZE: f32 = 8.5;
const FURNITURE_MIN_SIZE: f32 = 6.5;
/// The draft stamp: a dark grey at 70 % opacity shows as 50 % grey on white paper
/// (1 - 0.7 x 0.7 = 0.51), dark enough to survive a photocopy, while text under it still
/// prints darker than the stamp and stays readable.
const DRAFT_TEXT: &str = crate::render::DRAFT_STAMP;
const DRAFT_COLOR: Color = Color::grey(0.3);
const DRAFT_OPACITY: f32 = 0.7;

/// A list marker waiting to be printed beside the first line of its item.
#[derive(Clone, Debug)]
pub(crate) struct Marker {
    /// The bullet or number.
    pub text: String,
    /// Where the marker's right edge goes.
    pub right: f32,
    /// How it is set.
    pub style: TextStyle,
}

/// A vertical bar beside quoted text.
struct Bar {
    x: f32,
    /// Whether the bar already has a segment on this page, so the next one joins it.
    started: bool,
}

/// Pages being filled from top to bottom.
pub(crate) struct Flow<'a> {
    options: &'a PdfOptions,
    pages: Vec<Page>,
    /// Top of the free space on the current page.
    y: f32,
    /// Space still owed before the next placement; dropped at the top of a page.
    gap: f32,
    /// Nothing has been placed on the current page yet.
    fresh: bool,
    marker: Option<Marker>,
    bars: Vec<Bar>,
    warnings: Vec<String>,
}

impl<'a> Flow<'a> {
    /// A flow on its first page.
    pub fn new(options: &'a PdfOptions) -> Result<Flow<'a>, PdfError> {
        let mut flow = Flow {
            options,
            pages: Vec::new(),
            y: BODY_TOP,
            gap: 0.0,
            fresh: true,
            marker: None,
            bars: Vec::new(),
            warnings: Vec::new(),
        };
        flow.new_page()?;
        Ok(flow)
    }

    /// Asks for at least `gap` points of space before the next placement.
    pub fn space(&mut self, gap: f32) {
        self.gap = self.gap.max(gap);
    }

    /// Whether `height` points fit below the cursor on the current page, gap included.
    pub fn fits(&self, height: f32) -> bool {
        self.fresh || self.y - self.gap - height >= BODY_BOTTOM
    }

    /// Whether nothing has been placed on the current page yet.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// Points left on the current page below the cursor, after any pending gap.
    pub fn room(&self) -> f32 {
        let gap = if self.fresh { 0.0 } else { self.gap };
        self.y - gap - BODY_BOTTOM
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn ensure(&mut self, height: f32) -> Result<(), PdfError> {
        if self.fits(height) {
            Ok(())
        } else {
            self.new_page()
        }
    }

    /// Starts a new page, with its header.
    pub fn new_page(&mut self) -> Result<(), PdfError> {
        if self.pages.len() >= MAX_PAGES {
            return Err(PdfError::TooManyPages { limit: MAX_PAGES });
        }
        let mut page = Page::new();
        let options = self.options;
        let header = self.fit_furniture(&options.header, CONTENT_WIDTH, "header");
        if let Some((text, size)) = header {
            let style = TextStyle::new(TEXT_FONT, size).with_color(FURNITURE_COLOR);
            page.text(
                CONTENT_LEFT,
                PAGE_HEIGHT - MARGIN - size * 0.75,
                &style,
                &text,
            );
            let rule_y = PAGE_HEIGHT - MARGIN - FURNITURE_SIZE - 4.0;
            page.line(
                CONTENT_LEFT,
                rule_y,
                CONTENT_LEFT + CONTENT_WIDTH,
                rule_y,
                &Stroke {
                    width: 0.5,
                    color: FURNITURE_RULE,
                },
            );
        }
        self.pages.push(page);
        self.y = BODY_TOP;
        self.gap = 0.0;
        self.fresh = true;
        for bar in &mut self.bars {
            bar.started = false;
        }
        Ok(())
    }

    /// Reserves `height` points below the cursor (on a new page if they do not fit) and calls
    /// `draw` with the page and the top of the reserved band. `baseline` is the distance from
    /// that top to the band's first baseline, where a waiting list marker is printed.
    pub fn place(
        &mut self,
        height: f32,
        baseline: f32,
        draw: impl FnOnce(&mut Page, f32),
    ) -> Result<(), PdfError> {
        self.ensure(height)?;
        let before_gap = self.y;
        let top = if self.fresh {
            self.y
        } else {
            self.y - self.gap
        };
        let bottom = top - height;
        self.gap = 0.0;
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        for bar in &mut self.bars {
            let from = if bar.started { before_gap } else { top };
            page.line(
                bar.x,
                from,
                bar.x,
                bottom,
                &Stroke {
                    width: 2.0,
                    color: Color::grey(0.8),
                },
            );
            bar.started = true;
        }
        if let Some(marker) = self.marker.take() {
            let width = text_width(marker.style.font, marker.style.size, &marker.text);
            page.text(
                marker.right - width,
                top - baseline,
                &marker.style,
                &marker.text,
            );
        }
        draw(page, top);
        self.y = bottom;
        self.fresh = false;
        Ok(())
    }

    /// Sets the marker printed beside the next placed band.
    pub fn set_marker(&mut self, marker: Marker) {
        self.marker = Some(marker);
    }

    /// Starts a quote bar at `x` for everything placed until [`Flow::pop_bar`].
    pub fn push_bar(&mut self, x: f32) {
        self.bars.push(Bar { x, started: false });
    }

    /// Ends the innermost quote bar.
    pub fn pop_bar(&mut self) {
        self.bars.pop();
    }

    /// Records a warning for the caller.
    pub fn warn(&mut self, message: String) {
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }

    /// Adds every page's footer, now that the page count is known, and hands back the pages
    /// and the layout warnings.
    pub fn finish(mut self) -> (Vec<Page>, Vec<String>) {
        let total = self.pages.len();
        let options = self.options;
        let footer = self.fit_furniture(
            &options.footer_left,
            CONTENT_WIDTH - text_width(TEXT_FONT, FURNITURE_SIZE, &page_label(total, total)) - 18.0,
            "footer",
        );
        // Descenders of the footer text stay inside the margin.
        let baseline = MARGIN + 2.0;
        let rule_y = baseline + FURNITURE_SIZE + 3.0;
        for (index, page) in self.pages.iter_mut().enumerate() {
            page.line(
                CONTENT_LEFT,
                rule_y,
                CONTENT_LEFT + CONTENT_WIDTH,
                rule_y,
                &Stroke {
                    width: 0.5,
                    color: FURNITURE_RULE,
                },
            );
            let style = TextStyle::new(TEXT_FONT, FURNITURE_SIZE).with_color(FURNITURE_COLOR);
            if let Some((text, size)) = &footer {
                page.text(
                    CONTENT_LEFT,
                    baseline,
                    &TextStyle {
                        size: *size,
                        ..style
                    },
                    text,
                );
            }
            let label = page_label(index + 1, total);
            let width = text_width(style.font, style.size, &label);
            page.text(
                CONTENT_LEFT + CONTENT_WIDTH - width,
                baseline,
                &style,
                &label,
            );
            // The stamp is printed last, see-through, so that no table fill can hide it.
            if options.draft {
                page.with_opacity(DRAFT_OPACITY, draft_stamp);
            }
        }
        (self.pages, self.warnings)
    }

    /// Header or footer text fitted into `width`: shrunk first, then cut with a warning.
    fn fit_furniture(&mut self, text: &str, width: f32, what: &str) -> Option<(String, f32)> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let mut size = FURNITURE_SIZE;
        while size > FURNITURE_MIN_SIZE && text_width(TEXT_FONT, size, text) > width {
            size -= 0.5;
        }
        if text_width(TEXT_FONT, size, text) <= width {
            return Some((text.to_string(), size));
        }
        let mut cut: String = text.to_string();
        while !cut.is_empty() && text_width(TEXT_FONT, size, &format!("{cut}...")) > width {
            cut.pop();
        }
        self.warn(format!(
            "the page {what} is too long for one line and was shortened: {text}"
        ));
        Some((format!("{}...", cut.trim_end()), size))
    }
}

/// The page number label of a footer.
fn page_label(page: usize, total: usize) -> String {
    format!("Page {page} of {total}")
}

/// Prints the draft stamp diagonally across the middle of the page.
fn draft_stamp(page: &mut Page) {
    let font = TEXT_FONT.styled(true, false);
    let diagonal_x = CONTENT_WIDTH;
    let diagonal_y = BODY_HEIGHT;
    let angle = diagonal_y.atan2(diagonal_x);
    let length = diagonal_x.hypot(diagonal_y);
    // Most of the diagonal, clear of the corners.
    let size = 0.85 * length / text_width(font, 1.0, DRAFT_TEXT);
    let width = text_width(font, size, DRAFT_TEXT);
    let cap = ascent(font, size);
    let (sin, cos) = angle.sin_cos();
    let center_x = CONTENT_LEFT + CONTENT_WIDTH / 2.0;
    let center_y = BODY_BOTTOM + BODY_HEIGHT / 2.0;
    // Start half the text back along the diagonal, and half a cap height below it.
    let x = center_x - cos * width / 2.0 + sin * cap / 2.0;
    let y = center_y - sin * width / 2.0 - cos * cap / 2.0;
    let style = TextStyle::new(font, size).with_color(DRAFT_COLOR);
    page.text_rotated(x, y, angle.to_degrees(), &style, DRAFT_TEXT);
}
