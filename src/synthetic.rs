//! Synthetic practices for benchmarks and large tests: any number of sessions with varied,
//! realistic text, several payers and many patients, with or without one warning per session;
//! deterministic for a given size.

use crate::codes::npi;
use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (SplitMix64): the same size always gives the same practice.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Ava", "Ben", "Chloe", "Dev", "Elena", "Frank", "Grace", "Hugo", "Iris", "Jonah", "Keiko",
    "Luis", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
];
const LAST: &[&str] = &[
    "Abbott",
    "Baker",
    "Castillo",
    "Dube",
    "Ellis",
    "Fontaine",
    "Garcia",
    "Hale",
    "Ishikawa",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Pelletier",
    "Quist",
];
const REGIONS: &[&str] = &[
    "cervical", "thoracic", "lumbar", "shoulder", "hip", "gluteal",
];
const COMPLAINTS: &[&str] = &[
    "low back pain after lifting at work",
    "neck pain and stiffness since a rear-end collision",
    "thoracic pain from prolonged computer work",
    "right shoulder pain reaching overhead",
    "tension headaches three times a week",
    "left hip pain climbing stairs",
];
const LIMITS: &[&str] = &[
    "sits no more than 20 minutes before pain builds",
    "cannot turn the head fully when checking a blind spot",
    "wakes twice a night when rolling over",
    "stops carrying groceries after one bag",
    "needs breaks every 30 minutes at the desk",
    "walks 15 minutes at most",
];
const FINDINGS: &[&str] = &[
    "hypertonic erector spinae with tender points at L3-L5",
    "trigger points in the upper trapezius and levator scapulae",
    "restricted T5-T8 segments with taut rhomboids",
    "guarding of the infraspinatus with painful arc at 90 degrees",
    "tender suboccipitals reproducing the headache",
    "hypertonic gluteus medius and piriformis",
];
const DIAGNOSES: &[&str] = &[
    "M54.50", "M54.2", "M54.6", "M62.830", "M79.18", "G44.209", "M25.511", "M25.552",
];

/// Whether the generated sessions carry a warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionWarnings {
    /// The sessions have no findings.
    #[default]
    Absent,
    /// Each session has exactly one warning (`soap.vague`: a comfort word in its assessment) and
    /// no error; everything else is as without it, so the two practices differ only there.
    OnePerSession,
}

/// The providers of the synthetic practice, by id.
const PROVIDERS: [&str; 4] = ["p1", "p2", "p3", "p4"];

/// Writes a practice with `sessions` sessions, all in November 2026, to `dir`.
pub fn write_practice(dir: &Path, sessions: usize) -> std::io::Result<()> {
    write_practice_with(dir, sessions, SessionWarnings::Absent)
}

/// Writes the practice of [`write_practice`], its sessions carrying a warning when asked.
pub fn write_practice_with(
    dir: &Path,
    sessions: usize,
    warnings: SessionWarnings,
) -> std::io::Result<()> {
    let mut rng = Rng(0x5EED ^ sessions as u64);
    std::fs::create_dir_all(dir.join("payers"))?;
    std::fs::create_dir_all(dir.join("patients"))?;
    std::fs::create_dir_all(dir.join("sessions/2026-11"))?;
    std::fs::write(dir.join("practice.yaml"), practice_text())?;
    for (id, text) in payer_texts() {
        std::fs::write(dir.join(format!("payers/{id}.yaml")), text)?;
    }
    let patients = (sessions / 10).max(5);
    for i in 0..patients {
        std::fs::write(
            dir.join(format!("patients/pt-{i:06}.yaml")),
            patient_text(i),
        )?;
    }
    for n in 0..sessions {
        let text = session_text(n, patients, &mut rng, warnings);
        std::fs::write(dir.join(format!("sessions/2026-11/s-{n:07}.yaml")), text)?;
    }
    Ok(())
}

/// A valid NPI, distinct for each `n`.
fn npi_of(n: usize) -> String {
    npi::with_check_digit(&format!("1{:08}", 10_000_000 + n)).unwrap_or_default()
}

/// `practice.yaml`: the clinic, its fees and four licensed providers.
fn practice_text() -> String {
    let mut practice =
        String::from("name: Synthetic Massage Clinic\ntax_id: \"47-1928356\"\ntax_id_type: ein\n");
    let _ = writeln!(practice, "npi: \"{}\"", npi_of(1));
    practice.push_str("taxonomy: 225700000X\naddress: {street: \"1 Main St\", city: Portland, state: ME, zip: \"04101-3219\"}\nphone: \"207-555-0100\"\nedi: {sender_id: SYNTH01, receiver_id: CLEARHOUSE, receiver_name: Synthetic Clearinghouse, contact: {name: Billing Desk, phone: \"207-555-0100\"}}\nfees: {\"97124\": 38.00, \"97140\": 42.00, \"97110\": 40.00}\nproviders:\n");
    for (i, p) in PROVIDERS.iter().enumerate() {
        let _ = writeln!(
            practice,
            "  - {{id: {p}, first_name: {}, last_name: {}, credentials: LMT, npi: \"{}\", taxonomy: 225700000X, license: {{state: ME, number: \"MT-{}\", expires: 2028-06-30}}}}",
            FIRST[i],
            LAST[i],
            npi_of(10 + i),
            1000 + i
        );
    }
    practice
}

