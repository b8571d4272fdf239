"""Which loaded invoices a person should check: unsure fields, failed checks, unsure category."""

from __future__ import annotations

from facturas_assets.documents.model import InvoiceData
from facturas_assets.documents.validation import failed_checks
from facturas_assets.settings import ReviewSettings


def review_reasons(
    data: InvoiceData, category_probability: float, settings: ReviewSettings
) -> list[str]:
    """Coded reasons ("code: detail") to send the invoice to review; empty when it is sure."""
    reasons: list[str] = []
    for fields, minimum in (
        (settings.core_fields, settings.min_field_confidence),
        (settings.party_fields, settings.min_party_confidence),
    ):
        for name in fields:
            confidence = data.confidence.get(name, 0.0)
            if confidence < minimum:
                reasons.append(
                    f"low_confidence: {name} read with confidence {confidence:.2f}"
                    f" (< {minimum:.2f})"
                )
    # Validation checks that failed without blocking the load; notes of reading and extraction
    # (a page deskewed, descriptions mended) say how a value was read, not that it is doubtful.
    reasons.extend(f"failed_check: {w}" for w in failed_checks(data))
    low, high = settings.category_band
    if low <= category_probability <= high:
        reasons.append(
            f"unsure_category: probability {category_probability:.2f} within {low:.2f}..{high:.2f}"
        )
    return reasons


def reason_code(reason: str) -> str:
    """The code of a reason ("low_confidence: ..." -> "low_confidence")."""
    return reason.split(":", 1)[0]
