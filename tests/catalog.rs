//! The catalog of finding codes (`src/findings/catalog.rs`) against the source, the README and
//! the tests: every code the source emits is declared, has a row in the README's table, and is
//! produced by the scrub fixture or by a named test.

use crate::util::{
    AS_OF, Finding, Practice, Report, example, fixture, project_root, run_at, validate_json,
};
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

/// Record-topic codes raised on files no document reads, so they refuse nothing.
const ON_NO_DOCUMENT: &[&str] = &["codes.invalid"];

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
// run time, or by a named test.
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
        "filing.late",
        test(
            "claims.rs",
            "late_filing_refuses_the_claim_and_writes_nothing",
        ),
    ),
    (
        "claim.incomplete",
        test(
            "catalog.rs",
            "a_claim_names_the_visits_and_items_it_cannot_fill",
        ),
    ),
    (
        "claim.value_too_long",
        test("catalog.rs", "values_too_long_for_their_claim_boxes"),
    ),
    (
        "claim.value_shortened",
        test("catalog.rs", "values_too_long_for_their_claim_boxes"),
    ),
    (
        "render.failed",
        test("catalog.rs", "a_template_that_fails_refuses_its_document"),
    ),
    (
        "output.modified",
        test("catalog.rs", "a_hand_edited_output_is_refused"),
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

/// The scrub fixture's report.
fn scrub_report() -> Report {
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

// ---------------------------------------------------------------------------------------------
// Scrub cases made at run time: each copies the scrub fixture and breaks exactly one thing.
// ---------------------------------------------------------------------------------------------

/// One finding a case must add to the scrub fixture's report, and how the case is made.
struct Case {
    code: &'static str,
    severity: &'static str,
    file: &'static str,
    line: Option<usize>,
    field: Option<&'static str>,
    make: fn(&Practice),
}

/// `text` with each `(from, to)` replaced; each `from` must be there, so a case fails loudly
/// when the fixture file it starts from changes.
fn edited(text: &str, edits: &[(&str, &str)]) -> String {
    edits.iter().fold(text.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from:?} is not in the text:\n{text}");
        text.replace(from, to)
    })
}

/// Writes `file`: the clean park session moved to `date` (signature included), with `edits`.
fn park_session(p: &Practice, file: &str, date: &str, edits: &[(&str, &str)]) {
    let clean = std::fs::read_to_string(p.path("sessions/2026-11/park-clean.yaml")).unwrap();
    assert_eq!(clean.matches("2026-11-02").count(), 2, "{clean}");
    p.write(file, edited(&clean.replace("2026-11-02", date), edits));
}

/// Rewrites `practice.yaml` with `edits`.
fn edit_practice(p: &Practice, edits: &[(&str, &str)]) {
    let text = std::fs::read_to_string(p.path("practice.yaml")).unwrap();
    p.write("practice.yaml", edited(&text, edits));
}

