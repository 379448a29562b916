//! Suggests the known name that a misspelt one most likely meant.

/// Least Jaro-Winkler likeness at which a field or variant name counts as a plausible typo.
const NAME_LIKENESS: f64 = 0.8;

/// The expected name most like `name`, if any is close enough to be a plausible typo.
pub fn closest<'a>(name: &str, expected: &[&'a str]) -> Option<&'a str> {
    closest_above(name, expected.iter().copied(), NAME_LIKENESS)
}

/// The candidate most like `name` whose Jaro-Winkler likeness is at least `min_likeness`.
pub fn closest_above<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    min_likeness: f64,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= min_likeness)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The names as "`a`, `b`, `c`", for a message that lists the choices.
pub fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_plausible_typos() {
        assert_eq!(
            closest("diagnosis", &["diagnoses", "services"]),
            Some("diagnoses")
        );
        assert_eq!(closest("zzz", &["diagnoses", "services"]), None);
        assert_eq!(quoted_list(&["a", "b"]), "`a`, `b`");
    }
}
