//! What a visit will cost the patient, as the benefit summary's data (`--format json`) and
//! text say it: worked examples of copays, deductibles, coinsurance, the out-of-pocket
//! maximum, a visit past the plan's limit, two plans, workers' compensation, out of network
//! and no insurance at all.

use crate::finding_cases::example_with_patient;
use crate::util::{AS_OF, Practice, example, run_at};
use serde_json::Value;

/// The summary of `patient` in `p`, as its JSON data and its Markdown.
fn summary(p: &Practice, patient: &str) -> (Value, String) {
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &[
            "render", "summary", patient, "--format", "json", "--format", "md",
        ],
    )
    .expect_code(0);
    let stem = out.path().join(format!("summary/{patient}-{AS_OF}"));
    let json = std::fs::read_to_string(stem.with_extension("json")).unwrap();
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    (serde_json::from_str(&json).unwrap(), md)
}

/// The estimate's `allowed`, `plan_pays`, `patient_pays` and `basis`.
fn figures(data: &Value) -> (String, String, String, String) {
    let e = &data["estimate"];
    let text = |k: &str| match &e[k] {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => panic!("{k} is {other}, not a decimal string"),
    };
    (
        text("allowed"),
        text("plan_pays"),
        text("patient_pays"),
        text("basis"),
    )
}

fn owned(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into())
}

/// David's plan (Northstar, in network, 25.00 copay, 20%) with `edits`; his latest visit
/// bills 2 units of 97124 and 1 of 97110.
fn david(edits: &[(&str, &str)]) -> Practice {
    example_with_patient("david-nguyen", edits)
}

/// Rates that make David's latest visit allowed at 93.00: 2 x 31.00 + 31.00.
const ALLOWED_93: (&str, &str) = (
    r#"allowed: {"97124": 28.50, "97140": 32.00, "97110": 30.75}"#,
    r#"allowed: {"97124": 31.00, "97140": 32.00, "97110": 31.00}"#,
);

#[test]
fn copay_only() {
    // Margaret's plan: a 20.00 copay, no deductible, no coinsurance.
    let (data, md) = summary(
        &Practice::copy_from(&example("harbor-street")),
        "margaret-walsh",
    );
    assert_eq!(
        figures(&data),
        owned("84.40", "64.40", "20.00", "in network: copay only")
    );
    let e = &data["estimate"];
    assert_eq!(e["code"], "97124 x 2 units, 97110 x 1 unit");
    assert_eq!(e["fee"], "116.00");
    assert!(
        md.contains("**A visit may cost you about $20.00.** We priced a visit like your last visit, on November 23, 2026 (in network: copay only)."),
        "{md}"
    );
    // The plan's own part says the same.
    let part = &data["coverages"][0]["estimate"];
    assert_eq!(part["patient_pays"], "20.00");
    assert_eq!(part["copay"], "20.00");
}

#[test]
fn an_unmet_deductible_with_a_copay_never_costs_more_than_the_allowed_amount() {
    // 93.00 allowed, a 25.00 copay, 150.00 of deductible left: 25.00 + 68.00 = 93.00, where
    // the copay used to be added on top of the whole amount to the deductible (118.00).
    let p = david(&[
        ALLOWED_93,
        ("deductible_met: 750.00", "deductible_met: 600.00"),
    ]);
    let (data, md) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned("93.00", "0.00", "93.00", "in network: copay and deductible")
    );
    let part = &data["coverages"][0]["estimate"];
    assert_eq!(
        (&part["copay"], &part["deductible"], &part["coinsurance"]),
        (
            &Value::from("25.00"),
            &Value::from("68.00"),
            &Value::from("0.00")
        )
    );
    assert!(
        md.contains(
            "You pay the $25.00 copay and $68.00 toward your deductible. The plan pays $0.00."
        ),
        "{md}"
    );
    assert!(!md.contains("118.00"), "{md}");
    // A plan whose copay skips the deductible: 25.00, and 20% of the 68.00 left.
    let p = david(&[
        ALLOWED_93,
        ("deductible_met: 750.00", "deductible_met: 600.00"),
        (
            "copay: 25.00",
            "copay: 25.00\n      copay_waives_deductible: true",
        ),
    ]);
    let (data, _) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned(
            "93.00",
            "54.40",
            "38.60",
            "in network: copay and 20% coinsurance"
        )
    );
    // Coinsurance of the allowed amount itself: 25.00 and 20% of 93.00.
    let p = david(&[
        ALLOWED_93,
        (
            "copay: 25.00",
            "copay: 25.00\n      coinsurance_base: allowed",
        ),
    ]);
    let (data, _) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned(
            "93.00",
            "49.40",
            "43.60",
            "in network: copay and 20% coinsurance"
        )
    );
}

