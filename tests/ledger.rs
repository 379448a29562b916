//! The claims ledger: prepare writes records and claim files, a rerun touches nothing, sent
//! lines are never billed again, an edited sent visit is flagged, corrections and voids
//! carry their frequency and the payer's number, and a ledger file edited into nonsense is
//! a finding like any other file's.

use crate::util::{AS_OF, Practice, example, files_under, run_at};
use serde_json::Value;
use std::path::Path;
use std::time::SystemTime;

fn claims(p: &Practice, out: &Path, as_of: &str, args: &[&str]) -> crate::util::Run {
    let mut full = vec!["claims"];
    full.extend_from_slice(args);
    run_at(&p.root, out, as_of, &full)
}

/// The ledger's November claims (the example's October claim went out before).
fn ledger(p: &Practice) -> Vec<Value> {
    let out = tempfile::tempdir().unwrap();
    let r = claims(p, out.path(), AS_OF, &["list", "--format", "json"]);
    r.expect_code(0);
    serde_json::from_str::<Vec<Value>>(&r.stdout)
        .unwrap()
        .into_iter()
        .filter(|r| r["month"] == "2026-11")
        .collect()
}

fn mtimes(dir: &Path) -> Vec<(String, SystemTime)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let t = std::fs::metadata(dir.join(&f)).unwrap().modified().unwrap();
            (f, t)
        })
        .collect()
}

#[test]
fn prepare_writes_records_a_rerun_touches_nothing_and_sent_lines_are_not_billed_again() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    claims(&p, out.path(), AS_OF, &["prepare", "--month", "2026-11"]).expect_code(0);
    let records = ledger(&p);
    // Seven patients; Robert Lindqvist was seen by both therapists, so two claims.
    assert_eq!(records.len(), 8, "{records:?}");
    assert!(records.iter().all(|r| r["status"] == "prepared"));
    // Denied visits were billed already: the denial names them.
    let walsh = records
        .iter()
        .find(|r| r["patient"] == "margaret-walsh")
        .unwrap();
    let claim_id = walsh["id"].as_str().unwrap().to_lowercase();
    let record =
        std::fs::read_to_string(p.path(&format!("claims/2026-11/{claim_id}.yaml"))).unwrap();
    assert!(!record.contains("2026-11-02-margaret-walsh"), "{record}");
    assert!(record.contains("2026-11-09-margaret-walsh"), "{record}");

    let before = (mtimes(out.path()), mtimes(&p.path("claims")));
    std::thread::sleep(std::time::Duration::from_millis(20));
    claims(
        &p,
        out.path(),
        "2026-12-02",
        &["prepare", "--month", "2026-11"],
    )
    .expect_code(0);
    assert_eq!(
        (mtimes(out.path()), mtimes(&p.path("claims"))),
        before,
        "a rerun over unchanged records writes nothing"
    );

    let nguyen = records
        .iter()
        .find(|r| r["patient"] == "david-nguyen")
        .unwrap();
    let id = nguyen["id"].as_str().unwrap();
    claims(&p, out.path(), "2026-12-01", &["sent", id]).expect_code(0);
    let r = claims(
        &p,
        out.path(),
        "2026-12-02",
        &["prepare", "--month", "2026-11"],
    );
    r.expect_code(0);
    assert!(
        r.stderr.contains(&format!(
            "left out: visit 2026-11-03-david-nguyen was sent on claim {id}"
        )),
        "{}",
        r.stderr
    );
    // The batch does not bill them again either.
    let batch_out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        batch_out.path(),
        "2026-12-02",
        &["batch", "--month", "2026-11", "-q"],
    )
    .expect_code(0);
    let claim_files = files_under(&batch_out.path().join("2026-11/claim"));
    assert!(
        !claim_files.iter().any(|f| f.contains("david-nguyen")),
        "{claim_files:?}"
    );
    // A new visit of the month goes on a claim of its own, with another id.
    let src =
        std::fs::read_to_string(p.path("sessions/2026-11/2026-11-24-david-nguyen.yaml")).unwrap();
    p.write(
        "sessions/2026-11/2026-11-27-david-nguyen.yaml",
        src.replace("2026-11-24", "2026-11-27"),
    );
    claims(
        &p,
        out.path(),
        "2026-12-02",
        &["prepare", "--month", "2026-11"],
    )
    .expect_code(0);
    let after = ledger(&p);
    let nguyens: Vec<&Value> = after
        .iter()
        .filter(|r| r["patient"] == "david-nguyen")
        .collect();
    assert_eq!(nguyens.len(), 2, "{nguyens:?}");
    let new = nguyens.iter().find(|r| r["status"] == "prepared").unwrap();
    assert_ne!(new["id"], id);
    assert_eq!(new["total"], "116.00");
}

