//! Segments and their elements: built in code and written with a file's delimiters, or read
//! back by the tokenizer. Writing never leaves a trailing empty element or component.

use super::Delimiters;

/// One element: its components, one for a simple element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element(pub Vec<String>);

impl Element {
    /// A simple element holding `value`.
    pub fn simple(value: impl Into<String>) -> Element {
        Element(vec![value.into()])
    }

    /// A composite element of `components`, in order.
    pub fn composite<I, S>(components: I) -> Element
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Element(components.into_iter().map(Into::into).collect())
    }

    /// The `n`-th component, counted from 1; empty when absent.
    pub fn component(&self, n: usize) -> &str {
        n.checked_sub(1)
            .and_then(|i| self.0.get(i))
            .map_or("", String::as_str)
    }

    /// True when no component holds text.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(String::is_empty)
    }

    /// The components up to the last one that holds text.
    fn kept(&self) -> &[String] {
        let end = self
            .0
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        &self.0[..end]
    }

    /// The element as written, components joined by `separator`.
    pub fn text(&self, separator: char) -> String {
        self.kept().join(&separator.to_string())
    }
}

/// One segment: its id (`NM1`) and its elements; `elements[0]` is X12's element 01.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// The segment id.
    pub id: String,
    /// The elements, in order.
    pub elements: Vec<Element>,
}

impl Segment {
    /// A segment with no element yet.
    pub fn new(id: &str) -> Segment {
        Segment {
            id: id.to_string(),
            elements: Vec::new(),
        }
    }

    /// Adds a simple element.
    pub fn value(mut self, value: impl Into<String>) -> Segment {
        self.elements.push(Element::simple(value));
        self
    }

    /// Adds simple elements, in order.
    pub fn values<I, S>(mut self, values: I) -> Segment
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.elements
            .extend(values.into_iter().map(|v| Element::simple(v)));
        self
    }

    /// Adds `n` empty elements.
    pub fn skip(mut self, n: usize) -> Segment {
        self.elements
            .extend(std::iter::repeat_with(Element::default).take(n));
        self
    }

    /// Adds a composite element.
    pub fn composite<I, S>(mut self, components: I) -> Segment
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.elements.push(Element::composite(components));
        self
    }

    /// The `n`-th element, counted from 1 as X12 numbers them.
    pub fn element(&self, n: usize) -> Option<&Element> {
        n.checked_sub(1).and_then(|i| self.elements.get(i))
    }

    /// The first component of the `n`-th element; empty when absent.
    pub fn get(&self, n: usize) -> &str {
        self.element(n).map_or("", |e| e.component(1))
    }

    /// Component `m` of element `n`, both counted from 1; empty when absent.
    pub fn component(&self, n: usize, m: usize) -> &str {
        self.element(n).map_or("", |e| e.component(m))
    }

    /// The segment as it reads once written: trailing empty components and elements dropped.
    pub fn trimmed(&self) -> Segment {
        let mut elements: Vec<Element> = self
            .elements
            .iter()
            .map(|e| Element(e.kept().to_vec()))
            .collect();
        while elements.last().is_some_and(Element::is_empty) {
            elements.pop();
        }
        Segment {
            id: self.id.clone(),
            elements,
        }
    }

    /// The segment's text with `d`, terminator included. Values are written as given: clean
    /// them first (`x12::clean`), since a delimiter inside a value would split it.
    pub fn write(&self, d: &Delimiters) -> String {
        let trimmed = self.trimmed();
        let mut out = trimmed.id.clone();
        for e in &trimmed.elements {
            out.push(d.element);
            out.push_str(&e.text(d.component));
        }
        out.push(d.segment);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_empty_elements_and_components_are_dropped() {
        let d = Delimiters::STANDARD;
        let nm1 = Segment::new("NM1")
            .values(["QC", "1", "DOE", "JANE"])
            .skip(5);
        assert_eq!(nm1.write(&d), "NM1*QC*1*DOE*JANE~");
        let clm = Segment::new("CLM")
            .values(["C1", "76"])
            .skip(2)
            .composite(["11", "B", "1"])
            .values(["Y", "A", "Y", "Y"])
            .skip(1)
            .composite(["AA", "", "", "ME"]);
        assert_eq!(clm.write(&d), "CLM*C1*76***11:B:1*Y*A*Y*Y**AA:::ME~");
        let sv1 = Segment::new("SV1")
            .composite(["HC", "97124", "GP", "", "", ""])
            .values(["76", "UN", "2", ""])
            .skip(1)
            .composite(["1", "2", "", ""]);
        assert_eq!(sv1.write(&d), "SV1*HC:97124:GP*76*UN*2***1:2~");
        // An element emptied in the middle keeps its place.
        let sbr = Segment::new("SBR")
            .values(["P", "", "GRP"])
            .skip(5)
            .value("CI");
        assert_eq!(sbr.write(&d), "SBR*P**GRP******CI~");
        assert_eq!(Segment::new("SE").skip(2).write(&d), "SE~");
    }

    #[test]
    fn elements_and_components_are_counted_from_one() {
        let s = Segment::new("SV1")
            .composite(["HC", "97124", "GP"])
            .value("76");
        assert_eq!(s.get(1), "HC");
        assert_eq!(s.component(1, 3), "GP");
        assert_eq!(s.component(1, 4), "");
        assert_eq!(s.get(2), "76");
        assert_eq!(s.get(0), "");
        assert_eq!(s.get(9), "");
        assert_eq!(
            s.element(1).map(|e| e.text(':')),
            Some("HC:97124:GP".into())
        );
    }
}