#[test]
fn coinsurance_after_the_deductible() {
    // No copay, 50.00 of deductible left, then 20% of the 43.00 left is 8.60.
    let p = david(&[
        ALLOWED_93,
        ("copay: 25.00", "copay: 0.00"),
        ("deductible_met: 750.00", "deductible_met: 700.00"),
    ]);
    let (data, md) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned(
            "93.00",
            "34.40",
            "58.60",
            "in network: deductible and 20% coinsurance"
        )
    );
    assert!(
        md.contains(
            "You pay $50.00 toward your deductible and $8.60 coinsurance (20%). The plan pays $34.40."
        ),
        "{md}"
    );
}

#[test]
fn the_out_of_pocket_maximum_caps_the_share() {
    // Met in full: the plan pays the whole allowed amount.
    let p = david(&[("out_of_pocket_met: 1310.00", "out_of_pocket_met: 3500.00")]);
    let (data, _) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned(
            "87.75",
            "87.75",
            "0.00",
            "in network: out-of-pocket maximum reached: the plan pays it all"
        )
    );
    // 10.00 left: the share stops there, below the 25.00 copay.
    let p = david(&[("out_of_pocket_met: 1310.00", "out_of_pocket_met: 3490.00")]);
    let (data, md) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned(
            "87.75",
            "77.75",
            "10.00",
            "in network: copay, up to the out-of-pocket maximum"
        )
    );
    assert_eq!(data["estimate"]["plans"][0]["capped"], true);
    assert!(
        md.contains("Your share stops at the $10.00 you have left before you reach your out-of-pocket maximum."),
        "{md}"
    );
}

#[test]
fn visit_21_of_20_is_the_practices_fee() {
    // 14 visits before the records and 6 recorded: the plan's 20 are used.
    let p = david(&[("visits_used_before: 6", "visits_used_before: 14")]);
    let (data, md) = summary(&p, "david-nguyen");
    assert_eq!(
        figures(&data),
        owned("0.00", "0.00", "116.00", "visit limit reached: our fee")
    );
    assert_eq!(data["estimate"]["fee"], "116.00");
    assert!(
        md.contains("Northstar Health Plans PPO pays for 20 visits each plan year (January 1, 2026 to December 31, 2026). 20 visits are used. So it would not pay for another visit before January 1, 2027."),
        "{md}"
    );
    assert!(
        md.contains("You would pay our fee for the visit: $116.00."),
        "{md}"
    );
    // Visit 20 of 20 is still the plan's.
    let p = david(&[("visits_used_before: 6", "visits_used_before: 13")]);
    let (data, _) = summary(&p, "david-nguyen");
    assert_eq!(figures(&data).2, "37.55");
}

#[test]
fn a_lapsed_authorization_or_referral_is_the_practices_fee() {
    // Ellen's authorization of 8 visits, cut to the 5 she has used.
    let p = example_with_patient(
        "ellen-hartley",
        &[("    visits: 8\n    codes", "    visits: 5\n    codes")],
    );
    let (data, md) = summary(&p, "ellen-hartley");
    assert_eq!(figures(&data).3, "approved visits used up: our fee");
    assert_eq!(figures(&data).2, data["estimate"]["fee"].as_str().unwrap());
    assert!(
        md.contains("The 5 visits Northstar Health Plans PPO approved (NS-PA-8841207) are used. So it would not pay for another visit unless it approves more."),
        "{md}"
    );
    // David's referral, ended before the summary's date.
    let p = david(&[("expires: 2026-12-27", "expires: 2026-11-27")]);
    let (data, md) = summary(&p, "david-nguyen");
    assert_eq!(figures(&data).3, "referral ended: our fee");
    assert!(
        md.contains("The referral from Samuel Okafor, MD ended on November 27, 2026. So Northstar Health Plans PPO would not pay for another visit until your doctor renews it."),
        "{md}"
    );
}

