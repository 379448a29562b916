//! Appeal letters, one reason family at a time: each letter is made from a copy of the example
//! practice with a denial written here, and checked for the argument that fits the reason, for
//! the absence of facts the records do not hold, and for what the practice is told to add.

use crate::util::{AS_OF, Practice, example, run_at};

/// A patient of the Northstar PPO with no referral, plan of care or authorization: a plan
/// that asks for none. Three visits with measures; the last two are the ones denied.
const RUTH: &str = r#"first_name: Ruth
last_name: Ames
dob: 1971-05-14
sex: F
address: {street: "8 Fore St", city: Portland, state: ME, zip: "04101"}
signature_on_file: true
consent: {treatment: 2026-11-03, billing: 2026-11-03}
coverages:
  - payer: northstar-ppo
    priority: primary
    member_id: NSH550021187
    group_number: "FORE-2210"
    plan_name: Northstar Select PPO
    subscriber: self
    effective: 2026-01-01
    network: in
    verification: {date: 2026-10-30, method: phone, reference: CALL-NS-670012, representative: Dana K.}
    benefits:
      massage_covered: true
      plan_year_start: 2026-01-01
      visits_per_year: 20
      requires_referral: false
      requires_preauth: false
      copay: 25.00
      exclusions: []
"#;

/// One of Ruth's visits on `day` of November 2026, with cervical rotation `rotation`.
fn ruth_session(day: u32, pain: u8, rotation: u32) -> String {
    format!(
        r#"patient: ruth-ames
provider: marcus-bell
date: 2026-11-{day:02}
time_in: "10:00"
time_out: "10:50"
diagnoses: [M54.2, M62.838]
services:
  - code: "97124"
    minutes: 25
    region: cervical
    units: 2
  - code: "97140"
    minutes: 15
    modifiers: ["59"]
    region: thoracic
    diagnosis_pointers: [B]
    units: 1
pain: {{before: {pain}, after: {after}}}
measures:
  - {{name: Cervical rotation, value: {rotation}, unit: degrees}}
  - {{name: Neck Disability Index, value: {ndi}, unit: "%"}}
soap:
  subjective: Neck pain {pain}/10 after desk work.
  objective: Cervical rotation {rotation} degrees; upper trapezius hypertonic.
  assessment: Tolerated treatment; rotation improved after.
  plan: 97124 cervical 25 min; 97140 thoracic 15 min, separate region.
goals:
  - "Cervical rotation 70 degrees each side by 2026-12-15"
signed: {{by: marcus-bell, date: 2026-11-{day:02}}}
"#,
        after = pain.saturating_sub(2),
        ndi = 40 - day,
    )
}

/// A copy of the example practice with Ruth and her three visits.
fn with_ruth() -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("patients/ruth-ames.yaml", RUTH);
    for (day, pain, rotation) in [(3, 7, 55), (6, 6, 60), (10, 5, 64)] {
        p.write(
            &format!("sessions/2026-11/2026-11-{day:02}-ruth-ames.yaml"),
            ruth_session(day, pain, rotation),
        );
    }
    p
}

/// A denial of Ruth's last two visits, with `adjustments` as YAML list items.
fn ruth_denial(adjustments: &str) -> String {
    format!(
        "claim_number: NS2611200055501\npatient: ruth-ames\npayer: northstar-ppo\ndate: 2026-11-20\nsessions: [2026-11-06-ruth-ames, 2026-11-10-ruth-ames]\nbilled: 236.00\npaid: 0.00\nadjustments:\n{adjustments}notes: EOB of 2026-11-20.\n"
    )
}

/// The letter's Markdown and what `render` printed on standard error.
struct Letter {
    md: String,
    stderr: String,
}

impl Letter {
    /// Fails unless `text` is in the letter.
    fn has(&self, text: &str) -> &Letter {
        assert!(
            self.md.contains(text),
            "{text:?} missing from:\n{}",
            self.md
        );
        self
    }

    /// Fails if `text` is in the letter, in any letter case.
    fn lacks(&self, text: &str) -> &Letter {
        assert!(
            !self.md.to_lowercase().contains(&text.to_lowercase()),
            "{text:?} must not be in:\n{}",
            self.md
        );
        self
    }

