"""The one Definitions object of the platform (workspace.yaml points here).

Every asset, check, job, schedule and sensor is found under `defs/` by the dg autoloader; every
asset gets its code reference, and the resources of the current environment (FACTURAS_ENV) are
bound here, in one place.
"""

from pathlib import Path

import dagster as dg
from dagster_shared.utils.config import discover_config_file

import facturas_assets.defs
from facturas_assets.code_references import with_code_references
from facturas_assets.resources import build_resources

PACKAGE_DIR = Path(__file__).parent


def load_defs_folder() -> dg.Definitions:
    """Everything under facturas_assets/defs, as `dg check defs` and `dagster dev` see it."""
    if discover_config_file(PACKAGE_DIR) is not None:
        return dg.load_from_defs_folder(path_within_project=PACKAGE_DIR)
    # An installed wheel (the Docker image) has no pyproject.toml above the package: load the
    # same defs module, with the package's parent standing in for the project root.
    return dg.ComponentTree.from_module(
        defs_module=facturas_assets.defs, project_root=PACKAGE_DIR.parent
    ).build_defs()


defs = dg.Definitions.merge(
    with_code_references(load_defs_folder(), PACKAGE_DIR.parent),
    dg.Definitions(resources=build_resources()),
)
