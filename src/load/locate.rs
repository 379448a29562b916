//! Finds the line of a field path (`services[1].modifiers`) in a YAML text.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Line numbers (1-based) of every key and sequence item of a YAML document, by field path.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
    duplicates: Vec<(String, usize)>,
}

impl LineIndex {
    /// Indexes `text`; a text that does not parse gives an empty index.
    pub fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // Errors leave whatever was indexed before them, which is still useful.
        let _ = parser.load(&mut builder, false);
        LineIndex {
            lines: builder.lines,
            duplicates: builder.duplicates,
        }
    }

    /// The line where a key named `key` appears a second time in the same mapping.
    pub fn duplicate_line(&self, key: &str) -> Option<usize> {
        self.duplicates
            .iter()
            .find(|(path, _)| path.rsplit('.').next() == Some(key))
            .map(|(_, line)| *line)
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
                std::collections::hash_map::Entry::Occupied(e) => {
                    self.duplicates.push((e.key().clone(), line));
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
    }
}