#[test]
fn an_edited_sent_visit_is_flagged_and_corrected_and_voided_claims_carry_their_codes() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    claims(
        &p,
        out.path(),
        AS_OF,
        &["prepare", "--month", "2026-11", "--payer", "northstar-ppo"],
    )
    .expect_code(0);
    let records = ledger(&p);
    let nguyen = records
        .iter()
        .find(|r| r["patient"] == "david-nguyen")
        .unwrap();
    let id = nguyen["id"].as_str().unwrap().to_string();
    claims(&p, out.path(), "2026-12-01", &["sent", &id]).expect_code(0);
    let file = "sessions/2026-11/2026-11-06-david-nguyen.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(file, text.replacen("code: \"97124\"", "code: \"97140\"", 1));
    let v = crate::util::validate_json(&p.root, &[]);
    let report = v.report();
    let changed = report.with_code("claim.changed_after_submission");
    assert_eq!(changed.len(), 1, "{}", report.listing());
    assert_eq!(changed[0].file, file);
    assert!(changed[0].message.contains(&id), "{}", changed[0].message);

    let r = claims(
        &p,
        out.path(),
        "2026-12-03",
        &["correct", &id, "--payer-claim-number", "EV99812"],
    );
    r.expect_code(0);
    let replacement = format!("{id}R1");
    let record = std::fs::read_to_string(p.path(&format!(
        "claims/2026-11/{}.yaml",
        replacement.to_lowercase()
    )))
    .unwrap();
    assert!(record.contains("frequency: '7'"), "{record}");
    assert!(record.contains("replaces: EV99812"), "{record}");
    assert!(
        record.contains("code: '97140'"),
        "the replacement bills the sessions as they are now"
    );
    // Item 22 of the paper replacement: code 7 and the payer's number.
    let pdf = std::fs::read(out.path().join(format!(
        "claim/david-nguyen-northstar-ppo-2026-11-{}.pdf",
        replacement.to_lowercase()
    )))
    .unwrap();
    let doc = crate::util::load_pdf(&pdf);
    let text = doc.extract_text(&[1]).unwrap_or_default();
    assert!(
        text.contains("EV99812"),
        "item 22 carries the original reference: {text}"
    );
    let r = claims(
        &p,
        out.path(),
        "2026-12-03",
        &["void", &id, "--payer-claim-number", "EV99812"],
    );
    r.expect_code(0);
    let void = std::fs::read_to_string(p.path(&format!(
        "claims/2026-11/{}.yaml",
        format!("{id}V1").to_lowercase()
    )))
    .unwrap();
    assert!(void.contains("frequency: '8'"), "{void}");
}

#[test]
fn a_ledger_file_edited_into_nonsense_is_a_finding_with_its_line() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    claims(
        &p,
        out.path(),
        AS_OF,
        &[
            "prepare",
            "--month",
            "2026-11",
            "--payer",
            "granite-coast-wc",
        ],
    )
    .expect_code(0);
    let dir = p.path("claims/2026-11");
    let name = files_under(&dir).pop().unwrap();
    let rel = format!("claims/2026-11/{name}");
    let text = std::fs::read_to_string(p.path(&rel)).unwrap();
    p.write(
        &rel,
        text.replace("status: prepared", "status: lost in the mail"),
    );
    let v = crate::util::validate_json(&p.root, &[]);
    v.expect_code(1);
    let report = v.report();
    let found = report.in_file(&rel);
    assert_eq!(found.len(), 1, "{}", report.listing());
    assert_eq!(found[0].code, "field.invalid");
    assert_eq!(found[0].field.as_deref(), Some("status"));
    assert!(found[0].line.is_some());
    // Nothing is marked sent from a ledger with errors.
    let r = claims(&p, out.path(), AS_OF, &["sent", "--file", "x.pdf"]);
    r.expect_code(1);
}

