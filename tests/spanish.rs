//! A patient who reads Spanish (`language: es`): the summary, statement and superbill are
//! written in Spanish from the built-in `*.es.md` templates, which a practice may override;
//! the other patients' documents do not change; `locale: es-US` makes Spanish the default.

use crate::util::{AS_OF, Practice, example, read_text as read, run, run_at};
use std::path::Path;

const NORA: &str = "patients/nora-pelletier.yaml";

/// A copy of the example with Nora reading Spanish.
fn practice_with_nora_in_spanish() -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let text = std::fs::read_to_string(p.path(NORA)).unwrap();
    p.write(NORA, format!("{text}language: es\n"));
    p
}

/// Renders Nora's summary, statement and superbill of November into `out`, in Markdown.
fn render_nora(root: &Path, out: &Path) {
    for args in [
        &["render", "summary", "nora-pelletier"][..],
        &["render", "statement", "nora-pelletier"][..],
        &[
            "render",
            "superbill",
            "nora-pelletier",
            "--month",
            "2026-11",
        ][..],
    ] {
        run_at(root, out, AS_OF, &[args, &["--format", "md"]].concat()).expect_code(0);
    }
}

/// The documents of Nora, by kind: (kind, file under the output folder).
const DOCUMENTS: &[(&str, &str)] = &[
    ("summary", "summary/nora-pelletier-2026-11-30.md"),
    ("statement", "statement/nora-pelletier-2026-11-30.md"),
    ("superbill", "superbill/nora-pelletier-2026-11.md"),
];

/// The lines of an English document that are the template's own sentences: prose lines, not
/// table rows, with at least four words of the template's own (lower-case words the `record`
/// text does not hold: not a name, an address or a plan's exclusion in its own words).
fn english_sentences(md: &str, record: &str) -> Vec<String> {
    md.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('|'))
        .filter(|l| {
            let own = l
                .split_whitespace()
                .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                .filter(|w| !record.contains(*w))
                .count();
            own >= 4 && !record.contains(l.trim_start_matches("- "))
        })
        .map(String::from)
        .collect()
}

#[test]
fn a_patient_who_reads_spanish_gets_spanish_documents() {
    let english = tempfile::tempdir().unwrap();
    render_nora(&example("harbor-street"), english.path());
    let p = practice_with_nora_in_spanish();
    let spanish = tempfile::tempdir().unwrap();
    render_nora(&p.root, spanish.path());
    let record = [NORA, "practice.yaml"]
        .map(|f| std::fs::read_to_string(p.path(f)).unwrap())
        .concat();
    for (kind, file) in DOCUMENTS {
        let es = read(&spanish.path().join(file));
        let en = read(&english.path().join(file));
        let sentences = english_sentences(&en, &record);
        assert!(!sentences.is_empty(), "{kind}: no sentence to compare");
        for sentence in sentences {
            assert!(
                !es.contains(&sentence),
                "the Spanish {kind} keeps an English line: {sentence}\n{es}"
            );
        }
    }
    let summary = read(&spanish.path().join(DOCUMENTS[0].1));
    for expected in [
        "# Sus beneficios de masaje terapéutico",
        "Preparado para Nora Pelletier",
        "30 de noviembre de 2026",
        "> **Palabras que debe conocer**",
        "## Cuánto puede costarle una visita",
        "masaje, unidades de 15 minutos",
        "Remisión de Karen Ouellette, NP (NPI 1445418381), 26 de octubre de 2026",
        "## Qué revisar en cada Explicación de Beneficios",
        "Esto es un cálculo, no una promesa.",
    ] {
        assert!(summary.contains(expected), "{expected}:\n{summary}");
    }
    let statement = read(&spanish.path().join(DOCUMENTS[1].1));
    assert!(statement.starts_with("# Estado de cuenta"), "{statement}");
    assert!(statement.contains("## Cómo pagar"), "{statement}");
    let superbill = read(&spanish.path().join(DOCUMENTS[2].1));
    for expected in [
        "# Recibo detallado (superbill): noviembre de 2026",
        "| 11/03/2026 | 11 | 97124 |",
        "| 97140 | terapia manual, unidades de 15 minutos |",
        "(vence el 06/30/2027)",
    ] {
        assert!(superbill.contains(expected), "{expected}:\n{superbill}");
    }
}

#[test]
fn the_english_patients_documents_do_not_change() {
    let before = tempfile::tempdir().unwrap();
    let after = tempfile::tempdir().unwrap();
    let p = practice_with_nora_in_spanish();
    for (root, out) in [
        (example("harbor-street"), before.path()),
        (p.root.clone(), after.path()),
    ] {
        run_at(
            &root,
            out,
            AS_OF,
            &["batch", "--month", "2026-11", "--format", "md"],
        )
        .expect_code(0);
    }
    let dir = |o: &Path| o.join("2026-11/summary");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir(before.path())).unwrap() {
        let name = entry.unwrap().file_name();
        let was = read(&dir(before.path()).join(&name));
        let now = read(&dir(after.path()).join(&name));
        if name.to_string_lossy().starts_with("nora-pelletier") {
            assert_ne!(was, now);
        } else {
            assert_eq!(was, now, "{name:?} changed");
            compared += 1;
        }
    }
    assert_eq!(compared, 6);
}

