//! 837P files of the example practice, made through the library: one per payer compared with
//! `tests/golden/837p/`, and those and the special cases (workers' comp, auto, a dependent,
//! secondary coverage, replacement, void) checked by pyx12 (`scripts/x12check.py`) when installed.

use crate::util::{Practice, example, project_root};
use chrono::NaiveDate;
use claimwright::documents::claim::{self, Claim, Frequency};
use claimwright::documents::screen::{self, Index};
use claimwright::documents::{Body, Scope};
use claimwright::findings::{self, Finding};
use claimwright::load::PracticeData;
use claimwright::model::patient::Priority;
use claimwright::render::x837::{self, Interchange};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The day every claim here is made on (`--as-of`).
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date")
}

/// The month billed.
fn month() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date")
}

/// The time written in every file: the as-of day at midnight, never the clock.
fn created() -> chrono::NaiveDateTime {
    as_of().and_hms_opt(0, 0, 0).expect("a time")
}

/// The practice at `root`, loaded and checked the way the commands do it, and the month's
/// claims that nothing refuses, in patient order.
fn month_claims(root: &Path) -> (PracticeData, Vec<Claim>) {
    let (data, mut found) = claimwright::load::load(root);
    claimwright::rules::check_all(&data, as_of(), &mut found);
    findings::sort(&mut found);
    let index = Index::new(&found);
    let scope = Scope {
        as_of: as_of(),
        month: Some(month()),
        findings: &index,
    };
    let mut claims = Vec::new();
    for patient in data.patients.values() {
        for prepared in claim::prepare(&data, patient, month(), &scope) {
            let refused = findings::has_errors(&screen::findings_for(&index, &prepared));
            if let Body::Claim(c) = prepared.body
                && !refused
                && !c.lines.is_empty()
            {
                claims.push(*c);
            }
        }
    }
    (data, claims)
}

/// The claims grouped by payer id, in payer-id order.
fn by_payer(claims: &[Claim]) -> BTreeMap<String, Vec<&Claim>> {
    let mut groups: BTreeMap<String, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        groups.entry(c.payer.id.clone()).or_default().push(c);
    }
    groups
}

/// One interchange's bytes, or the findings that refused it.
fn write(data: &PracticeData, control_number: u32, claims: Vec<&Claim>) -> Vec<u8> {
    let edi = data
        .practice()
        .and_then(|p| p.edi.as_ref())
        .expect("the example practice has `edi` settings");
    let payer = claims[0].payer.id.clone();
    let file = data
        .payers
        .get(&payer)
        .map(|p| p.file.clone())
        .unwrap_or_default();
    let lacking = x837::missing(Some(edi), &claims, &file);
    assert!(lacking.is_empty(), "{}", listing(&lacking));
    x837::write(&Interchange {
        edi,
        control_number,
        created: created(),
        claims,
    })
    .unwrap_or_else(|found| panic!("{payer}: the file was refused:\n{}", listing(&found)))
}

fn listing(found: &[Finding]) -> String {
    found
        .iter()
        .map(|f| format!("  {} {}: {}\n", f.code, f.file, f.message))
        .collect()
}

/// The python that has pyx12: `CLAIMWRIGHT_PYX12`, else `python3` when it imports pyx12.
fn pyx12_python() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CLAIMWRIGHT_PYX12") {
        return Some(PathBuf::from(path));
    }
    let imports = Command::new("python3")
        .args(["-c", "import pyx12"])
        .output()
        .is_ok_and(|o| o.status.success());
    imports.then(|| PathBuf::from("python3"))
}

/// Runs `scripts/x12check.py` on `files` and asserts that pyx12 finds no error; says so and
/// passes when pyx12 is not installed.
pub(crate) fn assert_pyx12_accepts(files: &[PathBuf]) {
    let Some(python) = pyx12_python() else {
        println!("pyx12 not installed: skipped");
        return;
    };
    let out = Command::new(&python)
        .arg(project_root().join("scripts").join("x12check.py"))
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("{} could not start: {e}", python.display()));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{report}");
    assert_eq!(out.status.code(), Some(0), "pyx12 refused:\n{report}");
}

