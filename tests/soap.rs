//! The SOAP note's content: the header of a workers' compensation note, the referral, plan of
//! care and coverage in words (never a record id), only the lines the records fill, full
//! ICD-10-CM titles, and words hyphenated across a line break in the YAML kept whole.

use crate::util::{AS_OF, Practice, example, read_text as read, run_at};
use std::path::Path;

/// Renders the SOAP note of `session` from `root` in Markdown, HTML and PDF under `out`.
fn render(root: &Path, out: &Path, session: &str) {
    run_at(
        root,
        out,
        AS_OF,
        &[
            "render", "soap", session, "--format", "md", "--format", "html", "--format", "pdf",
        ],
    )
    .expect_code(0);
}

/// The text of every page of a PDF, whitespace collapsed so phrases can be searched whole.
fn pdf_text(path: &Path) -> String {
    crate::util::pdf_words(&std::fs::read(path).expect("the PDF"))
}

/// The Markdown and the PDF text of one rendered note.
fn note(root: &Path, session: &str) -> (String, String, String) {
    let out = tempfile::tempdir().unwrap();
    render(root, out.path(), session);
    let stem = out.path().join("soap_note").join(session);
    (
        read(&stem.with_extension("md")),
        read(&stem.with_extension("html")),
        pdf_text(&stem.with_extension("pdf")),
    )
}

#[test]
fn a_workers_comp_note_names_its_claim_referral_and_plan_in_words() {
    let (md, html, pdf) = note(&example("harbor-street"), "2026-11-02-jason-theriault");
    for line in [
        "Workers' compensation claim GCM-WC-26-018834 · Employer: Casco Freight Lines, Inc. · Date of injury: 2026-09-15",
        "Referral from Thomas Reyes, DO (NPI 1647857667), 2026-10-22 · Authorization GCM-AUTH-7734-02",
        "Plan of care certified by Thomas Reyes, DO (NPI 1647857667) on 2026-10-22, for 2026-10-26 to 2026-12-21, 2x/week for 6 weeks",
        "Granite Coast Mutual Insurance Company · Workers' compensation: Casco Freight Lines, Inc., injury of 2026-09-15, primary · member GCM-WC-26-018834",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
        assert!(pdf.contains(line), "{line}\n{pdf}");
    }
    assert!(html.contains("Casco Freight Lines, Inc."), "{html}");
    // Record ids and YAML words stay in the practice folder.
    for internal in [
        "ref-2026-10-reyes",
        "poc-2026-10-reyes",
        "jason-theriault",
        "granite-coast-wc",
        "workers_comp",
        "marcus-bell",
    ] {
        assert!(!md.contains(internal), "{internal}\n{md}");
        assert!(!pdf.contains(internal), "{internal}\n{pdf}");
    }
}

#[test]
fn a_note_prints_only_the_lines_its_records_fill() {
    // David Nguyen's first visit: a referral, no plan of care, no injury claim, no measures.
    let (md, _, pdf) = note(&example("harbor-street"), "2026-11-03-david-nguyen");
    assert!(md.contains("Referral from "), "{md}");
    for absent in [
        "Plan of care",
        "Employer",
        "Date of injury",
        "claim",
        "Measures",
        "Techniques",
        "Authorization",
        "ref-2026-10-okafor",
    ] {
        assert!(!md.contains(absent), "{absent}\n{md}");
        assert!(!pdf.contains(absent), "{absent}\n{pdf}");
    }
    // Margaret Walsh's visit records its measures, each on the measures line.
    let (md, _, pdf) = note(&example("harbor-street"), "2026-11-02-margaret-walsh");
    let measures = "Measures: Lumbar flexion 45 degrees · Oswestry disability index 42% · Standing tolerance 10 minutes";
    assert!(md.contains(measures), "{md}");
    assert!(pdf.contains(measures), "{pdf}");
    let techniques = "Techniques: Swedish massage · myofascial release · trigger point release";
    assert!(md.contains(techniques), "{md}");
    assert!(pdf.contains(techniques), "{pdf}");
    assert!(
        md.contains("Pinecrest Health Medicare Advantage · Pinecrest Advantage Plus (HMO-POS), primary · member PMA448190263"),
        "{md}"
    );
}

#[test]
fn diagnoses_print_their_full_icd10_titles() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    let text = read(&p.path(file));
    let changed = text.replace(
        "diagnoses: [M54.50, M62.830]",
        "diagnoses: [M54.50, M62.838, M53.88]",
    );
    assert_ne!(changed, text, "the example's diagnoses line moved");
    p.write(file, changed);
    let (md, html, pdf) = note(&p.root, "2026-11-02-margaret-walsh");
    for title in [
        "| A | M54.50 | Low back pain, unspecified |",
        "| B | M62.838 | Other muscle spasm |",
        // CMS shortens this one to "Oth dorsopathies, sacral and sacrococcygeal region".
        "| C | M53.88 | Other specified dorsopathies, sacral and sacrococcygeal region |",
    ] {
        assert!(md.contains(title), "{title}\n{md}");
    }
    assert!(!md.contains("Oth dorsopathies"), "{md}");
    assert!(
        html.contains("Other specified dorsopathies, sacral and sacrococcygeal region"),
        "{html}"
    );
    assert!(pdf.contains("Other muscle spasm"), "{pdf}");
}

#[test]
fn a_word_hyphenated_across_lines_in_the_yaml_stays_one_word() {
    // The example's folded plan breaks "re-" / "assessment" across two lines.
    let (md, html, pdf) = note(&example("harbor-street"), "2026-11-02-margaret-walsh");
    for text in [&md, &html, &pdf] {
        assert!(
            text.contains("progress re-assessment on 2026-11-23"),
            "{text}"
        );
        assert!(!text.contains("re- assessment"), "{text}");
    }
    // A plain multi-line scalar folds the same way; a hyphen left open on purpose stays open.
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-03-david-nguyen.yaml";
    let text = read(&p.path(file));
    let start = text.find("  assessment:").expect("an assessment line");
    let end = start + text[start..].find("  plan:").expect("a plan line");
    let plain = "  assessment: Neuromuscular re-\n    education of the deep neck flexors started; pre-\n    and post-treatment rotation both recorded.\n";
    p.write(file, format!("{}{plain}{}", &text[..start], &text[end..]));
    let (md, html, pdf) = note(&p.root, "2026-11-03-david-nguyen");
    for text in [&md, &html, &pdf] {
        assert!(
            text.contains("Neuromuscular re-education of the deep neck flexors started; pre- and post-treatment rotation"),
            "{text}"
        );
    }
}
