//! The round trip: claims go out as 837P, the payer answers with 835s built here from what
//! was sent, `import 835` posts them (paid, denied, reversed and paid again, interest), writes
//! the denial that `render appeal` answers, and a second import changes nothing.

use crate::util::{AS_OF, Practice, example, files_under, run_at};
use claimwright::model::ClaimRecord;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

fn cw(p: &Practice, out: &Path, as_of: &str, args: &[&str]) -> crate::util::Run {
    run_at(&p.root, out, as_of, args)
}

/// The ledger's records by patient.
fn record_of(p: &Practice, patient: &str) -> ClaimRecord {
    let (data, _) = claimwright::load::load(&p.root);
    data.claims
        .values()
        .find(|r| r.data.patient == patient)
        .map(|r| r.data.clone())
        .unwrap()
}

/// How the payer answers one line: paid, and its adjustments (group, reason, amount in cents).
struct LineAnswer {
    paid: i64,
    adjustments: Vec<(&'static str, &'static str, i64)>,
}

fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    if c % 100 == 0 {
        format!("{sign}{}", c / 100)
    } else {
        format!("{sign}{}.{:02}", c / 100, c % 100)
    }
}

/// One CLP with its SVCs answering `claim`, with status `status` and each line answered by
/// `answer`; `sign` is -1 for a reversal.
fn clp(
    claim: &ClaimRecord,
    status: &str,
    number: &str,
    sign: i64,
    answer: &dyn Fn(i64) -> LineAnswer,
) -> String {
    let mut lines = String::new();
    let (mut billed, mut paid, mut patient) = (0i64, 0i64, 0i64);
    for l in &claim.lines {
        let charge = l.charge.cents() * sign;
        let a = answer(l.charge.cents());
        let line_paid = a.paid * sign;
        billed += charge;
        paid += line_paid;
        let code = std::iter::once(l.code.clone())
            .chain(l.modifiers.iter().cloned())
            .collect::<Vec<_>>()
            .join(":");
        let _ = write!(
            lines,
            "SVC*HC:{code}*{}*{}**{}~DTM*472*{}~",
            dollars(charge),
            dollars(line_paid),
            l.units,
            l.date.format("%Y%m%d")
        );
        for (group, reason, cents) in &a.adjustments {
            if *group == "PR" {
                patient += cents * sign;
            }
            let _ = write!(lines, "CAS*{group}*{reason}*{}~", dollars(cents * sign));
        }
        let _ = write!(lines, "REF*6R*{}~", l.control_number);
    }
    format!(
        "CLP*{}*{status}*{}*{}*{}*12*{number}*11*1~{lines}",
        claim.claim_id,
        dollars(billed),
        dollars(paid),
        dollars(patient)
    ) + &format!("@{paid}")
}

/// A whole 835: the claims' CLPs (each ending in `@paid` for the total), and a PLB.
fn remittance(trace: &str, date: &str, clps: &[String], plb_cents: i64) -> String {
    let mut total = 0i64;
    let mut body = String::new();
    for c in clps {
        let (text, paid) = c.rsplit_once('@').unwrap();
        total += paid.parse::<i64>().unwrap();
        body.push_str("LX*1~");
        body.push_str(text);
    }
    total -= plb_cents;
    let mut st = format!(
        "ST*835*0001~BPR*I*{}*C*ACH*CCP*01*011000015*DA*123456*1512345678**01*011000028*DA*98765*{date}~TRN*1*{trace}*1512345678~DTM*405*{date}~N1*PR*NORTHSTAR HEALTH PLANS PPO~N3*PO BOX 30127~N4*HARTFORD*CT*06150~N1*PE*HARBOR STREET MASSAGE THERAPY*XX*1526018159~{body}",
        dollars(total)
    );
    if plb_cents != 0 {
        let _ = write!(
            st,
            "PLB*1526018159*20261231*L6:INTEREST*{}~",
            dollars(plb_cents)
        );
    }
    let count = st.matches('~').count() + 1;
    let _ = write!(st, "SE*{count}*0001~");
    format!(
        "ISA*00*          *00*          *ZZ*NORTHSTAR      *ZZ*HARBORST01     *261215*1200*^*00501*000000101*0*P*:~GS*HP*NORTHSTAR*HARBORST01*{date}*1200*101*X*005010X221A1~{st}GE*1*101~IEA*1*000000101~"
    )
}

