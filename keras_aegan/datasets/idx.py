"""Reader for the IDX format of MNIST and Fashion-MNIST.

An IDX file starts with a 4-byte magic number: two zero bytes, one byte
naming the element type and one byte giving the number of dimensions. The
sizes of the dimensions follow as big-endian uint32, then the data itself,
big-endian, in C order. The files are often gzip-compressed.
"""

import gzip
import os
import zlib

import numpy as np

# IDX type byte -> big-endian NumPy dtype.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"

# File names tried for each split, with and without `.gz`. The second
# spelling (`train-images.idx3-ubyte`) is how some mirrors name them.
_SPLIT_PREFIXES = {"train": ("train",), "test": ("t10k", "test")}


def read_idx(path):
    """Reads an IDX file into a NumPy array.

    Gzip compression is recognised from the file's first bytes, so both
    `train-images-idx3-ubyte.gz` and the decompressed file work.

    Args:
        path: str or `os.PathLike`. The IDX file, gzip-compressed or raw.

    Returns:
        A NumPy array with the file's shape and element type (native byte
        order; `uint8` for MNIST).

    Raises:
        FileNotFoundError: if `path` does not exist.
        ValueError: if the file is not valid gzip, has no valid IDX magic
            number, or holds more or fewer bytes than its header announces.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise ValueError(
                f"Expected a valid gzip-compressed IDX file at {path!r}, but "
                f"decompressing it failed: {e}"
            ) from e
    return _parse_idx(raw, path)


def _parse_idx(raw, path):
    if len(raw) < 4:
        raise ValueError(
            f"Expected an IDX file at {path!r} (at least a 4-byte header), "
            f"but it holds only {len(raw)} bytes."
        )
    zero0, zero1, type_code, ndim = raw[0], raw[1], raw[2], raw[3]
    if zero0 != 0 or zero1 != 0 or type_code not in _IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in sorted(_IDX_DTYPES))
        raise ValueError(
            f"Expected an IDX file at {path!r}: a magic number of two zero "
            f"bytes, a type byte in ({known}) and a dimension count, such "
            f"as 0x00000803 for images or 0x00000801 for labels. Received "
            f"magic bytes 0x{raw[:4].hex().upper()}."
        )
    if ndim == 0:
        raise ValueError(
            f"Expected an IDX file at {path!r} with at least one dimension, "
            "but its header announces 0 dimensions."
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(
            f"IDX file {path!r} is truncated: its header announces {ndim} "
            f"dimensions ({header_size} header bytes), but the file holds "
            f"only {len(raw)} bytes."
        )
    shape = tuple(
        int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)
    )
    dtype = _IDX_DTYPES[type_code]
    expected = (
        header_size + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    )
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "too long"
        raise ValueError(
            f"IDX file {path!r} is {problem}: its header announces shape "
            f"{shape} of {dtype.name}, i.e. {expected} bytes with the header, "
            f"but the file holds {len(raw)} bytes."
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_size)
    return data.reshape(shape).astype(dtype.newbyteorder("="))


def idx_file_candidates(folder, split, kind):
    """The file names tried for one split of an IDX data set.

    Args:
        folder: str or `os.PathLike`. The folder that holds the files.
        split: str. `"train"` or `"test"`.
        kind: str. `"images"` or `"labels"`.

    Returns:
        A list of paths, in the order they are tried.
    """
    ndim = {"images": 3, "labels": 1}[kind]
    names = []
    for prefix in _SPLIT_PREFIXES[split]:
        for stem in (
            f"{prefix}-{kind}-idx{ndim}-ubyte",
            f"{prefix}-{kind}.idx{ndim}-ubyte",
        ):
            names += [stem + ".gz", stem]
    return [os.path.join(os.fspath(folder), name) for name in names]


def find_idx_files(folder, split):
    """Finds the image and label IDX files of one split in a folder.

    Args:
        folder: str or `os.PathLike`. The folder to look in.
        split: str. `"train"` or `"test"`.

    Returns:
        A tuple `(images_path, labels_path)`, or `None` when either file is
        missing.
    """
    if split not in _SPLIT_PREFIXES:
        return None
    found = []
    for kind in ("images", "labels"):
        paths = [
            p
            for p in idx_file_candidates(folder, split, kind)
            if os.path.isfile(p)
        ]
        if not paths:
            return None
        found.append(paths[0])
    return tuple(found)


def read_idx_split(images_path, labels_path):
    """Reads a pair of MNIST-style IDX files and checks they fit together.

    Args:
        images_path: str or `os.PathLike`. IDX file of images, shape
            `(N, H, W)`, uint8.
        labels_path: str or `os.PathLike`. IDX file of labels, shape `(N,)`.

    Returns:
        A tuple `(images, labels)`: uint8 `(N, H, W, 1)` and int32 `(N,)`.

    Raises:
        ValueError: if either file is malformed, the images are not 3-D
            uint8, the labels are not 1-D, or the counts differ.
    """
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(
            f"Expected an IDX image file of shape (N, H, W) and type uint8 "
            f"(magic 0x00000803) at {os.fspath(images_path)!r}. Received "
            f"shape {images.shape} of {images.dtype}."
        )
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"Expected an IDX label file of shape (N,) with integer labels "
            f"(magic 0x00000801) at {os.fspath(labels_path)!r}. Received "
            f"shape {labels.shape} of {labels.dtype}."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"Expected as many labels as images, but "
            f"{os.fspath(images_path)!r} holds {len(images)} images and "
            f"{os.fspath(labels_path)!r} holds {len(labels)} labels."
        )
    return images[..., np.newaxis], labels.astype(np.int32)
