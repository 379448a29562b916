//! The 837P self-check: what pyx12 does not catch, checked on the written text (HL levels and
//! child flags, SBR02 against the patient level, claim totals, the billing ZIP, NPI check
//! digits, modifiers, pointers, counts), and the text read back against the built segments.

use crate::model::Money;
use crate::x12::{self, Delimiters, Segment};

/// Diagnoses one claim holds (HI).
const MAX_DIAGNOSES: usize = 12;

/// Service lines one claim holds (loop 2400).
const MAX_LINES: usize = 50;

/// Lengths receivers must keep: longer identifiers are refused rather than cut, since a cut
/// id names something else. (segment, element, qualifier in element 01 or any, most characters)
const LENGTHS: &[(&str, usize, Option<&str>, usize)] = &[
    ("CLM", 1, None, 20),
    ("REF", 2, Some("6R"), 30),
    ("REF", 2, None, 50),
    ("NM1", 3, None, 60),
    ("NM1", 4, None, 35),
    ("NM1", 9, None, 80),
    ("N3", 1, None, 55),
    ("N4", 1, None, 30),
    ("SBR", 3, None, 50),
    ("SBR", 4, None, 60),
    ("PER", 2, None, 60),
];

/// A defect the self-check found, and the claim (CLM01) it is in, when in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Defect {
    /// CLM01 of the claim the defect is in.
    pub(super) claim: Option<String>,
    /// What is wrong, and where.
    pub(super) message: String,
}

/// Built segments against the segments read back from the text: a difference means a value
/// held a delimiter or the writer left a trailing empty element.
pub(super) fn compare(built: &[Segment], read: &[Segment]) -> Vec<Defect> {
    let trimmed: Vec<Segment> = built.iter().map(Segment::trimmed).collect();
    let at = trimmed
        .iter()
        .zip(read)
        .position(|(a, b)| a != b)
        .or_else(|| (trimmed.len() != read.len()).then(|| trimmed.len().min(read.len())));
    at.map(|n| Defect {
        claim: None,
        message: format!(
            "segment {} ({}) reads back differently than it was built: a value holds a delimiter",
            n + 1,
            trimmed.get(n).map_or("", |s| s.id.as_str())
        ),
    })
    .into_iter()
    .collect()
}

/// What pyx12 does not catch, checked on the file's text: characters, envelope counts, HL
/// levels and child flags, SBR02 against the patient level, claim totals, the billing ZIP,
/// NPI check digits, modifiers, pointers, diagnoses, amounts and lengths.
pub(super) fn check_text(text: &str) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut defect = |claim: Option<&str>, message: String| {
        out.push(Defect {
            claim: claim.map(str::to_string),
            message,
        });
    };
    if let Some(c) = text
        .chars()
        .find(|c| !(' '..='~').contains(c) && *c != '\n')
    {
        defect(
            None,
            format!("the file holds {c:?}, a character outside printable ASCII"),
        );
    }
    let segments = match x12::read(text.as_bytes()) {
        Ok((d, segments)) if d == Delimiters::STANDARD => segments,
        Ok(_) => {
            defect(
                None,
                "the ISA does not declare `*`, `^`, `:` and `~`".into(),
            );
            return out;
        }
        Err(e) => {
            defect(None, format!("the file cannot be read back: {e}"));
            return out;
        }
    };
    for d in check_envelope(text, &segments)
        .into_iter()
        .chain(check_hierarchy(&segments))
        .chain(check_claims(&segments))
        .chain(check_values(&segments))
    {
        out.push(d);
    }
    out
}

fn plain(message: String) -> Defect {
    Defect {
        claim: None,
        message,
    }
}

