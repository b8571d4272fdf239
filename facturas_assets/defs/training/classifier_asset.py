"""invoice_classifier: train, evaluate on the frozen test split, track in MLflow, gate, publish."""

import time
from typing import Any

import dagster as dg
from pydantic import Field

from facturas_assets import settings
from facturas_assets.defs.training.dataset import GROUP, OWNERS, training_dataset
from facturas_assets.documents.classifier.metrics import Metrics, evaluate
from facturas_assets.resources.database import DatabaseResource
from facturas_assets.resources.metrics import MetricsResource
from facturas_assets.resources.mlflow_tracking import MLflowResource, tracking_run
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.training.champion import (
    load_champion,
    promote_in_store,
    publish_model,
    version_prefix,
)
from facturas_assets.training.dataset_store import load_dataset
from facturas_assets.training.gate import GateConfig, GateVerdict, decide


class TrainingConfig(dg.Config):
    """Hyper-parameters and gate thresholds of one training run."""

    epochs: int = Field(default=12, description="Maximum epochs (early stopping on val loss).")
    batch_size: int = Field(default=32, description="Mini-batch size.")
    seed: int = Field(default=0, description="Random seed (splits, initialisation, shuffling).")
    min_accuracy: float = Field(default=0.9, description="Gate floor: test accuracy.")
    min_f1_macro: float = Field(default=0.9, description="Gate floor: test macro F1.")
    max_metric_drop: float = Field(
        default=0.01, description="Largest accuracy/F1 drop allowed against the champion."
    )
    max_recall_drop: float = Field(
        default=0.02, description="Largest per-class recall drop allowed against the champion."
    )

    def gate(self) -> GateConfig:
        """The gate thresholds."""
        return GateConfig(
            self.min_accuracy, self.min_f1_macro, self.max_metric_drop, self.max_recall_drop
        )


def _champion_metrics(
    store: Any, texts: list[str], labels: list[str], log: Any
) -> tuple[Metrics | None, str | None]:
    """The current champion re-evaluated on this test split (same yardstick as the candidate)."""
    champion = load_champion(store)
    if champion is None:
        return None, None
    log.info("evaluating the current champion on the same test split")
    return evaluate(champion, texts, labels), str(champion.metadata.get("version"))


def _record(database: DatabaseResource, row: dict[str, Any]) -> None:
    from facturas_assets.db.load import record_training_run

    record_training_run(database.engine(), row)


@dg.asset(
    group_name=GROUP,
    owners=OWNERS,
    deps=[training_dataset],
    kinds={"tensorflow", "mlflow", "s3", "mysql"},
    # training_job builds all three training assets in one run; this carries a data set
    # materialized on its own (from the UI) on to a model.
    automation_condition=dg.AutomationCondition.eager(),
)
def invoice_classifier(
    context: dg.AssetExecutionContext,
    config: TrainingConfig,
    models_store: ObjectStore,
    mlflow: MLflowResource,
    database: DatabaseResource,
    metrics: MetricsResource,
) -> dg.MaterializeResult:
    """The Keras preventiva/correctiva classifier, tracked in MLflow and promoted through a gate."""
    from facturas_assets.documents.classifier.keras_model import train_classifier
    from facturas_assets.training.registry import (
        CHALLENGER_ALIAS,
        CHAMPION_ALIAS,
        epoch_logger,
        log_and_register,
        set_alias,
    )

    store = models_store
    data = load_dataset(store)
    started = time.perf_counter()
    tags = {"data_hash": data.data_hash, "dagster_run_id": context.run_id}
    with tracking_run(mlflow, f"invoice_classifier {context.run_id[:8]}", tags) as run:
        run.client.log_param(run.run_id, "data_hash", data.data_hash)
        model = train_classifier(
            data.train.texts,
            data.train.labels,
            epochs=config.epochs,
            batch_size=config.batch_size,
            seed=config.seed,
            callbacks=[epoch_logger(run)],
            data_hash=data.data_hash,
        )
        params = {
            **model.metadata["params"],
            "train_size": len(data.train),
            "test_size": len(data.test),
        }
        for key, value in params.items():
            run.client.log_param(run.run_id, key, value)
        run.client.log_param(run.run_id, "temperature", round(model.temperature, 6))

        test = evaluate(model, data.test.texts, data.test.labels)
        for key, value in test.flat("test_").items():
            run.client.log_metric(run.run_id, key, value)
        champion, champion_version = _champion_metrics(
            store, data.test.texts, data.test.labels, context.log
        )
        verdict: GateVerdict = decide(test, champion, config.gate())
        context.log.info(f"gate: {verdict.summary()}")

        model.metadata.update(
            {"test_metrics": test.to_dict(), "gate": verdict.to_dict(), "mlflow_run_id": run.run_id}
        )
        version = log_and_register(
            run,
            model,
            {
                "data_hash": data.data_hash,
                "gate": verdict.alias,
                "accuracy": f"{test.accuracy:.6f}",
            },
        )
        model.metadata["version"] = version
        published = publish_model(store, model, version_prefix(version))
        if verdict.promoted:
            promote_in_store(store, version)
            set_alias(run, CHAMPION_ALIAS, version)
        else:
            set_alias(run, CHALLENGER_ALIAS, version)
        run.client.set_tag(run.run_id, "gate", verdict.summary()[:5000])
        run.client.set_tag(run.run_id, "model_version", version)
        run_link, mlflow_run_id = run.link, run.run_id

    duration = time.perf_counter() - started
    _record(
        database,
        {
            "run_id": context.run_id,
            "mlflow_run_id": mlflow_run_id,
            "model_name": run.registered_model_name,
            "model_version": version,
            "data_hash": data.data_hash,
            "train_size": len(data.train),
            "test_size": len(data.test),
            "accuracy": test.accuracy,
            "f1": test.f1_macro,
            "loss": test.loss,
            "per_class_recall": test.per_class_recall,
            "params": params,
            "duration_s": round(duration, 3),
            "promoted": verdict.promoted,
        },
    )
    dims = {"model": run.registered_model_name}
    metrics.put_metric(settings.METRIC_TRAINING_ACCURACY, test.accuracy, "None", dims)
    metrics.put_metric(settings.METRIC_TRAINING_LOSS, test.loss, "None", dims)

    return dg.MaterializeResult(
        metadata={
            "model_version": version,
            "alias": verdict.alias,
            "promoted": verdict.promoted,
            "gate": verdict.summary(),
            "gate_reasons": dg.MetadataValue.json(verdict.reasons),
            "champion_before": champion_version or "none",
            "champion_metrics": dg.MetadataValue.json(champion.to_dict() if champion else None),
            "test_metrics": dg.MetadataValue.json(test.to_dict()),
            "accuracy": test.accuracy,
            "f1_macro": test.f1_macro,
            "ece": test.ece,
            "brier": test.brier,
            "loss": test.loss,
            "temperature": model.temperature,
            "data_hash": data.data_hash,
            "mlflow_run": dg.MetadataValue.url(run_link)
            if run_link.startswith("http")
            else dg.MetadataValue.text(run_link),
            "mlflow_run_id": mlflow_run_id,
            "model_key": published["model"],
            "training_seconds": model.metadata["training_seconds"],
        },
        data_version=dg.DataVersion(f"{data.data_hash[:16]}-v{version}"),
    )
