//! "Did you mean …?": the closest of a few known words to a misspelt one.

/// The candidate closest to `word`, if it is close enough to be a slip: at most two
/// edits away, or (for words of three letters or more) one contains the other, as
/// `memory` contains `mem`. Ties go to the fewest edits, then to the earlier
/// candidate.
///
/// ```text
/// closest("vendr", &["vendor", "info"]) == Some("vendor")
/// closest("memory", &["cpu", "mem"])    == Some("mem")
/// ```
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let near = |candidate: &str| {
        let edits = distance(word, candidate);
        let contains = word.len() >= 3 && (word.contains(candidate) || candidate.contains(word));
        (edits <= 2 || contains).then_some(edits)
    };
    candidates.iter().enumerate().filter_map(|(i, c)| near(c).map(|d| (d, i, *c))).min().map(|(_, _, c)| c)
}

/// Levenshtein distance between two short words.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: [&str; 8] = ["cpu", "mem", "capacity", "var_weight", "pmig", "phib", "acc", "topology"];

    #[test]
    fn slips_find_their_word() {
        for (slip, word) in [
            ("memory", "mem"),
            ("cpus", "cpu"),
            ("cpu0", "cpu"),
            ("weight", "var_weight"),
            ("varweight", "var_weight"),
            ("capacty", "capacity"),
            ("hib", "phib"),
            ("topo", "topology"),
            ("accel", "acc"),
        ] {
            assert_eq!(closest(slip, &WORDS), Some(word), "{slip}");
        }
        for far in ["acme_gpu", "processor", "licence", "x"] {
            assert_eq!(closest(far, &WORDS), None, "{far}");
        }
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("timout", "timeout"), 1);
        assert_eq!(distance("memory", "mem"), 3);
    }
}
