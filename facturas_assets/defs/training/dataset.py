"""training_dataset: labelled invoices from Drive, read once, preprocessed into `.npy` arrays."""

import dagster as dg

from facturas_assets.documents.classifier.data import check_training_data
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets.training.dataset_store import Split, save_dataset
from facturas_assets.training.labelled_data import build_training_data
from facturas_assets.training.reviewed import load_reviewed

GROUP = "training"
OWNERS = ["team:ml"]
QUARANTINE_PREVIEW = 50
# Declared by key: the reviewed_corrections asset (reviewed.py) imports GROUP and OWNERS from here.
REVIEWED_CORRECTIONS = dg.AssetKey("reviewed_corrections")


def quarantine_markdown(quarantine: list[dict[str, str]]) -> str:
    """A Markdown table of quarantined files (first rows only)."""
    if not quarantine:
        return "none"
    rows = ["| file | split | reason |", "|---|---|---|"]
    for q in quarantine[:QUARANTINE_PREVIEW]:
        rows.append(f"| {q['path']} | {q['split']} | {q['reason'].replace('|', '/')} |")
    if len(quarantine) > QUARANTINE_PREVIEW:
        rows.append(f"| ... {len(quarantine) - QUARANTINE_PREVIEW} more | | |")
    return "\n".join(rows)


@dg.asset(
    group_name=GROUP,
    owners=OWNERS,
    kinds={"googledrive", "numpy", "s3"},
    deps=[REVIEWED_CORRECTIONS],
)
def training_dataset(
    context: dg.AssetExecutionContext, drive: DriveResource, models_store: ObjectStore
) -> dg.MaterializeResult:
    """Labelled invoices (Drive invoices_train / invoices_test, reviewed ones) as .npy arrays."""
    reviewed_version, reviewed = load_reviewed(models_store)
    data, quarantine = build_training_data(drive, context.log, reviewed)
    quarantine_meta = {
        "quarantined": dg.MetadataValue.int(len(quarantine)),
        "quarantine": dg.MetadataValue.md(quarantine_markdown(quarantine)),
    }
    for split in ("train", "test"):
        part: Split = getattr(data, split)
        try:
            check_training_data(part.texts, part.labels, what=f"{split} split")
        except ValueError as exc:
            raise dg.Failure(
                description=f"cannot build the training data set: {exc}",
                metadata={**quarantine_meta, "split": split, "documents_read": len(part)},
            ) from None
    keys = save_dataset(models_store, data)
    return dg.MaterializeResult(
        metadata={
            "data_hash": data.data_hash,
            "train_size": len(data.train),
            "test_size": len(data.test),
            "class_counts": dg.MetadataValue.json(data.manifest["counts"]),
            "duplicates_dropped": data.manifest["duplicates_dropped"],
            "reviewed_documents": len(reviewed),
            "reviewed_version": reviewed_version or "none",
            "location": models_store.uri(keys[-1]).rsplit("/", 1)[0],
            **quarantine_meta,
        },
        data_version=dg.DataVersion(data.data_hash),
    )
