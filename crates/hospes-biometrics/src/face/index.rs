//! 1:N search over face templates: an HNSW graph (`hnsw_rs`) for speed, and exact search over the
//! same vectors, which is the reference the graph is measured against and the fallback for small
//! galleries.

use hnsw_rs::anndists::dist::distances::Distance;
use hnsw_rs::hnsw::Hnsw;

use super::{EMBEDDING_LEN, FaceTemplate, dot};

/// `1 − cosine` for unit vectors, never negative. (`hnsw_rs`'s own `DistDot` asserts that rounding
/// never pushes a dot product above 1, which it sometimes does, and then panics.)
#[derive(Debug, Default, Clone, Copy)]
pub struct UnitCosineDistance;

impl Distance<f32> for UnitCosineDistance {
    fn eval(&self, a: &[f32], b: &[f32]) -> f32 {
        (1.0 - dot(a, b)).max(0.0)
    }
}

/// Settings of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HnswParameters {
    /// Links per node and layer (`M`); more is more accurate, bigger and slower to build.
    pub max_connections: usize,
    /// Candidates kept while inserting; more gives a better graph, built more slowly.
    pub ef_construction: usize,
    /// Candidates kept while searching; the main accuracy–speed trade-off at query time.
    pub ef_search: usize,
}

impl Default for HnswParameters {
    fn default() -> Self {
        HnswParameters { max_connections: 24, ef_construction: 200, ef_search: 96 }
    }
}

/// An entry found by a search: its position in insertion order and its cosine similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub similarity: f32,
}

/// The templates of a gallery, searchable approximately (HNSW) and exactly.
pub struct FaceIndex {
    parameters: HnswParameters,
    /// Every template, row after row, in insertion order.
    vectors: Vec<f32>,
    graph: Hnsw<'static, f32, UnitCosineDistance>,
}

impl FaceIndex {
    /// An empty index; `expected_len` sizes the graph's first allocation.
    pub fn new(parameters: HnswParameters, expected_len: usize) -> FaceIndex {
        // hnsw_rs exits the process above 256 links; 16 layers is its own maximum.
        let max_connections = parameters.max_connections.clamp(2, 256);
        FaceIndex {
            parameters: HnswParameters { max_connections, ..parameters },
            vectors: Vec::with_capacity(expected_len * EMBEDDING_LEN),
            graph: Hnsw::new(max_connections, expected_len.max(1), 16, parameters.ef_construction, UnitCosineDistance),
        }
    }

    pub fn parameters(&self) -> HnswParameters {
        self.parameters
    }

    /// Changes the search-time candidate count (the graph stays as built).
    pub fn set_ef_search(&mut self, ef_search: usize) {
        self.parameters.ef_search = ef_search.max(1);
    }

    pub fn len(&self) -> usize {
        self.vectors.len() / EMBEDDING_LEN
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// Adds one template; returns its entry number.
    pub fn insert(&mut self, template: &FaceTemplate) -> usize {
        let entry = self.len();
        self.vectors.extend_from_slice(&template.embedding);
        self.graph.insert_slice((&template.embedding, entry));
        entry
    }

    /// Adds many templates, inserting into the graph on every core (rayon); returns the first
    /// entry number.
    pub fn insert_many(&mut self, templates: &[FaceTemplate]) -> usize {
        let first = self.len();
        for template in templates {
            self.vectors.extend_from_slice(&template.embedding);
        }
        let items: Vec<(&[f32], usize)> =
            templates.iter().enumerate().map(|(offset, template)| (&template.embedding[..], first + offset)).collect();
        self.graph.parallel_insert_slice(&items);
        first
    }

    /// The stored template of an entry.
    pub fn vector(&self, entry: usize) -> Option<&[f32]> {
        self.vectors.get(entry * EMBEDDING_LEN..(entry + 1) * EMBEDDING_LEN)
    }

    /// The `k` most similar entries by the graph, most similar first.
    pub fn search(&self, probe: &FaceTemplate, k: usize) -> Vec<Hit> {
        if self.is_empty() || k == 0 {
            return Vec::new();
        }
        let ef = self.parameters.ef_search.max(k);
        let mut hits: Vec<Hit> = self
            .graph
            .search(&probe.embedding, k, ef)
            .into_iter()
            .map(|neighbour| Hit { entry: neighbour.d_id, similarity: 1.0 - neighbour.distance })
            .collect();
        hits.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(a.entry.cmp(&b.entry)));
        hits
    }