    /// Fails unless the terminal says `text`.
    fn warns(&self, text: &str) -> &Letter {
        assert!(
            self.stderr.contains(text),
            "{text:?} not printed:\n{}",
            self.stderr
        );
        self
    }
}

/// Renders the appeal of denial `id` in Markdown (and PDF), expecting success.
fn render(p: &Practice, id: &str) -> Letter {
    let out = tempfile::tempdir().unwrap();
    let r = run_at(
        &p.root,
        out.path(),
        AS_OF,
        &["render", "appeal", id, "--format", "md"],
    );
    r.expect_code(0);
    let md = std::fs::read_to_string(out.path().join(format!("appeal/{id}.md"))).unwrap();
    Letter {
        md,
        stderr: r.stderr.clone(),
    }
}

/// Pages of the PDF of denial `id`.
fn pdf_pages(p: &Practice, id: &str) -> usize {
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &["render", "appeal", id, "--format", "pdf"],
    )
    .expect_code(0);
    let bytes = std::fs::read(out.path().join(format!("appeal/{id}.pdf"))).unwrap();
    lopdf::Document::load_mem(&bytes).unwrap().get_pages().len()
}

#[test]
fn co50_without_referral_or_plan_says_neither_and_names_what_to_add() {
    let p = with_ruth();
    p.write(
        "denials/ames-co50.yaml",
        ruth_denial("  - {group: CO, reason: \"50\", remarks: [N115], amount: 236.00}\n"),
    );
    let letter = render(&p, "ames-co50");
    letter
        .has("# Request for reconsideration of claim NS2611200055501")
        .has("**CO-50**: The payer decided the service was not medically necessary ($236.00). Remark N115: The decision was based on a Local Coverage Determination (LCD).")
        .has("Notes on the denial: EOB of 2026-11-20.")
        .has("## Medical necessity (CO-50)")
        .has("The denied visits treated M54.2 (Cervicalgia) and M62.838 (Other muscle spasm).")
        // Function across the episode: the denied visits and the one before them.
        .has("Cervical rotation rose from 55 degrees on 2026-11-03 to 64 degrees on 2026-11-10.")
        .has("Neck Disability Index fell from 37% on 2026-11-03 to 30% on 2026-11-10.")
        .has("Pain fell from 7/10 to 5/10 over 3 visits.")
        .has("| Cervical rotation | 55 degrees (2026-11-03) | 64 degrees (2026-11-10) | +9 degrees |")
        .has("- Cervical rotation 70 degrees each side by 2026-12-15")
        .has("- SOAP notes of the 3 visits from 2026-11-03 to 2026-11-10, the denied ones included")
        .has("- Explanation of benefits of 2026-11-20 for claim NS2611200055501")
        // The letter's particulars: tax id, member and group, signature block; never the
        // patient's record id.
        .has("Tax ID 01-0827463")
        .lacks("ruth-ames")
        .has("**Member ID:** NSH550021187 · **Group:** FORE-2210")
        .has("Signature: ______")
        .has("Marcus Bell, LMT · NPI 1810970800")
        // Nothing the records do not hold, and no checklist in the letter.
        .lacks("physician")
        .lacks("plan of care")
        .lacks("referr")
        .lacks("ordered")
        .lacks("[ ]")
        .warns("appeal.evidence_missing")
        .warns("patients/ruth-ames.yaml: warning appeal.evidence_missing: add the referral or plan of care that ordered this care");
    assert!(
        !letter.stderr.contains("record functional measures"),
        "the visits record measures:\n{}",
        letter.stderr
    );
}