/// The four payers (id, file text): a PPO, a Medicare Advantage plan that asks for GP, workers'
/// compensation and an out-of-network plan.
fn payer_texts() -> Vec<(&'static str, String)> {
    let payers = [
        ("ppo", "commercial", "substantial_portion", ""),
        (
            "advantage",
            "medicare_advantage",
            "cms_8_minute",
            "therapy_modifier: GP\n",
        ),
        ("comp", "workers_comp", "cms_8_minute", ""),
        ("oon", "commercial", "substantial_portion", ""),
    ];
    payers
        .into_iter()
        .map(|(id, kind, rule, extra)| {
            (
                id,
                format!(
                    "name: {id} plan\npayer_id: \"P{id}\"\nkind: {kind}\nclaims_address: {{street: \"PO Box 1\", city: Boston, state: MA, zip: \"02101\"}}\nunit_rule: {rule}\n{extra}timely_filing_days: 365\nappeal_window_days: 180\n"
                ),
            )
        })
        .collect()
}

/// Patient `i`: one primary coverage, cycling through the four payers.
fn patient_text(i: usize) -> String {
    let (payer, network) = match i % 4 {
        0 => ("ppo", "in"),
        1 => ("advantage", "in"),
        2 => ("comp", "in"),
        _ => ("oon", "out"),
    };
    format!(
        "first_name: {}\nlast_name: {}\ndob: 19{:02}-0{}-1{}\nsex: {}\naddress: {{street: \"{} Elm St\", city: Portland, state: ME, zip: \"04102\"}}\nsignature_on_file: true\ncoverages:\n  - payer: {payer}\n    priority: primary\n    member_id: M{i:07}\n    subscriber: self\n    effective: 2026-01-01\n    network: {network}\n    benefits:\n      massage_covered: true\n      requires_referral: false\n      requires_preauth: false\n      copay: 20.00\n      coinsurance: 0.20\n      deductible: 500.00\n      deductible_met: 200.00\n      allowed: {{\"97124\": 30.00, \"97140\": 34.00, \"97110\": 32.00}}\n",
        FIRST[i % FIRST.len()],
        LAST[(i / FIRST.len()) % LAST.len()],
        40 + i % 50,
        1 + i % 9,
        i % 10,
        if i.is_multiple_of(2) { "F" } else { "M" },
        1 + i % 400,
    ) + &casualty_text(payer, i)
}

/// A workers' compensation coverage's employer, carrier claim number and injury date, which
/// its claims carry.
fn casualty_text(payer: &str, i: usize) -> String {
    if payer != "comp" {
        return String::new();
    }
    format!(
        "    employer: {{name: Employer {i}, address: {{street: \"2 Mill Rd\", city: Portland, state: ME, zip: \"04103\"}}}}\n    claim_number: WC{i:07}\n    injury_date: 2026-09-1{}\n",
        i % 10
    )
}