/// ISA width, control numbers and counts of the envelope.
fn check_envelope(text: &str, segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    let first_line = text.split('~').next().unwrap_or_default();
    let isa = segments.first().filter(|s| s.id == "ISA");
    if isa.is_none_or(|s| s.elements.len() != 16) || first_line.len() != 105 {
        out.push(plain(
            "the ISA is not 16 fixed-width elements (106 characters with its terminator)".into(),
        ));
    }
    let find = |id: &str| segments.iter().find(|s| s.id == id);
    let count = |id: &str| segments.iter().filter(|s| s.id == id).count().to_string();
    let pairs = [
        (
            "IEA02",
            find("IEA").map(|s| s.get(2)),
            "ISA13",
            isa.map(|s| s.get(13)),
        ),
        (
            "GE02",
            find("GE").map(|s| s.get(2)),
            "GS06",
            find("GS").map(|s| s.get(6)),
        ),
        (
            "SE02",
            find("SE").map(|s| s.get(2)),
            "ST02",
            find("ST").map(|s| s.get(2)),
        ),
        (
            "IEA01",
            find("IEA").map(|s| s.get(1)),
            "the count of GS",
            Some(count("GS").as_str()),
        ),
        (
            "GE01",
            find("GE").map(|s| s.get(1)),
            "the count of ST",
            Some(count("ST").as_str()),
        ),
    ]
    .map(|(a, x, b, y)| (a, x.map(str::to_string), b, y.map(str::to_string)));
    for (a, x, b, y) in pairs {
        if x.is_none() || x != y {
            out.push(plain(format!("{a} does not equal {b}")));
        }
    }
    if isa.is_some_and(|s| s.get(13).len() != 9 || !s.get(13).bytes().all(|b| b.is_ascii_digit())) {
        out.push(plain("ISA13 is not 9 digits".into()));
    }
    let st = segments.iter().position(|s| s.id == "ST");
    let se = segments.iter().position(|s| s.id == "SE");
    match (st, se) {
        (Some(st), Some(se)) if se > st => {
            let counted = se - st + 1;
            if segments[se].get(1) != counted.to_string() {
                out.push(plain(format!(
                    "SE01 says {} segments, but ST to SE holds {counted}",
                    segments[se].get(1)
                )));
            }
        }
        _ => out.push(plain("the file has no ST..SE transaction".into())),
    }
    out
}

/// HL numbering, parent levels, child flags, and SBR02 against the patient level.
fn check_hierarchy(segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    // (HL01, HL02, HL03, HL04, SBR02 of a subscriber level)
    let levels: Vec<(&str, &str, &str, &str, Option<&str>)> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.id == "HL")
        .map(|(n, s)| {
            let sbr = segments
                .get(n + 1)
                .filter(|x| x.id == "SBR")
                .map(|x| x.get(2));
            (s.get(1), s.get(2), s.get(3), s.get(4), sbr)
        })
        .collect();
    for (n, &(id, parent, level, child_flag, sbr02)) in levels.iter().enumerate() {
        if id != (n + 1).to_string() {
            out.push(plain(format!("HL {id} is not numbered {}", n + 1)));
        }
        let parent_level = levels[..n].iter().find(|l| l.0 == parent).map(|l| l.2);
        let wanted = match level {
            "20" => None,
            "22" => Some("20"),
            "23" => Some("22"),
            other => {
                out.push(plain(format!(
                    "HL {id} has level {other}, not 20, 22 or 23"
                )));
                continue;
            }
        };
        if parent_level != wanted || (wanted.is_none() && !parent.is_empty()) {
            out.push(plain(format!(
                "HL {id} (level {level}) has parent {parent:?}, which is not a level {}",
                wanted.unwrap_or("none")
            )));
        }
        let has_child = levels[n + 1..].iter().any(|l| l.1 == id);
        if child_flag != if has_child { "1" } else { "0" } {
            out.push(plain(format!(
                "HL {id} says HL04 {child_flag}, but it {} a child level",
                if has_child { "has" } else { "has no" }
            )));
        }
        if level == "22" {
            let patient_level = levels[n + 1..].iter().any(|l| l.1 == id && l.2 == "23");
            match (sbr02, patient_level) {
                (Some("18"), true) => out.push(plain(format!(
                    "HL {id}: SBR02 says the patient is the subscriber, yet a patient level (2000C) follows"
                ))),
                (Some(rel), false) if rel != "18" => out.push(plain(format!(
                    "HL {id}: SBR02 says the patient is not the subscriber, yet no patient level (2000C) follows"
                ))),
                (None, _) => out.push(plain(format!("HL {id}: no SBR follows the subscriber level"))),
                _ => {}
            }
        }
    }
    out
}

