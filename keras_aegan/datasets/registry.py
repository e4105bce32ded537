"""The named data sets: metadata, TFDS names and local file layouts."""

import dataclasses
import os

from keras_aegan.datasets import arrays
from keras_aegan.datasets import folders
from keras_aegan.datasets import idx


@dataclasses.dataclass(frozen=True)
class LocalFile:
    """One place where a named data set may sit inside a data folder.

    Args:
        kind: str. The reader: `"idx"` (a folder of IDX files), `"npz"`,
            `"image_folder"` (a folder or archive of class folders) or
            `"cifar_pickle"` (CIFAR-10 "python version").
        path: str. Path relative to the data folder, `/`-separated.
        pattern: str. For image folders, what a split folder holds, as
            shown in error messages. Defaults to `"<class>/*.jpg"`.
    """

    kind: str
    path: str
    pattern: str = "<class>/*.jpg"

    def resolve(self, data_dir):
        return os.path.join(data_dir, *self.path.split("/"))

    def exists(self, data_dir, split):
        """Whether this candidate holds `split` under `data_dir`."""
        path = self.resolve(data_dir)
        if self.kind == "idx":
            return idx.find_idx_files(path, split) is not None
        if self.kind == "npz":
            return os.path.isfile(path)
        if self.kind == "cifar_pickle":
            return arrays.is_cifar_pickle_source(path)
        if folders.is_archive(path):
            return True
        return os.path.isdir(os.path.join(path, split))

    def describe(self, data_dir, split):
        """What this candidate looks for, for error messages."""
        path = self.resolve(data_dir)
        if self.kind == "idx":
            images = idx.idx_file_candidates(path, split, "images")[0]
            labels = idx.idx_file_candidates(path, split, "labels")[0]
            return f"{images} and {labels} (IDX, .gz or not)"
        if self.kind == "image_folder" and not path.endswith(
            folders.ARCHIVE_EXTENSIONS
        ):
            return f"{os.path.join(path, split)}{os.sep}{self.pattern}"
        if self.kind == "cifar_pickle" and not path.endswith(".tar.gz"):
            return f"{path}{os.sep}data_batch_1..5, test_batch"
        return path


@dataclasses.dataclass(frozen=True)
class DatasetSpec:
    """Metadata of a named data set.

    Args:
        name: str. The name `load()` accepts.
        description: str. One line about the data set and its origin.
        image_shape: tuple. `(height, width, channels)`; None entries for
            sizes that vary.
        class_names: tuple of str, or None when the data set has no labels.
        splits: dict. Split name -> number of examples.
        tfds_name: str or None. The TensorFlow Datasets name, if any.
        local_files: tuple of `LocalFile`. Where local copies are looked
            for, in order.
        split_labels: dict or None. A fixed label per split, for data sets
            whose splits are the classes (CycleGAN's domains A and B).
        homepage: str. Where the data set comes from.
    """

    name: str
    description: str
    image_shape: tuple
    class_names: tuple | None
    splits: dict
    tfds_name: str | None = None
    local_files: tuple = ()
    split_labels: dict | None = None
    homepage: str = ""

    @property
    def num_classes(self):
        return len(self.class_names) if self.class_names else 0

    @property
    def has_labels(self):
        return self.class_names is not None


def _idx_files(*folder_names):
    return tuple(LocalFile("idx", name) for name in folder_names)


