"""Small CIFAR-10 files in the official *binary version* layout, built by the tests.

Layout (https://www.cs.toronto.edu/~kriz/cifar.html, "Binary version"): a batch file is a
sequence of 3,073-byte records; a record is one label byte (0-9), then the 1,024 red,
1,024 green and 1,024 blue bytes of a 32x32 image, each plane in row-major order. The
archive ``cifar-10-binary.tar.gz`` holds the folder ``cifar-10-batches-bin/`` with
``data_batch_1.bin`` ... ``data_batch_5.bin``, ``test_batch.bin``, ``batches.meta.txt``
(class names, one a line) and ``readme.html``.

The bytes are written here plane by plane (``image[:, :, c].tobytes()``), which is the
layout's definition, so the tests do not share the parser's reshape/transpose.
Imported by the tests as a plain module (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np

RECORD_BYTES = 3073
FOLDER = "cifar-10-batches-bin"
TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_FILE = "test_batch.bin"
META_FILE = "batches.meta.txt"
CLASS_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
#: The official batches.meta.txt ends with blank lines; so does this one.
META_TEXT = "\n".join(CLASS_NAMES) + "\n\n"


def make_images(n: int, seed: int) -> np.ndarray:
    """``n`` random uint8 images of shape (32, 32, 3)."""
    return np.random.default_rng(seed).integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)


def make_labels(n: int, seed: int, num_classes: int = 10) -> np.ndarray:
    """``n`` int64 labels, as balanced as ``n`` allows (class c appears n//10 or n//10+1 times), shuffled."""
    y = np.arange(n) % num_classes
    return np.random.default_rng(seed).permutation(y).astype(np.int64)


def record_bytes(label: int, image: np.ndarray) -> bytes:
    """One 3,073-byte record: label byte, then the R, G and B planes, each row-major."""
    image = np.asarray(image, dtype=np.uint8)
    assert image.shape == (32, 32, 3)
    return bytes([label]) + b"".join(image[:, :, c].tobytes(order="C") for c in range(3))


def batch_bytes(X: np.ndarray, y) -> bytes:
    """The contents of a batch file holding images ``X`` (n, 32, 32, 3) with labels ``y``."""
    return b"".join(record_bytes(int(label), image) for image, label in zip(X, y))


def make_batch(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random images and balanced labels for one batch of ``n`` records."""
    return make_images(n, seed), make_labels(n, seed + 1000)


def make_batches(
    num_train: int = 20, num_test: int = 10, train_files=TRAIN_FILES, seed: int = 0
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{file name: (X, y)}`` for the given training batches (``num_train`` records each) and the test batch."""
    batches = {name: make_batch(num_train, seed + 10 * i) for i, name in enumerate(train_files)}
    batches[TEST_FILE] = make_batch(num_test, seed + 99)
    return batches


def write_folder(folder, batches, meta: str | None = META_TEXT) -> Path:
    """Write ``batches`` (from :func:`make_batches`) and the meta file into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (X, y) in batches.items():
        (folder / name).write_bytes(batch_bytes(X, y))
    if meta is not None:
        (folder / META_FILE).write_text(meta)
    return folder


def expected_train(batches) -> tuple[np.ndarray, np.ndarray]:
    """The training set a loader should build: the training batches present, in file order."""
    present = [name for name in TRAIN_FILES if name in batches]
    return (
        np.concatenate([batches[n][0] for n in present]),
        np.concatenate([batches[n][1] for n in present]),
    )


# ----------------------------------------------------------------------------- archives


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, None]:
    """A non-regular member: ``tarfile.SYMTYPE``, ``LNKTYPE``, ``DIRTYPE``, ``FIFOTYPE``, ..."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    return info, None


def tar_gz_bytes(members) -> bytes:
    """A gzip-compressed tar file holding ``members`` (pairs from :func:`regular`/:func:`special`)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def official_members(batches, meta: str = META_TEXT) -> list:
    """The members of ``cifar-10-binary.tar.gz`` (folder entry, batches, meta, readme) for ``batches``."""
    members = [special(f"{FOLDER}/", tarfile.DIRTYPE)]
    for name in TRAIN_FILES + (TEST_FILE,):
        if name in batches:
            X, y = batches[name]
            members.append(regular(f"{FOLDER}/{name}", batch_bytes(X, y)))
    members.append(regular(f"{FOLDER}/{META_FILE}", meta.encode()))
    members.append(regular(f"{FOLDER}/readme.html", b"<html>test copy</html>\n"))
    return members


def official_archive_bytes(batches, extra=(), extra_first=()) -> bytes:
    """An archive in the official layout, with optional extra members after / before it."""
    return tar_gz_bytes(list(extra_first) + official_members(batches) + list(extra))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
