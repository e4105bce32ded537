"""The presets shipped in the package: offline loading, cross-backend
outputs, fine-tuning."""

import numpy as np
import pytest

from keras_aegan import presets
from keras_aegan.models import VQVAE
from keras_aegan.models import GenerativeModel
from keras_aegan.models import Pix2Pix
from keras_aegan.models import UnpairedTranslationModel
from tests.helpers import REPO
from tests.helpers import SHARED_DATA
from tests.helpers import skip_without_data
from tests.helpers import to_numpy

# Folders of the data sets under ../shared/data, where they differ from
# the data set's name.
DATA_FOLDERS = {"fashion_mnist": "fashion-mnist"}

SHIPPED = sorted(presets.list_presets())
# The presets declared beside each class (and the metrics' loader).
CLASSIFIERS = presets.presets_of("domain_classifier")
TRANSLATORS = presets.presets_of(UnpairedTranslationModel)
PAIRED = presets.presets_of(Pix2Pix)
# Autoencoders without a prior to sample from.
QUANTIZERS = presets.presets_of(VQVAE)
GENERATORS = [
    n
    for n in presets.presets_of(GenerativeModel)
    if n not in TRANSLATORS + PAIRED + QUANTIZERS
]
# Quality measured on real data is the same number on every backend, since
# each preset's outputs match its reference on every backend (the
# `matches_its_reference` tests, which run in every pass): the costly
# measurements run once, in one pass (`once`, tests/conftest.py), and each
# preset keeps one cheap number checked on every backend.
ONCE = pytest.mark.once
COSTLY = {"dcgan_cifar10", "cifar10_classifier", "fashion_mnist_classifier"}


def spread(names):
    """The costly parameters marked `once`."""
    return [pytest.param(n, marks=ONCE) if n in COSTLY else n for n in names]


# The margin over its task's baseline that each paired preset's card
# states, in dB of PSNR on the test split.
PAIRED_MARGINS_DB = {
    "pix2pix_inpaint_olivetti": 1.0,
    "pix2pix_sr4_cifar10": 0.5,
}


def test_the_registry_lists_the_shipped_presets():
    assert {"dcgan_mnist", "vae_mnist", "mnist_classifier"} <= set(SHIPPED)
    assert presets.list() == presets.list_presets()
    # Every registered preset is declared once, and is shipped.
    assert (
        sorted(CLASSIFIERS + TRANSLATORS + PAIRED + QUANTIZERS + GENERATORS)
        == SHIPPED
    )
    assert "cyclegan_horse2zebra_64" in TRANSLATORS
    for name in SHIPPED:
        assert presets.declaration_file(name).name.endswith("_presets.py")
        assert (presets.SHIPPED_DIR / presets.REGISTRY[name]["path"]).is_dir()


@pytest.mark.parametrize("name", GENERATORS)
def test_shipped_preset_loads_offline_and_matches_its_reference(name):
    model = GenerativeModel.from_preset(name)
    images = to_numpy(model.generate(8, seed=0))
    assert images.shape == (8, *model.image_shape)
    low, high = model.pixel_range
    assert images.min() >= low and images.max() <= high
    # The same caller-supplied codes give the same images on every backend
    # (the reference was written on TensorFlow by zoo/build_preset.py).
    reference = np.load(REPO / "zoo" / name / "reference.npz")
    if model.conditional:
        outputs = model.generator([reference["z"], reference["labels"]])
    else:
        decode = model.decode if hasattr(model, "decode") else model.generator
        outputs = decode(reference["z"])
    np.testing.assert_allclose(
        to_numpy(outputs), reference["outputs"], atol=1e-5
    )


