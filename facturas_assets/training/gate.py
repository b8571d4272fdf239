"""The promotion gate: when a newly trained classifier may replace the champion."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from facturas_assets.documents.classifier.metrics import Metrics


@dataclass(frozen=True)
class GateConfig:
    """Thresholds of the gate, all on the frozen test split."""

    min_accuracy: float = 0.9
    min_f1_macro: float = 0.9
    max_metric_drop: float = 0.01  # accuracy / F1 below the champion's by at most this
    max_recall_drop: float = 0.02  # per-class recall below the champion's by at most this


@dataclass(frozen=True)
class GateVerdict:
    """Whether the candidate is promoted, and every reason it is not."""

    promoted: bool
    reasons: list[str] = field(default_factory=list)
    compared_with_champion: bool = False

    @property
    def alias(self) -> str:
        """The registry alias the candidate gets."""
        return "champion" if self.promoted else "challenger"

    def summary(self) -> str:
        """One line for logs and metadata."""
        if self.promoted:
            basis = "floor and champion comparison" if self.compared_with_champion else "floor"
            return f"promoted (passed the {basis})"
        return "not promoted: " + "; ".join(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**asdict(self), "alias": self.alias}


def decide(candidate: Metrics, champion: Metrics | None, config: GateConfig) -> GateVerdict:
    """Apply the floor (always, the first model too) and, when there is a champion, the margins."""
    reasons = []
    if candidate.accuracy < config.min_accuracy:
        reasons.append(
            f"accuracy {candidate.accuracy:.4f} is below the floor {config.min_accuracy}"
        )
    if candidate.f1_macro < config.min_f1_macro:
        reasons.append(f"F1 {candidate.f1_macro:.4f} is below the floor {config.min_f1_macro}")
    if champion is not None:
        for name in ("accuracy", "f1_macro"):
            new, old = getattr(candidate, name), getattr(champion, name)
            if new < old - config.max_metric_drop:
                reasons.append(
                    f"{name} {new:.4f} is worse than the champion's {old:.4f} by more than "
                    f"{config.max_metric_drop}"
                )
        for label, old in champion.per_class_recall.items():
            new = candidate.per_class_recall.get(label, 0.0)
            if new < old - config.max_recall_drop:
                reasons.append(
                    f"recall of {label} {new:.4f} dropped from the champion's {old:.4f} by more "
                    f"than {config.max_recall_drop}"
                )
    return GateVerdict(not reasons, reasons, compared_with_champion=champion is not None)