#[test]
fn remittances_post_payments_denials_reversals_and_a_second_import_changes_nothing() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let prepare = [
        "claims",
        "prepare",
        "--month",
        "2026-11",
        "--medium",
        "837p",
        "--payer",
        "northstar-ppo",
    ];
    cw(&p, out.path(), AS_OF, &prepare).expect_code(0);
    let file = out.path().join("837p/northstar-ppo-2026-11-000000001.x12");
    cw(
        &p,
        out.path(),
        "2026-12-01",
        &["claims", "sent", "--file", file.to_str().unwrap()],
    )
    .expect_code(0);

    let trip = answer_the_claims(&p, out.path());
    let rows = posted_answers(&p, out.path(), &trip);
    the_denial_is_answered_by_an_appeal(&p, out.path());
    worklist_and_receivables(&p, out.path(), &trip, &rows);
    importing_again_changes_nothing(&p, out.path(), &trip);
    the_secondary_is_billed_what_the_primary_left(&p, out.path(), &trip);
}

/// Robert's secondary plan is billed after the primary paid, with the primary's decision on
/// each line; pyx12 accepts the file.
fn the_secondary_is_billed_what_the_primary_left(p: &Practice, out: &Path, trip: &Trip) {
    let args = [
        "claims",
        "prepare",
        "--month",
        "2026-11",
        "--medium",
        "837p",
        "--payer",
        "pinecrest-advantage",
    ];
    cw(p, out, "2027-01-06", &args).expect_code(0);
    let files = files_under(&out.join("837p"));
    let file = files
        .iter()
        .find(|f| f.starts_with("pinecrest-advantage"))
        .unwrap();
    let text = std::fs::read_to_string(out.join("837p").join(file)).unwrap();
    let paid_again: i64 = trip
        .robert
        .lines
        .iter()
        .map(|l| l.charge.cents() - 200)
        .sum();
    assert!(text.contains("SBR*S*18*"), "{text}");
    assert!(
        text.contains(&format!("AMT*D*{}~", dollars(paid_again))),
        "{text}"
    );
    assert_eq!(
        text.matches("SVD*").count(),
        trip.robert.lines.len(),
        "{text}"
    );
    assert!(text.contains("CAS*CO*45*2~"), "{text}");
    assert!(text.contains("DTP*573*D8*20261220~"), "{text}");
    crate::x12::assert_pyx12_accepts(&[out.join("837p").join(file)]);
}

/// What the round trip sent and received.
struct Trip {
    nora: ClaimRecord,
    liam: ClaimRecord,
    robert: ClaimRecord,
    era1: std::path::PathBuf,
    era2: std::path::PathBuf,
}