    /// The `k` most similar entries by comparing with every one, most similar first.
    pub fn search_exact(&self, probe: &FaceTemplate, k: usize) -> Vec<Hit> {
        let mut best: Vec<Hit> = Vec::with_capacity(k + 1);
        if k == 0 {
            return best;
        }
        for (entry, vector) in self.vectors.chunks_exact(EMBEDDING_LEN).enumerate() {
            let similarity = dot(&probe.embedding, vector);
            if best.len() == k && best.last().is_some_and(|worst| similarity <= worst.similarity) {
                continue;
            }
            let position = best.partition_point(|hit| hit.similarity >= similarity);
            best.insert(position, Hit { entry, similarity });
            best.truncate(k);
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_template(rng: &mut ChaCha8Rng) -> FaceTemplate {
        loop {
            let vector: Vec<f32> = (0..EMBEDDING_LEN).map(|_| rng.random_range(-1.0f32..1.0)).collect();
            if let Some(template) = FaceTemplate::from_vector(&vector) {
                return template;
            }
        }
    }

    fn noisy(template: &FaceTemplate, noise: f32, rng: &mut ChaCha8Rng) -> FaceTemplate {
        let vector: Vec<f32> =
            template.embedding.iter().map(|value| value + noise * rng.random_range(-1.0f32..1.0)).collect();
        FaceTemplate::from_vector(&vector).unwrap()
    }

    #[test]
    fn exact_search_ranks_by_similarity() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut index = FaceIndex::new(HnswParameters::default(), 100);
        let templates: Vec<FaceTemplate> = (0..100).map(|_| random_template(&mut rng)).collect();
        for template in &templates {
            index.insert(template);
        }
        let hits = index.search_exact(&templates[42], 5);
        assert_eq!(hits.len(), 5);
        assert_eq!(hits[0].entry, 42);
        assert!((hits[0].similarity - 1.0).abs() < 1e-5);
        assert!(hits.windows(2).all(|pair| pair[0].similarity >= pair[1].similarity));
        let everything: Vec<f32> = templates.iter().map(|t| t.similarity(&templates[42])).collect();
        let second_best =
            everything.iter().enumerate().filter(|(i, _)| *i != 42).map(|(_, s)| *s).fold(f32::MIN, f32::max);
        assert!((hits[1].similarity - second_best).abs() < 1e-6);
    }

    #[test]
    fn the_graph_agrees_with_exact_search_on_noisy_probes() {
        // 6,000 templates in 60 loose clusters (as embeddings of one population are not uniform),
        // probed with noisy copies of 300 of them: the graph's first hit must be the exact one for
        // at least 99% of probes. (`hospes bench identify` does the same at a million.)
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let centres: Vec<FaceTemplate> = (0..60).map(|_| random_template(&mut rng)).collect();
        let templates: Vec<FaceTemplate> =
            (0..6_000).map(|i| noisy(&centres[i % centres.len()], 0.12, &mut rng)).collect();
        let parameters = HnswParameters { max_connections: 16, ef_construction: 100, ef_search: 64 };
        let mut index = FaceIndex::new(parameters, templates.len());
        index.insert_many(&templates);
        assert_eq!(index.len(), templates.len());
        let probes: Vec<FaceTemplate> = (0..300).map(|i| noisy(&templates[i * 19], 0.03, &mut rng)).collect();
        let agreeing = probes
            .iter()
            .filter(|probe| {
                index.search(probe, 1).first().map(|hit| hit.entry)
                    == index.search_exact(probe, 1).first().map(|hit| hit.entry)
            })
            .count();
        assert!(agreeing * 100 >= probes.len() * 99, "{agreeing} of {} agree", probes.len());
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = FaceIndex::new(HnswParameters::default(), 0);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let probe = random_template(&mut rng);
        assert!(index.search(&probe, 3).is_empty());
        assert!(index.search_exact(&probe, 3).is_empty());
    }
}
