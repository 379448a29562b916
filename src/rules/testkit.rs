//! Small practice folders for the rules' unit tests.
//!
//! [`Practice::new`] starts from a valid practice that no rule objects to:
//! - practice.yaml with two providers: `amy` (LMT, taxonomy 225700000X) and `pat` (PT,
//!   taxonomy 225100000X), both licensed until 2027-06-30, and fees for 97124 and 97140;
//! - payers `ppo` (commercial, `substantial_portion`) and `ma` (Medicare Advantage,
//!   `cms_8_minute`, therapy modifier GP); [`Practice::original_medicare`] adds `orig`;
//! - patient `jane`, whose primary `ppo` coverage requires a referral (`ref-1`, 8 visits) and a
//!   pre-authorization (`AUTH-1`, 8 visits, 97124 and 97140), both valid from 2026-09-01 to
//!   2026-12-31; [`Practice::secondary_ma`] adds a secondary `ma` coverage.
//!
//! Each part is changed by merging YAML into it: a key set to `~` is removed, a mapping is
//! merged key by key, anything else replaces the value. [`Practice::session`] adds a session
//! built the same way from a clean one dated 2026-09-15 (FY2026, so the built-in ICD-10-CM
//! table covers it) and signed by `amy` on its date.

use crate::codes::npi;
use crate::findings::Finding;
use crate::load::PracticeData;
use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;
use tempfile::TempDir;

/// The date of service of a session that does not set one.
pub const SESSION_DATE: &str = "2026-09-15";

const PRACTICE: &str = r#"
name: Harbor Test Massage
tax_id: "47-1928356"
tax_id_type: ein
npi: "1234567893"
taxonomy: 225700000X
address: {street: "1 Main St", city: Portland, state: ME, zip: "04101"}
phone: "207-555-0100"
place_of_service: "11"
fees: {"97124": 35.00, "97140": 40.00}
providers:
  - id: amy
    first_name: Amy
    last_name: Chen
    credentials: LMT
    npi: "1558598797"
    taxonomy: 225700000X
    license: {state: ME, number: MT-4471, expires: 2027-06-30}
  - id: pat
    first_name: Pat
    last_name: Reyes
    credentials: PT
    npi: PT_NPI
    taxonomy: 225100000X
    license: {state: ME, number: PT-1021, expires: 2027-06-30}
"#;

const PPO: &str = r#"
name: Pine PPO
kind: commercial
claims_address: {street: "PO Box 1", city: Boston, state: MA, zip: "02101"}
unit_rule: substantial_portion
timely_filing_days: 120
appeal_window_days: 180
"#;

const MA: &str = r#"
name: Maple Medicare Advantage
kind: medicare_advantage
claims_address: {street: "PO Box 2", city: Boston, state: MA, zip: "02102"}
unit_rule: cms_8_minute
therapy_modifier: GP
timely_filing_days: 365
appeal_window_days: 60
"#;

const ORIGINAL_MEDICARE: &str = r#"
name: Medicare Part B
kind: medicare
claims_address: {street: "PO Box 3", city: Hingham, state: MA, zip: "02018"}
unit_rule: cms_8_minute
therapy_modifier: GP
timely_filing_days: 365
appeal_window_days: 120
"#;

const PATIENT: &str = r#"
first_name: Jane
last_name: Doe
dob: 1980-04-12
sex: F
address: {street: "12 Elm St", city: Portland, state: ME, zip: "04102"}
signature_on_file: true
coverages:
  - payer: ppo
    priority: primary
    member_id: W123456789
    subscriber: self
    effective: 2026-01-01
    benefits:
      massage_covered: true
      requires_referral: true
      requires_preauth: true
referrals:
  - id: ref-1
    referring_provider: {first_name: Rosa, last_name: Patel, credentials: MD, npi: "1131860912"}
    date: 2026-09-01
    expires: 2026-12-31
    diagnoses: [M54.50]
    visits: 8
authorizations:
  - number: AUTH-1
    payer: ppo
    start: 2026-09-01
    end: 2026-12-31
    visits: 8
    codes: ["97124", "97140"]
"#;

const SESSION: &str = r#"
patient: jane
provider: amy
date: 2026-09-15
time_in: "09:00"
time_out: "10:00"
referral: ref-1
authorization: AUTH-1
diagnoses: [M54.50]
services:
  - code: "97124"
    minutes: 30
    modifiers: [GP]
    region: lumbar
pain: {before: 6, after: 3}
soap:
  subjective: Lumbar pain 6/10, worse after sitting 30 minutes.
  objective: Lumbar flexion limited to 40 degrees; hypertonic erector spinae.
  assessment: Pain 3/10 after treatment; flexion improved to 55 degrees.
  plan: Continue twice a week; re-assess flexion in three weeks.
