//! Markdown to a standalone HTML page. Raw HTML in the Markdown is printed as text, never
//! passed through, so nothing a user typed can become a tag. Printed, the page carries the
//! document's title at the top of every page and its page numbers at the foot (CSS paged
//! media), like the PDF; on a phone its tables scroll inside their own box.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The print stylesheet embedded in every page.
pub(super) const STYLE: &str = include_str!("../../templates/page.css");

/// Converts Markdown to an HTML fragment, turning raw HTML into text; a soft line break
/// inside a hyphenated word ("re-" / "assessment") is dropped so the browser does not print
/// it as a space. Each table gets a caption (the heading above it, else the last heading
/// before it, read by screen readers), `scope="col"` on its header cells, and a box that
/// scrolls sideways on a narrow screen.
pub fn fragment(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 2);
    push_fragment(&mut out, markdown, "");
    out
}

/// Appends [`fragment`] to `out`, with `title` as the caption of a table no heading precedes.
fn push_fragment(out: &mut String, markdown: &str, title: &str) {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
        .collect();
    let mut kept = Vec::with_capacity(events.len() + 8);
    let mut heading: Option<String> = None;
    let mut last_heading = title.to_string();
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
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(h) = &mut heading {
                    h.push_str(text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                last_heading = heading.take().unwrap_or_default();
            }
            Event::Start(Tag::Table(_)) => {
                let label = escape(last_heading.trim());
                // A box that scrolls is reached by keyboard and named for screen readers.
                let scroll = if label.is_empty() {
                    "<div class=\"table-scroll\" tabindex=\"0\">\n".to_string()
                } else {
                    format!(
                        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">\n"
                    )
                };
                kept.push(Event::Html(scroll.into()));
                kept.push(event.clone());
                // Always a caption, so a page holds the same tags whatever its title.
                kept.push(Event::Html(
                    format!("<caption class=\"visually-hidden\">{label}</caption>\n").into(),
                ));
                continue;
            }
            Event::End(TagEnd::Table) => {
                kept.push(event.clone());
                kept.push(Event::Html("</div>\n".into()));
                continue;
            }
            _ => {}
        }
        kept.push(event.clone());
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, kept.into_iter());
    push_scoped(out, &html);
}

/// Appends `html` to `out` with `scope="col"` on every header cell, in one pass. User text
/// reaches the page escaped (`&lt;th`), so every `<th>` and `<th ` is a header cell (`<thead>`
/// is not).
fn push_scoped(out: &mut String, html: &str) {
    let mut copied = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), b"<th") {
        let end = at + 3;
        if matches!(html.as_bytes().get(end), Some(b'>' | b' ')) {
            // `end` follows the ASCII `<th`, so it is a char boundary.
            out.push_str(&html[copied..end]);
            out.push_str(" scope=\"col\"");
            copied = end;
        }
    }
    out.push_str(&html[copied..]);
}

/// HTML-escapes `text` for element content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `text` as a CSS string: quotes and backslashes escaped, and `<` written as an escape so
/// that nothing in it can close the style element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The page furniture of print: the title at the top of every page, the running header
/// (the patient) at the foot on the left, and "Page N of M" on the right.
fn print_furniture(title: &str, header: &str) -> String {
    format!(
        "@page {{\n  @top-left {{ content: {}; }}\n  @bottom-left {{ content: {}; }}\n  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); }}\n}}\n",
        css_string(title),
        css_string(header)
    )
}

/// The draft notice: the stamp at the top of the page on screen and on every printed page,
/// and the findings the draft was rendered despite, by code, file and field.
fn draft_notice(findings: &[String]) -> String {
    let stamp = super::DRAFT_STAMP;
    let mut out = format!("<div class=\"draft-stamp\" aria-hidden=\"true\">{stamp}</div>\n");
    out.push_str(&format!(
        "<section class=\"draft-notice\" role=\"note\">\n<p><strong>{stamp}</strong></p>\n"
    ));
    if !findings.is_empty() {
        out.push_str(&format!("<p>{}</p>\n<ul>\n", super::DRAFT_REASON));
        for f in findings {
            out.push_str(&format!("<li>{}</li>\n", escape(f)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    out
}

/// A complete page in language `lang` (a BCP 47 tag such as `en-US`): title, running header,
/// the draft notice when `draft` holds the findings it was rendered despite, the document.
pub fn page(
    title: &str,
    header: &str,
    markdown: &str,
    draft: Option<&[String]>,
    lang: &str,
) -> String {
    let mut out = String::with_capacity(STYLE.len() + 3 * markdown.len() + 2048);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        escape(lang)
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str(&print_furniture(title, header));
    out.push_str("</style>\n</head>\n<body>\n");
    if let Some(findings) = draft {
        out.push_str(&draft_notice(findings));
    }
    out.push_str(&format!(
        "<header class=\"running\">{}</header>\n<main>\n",
        escape(header)
    ));
    push_fragment(&mut out, markdown, title);
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
    fn tables_have_a_caption_column_scopes_and_a_scrolling_box() {
        let html = fragment("### Services\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(
            html.contains("<caption class=\"visually-hidden\">Services</caption>"),
            "{html}"
        );
        assert!(html.contains("<th scope=\"col\">a</th>"), "{html}");
        assert!(
            html.contains("<th scope=\"col\" style=\"text-align: right\">b</th>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Services\">"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table>\n</div>"), "{html}");
        // A header cell a user typed stays text.
        let html = fragment("| &lt;th&gt; |\n|---|\n| <th> |\n");
        assert_eq!(html.matches("<th scope").count(), 1, "{html}");
        assert!(html.contains("<td>&lt;th&gt;</td>"), "{html}");
    }

    #[test]
    fn a_table_without_a_heading_is_captioned_by_the_title() {
        let html = page("Superbill", "h", "| a |\n|---|\n| 1 |\n", None, "en-US");
        assert!(
            html.contains("<caption class=\"visually-hidden\">Superbill</caption>"),
            "{html}"
        );
    }

    #[test]
    fn a_word_broken_at_a_line_end_is_joined_back() {
        let html = fragment("progress re-\nassessment, pre-\nand post-test\n");
        assert!(html.contains("re-assessment"), "{html}");
        assert!(html.contains("pre-\nand"), "{html}");
    }

    #[test]
    fn printed_pages_carry_the_title_and_page_numbers() {
        let html = page(
            "SOAP note, Jo \"O\" </style>",
            "Jo · DOB",
            "x",
            None,
            "en-US",
        );
        assert!(
            html.contains("@top-left { content: \"SOAP note, Jo \\\"O\\\" \\3c /style\\3e \"; }"),
            "{html}"
        );
        assert!(html.contains("counter(page)") && html.contains("counter(pages)"));
        assert_eq!(html.matches("</style>").count(), 1, "{html}");
    }

    #[test]
    fn draft_banner_lists_the_findings() {
        let findings = vec!["signature.missing (sessions/x.yaml, signed)".to_string()];
        let html = page("t", "h", "x", Some(&findings), "en-US");
        assert!(html.contains(crate::render::DRAFT_STAMP));
        assert!(html.contains("<li>signature.missing (sessions/x.yaml, signed)</li>"));
        assert!(!page("t", "h", "x", None, "en-US").contains(crate::render::DRAFT_STAMP));
    }
}
