//! CMS-1500 claims from the example practice: every item read back from the PDF at its grid
//! line and column, forms of six lines with their own totals and pointers, late filing.

use crate::util::{AS_OF, Practice, example, files_under, run, run_at};
use claimwright::render::cms1500::{self, Align};
use claimwright::render::pdf::PAGE_HEIGHT;
use lopdf::content::Content;
use lopdf::{Document, Object};
use std::path::Path;

/// A string shown on a page, at its start point.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) text: String,
}

/// Text runs of every page, following Tm/Td to each Tj.
pub(crate) fn pages(bytes: &[u8]) -> Vec<Vec<Run>> {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    doc.get_pages()
        .values()
        .map(|&id| {
            let content = Content::decode(&doc.get_page_content(id)).unwrap();
            let (mut x, mut y) = (0.0f32, 0.0f32);
            let mut runs = Vec::new();
            for op in &content.operations {
                let n = |i: usize| op.operands[i].as_float().unwrap();
                match op.operator.as_str() {
                    "BT" => (x, y) = (0.0, 0.0),
                    "Tm" => (x, y) = (n(4), n(5)),
                    "Td" => (x, y) = (x + n(0), y + n(1)),
                    "Tj" => {
                        if let Object::String(b, _) = &op.operands[0] {
                            runs.push(Run {
                                x,
                                y,
                                text: b.iter().map(|&c| char::from(c)).collect(),
                            });
                        }
                    }
                    _ => {}
                }
            }
            runs
        })
        .collect()
}

/// The text printed in field `id` of a page, found by the field's grid position.
pub(crate) fn at_field<'a>(runs: &'a [Run], id: &str) -> Option<&'a str> {
    let f = cms1500::grid()
        .get(id)
        .unwrap_or_else(|| panic!("no field {id}"));
    let y = PAGE_HEIGHT - cms1500::baseline_from_top(f.line);
    runs.iter()
        .find(|r| {
            if (r.y - y).abs() > 0.01 {
                return false;
            }
            let len = r.text.chars().count() as u8;
            let column = match f.align {
                Align::Left => f.column,
                Align::Right => f.column + f.width - len,
            };
            (r.x - cms1500::column_x(column)).abs() < 0.01
        })
        .map(|r| r.text.as_str())
}

pub(crate) fn render_claim(
    root: &Path,
    patient: &str,
    out: &Path,
    extra: &[&str],
) -> crate::util::Run {
    let mut args = vec!["render", "claim", patient, "--month", "2026-11"];
    args.extend_from_slice(extra);
    run_at(root, out, AS_OF, &args)
}

#[test]
fn claim_items_print_at_their_grid_positions() {
    let out = tempfile::tempdir().unwrap();
    render_claim(&example("harbor-street"), "ellen-hartley", out.path(), &[]).expect_code(0);
    let bytes = std::fs::read(
        out.path()
            .join("claim/ellen-hartley-northstar-ppo-2026-11.pdf"),
    )
    .unwrap();
    let pages = pages(&bytes);
    let first = &pages[0];
    let expect = |id: &str, value: &str| {
        assert_eq!(at_field(first, id), Some(value), "field {id}: {:?}", first);
    };
    expect("carrier_name", "NORTHSTAR HEALTH PLANS PPO");
    expect("1_group", "X");
    expect("2", "HARTLEY, ELLEN");
    expect("3_dob", "07 09 1982");
    expect("3_sex_f", "X");
    expect("4", "HARTLEY, THOMAS");
    expect("6_spouse", "X");
    expect("11a_sex_m", "X");
    expect("11d_no", "X");
    expect("12_signature", "SIGNATURE ON FILE");
    expect("17_qual", "DN");
    expect("21_ind", "0");
    // 11-04 and 11-06 were denied (a denial names them): they were billed already.
    expect("24a_1_from", "11 11 26");
    expect("24b_1", "11");
    expect("24d_1_code", "97124");
    expect("25_ein", "X");
    expect("25", "010827463");
    expect("27_yes", "X");
    expect("33a", "1526018159");
    expect("33b", "ZZ225700000X");
    // Money: dollars right-aligned against the cents.
    let dollars = at_field(first, "24f_1_dollars").expect("24F dollars");
    assert!(dollars.chars().all(|c| c.is_ascii_digit()), "{dollars}");
    assert_eq!(at_field(first, "24f_1_cents"), Some("00"));
    assert!(at_field(first, "28_dollars").is_some());
    // No dot in diagnosis codes.
    let a = at_field(first, "21_a").expect("21A");
    assert!(!a.contains('.'), "{a}");
}

