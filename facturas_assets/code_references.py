"""Code references on every asset: the UI links each one to the function that computes it.

Locally the link is the file and line on this machine; in a git checkout whose `origin` is on
GitHub or GitLab (or with FACTURAS_GIT_URL set, e.g. in an image built from a known commit) it is
that file at that commit on the hosting site.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import warnings
from pathlib import Path

import dagster as dg
from dagster._record import copy

GIT_URL_ENV = "FACTURAS_GIT_URL"
GIT_REF_ENV = "FACTURAS_GIT_REF"
_GIT_TIMEOUT_S = 5


def _git(root: Path, *args: str) -> str | None:
    """One line of git's output in root, or None when git or the checkout is not there."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=_GIT_TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def browsable_url(remote: str) -> str | None:
    """The https address of a GitHub / GitLab remote (ssh or https form), else None."""
    url = remote.strip().removesuffix("/").removesuffix(".git")
    if url.startswith("git@") and ":" in url:
        host, path = url[len("git@") :].split(":", 1)
        url = f"https://{host}/{path}"
    elif url.startswith("ssh://git@"):
        url = "https://" + url[len("ssh://git@") :]
    if not url.startswith("https://") or not ("github" in url or "gitlab" in url):
        return None
    return url


def git_location(root: Path) -> tuple[str, str] | None:
    """(repository url, ref) to link to: the environment's, else the checkout's origin at HEAD."""
    url, ref = os.environ.get(GIT_URL_ENV), os.environ.get(GIT_REF_ENV)
    if url:
        return url.removesuffix("/"), ref or "main"
    if not (root / ".git").exists():
        return None
    remote = _git(root, "remote", "get-url", "origin")
    url = browsable_url(remote) if remote else None
    head = ref or _git(root, "rev-parse", "HEAD")
    return (url, head) if url and head else None


def with_local_reference(asset: object) -> object:
    """An asset definition whose specs name the file and line of its compute function.

    dg.with_source_code_references would take the file of a wrapper (stops_when_terminated)
    with the line of the function it wraps; unwrapping first keeps both from the same function.
    """
    if not isinstance(asset, dg.AssetsDefinition) or not isinstance(
        asset.node_def, dg.OpDefinition
    ):
        return asset
    compute = asset.node_def.compute_fn
    function = inspect.unwrap(getattr(compute, "decorated_fn", compute))
    reference = dg.LocalFileCodeReference(
        file_path=str(Path(inspect.getsourcefile(function) or "").resolve()),
        line_number=inspect.getsourcelines(function)[1],
    )
    value = dg.CodeReferencesMetadataValue(code_references=[reference])
    return asset.map_asset_specs(
        lambda spec: spec.merge_attributes(metadata={"dagster/code_references": value})
    )


def with_code_references(defs: dg.Definitions, project_root: Path) -> dg.Definitions:
    """defs with a code reference on every asset, linked to the hosting site when known."""
    # The autoloader finds one asset object in several modules; Dagster tells them apart by
    # identity, so each is mapped once.
    unique = list({id(asset): asset for asset in defs.assets or []}.values())
    location = git_location(project_root)
    with warnings.catch_warnings():
        # Code references are a beta API: the warning says nothing a user of `facturas` can act on.
        warnings.simplefilter("ignore", dg.BetaWarning)
        assets = [with_local_reference(asset) for asset in unique]
        if location is None:
            return copy(defs, assets=assets)
        anchor = Path(__file__)
        linked = dg.link_code_references_to_git(
            assets,
            git_url=location[0],
            git_branch=location[1],
            file_path_mapping=dg.AnchorBasedFilePathMapping(
                local_file_anchor=anchor,
                file_anchor_path_in_repository=str(anchor.relative_to(project_root)),
            ),
        )
    return copy(defs, assets=linked)