#[test]
fn co50_cites_the_plan_of_care_with_certifier_date_and_period() {
    let p = with_ruth();
    let plan = "plans_of_care:\n  - id: poc-2026-11-ortiz\n    certified_by: {first_name: Helen, last_name: Ortiz, credentials: MD, npi: \"1245319599\"}\n    certified: 2026-11-04\n    start: 2026-11-03\n    end: 2026-12-31\n    frequency: 2x/week for 6 weeks\n    goals:\n      - \"Cervical rotation 70 degrees each side by 2026-12-15\"\n      - \"Work 2 hours at the desk with neck pain no worse than 2/10 by 2026-12-15\"\n";
    p.write("patients/ruth-ames.yaml", format!("{RUTH}{plan}"));
    p.write(
        "denials/ames-co50.yaml",
        ruth_denial("  - {group: CO, reason: \"50\", amount: 236.00}\n"),
    );
    let letter = render(&p, "ames-co50");
    letter
        .has("The denied visits fall within the plan of care that Helen Ortiz, MD (NPI 1245319599) certified on 2026-11-04 for 2026-11-03 to 2026-12-31, at 2x/week for 6 weeks.")
        .has("### Goals of the plan of care")
        .has("- Work 2 hours at the desk with neck pain no worse than 2/10 by 2026-12-15")
        .has("- Plan of care certified by Helen Ortiz, MD on 2026-11-04 (2026-11-03 to 2026-12-31)")
        .lacks("referr");
    assert!(
        !letter.stderr.contains("appeal.evidence_missing"),
        "{}",
        letter.stderr
    );
}

#[test]
fn co197_with_an_authorization_on_file_is_a_one_page_request_to_reprocess() {
    let p = Practice::copy_from(&example("harbor-street"));
    let id = "hartley-co197-2026-11-23";
    render(&p, id)
        .has("# Request to reprocess claim NS2611230088412 under authorization NS-PA-8841207")
        .has("Authorization NS-PA-8841207 covers this care: it runs from 2026-10-29 to 2026-12-31 for 8 visits and covers 97124, 97140, 97110.")
        .has("The denied dates of service, 2026-11-04 and 2026-11-06, fall within it, as visits 1 and 2 of the 8 it allows")
        .has("The patient's benefits were verified with you by phone on 2026-10-28 (reference CALL-NS-664102, Jordan P.).")
        .has("- Authorization NS-PA-8841207 (2026-10-29 to 2026-12-31)")
        .has("Please reprocess the claim under authorization NS-PA-8841207 and pay the $236.00 this letter disputes.")
        .lacks("## The record")
        .lacks("[ ]");
    assert_eq!(pdf_pages(&p, id), 1, "a one-page request");
}

#[test]
fn co197_without_an_authorization_asks_for_one_and_claims_no_order() {
    let p = with_ruth();
    p.write(
        "denials/ames-co197.yaml",
        ruth_denial("  - {group: CO, reason: \"197\", amount: 236.00}\n"),
    );
    render(&p, "ames-co197")
        .has("# Request for reconsideration of claim NS2611200055501")
        .has("if no authorization is on file for these dates, to grant one retroactively")
        .has("verified with you by phone on 2026-10-30 (reference CALL-NS-670012, Dana K.)")
        .lacks("physician")
        .lacks("Authorization on file")
        .warns("warning appeal.evidence_missing: no authorization from `northstar-ppo` covers 2026-11-06 and 2026-11-10");
}

/// The example's one sent claim: Liam O'Brien's October visit, on paper on 2026-11-02.
const LIAM_CLAIM: &str = "claims/2026-10/cw2026105a2f1187bd.yaml";

/// A timely-filing denial of Liam's October visit.
const LIAM_CO29: &str = "claim_number: NS2612010007731\npatient: liam-obrien\npayer: northstar-ppo\ndate: 2026-11-25\nsessions: [2026-10-30-liam-obrien]\nbilled: 76.00\npaid: 0.00\nadjustments:\n  - {group: CO, reason: \"29\", amount: 76.00, service: \"97124\"}\n";

