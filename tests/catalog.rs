//! The catalog of finding codes (`src/findings/catalog.rs`) against the source, the README and
//! the tests: every code the source emits is declared, has a row in the README's table, and is
//! produced by the scrub fixture, by a case of `finding_cases.rs`, or by a named test.

use crate::finding_cases::MADE;
use crate::util::{Report, fixture, project_root, validate_json};
use claimwright::findings::catalog::{CODES, CodeInfo, Topic};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The source: every code passed to `Finding::error` or `Finding::warning` is declared.
// ---------------------------------------------------------------------------------------------

/// True for text shaped like a finding code: `group.name`, lowercase.
fn is_code_shaped(text: &str) -> bool {
    let mut parts = text.split('.');
    let (Some(group), Some(name), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    [group, name].iter().all(|part| {
        part.starts_with(|c: char| c.is_ascii_lowercase())
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

/// The contents of every double-quoted literal in `text` shaped like a code.
fn quoted_codes(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| is_code_shaped(s))
        .map(String::from)
        .collect()
}

/// The text of the `let NAME = ...;` statement that ends before `end`, to its `;` outside
/// any bracket.
fn let_statement<'a>(text: &'a str, name: &str, end: usize) -> Option<&'a str> {
    let start = text[..end].rfind(&format!("let {name} ="))?;
    let mut depth = 0i32;
    for (i, c) in text[start..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ';' if depth == 0 => return Some(&text[start..start + i]),
            _ => {}
        }
    }
    None
}

/// The codes one source file passes to `Finding::error` and `Finding::warning`: the literal
/// first argument, or the code literals of the `let` that binds the variable passed instead.
/// `Err` names a call whose code cannot be told from the text.
fn emitted_codes(path: &str, text: &str) -> Result<Vec<String>, String> {
    let mut codes = Vec::new();
    for call in ["Finding::error(", "Finding::warning("] {
        for (at, _) in text.match_indices(call) {
            let arg = text[at + call.len()..].trim_start();
            let line = text[..at].lines().count();
            if let Some(rest) = arg.strip_prefix('"') {
                let code = rest.split('"').next().unwrap_or_default();
                codes.push(code.to_string());
                continue;
            }
            let name: String = arg
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // The constructors themselves pass their own `code` parameter along.
            if path.starts_with("src/findings/") && name == "code" {
                continue;
            }
            let bound = let_statement(text, &name, at)
                .map(quoted_codes)
                .filter(|found| !found.is_empty())
                .ok_or_else(|| format!(
                    "{path}:{line}: cannot tell which codes `{name}` holds: pass the code as a literal, or bind it with `let {name} =` just before"
                ))?;
            codes.extend(bound);
        }
    }
    Ok(codes)
}

/// `text` without its `#[cfg(test)] mod ... { }` blocks: unit tests may make findings the
/// program never emits.
fn without_unit_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("#[cfg(test)]\nmod ") {
        out.push_str(&rest[..start]);
        let block = &rest[start..];
        let header_end = block.find('\n').map_or(block.len(), |i| i + 1);
        let header_end = header_end + block[header_end..].find('\n').map_or(0, |i| i + 1);
        // `mod name;` names a file; `mod name {` runs to the `}` at the left margin.
        let end = if block[..header_end].trim_end().ends_with(';') {
            header_end
        } else {
            block.find("\n}\n").map_or(block.len(), |i| i + 3)
        };
        rest = &block[end..];
    }
    out.push_str(rest);
    out
}

/// Every `.rs` file under `dir`, as (project-relative path, text).
fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(project_root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// Each code the source emits, with the files that emit it.
fn source_codes() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&project_root().join("src"), &mut files);
    let mut codes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unclear = Vec::new();
    for (path, text) in &files {
        match emitted_codes(path, &without_unit_tests(text)) {
            Ok(found) => {
                for code in found {
                    codes.entry(code).or_default().insert(path.clone());
                }
            }
            Err(e) => unclear.push(e),
        }
    }
    assert!(unclear.is_empty(), "{}", unclear.join("\n"));
    codes
}

fn declared() -> BTreeSet<&'static str> {
    CODES.iter().map(|c| c.code).collect()
}

#[test]
fn every_code_the_source_emits_is_declared() {
    let undeclared: Vec<String> = source_codes()
        .into_iter()
        .filter(|(code, _)| !declared().contains(code.as_str()))
        .map(|(code, files)| format!("  {code} (in {})", Vec::from_iter(files).join(", ")))
        .collect();
    assert!(
        undeclared.is_empty(),
        "emitted but not declared in src/findings/catalog.rs:\n{}",
        undeclared.join("\n")
    );
}

#[test]
fn every_declared_code_is_emitted_by_the_source() {
    let emitted = source_codes();
    let stale: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|code| !emitted.contains_key(*code))
        .collect();
    assert!(
        stale.is_empty(),
        "declared in src/findings/catalog.rs but emitted nowhere in src/: {stale:?}"
    );
}

