//! An edition's table as sorted text searched in place: `code<TAB>billable<TAB>short
//! title<TAB>full title` lines in bytewise code order (the full title empty when it is the
//! short one). A lookup is a binary search over byte offsets and nothing is parsed at
//! startup, so the first check costs microseconds.

/// One line of a table: `code<TAB>billable<TAB>short title<TAB>full title`.
pub(super) struct Row<'a> {
    /// The code, without dot.
    pub(super) code: &'a str,
    /// True when the code is valid on a claim.
    pub(super) billable: bool,
    /// Its short title, the CMS abbreviation a claim form has room for.
    pub(super) description: &'a str,
    /// Its full title when it differs from the short one, else empty.
    long_description: &'a str,
}

impl<'a> Row<'a> {
    /// Tolerant: a short line reads as a header without title rather than failing, because
    /// tables are either embedded (checked by tests) or built by `add_order_file`.
    pub(super) fn parse(line: &'a str) -> Row<'a> {
        let mut fields = line.splitn(4, '\t');
        Row {
            code: fields.next().unwrap_or(""),
            billable: fields.next() == Some("1"),
            description: fields.next().unwrap_or(""),
            long_description: fields.next().unwrap_or(""),
        }
    }

    /// The full title, as documents print it: the long one, or the short one when the two
    /// are the same.
    pub(super) fn full_title(&self) -> &'a str {
        if self.long_description.is_empty() {
            self.description
        } else {
            self.long_description
        }
    }
}

/// Drops the `#` header line of an embedded table.
pub(super) fn skip_header(text: &str) -> &str {
    if text.starts_with('#') {
        text.find('\n').map_or("", |nl| &text[nl + 1..])
    } else {
        text
    }
}

/// A table body: lines sorted bytewise by their first field, searched in place.
pub(super) struct Table<'a> {
    body: &'a str,
}

impl<'a> Table<'a> {
    /// The table of an edition's text, with or without its `#` header line.
    pub(super) fn new(text: &'a str) -> Self {
        Table {
            body: skip_header(text),
        }
    }

    /// Byte offset of the first line whose code is not less than `key` (or the body's length).
    ///
    /// `lo` and `hi` always sit at line starts; a probe in between is moved back to the start
    /// of its line. Offsets are found through `\n` bytes, so slices stay on char boundaries
    /// even when a title holds non-ASCII text.
    fn lower_bound(&self, key: &str) -> usize {
        let bytes = self.body.as_bytes();
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = memchr::memrchr(b'\n', &bytes[lo..mid]).map_or(lo, |i| lo + i + 1);
            let end = line_end(bytes, start);
            if code_of(&bytes[start..end]) < key.as_bytes() {
                lo = (end + 1).min(bytes.len());
            } else {
                hi = start;
            }
        }
        lo
    }

    /// The line of a code, if listed.
    pub(super) fn find(&self, code: &str) -> Option<&'a str> {
        self.lines_from(self.lower_bound(code))
            .next()
            .filter(|line| line.split('\t').next() == Some(code))
    }

    /// Lines from a line start to the end of the table.
    pub(super) fn lines_from(&self, start: usize) -> impl Iterator<Item = &'a str> + use<'a> {
        self.body
            .get(start..)
            .unwrap_or("")
            .split('\n')
            .filter(|line| !line.is_empty())
    }

    /// Billable codes starting with `prefix` (the prefix itself included), in table order.
    pub(super) fn billable_under<'k>(
        &self,
        prefix: &'k str,
    ) -> impl Iterator<Item = &'a str> + use<'a, 'k> {
        self.lines_from(self.lower_bound(prefix))
            .map(Row::parse)
            .take_while(move |row| row.code.starts_with(prefix))
            .filter(|row| row.billable)
            .map(|row| row.code)
    }
}

/// Index of the `\n` ending the line that starts at `start`, or the length of the text.
fn line_end(bytes: &[u8], start: usize) -> usize {
    memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i)
}

/// The first field of a line.
pub(super) fn code_of(line: &[u8]) -> &[u8] {
    line.split(|&b| b == b'\t').next().unwrap_or(line)
}