_SPECS = [
    DatasetSpec(
        name="mnist",
        description=(
            "MNIST handwritten digits, 28x28 grey (Y. LeCun, C. Cortes, "
            "C. J. C. Burges)."
        ),
        image_shape=(28, 28, 1),
        class_names=tuple(str(i) for i in range(10)),
        splits={"train": 60000, "test": 10000},
        tfds_name="mnist",
        local_files=_idx_files("mnist")
        + (LocalFile("npz", "mnist/mnist.npz"), LocalFile("npz", "mnist.npz")),
        homepage="http://yann.lecun.com/exdb/mnist/",
    ),
    DatasetSpec(
        name="fashion_mnist",
        description="Fashion-MNIST, Zalando article images, 28x28 grey.",
        image_shape=(28, 28, 1),
        class_names=(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        splits={"train": 60000, "test": 10000},
        tfds_name="fashion_mnist",
        local_files=_idx_files("fashion-mnist", "fashion_mnist"),
        homepage="https://github.com/zalandoresearch/fashion-mnist",
    ),
    DatasetSpec(
        name="cifar10",
        description=(
            "CIFAR-10, 32x32 RGB images of 10 classes (A. Krizhevsky). The "
            "local JPEG copy (cifar10-jpeg-imagefolder) is JPEG-compressed, "
            "so its pixel statistics differ slightly from the original."
        ),
        image_shape=(32, 32, 3),
        class_names=(
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ),
        splits={"train": 50000, "test": 10000},
        tfds_name="cifar10",
        local_files=(
            LocalFile("image_folder", "cifar10/cifar10-jpeg-imagefolder"),
            LocalFile("image_folder", "cifar10"),
            LocalFile(
                "image_folder", "cifar10/cifar10-jpeg-imagefolder.tar.gz"
            ),
            LocalFile("cifar_pickle", "cifar10/cifar-10-batches-py"),
            LocalFile("cifar_pickle", "cifar-10-batches-py"),
            LocalFile("cifar_pickle", "cifar10/cifar-10-python.tar.gz"),
        ),
        homepage="https://www.cs.toronto.edu/~kriz/cifar.html",
    ),
    DatasetSpec(
        name="olivetti_faces",
        description=(
            "Olivetti faces (AT&T Laboratories Cambridge), 400 64x64 grey "
            "images of 40 people."
        ),
        image_shape=(64, 64, 1),
        class_names=tuple(f"person_{i}" for i in range(40)),
        splits={"train": 400},
        local_files=(
            LocalFile("npz", "olivetti/olivetti_faces.npz"),
            LocalFile("npz", "olivetti_faces/olivetti_faces.npz"),
            LocalFile("npz", "olivetti_faces.npz"),
        ),
        homepage="https://cam-orl.co.uk/facedatabase.html",
    ),
    DatasetSpec(
        name="horse2zebra",
        description=(
            "CycleGAN horse2zebra, 256x256 RGB: horses in the A splits "
            "(label 0), zebras in the B splits (label 1)."
        ),
        image_shape=(256, 256, 3),
        class_names=("horse", "zebra"),
        splits={"trainA": 1067, "trainB": 1334, "testA": 120, "testB": 140},
        tfds_name="cycle_gan/horse2zebra",
        local_files=(
            LocalFile("image_folder", "horse2zebra/horse2zebra", "*.jpg"),
            LocalFile("image_folder", "horse2zebra", "*.jpg"),
            LocalFile("image_folder", "horse2zebra/horse2zebra.tar"),
            LocalFile("image_folder", "horse2zebra.zip"),
        ),
        split_labels={"trainA": 0, "trainB": 1, "testA": 0, "testB": 1},
        homepage="https://github.com/junyanz/pytorch-CycleGAN-and-pix2pix",
    ),
    DatasetSpec(
        name="celeb_a",
        description=(
            "CelebA face attributes, 218x178 RGB (TFDS only; no class labels)."
        ),
        image_shape=(218, 178, 3),
        class_names=None,
        splits={"train": 162770, "validation": 19867, "test": 19962},
        tfds_name="celeb_a",
        homepage="https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html",
    ),
    DatasetSpec(
        name="mnist_sample",
        description=(
            "Balanced MNIST sample shipped with keras_aegan: the first 600 "
            "training and 100 test images of each digit."
        ),
        image_shape=(28, 28, 1),
        class_names=tuple(str(i) for i in range(10)),
        splits={"train": 6000, "test": 1000},
        homepage="http://yann.lecun.com/exdb/mnist/",
    ),
]

SPECS = {spec.name: spec for spec in _SPECS}
ALIASES = {
    "fashion-mnist": "fashion_mnist",
    "fashionmnist": "fashion_mnist",
    "cifar-10": "cifar10",
    "olivetti": "olivetti_faces",
    "cycle_gan/horse2zebra": "horse2zebra",
    "celeba": "celeb_a",
}


def _cycle_gan_spec(config):
    # Any other TFDS `cycle_gan/<config>` pair (apple2orange, monet2photo,
    # ...): domain A is label 0 and B label 1, sizes as TFDS reports them.
    return DatasetSpec(
        name=f"cycle_gan/{config}",
        description=f"CycleGAN {config} from TFDS (domains A and B).",
        image_shape=(None, None, 3),
        class_names=("A", "B"),
        splits={"trainA": None, "trainB": None, "testA": None, "testB": None},
        tfds_name=f"cycle_gan/{config}",
        split_labels={"trainA": 0, "trainB": 1, "testA": 0, "testB": 1},
        homepage="https://www.tensorflow.org/datasets/catalog/cycle_gan",
    )


def get_spec(name):
    """The `DatasetSpec` of a name or alias, or None.

    Besides the named data sets, every TFDS `cycle_gan/<config>` name
    resolves (through TFDS only).
    """
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    spec = SPECS.get(ALIASES.get(key, key))
    if spec is None and key.startswith("cycle_gan/") and "/" not in key[10:]:
        config = key[len("cycle_gan/") :]
        if config:
            spec = _cycle_gan_spec(config)
    return spec
