import atexit
import os
import shutil
import tempfile

import keras
import pytest

from tests.helpers import BACKEND
from tests.helpers import skip_without_data

# JAX's default `jax_threefry_partitionable=True` (since JAX 0.5) makes XLA
# on CPU compile each random draw of a new shape for about 2 s instead of
# 0.25 s, and initializers draw once per kernel shape: building a small
# BEGAN in a fresh process took 25.8 s, against 3.4 s with the older,
# non-partitionable threefry; the GAN, autoencoder and VAE tests on two
# workers took 286 s against 326 s (measured on this 2-core machine, JAX
# 0.10.2). The tests, and the scripts they start on any backend (through
# the environment), use the older scheme. It draws other values from a
# key along the same code path; every result a test compares is drawn
# under the one setting. See bench/jax_startup.py.
os.environ.setdefault("JAX_THREEFRY_PARTITIONABLE", "0")

if BACKEND == "jax":
    import jax

    jax.config.update(
        "jax_threefry_partitionable",
        os.environ["JAX_THREEFRY_PARTITIONABLE"] not in ("0", "false", "False"),
    )

    # Many tests build the same networks at the same shapes, so JAX compiles
    # the same programs again and again. A compilation cache for this run
    # (fresh each run, removed at exit) compiles each one once: 15% less
    # CPU time (measured on 25 DCGAN, VAE and GAN tests on one thread:
    # 422 s -> 360 s). A cached program is the one JAX would compile, so
    # results do not change.
    # Under pytest-xdist the controller makes the folder and its workers,
    # started after this runs, find it in the environment and share it.
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


# The slowest tests, with their time in CI's 310aff3 run (seconds, the
# three passes at once on two cores). Each pass hands its tests to two
# pytest-xdist workers one by one (`--dist worksteal`); starting the
# longest first keeps both workers busy to the end, instead of one of them
# finishing alone on a long test or file (the TensorFlow pass of that run
# ended 1,400 s after the others, with `--dist loadfile`). The order only
# changes when a test runs, not what it does.
SLOW_FIRST = {
    "training/test_xla.py::test_torch_compiled_steps_equal_eager_steps": 482,
    "training/test_distribute.py::test_mirrored_strategy": 357,
    "training/test_distribute.py::test_jax_data_and_model_parallel": 357,
    "models/cyclegan/test_cyclegan.py::test_config_and_save_round_trip": 290,
    "tutorials/test_tutorials.py::test_tutorial_runs_at_smoke_size": 282,
    "training/test_multiprocess.py::": 273,
    "training/test_mixed_precision.py::test_mixed_bfloat16_dcgan": 250,
    "test_cli_distribute.py::": 191,
    "presets/test_zoo.py::test_pretrained_dcgan_fine_tunes": 183,
    "training/test_xla.py::test_xla_steps_four_per_call": 173,
    "presets/test_zoo.py::test_shipped_classifier_reaches": 167,
    "presets/test_zoo.py::test_pretrained_vae_fine_tunes": 137,
    "models/pix2pix/test_pix2pix.py::test_l1_falls_and_beats_bicubic": 132,
    "test_checkpointing.py::test_a_run_killed_mid_epoch": 130,
    "test_cli.py::test_train_a_translation_model": 122,
    "test_cross_backend.py::": 124,
    "training/test_mixed_precision.py::test_mixed_float16_step_matches": 118,
    "models/cyclegan/test_cyclegan.py::test_translation_needs_both": 113,
    "datasets/test_datasets.py::test_real_cifar10": 100,
    "test_cli.py::test_backend_switch": 92,
    "test_cli.py::test_translate_a_folder": 89,
    "models/cyclegan/test_cyclegan.py::test_cyclegan_every_loss": 85,
    "models/autoencoder/test_autoencoders.py::test_linear_autoencoder": 85,
    "presets/test_zoo.py::test_shipped_paired_translator": 81,
    "presets/test_zoo.py::test_shipped_generator_scores": 81,
    "training/test_dead_rank.py::": 70,
    "test_cli.py::test_evaluate": 69,
}


def pytest_collection_modifyitems(config, items):
    def seconds(item):
        path = item.nodeid.removeprefix("tests/")
        return max(
            (t for key, t in SLOW_FIRST.items() if path.startswith(key)),
            default=0,
        )

    # A stable sort: the rest keep their collection order.
    items.sort(key=seconds, reverse=True)


ONCE_ON_EVERY_BACKEND = "KERAS_AEGAN_ONCE_ON_EVERY_BACKEND"


# The pass that runs the tests marked `once`: PyTorch's, the shortest
# (CI on 035f3cb: TensorFlow 1,077 s, JAX 1,433 s, PyTorch 435 s), since
# its eager steps compile nothing. Until session 22 they were spread over
# the three passes by name, which put 13 of the 15 in the two longer ones.
ONCE_BACKEND = "torch"


def pytest_runtest_setup(item):
    for marker in item.iter_markers("needs_data"):
        skip_without_data(*marker.args)
    if (
        item.get_closest_marker("once") is not None
        and os.environ.get(ONCE_ON_EVERY_BACKEND) != "1"
        and BACKEND != ONCE_BACKEND
    ):
        pytest.skip(
            f"Measures what no backend changes: runs once, in the "
            f"{ONCE_BACKEND} pass (set {ONCE_ON_EVERY_BACKEND}=1 for "
            "every pass)."
        )


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
