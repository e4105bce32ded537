"""Tests of keras_aegan.metrics: FD, KID, IS, precision/recall, the
importance-sampled NLL and the monitoring callback, on every backend."""

import json
import sys
import warnings

import keras
import numpy as np
import pytest
from scipy import linalg

from keras_aegan import metrics
from keras_aegan import presets
from tests.helpers import REPO
from tests.helpers import SHARED_DATA
from tests.helpers import to_numpy

# -- Helpers -----------------------------------------------------------------


def tiny_extractor(output_dim=8, softmax=False, name="tiny", resize_to=None):
    """A fixed network with weights drawn from a numpy seed, so that every
    backend builds the same function."""
    rng = np.random.default_rng(123)
    size = resize_to or (28, 28)
    channels = 3 if resize_to else 1
    inputs = keras.Input((*size, channels))
    h = keras.layers.Flatten()(inputs)
    h = keras.layers.Dense(16, activation="tanh")(h)
    outputs = keras.layers.Dense(
        output_dim, activation="softmax" if softmax else None
    )(h)
    network = keras.Model(inputs, outputs)
    network.set_weights(
        [rng.normal(0, 0.5, w.shape).astype("float32") for w in network.weights]
    )
    return metrics.FeatureExtractor(
        network, name, size, channels, batch_size=64
    )


def numpy_tiny_features(extractor, images_uint8, softmax=False):
    """The same network as `tiny_extractor` in numpy (no resize)."""
    w1, b1, w2, b2 = (to_numpy(w) for w in extractor.network.weights)
    x = images_uint8.reshape(len(images_uint8), -1).astype(np.float64) / 255
    logits = np.tanh(x @ w1 + b1) @ w2 + b2
    if not softmax:
        return logits
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def random_images(n, seed, size=28, channels=1):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, size, size, channels), dtype=np.uint8)


def random_spd(d, rng):
    a = rng.normal(size=(d, d))
    return a @ a.T / d + 0.1 * np.eye(d)


# -- Fréchet distance --------------------------------------------------------


@pytest.mark.parametrize("method", ["eigh", "sqrtm"])
def test_frechet_distance_of_a_set_with_itself_is_zero(method, mnist_digits):
    features = np.random.default_rng(0).normal(size=(500, 32)) * 3.0 + 10.0
    assert metrics.frechet_distance_from_features(
        features, features, method=method
    ) == pytest.approx(0.0, abs=1e-6)
    extractor = tiny_extractor()
    images = mnist_digits[0][:300]
    fd = metrics.frechet_distance_from_images(images, images, extractor)
    assert 0.0 <= fd <= 1e-6
    assert "FD-tiny" in extractor.label and "FID" not in extractor.label


def test_frechet_distance_matches_the_closed_form():
    rng = np.random.default_rng(1)
    # Diagonal covariances commute: d^2 = |dmu|^2 + sum (s1 - s2)^2.
    mu1, mu2 = rng.normal(size=5), rng.normal(size=5)
    s1, s2 = rng.uniform(0.5, 2.0, 5), rng.uniform(0.5, 2.0, 5)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((s1 - s2) ** 2)
    got = metrics.frechet_distance(mu1, np.diag(s1**2), mu2, np.diag(s2**2))
    assert got == pytest.approx(expected, rel=1e-10)
    # General covariances: the eigenvalue form against scipy's sqrtm.
    c1, c2 = random_spd(20, rng), random_spd(20, rng)
    root = linalg.sqrtm(c1 @ c2).real
    reference = np.trace(c1) + np.trace(c2) - 2 * np.trace(root)
    zeros = np.zeros(20)
    for method in ("eigh", "sqrtm"):
        got = metrics.frechet_distance(zeros, c1, zeros, c2, method=method)
        assert got == pytest.approx(reference, rel=1e-8)
    # Samples of the two Gaussians converge to the closed form.
    x = rng.multivariate_normal(np.zeros(20), c1, size=20000)
    y = rng.multivariate_normal(np.ones(20), c2, size=20000)
    sampled = metrics.frechet_distance_from_features(x, y)
    assert sampled == pytest.approx(reference + 20.0, rel=0.05)


