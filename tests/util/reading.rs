//! The Flesch-Kincaid grade of plain prose, and the prose of a Markdown document: its
//! paragraphs and list items, without headings, tables, amounts, dates or names.
//!
//! Grade = 0.39 x words/sentences + 11.8 x syllables/words - 15.59. Syllables are counted
//! the simple way readability tools do: each run of vowels (a e i o u y) is one, a final
//! silent "e" (not "-le") takes one away, and every word has at least one. It is a little
//! off for some words, in both directions; over a page the errors even out.

/// The syllables of one word, by the rule above.
pub fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut in_vowels = false;
    for &c in &w {
        if vowel(c) && !in_vowels {
            count += 1;
        }
        in_vowels = vowel(c);
    }
    let n = w.len();
    // "-le" after a consonant ("table") is a syllable of its own; any other final "e" is not.
    let consonant_le = n > 2 && w[n - 2] == 'l' && !vowel(w[n - 3]);
    let silent_e = n > 2 && w[n - 1] == 'e' && !consonant_le;
    if silent_e && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// Words, sentences and syllables of some prose, each line (a paragraph line or list item)
/// at least one sentence.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Words.
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Syllables.
    pub syllables: usize,
}

impl Counts {
    /// The counts of `lines`.
    pub fn of(lines: &[String]) -> Counts {
        let mut c = Counts::default();
        for line in lines {
            let mut words = 0;
            let mut ends = 0;
            for token in line.split(|ch: char| ch.is_whitespace() || ch == '-' || ch == '/') {
                if token.chars().any(|ch| ch.is_alphabetic()) {
                    words += 1;
                    c.syllables += syllables(token);
                }
                if token.ends_with(['.', '!', '?']) {
                    ends += 1;
                }
            }
            if words > 0 {
                c.words += words;
                c.sentences += ends.max(1);
            }
        }
        c
    }

    /// The Flesch-Kincaid grade level.
    pub fn grade(&self) -> f64 {
        let words = self.words.max(1) as f64;
        0.39 * words / self.sentences.max(1) as f64 + 11.8 * self.syllables as f64 / words - 15.59
    }
}

/// The prose of a Markdown document: paragraph lines and list items (quoted ones too), with
/// emphasis marks, each of `names`, and every token holding a digit or `$` taken out;
/// headings and tables left out.
pub fn prose(markdown: &str, names: &[String]) -> Vec<String> {
    let mut names: Vec<&String> = names.iter().filter(|n| !n.trim().is_empty()).collect();
    // Longer names first, so "Northstar Health Plans PPO" goes before "Northstar".
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    markdown
        .lines()
        .map(|l| l.trim().trim_start_matches('>').trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('|'))
        .map(|l| {
            let mut l = l
                .trim_start_matches("- ")
                .replace("**", "")
                .replace('*', "");
            l = l.trim_end_matches('\\').to_string();
            for n in &names {
                l = l.replace(n.as_str(), "");
            }
            l.split_whitespace()
                .filter(|t| !t.contains(|c: char| c.is_ascii_digit() || c == '$'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| l.chars().any(char::is_alphabetic))
        .collect()
}

#[test]
fn syllables_are_counted_the_simple_way() {
    for (word, n) in [
        ("plan", 1),
        ("visit", 2),
        ("estimate", 3),
        ("insurance", 3),
        ("table", 2),
        ("make", 1),
        ("the", 1),
        ("deductible", 4),
    ] {
        assert_eq!(syllables(word), n, "{word}");
    }
}

#[test]
fn a_grade_reads_the_formula() {
    let c = Counts::of(&["The cat sat on the mat. The visit is over now.".to_string()]);
    assert_eq!((c.words, c.sentences, c.syllables), (11, 2, 13));
    assert!((c.grade() - (0.39 * 11.0 / 2.0 + 11.8 * 13.0 / 11.0 - 15.59)).abs() < 1e-9);
}