#[test]
fn each_payer_of_the_month_gets_its_golden_837p() {
    let (data, claims) = month_claims(&example("harbor-street"));
    let groups = by_payer(&claims);
    assert_eq!(
        groups.keys().collect::<Vec<_>>(),
        ["granite-coast-wc", "northstar-ppo", "pinecrest-advantage"]
    );
    let golden = project_root().join("tests").join("golden").join("837p");
    let update = std::env::var_os("CLAIMWRIGHT_UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut written = Vec::new();
    for (n, (payer, group)) in groups.into_iter().enumerate() {
        let control_number = u32::try_from(n + 1).expect("a small number");
        let bytes = write(&data, control_number, group);
        let path = golden.join(format!("{payer}.x12"));
        if update {
            std::fs::create_dir_all(&golden).expect("create tests/golden/837p");
            std::fs::write(&path, &bytes).expect("write a golden file");
        }
        let want = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with CLAIMWRIGHT_UPDATE_GOLDEN=1 to write it)",
                path.display()
            )
        });
        assert!(
            bytes == want,
            "{payer}: the 837P differs from {} (check the change, then run with CLAIMWRIGHT_UPDATE_GOLDEN=1):\n{}",
            path.display(),
            String::from_utf8_lossy(&bytes)
        );
        let file = tmp.path().join(format!("{payer}.x12"));
        std::fs::write(&file, &bytes).expect("write the file");
        written.push(file);
    }
    assert_pyx12_accepts(&written);
}

/// The example's claim for `patient`.
fn claim_of<'a>(claims: &'a [Claim], patient: &str) -> &'a Claim {
    claims
        .iter()
        .find(|c| c.patient.id == patient)
        .unwrap_or_else(|| panic!("no claim for {patient}"))
}

/// The segments of `bytes` as lines, for looking at what a case wrote.
fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The files the special cases write, kept in one folder so that pyx12 reads them in one run.
struct Kept {
    /// The folder, removed when dropped.
    dir: tempfile::TempDir,
    /// The files written, in order.
    files: Vec<PathBuf>,
}

impl Kept {
    /// An empty temporary folder.
    fn new() -> Self {
        Kept {
            dir: tempfile::tempdir().expect("a temporary folder"),
            files: Vec::new(),
        }
    }

    /// Writes `bytes` as `name.x12` and gives back its segments as lines.
    fn keep(&mut self, name: &str, bytes: Vec<u8>) -> Vec<String> {
        let path = self.dir.path().join(format!("{name}.x12"));
        std::fs::write(&path, &bytes).expect("write the file");
        self.files.push(path);
        lines(&bytes)
    }
}

#[test]
fn special_claims_pass_pyx12() {
    let (data, claims) = month_claims(&example("harbor-street"));
    let mut kept = Kept::new();
    write_workers_comp(&data, &claims, &mut kept);
    write_dependent_child(&data, &claims, &mut kept);
    write_primary_and_secondary(&data, &claims, &mut kept);
    write_replacement_and_void(&data, &claims, &mut kept);
    write_paid_home_unsigned(&data, &claims, &mut kept);
    write_referral(&data, &claims, &mut kept);
    write_auto(&mut kept);
    assert_pyx12_accepts(&kept.files);
}

/// Workers' compensation: the employer is the insured, the patient its employee.
fn write_workers_comp(data: &PracticeData, claims: &[Claim], kept: &mut Kept) {
    let wc = claim_of(claims, "jason-theriault");
    let text = kept.keep("workers-comp", write(data, 11, vec![wc]));
    assert!(
        text.iter()
            .any(|l| l.starts_with("NM1*IL*2*CASCO FREIGHT LINES, INC.*****MI*"))
    );
    assert!(text.iter().any(|l| l == "PAT*20~"));
    assert!(
        text.iter()
            .any(|l| l.starts_with("CLM*") && l.ends_with("**EM~"))
    );
    assert!(text.iter().any(|l| l == "DTP*439*D8*20260915~"));
    assert!(text.iter().any(|l| l.starts_with("REF*Y4*")));
}