def test_frechet_distance_refuses_non_psd_covariances():
    mean = np.zeros(2)
    bad = np.diag([1.0, -1.0])
    for method in ("eigh", "sqrtm"):
        with pytest.raises(ValueError, match="negative eigenvalue|imaginary"):
            metrics.frechet_distance(mean, bad, mean, np.eye(2), method=method)
    with pytest.raises(ValueError, match="NaN"):
        metrics.frechet_distance(mean, np.eye(2) * np.nan, mean, np.eye(2))


def test_feature_accumulator_is_stable_and_batch_independent():
    rng = np.random.default_rng(2)
    # A large offset breaks the naive sum(x x^T) - n m m^T in float32 and
    # costs it digits in float64.
    x = rng.normal(size=(1000, 6)) + 1e6
    accumulator = metrics.FeatureAccumulator()
    for chunk in np.array_split(x, [1, 7, 300, 301, 999]):
        accumulator.update(chunk)
    np.testing.assert_allclose(accumulator.mean(), x.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(
        accumulator.covariance(), np.cov(x, rowvar=False), atol=1e-9
    )


# -- KID ---------------------------------------------------------------------


def test_kid_matches_a_direct_double_sum():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(7, 3)), rng.normal(size=(5, 3)) + 0.5

    def k(a, b):
        return (a @ b / 3 + 1) ** 3

    xx = sum(k(x[i], x[j]) for i in range(7) for j in range(7) if i != j)
    yy = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j)
    xy = sum(k(x[i], y[j]) for i in range(7) for j in range(5))
    expected = xx / 42 + yy / 20 - 2 * xy / 35
    assert metrics.unbiased_mmd2(x, y) == pytest.approx(expected, rel=1e-12)


def test_kid_is_unbiased():
    rng = np.random.default_rng(4)
    draws = 400
    unbiased, biased = [], []
    for _ in range(draws):
        x = rng.standard_t(5, size=(40, 8))
        y = rng.standard_t(5, size=(40, 8))
        unbiased.append(metrics.unbiased_mmd2(x, y))
        k = metrics.polynomial_kernel
        biased.append(k(x, x).mean() + k(y, y).mean() - 2 * k(x, y).mean())
    unbiased, biased = np.array(unbiased), np.array(biased)
    standard_error = unbiased.std(ddof=1) / np.sqrt(draws)
    # Same distribution: the unbiased estimate averages to 0 within 4
    # standard errors, while the biased V-statistic does not.
    assert abs(unbiased.mean()) < 4 * standard_error
    assert biased.mean() > 4 * standard_error + abs(unbiased.mean())
    # A shifted distribution gives a clearly positive KID.
    x = rng.normal(size=(300, 8))
    kid, kid_std = metrics.kernel_distance(
        x, x + 0.5, num_subsets=10, subset_size=100
    )
    assert kid > 5 * kid_std / np.sqrt(10) and kid > 0.05


# -- Precision and recall ----------------------------------------------------


def brute_force_precision_recall(real, fake, k):
    def radii(s):
        d = np.linalg.norm(s[:, None] - s[None], axis=-1)
        return np.sort(d, axis=1)[:, k]

    def coverage(q, s, r):
        d = np.linalg.norm(q[:, None] - s[None], axis=-1)
        return np.mean(np.any(d <= r[None], axis=1))

    return coverage(fake, real, radii(real)), coverage(real, fake, radii(fake))


def test_precision_recall_identical_disjoint_and_reference():
    rng = np.random.default_rng(5)
    real = rng.normal(size=(300, 5))
    scores = metrics.precision_recall(real, real.copy(), k=3)
    assert scores == {"precision": 1.0, "recall": 1.0}
    far = metrics.precision_recall(real, real + 100.0, k=3)
    assert far == {"precision": 0.0, "recall": 0.0}
    # Mode dropping: half the generated samples are far away.
    fake = np.concatenate([rng.normal(size=(150, 5)), real[:150] + 100.0])
    scores = metrics.precision_recall(real, fake, k=3, chunk_size=64)
    expected = brute_force_precision_recall(real, fake, 3)
    assert (scores["precision"], scores["recall"]) == pytest.approx(expected)
    assert 0.3 < scores["precision"] <= 0.5


