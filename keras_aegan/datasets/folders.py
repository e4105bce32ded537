"""Readers for images stored as files: folders and archives of folders.

The layout is the one `keras.utils.image_dataset_from_directory` and
`tfds.folder_dataset.ImageFolder` expect: one sub-folder per class, the
class index being the position of the folder's name in the sorted list of
class names. Optionally the class folders sit in split folders:

```
root/train/cat/0001.jpg      root/trainA/0001.jpg
root/train/dog/0002.jpg      root/trainB/0001.jpg
root/test/cat/0003.jpg       ...
```

Images directly in a split folder (or in the root, without split folders)
have no class; `read_images` reads them, for example the unpaired domains
`trainA`/`trainB` of CycleGAN data sets. A folder without split folders
holds a single split, `"train"`.

The same layouts are read from `.tar`, `.tar.gz`, `.tgz` and `.zip`
archives without extracting them, and decoded images are cached as `.npz`
files (see `default_cache_dir`), so each archive or folder is decoded only
once.
"""

import hashlib
import io
import os
import tarfile
import tempfile
import warnings
import zipfile

import numpy as np
from PIL import Image

from keras_aegan.validation import check_image_size

IMAGE_EXTENSIONS = (
    ".jpg",
    ".jpeg",
    ".png",
    ".bmp",
    ".gif",
    ".webp",
    ".tif",
    ".tiff",
)
ARCHIVE_EXTENSIONS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip")
# Folder names that mark a split level in a folder tree.
SPLIT_NAMES = frozenset(
    {
        "train",
        "test",
        "validation",
        "val",
        "valid",
        "trainA",
        "trainB",
        "testA",
        "testB",
    }
)
_GREY_MODES = ("1", "L", "LA")
# Bump when the format of the cached files changes.
_CACHE_VERSION = "1"


class MixedImageSizesError(ValueError):
    """Raised when the images of a folder differ in size."""


def default_cache_dir():
    """The folder where decoded images are cached.

    It is `$KERAS_AEGAN_CACHE_DIR` when set, else `keras_aegan/` inside
    `$KERAS_HOME` (by default `~/.keras`), falling back to the temporary
    folder when the home folder is not writable, as Keras does.

    Returns:
        str. The cache folder (it may not exist yet).
    """
    path = os.environ.get("KERAS_AEGAN_CACHE_DIR")
    if path:
        return os.path.expanduser(path)
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    if not os.access(
        keras_home
        if os.path.exists(keras_home)
        else os.path.dirname(keras_home),
        os.W_OK,
    ):
        keras_home = os.path.join(tempfile.gettempdir(), ".keras")
    return os.path.join(keras_home, "keras_aegan")


def is_archive(path):
    """Whether `path` is a file with an archive extension that can be read.

    Args:
        path: str or `os.PathLike`.

    Returns:
        bool.
    """
    path = os.fspath(path)
    return os.path.isfile(path) and path.lower().endswith(ARCHIVE_EXTENSIONS)


def _is_image_name(name):
    return name.lower().endswith(IMAGE_EXTENSIONS)


def _is_hidden(parts):
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


