//! The rendering provider's scope: each billed code is one a provider of their taxonomy usually
//! bills (`data/taxonomy_scope.tsv`), or one their own licence allows (`scope_codes`).

use crate::codes::{procedures, taxonomy};
use crate::findings::Finding;
use crate::load::PracticeData;

/// Checks every service line against its rendering provider's scope.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    let Some(practice) = data.practice() else {
        return;
    };
    for rec in &data.sessions {
        let Some(provider) = data.provider_of(&rec.data) else {
            continue;
        };
        let code = provider.taxonomy.as_ref().unwrap_or(&practice.taxonomy);
        // A taxonomy the table does not know is not checked: better silent than wrong.
        let Some(scope) = taxonomy::scope_of(code.as_str()) else {
            continue;
        };
        for (i, svc) in rec.data.services.iter().enumerate() {
            let billed = svc.code.as_str();
            // An unknown code is `procedure.unknown` already.
            let Some(procedure) = procedures::lookup(billed) else {
                continue;
            };
            let licensed = provider
                .scope_codes
                .iter()
                .any(|c| c.as_str().eq_ignore_ascii_case(billed));
            if scope.allows(billed) || licensed {
                continue;
            }
            findings.push(
                Finding::warning(
                    "provider.scope",
                    &rec.file,
                    format!(
                        "{} is not what a {} (taxonomy {code}) usually bills, and payers deny a code outside the provider's scope (CARC B7): have a provider licensed for it render and bill it; if {} {}'s state licence allows it, add \"{}\" to `scope_codes` of provider {} in practice.yaml",
                        procedure.code,
                        scope.label,
                        provider.first_name,
                        provider.last_name,
                        procedure.code,
                        provider.id,
                    ),
                )
                .at(format!("services[{i}].code")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;
    use crate::rules::testkit::*;

    fn billed(practice: Practice, code: &str) -> Vec<Finding> {
        practice
            .session(
                "visit",
                &format!(r#"services: [{{code: "{code}", minutes: 15, modifiers: [GP]}}]"#),
            )
            .check(check)
    }

    #[test]
    fn a_massage_therapist_bills_massage_and_manual_therapy() {
        assert_clean(&billed(Practice::new(), "97124"));
        assert_clean(&billed(Practice::new(), "97140"));
    }

    #[test]
    fn a_massage_therapist_billing_therapy_or_modalities_is_warned() {
        for code in ["97530", "97110", "97535", "97112", "97035", "G0283"] {
            let findings = billed(Practice::new(), code);
            assert_codes(&findings, &[("provider.scope", "services[0].code")]);
            let warning = only(&findings, "provider.scope");
            assert_eq!(warning.severity, Severity::Warning);
            assert!(
                warning
                    .message
                    .contains("a massage therapist (taxonomy 225700000X)")
                    && warning
                        .message
                        .contains("if Amy Chen's state licence allows it")
                    && warning
                        .message
                        .contains(&format!("add \"{code}\" to `scope_codes` of provider amy")),
                "{}",
                warning.message
            );
        }
    }

    #[test]
    fn codes_the_providers_licence_allows_are_in_scope() {
        let licensed = || Practice::new().provider(r#"scope_codes: ["97112", g0283]"#);
        assert_clean(&billed(licensed(), "97112"));
        assert_clean(&billed(licensed(), "G0283"));
        assert_codes(
            &billed(licensed(), "97530"),
            &[("provider.scope", "services[0].code")],
        );
    }

    #[test]
    fn a_physical_therapist_bills_therapy() {
        let pat = |code: &str| {
            Practice::new()
                .session(
                    "visit",
                    &format!(
                        r#"{{provider: pat, signed: {{by: pat, date: 2026-09-15}}, services: [{{code: "{code}", minutes: 15, modifiers: [GP]}}]}}"#
                    ),
                )
                .check(check)
        };
        for code in ["97530", "97110", "97161", "97010", "97124"] {
            assert_clean(&pat(code));
        }
        assert_codes(&pat("98940"), &[("provider.scope", "services[0].code")]);
    }

    #[test]
    fn without_a_taxonomy_of_their_own_the_practices_counts() {
        let findings = billed(Practice::new().provider("taxonomy: ~"), "97110");
        assert_codes(&findings, &[("provider.scope", "services[0].code")]);
        let pt_practice = Practice::new()
            .practice("taxonomy: 225100000X")
            .provider("taxonomy: ~");
        assert_clean(&billed(pt_practice, "97110"));
    }

    #[test]
    fn an_unknown_taxonomy_or_code_is_not_checked() {
        assert_clean(&billed(
            Practice::new().provider("taxonomy: 207Q00000X"),
            "97530",
        ));
        assert_clean(&billed(Practice::new(), "97999"));
    }
}
