"""ensure_champion: a first run generates labelled invoices and trains a champion, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from facturas_assets.training.champion import load_champion
from facturas_assets.training.dataset_store import load_dataset
from facturas_assets_tests.training import corpus
from facturas_dev.bootstrap import ensure_champion


@pytest.mark.slow
def test_first_run_trains_a_champion_on_generated_invoices(
    facturas_home: Path, aws_env: str, mysql_url: str
):
    resources = corpus.training_resources(facturas_home, corpus.s3_models_store(aws_env), mysql_url)
    result = ensure_champion(
        resources,
        n=300,
        seed=3,
    )
    assert result.created and result.generated == 300
    assert result.champion_version == "1", result.gate

    drive_files = resources["drive"].list_files("invoices_train", True)
    assert {f.path.split("/")[1] for f in drive_files} == {"preventiva", "correctiva"}
    data = load_dataset(resources["models_store"])
    assert len(data.train) + len(data.test) == 300
    assert resources["models_store"].exists("baselines/baseline_caracteristicas.npy")

    champion = load_champion(resources["models_store"])
    (prediction,) = champion.predict([data.test.texts[0]])
    assert prediction.label == data.test.labels[0]

    again = ensure_champion(resources, n=300, seed=3)
    assert not again.created and again.champion_version == "1" and again.run_id is None
