"""The run shared by the benchmarks of template families printed by Chromium (HTML, office):
files made once per kind and seed, the dev corpus's content drawn through the templates, and
the scoring of bench_random_layouts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_random_layouts import (
    drawn_corpus,
    files_plan,
    layouts_parser,
    made_once,
    score_and_write,
)
from common import CACHE_DIR


@dataclass(frozen=True, slots=True)
class FamilyBench:
    """One family's names, files and options for the shared run."""

    name: str  # "html" -> cache folder html-layouts, results html_layouts
    drawn: str  # "HTML templates", as the tables name the drawn layouts
    version: str  # bumped when the templates or their printing change
    layout_names: Callable[[int, int], list[str]]
    generate: Callable[..., Any]  # (n, out, names, seed=, renderings=)
    write_external: Callable[..., Any]  # (content, name, out, rendering, seed)
    keys: Callable[[dict[str, Any]], dict[str, str]]
    options: tuple[str, ...]

    @property
    def cache(self) -> Path:
        """Where this family's files and reads are kept."""
        return CACHE_DIR / f"{self.name}-layouts"

    def generated(self, kind: str, names: list[str], count: int, seed: int) -> list[tuple]:
        """`count` printed files of one kind over `names` with their truths (cached)."""
        folder = self.cache / f"{kind}-n{len(names)}-{count}-seed{seed}-{self.version}"
        return made_once(
            folder,
            kind,
            lambda out, renderings: self.generate(
                count, out, names, seed=seed, renderings=tuple(renderings)
            ),
        )

    def corpus_files(
        self, corpus: Path, names: list[str], k: int, seed: int, limit: int | None
    ) -> list[tuple]:
        """The dev corpus's e-invoice content drawn through k of the templates each (cached)."""
        folder = self.cache / f"corpus-seed{seed}-{self.version}"
        return drawn_corpus(
            corpus,
            names,
            k,
            limit,
            folder,
            f"{self.name}-layouts-corpus:{seed}",
            lambda content, name, _stem: self.write_external(
                content, name, folder, "text-pdf", seed
            ),
        )


def run(bench: FamilyBench, doc: str | None) -> int:
    """Parse the command line, draw, read and score; exit status 0 (figures, not a gate)."""
    args = layouts_parser(doc, bench.drawn, k=2, scans=20).parse_args()
    names = bench.layout_names(args.n, args.seed)
    print(f"{len(names)} {bench.drawn} (seed {args.seed}), {args.k} text PDFs each")
    plan = files_plan(args, names, bench.generated, bench.corpus_files)
    score_and_write(
        args,
        names,
        plan,
        bench.cache,
        f"{bench.name}_layouts",
        bench.drawn,
        bench.keys,
        bench.options,
    )
    return 0