@pytest.mark.parametrize("name", spread(GENERATORS))
def test_shipped_generator_scores_far_better_than_its_untrained_copy(name):
    """On the shipped domain classifier of its data set, against real test
    images: the preset is much closer to the data than the same
    architecture with fresh weights."""
    import json

    from keras_aegan import datasets
    from keras_aegan import metrics

    model = GenerativeModel.from_preset(name)
    folder = presets.resolve(name)
    dataset = json.loads((folder / presets.METADATA_FILE).read_text())[
        "dataset"
    ]
    classifier = f"{dataset}_classifier"
    if classifier not in SHIPPED:
        pytest.skip(f"No classifier preset for {dataset}.")
    skip_without_data(DATA_FOLDERS.get(dataset, dataset))
    real, _ = datasets.load_arrays(dataset, "test", SHARED_DATA)
    rng = np.random.default_rng(0)
    real = real[rng.choice(len(real), 1000, replace=False)]
    extractor = metrics.load_domain_classifier(classifier)
    untrained = type(model).from_config(model.get_config())
    scores = {
        key: metrics.evaluate_generator(
            m, real, extractor, num_samples=500, kid_subsets=10
        )
        for key, m in (("preset", model), ("untrained", untrained))
    }
    assert scores["preset"]["fd"] < scores["untrained"]["fd"] / 2
    assert scores["preset"]["recall"] > scores["untrained"]["recall"]


@pytest.mark.skipif(
    "wgan_gp_fashion_mnist" not in SHIPPED, reason="no wgan_gp_fashion_mnist"
)
def test_wgan_gp_fashion_mnist_keeps_its_card_numbers():
    """The card's precision and recall (0.766 and 0.722 at 10,000 samples)
    and its cover of the ten garment classes, re-measured cheaply: 1,000
    samples against 1,000 test images gave precision 0.822, recall 0.738,
    and at least 7 % of the samples in every class (the untrained copy:
    0, 0, and every sample in one class)."""
    from keras_aegan import datasets
    from keras_aegan import metrics

    skip_without_data("fashion-mnist")
    model = GenerativeModel.from_preset("wgan_gp_fashion_mnist")
    real, _ = datasets.load_arrays("fashion_mnist", "test", SHARED_DATA)
    rng = np.random.default_rng(0)
    real = real[rng.choice(len(real), 1000, replace=False)]
    extractor = metrics.load_domain_classifier("fashion_mnist_classifier")
    scores = metrics.evaluate_generator(
        model, real, extractor, num_samples=1000, kid_subsets=10
    )
    assert scores["precision"] > 0.7 and scores["recall"] > 0.65, scores
    probabilities = metrics.load_domain_classifier(
        "fashion_mnist_classifier", "probabilities"
    )
    samples = to_numpy(model.generate(1000, seed=1))
    classes = to_numpy(probabilities(samples, pixel_range=(-1, 1))).argmax(1)
    shares = np.bincount(classes, minlength=10) / len(classes)
    assert shares.min() > 0.04, shares


@pytest.mark.skipif("acgan_mnist" not in SHIPPED, reason="no acgan_mnist")
def test_acgan_mnist_draws_the_requested_digits():
    """The card's class accuracy (0.985 over 10,000 samples, 0.937 for
    the weakest digit, 3), re-measured cheaply: 1,000 samples, 100 of each
    requested digit (seed 1), on `mnist_classifier`. Measured on
    TensorFlow: 0.987 in all, 0.91 for digits 3. Each backend draws its
    own noise, so the bounds leave about five standard errors. The
    untrained copy scores 0.1 (every sample is one digit)."""
    from keras_aegan import metrics

    model = GenerativeModel.from_preset("acgan_mnist")
    probabilities = metrics.load_domain_classifier(
        "mnist_classifier", "probabilities"
    )
    labels = np.repeat(np.arange(10), 100)

    def accuracy(m):
        samples = to_numpy(m.generate(len(labels), labels=labels, seed=1))
        return metrics.requested_class_accuracy(
            to_numpy(probabilities(samples, pixel_range=(-1, 1))), labels
        )

    scores = accuracy(model)
    untrained = accuracy(type(model).from_config(model.get_config()))
    assert untrained["class_accuracy"] < 0.3, untrained
    assert scores["class_accuracy"] > 0.95, scores
    assert min(scores["class_accuracy_per_class"]) > 0.8, scores


