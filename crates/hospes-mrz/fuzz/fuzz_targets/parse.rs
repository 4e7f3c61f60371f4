//! Any bytes, read as text, must never make the parser panic; whatever parses must encode back.

#![no_main]

use hospes_mrz::MachineReadableZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Some(reference) = chrono::NaiveDate::from_ymd_opt(2025, 1, 1) else {
        return;
    };
    if let Ok(zone) = MachineReadableZone::parse(&text, reference) {
        let _ = zone.fields().encode(zone.format());
    }
});
