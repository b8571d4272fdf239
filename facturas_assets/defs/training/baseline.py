"""feature_baseline: the reference feature distributions the weekly drift report compares against.

Built on the frozen test split (data the model never trained on) with the champion model, the
same way the ETL scores invoices: the numeric/categorical features of `drift.features` (the old
`baseline_caracteristicas.npy`) plus the champion's score distribution (`model_scores.npy`).
"""

import io
import json

import dagster as dg
import numpy as np

from facturas_assets.defs.training.classifier_asset import invoice_classifier
from facturas_assets.defs.training.dataset import GROUP, OWNERS
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.training.champion import champion_info, load_champion
from facturas_assets.training.dataset_store import load_dataset
from facturas_assets.training.scoring import invoice_frames, score_summary

BASELINE_PREFIX = "baselines"
SCORES_KEY = f"{BASELINE_PREFIX}/model_scores.npy"
SCORES_META_KEY = f"{BASELINE_PREFIX}/model_scores.json"


@dg.asset(
    group_name=GROUP,
    owners=OWNERS,
    deps=[invoice_classifier],
    kinds={"tensorflow", "numpy", "s3"},
    # A model trained on its own (outside training_job) is followed by its baseline.
    automation_condition=dg.AutomationCondition.eager(),
)
def feature_baseline(models_store: ObjectStore) -> dg.MaterializeResult:
    """Reference feature distributions and champion score distribution on the test split."""
    from facturas_assets.drift.features import FEATURES, Baseline, invoice_features

    store = models_store
    data = load_dataset(store)
    champion = load_champion(store)
    if champion is None:
        raise dg.Failure(
            description="no champion classifier yet: the baseline's scores must come from the "
            "model the ETL uses; train one that passes the gate first"
        )
    version = str((champion_info(store) or {}).get("version"))
    scores = champion.predict_proba(data.test.texts)  # probability of "correctiva"
    predictions = champion.predict(data.test.texts)
    invoices, lines = invoice_frames(
        data, [p.label for p in predictions], np.asarray([p.probability for p in predictions])
    )
    features = invoice_features(invoices, lines)
    summary = score_summary(scores)
    baseline = Baseline.from_frame(
        features,
        FEATURES,
        extra={
            "data_hash": data.data_hash,
            "model_version": version,
            "split": "test",
            "model_scores": summary,
        },
    )
    npy_key, meta_key = baseline.save(store, prefix=BASELINE_PREFIX)
    buffer = io.BytesIO()
    np.save(buffer, scores.astype("float64"), allow_pickle=False)
    store.write_bytes(SCORES_KEY, buffer.getvalue(), content_type="application/octet-stream")
    scores_meta = {
        **summary,
        "score": f"probability of {champion.labels[1]}",
        "model_version": version,
        "data_hash": data.data_hash,
    }
    store.write_bytes(
        SCORES_META_KEY, json.dumps(scores_meta, indent=2).encode(), "application/json"
    )
    numeric = [s.name for s in FEATURES if s.kind == "numeric"]
    return dg.MaterializeResult(
        metadata={
            "sample_size": baseline.sample_size,
            "feature_names": dg.MetadataValue.json(baseline.names),
            "feature_set_hash": baseline.feature_set_hash,
            "model_version": version,
            "data_hash": data.data_hash,
            "score_distribution": dg.MetadataValue.json(summary),
            "feature_means": dg.MetadataValue.json(
                {n: None if np.isnan(v) else float(v) for n, v in features[numeric].mean().items()}
            ),
            "baseline_key": npy_key,
            "metadata_key": meta_key,
            "scores_key": SCORES_KEY,
        },
        data_version=dg.DataVersion(f"{data.data_hash[:16]}-v{version}"),
    )