#[test]
fn co29_cites_the_first_sending_from_the_ledger() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("denials/obrien-co29.yaml", LIAM_CO29);
    render(&p, "obrien-co29")
        .has("# Request to reprocess claim NS2612010007731")
        .has("We first sent this claim on 2026-11-02 on paper (our claim CW2026105A2F1187BD, item 26), within your 120-day filing limit: the earliest date of service, 2026-10-30, could be filed until 2027-02-27.")
        .has("**Our claim:** CW2026105A2F1187BD, first sent 2026-11-02")
        .has("- Copy of claim CW2026105A2F1187BD as sent on 2026-11-02")
        .lacks("## The record")
        .warns(&format!("{LIAM_CLAIM}: warning appeal.evidence_missing: a paper claim has no acceptance reference"));

    // Sent electronically, the claim carries its interchange number, and the acceptance
    // report is what the practice must add.
    let claim = std::fs::read_to_string(p.path(LIAM_CLAIM)).unwrap();
    let electronic = claim.replace("medium: paper", "medium: 837p") + "interchange: 17\n";
    p.write(LIAM_CLAIM, electronic);
    render(&p, "obrien-co29")
        .has("as an electronic claim (our claim CW2026105A2F1187BD, interchange control number 000000017)")
        .warns("attach the clearinghouse's acceptance report (999 or 277CA) for interchange 000000017");
}

#[test]
fn co29_without_a_first_sending_on_file_claims_none() {
    let p = with_ruth();
    p.write(
        "denials/ames-co29.yaml",
        ruth_denial("  - {group: CO, reason: \"29\", amount: 236.00}\n"),
    );
    render(&p, "ames-co29")
        .has("We ask you to review the timely-filing denial of this claim.")
        .lacks("within your")
        .lacks("first sent")
        .warns("sessions/2026-11/2026-11-06-ruth-ames.yaml: warning appeal.evidence_missing: nothing on file says when the claim first went out");
}

#[test]
fn co16_with_ma130_is_a_new_claim_and_without_it_a_corrected_claim() {
    let p = with_ruth();
    p.write(
        "denials/ames-ma130.yaml",
        ruth_denial("  - {group: CO, reason: \"16\", remarks: [MA130, M76], amount: 236.00}\n"),
    );
    render(&p, "ames-ma130")
        .has("# New claim worksheet: claim NS2611200055501")
        .has("Send a new claim (frequency code 1, item 22 left blank)")
        .has("not a replacement")
        .has("- [ ] M76: A diagnosis or condition is missing, incomplete or invalid")
        .lacks("frequency code 7")
        .lacks("To the appeals reviewer")
        .lacks("Appeals Department");

    p.write(
        "denials/ames-ma130.yaml",
        ruth_denial("  - {group: CO, reason: \"16\", remarks: [M76], amount: 236.00}\n"),
    );
    render(&p, "ames-ma130")
        .has("# Corrected claim worksheet: claim NS2611200055501")
        .has("frequency code 7 (CMS-1500 item 22, resubmission code 7) with the payer's original claim number NS2611200055501")
        .lacks("new claim");
}

#[test]
fn pr96_under_an_exclusion_claims_no_coverage_and_warns() {
    let p = with_ruth();
    p.write(
        "patients/ruth-ames.yaml",
        RUTH.replace(
            "exclusions: []",
            "exclusions: [\"massage for relaxation or stress\"]",
        ),
    );
    p.write(
        "denials/ames-pr96.yaml",
        ruth_denial(
            "  - {group: PR, reason: \"96\", remarks: [N130], amount: 152.00, service: \"97124\"}\n",
        ),
    );
    render(&p, "ames-pr96")
        .has("## Coverage (PR-96)")
        .has("We ask you to review the denial of 97124 against the records below.")
        .lacks("covers massage")
        .lacks("physician")
        .warns("warning appeal.plan_excludes: the plan's terms name 97124, denied as not covered")
        .warns("[coverages[0].benefits.exclusions[0]]");

    // Without an exclusion that names it, the letter says what the plan on file covers.
    p.write("patients/ruth-ames.yaml", RUTH);
    let letter = render(&p, "ames-pr96");
    letter
        .has("The patient's plan, Northstar Select PPO, covers massage therapy, and we ask you to reprocess the claim under that benefit.")
        .has("The benefits were verified with you by phone on 2026-10-30 (reference CALL-NS-670012, Dana K.).");
    assert!(
        !letter.stderr.contains("appeal.plan_excludes"),
        "{}",
        letter.stderr
    );
}

