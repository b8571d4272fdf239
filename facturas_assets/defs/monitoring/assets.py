"""The weekly drift report: current invoices from the database against the feature baseline."""

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
from pydantic import Field

from facturas_assets.defs.batches import OWNER
from facturas_assets.defs.monitoring.review import with_review_activity
from facturas_assets.defs.monitoring.window import Window, load_invoices, report_window
from facturas_assets.drift.detect import detect_against_baseline
from facturas_assets.drift.features import (
    BASELINE_NAME,
    BASELINE_PREFIX,
    Baseline,
    BaselineMismatch,
    invoice_features,
)
from facturas_assets.drift.html import render_html
from facturas_assets.drift.report import DriftReport
from facturas_assets.resources.database import DatabaseResource
from facturas_assets.resources.metrics import MetricsResource
from facturas_assets.resources.notifications import NotifierResource
from facturas_assets.resources.object_store import ObjectStore

DRIFT_REPORT_KEY = dg.AssetKey("drift_report")
REPORTS_PREFIX = "drift"

# The weekly report (drift_schedule, the old `detect_data_drift_aws`): Sundays 03:00 Madrid.
DRIFT_CRON = "0 3 * * 0"
DRIFT_TIMEZONE = "Europe/Madrid"
# A report must exist from each Sunday's run on (03:00, two hours to finish): weekly freshness.
WEEKLY_FRESHNESS = dg.FreshnessPolicy.cron(
    deadline_cron="0 5 * * 0", lower_bound_delta=timedelta(hours=2), timezone=DRIFT_TIMEZONE
)
# Besides the weekly schedule: a report after every new feature baseline (a new champion is
# judged against current invoices at once), never on a batch of invoice_rows. The window starts
# where the last report ended, so a report right after retraining sees few invoices and says
# "insufficient_data" rather than starting another retraining.
ON_NEW_BASELINE = dg.AutomationCondition.eager().allow(dg.AssetSelection.assets("feature_baseline"))


def report_id_for(end: datetime, run_id: str) -> str:
    """The report's own folder: the day, then time and run, so no two reports share one."""
    return f"{REPORTS_PREFIX}/{end:%Y-%m-%d}/{end:%H%M%S}-{run_id[:8]}"


class DriftReportConfig(dg.Config):
    """Window and thresholds of a drift report (defaults suit the weekly schedule)."""

    days: int = Field(default=7, description="Window length when there is no earlier report.")
    max_days: int = Field(default=35, description="The window never reaches back further.")
    since_last_report: bool = Field(
        default=True, description="Start where the last report ended (else: the last `days`)."
    )
    alpha: float = Field(default=0.05, description="False discovery rate across features.")
    effect_floor: float = Field(
        default=0.1, description="Smallest Wasserstein shift (reference std units) that counts."
    )
    psi_floor: float = Field(default=0.02, description="Smallest categorical PSI that counts.")
    min_samples: int = Field(default=200, description="Fewer current invoices: no verdict.")
    auc_floor: float = Field(default=0.6, description="Domain classifier AUC that means drift.")
    baseline_prefix: str = Field(
        default=BASELINE_PREFIX, description="Folder of the baseline in the models bucket."
    )


def _previous_report(context: dg.AssetExecutionContext) -> dict[str, Any] | None:
    """Window and verdict of the latest earlier drift_report materialization."""
    event = context.instance.get_latest_materialization_event(DRIFT_REPORT_KEY)
    if event is None or event.asset_materialization is None:
        return None
    metadata = event.asset_materialization.metadata
    return {
        key: metadata[key].value
        for key in ("window_start", "window_end", "verdict")
        if key in metadata
    }


def _load_baseline(models_store: ObjectStore, prefix: str) -> Baseline:
    """The stored baseline of the current feature set, or a Failure saying what to do."""
    where = models_store.uri(f"{prefix.strip('/')}/{BASELINE_NAME}.npy")
    try:
        baseline = Baseline.load(models_store, prefix)
    except FileNotFoundError:
        raise dg.Failure(
            description=f"no feature baseline at {where}: materialize feature_baseline first "
            "(it is built by training_job)",
            allow_retries=False,
        ) from None
    try:
        baseline.require_compatible()
    except BaselineMismatch as exc:
        raise dg.Failure(description=f"{where}: {exc}", allow_retries=False) from exc
    return baseline


def summary_markdown(report: DriftReport, window: Window, links: dict[str, str]) -> str:
    """The verdict, a link to this report's own HTML page, the reasons and per-feature table."""
    return (
        f"**{report.verdict}** — {window.describe()}\n\n"
        f"[Open the HTML report]({links['html']}) · [JSON]({links['json']})\n\n"
        + "".join(f"- {reason}\n" for reason in report.reasons)
        + "\n"
        + report.markdown_table()
    )