# -- Inception Score ---------------------------------------------------------


def test_inception_score_of_confident_balanced_predictions():
    classes = 10
    one_hot = np.eye(classes)[np.arange(200) % classes]
    mean, std = metrics.inception_score(one_hot, splits=10)
    assert mean == pytest.approx(classes, rel=1e-12) and std < 1e-12
    uniform = np.full((200, classes), 1.0 / classes)
    assert metrics.inception_score(uniform)[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="probabilities"):
        metrics.inception_score(np.random.default_rng(0).normal(size=(20, 3)))


# -- Streaming metrics -------------------------------------------------------


def test_streaming_metrics_equal_the_one_shot_functions():
    extractor = tiny_extractor()
    real, fake = random_images(256, 0), random_images(200, 1)
    real_f, fake_f = extractor(real), extractor(fake)
    fd = metrics.FrechetDistance(extractor)
    kid = metrics.KernelDistance(extractor, num_subsets=20, subset_size=50)
    pr = metrics.PrecisionRecall(extractor)
    real_chunks, fake_chunks = np.array_split(real, 5), np.array_split(fake, 3)
    for metric in (fd, kid, pr):
        for i, chunk in enumerate(real_chunks):
            metric.update_state(chunk, fake_chunks[i] if i < 3 else None)
    assert fd.name == "fd_tiny" and kid.name == "kid_tiny"
    # Images go through the float32 network in other batches than in the
    # one-shot call, which moves the features by float32 round-off.
    assert fd.result() == pytest.approx(
        metrics.frechet_distance_from_features(real_f, fake_f), rel=1e-5
    )
    assert kid.result_with_std() == pytest.approx(
        metrics.kernel_distance(real_f, fake_f, 20, 50), rel=1e-5
    )
    assert pr.result() == metrics.precision_recall(real_f, fake_f)
    # On features, streaming and one-shot agree to float64 round-off.
    on_features = metrics.FrechetDistance()
    for i, chunk in enumerate(np.array_split(real_f, 7)):
        on_features.update_state(chunk, np.array_split(fake_f, 7)[i])
    assert on_features.name == "fd"
    assert on_features.result() == pytest.approx(
        metrics.frechet_distance_from_features(real_f, fake_f), rel=1e-10
    )
    classifier = tiny_extractor(10, softmax=True, name="tiny_probs")
    score = metrics.InceptionScore(classifier, splits=4)
    for batch in np.array_split(fake, 3):
        score.update_state(generated=batch)
    assert score.result_with_std() == pytest.approx(
        metrics.inception_score_from_images(fake, classifier, splits=4)
    )
    # Generated images may come in their model's range.
    signed = metrics.FrechetDistance(extractor, generated_pixel_range=(-1, 1))
    signed.update_state(real, fake.astype("float32") / 127.5 - 1.0)
    assert signed.result() == pytest.approx(fd.result(), rel=1e-5)
    assert metrics.frechet_distance_from_images(
        real, fake.astype("float32") / 255, extractor, (0, 255), (0, 1)
    ) == pytest.approx(fd.result(), rel=1e-5)
    fd.reset_generated()
    fd.update_state(generated=real)
    assert fd.result() == pytest.approx(0.0, abs=1e-6)
    fd.reset_state()
    with pytest.raises(ValueError, match="No features"):
        fd.result()


# -- Same values on every backend --------------------------------------------


def numpy_bilinear_upsample(images, size):
    """Half-pixel bilinear upsampling with clamped edges, the reference for
    `ops.image.resize(..., "bilinear", antialias=True)` when enlarging
    (antialiasing only widens the kernel when shrinking)."""

    def matrix(n_in, n_out):
        m = np.zeros((n_out, n_in))
        for o in range(n_out):
            src = (o + 0.5) * n_in / n_out - 0.5
            i0 = int(np.floor(src))
            w = src - i0
            m[o, min(max(i0, 0), n_in - 1)] += 1 - w
            m[o, min(max(i0 + 1, 0), n_in - 1)] += w
        return m

    rows = matrix(images.shape[1], size[0])
    cols = matrix(images.shape[2], size[1])
    return np.einsum("oh,nhwc,pw->nopc", rows, images, cols)


