//! The envelope of an 835 file: where its interchanges begin, and the checks of ISA/IEA,
//! GS/GE and ST/SE around the transaction sets that `read` turns into payments.

use super::read::Transaction;
use super::{Note, NoteKind, Read, RemitError, Remittance};
use crate::x12::{Delimiters, ReadError, Segment, tokenize};

/// `text` cut where each ISA after the first begins, so each interchange is read with the
/// delimiters its own ISA declares.
pub(super) fn interchanges(text: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut rest = text;
    loop {
        // A bare transaction set is assumed to end its segments with `~`, as `x12::read` does.
        let terminator = Delimiters::from_isa(rest).map_or('~', |d| d.segment);
        let next = rest
            .match_indices("ISA")
            .map(|(at, _)| at)
            .filter(|&at| at > 0)
            .find(|&at| {
                let before = &rest[..at];
                let bare = before.trim_end_matches(['\r', '\n', ' ', '\t']);
                bare.ends_with(terminator) || before[bare.len()..].contains(terminator)
            });
        match next {
            Some(at) => {
                chunks.push(&rest[..at]);
                rest = &rest[at..];
            }
            None => {
                chunks.push(rest);
                return chunks;
            }
        }
    }
}

/// The state of reading a whole file.
#[derive(Default)]
pub(super) struct Reader {
    /// The payments read so far.
    remittances: Vec<Remittance>,
    /// The notes made so far.
    notes: Vec<Note>,
    /// The ids of transaction sets that are not 835s (ST01).
    other_sets: Vec<String>,
    /// True when some 835 ended before its SE.
    cut_short: bool,
    /// The terminator declared by an interchange whose text holds an ST*835 that did not
    /// read as a segment of its own.
    hidden_transaction: Option<char>,
}

