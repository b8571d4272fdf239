"""The training assets end to end: real MLflow (SQLite), MariaDB tracking rows, S3 models store."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import mlflow
import pytest
import sqlalchemy as sa

from facturas_assets.defs.training import (
    feature_baseline,
    invoice_classifier,
    load_champion,
    training_dataset,
)
from facturas_assets.training.dataset_store import load_dataset
from facturas_assets_tests.training import corpus

TRAIN_CONFIG = {"ops": {"invoice_classifier": {"config": {"epochs": 6}}}}
ALL = [training_dataset, invoice_classifier, feature_baseline]


@pytest.fixture
def resources(facturas_home: Path, aws_env: str, mysql_url: str) -> dict:
    return corpus.training_resources(facturas_home, corpus.s3_models_store(aws_env), mysql_url)


def drive_root(resources: dict) -> Path:
    return Path(resources["drive"].root)


def run(assets, resources, raise_on_error=True) -> dg.ExecuteInProcessResult:
    config = TRAIN_CONFIG if invoice_classifier in assets else None
    return dg.materialize(
        assets, resources=resources, run_config=config, raise_on_error=raise_on_error
    )


def classifier_meta(result: dg.ExecuteInProcessResult) -> dict:
    (event,) = result.asset_materializations_for_node("invoice_classifier")
    return {k: v.value for k, v in event.metadata.items()}


def tracking_rows(resources: dict) -> list[dict]:
    with resources["database"].engine().connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM tracking ORDER BY id")).mappings().all()
    return [dict(r) for r in rows]


@pytest.mark.slow
def test_only_models_that_pass_the_gate_become_champion(resources):
    root = drive_root(resources)
    uri = resources["mlflow"].tracking_uri
    client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)

    # 1. The first model ever, trained on labels assigned at random: chance level, never promoted.
    corpus.populate(root, shuffle_train_labels=True)
    result = run(ALL, resources, raise_on_error=False)
    meta = classifier_meta(result)
    assert meta["promoted"] is False and meta["alias"] == "challenger"
    assert meta["accuracy"] < 0.8
    assert "below the floor" in meta["gate"]
    assert load_champion(resources["models_store"]) is None
    assert str(client.get_model_version_by_alias("invoice_classifier", "challenger").version) == "1"
    with pytest.raises(mlflow.exceptions.MlflowException):
        client.get_model_version_by_alias("invoice_classifier", "champion")
    baseline_failure = result.failure_data_for_node("feature_baseline")
    assert baseline_failure is not None and "no champion" in baseline_failure.error.message

    # 2. The same invoices labelled correctly: passes the floor and becomes champion.
    corpus.clear(root, "invoices_train")
    corpus.populate(root)
    result = run(ALL, resources)
    meta = classifier_meta(result)
    assert meta["promoted"] is True and meta["alias"] == "champion"
    assert meta["accuracy"] >= 0.95 and meta["model_version"] == "2"
    champion = load_champion(resources["models_store"])
    assert champion is not None and champion.metadata["version"] == "2"
    data = load_dataset(resources["models_store"])
    assert champion.metadata["data_hash"] == data.data_hash == meta["data_hash"]
    assert str(client.get_model_version_by_alias("invoice_classifier", "champion").version) == "2"
    store = resources["models_store"]
    assert store.exists("invoice_classifier/2/model.keras")
    assert store.exists("invoice_classifier/1/model.keras")  # the challenger is kept too

    # MLflow holds the params, per-epoch metrics, the data hash and the logged model.
    mlflow_run = client.get_run(meta["mlflow_run_id"])
    assert mlflow_run.info.status == "FINISHED"
    assert mlflow_run.data.params["data_hash"] == data.data_hash
    assert mlflow_run.data.tags["data_hash"] == data.data_hash
    history = client.get_metric_history(meta["mlflow_run_id"], "val_loss")
    assert [m.step for m in history] == list(range(len(history))) and len(history) >= 2
    assert mlflow_run.data.metrics["test_accuracy"] == pytest.approx(meta["accuracy"])

    # The baseline is built from the champion on the test split.
    (event,) = result.asset_materializations_for_node("feature_baseline")
    assert event.metadata["sample_size"].value == len(data.test) == 60
    assert event.metadata["model_version"].value == "2"
    assert store.exists("baselines/baseline_caracteristicas.npy")
    scores = json.loads(store.read_bytes("baselines/model_scores.json"))
    assert scores["sample_size"] == 60 and scores["model_version"] == "2"

    # 3. A worse model after it stays challenger; the champion does not change.
    corpus.clear(root, "invoices_train")
    corpus.populate(root, shuffle_train_labels=True)
    meta = classifier_meta(run([training_dataset, invoice_classifier], resources))
    assert meta["promoted"] is False and meta["champion_before"] == "2"
    assert str(client.get_model_version_by_alias("invoice_classifier", "champion").version) == "2"
    assert str(client.get_model_version_by_alias("invoice_classifier", "challenger").version) == "3"
    assert load_champion(store).metadata["version"] == "2"

    rows = tracking_rows(resources)
    assert [(r["model_version"], bool(r["promoted"])) for r in rows] == [
        ("1", False),
        ("2", True),
        ("3", False),
    ]
    assert rows[1]["data_hash"] != rows[0]["data_hash"]
    assert rows[1]["test_size"] == 60 and rows[1]["accuracy"] >= 0.95


def test_corrupt_and_unlabelled_files_are_quarantined(resources):
    root = drive_root(resources)
    corpus.populate(root, n_train=40, n_test=20)
    train = root / "invoices_train"
    (train / "preventiva" / "empty.pdf").write_bytes(b"")
    (train / "preventiva" / "truncated.pdf").write_bytes(
        (train / "preventiva" / "tr_0000.pdf").read_bytes()[:300]
    )
    (train / "correctivos" / "garbage.pdf").write_bytes(b"this is not a pdf at all " * 20)
    (train / "loose.pdf").write_bytes((train / "preventiva" / "tr_0002.pdf").read_bytes())
    (train / "badtruth.pdf").write_bytes((train / "preventiva" / "tr_0004.pdf").read_bytes())
    (train / "badtruth.truth.json").write_text('{"category": "garantia"}')

    result = run([training_dataset], resources)
    (event,) = result.asset_materializations_for_node("training_dataset")
    assert event.metadata["quarantined"].value == 5
    data = load_dataset(resources["models_store"])
    reasons = {Path(q["path"]).name: q["reason"] for q in data.manifest["quarantine"]}
    assert set(reasons) == {
        "empty.pdf",
        "truncated.pdf",
        "garbage.pdf",
        "loose.pdf",
        "badtruth.pdf",
    }
    assert reasons["empty.pdf"].startswith("empty_file")
    assert reasons["loose.pdf"].startswith("no_label")
    assert reasons["badtruth.pdf"].startswith("bad_label") and "garantia" in reasons["badtruth.pdf"]
    assert "empty.pdf" in event.metadata["quarantine"].value
    assert len(data.train) == 40 and len(data.test) == 20


def test_the_data_hash_names_the_exact_data(resources):
    root = drive_root(resources)
    corpus.populate(root, n_train=30, n_test=20)
    run([training_dataset], resources)
    first = load_dataset(resources["models_store"]).data_hash
    run([training_dataset], resources)
    assert load_dataset(resources["models_store"]).data_hash == first
    # A duplicate of a test file put into train is dropped from train (no leakage) and listed.
    test_file = next((root / "invoices_test" / "preventiva").iterdir())
    (root / "invoices_train" / "preventiva" / "copy.pdf").write_bytes(test_file.read_bytes())
    run([training_dataset], resources)
    data = load_dataset(resources["models_store"])
    assert data.data_hash == first
    assert any(
        q["reason"].startswith("duplicate_of_test_file") for q in data.manifest["quarantine"]
    )
    (root / "invoices_train" / "preventiva" / "tr_0000.pdf").unlink()
    run([training_dataset], resources)
    assert load_dataset(resources["models_store"]).data_hash != first


def test_empty_training_folders_fail_clearly(resources):
    result = run([training_dataset], resources, raise_on_error=False)
    failure = result.failure_data_for_node("training_dataset")
    assert failure is not None and "train split data is empty" in failure.error.message


def test_one_class_only_fails_clearly(resources):
    root = drive_root(resources)
    texts, _ = corpus.labelled_texts(20)
    corpus.write_split(root, "invoices_train", texts, ["preventiva"] * 20, "tr")
    corpus.write_split(root, "invoices_test", texts[:10], ["preventiva", "correctiva"] * 5, "te")
    result = run([training_dataset], resources, raise_on_error=False)
    failure = result.failure_data_for_node("training_dataset")
    assert failure is not None and "only one class" in failure.error.message
    assert not resources["models_store"].exists("datasets/latest.json")
