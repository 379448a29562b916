//! The escaping of user text for Markdown, then the HTML renderer: whatever a user typed, in
//! each place the templates put it (a paragraph, a list item, a table cell, after a bold
//! label), must stay text. No Markdown construct may come of it, every `<` and `>` typed must
//! print as `&lt;` and `&gt;`, and the page's title and header must hold no tag either.

#![no_main]

use claimwright::render::{html, markdown};
use libfuzzer_sys::fuzz_target;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fuzz_target!(|text: &str| {
    // Templates pass one-line fields through `oneline`, which joins the words.
    let oneline = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let escaped = markdown::escape(text);
    let escaped_line = markdown::escape(&oneline);
    let contexts = [
        (escaped.clone(), Context::Paragraph),
        (format!("**Label**: {escaped}\n"), Context::Paragraph),
        (format!("- {escaped_line}\n- next\n"), Context::List),
        (
            format!("| A | B |\n|---|---|\n| {escaped_line} | x |\n"),
            Context::Table,
        ),
    ];
    for (md, context) in &contexts {
        only_text(md, *context);
        let fragment = html::fragment(md);
        only_allowed_tags(&fragment, *context);
        for (typed, entity) in [('<', "&lt;"), ('>', "&gt;")] {
            assert_eq!(
                text.matches(typed).count(),
                fragment.matches(entity).count(),
                "{typed:?} typed is not printed as {entity}:\n{md:?}\n{fragment}"
            );
        }
    }
    // The title and header are escaped on their own: the page with them holds as many tags as
    // the page with plain words.
    let page = html::page(text, text, &escaped, None, "en-US");
    let plain = html::page("t", "h", &escaped, None, "en-US");
    assert_eq!(
        page.matches('<').count(),
        plain.matches('<').count(),
        "{page}"
    );
});

#[derive(Clone, Copy, Debug, PartialEq)]
enum Context {
    Paragraph,
    List,
    Table,
}

/// Fails unless the Markdown's events are the context's own structure and text.
fn only_text(md: &str, context: Context) {
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        let allowed = match &event {
            Event::Text(_) | Event::HardBreak | Event::SoftBreak => true,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => true,
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => true,
            Event::Start(Tag::List(None) | Tag::Item)
            | Event::End(TagEnd::List(false) | TagEnd::Item) => context == Context::List,
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(
                TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell,
            ) => context == Context::Table,
            _ => false,
        };
        assert!(allowed, "{event:?} from escaped text:\n{md:?}");
    }
}

/// Fails on any tag in the HTML but those the context's structure makes.
fn only_allowed_tags(fragment: &str, context: Context) {
    let mut allowed = vec!["p", "/p", "br /", "strong", "/strong"];
    match context {
        Context::Paragraph => {}
        Context::List => allowed.extend(["ul", "/ul", "li", "/li"]),
        // A table scrolls in its own box on a phone, with a caption for screen readers and
        // header cells scoped to their columns.
        Context::Table => allowed.extend([
            "div class=\"table-scroll\" tabindex=\"0\"",
            "/div",
            "table",
            "/table",
            "caption class=\"visually-hidden\"",
            "/caption",
            "thead",
            "/thead",
            "tbody",
            "/tbody",
            "tr",
            "/tr",
            "th scope=\"col\"",
            "/th",
            "td",
            "/td",
        ]),
    }
    let mut rest = fragment;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').unwrap_or(after.len());
        let tag = &after[..close];
        assert!(allowed.contains(&tag), "<{tag}> in:\n{fragment}");
        rest = &after[close..];
    }
}