def _fashion(count):
    from keras_aegan import datasets

    skip_without_data("fashion-mnist")
    images, _ = datasets.load_arrays(
        "fashion_mnist", "train", data_dir=SHARED_DATA
    )
    return images[:count].astype("float32") / 255.0


@ONCE
def test_pretrained_vae_fine_tunes_on_fashion_faster_than_from_scratch():
    from keras_aegan.models import VAE

    x = _fashion(1024)
    results = {}
    for start in ("pretrained", "scratch"):
        vae = VAE.from_preset("vae_mnist", load_weights=start == "pretrained")
        vae.compile()
        before = vae.evaluate(x, batch_size=256, verbose=0, return_dict=True)
        history = vae.fit(x, epochs=3, batch_size=64, verbose=0, shuffle=False)
        results[start] = [before["loss"], *history.history["loss"]]
    pretrained, scratch = results["pretrained"], results["scratch"]
    # The MNIST decoder starts far off on clothes (about 1,300 nats against
    # 543 for a random decoder), then falls faster: after the first epoch
    # and on, the pretrained model's loss is the lower one.
    assert pretrained[0] - pretrained[-1] > scratch[0] - scratch[-1]
    assert pretrained[2] < scratch[2] and pretrained[3] < scratch[3]


@pytest.mark.skipif("dcgan_mnist" not in SHIPPED, reason="no dcgan_mnist")
@ONCE
def test_pretrained_dcgan_fine_tunes_toward_one_digit(mnist_digits):
    import keras

    from keras_aegan import metrics
    from keras_aegan.models import DCGAN

    # The shipped MNIST classifier (99% accurate on the test split) tells
    # the digits apart.
    classifier = metrics.load_domain_classifier(
        "mnist_classifier", output="probabilities"
    )
    images, labels = mnist_digits
    sevens = images[labels == 7].astype("float32") / 127.5 - 1.0

    def share_of_sevens(gan):
        samples = gan.generate(500, seed=0)
        probs = classifier((samples + 1.0) * 127.5, pixel_range=(0, 255))
        return float((probs.argmax(axis=1) == 7).mean())

    gan = DCGAN.from_preset("dcgan_mnist")
    before = share_of_sevens(gan)
    # Fine-tuning at 4x the paper's rate: 600 sevens, batch 64, 9 steps an
    # epoch, 72 steps in all. Measured on TensorFlow: 12% sevens before,
    # 42% after 4 epochs, 84% after 8 (20 epochs at 2e-4 reached 65%).
    gan.compile(
        discriminator_optimizer=keras.optimizers.Adam(8e-4, beta_1=0.5),
        generator_optimizer=keras.optimizers.Adam(8e-4, beta_1=0.5),
    )
    gan.fit(sevens, epochs=8, batch_size=64, verbose=0)
    after = share_of_sevens(gan)
    assert before < 0.25
    assert after > 0.6 and after > before + 0.4


@pytest.mark.parametrize("name", spread(CLASSIFIERS))
def test_shipped_classifier_reaches_its_target_on_the_real_test_split(name):
    import json

    from keras_aegan import datasets
    from keras_aegan import metrics

    extractor = metrics.load_domain_classifier(name, output="probabilities")
    meta = extractor.metadata
    assert meta["extractor_name"] == name
    assert meta["test_accuracy"] >= meta["target_accuracy"]
    target = metrics.DOMAIN_CLASSIFIERS[meta["dataset"]]["target_accuracy"]
    assert meta["target_accuracy"] == target
    # The accuracy in the metadata is measured again, here, on this
    # backend, on the real test images.
    dataset = meta["dataset"]
    skip_without_data(DATA_FOLDERS.get(dataset, dataset))
    if dataset == "horse2zebra":
        from zoo.train_domain_classifier import read_split

        images, labels = read_split(dataset, "test", str(SHARED_DATA))
    else:
        images, labels = datasets.load_arrays(dataset, "test", SHARED_DATA)
    probabilities = extractor(images, pixel_range=(0, 255))
    accuracy = float(np.mean(np.argmax(probabilities, -1) == labels))
    assert len(labels) == meta["num_test"]
    assert accuracy == pytest.approx(meta["test_accuracy"], abs=2e-3)
    features = metrics.load_domain_classifier(name)(images[:8], (0, 255))
    assert features.shape[0] == 8 and features.dtype == np.float64
    json.dumps(meta)  # plain JSON metadata


