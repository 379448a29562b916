//! Markdown to a standalone HTML page. Raw HTML in the Markdown is printed as text, never
//! passed through, so nothing a user typed can become a tag.

use pulldown_cmark::{Event, Options, Parser};

/// The print stylesheet embedded in every page.
pub(super) const STYLE: &str = include_str!("../../templates/page.css");

/// Converts Markdown to an HTML fragment, turning raw HTML into text; a soft line break
/// inside a hyphenated word ("re-" / "assessment") is dropped so the browser does not print
/// it as a space.
pub fn fragment(markdown: &str) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
        .collect();
    let mut kept = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        if matches!(event, Event::SoftBreak)
            && let (Some(Event::Text(before)), Some(Event::Text(after))) = (
                i.checked_sub(1).and_then(|p| events.get(p)),
                events.get(i + 1),
            )
            && super::markdown::breaks_inside_word(before, after)
        {
            continue;
        }
        kept.push(event.clone());
    }
    let parser = kept.into_iter();
    let mut out = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}

/// HTML-escapes `text` for element content.
pub(super) fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A complete page: title, running header, optional draft banner, the document.
pub fn page(title: &str, header: &str, markdown: &str, draft: bool) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    if draft {
        out.push_str(&format!(
            "<div class=\"draft\">{}</div>\n",
            super::DRAFT_STAMP
        ));
    }
    out.push_str(&format!(
        "<header class=\"running\">{}</header>\n<main>\n",
        escape(header)
    ));
    out.push_str(&fragment(markdown));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_becomes_text() {
        let html = fragment("Hello <script>alert(1)</script>\n\n<div>x</div>\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div>"), "{html}");
    }

    #[test]
    fn tables_render() {
        let html = fragment("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn a_word_broken_at_a_line_end_is_joined_back() {
        let html = fragment("progress re-\nassessment, pre-\nand post-test\n");
        assert!(html.contains("re-assessment"), "{html}");
        assert!(html.contains("pre-\nand"), "{html}");
    }

    #[test]
    fn draft_banner() {
        assert!(page("t", "h", "x", true).contains(crate::render::DRAFT_STAMP));
        assert!(!page("t", "h", "x", false).contains(crate::render::DRAFT_STAMP));
    }
}
