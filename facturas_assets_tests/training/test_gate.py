"""The promotion gate's rules on metrics (the asset-level gate runs in test_training_assets)."""

from __future__ import annotations

from facturas_assets.documents.classifier import Metrics
from facturas_assets.training.gate import GateConfig, decide


def metrics(
    accuracy: float, f1: float | None = None, prev: float = 0.0, corr: float = 0.0
) -> Metrics:
    return Metrics(
        accuracy=accuracy,
        f1_macro=accuracy if f1 is None else f1,
        per_class_recall={"preventiva": prev or accuracy, "correctiva": corr or accuracy},
        loss=0.1,
        ece=0.01,
        brier=0.01,
        n=100,
    )


CONFIG = GateConfig(min_accuracy=0.9, min_f1_macro=0.9, max_metric_drop=0.01, max_recall_drop=0.02)


def test_first_model_is_gated_by_the_floor():
    verdict = decide(metrics(0.55), None, CONFIG)
    assert not verdict.promoted and verdict.alias == "challenger"
    assert any("below the floor" in r for r in verdict.reasons)
    assert decide(metrics(0.95), None, CONFIG).promoted


def test_f1_floor_alone_can_refuse():
    verdict = decide(metrics(0.95, f1=0.85), None, CONFIG)
    assert not verdict.promoted
    assert verdict.reasons == ["F1 0.8500 is below the floor 0.9"]


def test_no_worse_than_the_champion_beyond_the_margin():
    champion = metrics(0.99)
    assert decide(metrics(0.985), champion, CONFIG).promoted  # within the 0.01 margin
    verdict = decide(metrics(0.97), champion, CONFIG)
    assert not verdict.promoted
    assert any("worse than the champion" in r for r in verdict.reasons)


def test_per_class_recall_drop_is_refused_even_when_accuracy_holds():
    champion = metrics(0.98, prev=0.98, corr=0.98)
    candidate = metrics(0.98, prev=1.0, corr=0.95)
    verdict = decide(candidate, champion, CONFIG)
    assert not verdict.promoted
    assert verdict.reasons == [
        "recall of correctiva 0.9500 dropped from the champion's 0.9800 by more than 0.02"
    ]
    assert verdict.compared_with_champion


def test_a_better_model_replaces_the_champion():
    verdict = decide(metrics(0.995), metrics(0.97), CONFIG)
    assert verdict.promoted and verdict.alias == "champion"
    assert "champion comparison" in verdict.summary()