/// A child on a parent's plan: a patient level under the subscriber, PAT*19.
fn write_dependent_child(data: &PracticeData, claims: &[Claim], kept: &mut Kept) {
    let child = claim_of(claims, "liam-obrien");
    let text = kept.keep("dependent-child", write(data, 12, vec![child]));
    assert!(text.iter().any(|l| l.starts_with("HL*3*2*23*0")));
    assert!(text.iter().any(|l| l == "PAT*19~"));
    assert!(text.iter().any(|l| l.starts_with("SBR*P**")));
}

/// The primary claim of a patient with a secondary plan names it in 2320-2330B; the same
/// visits billed to the secondary payer name the primary.
fn write_primary_and_secondary(data: &PracticeData, claims: &[Claim], kept: &mut Kept) {
    let primary = claim_of(claims, "robert-lindqvist");
    assert!(primary.other_coverage.is_some());
    let text = kept.keep("with-secondary", write(data, 13, vec![primary]));
    assert!(text.iter().any(|l| l.starts_with("SBR*S*18*")));
    assert!(text.iter().any(|l| l == "OI***Y***Y~"));

    let secondary = billed_to_secondary(primary, claims);
    let text = kept.keep("secondary", write(data, 14, vec![&secondary]));
    assert!(text.iter().any(|l| l.starts_with("SBR*S*18**")));
    assert!(text.iter().any(|l| l.starts_with("SBR*P*18*")));
}

/// `primary`'s visits billed to its other coverage, with the primary as the other coverage.
fn billed_to_secondary(primary: &Claim, claims: &[Claim]) -> Claim {
    let mut secondary = primary.clone();
    let other = secondary.other_coverage.take().expect("other coverage");
    let pinecrest = claims
        .iter()
        .find(|c| c.payer.id == other.payer)
        .expect("a claim to the secondary payer");
    secondary.payer = pinecrest.payer.clone();
    secondary.priority = Priority::Secondary;
    secondary.claim_filing_code = other.claim_filing_code.clone();
    secondary.insured.member_id = other.member_id.clone();
    secondary.insured.group_number = None;
    secondary.other_coverage = Some(claim::OtherCoverage {
        payer: primary.payer.id.clone(),
        payer_name: primary.payer.name.clone(),
        payer_id: primary.payer.payer_id.clone(),
        priority: Priority::Primary,
        claim_filing_code: primary.claim_filing_code.clone(),
        relationship: "self",
        adjudication: None,
        member_id: primary.insured.member_id.clone(),
        group_number: primary.insured.group_number.clone(),
        last_name: primary.insured.last_name.clone(),
        first_name: primary.insured.first_name.clone(),
        group_or_member: String::new(),
        plan: String::new(),
    });
    secondary
}

/// A replacement and a void name the payer's claim number.
fn write_replacement_and_void(data: &PracticeData, claims: &[Claim], kept: &mut Kept) {
    for (frequency, code) in [(Frequency::Replacement, "7"), (Frequency::Void, "8")] {
        let mut c = claim_of(claims, "david-nguyen").clone();
        c.frequency = frequency;
        c.original_claim_number = Some("NS26110400123".into());
        let text = kept.keep(&format!("frequency-{code}"), write(data, 15, vec![&c]));
        assert!(text.iter().any(|l| l.contains(&format!(":B:{code}*"))));
        assert!(text.iter().any(|l| l == "REF*F8*NS26110400123~"));
    }
}