@pytest.mark.parametrize("name", TRANSLATORS)
def test_shipped_translator_matches_its_reference(name):
    from keras_aegan.models import CycleGAN

    model = CycleGAN.from_preset(name)
    reference = np.load(REPO / "zoo" / name / "reference.npz")
    for direction in ("a_to_b", "b_to_a"):
        outputs = getattr(model, f"translate_{direction}")(
            reference[f"inputs_{direction}"]
        )
        np.testing.assert_allclose(
            to_numpy(outputs), reference[f"outputs_{direction}"], atol=1e-4
        )


@pytest.mark.large
@ONCE
@pytest.mark.parametrize("name", TRANSLATORS)
def test_shipped_translator_fools_the_domain_classifier(name):
    import json

    from keras_aegan import datasets
    from keras_aegan import metrics
    from keras_aegan.models import CycleGAN

    skip_without_data("horse2zebra")
    folder = presets.resolve(name)
    recorded = json.loads((folder / presets.METADATA_FILE).read_text())
    recorded = recorded["metrics"]
    model = CycleGAN.from_preset(name)
    judge = metrics.load_domain_classifier(
        "horse2zebra_classifier", output="probabilities"
    )
    test = {
        domain: np.concatenate(
            list(
                datasets.load(
                    "horse2zebra",
                    split,
                    batch_size=64,
                    image_size=64,
                    shuffle=False,
                    data_dir=SHARED_DATA,
                )
            )
        )
        for domain, split in (("horse", "testA"), ("zebra", "testB"))
    }
    for source, target, direction, label in (
        ("horse", "zebra", "a_to_b", 1),
        ("zebra", "horse", "b_to_a", 0),
    ):
        translated = metrics.translate(model, test[source], direction)
        rate = metrics.translation_success_rate(translated, judge, label)
        baseline = metrics.translation_success_rate(test[source], judge, label)
        # The card's numbers, measured again on this backend (one image
        # may flip on a decision boundary), far above the untranslated
        # images' rate.
        assert rate == pytest.approx(
            recorded[f"success_rate_{source}_to_{target}"],
            abs=1.5 / len(translated),
        )
        untranslated = f"{target}_rate_of_untranslated_{source}s"
        assert baseline == pytest.approx(
            recorded[untranslated], abs=1.5 / len(translated)
        )
        assert rate > baseline + 0.5
        # No checkerboard beyond what real images of the target domain
        # hold (the transposed-convolution CycleGAN had 2-3x theirs).
        assert metrics.checkerboard_energy(translated) < 1.5 * (
            metrics.checkerboard_energy(test[target])
        )


@pytest.mark.parametrize("name", PAIRED)
def test_shipped_paired_translator_matches_its_reference(name):
    model = Pix2Pix.from_preset(name)
    reference = np.load(REPO / "zoo" / name / "reference.npz")
    np.testing.assert_allclose(
        to_numpy(model.translate(reference["inputs"])),
        reference["outputs"],
        atol=1e-4,
    )


def _paired_test_recipe(recipe, tmp_path):
    """The recipe with its data set where this machine has it: the
    Olivetti split by person is written again from the shared data."""
    if recipe["dataset"].endswith(".npz"):
        from zoo.pix2pix_inpaint_olivetti.split_by_person import split_by_person

        skip_without_data("olivetti")
        split_by_person(SHARED_DATA, tmp_path / "split.npz")
        return {**recipe, "dataset": str(tmp_path / "split.npz")}
    skip_without_data(DATA_FOLDERS.get(recipe["dataset"], recipe["dataset"]))
    return recipe


