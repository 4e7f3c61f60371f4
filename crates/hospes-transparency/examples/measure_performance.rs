//! Measures the costs that matter for the audit log on a million leaves. Run in release mode:
//!
//! ```text
//! cargo run --release -p hospes-transparency --example measure_performance [leaf count]
//! ```
//!
//! It times appends through the right edge (computing the root after every append), proof
//! generation from leaf hashes alone and with a [`PerfectSubtreeCache`], verification, and a full
//! audit replay. Figures are printed, not asserted: timings belong in documentation, not in tests.
//!
//! Measured once, release build, 1,000,000 leaves, on the project's shared 2-core development
//! machine under other builds' load (load average about 3), so read them as orders of magnitude:
//!
//! | operation                                              | time                     |
//! |--------------------------------------------------------|--------------------------|
//! | append one leaf and compute the new root               | 1.4 µs per leaf          |
//! | append only (the audit replay of 1M leaf hashes)       | 0.15 s in all            |
//! | root of 1M leaves from scratch (recursive definition)  | 0.17 s                   |
//! | inclusion proof from leaf hashes alone                 | 170 ms per proof         |
//! | building a cache (any level) from 1M leaf hashes       | 0.16–0.19 s              |
//! | inclusion proof, cache from level 0 (61 MiB)           | 2.9 µs                   |
//! | inclusion proof, cache from level 6 (1.0 MiB, default) | 13.5 µs                  |
//! | inclusion proof, cache from level 10 (0.06 MiB)        | 270 µs                   |
//! | consistency proof, cache from level 6                  | 10.5 µs                  |
//! | verifying an inclusion proof                           | 3–4 µs                   |

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use hospes_transparency::{
    CompactRange, ConsistencyProof, Hash, InclusionProof, LogAuditor, PerfectSubtreeCache, TreeHead, hash_leaf,
    root_hash_at,
};

/// A small deterministic generator for picking proof positions, so runs are comparable.
struct Positions(u64);

impl Positions {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

fn per_operation(total: Duration, count: u32) -> String {
    let nanoseconds = total.as_nanos() / u128::from(count.max(1));
    if nanoseconds >= 1_000_000 {
        format!("{:.2} ms", nanoseconds as f64 / 1e6)
    } else {
        format!("{:.2} µs", nanoseconds as f64 / 1e3)
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let leaf_count: u64 = std::env::args().nth(1).map(|text| text.parse()).transpose()?.unwrap_or(1_000_000);
    println!("leaves: {leaf_count}");

    let started = Instant::now();
    let leaf_hashes: Vec<Hash> =
        (0..leaf_count).map(|index| hash_leaf(format!("audit event {index}").as_bytes())).collect();
    println!("hash {leaf_count} leaves: {:.2?}", started.elapsed());

    let started = Instant::now();
    let mut right_edge = CompactRange::new();
    for leaf_hash in &leaf_hashes {
        right_edge.append(*leaf_hash)?;
        black_box(right_edge.root_hash());
    }
    let elapsed = started.elapsed();
    println!(
        "append + root after every append: {:.2?} in all, {} per leaf",
        elapsed,
        per_operation(elapsed, u32::try_from(leaf_count).unwrap_or(u32::MAX))
    );
    let root = right_edge.root_hash();

    let started = Instant::now();
    let recomputed = root_hash_at(&leaf_hashes, leaf_count)?;
    println!("root from scratch (recursive, for comparison): {:.2?}", started.elapsed());
    if recomputed != root {
        return Err("the right edge and the recursive definition disagree".into());
    }

    let mut positions = Positions(0x2545_f491_4f6c_dd1d);
    let uncached_runs = 5_u32;
    let started = Instant::now();
    for _ in 0..uncached_runs {
        let leaf_index = positions.next_below(leaf_count);
        black_box(InclusionProof::generate(&leaf_hashes, leaf_index, leaf_count)?);
    }
    println!(
        "inclusion proof, leaf hashes only: {} per proof ({uncached_runs} proofs)",
        per_operation(started.elapsed(), uncached_runs)
    );

    for lowest_cached_level in [0, PerfectSubtreeCache::DEFAULT_LOWEST_CACHED_LEVEL, 10] {
        let started = Instant::now();
        let cache = PerfectSubtreeCache::build(&leaf_hashes, lowest_cached_level)?;
        let build_time = started.elapsed();
        let source = cache.over(&leaf_hashes);

        let runs = 10_000_u32;
        let started = Instant::now();
        let mut proofs = Vec::with_capacity(runs as usize);
        for _ in 0..runs {
            let leaf_index = positions.next_below(leaf_count);
            proofs.push(InclusionProof::generate(&source, leaf_index, leaf_count)?);
        }
        let inclusion_time = started.elapsed();

        let started = Instant::now();
        for proof in &proofs {
            let leaf_hash = leaf_hashes.get(usize::try_from(proof.leaf_index)?).ok_or("leaf index out of range")?;
            proof.verify(leaf_hash, &root)?;
        }
        let verification_time = started.elapsed();

        let started = Instant::now();
        for _ in 0..runs {
            let first = 1 + positions.next_below(leaf_count - 1);
            black_box(ConsistencyProof::generate(&source, first, leaf_count)?);
        }
        let consistency_time = started.elapsed();

        println!(
            "cache from level {lowest_cached_level}: built in {build_time:.2?}, {} hashes ({:.1} MiB); \
             inclusion proof {}, verification {}, consistency proof {} (each over {runs} runs)",
            cache.cached_hash_count(),
            cache.cached_hash_count() as f64 * 32.0 / (1024.0 * 1024.0),
            per_operation(inclusion_time, runs),
            per_operation(verification_time, runs),
            per_operation(consistency_time, runs),
        );
    }

    let started = Instant::now();
    let mut auditor = LogAuditor::new([TreeHead { size: leaf_count, root_hash: root, timestamp: 0 }]);
    for leaf_hash in &leaf_hashes {
        auditor.push_leaf_hash(*leaf_hash)?;
    }
    let report = auditor.finish()?;
    println!("audit replay of {} leaf hashes against a tree head: {:.2?}", report.leaf_count, started.elapsed());
    Ok(())
}
