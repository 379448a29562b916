//! Finds the line of a field path (`services[1].modifiers`) in a YAML text, and the place
//! where a text stops being YAML.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Line numbers (1-based) of every key and sequence item of a YAML document, by field path.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
    duplicates: Vec<(String, usize)>,
    syntax: Option<SyntaxProblem>,
}

/// Where and why the indexing parser found a text not to be YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxProblem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, without the position.
    pub message: String,
}

impl LineIndex {
    /// Indexes `text`; a text that does not parse is indexed up to its problem.
    pub fn new(text: &str) -> Self {
        // The event parser would take a byte-order mark for part of the first key.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // Errors leave whatever was indexed before them, which is still useful.
        let syntax = parser
            .load(&mut builder, false)
            .err()
            .map(|e| SyntaxProblem {
                line: e.marker().line(),
                column: e.marker().col() + 1,
                message: e.info().to_string(),
            });
        LineIndex {
            lines: builder.lines,
            duplicates: builder.duplicates,
            syntax,
        }
    }

    /// The first place where the text stops being YAML, if it does.
    pub fn syntax_problem(&self) -> Option<&SyntaxProblem> {
        self.syntax.as_ref()
    }

    /// The first key that appears a second time in one mapping, and the line of the repeat.
    pub fn first_duplicate(&self) -> Option<(&str, usize)> {
        self.duplicates
            .first()
            .map(|(key, line)| (key.as_str(), *line))
    }

    /// The line of `path`, or of its nearest indexed ancestor.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(line) = self.lines.get(path) {
                return Some(*line);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

enum Frame {
    /// In a mapping: expecting a key (`None`) or the value of that key.
    Map { prefix: String, key: Option<String> },
    /// In a sequence: the next item's index.
    Seq { prefix: String, next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
    duplicates: Vec<(String, usize)>,
}

impl Builder {
    /// The path of the value that starts now, advancing the parent frame; None at the root.
    fn value_path(&mut self, line: usize) -> Option<String> {
        match self.stack.last_mut()? {
            Frame::Map { prefix, key } => {
                let key = key.take()?;
                Some(join(prefix, &key))
            }
            Frame::Seq { prefix, next } => {
                let path = format!("{prefix}[{next}]");
                *next += 1;
                self.lines.entry(path.clone()).or_insert(line);
                Some(path)
            }
        }
    }

    /// Handles a scalar or alias: either a key or a leaf value.
    fn scalar(&mut self, text: Option<String>, line: usize) {
        if let Some(Frame::Map { prefix, key }) = self.stack.last_mut()
            && key.is_none()
        {
            let name = text.unwrap_or_default();
            let path = join(prefix, &name);
            match self.lines.entry(path) {
                std::collections::hash_map::Entry::Occupied(_) => {
                    self.duplicates.push((name.clone(), line));
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(line);
                }
            }
            *key = Some(name);
            return;
        }
        let _ = self.value_path(line);
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line();
        match ev {
            Event::Scalar(text, ..) => self.scalar(Some(text), line),
            Event::Alias(_) => self.scalar(None, line),
            Event::MappingStart(..) => {
                let prefix = self.value_path(line).unwrap_or_default();
                self.stack.push(Frame::Map { prefix, key: None });
            }
            Event::SequenceStart(..) => {
                let prefix = self.value_path(line).unwrap_or_default();
                self.stack.push(Frame::Seq { prefix, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "patient: jane\nservices:\n  - code: \"97124\"\n    minutes: 38\n  - code: \"97140\"\n    modifiers: [GP, \"59\"]\ndiagnoses:\n  - M54.5\n  - M62.830\nsoap:\n  plan: x\n";

    #[test]
    fn finds_keys_items_and_nested_fields() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(idx.line_of("patient"), Some(1));
        assert_eq!(idx.line_of("services[0].minutes"), Some(4));
        assert_eq!(idx.line_of("services[1]"), Some(5));
        assert_eq!(idx.line_of("services[1].modifiers"), Some(6));
        assert_eq!(idx.line_of("services[1].modifiers[1]"), Some(6));
        assert_eq!(idx.line_of("diagnoses[1]"), Some(9));
        assert_eq!(idx.line_of("soap.plan"), Some(11));
        assert_eq!(idx.line_of("soap.nothing"), Some(10));
        assert_eq!(idx.line_of("nothing"), None);
        assert_eq!(idx.syntax_problem(), None);
        assert_eq!(idx.first_duplicate(), None);
    }

    #[test]
    fn finds_repeated_keys_and_where_the_yaml_breaks() {
        let idx = LineIndex::new("name: a\nkind: b\nname: c\n");
        assert_eq!(idx.first_duplicate(), Some(("name", 3)));
        let broken = LineIndex::new("a: 1\nb: [1, 2\n");
        assert!(broken.syntax_problem().is_some());
        assert_eq!(broken.line_of("a"), Some(1));
    }
}
