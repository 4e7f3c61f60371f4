"""Runs Splink on the inputs `hospes bench resolve` reads, and prints one line of JSON with the same
figures: pairwise precision, recall and F1 from the clusters against the truth pairs, wall and CPU
seconds, and peak resident memory.

    splink_run.py --schema febrl --csv febrl3.csv --truth febrl3_truth.csv
    splink_run.py --schema febrl --csv febrl4a.csv --csv febrl4b.csv --truth febrl4_truth.csv
    splink_run.py --schema person --csv people.csv --truth people_truth.csv

The models follow Splink's own examples for these kinds of data (name comparisons with
Jaro-Winkler and term-frequency adjustment, date-of-birth comparisons that tolerate typos,
Damerau-Levenshtein on identifiers), with u from random sampling, m by expectation-maximisation
on two blocking rules, and the prior from deterministic rules. Pairs at or above a match
probability of 0.9 are linked and clustered by connected components, the same upper threshold
Hospes uses.
"""

import argparse
import json
import resource
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.9


def febrl_settings(link_type):
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="rec_id",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "given_name"),
            block_on("postcode", "surname"),
            block_on("soc_sec_id"),
            block_on("address_1", "street_number"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.8]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.8]).configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("state"),
        ],
    ), [block_on("given_name", "surname"), block_on("date_of_birth")], [
        "l.soc_sec_id = r.soc_sec_id and l.date_of_birth = r.date_of_birth",
        "l.given_name = r.given_name and l.surname = r.surname and l.date_of_birth = r.date_of_birth",
    ]


def person_settings(link_type):
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="rec_id",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("national_id"),
            block_on("patronymic", "birth_date"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison(
                "birth_date", input_is_string=True, datetime_format="%Y-%m-%d", invalid_dates_as_null=True
            ),
            cl.ExactMatch("sex"),
            cl.DamerauLevenshteinAtThresholds("national_id", [1, 2]),
            cl.JaroWinklerAtThresholds("city", [0.9]),
            cl.JaroWinklerAtThresholds("street", [0.9]),
            cl.ExactMatch("house"),
            cl.ExactMatch("postcode"),
        ],
    ), [block_on("given_name", "surname"), block_on("birth_date")], [
        "l.national_id = r.national_id and l.birth_date = r.birth_date",
        "l.given_name = r.given_name and l.surname = r.surname and l.birth_date = r.birth_date",
    ]


def load(connection, path, name):
    # Every column as text, empty strings as nulls (Splink treats nulls as missing).
    connection.execute(
        f"create table {name} as select * from read_csv(?, all_varchar = true, header = true)", [path]
    )
    columns = [row[0] for row in connection.execute(f"describe {name}").fetchall()]
    for column in columns:
        connection.execute(
            f'update {name} set "{column}" = nullif(trim(lower("{column}")), \'\') where "{column}" is not null'
        )
    return columns


def truth_entities(connection, truth_path, record_ids):
    """Entities from truth pairs: connected components (union-find); unpaired records alone."""
    parent = {record: record for record in record_ids}

    def find(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    rows = connection.execute("select * from read_csv(?, all_varchar = true, header = true)", [truth_path]).fetchall()
    for left, right in rows:
        left, right = left.strip().lower(), right.strip().lower()
        if left in parent and right in parent:
            a, b = find(left), find(right)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {record: find(record) for record in record_ids}


def pairwise(clusters, truth, source, link):
    """Precision, recall and F1 over pairs, counted from cluster sizes."""

    def pairs(groups):
        total = 0
        for counts in groups.values():
            if link:
                total += counts[0] * counts[1]
            else:
                n = counts[0] + counts[1]
                total += n * (n - 1) // 2
        return total

    predicted, true, both = {}, {}, {}
    for record, cluster in clusters.items():
        entity = truth[record]
        side = source[record]
        for table, key in ((predicted, cluster), (true, entity), (both, (cluster, entity))):
            table.setdefault(key, [0, 0])[side] += 1
    predicted_pairs, true_pairs, correct = pairs(predicted), pairs(true), pairs(both)
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "true_positives": correct,
        "precision": round(precision, 6),
        "recall": round(recall, 6),
        "f1": round(f1, 6),
    }


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", action="append", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--schema", choices=["febrl", "person"], default="febrl")
    args = parser.parse_args()
    link = len(args.csv) == 2
    link_type = "link_only" if link else "dedupe_only"

    connection = duckdb.connect()
    tables = []
    source = {}
    for index, path in enumerate(args.csv):
        name = f"input_{index}"
        load(connection, path, name)
        for (record,) in connection.execute(f"select rec_id from {name}").fetchall():
            source[record] = index
        tables.append(name)
    truth = truth_entities(connection, args.truth, list(source))

    settings, training_rules, deterministic_rules = (
        febrl_settings(link_type) if args.schema == "febrl" else person_settings(link_type)
    )
    wall_started, cpu_started = time.perf_counter(), cpu_seconds()
    db_api = DuckDBAPI(connection)
    frames = [db_api.register(table) for table in tables]
    linker = Linker(frames if link else frames[0], settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(deterministic_rules, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in training_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    )
    table = clustered.as_pyarrow_table()
    wall, cpu = time.perf_counter() - wall_started, cpu_seconds() - cpu_started
    comparisons = connection.execute(f"select count(*) from {predictions.physical_name}").fetchone()[0]

    ids = table.column("rec_id").to_pylist()
    cluster_ids = table.column("cluster_id").to_pylist()
    clusters = dict(zip(ids, cluster_ids))
    figures = {
        "tool": "splink",
        "splink_version": __import__("splink").__version__,
        "input": " + ".join(args.csv),
        "task": "link" if link else "dedupe",
        "records": len(source),
        **pairwise(clusters, truth, source, link),
        "pairs_above_threshold": comparisons,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        # ru_maxrss is in KiB on Linux.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 3),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
