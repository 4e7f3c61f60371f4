//! The generator works without the shared names data, and says so.

use hospes_synth::{Population, SynthConfig};

use crate::common::as_of;

#[test]
fn a_missing_names_directory_falls_back_to_the_built_in_lists_with_a_warning() {
    let directory = tempfile::tempdir().unwrap();
    let config =
        SynthConfig { people: 150, seed: 5, as_of: as_of(), names_dir: Some(directory.path().join("no-such-folder")) };
    let population = Population::new(&config).unwrap();
    assert_eq!(population.warnings().len(), 1);
    assert!(population.warnings()[0].contains("no-such-folder"), "{:?}", population.warnings());
    let out = tempfile::tempdir().unwrap();
    let summary = hospes_synth::write_population(&config, out.path(), |_| {}).unwrap();
    assert!(summary.records > 150 * 10);
    assert_eq!(summary.warnings, population.warnings());
    assert!(summary.data_names_used.is_empty());
}

#[test]
fn the_shared_data_is_used_when_present() {
    let names = crate::common::names_dir();
    if !names.is_dir() {
        eprintln!("no shared names data at {}: nothing to check", names.display());
        return;
    }
    let population = Population::new(&crate::common::config(10, 1)).unwrap();
    assert!(population.warnings().is_empty(), "{:?}", population.warnings());
    let used = population.data_names_used();
    assert!(used.values().all(|count| *count > 20), "{used:?}");
}