@pytest.mark.parametrize("name", PAIRED)
def test_shipped_paired_translator_beats_its_baseline(name, tmp_path):
    """PSNR on the card's test inputs (the same holes or downsamplings,
    seed 0), re-measured on this backend: the card's numbers, and the
    card's margin over the baseline, which the baseline itself (a model
    returning its input unchanged) misses by the whole margin."""
    import json

    from keras_aegan import metrics
    from zoo.build_preset import paired_test_pairs

    recipe = json.loads((REPO / "zoo" / name / "recipe.json").read_text())
    task, inputs, targets = paired_test_pairs(
        _paired_test_recipe(recipe, tmp_path), SHARED_DATA
    )
    recorded = json.loads(
        (presets.resolve(name) / presets.METADATA_FILE).read_text()
    )["metrics"]
    count = min(len(inputs), 1000)
    scores = metrics.paired_translation_scores(
        Pix2Pix.from_preset(name), inputs[:count], targets[:count], task
    )
    margin = PAIRED_MARGINS_DB[name]
    assert scores["psnr"] > scores["baseline_psnr"] + margin, scores
    if "hole_psnr" in scores:
        assert scores["hole_psnr"] > scores["baseline_hole_psnr"] + margin
    if count == recorded["test_images"]:
        for key in ("psnr", "ssim", "baseline_psnr", "baseline_ssim"):
            assert scores[key] == pytest.approx(recorded[key], abs=0.01), key


@pytest.mark.parametrize("name", QUANTIZERS)
def test_shipped_vqvae_matches_its_reference(name):
    model = VQVAE.from_preset(name)
    reference = np.load(REPO / "zoo" / name / "reference.npz")
    # The same codes for the same images on every backend, and the same
    # reconstructions (the reference was written on TensorFlow).
    np.testing.assert_array_equal(
        model.codes(reference["inputs"]), reference["codes"]
    )
    np.testing.assert_allclose(
        to_numpy(model.reconstruct(reference["inputs"])),
        reference["reconstructions"],
        atol=1e-4,
    )


def _vq_scores(model, images):
    """The card's two numbers: the perplexity of the code usage and the
    squared reconstruction error over the images' variance."""
    counts = np.bincount(
        model.codes(images).ravel(), minlength=model.num_embeddings
    )
    p = counts[counts > 0] / counts.sum()
    mse = np.mean((to_numpy(model.reconstruct(images)) - images) ** 2)
    return float(np.exp(-np.sum(p * np.log(p)))), float(mse / np.var(images))


@pytest.mark.parametrize("name", QUANTIZERS)
def test_shipped_vqvae_keeps_its_card_reconstruction_error(name):
    """The card's normalized MSE on the first 256 test images, re-measured
    on this backend, under the card's target of 0.07; the same network
    with fresh weights is far off."""
    import json

    from keras_aegan import datasets

    skip_without_data("cifar10")
    recorded = json.loads(
        (presets.resolve(name) / presets.METADATA_FILE).read_text()
    )["metrics"]
    images = np.concatenate(
        list(
            datasets.load(
                "cifar10",
                "test",
                batch_size=256,
                pixel_range=(0.0, 1.0),
                shuffle=False,
                data_dir=SHARED_DATA,
                max_examples=256,
            )
        )
    )
    model = VQVAE.from_preset(name)
    perplexity, nmse = _vq_scores(model, images)
    assert nmse == pytest.approx(recorded["normalized_mse_first_256"], rel=1e-3)
    assert nmse < 0.07
    # 256 images give 16,384 code positions: many of the 512 codes.
    assert perplexity > 150, perplexity
    _, untrained_nmse = _vq_scores(
        VQVAE.from_preset(name, load_weights=False), images
    )
    assert untrained_nmse > 5 * nmse
