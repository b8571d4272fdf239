"""The `facturas generate` click command."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from facturas_dev.synth import HELD_OUT_LAYOUTS
from facturas_dev.synth.command import generate_command


def test_generate_held_out_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        generate_command,
        [
            "--n",
            "6",
            "--out",
            str(tmp_path),
            "--seed",
            "5",
            "--renderings",
            "text-pdf",
            "--held-out-only",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("generated 6 invoices")
    truths = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(tmp_path.glob("*.truth.json"))
    ]
    assert len(truths) == 6 and len(list(tmp_path.glob("*.pdf"))) == 6
    assert {t["layout"] for t in truths} == set(HELD_OUT_LAYOUTS)


def test_generate_weights_and_exclusions(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        generate_command,
        [
            "--n",
            "4",
            "--out",
            str(tmp_path),
            "--renderings",
            "text-pdf=3,scan-pdf=1",
            "--exclude-layouts",
            ",".join(HELD_OUT_LAYOUTS),
            "--categories",
            "preventiva",
        ],
    )
    assert result.exit_code == 0, result.output
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*.truth.json")]
    assert sorted(t["rendering"] for t in truths) == [
        "scan-pdf",
        "text-pdf",
        "text-pdf",
        "text-pdf",
    ]
    assert {t["category"] for t in truths} == {"preventiva"}
    assert not {t["layout"] for t in truths} & set(HELD_OUT_LAYOUTS)


def test_generate_bad_input_is_a_usage_error(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_layout = runner.invoke(
        generate_command, ["--n", "2", "--out", str(tmp_path), "--layouts", "nope"]
    )
    assert bad_layout.exit_code == 2 and "unknown layout(s): nope" in bad_layout.output
    bad_weight = runner.invoke(
        generate_command, ["--n", "2", "--out", str(tmp_path), "--renderings", "text-pdf=x"]
    )
    assert bad_weight.exit_code == 2 and "not a number" in bad_weight.output
    both = runner.invoke(
        generate_command,
        ["--n", "2", "--out", str(tmp_path), "--layouts", "valles_banner", "--held-out-only"],
    )
    assert both.exit_code == 2
    assert not list(tmp_path.iterdir())