goals: ["Sit 60 minutes with pain no worse than 3/10 by 2026-12-15"]
signed: {by: amy, date: 2026-09-15}
"#;

/// A practice folder to be, kept as YAML values until [`Practice::load`] writes it.
pub struct Practice {
    practice: Value,
    payers: BTreeMap<String, Value>,
    patient: Value,
    files: BTreeMap<String, String>,
}

impl Practice {
    /// The valid practice described in the module documentation, with no session.
    pub fn new() -> Self {
        let pt_npi = npi::with_check_digit("198765432").expect("nine digits starting with 1");
        Practice {
            practice: yaml(&PRACTICE.replace("PT_NPI", &format!("\"{pt_npi}\""))),
            payers: BTreeMap::from([("ppo".into(), yaml(PPO)), ("ma".into(), yaml(MA))]),
            patient: yaml(PATIENT),
            files: BTreeMap::new(),
        }
    }

    /// Merges `changes` into practice.yaml.
    pub fn practice(mut self, changes: &str) -> Self {
        merge(&mut self.practice, yaml(changes));
        self
    }

    /// Merges `changes` into the first provider, `amy`.
    pub fn provider(mut self, changes: &str) -> Self {
        merge(&mut self.practice["providers"][0], yaml(changes));
        self
    }

    /// Adds payer `orig`: Original Medicare (kind `medicare`).
    pub fn original_medicare(mut self) -> Self {
        self.payers.insert("orig".into(), yaml(ORIGINAL_MEDICARE));
        self
    }

    /// Merges `changes` into jane's patient file.
    pub fn patient(mut self, changes: &str) -> Self {
        merge(&mut self.patient, yaml(changes));
        self
    }

    /// Merges `changes` into jane's first (primary) coverage.
    pub fn coverage(mut self, changes: &str) -> Self {
        merge(&mut self.patient["coverages"][0], yaml(changes));
        self
    }

    /// Gives jane a secondary `ma` coverage, from 2026-01-01, that requires neither a referral
    /// nor a pre-authorization; sessions bill it with `coverage: ma`.
    pub fn secondary_ma(mut self) -> Self {
        let ma = yaml(
            "{payer: ma, priority: secondary, member_id: MA77, subscriber: self, effective: 2026-01-01, \
             benefits: {massage_covered: true, requires_referral: false, requires_preauth: false}}",
        );
        if let Value::Sequence(coverages) = &mut self.patient["coverages"] {
            coverages.push(ma);
        }
        self
    }

    /// Merges `changes` into the benefits of jane's first coverage.
    pub fn benefits(mut self, changes: &str) -> Self {
        merge(&mut self.patient["coverages"][0]["benefits"], yaml(changes));
        self
    }

    /// Merges `changes` into jane's referral `ref-1`.
    pub fn referral(mut self, changes: &str) -> Self {
        merge(&mut self.patient["referrals"][0], yaml(changes));
        self
    }

    /// Merges `changes` into jane's authorization `AUTH-1`.
    pub fn authorization(mut self, changes: &str) -> Self {
        merge(&mut self.patient["authorizations"][0], yaml(changes));
        self
    }

    /// Adds session `id`: the clean session with `changes` merged in, written under the
    /// month of its date. Unless `changes` sets `signed`, it is signed on its own date.
    pub fn session(mut self, id: &str, changes: &str) -> Self {
        let changes = yaml(changes);
        let mut session = yaml(SESSION);
        let signs = changes.get("signed").is_some();
        merge(&mut session, changes);
        let date = session["date"].as_str().unwrap_or(SESSION_DATE).to_string();
        if !signs && session.get("signed").is_some() {
            session["signed"]["date"] = Value::String(date.clone());
        }
        let path = format!("sessions/{}/{id}.yaml", &date[..7]);
        self.files.insert(path, to_text(&session));
        self
    }

