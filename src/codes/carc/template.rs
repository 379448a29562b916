//! The templates of the CARC table: filling `{name}` placeholders and `[...]` groups from the
//! values a document has, and checking a template when the table is parsed.

use super::PLACEHOLDERS;

/// Fills `{name}` placeholders in a template from `values`, and leaves out cleanly what it cannot.
///
/// - A placeholder with no value, or an empty one, prints nothing; the spacing and punctuation
///   around it are mended (no doubled spaces, no space before a stop, no empty parentheses).
/// - Text in `[square brackets]` prints only when every placeholder inside it has a value; the
///   brackets never print. Groups may nest.
/// - A brace or bracket of the template never reaches the output, even a stray one.
/// - Values are inserted as they are and not read again, so a value cannot inject a placeholder.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // A stack of open groups; the outermost is the result, where a missing value simply drops out.
    let mut groups = vec![Group::default()];
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some((name, after)) = placeholder(rest) {
            let value = values
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| value.trim())
                .filter(|value| !value.is_empty());
            let group = groups
                .last_mut()
                .expect("the outermost group is never closed");
            match value {
                Some(value) => group.text.push_str(value),
                None => group.missing = true,
            }
            rest = after;
            continue;
        }
        match c {
            '{' | '}' => {}
            '[' => groups.push(Group::default()),
            ']' => close_group(&mut groups),
            _ => groups
                .last_mut()
                .expect("the outermost group is never closed")
                .text
                .push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    while groups.len() > 1 {
        close_group(&mut groups);
    }
    tidy(&groups[0].text)
}

/// Text gathered inside one `[...]` group of a template.
#[derive(Default)]
struct Group {
    text: String,
    /// Set when a placeholder inside had no value: the group is then left out.
    missing: bool,
}

/// Ends the innermost group, keeping its text only when complete; a `]` that closes nothing is
/// dropped.
fn close_group(groups: &mut Vec<Group>) {
    if groups.len() < 2 {
        return;
    }
    let group = groups.pop().expect("two groups were open");
    if !group.missing {
        let outer = groups.last_mut().expect("one group is still open");
        outer.text.push_str(&group.text);
    }
}

/// When `text` starts with `{name}` (lower-case letters, digits, `_`), the name and what follows.
fn placeholder(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let name = &inner[..end];
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    valid.then_some((name, &inner[end + 1..]))
}

/// Mends the spacing and punctuation left where text was left out.
fn tidy(text: &str) -> String {
    fn trim_spaces(out: &mut String) {
        while out.ends_with(' ') {
            out.pop();
        }
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '\t' => {
                if !out.is_empty() && !out.ends_with([' ', '\n', '(']) {
                    out.push(' ');
                }
            }
            '\n' => {
                trim_spaces(&mut out);
                out.push('\n');
            }
            ',' | ';' | ':' | '.' | '!' | '?' | ')' => {
                trim_spaces(&mut out);
                if c == ')' && out.ends_with('(') {
                    out.pop();
                    trim_spaces(&mut out);
                } else {
                    // A comma right before another mark is the trace of a left-out item.
                    if c != ')' && out.ends_with(',') {
                        out.pop();
                    }
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out.trim_end().to_string()
}

/// Checks a template: known placeholders only, brackets paired, no stray braces.
pub(super) fn check_template(template: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some((name, after)) = placeholder(rest) {
            if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
                return Err(format!("unknown placeholder {{{name}}}"));
            }
            rest = after;
            continue;
        }
        match c {
            '{' | '}' => return Err(format!("a stray {c:?}")),
            '[' => depth += 1,
            ']' if depth == 0 => return Err("a ']' that closes nothing".into()),
            ']' => depth -= 1,
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    if depth > 0 {
        return Err("a '[' that is never closed".into());
    }
    Ok(())
}