/// Per claim: CLM02 against its lines, HI, modifiers, pointers and line numbers.
fn check_claims(segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut open: Option<OpenClaim> = None;
    for s in segments {
        match s.id.as_str() {
            // A claim ends at the next subscriber level, the next claim or the transaction's end.
            "HL" | "SE" | "CLM" => {
                if let Some(c) = open.take() {
                    c.close(&mut out);
                }
                if s.id == "CLM" {
                    open = Some(OpenClaim::new(s));
                }
            }
            _ => {}
        }
        let Some(c) = open.as_mut() else { continue };
        match s.id.as_str() {
            "HI" if s.get(1) == "ABK" => c.read_diagnoses(s, &mut out),
            "LX" => c.read_line_number(s, &mut out),
            "SV1" => c.read_service(s, &mut out),
            _ => {}
        }
    }
    if let Some(c) = open {
        c.close(&mut out);
    }
    out
}

/// The claim being read: its CLM01 and CLM02, and what its HI and lines have held so far.
struct OpenClaim {
    /// CLM01.
    id: String,
    /// CLM02, when it is an amount.
    total: Option<Money>,
    /// The sum of the SV102s read so far.
    lines: Money,
    /// How many diagnoses its HI holds.
    diagnoses: usize,
    /// The LX segments read so far.
    lx: usize,
}

impl OpenClaim {
    /// A claim from its CLM, nothing of it read yet.
    fn new(clm: &Segment) -> Self {
        OpenClaim {
            id: clm.get(1).to_string(),
            total: Money::parse(clm.get(2)),
            lines: Money::ZERO,
            diagnoses: 0,
            lx: 0,
        }
    }

    /// A defect of this claim, its message led by the claim's id.
    fn defect(&self, message: String) -> Defect {
        Defect {
            claim: Some(self.id.clone()),
            message: format!("claim {}: {message}", self.id),
        }
    }

    /// At the claim's end: CLM02 against the sum of its lines, and the count of its lines.
    fn close(self, out: &mut Vec<Defect>) {
        if self.total != Some(self.lines) {
            out.push(self.defect(format!(
                "CLM02 is not the sum of its lines' SV102 ({})",
                x12::amount(self.lines)
            )));
        }
        if self.lx == 0 || self.lx > MAX_LINES {
            out.push(self.defect(format!("{} service lines, not 1 to {MAX_LINES}", self.lx)));
        }
    }

    /// HI: at most 12 diagnoses, ABK then ABF, each a code without its dot.
    fn read_diagnoses(&mut self, hi: &Segment, out: &mut Vec<Defect>) {
        self.diagnoses = hi.elements.len();
        if self.diagnoses > MAX_DIAGNOSES {
            out.push(self.defect(format!(
                "{} diagnoses, more than {MAX_DIAGNOSES}",
                self.diagnoses
            )));
        }
        for (n, e) in hi.elements.iter().enumerate() {
            let want = if n == 0 { "ABK" } else { "ABF" };
            let code = e.component(2);
            if e.component(1) != want || code.is_empty() || code.contains('.') || e.0.len() != 2 {
                out.push(self.defect(format!(
                    "HI{:02} is not {want} and a code without its dot",
                    n + 1
                )));
            }
        }
    }