/// Paid at the visit, one line at the patient's home, no signature on file, assignment not
/// accepted.
fn write_paid_home_unsigned(data: &PracticeData, claims: &[Claim], kept: &mut Kept) {
    let mut c = claim_of(claims, "david-nguyen").clone();
    c.amount_paid = claimwright::model::Money(2500);
    c.lines[1].place_of_service = "12".into();
    c.release_signed = false;
    c.assignment_signed = false;
    c.assigned = false;
    let text = kept.keep("paid-home-unsigned", write(data, 18, vec![&c]));
    assert!(text.iter().any(|l| l == "AMT*F5*25~"));
    assert!(
        text.iter()
            .any(|l| l.starts_with("SV1*") && l.contains("*UN*1*12**"))
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with("CLM*") && l.ends_with("*Y*C*W*I~"))
    );
}

/// A referral with the payer's number.
fn write_referral(data: &PracticeData, claims: &[Claim], kept: &mut Kept) {
    let referred = claim_of(claims, "david-nguyen");
    let text = kept.keep("referral", write(data, 16, vec![referred]));
    assert!(text.iter().any(|l| l == "REF*9F*NSR-2026-0418827~"));
    assert!(
        text.iter()
            .any(|l| l.starts_with("NM1*DN*1*OKAFOR*SAMUEL****XX*"))
    );
}

/// Auto: a copy of the example whose commercial patient was hurt in a car accident.
fn write_auto(kept: &mut Kept) {
    let auto = auto_practice();
    let (auto_data, auto_claims) = month_claims(&auto.root);
    let c = claim_of(&auto_claims, "david-nguyen");
    assert_eq!(c.payer.id, "seacoast-auto");
    let text = kept.keep("auto", write(&auto_data, 17, vec![c]));
    assert!(
        text.iter()
            .any(|l| l.starts_with("CLM*") && l.ends_with("**AA:::ME~"))
    );
    assert!(text.iter().any(|l| l == "DTP*439*D8*20261020~"));
    assert!(text.iter().any(|l| l == "REF*Y4*SCA-26-55012~"));
    assert!(
        text.iter()
            .any(|l| l.starts_with("SBR*P*18*") && l.ends_with("*AM~"))
    );
}

/// A copy of the example where David Nguyen's visits bill an auto carrier.
fn auto_practice() -> Practice {
    let practice = Practice::copy_from(&example("harbor-street"));
    practice.write(
        "payers/seacoast-auto.yaml",
        "name: Seacoast Auto Insurance\npayer_id: \"SCA01\"\nkind: auto\nclaims_address: {street: \"PO Box 400\", city: Portland, state: ME, zip: \"04112\"}\nunit_rule: substantial_portion\ntimely_filing_days: 365\nappeal_window_days: 180\n",
    );
    let path = practice.path("patients/david-nguyen.yaml");
    let text = std::fs::read_to_string(&path).expect("read the patient");
    let text = text.replace(
        "  - payer: northstar-ppo\n",
        "  - payer: seacoast-auto\n    claim_number: SCA-26-55012\n    injury_date: 2026-10-20\n    accident_state: ME\n",
    );
    std::fs::write(&path, text).expect("write the patient");
    practice
}

#[test]
fn what_an_837p_needs_is_named_with_its_file() {
    let (data, claims) = month_claims(&example("harbor-street"));
    let mut c = claim_of(&claims, "david-nguyen").clone();
    c.billing.address.zip = claimwright::model::Code("04101".into());
    c.payer.payer_id = None;
    for line in &mut c.lines {
        if let Some(r) = &mut line.rendering {
            r.taxonomy = None;
        }
    }
    let found = x837::missing(None, &[&c], "payers/northstar-ppo.yaml");
    let places: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|f| (f.file.as_str(), f.field.as_deref()))
        .collect();
    assert_eq!(
        places,
        [
            ("payers/northstar-ppo.yaml", Some("payer_id")),
            ("practice.yaml", Some("address.zip")),
            ("practice.yaml", Some("edi")),
            ("practice.yaml", Some("providers")),
        ],
        "{}",
        listing(&found)
    );
    assert!(found.iter().all(|f| f.code == "x12.missing"));
    // `write` refuses the same claim rather than write half a file.
    let edi = data.practice().and_then(|p| p.edi.as_ref()).expect("edi");
    let refused = x837::write(&Interchange {
        edi,
        control_number: 1,
        created: created(),
        claims: vec![&c],
    })
    .expect_err("refused");
    assert!(refused.iter().any(|f| f.code == "x12.missing"));
}

