//! The probabilistic resolver at ingestion, identity links, officers' decisions and rebuilds,
//! against both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking

use std::sync::Arc;

use hospes_ingest::{BatchLimits, ingest_batch};
use hospes_model::{Agency, AgencyId, Category, PersonId, RecordId, SourceRecordId};
use hospes_resolve::batch::{self, PlannedRecord, PlannedResolver};
use hospes_resolve::decisions::{DecideError, LinkDecision, decide_link};
use hospes_resolve::matching::MatchConfig;
use hospes_resolve::probabilistic::{Decisions, default_model};
use hospes_resolve::{MatchingResolver, persons_of, rebuild, resolve_pending};
use hospes_store::links::{LinkFilter, LinkKind, LinkOutcome};
use hospes_testkit::{TestStore, test_both_backends};

fn agency() -> Agency {
    Agency {
        id: AgencyId::parse("test_agency").unwrap(),
        name: "Test agency".into(),
        categories: Category::ALL.into_iter().collect(),
    }
}

fn record_id(source: &str) -> RecordId {
    RecordId::derive(&agency().id, &SourceRecordId::parse(source).unwrap(), 1)
}

fn resolver(test: &TestStore) -> MatchingResolver {
    MatchingResolver::new(test.store.clone(), default_model().unwrap(), MatchConfig::default())
}

/// A contacts record (the category with the fewest required fields) about `subject`.
fn about(id: &str, subject: &str) -> String {
    format!(
        r#"{{"record_id":"{id}","category":"contacts","kind":"phone","effective_from":"2024-03-02","legal_basis":"126-FZ","subject":{subject},"payload":{{"phone":"+998901234567"}}}}"#
    )
}

async fn ingest(test: &TestStore, lines: &[String]) {
    ingest_batch(&*test.store, &agency(), lines.join("\n").as_bytes(), &BatchLimits::default()).await.unwrap();
}

const PASSPORT: &str = r#"[{"kind":"passport","number":"FA1234567","issuing_country":"UZB"}]"#;

