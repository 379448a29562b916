//! One table of the phrases the patient-facing documents print from Rust, with a field per
//! phrase; each language fills it in its own file. `{name}` marks a value put in by [`fill`].

/// Every phrase of the patient-facing documents in one language.
#[derive(Debug)]
pub struct Phrases {
    /// Joins the last two items of a list.
    pub and: &'static str,
    /// One unit of a timed service.
    pub unit: &'static str,
    /// Several units.
    pub units: &'static str,
    /// "2 units of massage".
    pub units_of: &'static str,
    /// Added to a timed service's name.
    pub timed: &'static str,
    /// The plan billed first.
    pub primary: &'static str,
    /// The plan billed second.
    pub secondary: &'static str,
    /// A coverage by its plan's name and rank.
    pub plan_named: &'static str,
    /// A coverage without an end date.
    pub no_end: &'static str,
    /// Two dates.
    pub date_range: &'static str,
    /// A referral, as the patient reads it.
    pub referral: &'static str,
    /// A referral with the number the plan gave it.
    pub referral_numbered: &'static str,
    /// A plan's approval of visits.
    pub authorization: &'static str,
    /// The adult patient's doctor.
    pub your_doctor: &'static str,
    /// A minor's doctor, to the parent.
    pub your_childs_doctor: &'static str,
    /// The line atop every page: the patient's name and date of birth.
    pub page_header: &'static str,
    /// The summary's title.
    pub summary_title: &'static str,
    /// A workers' compensation carrier.
    pub workers_comp: &'static str,
    /// An auto insurance carrier.
    pub auto: &'static str,
    /// Benefits checked by phone.
    pub checked_phone: &'static str,
    /// Benefits checked on the plan's website.
    pub checked_portal: &'static str,
    /// Benefits checked by an electronic request.
    pub checked_eligibility: &'static str,
    /// No fee for a service.
    pub no_fee: &'static str,
    /// A plan's rates unknown.
    pub no_allowed: &'static str,
    /// The visit priced: the latest.
    pub visit_latest: &'static str,
    /// The visit priced: a minor's latest.
    pub visit_latest_child: &'static str,
    /// The visit priced when none is on file.
    pub visit_default: &'static str,
    /// The copay, in a list of shares.
    pub copay: &'static str,
    /// The deductible, likewise.
    pub deductible: &'static str,
    /// The coinsurance at a rate.
    pub coinsurance: &'static str,
    /// The out-of-pocket maximum reached.
    pub share_all_paid: &'static str,
    /// No share.
    pub share_none: &'static str,
    /// Only the copay.
    pub share_copay_only: &'static str,
    /// A share the out-of-pocket maximum stops.
    pub share_capped: &'static str,
    /// Refusal: coverage not active.
    pub refused_not_in_force: &'static str,
    /// Refusal: services not covered.
    pub refused_not_covered: &'static str,
    /// Refusal: visits used up.
    pub refused_visit_limit: &'static str,
    /// Refusal: no approval.
    pub refused_authorization_missing: &'static str,
    /// Refusal: approval ended.
    pub refused_authorization_expired: &'static str,
    /// Refusal: approved visits used.
    pub refused_authorization_used_up: &'static str,
    /// Refusal: no referral.
    pub refused_referral_missing: &'static str,
    /// Refusal: referral ended.
    pub refused_referral_expired: &'static str,
    /// Refusal: referral visits used.
    pub refused_referral_used_up: &'static str,
    /// A carrier refuses: the patient is not billed.
    pub step_carrier_refused: &'static str,
    /// A carrier pays.
    pub step_carrier: &'static str,
    /// Out of network, pays back.
    pub step_out_pays: &'static str,
    /// Out of network, payback unknown.
    pub step_out_unknown: &'static str,
    /// A second plan pays.
    pub step_later_pays: &'static str,
    /// A second plan's payment unknown.
    pub step_later_unknown: &'static str,
    /// No insurance.
    pub basis_self_pay: &'static str,
    /// Every plan refuses.
    pub basis_refused: &'static str,
    /// A carrier is billed.
    pub basis_carrier: &'static str,
    /// Out of network, part paid back.
    pub basis_out_back: &'static str,
    /// Out of network, nothing back.
    pub basis_out_none: &'static str,
    /// Out of network.
    pub basis_out: &'static str,
    /// In network, alone.
    pub basis_in: &'static str,
    /// In network with its share.
    pub basis_in_share: &'static str,
    /// The first plan refuses.
    pub basis_primary_refused: &'static str,
    /// A second plan pays toward the share.
    pub basis_second_pays: &'static str,
    /// A second plan's payment unknown.
    pub basis_second_unknown: &'static str,
    /// Time past the plan's minutes.
    pub basis_beyond: &'static str,
    /// Services not covered.
    pub basis_not_covered: &'static str,
    /// No insurance on file.
    pub ex_self_pay: &'static str,
    /// A carrier is billed.
    pub ex_carrier: &'static str,
    /// Every plan refuses.
    pub ex_refused_fee: &'static str,
    /// Services the plan does not cover.
    pub ex_not_covered: &'static str,
    /// Out of network.
    pub ex_out: &'static str,
    /// Out of network, what the plan pays back.
    pub ex_out_back: &'static str,
    /// Out of network, payback unknown.
    pub ex_out_unknown: &'static str,
    /// In network: allowed, share and payment.
    pub ex_in: &'static str,
    /// The copay paid.
    pub you_copay: &'static str,
    /// Paid toward the deductible.
    pub you_deductible: &'static str,
    /// Coinsurance paid.
    pub you_coinsurance: &'static str,
    /// Nothing paid.
    pub you_nothing: &'static str,
    /// The out-of-pocket maximum stops the share.
    pub ex_capped: &'static str,
    /// A second plan pays.
    pub ex_later_pays: &'static str,
    /// A second plan's rates unknown.
    pub ex_later_unknown: &'static str,
    /// Coverage not active.
    pub ex_not_in_force: &'static str,
    /// No service covered.
    pub ex_not_covered_all: &'static str,
    /// Visits used up.
    pub ex_visit_limit: &'static str,
    /// No approval.
    pub ex_authorization_missing: &'static str,
    /// Approval ended.
    pub ex_authorization_expired: &'static str,
    /// Approved visits used.
    pub ex_authorization_used_up: &'static str,
    /// No referral.
    pub ex_referral_missing: &'static str,
    /// Referral ended.
    pub ex_referral_expired: &'static str,
    /// Referral visits used.
    pub ex_referral_used_up: &'static str,
    /// The adult patient, as an object.
    pub whom_you: &'static str,
    /// A minor, to the parent.
    pub whom_child: &'static str,
    /// The statement's title.
    pub statement_title: &'static str,
    /// A claim's part not split by visit.
    pub whole_claim: &'static str,
    /// A plan took its payment back.
    pub awaiting_reversed: &'static str,
    /// A plan has not decided.
    pub awaiting_undecided: &'static str,
    /// A claim sent.
    pub awaiting_sent: &'static str,
    /// A claim billed.
    pub awaiting_billed: &'static str,
    /// A visit billed outside the ledger.
    pub unbilled_billed: &'static str,
    /// A visit denied.
    pub unbilled_denied: &'static str,
    /// A visit not billed.
    pub unbilled_none: &'static str,
    /// The superbill's title.
    pub superbill_title: &'static str,
    /// A provider's license.
    pub license: &'static str,
    /// What to check on every Explanation of Benefits.
    pub eob_checklist: &'static [&'static str],
    /// What can change an estimate a plan's share decides.
    pub caveats_plan: &'static [&'static str],
    /// What can change a visit priced at the practice's fee.
    pub caveats_fee: &'static [&'static str],
    /// What can change a visit a carrier pays.
    pub caveats_carrier: &'static [&'static str],
    /// The notice of the right to a Good Faith Estimate (45 CFR 149.610), after CMS's standard wording.
    pub good_faith: &'static [&'static str],
    /// Each service code in words, e.g. ("97124", "massage").
    pub services: &'static [(&'static str, &'static str)],
}