#[test]
fn a_file_that_fails_its_own_check_is_not_written() {
    let (data, claims) = month_claims(&example("harbor-street"));
    let edi = data.practice().and_then(|p| p.edi.as_ref()).expect("edi");
    let mut c = claim_of(&claims, "david-nguyen").clone();
    c.lines[0].modifiers = ["GP", "59", "XS", "KX", "GO"].map(String::from).to_vec();
    let found = x837::write(&Interchange {
        edi,
        control_number: 1,
        created: created(),
        claims: vec![&c],
    })
    .expect_err("five modifiers are refused");
    assert!(
        found
            .iter()
            .all(|f| f.code == "x12.invalid" && f.file == "patients/david-nguyen.yaml"),
        "{}",
        listing(&found)
    );
    assert!(found.iter().any(|f| f.message.contains("5 modifiers")));
}

#[test]
fn charges_that_add_up_past_any_amount_are_refused() {
    let (data, claims) = month_claims(&example("harbor-street"));
    let edi = data.practice().and_then(|p| p.edi.as_ref()).expect("edi");
    let mut c = claim_of(&claims, "david-nguyen").clone();
    assert!(c.lines.len() >= 2);
    for line in &mut c.lines {
        line.charge = claimwright::model::Money(i64::MAX / 2 + 1);
    }
    let found = x837::write(&Interchange {
        edi,
        control_number: 1,
        created: created(),
        claims: vec![&c],
    })
    .expect_err("an overflowing total is refused");
    assert_eq!(found.len(), 1, "{}", listing(&found));
    assert_eq!(found[0].code, "x12.invalid");
    assert_eq!(found[0].file, "patients/david-nguyen.yaml");
    assert!(
        found[0].message.contains("past any amount"),
        "{}",
        listing(&found)
    );
}

#[test]
fn each_rendering_provider_gets_a_claim_with_its_own_2310b() {
    // Robert Lindqvist was seen by both therapists in the example's month.
    let (data, claims) = month_claims(&example("harbor-street"));
    let robert: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.patient.id == "robert-lindqvist" && c.payer.id == "northstar-ppo")
        .collect();
    assert_eq!(robert.len(), 2);
    assert_eq!(
        robert[0].id,
        claim::claim_id("robert-lindqvist", "northstar-ppo", "2026-11", 1),
        "the first therapist's claim keeps the month's id"
    );
    assert_ne!(robert[0].id, robert[1].id);
    let mut npis = Vec::new();
    for c in &robert {
        let npi = c.lines[0].rendering.as_ref().map(|r| r.npi.clone());
        assert!(npi.is_some());
        assert!(
            c.lines
                .iter()
                .all(|l| l.rendering.as_ref().map(|r| &r.npi) == npi.as_ref())
        );
        let sum: i64 = c.lines.iter().map(|l| l.charge.cents()).sum();
        assert_eq!(c.total_charge.cents(), sum);
        npis.push(npi);
    }
    assert_ne!(npis[0], npis[1]);
    let mut kept = Kept::new();
    let text = kept.keep("two-therapists", write(&data, 19, robert.clone()));
    // One 2310B a claim, and no 2420A: every line is its claim's therapist's.
    assert_eq!(text.iter().filter(|l| l.starts_with("CLM*")).count(), 2);
    assert_eq!(text.iter().filter(|l| l.starts_with("NM1*82*")).count(), 2);
    for (c, npi) in robert.iter().zip(&npis) {
        let at = text
            .iter()
            .position(|l| l.starts_with(&format!("CLM*{}*", c.id)))
            .expect("the claim");
        let rendering = text[at..]
            .iter()
            .find(|l| l.starts_with("NM1*82*"))
            .expect("2310B");
        assert!(rendering.ends_with(&format!("*XX*{}~", npi.as_deref().unwrap_or_default())));
    }
    assert_pyx12_accepts(&kept.files);
}