    /// LX: lines numbered from 1 within the claim.
    fn read_line_number(&mut self, lx: &Segment, out: &mut Vec<Defect>) {
        self.lx += 1;
        if lx.get(1) != self.lx.to_string() {
            out.push(self.defect(format!("LX {} is not numbered {}", lx.get(1), self.lx)));
        }
    }

    /// SV1: its charge added to the claim's, at most 4 modifiers, 1 to 4 pointers that each
    /// name a diagnosis of the claim's HI.
    fn read_service(&mut self, sv1: &Segment, out: &mut Vec<Defect>) {
        self.lines = Money(self.lines.cents() + Money::parse(sv1.get(2)).map_or(0, Money::cents));
        // SV101 is HC, the code, then the modifiers.
        let procedure = sv1.element(1).map_or(0, |e| e.0.len());
        if procedure > 6 {
            out.push(self.defect(format!(
                "line {} has {} modifiers, more than 4",
                self.lx,
                procedure - 2
            )));
        }
        let pointers = sv1.element(7).map(|e| e.0.as_slice()).unwrap_or_default();
        if pointers.is_empty() || pointers.len() > 4 {
            out.push(self.defect(format!(
                "line {} has {} diagnosis pointers, not 1 to 4",
                self.lx,
                pointers.len()
            )));
        }
        for p in pointers {
            if p.parse::<usize>()
                .is_ok_and(|n| n >= 1 && n <= self.diagnoses.min(MAX_DIAGNOSES))
            {
                continue;
            }
            out.push(self.defect(format!(
                "line {} points at {p:?}, not a diagnosis of the claim's HI",
                self.lx
            )));
        }
    }
}

/// Trailing delimiters, `^` inside values, the billing ZIP, NPIs, amounts and lengths,
/// segment by segment.
fn check_values(segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut claim: Option<String> = None;
    let mut after_billing = false;
    for (n, s) in segments.iter().enumerate() {
        match s.id.as_str() {
            "CLM" => claim = Some(s.get(1).to_string()),
            "HL" => claim = None,
            _ => {}
        }
        let mut defect = |message: String| {
            out.push(Defect {
                claim: claim.clone(),
                message: format!("segment {} ({}): {message}", n + 1, s.id),
            });
        };
        if s.id != "ISA" {
            if s.trimmed() != *s {
                defect(
                    "ends an element or the segment with an empty one (a trailing delimiter)"
                        .into(),
                );
            }
            if s.elements
                .iter()
                .flat_map(|e| &e.0)
                .any(|c| c.contains('^'))
            {
                defect("a value holds the repetition separator `^`".into());
            }
        }
        if s.id == "NM1" {
            after_billing = s.get(1) == "85";
            if !s.get(8).is_empty() && s.get(9).is_empty() {
                defect(format!("NM108 {} has no NM109", s.get(8)));
            }
            if s.get(8) == "XX"
                && let Err(e) = crate::codes::npi::check(s.get(9))
            {
                defect(e);
            }
        }
        if s.id == "N4" && after_billing {
            let zip = s.get(3);
            if zip.len() != 9 || !zip.bytes().all(|b| b.is_ascii_digit()) {
                defect("the billing provider's ZIP (N403) is not 9 digits".into());
            }
            after_billing = false;
        }
        let amount = match s.id.as_str() {
            "CLM" | "SV1" | "AMT" => Some(s.get(2)),
            _ => None,
        };
        if let Some(a) = amount
            && Money::parse(a).is_none_or(|m| m.cents() < 0 || x12::amount(m) != a)
        {
            defect(format!(
                "the amount {a:?} is not a minimal amount with at most 2 decimals"
            ));
        }
        for &(id, element, qualifier, max) in LENGTHS {
            if s.id != id || qualifier.is_some_and(|q| s.get(1) != q) {
                continue;
            }
            let length = s.element(element).map_or(0, |e| e.text(':').len());
            if length > max {
                defect(format!(
                    "{id}{element:02} holds {length} characters, more than {max}"
                ));
            }
        }
    }
    out
}