#[test]
fn the_month_exported_as_837p_matches_the_golden_files_and_pyx12_accepts_it() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let prepare = ["prepare", "--month", "2026-11", "--medium", "837p"];
    claims(&p, out.path(), AS_OF, &prepare).expect_code(0);
    let files = files_under(&out.path().join("837p"));
    assert_eq!(
        files,
        vec![
            "granite-coast-wc-2026-11-000000001.x12",
            "northstar-ppo-2026-11-000000002.x12",
            "pinecrest-advantage-2026-11-000000003.x12",
        ]
    );
    let golden = crate::util::project_root().join("tests/golden/837p");
    for f in &files {
        let payer = f.split("-2026-").next().unwrap();
        assert_eq!(
            std::fs::read(out.path().join("837p").join(f)).unwrap(),
            std::fs::read(golden.join(format!("{payer}.x12"))).unwrap(),
            "{f}"
        );
    }
    let paths: Vec<_> = files
        .iter()
        .map(|f| out.path().join("837p").join(f))
        .collect();
    crate::x12::assert_pyx12_accepts(&paths);
    let records = ledger(&p);
    assert!(records.iter().all(|r| r["medium"] == "837p"));

    // A rerun writes the same interchanges; after they are sent, a new visit goes out in
    // the next interchange number.
    let before = mtimes(out.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    claims(&p, out.path(), "2026-12-01", &prepare).expect_code(0);
    assert_eq!(mtimes(out.path()), before);
    let northstar = out.path().join("837p").join(&files[1]);
    claims(
        &p,
        out.path(),
        "2026-12-01",
        &["sent", "--file", northstar.to_str().unwrap()],
    )
    .expect_code(0);
    let src =
        std::fs::read_to_string(p.path("sessions/2026-11/2026-11-24-david-nguyen.yaml")).unwrap();
    p.write(
        "sessions/2026-11/2026-11-27-david-nguyen.yaml",
        src.replace("2026-11-24", "2026-11-27"),
    );
    claims(
        &p,
        out.path(),
        "2026-12-02",
        &[&prepare[..], &["--payer", "northstar-ppo"]].concat(),
    )
    .expect_code(0);
    let new = out.path().join("837p/northstar-ppo-2026-11-000000004.x12");
    let text = std::fs::read_to_string(&new).unwrap();
    assert_eq!(
        text.matches("CLM*").count(),
        1,
        "only the new visit: {text}"
    );
    assert!(text.contains("DTP*472*D8*20261127~"), "{text}");

    // A replacement and a void of a sent electronic claim.
    let nguyen = ledger(&p)
        .into_iter()
        .find(|r| r["patient"] == "david-nguyen" && r["status"] == "sent")
        .unwrap();
    let id = nguyen["id"].as_str().unwrap().to_string();
    claims(
        &p,
        out.path(),
        "2026-12-03",
        &["correct", &id, "--payer-claim-number", "EV99812"],
    )
    .expect_code(0);
    claims(
        &p,
        out.path(),
        "2026-12-03",
        &["void", &id, "--payer-claim-number", "EV99812"],
    )
    .expect_code(0);
    let mut resubmitted = Vec::new();
    for f in files_under(&out.path().join("837p")) {
        let text = std::fs::read_to_string(out.path().join("837p").join(&f)).unwrap();
        for (code, suffix) in [("7", "R1"), ("8", "V1")] {
            if text.contains(&format!("CLM*{id}{suffix}*")) {
                assert!(text.contains(&format!(":B:{code}*")), "{text}");
                assert!(text.contains("REF*F8*EV99812~"), "{text}");
                resubmitted.push(out.path().join("837p").join(&f));
            }
        }
    }
    assert_eq!(resubmitted.len(), 2);
    crate::x12::assert_pyx12_accepts(&resubmitted);
}

#[test]
fn a_visit_billed_before_claimwright_is_left_out_and_said_so() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-03-nora-pelletier.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(file, format!("{text}billed: 2026-11-05\n"));
    let out = tempfile::tempdir().unwrap();
    let r = claims(
        &p,
        out.path(),
        AS_OF,
        &["prepare", "--month", "2026-11", "--payer", "northstar-ppo"],
    );
    r.expect_code(0);
    assert!(
        r.stderr.contains(
            "left out: visit 2026-11-03-nora-pelletier was billed on 2026-11-05 outside claimwright"
        ),
        "{}",
        r.stderr
    );
    let nora = ledger(&p)
        .into_iter()
        .find(|r| r["patient"] == "nora-pelletier")
        .unwrap();
    let id = nora["id"].as_str().unwrap().to_lowercase();
    let record = std::fs::read_to_string(p.path(&format!("claims/2026-11/{id}.yaml"))).unwrap();
    assert!(!record.contains("2026-11-03-nora-pelletier"), "{record}");
    assert!(record.contains("2026-11-10-nora-pelletier"), "{record}");
}