def _metadata(report: DriftReport, window: Window, links: dict[str, str]) -> dict[str, Any]:
    m = report.multivariate
    metadata: dict[str, Any] = {
        "verdict": report.verdict,
        "report_id": links["report_id"],
        "drifted_features": dg.MetadataValue.json(report.drifted_features),
        "feature_status": dg.MetadataValue.json(report.feature_statuses),
        "n_current": report.n_current,
        "n_reference": report.n_reference,
        "window_start": window.start.isoformat(),
        "window_end": window.end.isoformat(),
        "report_json": dg.MetadataValue.url(links["json"]),
        "report_html": dg.MetadataValue.url(links["html"]),
        "summary": dg.MetadataValue.md(summary_markdown(report, window, links)),
    }
    if m.auc is not None:
        metadata["domain_classifier_auc"] = dg.MetadataValue.float(m.auc)
    if report.review is not None:
        metadata["review"] = dg.MetadataValue.json(report.review)
    return metadata


def _notify_drift(
    notifier: NotifierResource, report: DriftReport, window: Window, html_link: str
) -> bool:
    auc = report.multivariate.auc
    return notifier.notify(
        report.summary() + f"\nReport: {html_link}\nRetraining will start (training_job).",
        title="Invoice data drift detected",
        fields={
            "Verdict": report.verdict,
            "Drifted features": ", ".join(report.drifted_features) or "none alone (joint drift)",
            "Domain classifier AUC": "–" if auc is None else f"{auc:.3f}",
            "Window": window.describe(),
        },
    )


@dg.asset(
    group_name="monitoring",
    owners=[OWNER],
    deps=["feature_baseline", "invoice_rows"],  # it reads the invoices loaded into MySQL
    kinds={"mysql", "s3", "python"},
    freshness_policy=WEEKLY_FRESHNESS,
    automation_condition=ON_NEW_BASELINE,
)
def drift_report(
    context: dg.AssetExecutionContext,
    config: DriftReportConfig,
    database: DatabaseResource,
    models_store: ObjectStore,
    drift_store: ObjectStore,
    notifier: NotifierResource,
    metrics: MetricsResource,
) -> dg.MaterializeResult:
    """Weekly drift report of new invoices vs the feature baseline (JSON + HTML in S3)."""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    window = report_window(
        now,
        _previous_report(context),
        days=config.days,
        max_days=config.max_days,
        since_last_report=config.since_last_report,
    )
    baseline = _load_baseline(models_store, config.baseline_prefix)
    heads, lines = load_invoices(database.engine(), window)
    context.log.info(f"{len(heads)} invoices loaded {window.describe()}")
    current = invoice_features(heads, lines)

    report_id = report_id_for(window.end, context.run_id)
    report = detect_against_baseline(
        baseline,
        current,
        alpha=config.alpha,
        effect_floor=config.effect_floor,
        psi_floor=config.psi_floor,
        min_samples=config.min_samples,
        auc_floor=config.auc_floor,
        context={
            "report_id": report_id,
            "window_start": window.start.isoformat(),
            "window_end": window.end.isoformat(),
            "baseline": models_store.uri(
                f"{config.baseline_prefix.strip('/')}/{BASELINE_NAME}.npy"
            ),
            "baseline_created_at": baseline.created_at,
            "run_id": context.run_id,
        },
    )
    report = with_review_activity(report, database.engine(), window, metrics)
    html = render_html(report, baseline.frame(), current)

    keys = {
        "json": f"{report_id}/report.json",
        "html": f"{report_id}/report.html",
        "features": f"{report_id}/current_features.parquet",
    }
    drift_store.write_bytes(keys["json"], report.to_json().encode(), "application/json")
    drift_store.write_bytes(keys["html"], html.encode(), "text/html; charset=utf-8")
    # The current features themselves, to investigate a drift without re-querying MySQL.
    buffer = io.BytesIO()
    current.reset_index().to_parquet(buffer, index=False)
    drift_store.write_bytes(keys["features"], buffer.getvalue(), "application/vnd.apache.parquet")
    links = {name: drift_store.uri(key) for name, key in keys.items()}
    links["report_id"] = report_id

    context.log.info(report.summary())
    metadata = _metadata(report, window, links)
    if report.verdict == "drift":
        metadata["notified"] = _notify_drift(notifier, report, window, links["html"])
    return dg.MaterializeResult(metadata=metadata)