/// Session `n`: one or two timed services, a full SOAP note and a goal, signed the same day.
fn session_text(n: usize, patients: usize, rng: &mut Rng, warnings: SessionWarnings) -> String {
    let patient = n % patients;
    let payer_kind = patient % 4;
    let day = 2 + (n / patients) % 24;
    let provider = PROVIDERS[rng.below(PROVIDERS.len())];
    let massage = 23 + rng.below(25) as u32;
    let manual = if rng.below(3) == 0 {
        15 + rng.below(10) as u32
    } else {
        0
    };
    let total = massage + manual;
    let gp = if payer_kind == 1 { "GP" } else { "" };
    let dx1 = rng.pick(DIAGNOSES);
    let mut dx2 = rng.pick(DIAGNOSES);
    if dx2 == dx1 {
        dx2 = "M62.830";
    }
    let dx = if dx1 == dx2 {
        vec![dx1]
    } else {
        vec![dx1, dx2]
    };
    let region = rng.pick(REGIONS);
    let mut text = format!(
        "patient: pt-{patient:06}\nprovider: {provider}\ndate: 2026-11-{day:02}\ntime_in: \"09:00\"\ntime_out: \"{}\"\ndiagnoses: [{}]\nservices:\n  - code: \"97124\"\n    minutes: {massage}\n    modifiers: [{gp}]\n    region: {region}\n    diagnosis_pointers: [A]\n",
        clock(9 * 60 + total + 5),
        dx.join(", "),
    );
    if manual > 0 {
        let other =
            REGIONS[(REGIONS.iter().position(|r| *r == region).unwrap_or(0) + 1) % REGIONS.len()];
        let mods = if gp.is_empty() {
            "\"59\"".to_string()
        } else {
            "GP, \"59\"".to_string()
        };
        let _ = write!(
            text,
            "  - code: \"97140\"\n    minutes: {manual}\n    modifiers: [{mods}]\n    region: {other}\n    diagnosis_pointers: [{}]\n",
            if dx.len() > 1 { "B" } else { "A" }
        );
    }
    let before = 4 + rng.below(5);
    let after = before - 1 - rng.below(2);
    // No random draw depends on the warning, so both variants get the same sessions otherwise.
    let tolerated = match warnings {
        SessionWarnings::Absent => "Tolerated treatment",
        SessionWarnings::OnePerSession => "Tolerated treatment and left relaxed",
    };
    let _ = write!(
        text,
        "pain: {{before: {before}, after: {after}}}\nsoap:\n  subjective: \"Reports {}; {}. Pain {before}/10 today.\"\n  objective: \"Palpation: {}. Range of motion {} degrees in the {region} region.\"\n  assessment: \"{tolerated}; pain {after}/10 after. Skilled soft-tissue work still needed to restore function.\"\n  plan: \"Continue 2x/week for 4 weeks with home stretching; re-assess in 2 weeks.\"\ngoals: [\"Sit 60 minutes with pain no worse than 2/10 by 2026-12-31\"]\nsigned: {{by: {provider}, date: 2026-11-{day:02}}}\n",
        rng.pick(COMPLAINTS),
        rng.pick(LIMITS),
        rng.pick(FINDINGS),
        30 + rng.below(40),
    );
    text
}

/// `HH:MM` of a count of minutes since midnight.
fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;

    #[test]
    fn generated_practice_validates_clean() {
        let dir = tempfile::tempdir().unwrap();
        write_practice(dir.path(), 60).unwrap();
        let (data, mut findings) = crate::load::load(dir.path());
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        crate::rules::check_all(&data, as_of, &mut findings);
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(data.sessions.len(), 60);
    }

    /// Every file under `dir`, relative to it, with its text.
    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let name = e.path().strip_prefix(dir).unwrap().display().to_string();
                (name, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_warning_variant_differs_only_in_one_warning_per_session() {
        let (plain, warned) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_practice(plain.path(), 60).unwrap();
        write_practice_with(warned.path(), 60, SessionWarnings::OnePerSession).unwrap();

        // File for file, only a session's assessment line differs.
        let (plain_files, warned_files) = (files(plain.path()), files(warned.path()));
        let names = |files: &[(String, String)]| -> Vec<String> {
            files.iter().map(|(name, _)| name.clone()).collect()
        };
        assert_eq!(names(&plain_files), names(&warned_files));
        for ((name, a), (_, b)) in plain_files.iter().zip(&warned_files) {
            let changed: Vec<&str> = a
                .lines()
                .zip(b.lines())
                .filter(|(x, y)| x != y)
                .map(|(_, y)| y)
                .collect();
            assert_eq!(a.lines().count(), b.lines().count(), "{name}");
            if name.starts_with("sessions/") {
                assert_eq!(changed.len(), 1, "{name}");
                assert!(changed[0].starts_with("  assessment: "), "{name}");
            } else {
                assert!(changed.is_empty(), "{name}");
            }
        }

        // The same findings, plus one soap.vague warning on each session.
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let check = |dir: &Path| {
            let (data, mut findings) = crate::load::load(dir);
            crate::rules::check_all(&data, as_of, &mut findings);
            (data.sessions.len(), findings)
        };
        let (plain_sessions, plain_findings) = check(plain.path());
        let (warned_sessions, warned_findings) = check(warned.path());
        assert_eq!((plain_sessions, warned_sessions), (60, 60));
        let (vague, others): (Vec<_>, Vec<_>) = warned_findings
            .into_iter()
            .partition(|f| f.code == "soap.vague");
        assert_eq!(others, plain_findings);
        assert!(plain_findings.iter().all(|f| f.code != "soap.vague"));
        assert!(
            vague.iter().all(|f| f.severity == Severity::Warning
                && f.field.as_deref() == Some("soap.assessment"))
        );
        let files: std::collections::BTreeSet<&str> =
            vague.iter().map(|f| f.file.as_str()).collect();
        assert_eq!((vague.len(), files.len()), (60, 60));
    }
}