#[test]
fn the_source_scan_sees_literal_and_bound_codes() {
    let text = "let kind = match x { A => \"icd10.deleted\", _ => \"icd10.unknown\" };\n\
                out.push(Finding::error(kind, file, m));\n\
                out.push(Finding::warning(\n    \"soap.vague\",\n    file,\n    m,\n));\n";
    let mut found = emitted_codes("src/rules/x.rs", text).unwrap();
    found.sort();
    assert_eq!(found, ["icd10.deleted", "icd10.unknown", "soap.vague"]);
    let tested = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn t() {\n        Finding::error(\"x.y\", f, m);\n    }\n}\nfn b() {\n    Finding::error(\"units.zero\", f, m);\n}\n";
    assert_eq!(
        emitted_codes("src/rules/x.rs", &without_unit_tests(tested)).unwrap(),
        ["units.zero"]
    );
    let unbound = "Finding::error(pick(), file, m)";
    assert!(emitted_codes("src/rules/x.rs", unbound).is_err());
    assert!(!is_code_shaped("practice.YAML") && !is_code_shaped("a.b.c"));
}

// ---------------------------------------------------------------------------------------------
// The README: one row per declared code, in catalog order, saying what the catalog says.
// ---------------------------------------------------------------------------------------------

/// One row of the README's table of finding codes.
struct Row {
    code: String,
    severity: String,
    refuses: String,
}

/// The rows of the table under `## Findings` in README.md.
fn readme_rows() -> Vec<Row> {
    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Findings\n")
        .nth(1)
        .expect("README.md has a `## Findings` section");
    let section = section.split("\n#").next().unwrap_or_default();
    let mut lines = section.lines().filter(|l| l.starts_with('|'));
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    assert_eq!(
        lines.next().map(cells),
        Some(vec![
            "code".to_string(),
            "severity".into(),
            "when".into(),
            "refuses".into()
        ]),
        "the table under `## Findings` should have the columns code, severity, when, refuses"
    );
    lines
        .skip(1)
        .map(|line| {
            let c = cells(line);
            assert_eq!(c.len(), 4, "a row of four cells: {line}");
            let code = c[0].trim_matches('`').to_string();
            assert_eq!(c[0], format!("`{code}`"), "one code per row: {line}");
            Row {
                code,
                severity: c[1].clone(),
                refuses: c[3].clone(),
            }
        })
        .collect()
}

/// The severity the README gives a code: "error or warning" for a code that can be either.
fn documented_severity(info: &CodeInfo) -> String {
    if info.when.contains("error or warning") {
        "error or warning".to_string()
    } else {
        info.severity.as_str().to_string()
    }
}

/// Record-topic codes raised on files no document reads (`codes/`, remittances), so they
/// refuse nothing.
const ON_NO_DOCUMENT: &[&str] = &["codes.invalid", "remit.unreadable"];

/// What is wrong with a row's `refuses` cell for a code of this topic, if anything.
fn refuses_mismatch(info: &CodeInfo, refuses: &str) -> Option<&'static str> {
    let warning_only = documented_severity(info) == "warning";
    if warning_only || ON_NO_DOCUMENT.contains(&info.code) {
        return (!refuses.starts_with("nothing")).then_some("refuses nothing");
    }
    match info.topic {
        Topic::Document => (refuses != "that document").then_some("refuses `that document`"),
        Topic::Record | Topic::Note => {
            (!refuses.starts_with("note,")).then_some("refuses the note first of all")
        }
        Topic::Billing => (refuses.contains("note") || !refuses.contains("claim"))
            .then_some("refuses claims and never the note"),
    }
}

#[test]
fn the_readme_table_has_a_row_for_every_declared_code() {
    let rows = readme_rows();
    let mut problems = Vec::new();
    let listed: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    for code in &listed {
        if !declared().contains(code) {
            problems.push(format!("  {code}: in the README but not declared"));
        }
    }
    for info in CODES {
        let found: Vec<&Row> = rows.iter().filter(|r| r.code == info.code).collect();
        let [row] = found[..] else {
            problems.push(format!(
                "  {}: {} rows in the README's table, want 1",
                info.code,
                found.len()
            ));
            continue;
        };
        let severity = documented_severity(info);
        if row.severity != severity {
            problems.push(format!(
                "  {}: the README says {:?}, the catalog {severity:?}",
                info.code, row.severity
            ));
        }
        if let Some(want) = refuses_mismatch(info, &row.refuses) {
            problems.push(format!(
                "  {}: a {:?} {severity} {want}, but the README says {:?}",
                info.code, info.topic, row.refuses
            ));
        }
    }
    let order: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| listed.contains(c))
        .collect();
    if problems.is_empty() && listed != order {
        problems.push("  the rows are not in the catalog's order".to_string());
    }
    assert!(
        problems.is_empty(),
        "README.md's table of finding codes disagrees with src/findings/catalog.rs:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The tests: every declared code is produced by the scrub fixture, by a case made from it at
// run time (`MADE`, in finding_cases.rs), or by a named test.
// ---------------------------------------------------------------------------------------------

/// Where a code without a scrub case is shown to fire.
enum Elsewhere {
    /// The test `test` in `tests/<file>`; `holds` is the item naming the code: the test itself
    /// or the table it walks.
    Test {
        file: &'static str,
        test: &'static str,
        holds: &'static str,
    },
    /// Nothing a practice folder holds can produce the code; `still_so` checks that it is so.
    Unreachable {
        why: &'static str,
        still_so: fn() -> bool,
    },
}

const fn test(file: &'static str, test: &'static str) -> Elsewhere {
    Elsewhere::Test {
        file,
        test,
        holds: test,
    }
}

fn no_unbundlable_ncci_pair() -> bool {
    claimwright::codes::ncci::all()
        .iter()
        .all(|e| e.modifier_indicator != 0)
}

/// Codes `validate` cannot produce from files kept in the scrub fixture, and the test that
/// produces each one instead.
const ELSEWHERE: &[(&str, Elsewhere)] = &[
    // Damaged files: the broken fixture holds or makes them, so the scrub practice still parses.
    (
        "file.empty",
        Elsewhere::Test {
            file: "broken.rs",
            test: "broken_files_each_get_their_own_finding",
            holds: "BROKEN",
        },
    ),
    (
        "file.encoding",
        Elsewhere::Test {
            file: "broken.rs",
            test: "broken_files_each_get_their_own_finding",
            holds: "BROKEN",
        },
    ),
    (
        "file.too_large",
        Elsewhere::Test {
            file: "broken.rs",
            test: "broken_files_each_get_their_own_finding",
            holds: "BROKEN",
        },
    ),
    (
        "file.unreadable",
        Elsewhere::Test {
            file: "broken.rs",
            test: "broken_files_each_get_their_own_finding",
            holds: "BROKEN",
        },
    ),
    // A hook is an executable script that would run on every session of the fixture.
    (
        "hook.refused",
        test(
            "documents.rs",
            "hooks_see_the_document_data_and_can_refuse_it",
        ),
    ),
    // Raised while preparing or writing documents, never by `validate`.
    (
        "appeal.late",
        test(
            "documents.rs",
            "appeal_past_its_window_is_refused_and_writes_nothing",
        ),
    ),
    (
        "appeal.evidence_missing",
        test(
            "appeal.rs",
            "co50_without_referral_or_plan_says_neither_and_names_what_to_add",
        ),
    ),
    (
        "appeal.plan_excludes",
        test(
            "appeal.rs",
            "pr96_under_an_exclusion_claims_no_coverage_and_warns",
        ),
    ),
    (
        "superbill.in_network",
        test(
            "superbill.rs",
            "a_patient_billed_in_network_gets_a_warning_and_no_superbill_in_the_batch",
        ),
    ),
    (
        "filing.late",
        test(
            "claims.rs",
            "late_filing_refuses_the_claim_and_writes_nothing",
        ),
    ),
    (
        "coverage.primary_pending",
        test(
            "ledger.rs",
            "a_visit_billed_to_the_secondary_before_the_primary_answered_is_an_error",
        ),
    ),
    (
        "claim.changed_after_submission",
        test(
            "ledger.rs",
            "an_edited_sent_visit_is_flagged_and_corrected_and_voided_claims_carry_their_codes",
        ),
    ),
    (
        "claim.incomplete",
        test(
            "finding_cases.rs",
            "a_claim_names_the_visits_and_items_it_cannot_fill",
        ),
    ),
    (
        "claim.value_too_long",
        test("finding_cases.rs", "values_too_long_for_their_claim_boxes"),
    ),
    (
        "claim.value_shortened",
        test("finding_cases.rs", "values_too_long_for_their_claim_boxes"),
    ),
    (
        "render.failed",
        test(
            "finding_cases.rs",
            "a_template_that_fails_refuses_its_document",
        ),
    ),
    (
        "output.modified",
        test("finding_cases.rs", "a_hand_edited_output_is_refused"),
    ),
    // Raised by the 837P writer, which `validate` does not run.
    (
        "x12.missing",
        test("x12.rs", "what_an_837p_needs_is_named_with_its_file"),
    ),
    (
        "x12.invalid",
        test("x12.rs", "a_file_that_fails_its_own_check_is_not_written"),
    ),
    // Raised by the 835 reader, which `validate` does not run.
    (
        "remit.unreadable",
        test("remit.rs", "a_file_that_is_not_an_835_is_unreadable"),
    ),
    (
        "remit.unmatched_claim",
        test(
            "remit_import.rs",
            "unknown_claims_unknown_reasons_and_other_payees_are_warned_about",
        ),
    ),
    (
        "remit.unknown_reason",
        test(
            "remit_import.rs",
            "unknown_claims_unknown_reasons_and_other_payees_are_warned_about",
        ),
    ),
    (
        "remit.other_payee",
        test(
            "remit_import.rs",
            "unknown_claims_unknown_reasons_and_other_payees_are_warned_about",
        ),
    ),
    (
        "remit.envelope",
        test("remit.rs", "an_envelope_that_is_off_is_read_with_a_note"),
    ),
    (
        "remit.unbalanced",
        test(
            "remit.rs",
            "sums_that_do_not_balance_are_noted_with_their_figures",
        ),
    ),
    (
        "ncci.bundled",
        Elsewhere::Unreachable {
            why: "no pair of data/ncci_ptp.tsv has modifier indicator 0; add a scrub case with the first one",
            still_so: no_unbundlable_ncci_pair,
        },
    ),
];

/// The text of the top-level item `name` (a `fn`, `const` or `static`) of a Rust file: from
/// its first line to the first line that closes it at the left margin.
fn item_text<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let declares = ["fn ", "const ", "static "].iter().any(|kind| {
            line.strip_prefix(kind)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with(['(', ':', '<']))
        });
        if start.is_none() && declares {
            start = Some(offset);
        }
        offset += line.len();
        if let Some(s) = start
            && (line.starts_with('}') || line.starts_with("];"))
        {
            return Some(&text[s..offset]);
        }
    }
    None
}

