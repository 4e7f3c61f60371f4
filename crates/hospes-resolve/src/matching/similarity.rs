//! String similarity on characters, never bytes: a Cyrillic letter is two bytes in UTF-8, and a
//! byte-wise distance would count one mistyped letter as two.
//!
//! Both measures take slices of any comparable unit; the `_str` forms compare `char`s, and callers
//! that hold ASCII (skeletons) pass bytes, which are then characters.

/// Jaro–Winkler similarity in [0, 1], with the usual prefix scale 0.1 over at most four
/// characters.
pub fn jaro_winkler<T: PartialEq + Copy>(left: &[T], right: &[T]) -> f64 {
    let jaro = jaro(left, right);
    winkler(jaro, left, right)
}

/// [`jaro_winkler`] on bytes (ASCII text such as skeletons), bit-parallel when both sides have at
/// most 64 bytes: comparison calls it for every pair of names, streets and cities.
pub fn jaro_winkler_bytes(left: &[u8], right: &[u8]) -> f64 {
    let jaro = if left.len() <= 64 && right.len() <= 64 { jaro_short_bytes(left, right) } else { jaro(left, right) };
    winkler(jaro, left, right)
}

fn winkler<T: PartialEq + Copy>(jaro: f64, left: &[T], right: &[T]) -> f64 {
    let prefix = left.iter().zip(right).take(4).take_while(|(a, b)| a == b).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// Jaro similarity of byte strings of at most 64 bytes each, with one bit per position: for each
/// byte of `left`, the first unmatched equal byte of `right` within the window is the lowest set
/// bit of (positions of that byte) ∧ (window) ∧ ¬(matched), exactly as the textbook loop finds it.
fn jaro_short_bytes(left: &[u8], right: &[u8]) -> f64 {
    if left.is_empty() && right.is_empty() {
        return 1.0;
    }
    if left.is_empty() || right.is_empty() {
        return 0.0;
    }
    let mut positions = [0u64; 256];
    for (index, byte) in right.iter().enumerate() {
        positions[*byte as usize] |= 1 << index;
    }
    let window = (left.len().max(right.len()) / 2).saturating_sub(1);
    let mut left_matched = 0u64;
    let mut right_matched = 0u64;
    let mut matches = 0u32;
    for (index, byte) in left.iter().enumerate() {
        let start = index.saturating_sub(window);
        let end = (index + window + 1).min(right.len());
        if start >= end {
            continue;
        }
        let range = (((1u128 << end) - (1u128 << start)) & u128::from(u64::MAX)) as u64;
        let candidates = positions[*byte as usize] & range & !right_matched;
        if candidates != 0 {
            right_matched |= candidates & candidates.wrapping_neg();
            left_matched |= 1 << index;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0u32;
    let (mut left_bits, mut right_bits) = (left_matched, right_matched);
    while left_bits != 0 {
        let (i, j) = (left_bits.trailing_zeros() as usize, right_bits.trailing_zeros() as usize);
        if left[i] != right[j] {
            transpositions += 1;
        }
        left_bits &= left_bits - 1;
        right_bits &= right_bits - 1;
    }
    let matches = f64::from(matches);
    (matches / left.len() as f64 + matches / right.len() as f64 + (matches - f64::from(transpositions) / 2.0) / matches)
        / 3.0
}

/// Jaro similarity in [0, 1].
pub fn jaro<T: PartialEq + Copy>(left: &[T], right: &[T]) -> f64 {
    if left.is_empty() && right.is_empty() {
        return 1.0;
    }
    if left.is_empty() || right.is_empty() {
        return 0.0;
    }
    let window = (left.len().max(right.len()) / 2).saturating_sub(1);
    // Names are short: flags on the stack for up to 64 characters, on the heap beyond.
    let mut left_flags_small = [false; 64];
    let mut right_flags_small = [false; 64];
    let mut left_flags_large = Vec::new();
    let mut right_flags_large = Vec::new();
    let (left_matched, right_matched): (&mut [bool], &mut [bool]) = if left.len() <= 64 && right.len() <= 64 {
        (&mut left_flags_small[..left.len()], &mut right_flags_small[..right.len()])
    } else {
        left_flags_large.resize(left.len(), false);
        right_flags_large.resize(right.len(), false);
        (&mut left_flags_large[..], &mut right_flags_large[..])
    };
    let mut matches = 0usize;
    for (index, unit) in left.iter().enumerate() {
        let start = index.saturating_sub(window);
        let end = (index + window + 1).min(right.len());
        for other in start..end {
            if !right_matched[other] && right[other] == *unit {
                left_matched[index] = true;
                right_matched[other] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut other = 0usize;
    for (index, unit) in left.iter().enumerate() {
        if !left_matched[index] {
            continue;
        }
        while !right_matched[other] {
            other += 1;
        }
        if *unit != right[other] {
            transpositions += 1;
        }
        other += 1;
    }
    let matches = matches as f64;
    (matches / left.len() as f64 + matches / right.len() as f64 + (matches - transpositions as f64 / 2.0) / matches)
        / 3.0
}

/// The optimal-string-alignment distance (Damerau–Levenshtein where no substring is edited
/// twice): insertions, deletions, substitutions and transpositions of neighbours each cost one.
/// Stops early and returns `limit + 1` once the distance must exceed `limit`.
pub fn osa_distance<T: PartialEq + Copy>(left: &[T], right: &[T], limit: usize) -> usize {
    if left.len().abs_diff(right.len()) > limit {
        return limit + 1;
    }
    let width = right.len() + 1;
    let mut before_previous = vec![0usize; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];
    for index in 1..=left.len() {
        current[0] = index;
        let mut row_minimum = current[0];
        for other in 1..width {
            let cost = usize::from(left[index - 1] != right[other - 1]);
            let mut best = (previous[other] + 1).min(current[other - 1] + 1).min(previous[other - 1] + cost);
            if index > 1 && other > 1 && left[index - 1] == right[other - 2] && left[index - 2] == right[other - 1] {
                best = best.min(before_previous[other - 2] + 1);
            }
            current[other] = best;
            row_minimum = row_minimum.min(best);
        }
        if row_minimum > limit {
            return limit + 1;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[right.len()].min(limit + 1)
}

/// Whether two sequences are at most one edit apart (one insertion, deletion, substitution, or
/// transposition of neighbours): [`osa_distance`] with limit 1, in linear time and without
/// allocating, for the hot path of comparison.
pub fn within_one_edit<T: PartialEq + Copy>(left: &[T], right: &[T]) -> bool {
    let (shorter, longer) = if left.len() <= right.len() { (left, right) } else { (right, left) };
    if longer.len() - shorter.len() > 1 {
        return false;
    }
    let prefix = shorter.iter().zip(longer).take_while(|(a, b)| a == b).count();
    if prefix == shorter.len() {
        return true;
    }
    if shorter.len() == longer.len() {
        // One substitution, or a transposition of neighbours.
        let rest = prefix + 1;
        if shorter[rest..] == longer[rest..] {
            return true;
        }
        rest < shorter.len()
            && shorter[prefix] == longer[rest]
            && shorter[rest] == longer[prefix]
            && shorter[rest + 1..] == longer[rest + 1..]
    } else {
        // One insertion into the shorter.
        shorter[prefix..] == longer[prefix + 1..]
    }
}

/// [`within_one_edit`] over the characters of two strings.
pub fn within_one_edit_str(left: &str, right: &str) -> bool {
    if left.is_ascii() && right.is_ascii() {
        return within_one_edit(left.as_bytes(), right.as_bytes());
    }
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    within_one_edit(&left, &right)
}

/// [`jaro_winkler`] over the characters of two strings.
pub fn jaro_winkler_str(left: &str, right: &str) -> f64 {
    if left.is_ascii() && right.is_ascii() {
        return jaro_winkler_bytes(left.as_bytes(), right.as_bytes());
    }
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    jaro_winkler(&left, &right)
}

/// [`osa_distance`] over the characters of two strings.
pub fn osa_distance_str(left: &str, right: &str, limit: usize) -> usize {
    if left.is_ascii() && right.is_ascii() {
        return osa_distance(left.as_bytes(), right.as_bytes(), limit);
    }
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    osa_distance(&left, &right, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(value: f64, expected: f64) -> bool {
        (value - expected).abs() < 1e-3
    }

    #[test]
    fn jaro_winkler_textbook_values() {
        assert!(close(jaro_winkler_str("MARTHA", "MARHTA"), 0.961));
        assert!(close(jaro_winkler_str("DWAYNE", "DUANE"), 0.840));
        assert!(close(jaro_winkler_str("DIXON", "DICKSONX"), 0.813));
        assert!(close(jaro_winkler_str("", ""), 1.0));
        assert!(close(jaro_winkler_str("abc", ""), 0.0));
        assert!(close(jaro_winkler_str("abc", "xyz"), 0.0));
    }

    #[test]
    fn bit_parallel_jaro_equals_the_textbook_loop() {
        let words = [
            "",
            "a",
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "iusupov",
            "iusupova",
            "abcabcabcabc",
            "cbacbacba",
            "aaaaaaab",
            "baaaaaaa",
            "lakefront retrmnt vlge",
            "lakefront retirement village",
            "0123456789012345678901234567890123456789012345678901234567890123",
        ];
        for left in words {
            for right in words {
                let (a, b) = (left.as_bytes(), right.as_bytes());
                assert!((jaro_short_bytes(a, b) - jaro(a, b)).abs() < 1e-12, "{left:?} against {right:?}");
            }
        }
    }

    #[test]
    fn one_cyrillic_typo_counts_as_one_character() {
        // Byte-wise, each Cyrillic letter is two units and a substitution would cost two.
        assert_eq!(osa_distance_str("Юсупов", "Юсупав", 3), 1);
        assert_eq!(osa_distance_str("Юсупов", "Юсуопв", 3), 1);
        assert_eq!(osa_distance_str("Юсупов", "Юсупв", 3), 1);
        assert_eq!(osa_distance_str("Юсупов", "Юсуповв", 3), 1);
        assert!(jaro_winkler_str("Юсупов", "Юсупав") > 0.9);
        assert!(close(jaro_winkler_str("Юсупов", "Юсупав"), jaro_winkler_str("Usupov", "Usupav")));
    }

    #[test]
    fn one_edit_agrees_with_the_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "abd",
            "abcd",
            "bacd",
            "abdc",
            "xbcd",
            "abc d",
            "юсупов",
            "юсупав",
            "юсуопв",
        ];
        for left in words {
            for right in words {
                assert_eq!(
                    within_one_edit_str(left, right),
                    osa_distance_str(left, right, 1) <= 1,
                    "{left:?} against {right:?}"
                );
            }
        }
    }

    #[test]
    fn osa_distance_limits() {
        assert_eq!(osa_distance_str("kitten", "sitting", 5), 3);
        assert_eq!(osa_distance_str("kitten", "sitting", 1), 2);
        assert_eq!(osa_distance_str("ca", "ac", 2), 1);
        assert_eq!(osa_distance_str("", "abc", 5), 3);
        assert_eq!(osa_distance_str("abc", "abc", 0), 0);
        assert_eq!(osa_distance_str("abcdef", "a", 2), 3);
    }
}