def test_metrics_match_a_numpy_reference_on_every_backend():
    """The whole pipeline (rescale, grey to RGB, resize, network, float64
    statistics) against numpy: the same values on every backend to 1e-4."""
    extractor = tiny_extractor(resize_to=(32, 32))
    probs = tiny_extractor(10, softmax=True, name="p")
    real, fake = random_images(200, 20), random_images(200, 21)

    def reference(images):
        x = numpy_bilinear_upsample(images.astype(np.float64) / 255, (32, 32))
        x = np.repeat(x, 3, axis=-1).reshape(len(images), -1)
        w1, b1, w2, b2 = (to_numpy(w) for w in extractor.network.weights)
        return np.tanh(x @ w1 + b1) @ w2 + b2

    real_ref, fake_ref = reference(real), reference(fake)
    np.testing.assert_allclose(extractor(real), real_ref, atol=1e-4)
    got = metrics.frechet_distance_from_images(real, fake, extractor)
    ref = metrics.frechet_distance_from_features(real_ref, fake_ref)
    assert got == pytest.approx(ref, rel=1e-4)
    got = metrics.kernel_distance_from_images(
        real, fake, extractor, num_subsets=10, subset_size=100
    )
    ref = metrics.kernel_distance(real_ref, fake_ref, 10, 100)
    assert got == pytest.approx(ref, rel=1e-4, abs=1e-6)
    got = metrics.precision_recall_from_images(real, fake, extractor)
    assert got == metrics.precision_recall(real_ref, fake_ref)
    got = metrics.inception_score_from_images(fake, probs, splits=4)
    ref = metrics.inception_score(numpy_tiny_features(probs, fake, True), 4)
    assert got == pytest.approx(ref, rel=1e-4)


# -- Checkerboard energy -----------------------------------------------------


def test_checkerboard_energy_exact_values():
    i, j = np.meshgrid(np.arange(16), np.arange(16), indexing="ij")
    checker = ((-1.0) ** (i + j))[None, :, :, None]
    stripes = ((-1.0) ** j)[None, :, :, None]
    smooth = np.cos(2 * np.pi * i / 8)[None, :, :, None]
    assert metrics.checkerboard_energy(checker) == pytest.approx(1.0)
    assert metrics.checkerboard_energy(stripes) == pytest.approx(1.0)
    assert metrics.checkerboard_energy(smooth + 5.0) < 1e-12
    assert metrics.checkerboard_energy(np.full((2, 8, 8, 3), 0.3)) == 0.0
    # Parseval: the checkerboard holds a^2 of the energy, the cosine
    # b^2 / 2, so with a = 1 and b = 2 the share is 1 / 3 - whatever the
    # scale, mean or channel count.
    mixed = np.repeat(checker + 2.0 * smooth, 3, axis=-1)
    assert metrics.checkerboard_energy(mixed * 7.0 - 1.0) == pytest.approx(
        1 / 3
    )
    # The mean over images.
    both = np.concatenate([checker, smooth])
    assert metrics.checkerboard_energy(both) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="even H and W"):
        metrics.checkerboard_energy(np.zeros((1, 7, 8, 1)))


# -- Extractors ---------------------------------------------------------------


def test_feature_extractor_checks_the_pixel_range():
    extractor = tiny_extractor()
    images = random_images(4, 0)
    with pytest.raises(ValueError, match="pixel_range"):
        extractor(images, pixel_range=(0.0, 1.0))
    signed = images.astype("float32") / 127.5 - 1.0
    np.testing.assert_allclose(
        extractor(signed, pixel_range=(-1, 1)), extractor(images), atol=1e-5
    )
    with pytest.raises(ValueError, match="channels"):
        extractor(random_images(2, 0, channels=3))