/// What ends a transaction set.
enum End<'a> {
    /// Its SE.
    Se(&'a Segment),
    /// Another envelope segment (GS, GE, IEA, ST), named by its id.
    Segment(&'a str),
    /// The end of the interchange, with the id of the last segment read.
    File(&'a str),
}

/// A functional group (GS..GE) being read.
struct Group {
    /// GS06.
    control: String,
    /// The transaction sets seen in it.
    sets: usize,
}

impl Reader {
    fn note(&mut self, kind: NoteKind, message: String) {
        self.notes.push(Note { kind, message });
    }

    /// Reads one interchange (or the bare transaction sets of a file without one) and returns
    /// the delimiters it was read with.
    pub(super) fn interchange(
        &mut self,
        chunk: &str,
        previous: Option<Delimiters>,
    ) -> Result<Delimiters, RemitError> {
        let (delimiters, segments) = if chunk.starts_with("ISA") {
            let delimiters = match (Delimiters::from_isa(chunk), previous) {
                (Some(d), _) => d,
                (None, Some(d)) => {
                    self.note(
                        NoteKind::Envelope,
                        "an ISA's delimiters cannot be told apart: its interchange was read with those of the one before".into(),
                    );
                    d
                }
                (None, None) => return Err(ReadError::BadIsa.into()),
            };
            let isa_length = chunk.find(delimiters.segment).unwrap_or(chunk.len());
            if isa_length != 105 {
                self.note(
                    NoteKind::Envelope,
                    format!(
                        "the ISA is {} characters long, not the fixed 106: its delimiters were found by counting its elements",
                        isa_length + 1
                    ),
                );
            }
            (delimiters, tokenize(chunk, &delimiters))
        } else {
            // Only the first chunk can lack an ISA: `interchanges` cuts where one begins.
            let read = crate::x12::read(chunk.as_bytes())?;
            self.note(
                NoteKind::Envelope,
                "the file has no ISA envelope: its transaction sets were read with the standard delimiters".into(),
            );
            read
        };
        self.segments(&segments, &delimiters);
        if !segments.iter().any(|s| s.id.trim() == "ST")
            && chunk.contains(&format!("ST{}835", delimiters.element))
        {
            self.hidden_transaction = Some(delimiters.segment);
        }
        Ok(delimiters)
    }

    /// Reads the segments of one interchange, checking its envelope as it goes.
    fn segments(&mut self, segments: &[Segment], d: &Delimiters) {
        let mut isa: Option<String> = None;
        let mut groups = 0;
        let mut group: Option<Group> = None;
        let mut open: Option<Transaction> = None;
        let mut skipping: Option<String> = None;
        let mut strays = 0;
        for seg in segments {
            // Whitespace after a terminator is not part of the next segment's id.
            match seg.id.trim() {
                "ISA" => isa = Some(seg.get(13).trim().to_string()),
                "IEA" => {
                    self.close(open.take(), End::Segment("IEA"));
                    self.iea(seg, isa.take(), groups);
                }
                "GS" => {
                    self.close(open.take(), End::Segment("GS"));
                    groups += 1;
                    group = Some(Group {
                        control: seg.get(6).trim().to_string(),
                        sets: 0,
                    });
                }
                "GE" => {
                    self.close(open.take(), End::Segment("GE"));
                    self.ge(seg, group.take());
                }
                "ST" => {
                    self.close(open.take(), End::Segment("ST"));
                    if let Some(g) = group.as_mut() {
                        g.sets += 1;
                    }
                    skipping = None;
                    let control = seg.get(2).trim().to_string();
                    if seg.get(1).trim() == "835" {
                        open = Some(Transaction::new(control, d.component));
                    } else {
                        let id = seg.get(1).trim().to_string();
                        self.note(
                            NoteKind::Envelope,
                            format!(
                                "transaction set {control} is an ST*{id}, not an 835: not read"
                            ),
                        );
                        self.other_sets.push(id);
                        skipping = Some(control);
                    }
                }
                "SE" => {
                    if open.is_some() {
                        self.close(open.take(), End::Se(seg));
                    } else if skipping.take().is_none() {
                        self.note(NoteKind::Envelope, "an SE closes no ST".into());
                    }
                }
                _ => match open.as_mut() {
                    Some(t) => t.segment(seg),
                    None if skipping.is_some() => {}
                    None => strays += 1,
                },
            }
        }
        if strays > 0 {
            self.note(
                NoteKind::Envelope,
                format!("{strays} segments stand outside any transaction set and were not read"),
            );
        }
        if open.is_some() {
            // The interchange ends inside a transaction set: its GE and IEA are missing too,
            // and one note says so.
            let last = segments.last().map_or("", |s| s.id.as_str());
            self.close(open, End::File(last));
        } else {
            if group.is_some() {
                self.note(NoteKind::Envelope, "a GS has no GE".into());
            }
            if isa.is_some() {
                self.note(NoteKind::Envelope, "the ISA has no IEA".into());
            }
        }
    }

    /// Checks an IEA against the ISA it closes (`isa13`, its control number) and the number
    /// of functional groups the interchange held.
    fn iea(&mut self, seg: &Segment, isa13: Option<String>, groups: usize) {
        let control = seg.get(2).trim();
        match isa13 {
            Some(isa13) if isa13 != control => self.note(
                NoteKind::Envelope,
                format!("IEA02 `{control}` is not the ISA13 `{isa13}` it closes"),
            ),
            Some(_) => {}
            None => self.note(NoteKind::Envelope, "an IEA closes no ISA".into()),
        }
        if seg.get(1).trim() != groups.to_string() {
            self.note(
                NoteKind::Envelope,
                format!(
                    "IEA01 says {} functional groups, the interchange holds {groups}",
                    seg.get(1).trim()
                ),
            );
        }
    }

    /// Checks a GE against the group it closes: its control number and its transaction sets.
    fn ge(&mut self, seg: &Segment, group: Option<Group>) {
        let control = seg.get(2).trim();
        let Some(g) = group else {
            self.note(NoteKind::Envelope, "a GE closes no GS".into());
            return;
        };
        if g.control != control {
            self.note(
                NoteKind::Envelope,
                format!("GE02 `{control}` is not the GS06 `{}` it closes", g.control),
            );
        }
        if seg.get(1).trim() != g.sets.to_string() {
            self.note(
                NoteKind::Envelope,
                format!(
                    "GE01 says {} transaction sets, the group holds {}",
                    seg.get(1).trim(),
                    g.sets
                ),
            );
        }
    }

    /// Ends a transaction set: at its SE, which is checked, or where something else ends it.
    fn close(&mut self, open: Option<Transaction>, end: End) {
        let Some(mut t) = open else {
            return;
        };
        let control = t.remit.transaction.clone();
        match end {
            End::Se(se) => {
                t.segments += 1;
                let (count, se02) = (se.get(1).trim(), se.get(2).trim());
                if se02 != control {
                    t.note(
                        NoteKind::Envelope,
                        format!("SE02 `{se02}` is not the ST02 `{control}` it closes"),
                    );
                }
                if count != t.segments.to_string() {
                    let held = t.segments;
                    t.note(
                        NoteKind::Envelope,
                        format!(
                            "transaction {control}: SE01 says {count} segments, the set holds {held}"
                        ),
                    );
                }
            }
            End::Segment(id) => t.note(
                NoteKind::Envelope,
                format!("transaction {control} has no SE: the next {id} ends it"),
            ),
            End::File(last) => {
                self.cut_short = true;
                t.note(
                    NoteKind::Envelope,
                    format!(
                        "transaction {control} ends without its SE (the last segment read is a {last}): the file may be cut short, so its amounts may be incomplete"
                    ),
                );
            }
        }
        let (remit, notes) = t.finish();
        self.remittances.push(remit);
        self.notes.extend(notes);
    }

    /// What the whole file holds, or why it holds no payment.
    pub(super) fn finish(self) -> Result<Read, RemitError> {
        if self.remittances.is_empty() {
            if self.other_sets.is_empty()
                && let Some(terminator) = self.hidden_transaction
            {
                return Err(RemitError::Terminator(terminator));
            }
            return Err(RemitError::NotRemittance(self.other_sets));
        }
        let nothing_read = self
            .remittances
            .iter()
            .all(|r| r.claims.is_empty() && r.provider_adjustments.is_empty());
        if nothing_read && self.cut_short {
            return Err(RemitError::Truncated);
        }
        Ok(Read {
            remittances: self.remittances,
            notes: self.notes,
        })
    }
}
