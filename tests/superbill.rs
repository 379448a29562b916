//! The superbill: what the patient paid, with method and date, "Paid in full" when nothing is
//! due, the services described, the referring provider and the group number; made for
//! out-of-network and self-pay visits, and a warning for visits billed in network.

use crate::finding_cases::prints;
use crate::util::{AS_OF, Practice, example, files_under, run_at};

/// The example with `payments` written into Nora's sessions of November (out of network):
/// (session date, the `paid:` value).
fn nora_paying(payments: &[(&str, &str)]) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    for (date, paid) in payments {
        let file = format!("sessions/2026-11/{date}-nora-pelletier.yaml");
        let text = std::fs::read_to_string(p.path(&file)).unwrap();
        assert!(text.contains("\nsigned:"), "{text}");
        p.write(
            &file,
            text.replace("\nsigned:", &format!("\npaid: {paid}\nsigned:")),
        );
    }
    p
}

/// Renders Nora's superbill of November as Markdown and JSON.
fn nora_superbill(p: &Practice) -> (String, serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let args = [
        "render",
        "superbill",
        "nora-pelletier",
        "--month",
        "2026-11",
        "--format",
        "md",
        "--format",
        "json",
    ];
    run_at(&p.root, out.path(), AS_OF, &args).expect_code(0);
    let stem = out.path().join("superbill/nora-pelletier-2026-11");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    let json = std::fs::read_to_string(stem.with_extension("json")).unwrap();
    (md, serde_json::from_str(&json).unwrap())
}

#[test]
fn paid_in_full() {
    // Four visits at 118.00, each paid by card that day; the last one a day later.
    let p = nora_paying(&[
        (
            "2026-11-03",
            "{amount: 118.00, method: card, date: 2026-11-03}",
        ),
        ("2026-11-10", "{amount: 118.00, method: card}"),
        ("2026-11-17", "{amount: 118.00, method: HSA card}"),
        (
            "2026-11-24",
            "{amount: 118.00, method: check 1042, date: 2026-11-25}",
        ),
    ]);
    let (md, data) = nora_superbill(&p);
    assert_eq!(data["totals"]["charged"], "472.00");
    assert_eq!(data["totals"]["paid"], "472.00");
    assert_eq!(data["totals"]["balance"], "0.00");
    assert_eq!(data["totals"]["paid_in_full"], true);
    assert!(md.contains("**Paid in full.**"), "{md}");
    assert!(!md.contains("Balance due"), "{md}");
    for row in [
        "| 11/03/2026 | $118.00 | card | 11/03/2026 |",
        "| 11/10/2026 | $118.00 | card | 11/10/2026 |",
        "| 11/17/2026 | $118.00 | HSA card | 11/17/2026 |",
        "| 11/24/2026 | $118.00 | check 1042 | 11/25/2026 |",
    ] {
        assert!(md.contains(row), "{row}:\n{md}");
    }
    // What a plan asks of a superbill: the referral, the group, what each code is.
    assert!(
        md.contains("- Referral from Karen Ouellette, NP (NPI 1445418381), October 26, 2026"),
        "{md}"
    );
    assert!(md.contains("| NSH227805164 | MWLC-5520 |"), "{md}");
    assert!(md.contains("| 97124 | massage, 15-minute units |"), "{md}");
    assert_eq!(
        data["lines"][0]["description"].as_str().map(str::is_empty),
        Some(false)
    );
}

#[test]
fn partly_paid() {
    // A plain amount still reads: paid at the visit, on its date, method not recorded.
    let p = nora_paying(&[
        (
            "2026-11-03",
            "{amount: 118.00, method: card, date: 2026-11-03}",
        ),
        ("2026-11-10", "50"),
    ]);
    let (md, data) = nora_superbill(&p);
    assert_eq!(data["totals"]["paid"], "168.00");
    assert_eq!(data["totals"]["balance"], "304.00");
    assert_eq!(data["totals"]["paid_in_full"], false);
    assert_eq!(data["payments"].as_array().map(Vec::len), Some(2));
    assert_eq!(data["payments"][1]["method"], "");
    assert!(
        md.contains("| 11/10/2026 | $50.00 |  | 11/10/2026 |"),
        "{md}"
    );
    assert!(md.contains("Balance due: $304.00."), "{md}");
    assert!(!md.contains("Paid in full"), "{md}");
    // Nothing paid: no payments table at all.
    let (md, _) = nora_superbill(&Practice::copy_from(&example("harbor-street")));
    assert!(!md.contains("## Payments"), "{md}");
    assert!(md.contains("Balance due: $472.00."), "{md}");
}

#[test]
fn a_patient_billed_in_network_gets_a_warning_and_no_superbill_in_the_batch() {
    let root = example("harbor-street");
    let out = tempfile::tempdir().unwrap();
    let r = run_at(
        &root,
        out.path(),
        AS_OF,
        &[
            "render",
            "superbill",
            "david-nguyen",
            "--month",
            "2026-11",
            "--format",
            "md",
        ],
    );
    // A warning: the superbill is written, and says why it should not be sent.
    r.expect_code(0);
    assert!(
        prints(
            &r.stderr,
            "patients/david-nguyen.yaml",
            "warning",
            "superbill.in_network"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("[coverages[0].network]"), "{}", r.stderr);
    // The batch makes one for the out-of-network patient and one for a patient without
    // insurance, and none for those billed in network.
    let p = Practice::copy_from(&root);
    let file = "patients/ellen-hartley.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    let (start, end) = (
        text.find("coverages:\n").unwrap(),
        text.find("referrals:\n").unwrap(),
    );
    p.write(
        file,
        format!("{}coverages: []\n{}", &text[..start], &text[end..]),
    );
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &["batch", "--month", "2026-11", "--format", "json", "-q"],
    );
    let superbills: Vec<String> = files_under(&out.path().join("2026-11"))
        .into_iter()
        .filter(|f| f.starts_with("superbill/"))
        .collect();
    assert_eq!(
        superbills,
        [
            "superbill/ellen-hartley-2026-11.json",
            "superbill/nora-pelletier-2026-11.json"
        ]
    );
}