def test_inception_v3_extractor_builds_pool3_and_preprocesses(monkeypatch):
    """The arguments given to keras.applications.InceptionV3 and the input
    preparation, with a small stand-in network (fast on every backend)."""
    calls = {}

    def stand_in(**kwargs):
        calls.update(kwargs)
        inputs = keras.Input(kwargs["input_shape"])
        pooled = keras.layers.GlobalAveragePooling2D()(inputs)
        return keras.Model(inputs, keras.layers.Dense(2048)(pooled))

    with pytest.raises(ValueError, match="say nothing"):
        metrics.inception_v3_extractor(weights=None)
    monkeypatch.setattr(keras.applications, "InceptionV3", stand_in)
    extractor = metrics.inception_v3_extractor(weights="/tmp/w.h5")
    assert calls == {
        "include_top": False,
        "weights": "/tmp/w.h5",
        "input_shape": (299, 299, 3),
        "pooling": "avg",
    }
    assert extractor.name == "inception_v3_pool3"
    assert extractor.label.startswith("FID")
    assert extractor.pixel_range == (-1.0, 1.0)
    prepared = to_numpy(extractor.prepare(random_images(2, 0)))
    assert prepared.shape == (2, 299, 299, 3)
    assert prepared.min() >= -1.0 and prepared.max() <= 1.0
    np.testing.assert_array_equal(prepared[..., 0], prepared[..., 2])
    assert extractor(random_images(3, 0)).shape == (3, 2048)
    # The config is the loader call, and rebuilds the same extractor.
    config = keras.saving.serialize_keras_object(extractor)
    assert config["config"] == {
        "loader": "inception_v3",
        "weights": "/tmp/w.h5",
        "output": "pool3",
        "batch_size": 64,
        "allow_random": False,
    }
    calls.clear()
    rebuilt = keras.saving.deserialize_keras_object(config)
    assert rebuilt.name == "inception_v3_pool3" and calls["weights"] == (
        "/tmp/w.h5"
    )
    random = metrics.inception_v3_extractor(None, allow_random=True)
    assert random.name == "inception_v3_pool3_random"
    assert "FID" not in random.label


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="An eager InceptionV3 forward pass takes about a minute on the "
    "CPU JAX and PyTorch backends; the wrapper is the same on all.",
)
def test_inception_v3_extractor_gives_2048_features():
    extractor = metrics.inception_v3_extractor(weights=None, allow_random=True)
    features = extractor(random_images(2, 0))
    assert features.shape == (2, 2048) and features.dtype == np.float64
    assert np.all(features >= 0)  # average of ReLU outputs


def test_domain_classifier_preset_round_trip(tmp_path):
    config = metrics.domain_classifier_config("mnist")
    classifier = metrics.domain_classifier(**config)
    assert classifier.output_shape == (None, 10)
    assert classifier.get_layer("features").output.shape == (None, 128)
    presets.save_to_preset(
        classifier,
        tmp_path,
        {
            "extractor_name": "mnist_classifier",
            "features_layer": "features",
            "test_accuracy": 0.5,
        },
    )
    extractor = metrics.load_domain_classifier(tmp_path)
    assert extractor.name == "mnist_classifier"
    assert extractor.label == (
        "Fréchet Distance on mnist_classifier features (FD-mnist)"
    )
    images = random_images(8, 0)
    expected = metrics.extractor_from_classifier(classifier, "mnist_classifier")
    np.testing.assert_allclose(extractor(images), expected(images), atol=1e-5)
    probabilities = metrics.load_domain_classifier(tmp_path, "probabilities")
    np.testing.assert_allclose(probabilities(images).sum(axis=1), 1.0, 1e-5)
    assert extractor.metadata["sha256"]["model.weights.h5"]