class ImageTree:
    """The image files of a folder or an archive, by relative path parts."""

    def __init__(self, path):
        self.path = os.path.abspath(os.fspath(path))
        self.archive = is_archive(self.path)
        if not self.archive and not os.path.isdir(self.path):
            raise FileNotFoundError(
                f"Expected a folder of images or an archive "
                f"({', '.join(ARCHIVE_EXTENSIONS)}) at {self.path!r}, but "
                "there is none."
            )
        self._contents = None
        if self.archive:
            self._contents = self._read_archive()
            entries = sorted(self._contents)
        else:
            entries = self._walk()
        if not entries:
            raise ValueError(
                f"Expected image files ({', '.join(IMAGE_EXTENSIONS)}) in "
                f"{self.path!r}, but found none."
            )
        # An archive usually wraps everything in one top folder
        # (`horse2zebra/trainA/...`); strip such folders unless they are
        # split folders themselves. A folder on disk is taken as given.
        prefix = ()
        if self.archive:
            while True:
                depth = len(prefix)
                heads = {e[depth] for e in entries if len(e) > depth + 1}
                has_files = any(len(e) == depth + 1 for e in entries)
                if len(heads) != 1 or has_files or heads <= SPLIT_NAMES:
                    break
                prefix += (heads.pop(),)
        self.entries = [e[len(prefix) :] for e in entries]
        self.prefix = prefix
        top_dirs = {e[0] for e in self.entries if len(e) > 1}
        self.splits = sorted(top_dirs) if top_dirs & SPLIT_NAMES else []

    def _walk(self):
        entries = []
        for root, dirs, files in os.walk(self.path, followlinks=True):
            rel = os.path.relpath(root, self.path)
            parts = () if rel == "." else tuple(rel.split(os.sep))
            if _is_hidden(parts):
                dirs[:] = []
                continue
            for name in files:
                if _is_image_name(name) and not name.startswith("."):
                    entries.append(parts + (name,))
        return sorted(entries)

    def _read_archive(self):
        contents = {}
        if self.path.lower().endswith(".zip"):
            with zipfile.ZipFile(self.path) as zf:
                for info in zf.infolist():
                    parts = tuple(p for p in info.filename.split("/") if p)
                    if (
                        not info.is_dir()
                        and parts
                        and _is_image_name(parts[-1])
                        and not _is_hidden(parts)
                    ):
                        contents[parts] = zf.read(info)
            return contents
        with tarfile.open(self.path) as tar:
            for member in tar:
                parts = tuple(
                    p for p in member.name.split("/") if p and p != "."
                )
                if (
                    member.isfile()
                    and parts
                    and _is_image_name(parts[-1])
                    and not _is_hidden(parts)
                ):
                    with tar.extractfile(member) as f:
                        contents[parts] = f.read()
        return contents

    def split_entries(self, split):
        """Entries of one split, relative to the split folder."""
        if self.splits:
            if split not in self.splits:
                raise ValueError(
                    f"Expected split {split!r} as a sub-folder of "
                    f"{self.path!r}. Its split folders are {self.splits}."
                )
            return [e[1:] for e in self.entries if e[0] == split and len(e) > 1]
        if split != "train":
            raise ValueError(
                f"{self.path!r} has no split sub-folders (such as train/ and "
                f"test/), so it holds only the split 'train'. Received split "
                f"{split!r}."
            )
        return list(self.entries)

    def class_names(self):
        """Sorted class folder names, over all splits."""
        entries = self.entries
        if self.splits:
            entries = [e[1:] for e in entries if len(e) > 1]
        return sorted({e[0] for e in entries if len(e) > 1})

    def full_parts(self, split, entry):
        return self.prefix + ((split,) if self.splits else ()) + entry

    def open(self, split, entry):
        parts = self.full_parts(split, entry)
        if self.archive:
            return io.BytesIO(self._contents[parts])
        return open(os.path.join(self.path, *parts), "rb")


def _cache_key(*parts):
    digest = hashlib.sha1(repr((_CACHE_VERSION,) + parts).encode())
    return digest.hexdigest()[:16]


def _cache_file(cache_dir, path, split, key):
    name = os.path.basename(path.rstrip(os.sep)) or "root"
    for ext in ARCHIVE_EXTENSIONS:
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
            break
    return os.path.join(cache_dir, "decoded", f"{name}-{split}-{key}.npz")


def _load_cache(cache_file):
    if not os.path.isfile(cache_file):
        return None
    try:
        with np.load(cache_file, allow_pickle=False) as data:
            return (
                data["images"],
                data["labels"],
                [str(c) for c in data["class_names"]],
            )
    except (OSError, ValueError, KeyError) as e:
        warnings.warn(
            f"Ignoring the unreadable cache file {cache_file!r}: {e}",
            stacklevel=3,
        )
        return None


def _save_cache(cache_file, images, labels, class_names):
    folder = os.path.dirname(cache_file)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".npz.tmp")
        try:
            # mkstemp creates the file as 0600; give it the usual mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            with os.fdopen(fd, "wb") as f:
                np.savez(
                    f,
                    images=images,
                    labels=labels,
                    class_names=np.array(class_names, dtype=np.str_),
                )
            os.replace(tmp, cache_file)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    except OSError as e:
        warnings.warn(
            f"Could not write the decoded-image cache {cache_file!r} ({e}); "
            "images will be decoded again next time.",
            stacklevel=3,
        )


def _decode(tree, split, entries, image_size):
    """Decodes images to one uint8 NHWC array."""
    arrays = []
    first_of_size = {}
    for entry in entries:
        name = "/".join(tree.full_parts(split, entry))
        try:
            with tree.open(split, entry) as f, Image.open(f) as image:
                grey = image.mode in _GREY_MODES
                image = image.convert("L" if grey else "RGB")
                if image_size is not None and image.size != image_size[::-1]:
                    image = image.resize(
                        image_size[::-1], Image.Resampling.BILINEAR
                    )
                array = np.asarray(image)
        except (OSError, SyntaxError, ValueError) as e:
            raise ValueError(
                f"Could not decode the image {name!r} in {tree.path!r}: {e}"
            ) from e
        first_of_size.setdefault(array.shape[:2], name)
        arrays.append(array)
    if len(first_of_size) > 1:
        examples = ", ".join(
            f"{n!r} is {h}x{w}" for (h, w), n in list(first_of_size.items())[:3]
        )
        raise MixedImageSizesError(
            f"Expected images of one size in {tree.path!r} (split "
            f"{split!r}), but they differ: {examples}. Pass `image_size` to "
            "resize them to a common size."
        )
    channels = 3 if any(a.ndim == 3 for a in arrays) else 1
    height, width = arrays[0].shape[:2]
    images = np.empty((len(arrays), height, width, channels), np.uint8)
    for i, array in enumerate(arrays):
        if array.ndim == 2:
            array = array[..., np.newaxis]
        images[i] = array  # broadcasts a grey image over 3 channels
    return images