/// What is wrong with an exemption, if anything.
fn elsewhere_problem(code: &str, place: &Elsewhere) -> Option<String> {
    match place {
        Elsewhere::Test { file, test, holds } => {
            let path = project_root().join("tests").join(file);
            let Ok(text) = std::fs::read_to_string(&path) else {
                return Some(format!("tests/{file} does not exist"));
            };
            let Some(body) = item_text(&text, test) else {
                return Some(format!("tests/{file} has no fn {test}"));
            };
            if !text.contains(&format!("#[test]\nfn {test}(")) {
                return Some(format!("fn {test} in tests/{file} is not a #[test]"));
            }
            if holds != test && !body.contains(holds) {
                return Some(format!("{test} in tests/{file} does not use {holds}"));
            }
            let held = item_text(&text, holds).unwrap_or_default();
            (!held.contains(&format!("\"{code}\"")))
                .then(|| format!("{holds} in tests/{file} never names \"{code}\""))
        }
        Elsewhere::Unreachable { why, still_so } => {
            (!still_so()).then(|| format!("no longer true: {why}"))
        }
    }
}

/// The scrub fixture's report, which the cases of finding_cases.rs each add one finding to.
pub(crate) fn scrub_report() -> Report {
    let run = validate_json(&fixture("scrub"), &[]);
    run.expect_code(1);
    run.report()
}