/// Cases for codes `validate` can produce that no file of `tests/fixtures/scrub` produces yet;
/// adding them there needs a row each in the table of `validate.rs`.
const MADE: &[Case] = &[
    Case {
        code: "id.duplicate",
        severity: "error",
        file: "sessions/2026-11/park-id-duplicate.yaml",
        line: Some(1),
        field: Some("id"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-id-duplicate.yaml",
                "2026-11-19",
                &[(
                    "patient: owen-park\n",
                    "id: park-clean\npatient: owen-park\n",
                )],
            )
        },
    },
    Case {
        code: "codes.invalid",
        severity: "error",
        file: "codes/icd10cm_order_2027.txt",
        line: None,
        field: None,
        make: |p| p.write("codes/icd10cm_order_2027.txt", "not an order file\n"),
    },
    Case {
        code: "diagnosis.too_many",
        severity: "error",
        file: "sessions/2026-11/park-too-many-diagnoses.yaml",
        line: Some(6),
        field: Some("diagnoses[12]"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-too-many-diagnoses.yaml",
                "2026-11-19",
                &[(
                    "diagnoses: [M54.50, M54.2]",
                    "diagnoses: [M54.50, M54.2, M54.51, M54.59, M54.6, M62.81, M79.10, M79.11, M79.12, M79.18, M25.511, M25.512, M54.16]",
                )],
            )
        },
    },
    Case {
        code: "procedure.not_payable",
        severity: "error",
        file: "sessions/2026-11/park-not-payable.yaml",
        line: Some(14),
        field: Some("services[1].code"),
        make: |p| {
            // With a fee, so the line breaks only the Medicare rule.
            edit_practice(p, &[("fees:\n", "fees:\n  \"97014\": 20.00\n")]);
            park_session(
                p,
                "sessions/2026-11/park-not-payable.yaml",
                "2026-11-19",
                &[("code: \"97140\"", "code: \"97014\"")],
            )
        },
    },
    Case {
        code: "modifier.unknown",
        severity: "warning",
        file: "sessions/2026-11/park-modifier-unknown.yaml",
        line: Some(10),
        field: Some("services[0].modifiers[1]"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-modifier-unknown.yaml",
                "2026-11-19",
                &[("modifiers: [GP]\n", "modifiers: [GP, ZZ]\n")],
            )
        },
    },
    Case {
        code: "fee.missing",
        severity: "warning",
        file: "sessions/2026-11/park-fee-missing.yaml",
        line: Some(8),
        field: Some("services[0].code"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-fee-missing.yaml",
                "2026-11-19",
                &[("code: \"97124\"", "code: \"97530\"")],
            )
        },
    },
    Case {
        code: "tax_id.invalid",
        severity: "error",
        file: "practice.yaml",
        line: Some(4),
        field: Some("tax_id"),
        make: |p| edit_practice(p, &[("tax_id: \"04-2718281\"", "tax_id: \"042718281\"")]),
    },
    Case {
        code: "tax_id.placeholder",
        severity: "warning",
        file: "practice.yaml",
        line: Some(4),
        field: Some("tax_id"),
        make: |p| edit_practice(p, &[("tax_id: \"04-2718281\"", "tax_id: \"44-4444444\"")]),
    },
    Case {
        code: "place_of_service.unknown",
        severity: "error",
        file: "sessions/2026-11/park-place-of-service.yaml",
        line: Some(6),
        field: Some("place_of_service"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-place-of-service.yaml",
                "2026-11-19",
                &[(
                    "time_out: \"09:50\"\n",
                    "time_out: \"09:50\"\nplace_of_service: \"30\"\n",
                )],
            )
        },
    },
    Case {
        code: "coverage.missing",
        severity: "warning",
        file: "sessions/2026-11/nolan-self-pay.yaml",
        line: Some(1),
        field: Some("patient"),
        make: |p| {
            p.write(
                "patients/ada-nolan.yaml",
                "# Pays for her own visits: no coverage on file.\nfirst_name: Ada\nlast_name: Nolan\ndob: 1990-05-21\nsex: F\naddress: {street: \"7 Elm St\", city: Bath, state: ME, zip: \"04530\"}\nphone: \"207-555-0176\"\nsignature_on_file: true\ncoverages: []\n",
            );
            park_session(
                p,
                "sessions/2026-11/nolan-self-pay.yaml",
                "2026-11-19",
                &[("patient: owen-park", "patient: ada-nolan")],
            )
        },
    },
    Case {
        code: "signature.invalid",
        severity: "error",
        file: "sessions/2026-11/park-signature-invalid.yaml",
        line: Some(27),
        field: Some("signed.by"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-signature-invalid.yaml",
                "2026-11-19",
                &[("signed: {by: amy-lind", "signed: {by: pat-ortiz")],
            )
        },
    },
    Case {
        code: "file.skipped",
        severity: "warning",
        file: "sessions/2026-11/park-link.yaml",
        line: None,
        field: None,
        make: |p| {
            std::os::unix::fs::symlink("park-clean.yaml", p.path("sessions/2026-11/park-link.yaml"))
                .unwrap()
        },
    },
];

/// A finding without its message, to compare reports.
fn key(f: &Finding) -> (String, String, String, Option<usize>, Option<String>) {
    (
        f.severity.clone(),
        f.code.clone(),
        f.file.clone(),
        f.line,
        f.field.clone(),
    )
}

