//! `hospes resolve` and `hospes explain-match`: resolution of the ledger into persons, and the
//! evidence behind a match.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::Context;
use hospes_model::{PersonId, RecordId};
use hospes_resolve::batch::{self, PlannedRecord, PlannedResolver};
use hospes_resolve::matching::explain::Explanation;
use hospes_resolve::matching::{MatchConfig, MatchRecord, Matcher, Preparer};
use hospes_resolve::probabilistic::Decisions;
use hospes_resolve::{ResolutionInput, explain_best_pair, rebuild, resolve_pending};
use hospes_store::links::PersonRedirect;
use hospes_store::{Store, StoreLocation};

use crate::cli::{ExplainMatchArgs, ResolveArgs};

/// Fewer records than this train a poor model: the one in use is kept.
const MIN_TRAINING_RECORDS: usize = 1_000;

pub async fn resolve(args: ResolveArgs) -> anyhow::Result<ExitCode> {
    let (location, store) = super::open(&args.store).await?;
    if !args.all {
        let resolver = super::resolver(&args.store, &location, store.clone())?;
        let report = resolve_pending(&*store, &*resolver).await?;
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }

    // 1. Match every record in the store at once, training the model on them.
    let model_path = args.model_out.clone().or_else(|| match &location {
        StoreLocation::Sqlite { data_dir } => Some(data_dir.join(hospes_resolve::probabilistic::MODEL_FILE_NAME)),
        StoreLocation::Postgres { .. } => None,
    });
    let started = std::time::Instant::now();
    let (preparer, planned) = prepare_all(&*store).await?;
    let records = preparer.len();
    let run = Matcher::new(MatchConfig::default()).run_prepared(preparer.finish());
    eprintln!("matched {records} records in {:.1} s", started.elapsed().as_secs_f64());
    match &model_path {
        Some(path) if records >= MIN_TRAINING_RECORDS => {
            std::fs::write(path, serde_json::to_string_pretty(&run.model)?)
                .with_context(|| format!("cannot write the model to {}", path.display()))?;
            eprintln!("the trained match model is saved to {} (ingestion uses it from now on)", path.display());
        }
        Some(_) => eprintln!("only {records} records: too few to train a model on; the model in use is kept"),
        None => eprintln!("PostgreSQL store and no --model-out: the trained model is not saved"),
    }

    // 2. Where each person id starts, so that ids that vanish can redirect.
    let first_records = first_record_of_each_person(&*store).await?;

    // 3. Resolve the whole ledger again from the plan, with officers' decisions applied.
    let decisions = Decisions::load(&*store).await?;
    let plan = batch::plan(&run, &planned, &decisions);
    drop(run);
    let started = std::time::Instant::now();
    let report = rebuild(&*store, &PlannedResolver::new(plan)).await?;
    let seconds = started.elapsed().as_secs_f64();

    // 4. Redirects for the ids that are gone.
    let records: Vec<RecordId> = first_records.values().copied().collect();
    let now_of = store.persons_for_records(&records).await?;
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut redirects = Vec::new();
    for (person, first) in &first_records {
        if store.person_exists(*person).await? {
            continue;
        }
        if let Some(survivor) = now_of.get(first) {
            redirects.push(PersonRedirect {
                person_id: *person,
                survivor: *survivor,
                redirected_at: at.clone(),
                reason: "resolution was run again and joined this person's records to another".to_owned(),
            });
        }
    }
    let mut transaction = store.begin_write().await?;
    transaction.insert_redirects(&redirects).await?;
    transaction.commit().await?;
    eprintln!(
        "resolved {} records into {} persons in {seconds:.1} s; {} identity links raised; {} person ids now redirect",
        report.records_resolved,
        store.counts().await?.persons,
        report.links_raised,
        redirects.len()
    );
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(ExitCode::SUCCESS)
}

/// Every record in the ledger, prepared for matching, and what the plan needs of each.
async fn prepare_all(store: &dyn Store) -> anyhow::Result<(Preparer, Vec<PlannedRecord>)> {
    let mut preparer = Preparer::new();
    let mut planned = Vec::new();
    // Read through a write transaction (rolled back): it reads unresolved records too.
    let mut transaction = store.begin_write().await?;
    let mut after = 0;
    loop {
        let page = transaction.records_after(after, 20_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for record in &page {
            let input = ResolutionInput::from_stored(record);
            preparer.push(&input.match_record);
            planned.push(PlannedRecord { record_id: input.record_id, seq: input.seq, supersedes: input.supersedes });
        }
    }
    drop(transaction);
    Ok((preparer, planned))
}

async fn first_record_of_each_person(store: &dyn Store) -> anyhow::Result<HashMap<PersonId, RecordId>> {
    let mut first = HashMap::new();
    let mut after = None;
    loop {
        let page = store.records_of_persons_after(after, 2_000).await?;
        let Some((last, _)) = page.last() else { break };
        after = Some(*last);
        for (person, records) in page {
            if let Some(record) = records.iter().min_by_key(|record| record.seq) {
                first.insert(person, record.envelope.record_id);
            }
        }
    }
    Ok(first)
}

/// The matchable forms of a record id, or of every record of a person id.
async fn records_named(store: &dyn Store, id: &str) -> anyhow::Result<Vec<MatchRecord>> {
    let uuid = PersonId::parse(id.trim()).with_context(|| format!("'{id}' is not a record or person id"))?.uuid();
    if let Some(record) = store.record(RecordId::from_uuid(uuid)).await? {
        return Ok(vec![ResolutionInput::from_stored(&record).match_record]);
    }
    let person = PersonId::from_uuid(uuid);
    let records = store.person_records(person).await?;
    anyhow::ensure!(!records.is_empty(), "no record or person {id} in the store");
    Ok(records.iter().map(|record| ResolutionInput::from_stored(record).match_record).collect())
}

pub async fn explain_match(args: ExplainMatchArgs) -> anyhow::Result<ExitCode> {
    let (location, store) = super::open(&args.store).await?;
    let resolver = super::resolver(&args.store, &location, store.clone())?;
    let left = records_named(&*store, &args.left).await?;
    let right = records_named(&*store, &args.right).await?;
    let (best, _) = explain_best_pair(&*resolver, &left, &right, usize::MAX).await?;
    let explanation = best.context("nothing to compare")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&explanation)?);
    } else {
        print_explanation(&explanation);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_explanation(explanation: &Explanation) {
    println!("{} vs {}", explanation.left, explanation.right);
    println!("{:<24} {:<18} {:>8} {:>8} {:>8}  agreed value", "field", "level", "m", "u", "weight");
    println!("{:<24} {:<18} {:>8} {:>8} {:>+8.2}", "(prior)", "", "", "", explanation.prior_weight);
    for field in &explanation.fields {
        if field.level == "missing" {
            continue;
        }
        let number = |value: Option<f64>| value.map_or("-".to_owned(), |value| format!("{value:.4}"));
        let weight = field.weight + field.term_frequency_adjustment;
        let value = field.agreed_value.as_deref().unwrap_or("");
        println!(
            "{:<24} {:<18} {:>8} {:>8} {:>+8.2}  {value}",
            field.field.as_str(),
            field.level,
            number(field.m),
            number(field.u),
            weight
        );
    }
    println!(
        "total match weight {:+.2} (probability {:.4}): {:?}",
        explanation.match_weight, explanation.match_probability, explanation.decision
    );
}
