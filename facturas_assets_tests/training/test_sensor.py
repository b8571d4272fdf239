"""labelled_data_sensor: one training run per settled change of the labelled-data folders."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from facturas_assets.defs.training import labelled_data_sensor
from facturas_assets.resources import LocalDrive
from facturas_assets_tests.training import corpus


def tick(drive: LocalDrive, cursor: str | None):
    with dg.build_sensor_context(cursor=cursor, resources={"drive": drive}) as context:
        return labelled_data_sensor.evaluate_tick(context)


def test_requests_training_once_new_labelled_files_settle(tmp_path: Path):
    drive = LocalDrive(root=str(tmp_path / "drive"))
    empty = tick(drive, None)
    assert not empty.run_requests and "empty" in empty.skip_message

    texts, labels = corpus.labelled_texts(4)
    corpus.write_split(tmp_path / "drive", "invoices_train", texts, labels, "tr")
    first = tick(drive, None)
    assert not first.run_requests and "settle" in first.skip_message
    second = tick(drive, first.cursor)
    (request,) = second.run_requests
    assert request.tags["facturas/labelled_files"] == "4"
    third = tick(drive, second.cursor)
    assert not third.run_requests and "no change" in third.skip_message

    # A new file in the test folder (plural folder name) is a new change: noted, then run.
    corpus.write_split(tmp_path / "drive", "invoices_test", texts[:1], ["correctiva"], "te")
    fourth = tick(drive, third.cursor)
    assert not fourth.run_requests
    (again,) = tick(drive, fourth.cursor).run_requests
    assert again.run_key != request.run_key


def test_the_sensor_targets_the_training_job():
    assert labelled_data_sensor.job_name == "training_job"
