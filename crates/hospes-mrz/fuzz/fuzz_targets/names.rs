//! Any text must never make transliteration or the candidate search panic.

#![no_main]

use hospes_mrz::{TransliterationOptions, candidate_native_spellings, transliterate_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(mrz) = transliterate_name(&text, &TransliterationOptions::default()) {
        let _ = candidate_native_spellings(&mrz);
    }
    let _ = candidate_native_spellings(&text);
});
