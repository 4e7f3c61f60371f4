//! 1:N identification with a filtering index: locality-sensitive hashing of the cylinders.
//!
//! Each cylinder is hashed by several tables; a table's key is a fixed sample of the cylinder's bits
//! near its centre (where cells are almost always valid), so similar cylinders — the same minutia
//! seen in two impressions — often share a key. A probe's cylinders vote for the templates found in
//! their buckets; only the best-voted candidates are matched in full. The index keeps keys and ids,
//! never images; [`FingerprintGallery`] adds the templates and the final matching.

use super::mcc::{Cylinder, MccTemplate, match_templates};

/// Bits per key: 2^16 buckets per table.
const KEY_BITS: usize = 16;
/// Hash tables; more find more mates and cost more memory and time.
pub const DEFAULT_TABLES: usize = 6;
/// Keys with fewer set bits are too common to tell anything apart.
const MIN_KEY_ONES: u32 = 3;

/// The bit positions each table samples.
#[derive(Debug, Clone)]
struct KeyPlan {
    positions: Vec<[u16; KEY_BITS]>,
}

impl KeyPlan {
    fn new(tables: usize, seed: u64) -> Self {
        // Cells within 5 cells of the centre: valid in nearly every cylinder.
        let mut central = Vec::new();
        for i in 0..16u16 {
            for j in 0..16u16 {
                let (di, dj) = (f32::from(i) - 7.5, f32::from(j) - 7.5);
                if (di * di + dj * dj).sqrt() <= 5.0 {
                    central.push(i * 16 + j);
                }
            }
        }
        let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            // splitmix64: deterministic, so an index is rebuilt identically.
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let positions = (0..tables)
            .map(|_| {
                let mut key = [0u16; KEY_BITS];
                for slot in &mut key {
                    let cell = central[(next() % central.len() as u64) as usize];
                    let direction = (next() % 6) as u16;
                    *slot = direction * 256 + cell;
                }
                key
            })
            .collect();
        Self { positions }
    }

    fn keys<'a>(&'a self, cylinder: &'a Cylinder) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.positions.iter().enumerate().filter_map(|(table, positions)| {
            let mut key = 0usize;
            for (slot, position) in positions.iter().enumerate() {
                let position = usize::from(*position);
                if cylinder.bits[position / 64] >> (position % 64) & 1 == 1 {
                    key |= 1 << slot;
                }
            }
            (key.count_ones() >= MIN_KEY_ONES).then_some((table, key))
        })
    }
}

/// The inverted lists: for each table and key, the templates (by position) with such a cylinder.
#[derive(Debug, Clone)]
pub struct FingerprintIndex {
    plan: KeyPlan,
    buckets: Vec<Vec<u32>>,
    len: usize,
}

impl FingerprintIndex {
    pub fn new(tables: usize) -> Self {
        let tables = tables.max(1);
        Self { plan: KeyPlan::new(tables, 1), buckets: vec![Vec::new(); tables << KEY_BITS], len: 0 }
    }

    /// How many templates are indexed.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a template's cylinders under the next position (returned).
    pub fn insert(&mut self, template: &MccTemplate) -> u32 {
        let position = self.len as u32;
        for cylinder in template.cylinders.iter().flatten() {
            for (table, key) in self.plan.keys(cylinder) {
                let bucket = &mut self.buckets[(table << KEY_BITS) | key];
                // One entry per template and bucket: repeated votes from one print say nothing more.
                if bucket.last() != Some(&position) {
                    bucket.push(position);
                }
            }
        }
        self.len += 1;
        position
    }

    /// The `count` templates whose cylinders share the most keys with the probe's, best first.
    pub fn candidates(&self, probe: &MccTemplate, count: usize, votes: &mut Vec<u16>) -> Vec<(u32, u16)> {
        votes.clear();
        votes.resize(self.len, 0);
        for cylinder in probe.cylinders.iter().flatten() {
            for (table, key) in self.plan.keys(cylinder) {
                for position in &self.buckets[(table << KEY_BITS) | key] {
                    let vote = &mut votes[*position as usize];
                    *vote = vote.saturating_add(1);
                }
            }
        }
        let mut best: Vec<(u32, u16)> = Vec::with_capacity(count + 1);
        let mut floor = 0u16;
        for (position, vote) in votes.iter().enumerate() {
            if *vote == 0 || (*vote <= floor && best.len() >= count) {
                continue;
            }
            let at = best.partition_point(|entry| entry.1 >= *vote);
            best.insert(at, (position as u32, *vote));
            best.truncate(count);
            if best.len() >= count {
                floor = best.last().map_or(0, |entry| entry.1);
            }
        }
        best
    }

    /// Bytes held by the inverted lists.
    pub fn memory_bytes(&self) -> usize {
        self.buckets.iter().map(|bucket| bucket.capacity() * 4 + 24).sum()
    }
}

/// Enrolled templates under an index: 1:N identification.
#[derive(Debug, Clone)]
pub struct FingerprintGallery<Id> {
    index: FingerprintIndex,
    entries: Vec<(Id, MccTemplate)>,
    /// Candidates matched in full per search.
    pub shortlist: usize,
}

impl<Id: Clone> FingerprintGallery<Id> {
    pub fn new() -> Self {
        Self { index: FingerprintIndex::new(DEFAULT_TABLES), entries: Vec::new(), shortlist: 50 }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn enrol(&mut self, id: Id, template: MccTemplate) {
        self.index.insert(&template);
        self.entries.push((id, template));
    }

    /// The `top` best matches among the index's shortlist, best first, with scores.
    pub fn identify(&self, probe: &MccTemplate, top: usize) -> Vec<(Id, f32)> {
        let mut votes = Vec::new();
        let candidates = self.index.candidates(probe, self.shortlist, &mut votes);
        let mut scored: Vec<(Id, f32)> = candidates
            .iter()
            .filter_map(|(position, _)| self.entries.get(*position as usize))
            .map(|(id, template)| (id.clone(), match_templates(probe, template)))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(top);
        scored
    }

    /// The same search against every enrolled template: the reference the index is measured against.
    pub fn identify_exhaustive(&self, probe: &MccTemplate, top: usize) -> Vec<(Id, f32)> {
        let mut scored: Vec<(Id, f32)> =
            self.entries.iter().map(|(id, template)| (id.clone(), match_templates(probe, template))).collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(top);
        scored
    }
}

impl<Id: Clone> Default for FingerprintGallery<Id> {
    fn default() -> Self {
        Self::new()
    }
}
