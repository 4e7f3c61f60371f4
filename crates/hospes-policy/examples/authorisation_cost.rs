//! Measures what an authorisation decision costs, cached and uncached. Not a test: timings depend on
//! the machine. Run with
//! `cargo run --release -p hospes-policy --example authorisation_cost`.

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use hospes_policy::authorisation::{Action, Authoriser, Principal, Purpose, Role};

fn principal(roles: &[Role]) -> Principal {
    Principal {
        subject: "officer-17".to_owned(),
        organisation: "border guard".to_owned(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        region: None,
        person_id: None,
    }
}

fn per_call(elapsed: Duration, calls: u32) -> String {
    let nanos = elapsed.as_nanos() as f64 / f64::from(calls);
    if nanos >= 1_000.0 { format!("{:.1} µs", nanos / 1_000.0) } else { format!("{nanos:.0} ns") }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let loads = 20;
    let started = Instant::now();
    for _ in 0..loads {
        black_box(Authoriser::default_policies()?);
    }
    println!("load and validate the default policies: {} per load", per_call(started.elapsed(), loads));

    let authoriser = Authoriser::default_policies()?;
    let officer = principal(&[Role::BorderOfficer]);
    let police_and_migration = principal(&[Role::PoliceOfficer, Role::MigrationOfficer]);
    let employer = principal(&[Role::Employer]);

    let uncached_calls = 2_000;
    for (label, caller, purpose) in [
        ("border_officer / border-check", &officer, Purpose::BorderCheck),
        (
            "police_officer+migration_officer / criminal-investigation",
            &police_and_migration,
            Purpose::CriminalInvestigation,
        ),
        ("employer / border-check (refused)", &employer, Purpose::BorderCheck),
    ] {
        let started = Instant::now();
        for _ in 0..uncached_calls {
            let _ = black_box(authoriser.categories_for_uncached(caller, purpose, false));
        }
        println!(
            "uncached (Cedar: declare_purpose + 25 categories + 7 actions), {label}: {} per decision",
            per_call(started.elapsed(), uncached_calls)
        );
    }

    let cached_calls = 2_000_000;
    authoriser.categories_for(&officer, Purpose::BorderCheck, false)?;
    let started = Instant::now();
    for _ in 0..cached_calls {
        let _ = black_box(authoriser.categories_for(black_box(&officer), Purpose::BorderCheck, false));
    }
    println!(
        "cached categories_for, border_officer / border-check: {} per call",
        per_call(started.elapsed(), cached_calls)
    );
    let started = Instant::now();
    for _ in 0..cached_calls {
        black_box(authoriser.may(black_box(&employer), Action::RunCheck, Purpose::RightToWork, false));
    }
    println!(
        "cached may, employer / run_check / right-to-work: {} per call",
        per_call(started.elapsed(), cached_calls)
    );

    // Two threads at once, as on the 2-core target: the read lock is shared.
    let threads = 2;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..cached_calls {
                    let _ = black_box(authoriser.categories_for(black_box(&officer), Purpose::BorderCheck, false));
                }
            });
        }
    });
    let elapsed = started.elapsed();
    println!(
        "cached categories_for on {threads} threads: {:.1} million decisions/s in total",
        f64::from(cached_calls * threads) / elapsed.as_secs_f64() / 1e6
    );
    Ok(())
}
