//! The same seed, `as_of` and size give the same bytes; a person does not depend on the others.

use std::collections::BTreeMap;
use std::path::Path;

use hospes_synth::{Population, write_population_in_chunks};

use crate::common::config;

fn files(directory: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

fn written(seed: u64, people: usize, chunk: usize) -> BTreeMap<String, Vec<u8>> {
    let directory = tempfile::tempdir().unwrap();
    let population = Population::new(&config(people, seed)).unwrap();
    write_population_in_chunks(&population, directory.path(), chunk, |_| {}).unwrap();
    files(directory.path())
}

#[test]
fn the_same_seed_gives_the_same_bytes_whatever_the_chunking() {
    let in_memory = written(3, 400, 10_000);
    let in_runs = written(3, 400, 37);
    assert_eq!(in_memory.keys().collect::<Vec<_>>(), in_runs.keys().collect::<Vec<_>>());
    assert_eq!(in_memory.len(), 16, "fifteen agencies and the truth");
    for (name, bytes) in &in_memory {
        assert!(bytes == &in_runs[name], "{name} differs between chunkings");
    }
    assert_eq!(in_memory, written(3, 400, 10_000));
}

#[test]
fn another_seed_gives_other_records() {
    let first = written(3, 200, 10_000);
    let second = written(4, 200, 10_000);
    for agency in ["border_service.ndjson", "migration_service.ndjson", "tax_service.ndjson", "truth.csv"] {
        assert_ne!(first[agency], second[agency], "{agency}");
    }
}

#[test]
fn a_person_is_the_same_alone_or_in_a_larger_population() {
    let large = Population::new(&config(3000, 9)).unwrap();
    for index in [0usize, 1, 2, 3, 4, 5, 1234, 2999] {
        let alone = Population::new(&config(index + 1, 9)).unwrap();
        let in_small = alone.person(index).unwrap();
        let in_large = large.person(index).unwrap();
        assert_eq!(in_small.records(), in_large.records(), "person {index}");
        assert_eq!(in_small.person_id, in_large.person_id);
        assert_eq!(in_small.facts, in_large.facts);
    }
    assert!(large.person(3000).is_err());
}
