"""Wall time and peak memory of every notebook, each in a fresh kernel (issue: performance).

Reference: the course's goals on a 2-core machine — at most 15 s per notebook, 60 s for the
series, 500 MB resident memory per kernel (a small per-student JupyterHub limit). Prints one
row per notebook with the ratio to each goal (≤ 1.00 meets it).

    python benchmarks/bench_series.py [--dataset mnist|cifar10] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from course_lib.run_notebooks import course_notebooks, run_notebook

GOAL_SECONDS = 15.0
GOAL_TOTAL_SECONDS = 60.0
GOAL_MB = 500.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--dataset", default=None, choices=("mnist", "cifar10"))
    args = parser.parse_args(argv)
    paths = args.notebooks or course_notebooks()
    print(f"cores: {os.cpu_count()}, dataset: {args.dataset or os.environ.get('COURSE_DATASET', 'mnist')}")
    print(f"{'notebook':<28}{'status':<8}{'seconds':>9}{'/15 s':>8}{'peak MB':>9}{'/500 MB':>9}")
    total, ok = 0.0, True
    for path in paths:
        r = run_notebook(path, dataset=args.dataset)
        total += r.seconds
        ok &= r.ok
        mb = r.peak_rss_mb or float("nan")
        print(f"{path.name:<28}{'ok' if r.ok else 'FAILED':<8}{r.seconds:>9.1f}{r.seconds / GOAL_SECONDS:>8.2f}"
              f"{mb:>9.0f}{mb / GOAL_MB:>9.2f}")
    print(f"{'total':<36}{total:>9.1f}{total / GOAL_TOTAL_SECONDS:>8.2f}  (goal {GOAL_TOTAL_SECONDS:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