/// The payer's two remittances: the first pays, denies and pays with interest; the second
/// reverses a payment and pays it again.
fn answer_the_claims(p: &Practice, out: &Path) -> Trip {
    // Nora: paid, less the contract's write-off (CO-45) and a copay (PR-3).
    let nora = record_of(p, "nora-pelletier");
    let paid = clp(&nora, "1", "EV1001", 1, &|charge| LineAnswer {
        paid: charge - 1000 - 500,
        adjustments: vec![("CO", "45", 1000), ("PR", "3", 500)],
    });
    // Liam: denied, the payer wants a prior authorization (CO-197).
    let liam = record_of(p, "liam-obrien");
    let denied = clp(&liam, "1", "EV1002", 1, &|charge| LineAnswer {
        paid: 0,
        adjustments: vec![("CO", "197", charge)],
    });
    // Robert: paid in full.
    let robert = record_of(p, "robert-lindqvist");
    let full = |charge| LineAnswer {
        paid: charge,
        adjustments: vec![],
    };
    let robert_paid = clp(&robert, "1", "EV1003", 1, &full);
    let first = remittance(
        "TR100",
        "20261215",
        &[paid, denied, robert_paid.clone()],
        -250,
    );
    let era1 = out.join("era1.835");
    std::fs::write(&era1, &first).unwrap();
    let r = cw(
        p,
        out,
        "2026-12-16",
        &["import", "835", era1.to_str().unwrap()],
    );
    r.expect_code(0);
    assert!(!r.stderr.contains("remit.unbalanced"), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("wrote remittances/2026-12/northstar-ppo-tr100.yaml"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("wrote denials/obrien-co197-2026-12-15.yaml"),
        "{}",
        r.stdout
    );

    // The payer takes Robert's payment back and pays it again later.
    let reversal = clp(&robert, "22", "EV1003", -1, &full);
    let again = clp(&robert, "1", "EV1004", 1, &|charge| LineAnswer {
        paid: charge - 200,
        adjustments: vec![("CO", "45", 200)],
    });
    let second = remittance("TR200", "20261220", &[reversal, again], 0);
    let era2 = out.join("era2.835");
    std::fs::write(&era2, &second).unwrap();
    cw(
        p,
        out,
        "2026-12-21",
        &["import", "835", era2.to_str().unwrap()],
    )
    .expect_code(0);

    Trip {
        nora,
        liam,
        robert,
        era1,
        era2,
    }
}

/// `claims list` after both imports; returns its rows.
fn posted_answers(p: &Practice, out: &Path, trip: &Trip) -> Vec<Value> {
    let (nora, robert) = (&trip.nora, &trip.robert);
    let list = cw(
        p,
        out,
        "2026-12-31",
        &["claims", "list", "--format", "json"],
    );
    let rows: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let answer = |patient: &str| {
        rows.iter()
            .find(|r| r["patient"] == patient)
            .map(|r| (r["answer"].clone(), r["paid"].clone()))
            .unwrap()
    };
    let nora_paid: i64 = nora.lines.iter().map(|l| l.charge.cents() - 1500).sum();
    assert_eq!(answer("nora-pelletier").0, "paid");
    assert_eq!(answer("nora-pelletier").1, dollars_two(nora_paid));
    assert_eq!(answer("liam-obrien").0, "denied");
    let robert_again: i64 = robert.lines.iter().map(|l| l.charge.cents() - 200).sum();
    assert_eq!(answer("robert-lindqvist").0, "paid");
    assert_eq!(answer("robert-lindqvist").1, dollars_two(robert_again));
    // Claims answered are not overdue.
    assert!(
        rows.iter()
            .filter(|r| r["answer"].is_string())
            .all(|r| r["overdue"] == false)
    );

    rows
}

fn the_denial_is_answered_by_an_appeal(p: &Practice, out: &Path) {
    // The denial file is the one a biller would write, and the appeal answers it.
    let denial = std::fs::read_to_string(p.path("denials/obrien-co197-2026-12-15.yaml")).unwrap();
    assert!(denial.contains("claim_number: EV1002"), "{denial}");
    assert!(
        denial.contains("reason: '197'") || denial.contains("reason: \"197\""),
        "{denial}"
    );
    let appeal = cw(
        p,
        out,
        "2026-12-31",
        &[
            "render",
            "appeal",
            "obrien-co197-2026-12-15",
            "--format",
            "md",
        ],
    );
    appeal.expect_code(0);
}

fn worklist_and_receivables(p: &Practice, out: &Path, trip: &Trip, rows: &[Value]) {
    let (nora, liam) = (&trip.nora, &trip.liam);
    // The worklist names the denial's appeal; A/R shows Nora's copays and nothing owed on the
    // paid claims, but the denied one still owed by the payer.
    let f = cw(p, out, "2026-12-31", &["followups", "--format", "json"]);
    f.expect_code(0);
    let tasks: Vec<Value> = serde_json::from_str(&f.stdout).unwrap();
    assert!(
        tasks
            .iter()
            .any(|t| t["file"] == "denials/obrien-co197-2026-12-15.yaml"),
        "{tasks:?}"
    );
    let ar = cw(p, out, "2026-12-31", &["ar", "--format", "json"]);
    let ar: Value = serde_json::from_str(&ar.stdout).unwrap();
    let copays = 500 * i64::try_from(nora.lines.len()).unwrap();
    let nora_row = ar["patients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["patient"] == "nora-pelletier")
        .unwrap();
    assert_eq!(nora_row["responsibility"], dollars_two(copays));
    let liam_total: i64 = liam.lines.iter().map(|l| l.charge.cents()).sum();
    let northstar = &ar["payers"][0];
    assert_eq!(northstar["payer"], "northstar-ppo");
    assert_eq!(
        northstar["total"],
        dollars_two(liam_total + other_unanswered(p, rows))
    );
}

fn importing_again_changes_nothing(p: &Practice, out: &Path, trip: &Trip) {
    let (era1, era2) = (&trip.era1, &trip.era2);
    // Importing the same files again changes nothing.
    let before = files_under(&p.root);
    let r = cw(
        p,
        out,
        "2027-01-05",
        &[
            "import",
            "835",
            era1.to_str().unwrap(),
            era2.to_str().unwrap(),
        ],
    );
    r.expect_code(0);
    assert_eq!(
        r.stdout
            .matches("imported already: nothing changed")
            .count(),
        2,
        "{}",
        r.stdout
    );
    assert_eq!(files_under(&p.root), before);
}

/// The totals of the sent claims no remittance answered.
fn other_unanswered(_p: &Practice, rows: &[Value]) -> i64 {
    rows.iter()
        .filter(|r| r["status"] == "sent" && r["answer"].is_null())
        .map(|r| {
            let (d, c) = r["total"].as_str().unwrap().split_once('.').unwrap();
            d.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
        })
        .sum()
}

fn dollars_two(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[test]
fn unknown_claims_unknown_reasons_and_other_payees_are_warned_about() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let stranger = ClaimRecord {
        claim_id: "NOTOURS01".into(),
        ..record_of_any(&p)
    };
    let odd = clp(&stranger, "1", "EV9", 1, &|charge| LineAnswer {
        paid: 0,
        adjustments: vec![("CO", "ZZ9", charge)],
    });
    let era = out.path().join("odd.835");
    std::fs::write(
        &era,
        remittance("TR900", "20261215", std::slice::from_ref(&odd), 0),
    )
    .unwrap();
    let r = cw(
        &p,
        out.path(),
        AS_OF,
        &["import", "835", era.to_str().unwrap()],
    );
    r.expect_code(0);
    assert!(r.stderr.contains("remit.unmatched_claim"), "{}", r.stderr);
    assert!(r.stderr.contains("remit.unknown_reason"), "{}", r.stderr);
    // A payment to another NPI posts nothing.
    let other =
        remittance("TR901", "20261215", &[odd], 0).replace("*XX*1526018159~", "*XX*1234567893~");
    let era = out.path().join("other.835");
    std::fs::write(&era, other).unwrap();
    let r = cw(
        &p,
        out.path(),
        AS_OF,
        &["import", "835", era.to_str().unwrap()],
    );
    assert!(r.stderr.contains("remit.other_payee"), "{}", r.stderr);
    assert!(
        !p.path("remittances/2026-12/northstar-ppo-tr901.yaml")
            .exists()
    );
    // A file that is not an 835 is refused and writes nothing.
    std::fs::write(&era, "hello").unwrap();
    let r = cw(
        &p,
        out.path(),
        AS_OF,
        &["import", "835", era.to_str().unwrap()],
    );
    r.expect_code(1);
    assert!(r.stderr.contains("remit.unreadable"), "{}", r.stderr);
}

/// Any ledger record: the practice's first claim, prepared for the purpose.
fn record_of_any(p: &Practice) -> ClaimRecord {
    let out = tempfile::tempdir().unwrap();
    cw(
        p,
        out.path(),
        AS_OF,
        &[
            "claims",
            "prepare",
            "--month",
            "2026-11",
            "--payer",
            "northstar-ppo",
        ],
    )
    .expect_code(0);
    record_of(p, "nora-pelletier")
}

#[test]
fn the_example_practice_has_follow_ups_at_the_end_of_december() {
    let r = crate::util::run(&[
        "followups",
        "-C",
        example("harbor-street").to_str().unwrap(),
        "--as-of",
        "2026-12-31",
        "--format",
        "json",
    ]);
    r.expect_code(0);
    let tasks: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let has = |needle: &str| {
        tasks
            .iter()
            .any(|t| t["what"].as_str().unwrap().contains(needle))
    };
    assert!(
        has("to Northstar Health Plans PPO was sent on 2026-11-02 and has no answer"),
        "an overdue claim: {tasks:?}"
    );
    assert!(has("appeal or correct it"), "an appeal deadline: {tasks:?}");
    assert!(
        has("authorization NS-PA-8841207 ends on 2026-12-31"),
        "{tasks:?}"
    );
    // Most urgent first.
    let dues: Vec<&str> = tasks.iter().map(|t| t["due"].as_str().unwrap()).collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted);
}

#[test]
fn every_sample_remittance_imports_without_a_panic_and_a_dry_run_writes_nothing() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let samples = crate::util::project_root().join("tests/fixtures/x12");
    let mut files: Vec<String> = files_under(&samples)
        .into_iter()
        .filter(|f| f.starts_with("835_"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 9);
    let before = files_under(&p.root);
    for f in &files {
        let path = samples.join(f);
        let r = cw(
            &p,
            out.path(),
            AS_OF,
            &["import", "835", "--dry-run", path.to_str().unwrap()],
        );
        r.expect_code(0);
        // None of these payments is for this practice: either its claims are unknown to the
        // ledger (kept, unmatched) or it pays another NPI (nothing posted).
        let kept = r.stdout.contains("would write remittances/")
            && r.stderr.contains("remit.unmatched_claim");
        let refused = r.stderr.contains("remit.other_payee");
        assert!(kept || refused, "{f}: {}{}", r.stdout, r.stderr);
    }
    assert_eq!(files_under(&p.root), before);
}

#[test]
fn a_paper_claim_answered_by_its_account_number_is_matched() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    let record = record_of_any(&p);
    assert_eq!(record.medium, claimwright::model::Medium::Paper);
    // Payers answer a paper claim with item 26, the patient's account number, in CLP01.
    let by_account = ClaimRecord {
        claim_id: "NORA-PELLETIER".into(),
        ..record.clone()
    };
    let paid = clp(&by_account, "1", "PC77", 1, &|charge| LineAnswer {
        paid: charge * 8 / 10,
        adjustments: vec![("CO", "45", charge - charge * 8 / 10)],
    });
    let era = out.path().join("paper.835");
    std::fs::write(&era, remittance("TR950", "20261215", &[paid], 0)).unwrap();
    let r = cw(
        &p,
        out.path(),
        AS_OF,
        &["import", "835", era.to_str().unwrap()],
    );
    r.expect_code(0);
    assert!(!r.stderr.contains("remit.unmatched_claim"), "{}", r.stderr);
    let posted =
        std::fs::read_to_string(p.path("remittances/2026-12/northstar-ppo-tr950.yaml")).unwrap();
    assert!(posted.contains(&record.claim_id.to_uppercase()), "{posted}");
    assert!(posted.contains("matched: true"), "{posted}");
}