    /// Adds or replaces a file with exactly this text.
    pub fn file(mut self, path: &str, text: &str) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }

    /// Writes the folder and loads it; panics when loading reports anything, so that a test
    /// never passes on a file the loader refused.
    pub fn load(&self) -> (TempDir, PracticeData) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut files = self.files.clone();
        files
            .entry("practice.yaml".into())
            .or_insert_with(|| to_text(&self.practice));
        files
            .entry("patients/jane.yaml".into())
            .or_insert_with(|| to_text(&self.patient));
        for (id, payer) in &self.payers {
            files
                .entry(format!("payers/{id}.yaml"))
                .or_insert_with(|| to_text(payer));
        }
        for (path, text) in &files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
            std::fs::write(&path, text).unwrap();
        }
        let (data, findings) = crate::load::load(dir.path());
        assert!(
            findings.is_empty(),
            "the practice did not load cleanly:\n{}",
            listing(&findings)
        );
        (dir, data)
    }

    /// Loads the practice and runs one rule over it.
    pub fn check(&self, rule: impl FnOnce(&PracticeData, &mut Vec<Finding>)) -> Vec<Finding> {
        let (_dir, data) = self.load();
        let mut findings = Vec::new();
        rule(&data, &mut findings);
        findings
    }

    /// Loads the practice and runs every rule with "today" being `as_of`.
    pub fn check_all(&self, as_of: &str) -> Vec<Finding> {
        self.check(|data, findings| super::check_all(data, date(as_of), findings))
    }
}

/// A date written `YYYY-MM-DD`.
pub fn date(text: &str) -> NaiveDate {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a date: {e}"))
}

/// Asserts that the findings are exactly these `(code, field)` pairs, in any order; `""`
/// stands for a finding about no particular field.
#[track_caller]
pub fn assert_codes(findings: &[Finding], expected: &[(&str, &str)]) {
    let mut got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.code, f.field.as_deref().unwrap_or("")))
        .collect();
    let mut want = expected.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "findings:\n{}", listing(findings));
}

/// Asserts that there is no finding at all.
#[track_caller]
pub fn assert_clean(findings: &[Finding]) {
    assert!(
        findings.is_empty(),
        "expected no finding, got:\n{}",
        listing(findings)
    );
}

/// The one finding with `code`; panics when there are none or several.
#[track_caller]
pub fn only<'a>(findings: &'a [Finding], code: &str) -> &'a Finding {
    let mut matching = findings.iter().filter(|f| f.code == code);
    match (matching.next(), matching.next()) {
        (Some(f), None) => f,
        _ => panic!(
            "expected exactly one {code} finding, got:\n{}",
            listing(findings)
        ),
    }
}

/// The file stems (session ids) of the findings with `code`, sorted.
pub fn flagged(findings: &[Finding], code: &str) -> Vec<String> {
    let mut stems: Vec<String> = findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let name = f.file.rsplit('/').next().unwrap_or(&f.file);
            name.trim_end_matches(".yaml").to_string()
        })
        .collect();
    stems.sort();
    stems
}

fn listing(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {} {} {} [{}]: {}\n",
                f.severity.as_str(),
                f.code,
                f.file,
                f.field.as_deref().unwrap_or(""),
                f.message
            )
        })
        .collect()
}

/// Parses YAML written inline in a test: the lines after the first may be indented to
/// line up with the code around them; their common indentation is removed.
fn yaml(text: &str) -> Value {
    if text.trim().is_empty() {
        return Value::Mapping(Mapping::new());
    }
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: String = std::iter::once(first)
        .chain(rest.iter().map(|l| l.get(indent..).unwrap_or("")))
        .map(|l| format!("{l}\n"))
        .collect();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("bad YAML in a test ({e}):\n{text}"))
}

fn to_text(value: &Value) -> String {
    serde_yaml::to_string(value).expect("YAML values serialize")
}

/// Merges `changes` into `target`: mappings key by key, `~` removing a key, anything else
/// replacing the value.
fn merge(target: &mut Value, changes: Value) {
    match (target, changes) {
        (Value::Mapping(target), Value::Mapping(changes)) => {
            for (key, value) in changes {
                if value.is_null() {
                    target.remove(&key);
                } else if let Some(existing) = target.get_mut(&key) {
                    merge(existing, value);
                } else {
                    target.insert(key, value);
                }
            }
        }
        (target, changes) => *target = changes,
    }
}

#[test]
fn the_default_practice_is_clean() {
    let findings = Practice::new()
        .original_medicare()
        .session("visit", "")
        .check_all("2026-12-31");
    assert_clean(&findings);
}

#[test]
fn merging_replaces_removes_and_recurses() {
    let (_dir, data) = Practice::new()
        .benefits("visits_per_year: 3")
        .referral("expires: ~")
        .session("late", "date: 2026-10-02")
        .load();
    let jane = &data.patients["jane"].data;
    assert_eq!(jane.coverages[0].benefits.visits_per_year, Some(3));
    assert!(jane.coverages[0].benefits.requires_referral);
    assert_eq!(jane.referrals[0].expires, None);
    let session = &data.sessions[0];
    assert_eq!(session.file, "sessions/2026-10/late.yaml");
    assert_eq!(
        session.data.signed.as_ref().unwrap().date,
        date("2026-10-02")
    );
}