#[test]
fn a_practice_template_in_spanish_wins_over_the_built_in_one() {
    let p = practice_with_nora_in_spanish();
    p.write(
        "templates/summary.es.md",
        "Resumen propio de {{ patient.name }}\n",
    );
    let out = tempfile::tempdir().unwrap();
    render_nora(&p.root, out.path());
    assert_eq!(
        read(&out.path().join(DOCUMENTS[0].1)),
        "Resumen propio de Nora Pelletier\n"
    );
    let list = run(&["templates", "list", "-C", p.root.to_str().unwrap()]);
    list.expect_code(0);
    assert!(
        list.stdout
            .contains("summary.es.md  (overridden by the practice's templates/)"),
        "{}",
        list.stdout
    );
    for name in ["statement.es.md", "superbill.es.md"] {
        assert!(list.stdout.contains(name), "{}", list.stdout);
    }
    let export = tempfile::tempdir().unwrap();
    let target = export.path().join("t");
    run(&["templates", "export", target.to_str().unwrap()]).expect_code(0);
    assert!(read(&target.join("summary.es.md")).contains("Sus beneficios"));
}

#[test]
fn a_spanish_locale_makes_spanish_the_default() {
    let p = Practice::copy_from(&example("harbor-street"));
    let practice = std::fs::read_to_string(p.path("practice.yaml")).unwrap();
    p.write("practice.yaml", format!("{practice}locale: es-US\n"));
    let text = std::fs::read_to_string(p.path("patients/david-nguyen.yaml")).unwrap();
    p.write(
        "patients/david-nguyen.yaml",
        format!("{text}language: en\n"),
    );
    let out = tempfile::tempdir().unwrap();
    for id in ["nora-pelletier", "david-nguyen"] {
        run_at(
            &p.root,
            out.path(),
            AS_OF,
            &["render", "summary", id, "--format", "md"],
        )
        .expect_code(0);
    }
    let nora = read(&out.path().join("summary/nora-pelletier-2026-11-30.md"));
    assert!(nora.starts_with("# Sus beneficios"), "{nora}");
    let david = read(&out.path().join("summary/david-nguyen-2026-11-30.md"));
    assert!(
        david.starts_with("# Your massage therapy benefits"),
        "{david}"
    );
    let bad = std::fs::read_to_string(p.path("practice.yaml"))
        .unwrap()
        .replace("locale: es-US", "locale: fr-FR");
    p.write("practice.yaml", bad);
    let r = crate::util::validate_json(&p.root, &[]);
    let report = r.report();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == "field.invalid" && f.field.as_deref() == Some("locale")),
        "{}",
        report.listing()
    );
}

#[test]
fn a_spanish_statement_tells_each_answered_visit_and_the_balance() {
    let p = crate::statement::practice_with_claims_sent();
    crate::statement::remit_november(&p);
    let text = std::fs::read_to_string(p.path(NORA)).unwrap();
    p.write(NORA, format!("{text}language: es\n"));
    let out = tempfile::tempdir().unwrap();
    crate::statement::render(&p, out.path()).expect_code(0);
    let md = read(&out.path().join("statement/nora-pelletier-2026-12-31.md"));
    for expected in [
        "# Estado de cuenta",
        "| 12/31/2026 | Nora Pelletier | **$103.60** |",
        "## Visitas que su plan ya respondió",
        "| 11/03/2026 | masaje, terapia manual | $118.00 | $75.20 | $24.00 | $18.80 | $20.00 | -$1.20 |",
        "| 11/03/2026 a 11/24/2026 | todo el reclamo, sin dividir por visita |",
        "Northstar Health Plans PPO negó $42.00 de la cuenta de la visita del 17 de noviembre de 2026.",
        "**Saldo a pagar: $103.60**",
        "enviado a Northstar Health Plans PPO el 12/03/2026; esperamos su respuesta",
        "no facturado a un plan",
        "Tampoco lo están los $55.00 que pagó en ellas.",
    ] {
        assert!(md.contains(expected), "{expected}:\n{md}");
    }
}

#[test]
fn a_spanish_document_says_it_is_spanish() {
    let p = practice_with_nora_in_spanish();
    let out = tempfile::tempdir().unwrap();
    let args = ["render", "summary", "nora-pelletier", "--format", "html"];
    run_at(&p.root, out.path(), AS_OF, &args).expect_code(0);
    let html = read(&out.path().join("summary/nora-pelletier-2026-11-30.html"));
    assert!(html.contains("<html lang=\"es-US\">"), "{html}");
    let english = tempfile::tempdir().unwrap();
    let args = ["render", "summary", "david-nguyen", "--format", "html"];
    run_at(&p.root, english.path(), AS_OF, &args).expect_code(0);
    let html = read(&english.path().join("summary/david-nguyen-2026-11-30.html"));
    assert!(html.contains("<html lang=\"en-US\">"), "{html}");
}

#[test]
fn a_spanish_pdf_declares_its_language() {
    let p = practice_with_nora_in_spanish();
    let out = tempfile::tempdir().unwrap();
    let args = ["render", "summary", "nora-pelletier", "--format", "pdf"];
    run_at(&p.root, out.path(), AS_OF, &args).expect_code(0);
    let bytes = std::fs::read(out.path().join("summary/nora-pelletier-2026-11-30.pdf")).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).expect("the PDF parses");
    let catalog = doc.catalog().expect("a catalog");
    let lang = catalog.get(b"Lang").expect("/Lang");
    assert_eq!(lopdf::decode_text_string(lang).expect("text"), "es-US");
}
