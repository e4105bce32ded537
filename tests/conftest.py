import atexit
import os
import shutil
import tempfile

import keras
import pytest

from tests.helpers import BACKEND
from tests.helpers import skip_without_data

if BACKEND == "jax":
    # Many tests build the same networks at the same shapes, so JAX compiles
    # the same programs again and again. A compilation cache for this run
    # (fresh each run, removed at exit) compiles each one once: 15% less
    # CPU time (measured on 25 DCGAN, VAE and GAN tests on one thread:
    # 422 s -> 360 s). A cached program is the one JAX would compile, so
    # results do not change.
    # Under pytest-xdist the controller makes the folder and its workers,
    # started after this runs, find it in the environment and share it.
    import jax

    _jax_cache = os.environ.get("KERAS_AEGAN_TEST_JAX_CACHE")
    if _jax_cache is None:
        _jax_cache = tempfile.mkdtemp(prefix="keras_aegan_jax_cache_")
        os.environ["KERAS_AEGAN_TEST_JAX_CACHE"] = _jax_cache
        atexit.register(shutil.rmtree, _jax_cache, ignore_errors=True)
    jax.config.update("jax_compilation_cache_dir", _jax_cache)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_data(*paths): needs these paths under ../shared/data; "
        "skips without them, fails with KERAS_AEGAN_REQUIRE_DATA=1",
    )


def pytest_runtest_setup(item):
    for marker in item.iter_markers("needs_data"):
        skip_without_data(*marker.args)


@pytest.fixture(autouse=True)
def _clear_session():
    # A fixed global seed: networks built without a seed initialize the
    # same way whatever tests ran before, so every run is reproducible.
    # Without the full garbage collection clear_session() runs by default:
    # it took about 0.9 s before every test (a quarter of the PyTorch
    # pass), and Python's own collector still frees the cycles.
    keras.utils.clear_session(free_memory=False)
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
