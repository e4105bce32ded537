import os
from pathlib import Path

import keras
import numpy as np
import pytest

BACKEND = keras.backend.backend()
REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("KERAS_AEGAN_DATA_DIR", REPO.parent / "shared" / "data")
)


@pytest.fixture(autouse=True)
def _clear_session():
    # A fixed global seed: networks built without a seed initialize the
    # same way whatever tests ran before, so every run is reproducible.
    keras.utils.clear_session()
    keras.utils.set_random_seed(1234)
    yield


@pytest.fixture(scope="session")
def mnist_digits():
    """Real MNIST digits (uint8, NHWC) and labels from the embedded sample."""
    from keras_aegan import datasets

    images, labels = datasets.load_arrays("mnist_sample", split="train")
    return images, labels


@pytest.fixture(scope="session")
def mnist_unit(mnist_digits):
    """2,048 real MNIST digits scaled to [0, 1]."""
    images, _ = mnist_digits
    return images[:2048].astype("float32") / 255.0


@pytest.fixture(scope="session")
def mnist_signed(mnist_unit):
    """The same 2,048 digits scaled to [-1, 1]."""
    return mnist_unit * 2.0 - 1.0


def to_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))