def test_metric_configs_rebuild_their_extractors():
    """Metrics serialize with the loader call of their extractor: a config
    round trip gives a metric that scores the same images the same."""
    real = random_images(64, 0)
    fake = random_images(64, 1)
    extractor = metrics.load_domain_classifier("mnist_classifier")
    classifier = metrics.load_domain_classifier(
        "mnist_classifier", "probabilities"
    )
    for metric in (
        metrics.FrechetDistance(extractor, generated_pixel_range=(0, 255)),
        metrics.KernelDistance(extractor, num_subsets=5, subset_size=32),
        metrics.PrecisionRecall(extractor, k=4),
        metrics.InceptionScore(classifier, splits=2),
    ):
        config = keras.saving.serialize_keras_object(metric)
        json.dumps(config)
        clone = keras.saving.deserialize_keras_object(config)
        assert type(clone) is type(metric)
        assert clone.get_config() == metric.get_config()
        assert clone.name == metric.name
        results = []
        for m in (metric, clone):
            if isinstance(m, metrics.InceptionScore):
                m.update_state(generated=fake)
            else:
                m.update_state(real, fake)
            results.append(m.result())
        assert results[0] == results[1]
    plain = metrics.KernelDistance(num_subsets=3, pixel_range=(0, 1))
    clone = metrics.KernelDistance.from_config(plain.get_config())
    assert clone.extractor is None and clone.num_subsets == 3
    inputs = keras.Input((28, 28, 1))
    network = keras.Model(inputs, keras.layers.Flatten()(inputs))
    in_code = metrics.FeatureExtractor(network, "flat", (28, 28), 1)
    with pytest.raises(ValueError, match="built in code"):
        metrics.FrechetDistance(in_code).get_config()


def test_reference_floor_between_real_splits(monkeypatch):
    """Train vs test digits score near the floor of each metric, and the
    Inception Score does not depend on the order of the test split (here
    sorted by class, as the CIFAR-10 copy is)."""
    from keras_aegan import datasets

    load_arrays = datasets.load_arrays

    def sorted_by_class(name, split, data_dir=None):
        images, labels = load_arrays("mnist_sample", split)
        order = np.argsort(labels, kind="stable")
        return images[order], labels[order]

    monkeypatch.setattr(metrics.floors.datasets, "load_arrays", sorted_by_class)
    extractor = metrics.load_domain_classifier("mnist_classifier")
    classifier = metrics.load_domain_classifier(
        "mnist_classifier", "probabilities"
    )
    floor = metrics.reference_floor(
        "mnist_sorted",
        extractor,
        classifier,
        num_train=1000,
        num_test=1000,
        kid_subsets=10,
        kid_subset_size=500,
    )
    assert floor["num_train"] == floor["num_test"] == 1000
    assert floor["label"] == extractor.label
    assert 0.8 < floor["precision"] <= 1 and 0.8 < floor["recall"] <= 1
    # 1,000 balanced test digits that the classifier (99.3 %) is sure of:
    # close to the 10 classes, against about 1 for one-class splits.
    assert floor["is"] > 8.5
    # Noise images are far from the digits on the same features.
    noise = random_images(1000, 0)
    real, _ = sorted_by_class("mnist_sample", "test")
    noise_fd = metrics.frechet_distance_from_images(real, noise, extractor)
    assert floor["fd"] < noise_fd / 20


def test_domain_classifier_resnet_adds_its_residual_units():
    classifier = metrics.domain_classifier(
        **metrics.domain_classifier_config("cifar10")
    )
    assert classifier.output_shape == (None, 10)
    assert classifier.get_layer("features").output.shape == (None, 256)
    # Page's ResNet-9: residual units after the first and third stages.
    names = {layer.name for layer in classifier.layers}
    assert {"stage0_add", "stage2_add"} <= names
    assert "stage1_add" not in names
    probe = keras.Model(
        classifier.input,
        [
            classifier.get_layer(name).output
            for name in ("stage0_pool", "stage0_res1_relu", "stage0_add")
        ],
    )
    images = random_images(4, 0, size=32, channels=3).astype("float32") / 255
    pooled, residual, added = (to_numpy(t) for t in probe(images))
    assert pooled.shape == (4, 16, 16, 48)
    np.testing.assert_allclose(added, pooled + residual, atol=1e-6)
    probabilities = to_numpy(classifier(images))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match='"vgg" or "resnet".*densenet'):
        metrics.domain_classifier(architecture="densenet")