/// CLM07, CLM08 and CLM09 of each patient's claim in `root`'s month.
fn clm_signatures(root: &Path) -> (PracticeData, Vec<Claim>, BTreeMap<String, String>) {
    let (data, claims) = month_claims(root);
    let ends = claims
        .iter()
        .filter_map(|c| {
            let bytes = write(&data, 21, vec![c]);
            let clm = lines(&bytes).into_iter().find(|l| l.starts_with("CLM*"))?;
            let fields: Vec<&str> = clm.trim_end_matches('~').split('*').collect();
            let signatures = fields.get(7..10)?.join("*");
            Some((c.patient.id.clone(), signatures))
        })
        .collect();
    (data, claims, ends)
}

#[test]
fn assignment_and_release_follow_the_coverage_and_the_consent_dates() {
    // The example: every patient's signature is on file; Nora Pelletier is out of network, so
    // her plan pays her, not the practice.
    let (_, _, clm) = clm_signatures(&example("harbor-street"));
    assert_eq!(clm["david-nguyen"], "A*Y*Y");
    assert_eq!(clm["nora-pelletier"], "C*W*Y");

    // Without a signature on file the consent to billing decides, from the claim's first visit:
    // David signed on his first visit (2026-11-03), Liam's mother after his first one of the
    // month (2026-11-04). Ellen's plan pays her though she is in network.
    let p = Practice::copy_from(&example("harbor-street"));
    let edit = |patient: &str, edits: &[(&str, &str)]| {
        let file = format!("patients/{patient}.yaml");
        let mut text = std::fs::read_to_string(p.path(&file)).expect("read the patient");
        for (from, to) in edits {
            assert!(text.contains(from), "{from:?} is not in {file}");
            text = text.replace(from, to);
        }
        p.write(&file, text);
    };
    let unsigned = ("signature_on_file: true", "signature_on_file: false");
    edit("david-nguyen", &[unsigned]);
    edit(
        "liam-obrien",
        &[unsigned, ("billing: 2026-10-30", "billing: 2026-11-05")],
    );
    edit(
        "ellen-hartley",
        &[("network: in\n", "network: in\n    assign_benefits: false\n")],
    );
    let (data, claims, clm) = clm_signatures(&p.root);
    assert_eq!(clm["david-nguyen"], "A*Y*Y");
    assert_eq!(clm["liam-obrien"], "A*N*I");
    assert_eq!(clm["ellen-hartley"], "C*W*Y");
    let mut kept = Kept::new();
    for patient in ["liam-obrien", "ellen-hartley"] {
        kept.keep(patient, write(&data, 22, vec![claim_of(&claims, patient)]));
    }

    // A practice that does not accept assignment is paid by nobody's plan.
    let q = Practice::copy_from(&example("harbor-street"));
    let text = std::fs::read_to_string(q.path("practice.yaml")).expect("read the practice");
    q.write(
        "practice.yaml",
        text.replace("accept_assignment: true", "accept_assignment: false"),
    );
    let (data, claims, clm) = clm_signatures(&q.root);
    assert!(clm.values().all(|s| s == "C*W*Y"), "{clm:?}");
    kept.keep(
        "not-accepted",
        write(&data, 23, vec![claim_of(&claims, "david-nguyen")]),
    );
    assert_pyx12_accepts(&kept.files);
}