#[test]
fn every_declared_code_has_a_scrub_case_or_names_its_test() {
    let scrub: BTreeSet<String> = scrub_report()
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect();
    let made: BTreeSet<&str> = MADE.iter().map(|c| c.code).collect();
    let mut problems = Vec::new();
    for (code, _) in ELSEWHERE {
        if !declared().contains(code) {
            problems.push(format!("  {code}: exempted but not declared"));
        }
    }
    for info in CODES {
        let code = info.code;
        let elsewhere: Vec<&Elsewhere> = ELSEWHERE
            .iter()
            .filter(|(c, _)| *c == code)
            .map(|(_, e)| e)
            .collect();
        let in_scrub = scrub.contains(code);
        let is_made = made.contains(code);
        // Each code is covered in exactly one way, so a stale exemption or a case made at run
        // time that the fixture now holds is noticed.
        let ways = usize::from(in_scrub) + usize::from(is_made) + elsewhere.len();
        if ways != 1 {
            problems.push(format!(
                "  {code}: covered {ways} ways (scrub fixture: {in_scrub}, made at run time: {is_made}, exemptions: {})",
                elsewhere.len()
            ));
        }
        for place in elsewhere {
            if let Some(problem) = elsewhere_problem(code, place) {
                problems.push(format!("  {code}: {problem}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "codes without a case in tests/fixtures/scrub:\n{}",
        problems.join("\n")
    );
}

#[test]
fn findings_have_their_declared_severity() {
    let report = scrub_report();
    for f in &report.findings {
        let info = claimwright::findings::catalog::info(&f.code)
            .unwrap_or_else(|| panic!("undeclared code reported: {f}"));
        if !info.when.contains("error or warning") {
            assert_eq!(f.severity, info.severity.as_str(), "{f}");
        }
    }
}
