//! The patient-facing documents (benefit summary, statement, superbill) of the example
//! practice in plain language: every summary at grade 8 or lower by Flesch-Kincaid, no record
//! id anywhere, US dates and amounts, and a minor's summary addressed to the parent.

use crate::util::reading::{Counts, prose};
use crate::util::{AS_OF, example, run_at};
use serde_json::Value;
use std::path::Path;

/// Every patient id of the example practice.
fn patients() -> Vec<String> {
    let (data, _) = claimwright::load::load(&example("harbor-street"));
    data.patients.keys().cloned().collect()
}

/// Renders `kind` for every patient of the example into `out`, in Markdown, HTML and JSON.
fn render_all(out: &Path, kind: &str) {
    for id in patients() {
        let mut args = vec!["render", kind, id.as_str()];
        if kind == "superbill" {
            args.extend(["--month", "2026-11"]);
        }
        args.extend(["--format", "md", "--format", "html", "--format", "json"]);
        run_at(&example("harbor-street"), out, AS_OF, &args).expect_code(0);
    }
}

/// The files of `dir` whose names end with `ext`, with their text.
fn files(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    out.sort();
    out
}

/// Every name and number a summary's data holds that is not prose: people, the practice,
/// plans and payers, references.
fn names_in(data: &Value) -> Vec<String> {
    const KEYS: &[&str] = &[
        "name",
        "guardian",
        "payer_name",
        "plan_name",
        "subscriber_name",
        "issued_by",
        "representative",
        "reference",
        "payer",
        "one_line",
        "first_name",
        "last_name",
    ];
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if let (true, Some(s)) = (KEYS.contains(&k.as_str()), v.as_str()) {
                        out.push(s.to_string());
                    }
                    walk(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(data, &mut out);
    out
}

#[test]
fn every_example_summary_reads_at_grade_eight_or_lower() {
    let out = tempfile::tempdir().unwrap();
    render_all(out.path(), "summary");
    let dir = out.path().join("summary");
    let summaries = files(&dir, ".md");
    assert_eq!(summaries.len(), patients().len());
    for (name, md) in summaries {
        let json = std::fs::read_to_string(dir.join(name.replace(".md", ".json"))).unwrap();
        let data: Value = serde_json::from_str(&json).unwrap();
        let lines = prose(&md, &names_in(&data));
        let counts = Counts::of(&lines);
        assert!(
            counts.words > 150,
            "{name}: too little prose found: {lines:#?}"
        );
        let grade = counts.grade();
        assert!(
            grade <= 8.0,
            "{name} reads at grade {grade:.1} ({counts:?}):\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn statements_and_superbills_read_at_grade_eight_or_lower_too() {
    let out = tempfile::tempdir().unwrap();
    for kind in ["statement", "superbill"] {
        render_all(out.path(), kind);
        let dir = out.path().join(kind);
        let mut lines = Vec::new();
        for (name, md) in files(&dir, ".md") {
            let json = std::fs::read_to_string(dir.join(name.replace(".md", ".json"))).unwrap();
            let data: Value = serde_json::from_str(&json).unwrap();
            lines.extend(prose(&md, &names_in(&data)));
        }
        let counts = Counts::of(&lines);
        assert!(counts.words > 100, "{kind}: {lines:#?}");
        let grade = counts.grade();
        assert!(
            grade <= 8.0,
            "the {kind}s read at grade {grade:.1} ({counts:?}):\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn no_record_id_reaches_a_patient_facing_document() {
    let out = tempfile::tempdir().unwrap();
    for kind in ["summary", "statement", "superbill"] {
        render_all(out.path(), kind);
    }
    let (data, _) = claimwright::load::load(&example("harbor-street"));
    let mut ids: Vec<String> = Vec::new();
    ids.extend(data.patients.keys().cloned());
    ids.extend(data.payers.keys().cloned());
    ids.extend(data.denials.keys().cloned());
    ids.extend(data.sessions.iter().map(|s| s.id.clone()));
    for p in data.patients.values() {
        ids.extend(p.data.referrals.iter().map(|r| r.id.clone()));
        ids.extend(p.data.plans_of_care.iter().map(|c| c.id.clone()));
    }
    if let Some(practice) = data.practice() {
        ids.extend(practice.providers.iter().map(|p| p.id.clone()));
    }
    assert!(ids.iter().any(|i| i == "ref-2026-10-raman"), "{ids:?}");
    let mut seen = 0;
    for kind in ["summary", "statement", "superbill"] {
        let dir = out.path().join(kind);
        for ext in [".md", ".html"] {
            for (name, text) in files(&dir, ext) {
                seen += 1;
                for id in &ids {
                    assert!(
                        !text.contains(id.as_str()),
                        "{kind}/{name} prints the id {id}"
                    );
                }
            }
        }
    }
    assert!(seen >= 3 * 2 * patients().len(), "{seen} documents");
}

/// True when `text` holds an ISO date such as 2026-11-03.
fn has_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
    })
}

/// True when `text` holds an amount of four or more dollars without a thousands separator,
/// such as $1500.00 or 1500.00.
fn has_plain_thousands(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(7).enumerate().any(|(at, w)| {
        let before = at.checked_sub(1).map(|i| b[i]);
        before.is_none_or(|c| !c.is_ascii_digit() && c != b',' && c != b'.')
            && w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'.'
            && w[5..].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn dates_and_amounts_read_the_us_way() {
    let out = tempfile::tempdir().unwrap();
    for kind in ["summary", "statement", "superbill"] {
        render_all(out.path(), kind);
        let dir = out.path().join(kind);
        for (name, md) in files(&dir, ".md") {
            // Names from the records (a plan named "... injury of 2026-09-15") print as
            // written; the rest is the document's own.
            let json = std::fs::read_to_string(dir.join(name.replace(".md", ".json"))).unwrap();
            let data: Value = serde_json::from_str(&json).unwrap();
            let mut own = md.clone();
            for n in names_in(&data).iter().filter(|n| !n.is_empty()) {
                own = own.replace(n.as_str(), "");
            }
            assert!(!has_iso_date(&own), "{kind}/{name} has an ISO date:\n{md}");
            assert!(!has_plain_thousands(&own), "{kind}/{name}:\n{md}");
        }
    }
    let summary =
        std::fs::read_to_string(out.path().join("summary/robert-lindqvist-2026-11-30.md")).unwrap();
    for expected in [
        "November 30, 2026",
        "your last visit, on November 20, 2026",
        "| $1,000.00 | $1,000.00 | $0.00 |",
        "| $4,000.00 | $2,150.00 | $1,850.00 |",
        "01/01/2026 to 12/31/2026",
        "date of birth 06/23/1959",
        "massage, 15-minute units",
        "> - **Out-of-pocket maximum:**",
        "## Northstar Choice PPO, primary",
        "## Pinecrest Advantage Choice (PPO), secondary",
        "Referral from Walter Briggs, DO (NPI ",
    ] {
        assert!(summary.contains(expected), "{expected}:\n{summary}");
    }
    assert!(!summary.contains("(primary)") && !summary.contains("x 2 units"));
    let superbill =
        std::fs::read_to_string(out.path().join("superbill/nora-pelletier-2026-11.md")).unwrap();
    for expected in [
        "# Superbill: November 2026",
        "| 11/03/2026 | 11 | 97124 |",
        "| 4 | $472.00 | $0.00 | $472.00 |",
        "- Referral from Karen Ouellette, NP (NPI 1445418381), October 26, 2026",
        "ME MT-4471 (expires 06/30/2027)",
    ] {
        assert!(superbill.contains(expected), "{expected}:\n{superbill}");
    }
}

#[test]
fn a_minors_summary_is_written_to_the_parent() {
    let out = tempfile::tempdir().unwrap();
    for id in ["liam-obrien", "robert-lindqvist"] {
        run_at(
            &example("harbor-street"),
            out.path(),
            AS_OF,
            &["render", "summary", id, "--format", "md"],
        )
        .expect_code(0);
    }
    let read = |id: &str| {
        std::fs::read_to_string(out.path().join(format!("summary/{id}-2026-11-30.md"))).unwrap()
    };
    let minor = read("liam-obrien");
    for expected in [
        "Prepared for Kathleen O'Brien, parent or guardian of Liam O'Brien",
        "how many visits your child has left",
        "your child's last visit",
        "You need a referral from your child's doctor.",
    ] {
        assert!(minor.contains(expected), "{expected}:\n{minor}");
    }
    // Liam's October visit awaits its plan's answer: his statement goes to his mother.
    run_at(
        &example("harbor-street"),
        out.path(),
        AS_OF,
        &["render", "statement", "liam-obrien", "--format", "md"],
    )
    .expect_code(0);
    let statement =
        std::fs::read_to_string(out.path().join("statement/liam-obrien-2026-11-30.md")).unwrap();
    assert!(
        statement.contains("**Kathleen O'Brien**, parent or guardian of Liam O'Brien\\\n"),
        "{statement}"
    );
    let adult = read("robert-lindqvist");
    assert!(adult.contains("Prepared for Robert Lindqvist ·"), "{adult}");
    assert!(adult.contains("how many visits you have left"), "{adult}");
    assert!(!adult.contains("your child"), "{adult}");
}