#[test]
fn an_837p_file_goes_out_whole_and_is_never_rewritten_once_sent() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let prepare = ["prepare", "--month", "2026-11", "--medium", "837p"];
    claims(&p, out.path(), AS_OF, &prepare).expect_code(0);
    let northstar: Vec<String> = ledger(&p)
        .iter()
        .filter(|r| r["payer"] == "northstar-ppo")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(northstar.len() > 1);
    let file = out.path().join("837p/northstar-ppo-2026-11-000000002.x12");
    let sent_bytes = std::fs::read(&file).unwrap();
    // Naming one claim of the file marks the whole file sent: it went out as one.
    let r = claims(&p, out.path(), "2026-12-01", &["sent", &northstar[0]]);
    r.expect_code(0);
    assert_eq!(
        r.stdout.matches("sent CW").count(),
        northstar.len(),
        "{}",
        r.stdout
    );
    // A visit added later goes in a new interchange; the sent file stays as it went out.
    let src =
        std::fs::read_to_string(p.path("sessions/2026-11/2026-11-24-david-nguyen.yaml")).unwrap();
    p.write(
        "sessions/2026-11/2026-11-27-david-nguyen.yaml",
        src.replace("2026-11-24", "2026-11-27"),
    );
    claims(&p, out.path(), "2026-12-02", &prepare).expect_code(0);
    assert_eq!(std::fs::read(&file).unwrap(), sent_bytes);
    assert!(
        out.path()
            .join("837p/northstar-ppo-2026-11-000000004.x12")
            .exists()
    );
    // A date sent after --as-of is refused.
    let r = claims(
        &p,
        out.path(),
        "2026-12-02",
        &["sent", &northstar[0], "--date", "2026-12-09"],
    );
    r.expect_code(2);
}

#[test]
fn a_changed_diagnosis_of_a_sent_visit_is_flagged_and_a_replaced_claim_is_not_overdue() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    claims(
        &p,
        out.path(),
        AS_OF,
        &["prepare", "--month", "2026-11", "--payer", "northstar-ppo"],
    )
    .expect_code(0);
    let id = ledger(&p)
        .into_iter()
        .find(|r| r["patient"] == "nora-pelletier")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    claims(&p, out.path(), "2026-12-01", &["sent", &id]).expect_code(0);
    let file = "sessions/2026-11/2026-11-10-nora-pelletier.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    let line = text.lines().find(|l| l.starts_with("diagnoses:")).unwrap();
    let first = line["diagnoses: [".len()..].split(',').next().unwrap();
    p.write(file, text.replacen(first, "M54.6", 1));
    let report = crate::util::validate_json(&p.root, &[]).report();
    let changed = report.with_code("claim.changed_after_submission");
    assert!(
        changed.iter().any(|f| f.file == file),
        "{}",
        report.listing()
    );

    claims(
        &p,
        out.path(),
        "2026-12-03",
        &["correct", &id, "--payer-claim-number", "EV1"],
    )
    .expect_code(0);
    claims(&p, out.path(), "2026-12-04", &["sent", &format!("{id}R1")]).expect_code(0);
    let r = claims(&p, out.path(), "2027-03-01", &["list", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let original = rows.iter().find(|r| r["id"] == id.as_str()).unwrap();
    assert_eq!(original["superseded"], "replaced");
    assert_eq!(original["overdue"], false);
    let replacement = rows
        .iter()
        .find(|r| r["id"] == format!("{id}R1").as_str())
        .unwrap();
    assert_eq!(
        replacement["overdue"], true,
        "no answer 87 days after it was sent"
    );
}

#[test]
fn a_visit_billed_to_the_secondary_before_the_primary_answered_is_an_error() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-03-robert-lindqvist.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(
        file,
        text.replace("coverage: northstar-ppo", "coverage: pinecrest-advantage"),
    );
    let report = crate::util::validate_json(&p.root, &[]).report();
    let pending = report.with_code("coverage.primary_pending");
    assert_eq!(pending.len(), 1, "{}", report.listing());
    assert_eq!(pending[0].file, file);
    assert_eq!(pending[0].field.as_deref(), Some("coverage"));
    assert!(
        pending[0].message.contains("northstar-ppo"),
        "{}",
        pending[0].message
    );
}

