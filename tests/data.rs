//! `--format json`: every document's data, exactly what its template sees, written beside the
//! other formats by `render` and `batch`.

use crate::util::{AS_OF, example, files_under, run_at};
use serde_json::Value;

fn read(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?} is not JSON: {e}"))
}

#[test]
fn render_writes_the_data_of_a_summary_alone_when_only_json_is_asked() {
    let out = tempfile::tempdir().unwrap();
    let r = run_at(
        &example("harbor-street"),
        out.path(),
        AS_OF,
        &["render", "summary", "ellen-hartley", "--format", "json"],
    );
    r.expect_code(0);
    assert_eq!(
        files_under(out.path()),
        vec![format!("summary/ellen-hartley-{AS_OF}.json")]
    );
    let data = read(
        &out.path()
            .join(format!("summary/ellen-hartley-{AS_OF}.json")),
    );
    assert_eq!(data["document"]["kind"], "summary");
    assert_eq!(data["document"]["as_of"], AS_OF);
    assert_eq!(data["patient"]["first_name"], "Ellen");
    let coverage = &data["coverages"][0];
    assert_eq!(coverage["coverage"]["payer_id"], "northstar-ppo");
    // Amounts are decimal strings of dollars and cents.
    let copay = coverage["copay"].as_str().unwrap();
    assert!(
        copay.parse::<f64>().is_ok() && copay.contains('.'),
        "{copay}"
    );
}

#[test]
fn batch_writes_json_beside_every_document_and_the_claims() {
    let out = tempfile::tempdir().unwrap();
    let r = run_at(
        &example("harbor-street"),
        out.path(),
        AS_OF,
        &["batch", "--month", "2026-11", "-q", "--format", "json,pdf"],
    );
    r.expect_code(0);
    let month = out.path().join("2026-11");
    let manifest = read(&month.join("manifest.json"));
    let docs = manifest["documents"].as_array().unwrap();
    assert!(docs.len() > 40);
    for d in docs {
        let outputs: Vec<&str> = d["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["path"].as_str().unwrap())
            .collect();
        let json = outputs
            .iter()
            .find(|p| p.ends_with(".json"))
            .unwrap_or_else(|| panic!("{outputs:?} has no JSON"));
        assert!(outputs.iter().any(|p| p.ends_with(".pdf")), "{outputs:?}");
        assert!(!outputs.iter().any(|p| p.ends_with(".md")), "{outputs:?}");
        let data = read(&month.join(json));
        assert_eq!(data["document"]["kind"], d["kind"], "{json}");
    }
    let claim = docs.iter().find(|d| d["kind"] == "claim").unwrap();
    let name = claim["name"].as_str().unwrap();
    let data = read(&month.join(format!("claim/{name}.json")));
    assert!(
        data["claim"]["lines"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    );
    assert_eq!(data["claim"]["id"].as_str().map(str::len), Some(18));
}
