//! Deterministic randomness: every person, household and employer has its own random streams,
//! derived from the population seed and its index alone, so that any person can be generated on
//! its own, in any order and on any thread, and comes out the same.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The purposes a random stream is drawn for; each gets an independent stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Household = 1,
    Identity = 2,
    Documents = 3,
    Life = 4,
    Errors = 5,
    Biometrics = 6,
    Employer = 7,
    Relative = 8,
}

/// The SplitMix64 finaliser: a cheap, well-mixing bijection on 64 bits.
pub(crate) fn mix(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

/// A ChaCha8 stream for (seed, subject, purpose).
pub(crate) fn stream(seed: u64, subject: u64, purpose: Stream) -> ChaCha8Rng {
    let first = mix(seed ^ mix(purpose as u64));
    let second = mix(first ^ subject);
    let third = mix(second ^ 0x5151_5151_5151_5151);
    let fourth = mix(third ^ subject.rotate_left(17));
    let mut key = [0u8; 32];
    for (chunk, word) in key.chunks_exact_mut(8).zip([first, second, third, fourth]) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    ChaCha8Rng::from_seed(key)
}

/// Whether an event with probability `probability` happens.
pub(crate) fn chance(rng: &mut impl Rng, probability: f64) -> bool {
    rng.random::<f64>() < probability
}

/// A uniformly chosen element; the slice must not be empty.
pub(crate) fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// An element chosen with the given integer weights; the slice must not be empty.
pub(crate) fn pick_weighted<'a, T>(rng: &mut impl Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, weight)| *weight).sum();
    let mut target = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if target < *weight {
            return item;
        }
        target -= weight;
    }
    &items[items.len() - 1].0
}

/// An index in `0..length` drawn from a Zipf-like law (rank r has weight 1/(r+2)): a few
/// names and employers are very common, most are rare, as in real populations.
pub(crate) fn zipf_index(rng: &mut impl Rng, length: usize) -> usize {
    // Inverse of the continuous approximation of the harmonic weights.
    let shift = 2.0_f64;
    let total = ((length as f64 + shift) / shift).ln();
    let drawn = shift * (rng.random::<f64>() * total).exp() - shift;
    (drawn as usize).min(length.saturating_sub(1))
}

/// A keyed permutation of `0..domain` (a small Feistel network with cycle walking): it turns
/// consecutive indices into unique, unordered-looking numbers, so that identifiers are never
/// shared by two people and never reveal who was generated first.
#[derive(Debug, Clone)]
pub(crate) struct KeyedPermutation {
    domain: u64,
    half_bits: u32,
    keys: [u64; 4],
}

impl KeyedPermutation {
    pub(crate) fn new(domain: u64, seed: u64, purpose: u64) -> Self {
        let bits = 64 - domain.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let base = mix(seed ^ mix(purpose.wrapping_mul(0xA24B_AED4_963E_E407)));
        Self { domain, half_bits, keys: [mix(base), mix(base ^ 1), mix(base ^ 2), mix(base ^ 3)] }
    }

    /// The image of `value`, which is taken modulo the domain.
    pub(crate) fn apply(&self, value: u64) -> u64 {
        let mut current = value % self.domain.max(1);
        loop {
            current = self.round_trip(current);
            if current < self.domain {
                return current;
            }
        }
    }

    fn round_trip(&self, value: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let mut left = (value >> self.half_bits) & mask;
        let mut right = value & mask;
        for key in self.keys {
            let next = left ^ (mix(right ^ key) & mask);
            left = right;
            right = next;
        }
        (left << self.half_bits) | right
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_are_bijections_on_their_domain() {
        for domain in [1u64, 7, 10, 1000, 4096, 10_007] {
            let permutation = KeyedPermutation::new(domain, 42, 3);
            let mut seen: Vec<u64> = (0..domain).map(|value| permutation.apply(value)).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len() as u64, domain, "domain {domain}");
            assert!(seen.iter().all(|value| *value < domain));
        }
    }

    #[test]
    fn streams_differ_by_subject_and_purpose_and_repeat_exactly() {
        let draw = |subject, purpose| stream(7, subject, purpose).random::<u64>();
        assert_eq!(draw(1, Stream::Life), draw(1, Stream::Life));
        assert_ne!(draw(1, Stream::Life), draw(2, Stream::Life));
        assert_ne!(draw(1, Stream::Life), draw(1, Stream::Errors));
    }

    #[test]
    fn zipf_indices_stay_in_range_and_favour_the_first_ranks() {
        let mut rng = stream(1, 1, Stream::Life);
        let mut counts = [0usize; 10];
        for _ in 0..10_000 {
            counts[zipf_index(&mut rng, 10)] += 1;
        }
        assert!(counts[0] > counts[9] * 2, "{counts:?}");
    }
}