#[test]
fn a_nine_line_month_makes_two_forms_with_their_own_totals_and_pointers() {
    let p = Practice::copy_from(&example("harbor-street"));
    let src =
        std::fs::read_to_string(p.path("sessions/2026-11/2026-11-11-liam-obrien.yaml")).unwrap();
    p.write(
        "sessions/2026-11/2026-11-14-liam-obrien.yaml",
        src.replace("2026-11-11", "2026-11-14")
            .replace("date: 2026-11-12}", "date: 2026-11-14}"),
    );
    let out = tempfile::tempdir().unwrap();
    render_claim(&p.root, "liam-obrien", out.path(), &[]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    assert_eq!(files.len(), 1, "{files:?}");
    let pages = pages(&std::fs::read(out.path().join("claim").join(&files[0])).unwrap());
    assert_eq!(pages.len(), 2, "9 lines make 2 forms");
    let mut lines_seen = 0;
    for (i, page) in pages.iter().enumerate() {
        let mut sum = 0i64;
        let mut lines = 0;
        for n in 1..=6 {
            let Some(code) = at_field(page, &format!("24d_{n}_code")) else {
                continue;
            };
            assert!(!code.is_empty());
            lines += 1;
            let dollars: i64 = at_field(page, &format!("24f_{n}_dollars"))
                .unwrap()
                .parse()
                .unwrap();
            let cents: i64 = at_field(page, &format!("24f_{n}_cents"))
                .unwrap()
                .parse()
                .unwrap();
            sum += dollars * 100 + cents;
            let pointers = at_field(page, &format!("24e_{n}")).unwrap();
            for letter in pointers.chars() {
                let id = format!("21_{}", letter.to_ascii_lowercase());
                assert!(
                    at_field(page, &id).is_some(),
                    "form {}: pointer {letter} names no diagnosis",
                    i + 1
                );
            }
        }
        let total: i64 = at_field(page, "28_dollars")
            .unwrap()
            .parse::<i64>()
            .unwrap()
            * 100
            + at_field(page, "28_cents").unwrap().parse::<i64>().unwrap();
        assert_eq!(
            total,
            sum,
            "form {} total is the sum of its own lines",
            i + 1
        );
        lines_seen += lines;
        if i == 0 {
            assert_eq!(lines, 6);
        }
    }
    assert_eq!(lines_seen, 9);
}

#[test]
fn late_filing_refuses_the_claim_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let root = example("harbor-street");
    // The commercial PPO allows 120 days from the date of service.
    let r = run_at(
        &root,
        out.path(),
        "2027-04-15",
        &["render", "claim", "david-nguyen", "--month", "2026-11"],
    );
    r.expect_code(1);
    assert!(r.stderr.contains("filing.late"), "{}", r.stderr);
    assert!(files_under(out.path()).is_empty());
}