/// A copy of the example where Amy Chen also sees David Nguyen, whose other visits of the
/// month are Marcus Bell's: one payer, two rendering providers.
pub(crate) fn seen_by_both_therapists() -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let src =
        std::fs::read_to_string(p.path("sessions/2026-11/2026-11-24-david-nguyen.yaml")).unwrap();
    let moved = src
        .replace("2026-11-24", "2026-11-20")
        .replace("marcus-bell", "amy-chen");
    assert_eq!(moved.matches("amy-chen").count(), 2, "{moved}");
    p.write("sessions/2026-11/2026-11-20-david-nguyen.yaml", moved);
    p
}

/// The NPIs of the example's therapists.
pub(crate) const BELL_NPI: &str = "1810970800";
pub(crate) const CHEN_NPI: &str = "1908301660";

#[test]
fn two_therapists_in_a_month_make_a_claim_each_with_its_own_id_total_and_record() {
    let p = seen_by_both_therapists();
    let out = tempfile::tempdir().unwrap();
    let prepare = [
        "prepare",
        "--month",
        "2026-11",
        "--payer",
        "northstar-ppo",
        "--medium",
        "837p",
    ];
    claims(&p, out.path(), AS_OF, &prepare).expect_code(0);
    let (data, _) = claimwright::load::load(&p.root);
    let david: Vec<&claimwright::model::ClaimRecord> = data
        .claims
        .values()
        .map(|r| &r.data)
        .filter(|c| c.patient == "david-nguyen")
        .collect();
    assert_eq!(david.len(), 2, "{david:?}");
    // The first therapist's claim keeps the id the month had with one therapist.
    let id =
        |n| claimwright::documents::claim::claim_id("david-nguyen", "northstar-ppo", "2026-11", n);
    let bell = david.iter().find(|c| c.claim_id == id(1)).expect("claim 1");
    let chen = david.iter().find(|c| c.claim_id == id(2)).expect("claim 2");
    for (claim, npi, visits) in [(bell, BELL_NPI, 6), (chen, CHEN_NPI, 1)] {
        assert!(
            claim
                .lines
                .iter()
                .all(|l| l.rendering_npi.as_deref() == Some(npi)),
            "{claim:?}"
        );
        let mut sessions: Vec<&str> = claim.lines.iter().map(|l| l.session.as_str()).collect();
        sessions.dedup();
        assert_eq!(sessions.len(), visits, "{claim:?}");
        let sum: i64 = claim.lines.iter().map(|l| l.charge.cents()).sum();
        assert_eq!(claim.total.cents(), sum);
    }
    // 97124 x 2 at 38.00 and 97110 x 1 at 40.00.
    assert_eq!(chen.total.cents(), 11600);
    assert!(
        chen.lines
            .iter()
            .all(|l| l.session == "2026-11-20-david-nguyen")
    );

    // In the 837P, each claim names its therapist once, in 2310B, and no line names another.
    let file = out.path().join("837p/northstar-ppo-2026-11-000000001.x12");
    let text = std::fs::read_to_string(&file).unwrap();
    for (claim, npi) in [(bell, BELL_NPI), (chen, CHEN_NPI)] {
        let start = text
            .find(&format!("CLM*{}*", claim.claim_id))
            .expect("the claim is in the file");
        let rest = &text[start..];
        let end = rest.find("\nHL*").unwrap_or(rest.len());
        let block = &rest[..end];
        assert_eq!(block.matches("NM1*82*").count(), 1, "{block}");
        assert!(
            block.contains(&format!("****XX*{npi}~\nPRV*PE*")),
            "{block}"
        );
        let total = claimwright::x12::amount(claim.total);
        assert!(
            block.starts_with(&format!("CLM*{}*{total}*", claim.claim_id)),
            "{block}"
        );
    }
    crate::x12::assert_pyx12_accepts(&[file]);

    // A rerun writes the same claims.
    let before = mtimes(&p.path("claims"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    claims(&p, out.path(), AS_OF, &prepare).expect_code(0);
    assert_eq!(mtimes(&p.path("claims")), before);
}

#[cfg(unix)]
#[test]
fn a_ledger_month_folder_that_links_elsewhere_is_never_written_through() {
    let p = Practice::copy_from(&example("harbor-street"));
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), p.path("claims/2026-11")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = claims(&p, out.path(), AS_OF, &["prepare", "--month", "2026-11"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("claims/2026-11 is a symbolic link: claimwright writes the practice's records only inside the practice folder"),
        "{}",
        run.stderr
    );
    assert!(files_under(elsewhere.path()).is_empty());
}