/// `template` with each `{name}` replaced by its value in `values`; a name without a value
/// stays as written, so a missing value shows in a test rather than vanishing.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Phrases {
    /// Every single phrase, in field order, to compare languages.
    pub fn pairs(&self) -> Vec<&'static str> {
        vec![
            self.and,
            self.unit,
            self.units,
            self.units_of,
            self.timed,
            self.primary,
            self.secondary,
            self.plan_named,
            self.no_end,
            self.date_range,
            self.referral,
            self.referral_numbered,
            self.authorization,
            self.your_doctor,
            self.your_childs_doctor,
            self.page_header,
            self.summary_title,
            self.workers_comp,
            self.auto,
            self.checked_phone,
            self.checked_portal,
            self.checked_eligibility,
            self.no_fee,
            self.no_allowed,
            self.visit_latest,
            self.visit_latest_child,
            self.visit_default,
            self.copay,
            self.deductible,
            self.coinsurance,
            self.share_all_paid,
            self.share_none,
            self.share_copay_only,
            self.share_capped,
            self.refused_not_in_force,
            self.refused_not_covered,
            self.refused_visit_limit,
            self.refused_authorization_missing,
            self.refused_authorization_expired,
            self.refused_authorization_used_up,
            self.refused_referral_missing,
            self.refused_referral_expired,
            self.refused_referral_used_up,
            self.step_carrier_refused,
            self.step_carrier,
            self.step_out_pays,
            self.step_out_unknown,
            self.step_later_pays,
            self.step_later_unknown,
            self.basis_self_pay,
            self.basis_refused,
            self.basis_carrier,
            self.basis_out_back,
            self.basis_out_none,
            self.basis_out,
            self.basis_in,
            self.basis_in_share,
            self.basis_primary_refused,
            self.basis_second_pays,
            self.basis_second_unknown,
            self.basis_beyond,
            self.basis_not_covered,
            self.ex_self_pay,
            self.ex_carrier,
            self.ex_refused_fee,
            self.ex_not_covered,
            self.ex_out,
            self.ex_out_back,
            self.ex_out_unknown,
            self.ex_in,
            self.you_copay,
            self.you_deductible,
            self.you_coinsurance,
            self.you_nothing,
            self.ex_capped,
            self.ex_later_pays,
            self.ex_later_unknown,
            self.ex_not_in_force,
            self.ex_not_covered_all,
            self.ex_visit_limit,
            self.ex_authorization_missing,
            self.ex_authorization_expired,
            self.ex_authorization_used_up,
            self.ex_referral_missing,
            self.ex_referral_expired,
            self.ex_referral_used_up,
            self.whom_you,
            self.whom_child,
            self.statement_title,
            self.whole_claim,
            self.awaiting_reversed,
            self.awaiting_undecided,
            self.awaiting_sent,
            self.awaiting_billed,
            self.unbilled_billed,
            self.unbilled_denied,
            self.unbilled_none,
            self.superbill_title,
            self.license,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_each_value_in_its_place() {
        assert_eq!(
            fill("{a} and {b}, {a}; {c}", &[("a", "x"), ("b", "y")]),
            "x and y, x; {c}"
        );
    }

    #[test]
    fn both_languages_fill_the_same_names() {
        let names = |s: &str| {
            let mut n: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            n.sort();
            n
        };
        for (en, es) in crate::documents::wording::en::PHRASES
            .pairs()
            .into_iter()
            .zip(crate::documents::wording::es::PHRASES.pairs())
        {
            assert_eq!(names(en), names(es), "{en} / {es}");
        }
    }
}
