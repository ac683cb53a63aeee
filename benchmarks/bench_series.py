"""Wall time and peak memory of every notebook, each in a fresh kernel, against the course's goals.

Reference: on a 2-core machine, at most 15 s per notebook, 60 s for the series, 500 MB resident
memory per kernel (a small per-student JupyterHub limit). One row per notebook with the ratio to
each goal (≤ 1.00 meets it). Runs the notebooks with tools/run_notebooks.py's ``run_notebook``.

    python benchmarks/bench_series.py [--dataset cifar10-course|cifar10|mnist] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from course_lib import config

GOAL_SECONDS = 15.0
GOAL_TOTAL_SECONDS = 60.0
GOAL_MB = 500.0
RUNNER = Path(__file__).resolve().parents[1] / "tools" / "run_notebooks.py"


def load_runner():
    """tools/run_notebooks.py as a module (tools/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("run_notebooks", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_notebooks", module)
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--dataset", default=None, choices=config.DATASET_NAMES)
    args = parser.parse_args(argv)
    runner = load_runner()
    paths = args.notebooks or runner.course_notebooks()
    dataset = args.dataset or config.dataset_name_from_env()
    print(f"cores: {os.cpu_count()}, dataset: {dataset}")
    print(f"{'notebook':<28}{'status':<8}{'seconds':>9}{'/15 s':>8}{'peak MB':>9}{'/500 MB':>9}")
    total, ok = 0.0, True
    for path in paths:
        result = runner.run_notebook(path, dataset=dataset)
        total += result.seconds
        ok &= result.ok
        mb = result.peak_mb or float("nan")
        print(f"{path.name:<28}{'ok' if result.ok else 'FAILED':<8}{result.seconds:>9.1f}"
              f"{result.seconds / GOAL_SECONDS:>8.2f}{mb:>9.0f}{mb / GOAL_MB:>9.2f}")
    print(f"{'total':<36}{total:>9.1f}{total / GOAL_TOTAL_SECONDS:>8.2f}  (goal {GOAL_TOTAL_SECONDS:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