#[test]
fn co151_and_co119_show_the_minutes_and_the_visit_count() {
    let p = with_ruth();
    p.write(
        "denials/ames-freq.yaml",
        ruth_denial(
            "  - {group: CO, reason: \"151\", remarks: [N362], amount: 152.00, service: \"97124\"}\n  - {group: CO, reason: \"119\", amount: 84.00, service: \"97140\"}\n",
        ),
    );
    render(&p, "ames-freq")
        .has("## Frequency and limits (CO-151, CO-119)")
        .has("The units billed follow the per-code midpoint rule from the minutes the notes record: on 2026-11-06, 97124 25 min (2 units), 97140 15 min (1 unit, 59); on 2026-11-10, 97124 25 min (2 units), 97140 15 min (1 unit, 59).")
        .has("Our records count the denied dates as visits 2 and 3 of the 20 the plan allows in the plan year from 2026-01-01.")
        .lacks("ordered")
        .warns("add the referral or plan of care with the frequency ordered");
}

#[test]
fn another_reason_is_a_review_against_the_records_and_other_codes_are_not_disputed() {
    let p = with_ruth();
    p.write(
        "denials/ames-co167.yaml",
        ruth_denial(
            "  - {group: CO, reason: \"167\", amount: 200.00}\n  - {group: PR, reason: \"3\", amount: 25.00}\n  - {group: CO, reason: \"16\", remarks: [M76], amount: 11.00}\n",
        ),
    );
    let letter = render(&p, "ames-co167");
    letter
        .has("## Review (CO-167)")
        .has("We ask you to review the denial under CO-167 against the records below.")
        .has("The lines denied under CO-16 are not disputed here: we will send a corrected claim for them.")
        .has("Not disputed in this letter: PR-3 ($25.00).")
        .has("pay the $200.00 this letter disputes");
    // The worksheet of the corrected lines follows the letter, marked as the practice's own.
    let (letter_part, worksheet) = letter
        .md
        .split_once("# Corrected claim worksheet (for the practice: not part of the letter)")
        .expect("the worksheet after the letter");
    assert!(!letter_part.contains("[ ]"), "{letter_part}");
    assert!(worksheet.contains("- [ ] M76"), "{worksheet}");
}

#[test]
fn the_example_medical_necessity_letter_fits_two_pages() {
    let p = Practice::copy_from(&example("harbor-street"));
    let id = "walsh-co50-2026-11-20";
    render(&p, id)
        .has("Lumbar flexion rose from 45 degrees on 2026-11-02 to 50 degrees on 2026-11-05.")
        .has("Anne Gagnon, MD (NPI 1123806469) referred Margaret Walsh for this care on 2026-10-27")
        .has("Remark N115: The decision was based on a Local Coverage Determination (LCD).")
        .lacks("[ ]");
    assert!(pdf_pages(&p, id) <= 2, "more than two pages");
}

#[test]
fn the_medicare_advantage_plan_allows_60_days_to_reconsider() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    // 60 days from the denial of 2026-11-20: open on 2027-01-19, closed the day after.
    run_at(
        &p.root,
        out.path(),
        "2027-01-19",
        &[
            "render",
            "appeal",
            "walsh-co50-2026-11-20",
            "--format",
            "md",
        ],
    )
    .expect_code(0);
    let late = run_at(
        &p.root,
        out.path(),
        "2027-01-20",
        &[
            "render",
            "appeal",
            "walsh-co50-2026-11-20",
            "--format",
            "md",
            "--force",
        ],
    );
    late.expect_code(1);
    assert!(
        late.stderr.contains("the appeal window of 60 days"),
        "{}",
        late.stderr
    );
}

#[test]
fn a_denial_naming_no_session_cites_no_visit_and_says_what_to_add() {
    let p = with_ruth();
    let denial = ruth_denial("  - {group: CO, reason: \"197\", amount: 236.00}\n").replace(
        "sessions: [2026-11-06-ruth-ames, 2026-11-10-ruth-ames]\n",
        "",
    );
    p.write("denials/ames-bare.yaml", denial);
    render(&p, "ames-bare")
        .lacks("denied visits treated")
        .lacks("fall within")
        .lacks("SOAP notes")
        .warns("denials/ames-bare.yaml: warning appeal.evidence_missing: the denial names no session on file");
}