@pytest.mark.large
@pytest.mark.needs_data("mnist")
def test_train_domain_classifier_script_writes_a_preset(tmp_path):
    sys.path.insert(0, str(REPO / "zoo"))
    import train_domain_classifier

    out = tmp_path / "clf"
    status = train_domain_classifier.main(
        [
            "--dataset", "mnist", "--out", str(out), "--epochs", "1",
            "--max-train", "512", "--max-test", "500",
            "--data-dir", str(SHARED_DATA),
        ]
    )  # fmt: skip
    assert status == 1  # 512 images and one epoch stay below 99%
    metadata = json.loads((out / "metadata.json").read_text())
    assert 0.1 < metadata["test_accuracy"] < 0.99
    assert metadata["meets_target"] is False
    assert set(metadata["sha256"]) == {"config.json", "model.weights.h5"}
    # The recipe keeps the training options, not this machine's folders.
    assert metadata["recipe"] == (
        "python zoo/train_domain_classifier.py --dataset mnist --epochs 1 "
        "--max-train 512 --max-test 500"
    )
    assert metrics.load_domain_classifier(out).name == "mnist_classifier"


# -- Importance-sampled likelihood --------------------------------------------


def dense_vae():
    """A VAE of dense networks whose decoder depends strongly on `z`, so
    that its random encoder is a poor posterior and importance sampling
    has something to gain (an untrained conv decoder ignores `z`)."""
    from keras_aegan import models

    images = keras.Input((28, 28, 1))
    h = keras.layers.Flatten()(images)
    encoder = keras.Model(
        images, [keras.layers.Dense(4)(h), keras.layers.Dense(4)(h)]
    )
    codes = keras.Input((4,))
    init = keras.initializers.RandomNormal(stddev=0.5, seed=0)
    logits = keras.layers.Dense(784, kernel_initializer=init)(codes)
    decoder = keras.Model(codes, keras.layers.Reshape((28, 28, 1))(logits))
    return models.VAE(encoder, decoder, latent_dim=4, seed=0)


@pytest.fixture
def small_vae():
    return dense_vae()


def negative_elbo(vae, binary, num_samples):
    """`-E_q[log p(x|z)] + KL(q || p)`, the KL in closed form (Kingma &
    Welling 2014, eq. 10), averaged over `num_samples` posterior draws."""
    from keras_aegan import losses

    z_mean, z_log_var = vae.encode(binary)
    kl = to_numpy(losses.gaussian_kl_divergence(z_mean, z_log_var))
    eps = np.random.default_rng(0).normal(size=(num_samples, *z_mean.shape))
    z = to_numpy(z_mean) + np.exp(0.5 * to_numpy(z_log_var)) * eps
    logits = vae.decoder(z.reshape(-1, z.shape[-1]).astype("float32"))
    tiled = np.broadcast_to(binary, (num_samples, *binary.shape))
    nll = losses.bernoulli_negative_log_likelihood(
        tiled.reshape(-1, *binary.shape[1:]), logits
    )
    return to_numpy(nll).reshape(num_samples, -1).mean(axis=0) + kl


def test_dynamic_binarization(mnist_digits):
    images = mnist_digits[0][:500]
    a = metrics.dynamically_binarize(images, seed=1)
    b = metrics.dynamically_binarize(images.astype("float32") / 255, seed=1)
    np.testing.assert_array_equal(a, b)
    assert set(np.unique(a)) <= {0.0, 1.0}
    assert a.mean() == pytest.approx(images.mean() / 255, abs=5e-3)
    assert not np.array_equal(a, metrics.dynamically_binarize(images, seed=2))


