//! A field's place in a record, as steps of keys and list positions (`services[1].units`).

use std::fmt;

/// One step down a document: a mapping key or a list position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value under this key.
    Key(String),
    /// The list item at this 0-based position.
    Index(usize),
}

/// The steps from a document's top to one of its values; no steps is the whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<Step>);

impl FieldPath {
    /// The path of the whole document.
    pub fn root() -> Self {
        FieldPath::default()
    }

    /// The path made of these steps.
    pub fn from_steps(steps: Vec<Step>) -> Self {
        FieldPath(steps)
    }

    /// The steps, from the top down.
    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// Whether this is the whole document.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path of the value under `key` here.
    pub fn key(&self, key: &str) -> FieldPath {
        self.with(Step::Key(key.to_string()))
    }

    /// The path of list item `index` here.
    pub fn index(&self, index: usize) -> FieldPath {
        self.with(Step::Index(index))
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &FieldPath) -> bool {
        self.0.starts_with(&other.0)
    }

    fn with(&self, step: Step) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(step);
        FieldPath(steps)
    }
}

impl fmt::Display for FieldPath {
    /// `services[1].units`; the whole document is the empty text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_keys_with_dots_and_items_in_brackets() {
        let path = FieldPath::root().key("services").index(1).key("units");
        assert_eq!(path.to_string(), "services[1].units");
        assert_eq!(FieldPath::root().to_string(), "");
        assert!(path.starts_with(&FieldPath::root().key("services")));
        assert!(!path.starts_with(&FieldPath::root().key("soap")));
    }
}