#[test]
fn each_case_made_from_the_scrub_fixture_adds_exactly_its_finding() {
    let before: Vec<_> = scrub_report().findings.iter().map(key).collect();
    let mut problems = Vec::new();
    for case in MADE {
        let p = Practice::copy_of("scrub");
        (case.make)(&p);
        let report = validate_json(&p.root, &[]).report();
        let mut gone = before.clone();
        let mut added = Vec::new();
        for f in &report.findings {
            match gone.iter().position(|k| *k == key(f)) {
                Some(i) => {
                    gone.remove(i);
                }
                None => added.push(f.to_string()),
            }
        }
        let want = (
            case.severity.to_string(),
            case.code.to_string(),
            case.file.to_string(),
            case.line,
            case.field.map(String::from),
        );
        let found = report.findings.iter().any(|f| key(f) == want);
        if !found || added.len() != 1 || !gone.is_empty() {
            problems.push(format!(
                "  {}: want {want:?}\n    added:\n      {}\n    gone: {gone:?}",
                case.code,
                added.join("\n      ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Codes raised while preparing or writing documents.
// ---------------------------------------------------------------------------------------------

/// A copy of the example practice with `patients/<patient>.yaml` edited.
fn example_with_patient(patient: &str, edits: &[(&str, &str)]) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = format!("patients/{patient}.yaml");
    let text = std::fs::read_to_string(p.path(&file)).unwrap();
    p.write(&file, edited(&text, edits));
    p
}

/// True when the text a command printed names a finding of `code` with `severity` on `file`.
fn prints(output: &str, file: &str, severity: &str, code: &str) -> bool {
    output.lines().any(|l| {
        l.trim_start().strip_prefix(file).is_some_and(|rest| {
            rest.starts_with(':') && rest.contains(&format!(" {severity} {code}: "))
        })
    })
}

fn render_claim(p: &Practice, patient: &str) -> crate::util::Run {
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &["render", "claim", patient, "--month", "2026-11"],
    )
}

#[test]
fn a_claim_names_the_visits_and_items_it_cannot_fill() {
    // A visit of the month that cannot be read would silently go missing from the claim.
    let p = Practice::copy_from(&example("harbor-street"));
    let broken = "sessions/2026-11/2026-11-26-margaret-walsh.yaml";
    p.write(broken, "patient: margaret-walsh\nprovider: [unclosed\n");
    let r = render_claim(&p, "margaret-walsh");
    r.expect_code(1);
    assert!(
        prints(&r.stderr, broken, "error", "claim.incomplete"),
        "{}",
        r.stderr
    );
    // A workers' compensation claim names the employer as the insured.
    let p = example_with_patient(
        "jason-theriault",
        &[(
            "    employer:\n      name: Casco Freight Lines, Inc.\n      address: {street: \"200 Commercial St\", city: Portland, state: ME, zip: \"04101\"}\n      phone: \"207-555-0180\"\n",
            "",
        )],
    );
    let r = render_claim(&p, "jason-theriault");
    r.expect_code(0);
    assert!(
        prints(
            &r.stderr,
            "patients/jason-theriault.yaml",
            "warning",
            "claim.incomplete"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn values_too_long_for_their_claim_boxes() {
    // An identifier cut short would name someone else, so it refuses; other text is shortened.
    let p = example_with_patient(
        "margaret-walsh",
        &[(
            "member_id: PMA448190263",
            "member_id: PMA448190263PMA448190263PMA448190263",
        )],
    );
    let r = render_claim(&p, "margaret-walsh");
    r.expect_code(1);
    let file = "patients/margaret-walsh.yaml";
    assert!(
        prints(&r.stderr, file, "error", "claim.value_too_long"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("form 1, item 1a:"), "{}", r.stderr);
    assert!(
        prints(&r.stderr, file, "warning", "claim.value_shortened"),
        "{}",
        r.stderr
    );
}

fn batch(p: &Practice, out: &Path) -> crate::util::Run {
    run_at(
        &p.root,
        out,
        AS_OF,
        &["batch", "--month", "2026-11", "--format", "md"],
    )
}

#[test]
fn a_template_that_fails_refuses_its_document() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "templates/superbill.md",
        "Superbill for {{ patient.nme }}\n",
    );
    let out = tempfile::tempdir().unwrap();
    let r = batch(&p, out.path());
    r.expect_code(1);
    assert!(
        r.stdout
            .contains("refused: superbill nora-pelletier-2026-11"),
        "{}",
        r.stdout
    );
    // The finding names the template and its line, not the patient's file.
    assert!(
        prints(
            &r.stdout,
            "templates/superbill.md:1",
            "error",
            "render.failed"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn a_hand_edited_output_is_refused() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    batch(&p, out.path()).expect_code(0);
    let name = "summary/david-nguyen-2026-11-30.md";
    let summary = out.path().join("2026-11").join(name);
    let mut text = std::fs::read_to_string(&summary).unwrap();
    text.push_str("Called the payer on 2026-12-01.\n");
    std::fs::write(&summary, &text).unwrap();
    let r = batch(&p, out.path());
    r.expect_code(1);
    assert!(
        prints(&r.stdout, name, "error", "output.modified"),
        "{}",
        r.stdout
    );
    // The edit is kept: only --force overwrites it.
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), text);
}
