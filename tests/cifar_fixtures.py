"""Small CIFAR-10 files in the official binary layout, for tests/test_datasets.py and test_downloads.py.

A batch file is a run of 3,073-byte records: one label byte (0-9), then the 1,024 red, 1,024
green and 1,024 blue bytes of a 32 × 32 image, each plane row by row. The bytes are written
here plane by plane (``image[:, :, c].tobytes()``), the layout's definition, so the tests do
not share the parser's reshape. Imported as a plain module (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from pathlib import Path

import numpy as np

#: The shared CIFAR-10 sample (a folder holding cifar-10-batches-bin/), read by the real-data tests;
#: the environment variable COURSE_CIFAR10_SAMPLE names another such folder.
SHARED_SAMPLE = Path(os.environ.get("COURSE_CIFAR10_SAMPLE")
                     or Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar-10-sample")

FOLDER = "cifar-10-batches-bin"
TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_FILE = "test_batch.bin"


def make_batch(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random uint8 images (n, 32, 32, 3) and int64 labels as balanced as n allows, shuffled."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)
    return X, rng.permutation(np.arange(n) % 10).astype(np.int64)


def batch_bytes(X: np.ndarray, y) -> bytes:
    """The contents of a batch file holding images ``X`` (n, 32, 32, 3) with labels ``y``."""
    return b"".join(bytes([int(label)]) + b"".join(image[:, :, c].tobytes() for c in range(3))
                    for image, label in zip(X, y))


def make_batches(num_train=20, num_test=10, train_files=TRAIN_FILES, seed=0) -> dict:
    """``{file name: (X, y)}`` for the given training batches and the test batch."""
    batches = {name: make_batch(num_train, seed + 10 * i) for i, name in enumerate(train_files)}
    batches[TEST_FILE] = make_batch(num_test, seed + 99)
    return batches


def write_folder(folder, batches) -> Path:
    """Write ``batches`` (from :func:`make_batches`) into ``folder`` (created)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (X, y) in batches.items():
        (folder / name).write_bytes(batch_bytes(X, y))
    return folder


def expected_train(batches) -> tuple[np.ndarray, np.ndarray]:
    """The training set a loader should build: the training batches present, in file order."""
    present = [name for name in TRAIN_FILES if name in batches]
    return (np.concatenate([batches[n][0] for n in present]),
            np.concatenate([batches[n][1] for n in present]))


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, None]:
    """A non-regular member: ``tarfile.SYMTYPE``, ``LNKTYPE``, ``DIRTYPE``, ``FIFOTYPE``."""
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info, None


def archive_bytes(batches, extra=(), extra_first=()) -> bytes:
    """A .tar.gz in the official layout (folder entry, batch files, meta) plus extra members."""
    members = [special(f"{FOLDER}/", tarfile.DIRTYPE)]
    members += [regular(f"{FOLDER}/{name}", batch_bytes(*batches[name]))
                for name in TRAIN_FILES + (TEST_FILE,) if name in batches]
    members.append(regular(f"{FOLDER}/batches.meta.txt", b"airplane\nautomobile\n"))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info, data in list(extra_first) + members + list(extra):
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