async fn one_human_across_scripts_and_agencies_is_one_person(test: &TestStore) {
    ingest(
        test,
        &[
            about("BORDER", &format!(r#"{{"names":[{{"surname":"YUSUPOV","given_names":"ALISHER"}}],"birth_date":"1990-04-12","sex":"M","documents":{PASSPORT}}}"#)),
            about("TAX", r#"{"names":[{"surname":"Юсупов","given_names":"Алишер","patronymic":"Бахтиёрович"}],"birth_date":"1990-04-12","sex":"M","taxpayer_number":"500100732259"}"#),
            about("EMPLOYER", r#"{"names":[{"surname":"Iusupov","given_names":"Alisher"}],"birth_date":"1990-04-12","taxpayer_number":"500100732259"}"#),
            // Day and month swapped, and the same passport.
            about("SWAPPED", &format!(r#"{{"names":[{{"surname":"YUSUPOV","given_names":"ALISHER"}}],"birth_date":"1990-12-04","documents":{PASSPORT}}}"#)),
            about("OTHER", r#"{"names":[{"surname":"KARIMOV","given_names":"RUSTAM"}],"birth_date":"1985-07-30","sex":"M"}"#),
        ],
    )
    .await;
    let resolver = resolver(test);
    let report = resolve_pending(&*test.store, &resolver).await.unwrap();
    assert_eq!(report.records_resolved, 5);
    let ids: Vec<RecordId> = ["BORDER", "TAX", "EMPLOYER", "SWAPPED", "OTHER"].iter().map(|id| record_id(id)).collect();
    let persons = persons_of(&*test.store, &ids).await.unwrap();
    let traveller = PersonId::first_named_by(ids[0]);
    for (id, name) in ids[..4].iter().zip(["border", "tax (Cyrillic)", "employer (other romanisation)", "swapped date"])
    {
        assert_eq!(persons[id], traveller, "the {name} record belongs to the traveller");
    }
    assert_eq!(persons[&ids[4]], PersonId::first_named_by(ids[4]), "someone else is someone else");
    assert_eq!(report.persons_created, 2);
}

async fn one_passport_behind_two_identities_is_suspected_fraud_until_decided(test: &TestStore) {
    ingest(
        test,
        &[
            about("REAL", &format!(r#"{{"names":[{{"surname":"YUSUPOV","given_names":"ALISHER"}}],"birth_date":"1990-04-12","sex":"M","documents":{PASSPORT}}}"#)),
            about("IMPOSTOR", &format!(r#"{{"names":[{{"surname":"PETROV","given_names":"SERGEI"}}],"birth_date":"1971-01-30","sex":"M","documents":{PASSPORT}}}"#)),
        ],
    )
    .await;
    let resolver = resolver(test);
    let report = resolve_pending(&*test.store, &resolver).await.unwrap();
    assert_eq!(report.persons_created, 2, "nothing is merged on a shared number alone");
    assert_eq!(report.links_raised, 1);
    let open = LinkFilter { open_only: true, limit: 10, ..LinkFilter::default() };
    let links = test.store.identity_links(open).await.unwrap();
    assert_eq!(links.len(), 1);
    let link = &links[0];
    assert_eq!(link.kind, LinkKind::SuspectedFraud);
    assert_eq!((link.left_record, link.right_record), (record_id("REAL"), record_id("IMPOSTOR")));
    assert!(link.reason.contains("official number"), "{}", link.reason);

    // The officer finds they are two humans: the link closes, and a rebuild keeps them apart
    // without raising it again.
    let decision = LinkDecision {
        link_id: link.link_id,
        outcome: LinkOutcome::Different,
        reason: "two travellers; the passport was forged".into(),
        officer: "officer-1".into(),
        organisation: "Migration".into(),
    };
    let decided = decide_link(&*test.store, &resolver, &decision).await.unwrap();
    assert_eq!(decided.merged, None);
    assert!(matches!(decide_link(&*test.store, &resolver, &decision).await, Err(DecideError::AlreadyDecided(_))));
    assert!(test.store.identity_links(open).await.unwrap().is_empty());
    let rebuilt = rebuild(&*test.store, &resolver).await.unwrap();
    assert_eq!((rebuilt.persons_created, rebuilt.links_raised), (2, 0));
    assert!(test.store.identity_links(open).await.unwrap().is_empty());
    let verification = hospes_store::system::verify_system_chain(&*test.store).await.unwrap();
    assert_eq!(verification.records_checked, 1, "the decision is in the system chain");
    assert_eq!(verification.first_problem, None);
}

async fn a_same_decision_merges_and_redirects_and_survives_a_rebuild(test: &TestStore) {
    ingest(
        test,
        &[
            about("FIRST", &format!(r#"{{"names":[{{"surname":"YUSUPOV","given_names":"ALISHER"}}],"birth_date":"1990-04-12","documents":{PASSPORT}}}"#)),
            // A new name after marriage and another birth date: only the passport says it is her.
            about("SECOND", &format!(r#"{{"names":[{{"surname":"ABDULLAEVA","given_names":"MALIKA"}}],"birth_date":"1993-02-21","documents":{PASSPORT}}}"#)),
        ],
    )
    .await;
    let resolver = Arc::new(resolver(test));
    resolve_pending(&*test.store, &*resolver).await.unwrap();
    let open = LinkFilter { open_only: true, limit: 10, ..LinkFilter::default() };
    let link = test.store.identity_links(open).await.unwrap().pop().expect("a link to review");
    let (first, second) = (PersonId::first_named_by(record_id("FIRST")), PersonId::first_named_by(record_id("SECOND")));
    assert_eq!((link.left_person, link.right_person), (first, second));
    let decided = decide_link(
        &*test.store,
        &*resolver,
        &LinkDecision {
            link_id: link.link_id,
            outcome: LinkOutcome::Same,
            reason: "the same passport holder; documents checked in person".into(),
            officer: "officer-1".into(),
            organisation: "Migration".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(decided.merged, Some((second, first)));
    assert!(!test.store.person_exists(second).await.unwrap());
    assert_eq!(test.store.redirect_of(second).await.unwrap().unwrap().survivor, first);
    assert_eq!(test.store.person_records(first).await.unwrap().len(), 2);

    // The index follows the merge: a new record like the second one joins the survivor.
    ingest(test, &[about("THIRD", &format!(r#"{{"names":[{{"surname":"ABDULLAEVA","given_names":"MALIKA"}}],"birth_date":"1993-02-21","documents":{PASSPORT}}}"#))]).await;
    resolve_pending(&*test.store, &*resolver).await.unwrap();
    assert_eq!(persons_of(&*test.store, &[record_id("THIRD")]).await.unwrap()[&record_id("THIRD")], first);

    // A rebuild from the ledger applies the decision again, with a fresh index.
    let fresh = MatchingResolver::new(test.store.clone(), default_model().unwrap(), MatchConfig::default());
    rebuild(&*test.store, &fresh).await.unwrap();
    let ids = [record_id("FIRST"), record_id("SECOND"), record_id("THIRD")];
    let persons = persons_of(&*test.store, &ids).await.unwrap();
    assert!(ids.iter().all(|id| persons[id] == first), "{persons:?}");
}

async fn records_with_little_to_match_on_still_resolve_apart(test: &TestStore) {
    ingest(
        test,
        &[
            about("NO-NAME", r#"{"names":[],"birth_date":"1990-04-12","taxpayer_number":"500100732259"}"#),
            about("HAN", r#"{"names":[{"surname":"李","given_names":"小龍"}],"birth_date":"1990-04-12"}"#),
            about("HAN-2", r#"{"names":[{"surname":"李","given_names":"小龍"}],"birth_date":"1990-04-12"}"#),
        ],
    )
    .await;
    let resolver = resolver(test);
    let report = resolve_pending(&*test.store, &resolver).await.unwrap();
    assert_eq!(report.records_resolved, 3);
    assert_eq!(report.hard_to_match, 3, "each is resolved with a warning");
    assert_eq!(report.persons_created, 3, "nothing is merged on a birth date and an unreadable name");
}

/// `hospes resolve --all`'s path: one batch match over the ledger, officers' decisions on top.
async fn a_batch_rebuild_applies_decisions(test: &TestStore) {
    ingest(
        test,
        &[
            about("FIRST", &format!(r#"{{"names":[{{"surname":"YUSUPOV","given_names":"ALISHER"}}],"birth_date":"1990-04-12","documents":{PASSPORT}}}"#)),
            about("SECOND", &format!(r#"{{"names":[{{"surname":"ABDULLAEVA","given_names":"MALIKA"}}],"birth_date":"1993-02-21","documents":{PASSPORT}}}"#)),
        ],
    )
    .await;
    let resolver = resolver(test);
    resolve_pending(&*test.store, &resolver).await.unwrap();
    let open = LinkFilter { open_only: true, limit: 10, ..LinkFilter::default() };
    let link = test.store.identity_links(open).await.unwrap().pop().expect("a link to review");
    let decision = LinkDecision {
        link_id: link.link_id,
        outcome: LinkOutcome::Same,
        reason: "one holder".into(),
        officer: "officer-1".into(),
        organisation: "Migration".into(),
    };
    decide_link(&*test.store, &resolver, &decision).await.unwrap();

    // The plan, as `hospes resolve --all` makes it.
    let mut transaction = test.store.begin_write().await.unwrap();
    let stored = transaction.records_after(0, 100).await.unwrap();
    drop(transaction);
    let inputs: Vec<hospes_resolve::ResolutionInput> =
        stored.iter().map(hospes_resolve::ResolutionInput::from_stored).collect();
    let records: Vec<hospes_resolve::matching::MatchRecord> =
        inputs.iter().map(|input| input.match_record.clone()).collect();
    let run = hospes_resolve::matching::Matcher::new(MatchConfig::default()).run(&records);
    let planned: Vec<PlannedRecord> = inputs
        .iter()
        .map(|input| PlannedRecord { record_id: input.record_id, seq: input.seq, supersedes: input.supersedes.clone() })
        .collect();
    let decisions = Decisions::load(&*test.store).await.unwrap();
    let plan = batch::plan(&run, &planned, &decisions);
    rebuild(&*test.store, &PlannedResolver::new(plan)).await.unwrap();
    let ids = [record_id("FIRST"), record_id("SECOND")];
    let persons = persons_of(&*test.store, &ids).await.unwrap();
    let first = PersonId::first_named_by(ids[0]);
    assert!(ids.iter().all(|id| persons[id] == first), "the officer's decision joins them: {persons:?}");
    assert!(test.store.identity_links(open).await.unwrap().is_empty(), "a decided pair is not raised again");
}

test_both_backends!(
    one_human_across_scripts_and_agencies_is_one_person,
    one_passport_behind_two_identities_is_suspected_fraud_until_decided,
    a_same_decision_merges_and_redirects_and_survives_a_rebuild,
    records_with_little_to_match_on_still_resolve_apart,
    a_batch_rebuild_applies_decisions,
);