def _read_tree(path, split, image_size, cache_dir):
    """Images, labels (-1 when unclassed) and class names of one split."""
    path = os.path.abspath(os.fspath(path))
    image_size = check_image_size(image_size)
    cache_dir = default_cache_dir() if cache_dir is None else cache_dir
    cache_file = None
    if is_archive(path):
        stat = os.stat(path)
        key = _cache_key(
            path, stat.st_size, stat.st_mtime_ns, split, image_size
        )
        cache_file = _cache_file(cache_dir, path, split, key)
        cached = _load_cache(cache_file)
        if cached is not None:
            return cached
    tree = ImageTree(path)
    entries = tree.split_entries(split)
    class_names = tree.class_names()
    if not tree.archive:
        stats = []
        for entry in entries:
            st = os.stat(os.path.join(path, *tree.full_parts(split, entry)))
            stats.append((entry, st.st_size, st.st_mtime_ns))
        key = _cache_key(path, split, image_size, class_names, stats)
        cache_file = _cache_file(cache_dir, path, split, key)
        cached = _load_cache(cache_file)
        if cached is not None:
            return cached
    if not entries:
        raise ValueError(
            f"Expected image files ({', '.join(IMAGE_EXTENSIONS)}) in split "
            f"{split!r} of {path!r}, but found none."
        )
    index = {name: i for i, name in enumerate(class_names)}
    labels = np.array(
        [index[e[0]] if len(e) > 1 else -1 for e in entries], dtype=np.int32
    )
    images = _decode(tree, split, entries, image_size)
    _save_cache(cache_file, images, labels, class_names)
    return images, labels, class_names


def image_folder_splits(path):
    """Lists the splits of a folder (or archive) of images.

    Args:
        path: str or `os.PathLike`. A folder or an archive.

    Returns:
        A list of split names: the split sub-folders, or `["train"]` when
        there are none.
    """
    return ImageTree(path).splits or ["train"]


def read_image_folder(path, split="train", image_size=None, cache_dir=None):
    """Reads a folder (or archive) with one sub-folder of images per class.

    Class indices follow the sorted names of the class folders (over all
    splits, so every split numbers the classes alike). Images outside any
    class folder are skipped, as `keras.utils.image_dataset_from_directory`
    does; a tree without class folders yields `labels=None`. Grey images
    keep one channel when all images of the split are grey; otherwise every
    image is converted to RGB. Decoded arrays are cached (see
    `default_cache_dir`), so a folder is decoded once.

    Args:
        path: str or `os.PathLike`. A folder, or a `.tar`, `.tar.gz`,
            `.tgz` or `.zip` archive of one.
        split: str. The split folder to read (`"train"`, `"test"`,
            `"trainA"`, ...). A tree without split folders only has
            `"train"`. Defaults to `"train"`.
        image_size: None, int or tuple of 2 ints. When given, images of
            another size are resized (bilinear, with PIL) to this
            `(height, width)`; when None all images must have the same
            size. Defaults to None.
        cache_dir: str. Where decoded images are cached. Defaults to
            `default_cache_dir()`.

    Returns:
        A tuple `(images, labels, class_names)`: uint8 `(N, H, W, C)`,
        int32 `(N,)` and a list of str; the last two are None when the
        tree has no class folders.

    Raises:
        FileNotFoundError: if `path` does not exist.
        ValueError: if there is no image, the split does not exist, an
            image cannot be decoded or the sizes differ.
    """
    images, labels, class_names = _read_tree(path, split, image_size, cache_dir)
    if not class_names:
        return images, None, None
    keep = labels >= 0
    if not keep.any():
        raise ValueError(
            f"Expected images inside the class folders {class_names} of "
            f"split {split!r} of {os.fspath(path)!r}, but found none."
        )
    if not keep.all():
        images, labels = images[keep], labels[keep]
    return images, labels, class_names


def read_images(path, split="train", image_size=None, cache_dir=None):
    """Reads every image of a folder (or archive), without labels.

    Meant for unpaired image sets such as the `trainA`/`trainB` domains of
    CycleGAN data sets, for example
    `read_images("horse2zebra.tar", split="trainA")` or
    `read_images("horse2zebra/trainA")`. Images in class sub-folders are
    read too; their classes are ignored.

    Args:
        path: str or `os.PathLike`. A folder, or a `.tar`, `.tar.gz`,
            `.tgz` or `.zip` archive of one.
        split: str. The split folder to read. A tree without split folders
            only has `"train"`. Defaults to `"train"`.
        image_size: None, int or tuple of 2 ints. When given, images of
            another size are resized (bilinear, with PIL) to this
            `(height, width)`. Defaults to None.
        cache_dir: str. Where decoded images are cached. Defaults to
            `default_cache_dir()`.

    Returns:
        A uint8 NumPy array `(N, H, W, C)`.
    """
    return _read_tree(path, split, image_size, cache_dir)[0]