#[test]
fn replica_draws_the_form_and_overlay_does_not() {
    let out = tempfile::tempdir().unwrap();
    let root = example("harbor-street");
    render_claim(&root, "nora-pelletier", out.path(), &[]).expect_code(0);
    render_claim(&root, "nora-pelletier", out.path(), &["--mode", "replica"]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    assert_eq!(files.len(), 2, "{files:?}");
    let text = |f: &str| {
        let doc = crate::util::load_pdf_file(&out.path().join("claim").join(f));
        doc.extract_text(&[1]).unwrap()
    };
    let replica = files.iter().find(|f| f.contains("replica")).unwrap();
    let overlay = files.iter().find(|f| !f.contains("replica")).unwrap();
    assert!(text(replica).contains("HEALTH INSURANCE CLAIM FORM"));
    assert!(!text(overlay).contains("HEALTH INSURANCE CLAIM FORM"));
    let r = run(&[
        "render",
        "claim",
        "--alignment",
        "-C",
        root.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    r.expect_code(0);
    assert!(out.path().join("claim/alignment.pdf").exists());
    let draft = render_claim(&root, "nora-pelletier", out.path(), &["--draft", "--force"]);
    draft.expect_code(2);
}

/// The dates of service (24A "from", `MM DD YY`) of every line of every form of a claim PDF.
fn line_dates(pdf: &Path) -> Vec<String> {
    let pages = pages(&std::fs::read(pdf).unwrap());
    pages
        .iter()
        .flat_map(|page| {
            (1..=6).filter_map(move |n| at_field(page, &format!("24a_{n}_from")).map(String::from))
        })
        .collect()
}

/// The one claim PDF written under `out`.
pub(crate) fn only_claim(out: &Path) -> std::path::PathBuf {
    let files = files_under(&out.join("claim"));
    assert_eq!(files.len(), 1, "{files:?}");
    out.join("claim").join(&files[0])
}

#[test]
fn a_visit_over_the_plan_limit_gets_its_note_while_its_claim_line_is_held() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "patients/ellen-hartley.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(
        file,
        text.replace("visits_per_year: 20", "visits_per_year: 4"),
    );
    // The note is the medical record: the visit limit never stops it.
    let notes = tempfile::tempdir().unwrap();
    let r = run_at(
        &p.root,
        notes.path(),
        AS_OF,
        &["render", "soap", "2026-11-25-ellen-hartley"],
    );
    r.expect_code(0);
    assert!(!r.stderr.contains("benefit.visit_limit"), "{}", r.stderr);
    assert_eq!(
        files_under(notes.path()),
        vec![
            "soap_note/2026-11-25-ellen-hartley.html",
            "soap_note/2026-11-25-ellen-hartley.md",
            "soap_note/2026-11-25-ellen-hartley.pdf",
        ]
    );
    // The claim carries the four visits within the limit and holds the fifth.
    let out = tempfile::tempdir().unwrap();
    let r = render_claim(&p.root, "ellen-hartley", out.path(), &[]);
    r.expect_code(1);
    assert!(r.stderr.contains("benefit.visit_limit"), "{}", r.stderr);
    assert!(
        r.stderr.contains("held: visit 2026-11-25-ellen-hartley"),
        "{}",
        r.stderr
    );
    let dates = line_dates(&only_claim(out.path()));
    assert!(!dates.iter().any(|d| d == "11 25 26"), "{dates:?}");
    assert!(dates.iter().any(|d| d == "11 18 26"), "{dates:?}");
}

#[test]
fn four_clean_visits_are_claimed_and_the_one_with_an_expired_authorization_is_held() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "patients/ellen-hartley.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(file, text.replace("end: 2026-12-31", "end: 2026-11-20"));
    // Her denial names two visits, which would be left out as billed already.
    std::fs::remove_file(p.path("denials/hartley-co197-2026-11-23.yaml")).unwrap();
    // One service line a visit, so the claim's lines count its visits.
    for day in ["04", "06", "11", "18", "25"] {
        let session = format!("sessions/2026-11/2026-11-{day}-ellen-hartley.yaml");
        let text = std::fs::read_to_string(p.path(&session)).unwrap();
        p.write(&session, first_service_only(&text));
    }
    let out = tempfile::tempdir().unwrap();
    let r = render_claim(&p.root, "ellen-hartley", out.path(), &[]);
    r.expect_code(1);
    assert!(r.stderr.contains("authorization.expired"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("held: visit 2026-11-25-ellen-hartley is kept off claim"),
        "{}",
        r.stderr
    );
    assert_eq!(
        line_dates(&only_claim(out.path())),
        vec!["11 04 26", "11 06 26", "11 11 26", "11 18 26"]
    );
}

/// A session file with every service after the first removed.
fn first_service_only(text: &str) -> String {
    let mut out = String::new();
    let mut services_seen = 0;
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("  - code:") {
            services_seen += 1;
            skipping = services_seen > 1;
        } else if !line.starts_with(' ') {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The money of a form's item `prefix` (24F of a line, or 28), in cents.
fn cents_at(page: &[Run], prefix: &str) -> Option<i64> {
    let dollars: i64 = at_field(page, &format!("{prefix}_dollars"))?.parse().ok()?;
    let cents: i64 = at_field(page, &format!("{prefix}_cents"))?.parse().ok()?;
    Some(dollars * 100 + cents)
}

#[test]
fn a_month_with_two_therapists_makes_a_claim_for_each_naming_one_of_them() {
    use crate::ledger::{BELL_NPI, CHEN_NPI, seen_by_both_therapists};
    let p = seen_by_both_therapists();
    let out = tempfile::tempdir().unwrap();
    render_claim(&p.root, "david-nguyen", out.path(), &[]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    assert_eq!(
        files,
        [
            "david-nguyen-northstar-ppo-2026-11-2.pdf",
            "david-nguyen-northstar-ppo-2026-11.pdf"
        ]
    );
    for (file, signer, npi, total) in [
        (&files[1], "MARCUS BELL LMT", BELL_NPI, None),
        (&files[0], "AMY CHEN LMT", CHEN_NPI, Some(11600)),
    ] {
        let pages = pages(&std::fs::read(out.path().join("claim").join(file)).unwrap());
        let mut claim_total = 0;
        for page in &pages {
            // Item 31 and every line's 24J name the same therapist.
            assert_eq!(at_field(page, "31_signature"), Some(signer), "{file}");
            let mut sum = 0;
            for n in 1..=6 {
                if at_field(page, &format!("24d_{n}_code")).is_none() {
                    continue;
                }
                assert_eq!(at_field(page, &format!("24j_{n}_npi")), Some(npi), "{file}");
                sum += cents_at(page, &format!("24f_{n}")).expect("24F");
            }
            assert_eq!(cents_at(page, "28"), Some(sum), "{file}");
            claim_total += sum;
        }
        if let Some(total) = total {
            assert_eq!(claim_total, total, "{file}");
        }
    }
}

#[test]
fn a_state_written_out_holds_the_claim_and_not_the_note() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "patients/nora-pelletier.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    let from = "city: Portland, state: ME, zip: \"04102\"";
    assert!(text.contains(from), "{text}");
    p.write(
        file,
        text.replace(from, "city: Portland, state: Maine, zip: \"04102\""),
    );
    let out = tempfile::tempdir().unwrap();
    // Cut to its box, Maine would print MA: the claim is refused instead.
    let r = render_claim(&p.root, "nora-pelletier", out.path(), &[]);
    r.expect_code(1);
    assert!(
        r.stderr.contains("field.invalid") && r.stderr.contains("[address.state]"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Maine"), "{}", r.stderr);
    assert!(files_under(out.path()).is_empty());
    let r = run_at(
        &p.root,
        out.path(),
        AS_OF,
        &[
            "claims",
            "prepare",
            "--month",
            "2026-11",
            "--medium",
            "837p",
            "--payer",
            "northstar-ppo",
        ],
    );
    r.expect_code(1);
    let text = std::fs::read_to_string(out.path().join("837p/northstar-ppo-2026-11-000000001.x12"))
        .unwrap();
    assert!(!text.contains("PELLETIER"), "{text}");
    // The SOAP note is the medical record: a payer's form of an address does not stop it.
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &[
            "render",
            "soap",
            "2026-11-03-nora-pelletier",
            "--format",
            "md",
        ],
    )
    .expect_code(0);
}

/// `file` of practice `p` with each `(from, to)` replaced; each `from` must be there.
pub(crate) fn edit(p: &Practice, file: &str, edits: &[(&str, &str)]) {
    let mut text = std::fs::read_to_string(p.path(file)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} is not in {file}");
        text = text.replace(from, to);
    }
    p.write(file, text);
}

#[test]
fn an_out_of_network_patient_who_paid_keeps_the_payment() {
    // Nora Pelletier pays at each visit; her plan pays her back, so the claim does not assign
    // the benefits: item 27 NO and item 13 blank, while item 12 still releases the record.
    let p = Practice::copy_from(&example("harbor-street"));
    for day in ["03", "10", "17", "24"] {
        let file = format!("sessions/2026-11/2026-11-{day}-nora-pelletier.yaml");
        let mut text = std::fs::read_to_string(p.path(&file)).unwrap();
        text.push_str("paid: 118.00\n");
        p.write(&file, text);
    }
    let out = tempfile::tempdir().unwrap();
    render_claim(&p.root, "nora-pelletier", out.path(), &[]).expect_code(0);
    let pages = pages(&std::fs::read(only_claim(out.path())).unwrap());
    let first = &pages[0];
    assert_eq!(at_field(first, "27_no"), Some("X"));
    assert_eq!(at_field(first, "27_yes"), None);
    assert_eq!(at_field(first, "13_signature"), None);
    assert_eq!(at_field(first, "12_signature"), Some("SIGNATURE ON FILE"));
    assert_eq!(at_field(first, "1_group"), Some("X"));
    assert!(at_field(first, "29_dollars").is_some());
}

#[test]
fn signatures_follow_the_consent_to_billing_and_a_payer_may_name_its_program() {
    // Without a signature on file, items 12 and 13 print only when consent to billing was
    // signed by the claim's first visit (2026-11-09: a denial answered the two before it);
    // Pinecrest asks for Medicare in item 1.
    let p = Practice::copy_from(&example("harbor-street"));
    edit(
        &p,
        "payers/pinecrest-advantage.yaml",
        &[(
            "kind: medicare_advantage\n",
            "kind: medicare_advantage\nitem_1: medicare\n",
        )],
    );
    edit(
        &p,
        "patients/margaret-walsh.yaml",
        &[
            ("signature_on_file: true", "signature_on_file: false"),
            ("billing: 2026-11-02", "billing: 2026-11-10"),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    render_claim(&p.root, "margaret-walsh", out.path(), &[]).expect_code(0);
    let unsigned = pages(&std::fs::read(only_claim(out.path())).unwrap());
    let first = &unsigned[0];
    assert_eq!(at_field(first, "1_medicare"), Some("X"));
    assert_eq!(at_field(first, "1_group"), None);
    assert_eq!(at_field(first, "12_signature"), None);
    assert_eq!(at_field(first, "13_signature"), None);
    assert_eq!(at_field(first, "27_yes"), Some("X"));

    edit(
        &p,
        "patients/margaret-walsh.yaml",
        &[("billing: 2026-11-10", "billing: 2026-11-09")],
    );
    let out = tempfile::tempdir().unwrap();
    render_claim(&p.root, "margaret-walsh", out.path(), &[]).expect_code(0);
    let pages = pages(&std::fs::read(only_claim(out.path())).unwrap());
    assert_eq!(
        at_field(&pages[0], "12_signature"),
        Some("SIGNATURE ON FILE")
    );
    assert_eq!(
        at_field(&pages[0], "13_signature"),
        Some("SIGNATURE ON FILE")
    );
}

#[test]
fn a_visit_before_consent_is_held_off_the_claim_and_keeps_its_note() {
    let p = Practice::copy_from(&example("harbor-street"));
    edit(
        &p,
        "patients/margaret-walsh.yaml",
        &[("treatment: 2026-11-02", "treatment: 2026-11-10")],
    );
    let notes = tempfile::tempdir().unwrap();
    let r = run_at(
        &p.root,
        notes.path(),
        AS_OF,
        &["render", "soap", "2026-11-09-margaret-walsh"],
    );
    r.expect_code(0);
    let out = tempfile::tempdir().unwrap();
    let r = render_claim(&p.root, "margaret-walsh", out.path(), &[]);
    r.expect_code(1);
    assert!(r.stderr.contains("consent.missing"), "{}", r.stderr);
    assert!(
        r.stderr.contains("held: visit 2026-11-09-margaret-walsh"),
        "{}",
        r.stderr
    );
    let dates = line_dates(&only_claim(out.path()));
    assert!(!dates.iter().any(|d| d == "11 09 26"), "{dates:?}");
    assert!(dates.iter().any(|d| d == "11 12 26"), "{dates:?}");
}

#[test]
fn a_patient_whose_session_files_cannot_be_read_is_refused_and_followed_up() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let dates = ["2026-11-04", "2026-11-11", "2026-11-18", "2026-11-25"];
    for (i, date) in dates.iter().enumerate() {
        let file = format!("sessions/2026-11/{date}-liam-obrien.yaml");
        // The first keeps a readable `patient:` line; the others are damaged from the top, so
        // only their names say whose they are.
        let text = std::fs::read_to_string(p.path(&file)).unwrap();
        let broken = if i == 0 {
            format!("{text}\nsoap: [unclosed\n")
        } else {
            "\u{1}not yaml".to_string()
        };
        p.write(&file, broken);
    }
    let run = render_claim(&p.root, "liam-obrien", out.path(), &[]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("4 session file(s) of liam-obrien in 2026-11 could not be read"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("2026-11-25-liam-obrien.yaml"),
        "{}",
        run.stderr
    );
    assert!(files_under(out.path()).is_empty());

    let list = run_at(&p.root, out.path(), AS_OF, &["followups"]);
    list.expect_code(0);
    for date in dates {
        assert!(
            list.stdout.contains(&format!(
                "session file {date}-liam-obrien could not be read"
            )),
            "{}",
            list.stdout
        );
    }
    assert!(
        list.stdout.contains("liam-obrien: session file"),
        "{}",
        list.stdout
    );
}

#[test]
fn a_signature_too_long_for_one_line_keeps_the_name_above_its_credentials() {
    let out = tempfile::tempdir().unwrap();
    let root = crate::util::fixture("trial");
    let run = run_at(
        &root,
        out.path(),
        AS_OF,
        &["render", "claim", "gordon-pike", "--month", "2026-09"],
    );
    run.expect_code(0);
    assert!(!run.stderr.contains("item 31"), "{}", run.stderr);
    let files = files_under(&out.path().join("claim"));
    let bytes = std::fs::read(out.path().join("claim").join(&files[0])).unwrap();
    let page = &pages(&bytes)[0];
    assert_eq!(at_field(page, "31_name"), Some("PRIYA NATARAJAN"));
    assert_eq!(at_field(page, "31_signature"), Some("PT DPT"));
}

#[test]
fn the_practice_short_name_fills_a_box_too_narrow_for_its_name() {
    let out = tempfile::tempdir().unwrap();
    let run = render_claim(&example("harbor-street"), "ellen-hartley", out.path(), &[]);
    run.expect_code(0);
    assert!(!run.stderr.contains("item 32"), "{}", run.stderr);
    let files = files_under(&out.path().join("claim"));
    let bytes = std::fs::read(out.path().join("claim").join(&files[0])).unwrap();
    let page = &pages(&bytes)[0];
    // 29 characters fit item 33; item 32 holds 26, so it takes `claim_form.short_name`.
    assert_eq!(at_field(page, "32_name"), Some("HARBOR STREET MASSAGE"));
    assert_eq!(
        at_field(page, "33_name"),
        Some("HARBOR STREET MASSAGE THERAPY")
    );
}
