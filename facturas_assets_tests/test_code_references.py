"""Every asset links to the function that computes it: locally, and on the hosting site."""

from __future__ import annotations

import subprocess
from pathlib import Path

import dagster as dg
import pytest

from facturas_assets.code_references import browsable_url, git_location, with_code_references
from facturas_assets.definitions import defs, load_defs_folder

REPO_ROOT = Path(__file__).resolve().parents[1]
REFERENCES = "dagster/code_references"


def _references(definitions: dg.Definitions) -> dict[str, list]:
    specs = [spec for asset in definitions.assets or [] for spec in asset.specs]
    return {spec.key.to_user_string(): spec.metadata[REFERENCES].code_references for spec in specs}


def test_every_asset_points_at_its_own_function() -> None:
    for key, (reference,) in _references(defs).items():
        lines = Path(reference.file_path).read_text().splitlines()
        # The reference starts at the decorators; the first definition after them is the asset's.
        first_def = next(
            line.strip() for line in lines[reference.line_number - 1 :] if line.startswith("def ")
        )
        assert first_def.startswith(f"def {key}("), (key, reference)


def test_with_a_repository_url_the_references_open_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FACTURAS_GIT_URL", "https://github.com/textil/facturas")
    monkeypatch.setenv("FACTURAS_GIT_REF", "0123abc")
    linked = _references(with_code_references(load_defs_folder(), REPO_ROOT))
    local = _references(defs)
    for key, (reference,) in linked.items():
        relative = Path(local[key][0].file_path).relative_to(REPO_ROOT)
        assert reference.url == (
            f"https://github.com/textil/facturas/tree/0123abc/{relative}"
            f"#L{local[key][0].line_number}"
        )


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("git@github.com:textil/facturas.git", "https://github.com/textil/facturas"),
        ("https://gitlab.com/textil/facturas.git/", "https://gitlab.com/textil/facturas"),
        ("ssh://git@github.com/textil/facturas", "https://github.com/textil/facturas"),
        ("/srv/git/facturas.git", None),
        ("https://example.org/facturas.git", None),
    ],
)
def test_remotes_become_browsable_addresses(remote: str, url: str | None) -> None:
    assert browsable_url(remote) == url


def test_a_checkout_links_to_its_origin_at_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FACTURAS_GIT_URL", raising=False)
    monkeypatch.delenv("FACTURAS_GIT_REF", raising=False)
    assert git_location(tmp_path) is None  # not a checkout: local references only

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=tmp_path, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    git("init", "-q")
    (tmp_path / "f").write_text("x")
    git("add", "f")
    git("commit", "-qm", "one")
    assert git_location(tmp_path) is None  # no origin: nowhere to link to
    git("remote", "add", "origin", "git@github.com:textil/facturas.git")
    assert git_location(tmp_path) == (
        "https://github.com/textil/facturas",
        git("rev-parse", "HEAD"),
    )