def test_importance_sampled_nll_bounds(small_vae, mnist_digits):
    images = mnist_digits[0][:16]
    binary = metrics.dynamically_binarize(images, seed=0)
    # Each log weight is a single-sample L_1, an unbiased estimate of the
    # ELBO: their mean matches the closed-form-KL negative ELBO.
    draws = to_numpy(
        metrics.iwae_log_weights(small_vae, binary, 64, seed=0, chunk=64)
    )
    neg_elbo = negative_elbo(small_vae, binary, num_samples=400)
    error = draws.std(axis=0, ddof=1) / np.sqrt(len(draws))
    assert np.all(np.abs(-draws.mean(axis=0) - neg_elbo) < 5 * error)
    nll_1 = metrics.importance_sampled_nll(
        small_vae, images, k=1, seed=0, use_model_method=False
    )
    nll_64 = metrics.importance_sampled_nll(
        small_vae, images, k=64, seed=0, use_model_method=False
    )
    # A larger k gives a tighter bound: a lower NLL estimate.
    assert nll_64 < nll_1 - 1.0
    assert nll_64 > 0
    # The VAE's own estimator agrees with this one.
    nll_model = metrics.importance_sampled_nll(small_vae, images, k=64, seed=0)
    assert nll_model == pytest.approx(nll_64, rel=0.01)


# -- Monitoring callback -------------------------------------------------------


def test_callback_logs_for_model_checkpoint(tmp_path, mnist_unit):
    vae = dense_vae()
    vae.compile()
    extractor = tiny_extractor()
    monitor = metrics.GenerativeMetricsCallback(
        (mnist_unit[:200] * 255).astype("uint8"),
        extractor,
        every_n_epochs=2,
        kid_subset_size=100,
    )
    path = tmp_path / "best.weights.h5"
    checkpoint = keras.callbacks.ModelCheckpoint(
        str(path),
        monitor="val_fd_tiny",
        mode="min",
        save_best_only=True,
        save_weights_only=True,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = vae.fit(
            mnist_unit[:128],
            epochs=4,
            batch_size=64,
            verbose=0,
            callbacks=[monitor, checkpoint],
        )
    assert [h["epoch"] for h in monitor.history] == [2, 4]
    fds = [h["val_fd_tiny"] for h in monitor.history]
    assert all(np.isfinite(fds)) and all(f > 0 for f in fds)
    assert "val_kid_tiny" in monitor.history[0]
    assert checkpoint.best == pytest.approx(min(fds))
    assert path.is_file()
    # History records the measured epochs; ModelCheckpoint only skipped
    # the epochs without a measurement.
    assert history.history["val_fd_tiny"] == pytest.approx(fds)
    skipped = [w for w in caught if "val_fd_tiny" in str(w.message)]
    assert len(skipped) == 2


def test_requested_class_accuracy_counts_each_class():
    probabilities = np.eye(3)[[0, 0, 1, 2, 2, 1]]
    labels = np.array([0, 1, 1, 2, 2, 2])
    scores = metrics.requested_class_accuracy(probabilities, labels)
    assert scores["class_accuracy"] == pytest.approx(4 / 6)
    assert scores["class_accuracy_per_class"] == pytest.approx([1, 0.5, 2 / 3])
    with pytest.raises(ValueError, match="one label per sample"):
        metrics.requested_class_accuracy(probabilities, labels[:5])


def test_requested_labels_are_the_classes_generate_images_asks_for():
    from keras_aegan.models import ConditionalGAN

    # A generator that paints its label into every pixel: the classes a
    # sample was asked for can be read back from it.
    z = keras.Input((4,))
    labels = keras.Input((), dtype="int32")
    painted = keras.layers.Lambda(
        lambda t: (
            keras.ops.ones((keras.ops.shape(t)[0], 2, 2, 1))
            * keras.ops.reshape(keras.ops.cast(t, "float32"), (-1, 1, 1, 1))
        )
    )(labels)
    generator = keras.Model([z, labels], painted)
    model = ConditionalGAN(
        generator=generator, image_shape=(2, 2, 1), num_classes=3, latent_dim=4
    )
    images = metrics.generate_images(model, 2500, seed=0)
    read_back = np.rint(images[:, 0, 0, 0]).astype(int)
    probabilities = np.eye(3)[read_back]
    asked = metrics.requested_labels(model, 2500)
    scores = metrics.requested_class_accuracy(probabilities, asked)
    assert scores["class_accuracy"] == 1.0
    shifted = metrics.requested_class_accuracy(probabilities, (asked + 1) % 3)
    assert shifted["class_accuracy"] == 0.0