#[test]
fn two_coverages_make_one_figure() {
    // Robert: Northstar allows 125.40 (30.00 copay, 20% of 95.40 is 19.08) and pays 76.32;
    // Pinecrest, second, would pay 95.00 of its 115.00 alone, so it pays all 49.08 left.
    let (data, md) = summary(
        &Practice::copy_from(&example("harbor-street")),
        "robert-lindqvist",
    );
    assert_eq!(
        figures(&data),
        owned(
            "125.40",
            "125.40",
            "0.00",
            "in network: copay and 20% coinsurance; the second plan pays part of your share"
        )
    );
    let plans = data["estimate"]["plans"].as_array().unwrap();
    let pays: Vec<(&str, &str, &str)> = plans
        .iter()
        .map(|p| {
            (
                p["priority"].as_str().unwrap(),
                p["plan_pays"].as_str().unwrap(),
                p["patient_pays"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pays,
        [
            ("primary", "76.32", "49.08"),
            ("secondary", "49.08", "0.00")
        ]
    );
    // Each coverage's part is the same step, so the two plans no longer give two prices.
    assert_eq!(data["coverages"][1]["estimate"]["plan_pays"], "49.08");
    assert_eq!(md.matches("A visit may cost you about").count(), 1, "{md}");
    assert!(
        md.contains("Then Pinecrest Health Medicare Advantage pays $49.08 of the $49.08 left to you. It pays no more than the $95.00 it would pay for the visit alone."),
        "{md}"
    );
    // A secondary that would pay little alone leaves the patient the rest: a 90.00 copay
    // leaves Pinecrest 25.00 of its 115.00.
    let p = example_with_patient("robert-lindqvist", &[("copay: 20.00", "copay: 90.00")]);
    let (data, _) = summary(&p, "robert-lindqvist");
    assert_eq!(figures(&data).1, "101.32");
    assert_eq!(figures(&data).2, "24.08");
}

#[test]
fn workers_compensation_costs_the_patient_nothing() {
    let (data, md) = summary(
        &Practice::copy_from(&example("harbor-street")),
        "jason-theriault",
    );
    assert_eq!(
        figures(&data),
        owned(
            "109.00",
            "109.00",
            "0.00",
            "workers' compensation: we bill the carrier"
        )
    );
    assert_eq!(data["coverages"][0]["carrier"], true);
    assert!(
        md.contains("We bill Granite Coast Mutual Insurance Company directly. You pay nothing"),
        "{md}"
    );
    // No deductible, out-of-pocket or plan-year tables for a carrier.
    for gone in [
        "### Your costs",
        "Out-of-pocket maximum",
        "### Visits this plan year",
        "Your share changes",
    ] {
        assert!(!md.contains(gone), "{gone}:\n{md}");
    }
}

#[test]
fn out_of_network_is_the_fee_and_the_expected_reimbursement() {
    // Nora pays the fee; with the plan's out-of-network allowed amounts on file: 2 x 30.00 +
    // 35.00 = 95.00, 320.00 of deductible left takes it all, so nothing comes back yet...
    let rates = (
        "      exclusions: [\"services without",
        "      allowed: {\"97124\": 30.00, \"97140\": 35.00}\n      exclusions: [\"services without",
    );
    let p = example_with_patient("nora-pelletier", &[rates]);
    let (data, _) = summary(&p, "nora-pelletier");
    assert_eq!(
        figures(&data),
        owned(
            "95.00",
            "0.00",
            "118.00",
            "out of network: our fee, nothing paid back"
        )
    );
    // ...and once it is met, 60% of 95.00 is paid back: 57.00, so the visit costs 61.00.
    let p = example_with_patient(
        "nora-pelletier",
        &[
            rates,
            ("deductible_met: 1180.00", "deductible_met: 1500.00"),
        ],
    );
    let (data, md) = summary(&p, "nora-pelletier");
    let e = &data["estimate"];
    assert_eq!(
        (&e["reimbursed"], &e["net"]),
        (&Value::from("57.00"), &Value::from("61.00"))
    );
    assert!(
        md.contains("Out of network, the plan allows $95.00. It would pay you back about $57.00. So the visit would cost you $61.00."),
        "{md}"
    );
    // Without them, the fee alone, and she is told to ask.
    let (data, md) = summary(
        &Practice::copy_from(&example("harbor-street")),
        "nora-pelletier",
    );
    assert_eq!(
        figures(&data),
        owned("null", "null", "118.00", "out of network: our fee")
    );
    assert!(md.contains("Ask the plan what it allows"), "{md}");
    // She pays the practice herself: the No Surprises Act's notice is hers.
    assert!(md.contains("## Good Faith Estimate"), "{md}");
}

#[test]
fn a_patient_without_insurance_gets_a_good_faith_estimate() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "patients/nora-pelletier.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    let start = text.find("coverages:\n").unwrap();
    let end = text.find("referrals:\n").unwrap();
    p.write(
        file,
        format!("{}coverages: []\n{}", &text[..start], &text[end..]),
    );
    let (data, md) = summary(&p, "nora-pelletier");
    assert_eq!(
        figures(&data),
        owned("null", "0.00", "118.00", "no insurance: our fee")
    );
    let gfe = &data["good_faith"];
    assert_eq!(gfe["total"], "118.00");
    assert_eq!(gfe["lines"][0]["code"], "97124");
    assert_eq!(gfe["lines"][0]["charge"], "76.00");
    for words in [
        "## Good Faith Estimate",
        "No Surprises Act",
        "at least $400 more than this estimate",
        "www.cms.gov/nosurprises or call 1-800-985-3059",
        "NPI 1526018159",
        "M26.623",
    ] {
        assert!(md.contains(words), "{words}:\n{md}");
    }
    // An insured patient billed in network gets none.
    let (data, md) = summary(
        &Practice::copy_from(&example("harbor-street")),
        "david-nguyen",
    );
    assert!(data["good_faith"].is_null());
    assert!(!md.contains("Good Faith Estimate"), "{md}");
}
