"""Pix2Pix: the family contract, the paper's objective, and training on real
faces, on the active backend."""

import keras
import numpy as np
import pytest

from keras_aegan import datasets
from keras_aegan import models
from keras_aegan import networks
from tests.helpers import SHARED_DATA
from tests.helpers import BatchLogs
from tests.helpers import per_batch
from tests.helpers import run_generative_model_test
from tests.helpers import skip_without_data
from tests.helpers import to_numpy

SMALL = {
    "image_shape": (32, 32, 1),
    "generator_filters": 8,
    "discriminator_filters": 8,
    "discriminator_layers": 2,
}


@pytest.fixture(scope="module")
def faces():
    """The 400 real Olivetti faces at 32x32, in [-1, 1]."""
    skip_without_data("olivetti/olivetti_faces.npz")
    images, _ = datasets.load_arrays(
        "olivetti_faces", data_dir=str(SHARED_DATA)
    )
    small = keras.ops.image.resize(
        images.astype("float32"), (32, 32), antialias=True
    )
    return np.clip(to_numpy(small) / 127.5 - 1.0, -1.0, 1.0)


def sr_pairs(images):
    task = datasets.PairedTask("super_resolution", images.shape[-1])
    return task, *datasets.make_pairs(task, images)


def test_the_paper_networks_and_defaults():
    model = models.Pix2Pix(image_shape=(256, 256, 3), seed=0)
    g, d = model.generator, model.discriminator
    # Encoder C64-C128-C256-C512 x 5 down to 1x1 (Isola et al., 6.1.1).
    widths = [g.get_layer(f"down{i}_conv").filters for i in range(8)]
    assert widths == [64, 128, 256, 512, 512, 512, 512, 512]
    # Dropout 0.5 in the three innermost decoder stages only.
    dropout = [layer for layer in g.layers if "dropout" in layer.name]
    assert sorted(layer.name for layer in dropout) == [
        "up4_dropout",
        "up5_dropout",
        "up6_dropout",
    ]
    assert all(layer.rate == 0.5 for layer in dropout)
    # The discriminator sees (input, output) pairs: 3 + 3 channels, and
    # scores 70x70 patches on a 32x32 map.
    assert tuple(d.input.shape) == (None, 256, 256, 6)
    assert tuple(d.output.shape) == (None, 32, 32, 1)
    model.compile()
    for name in ("generator_optimizer", "discriminator_optimizer"):
        optimizer = model.optimizer[name]
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(to_numpy(optimizer.learning_rate)) == pytest.approx(2e-4)
        assert optimizer.beta_1 == 0.5
    assert model.l1_weight == 100.0


def test_contract_on_real_face_pairs(faces, tmp_path):
    _, inputs, targets = sr_pairs(faces[:64])
    model = models.Pix2Pix(**SMALL, seed=0)
    model.compile()
    run_generative_model_test(
        model, (inputs, targets), inputs[:4], tmp_path, batch_size=32
    )


def test_losses_are_the_papers_objective(faces):
    """D: half the cross-entropy of real pairs against generated ones;
    G: -log D(x, G(x)) + 100 |y - G(x)|, recomputed here in NumPy from the
    networks' outputs."""
    _, x, y = sr_pairs(faces[:8])
    model = models.Pix2Pix(**SMALL, dropout=0.0, seed=0)
    fake = to_numpy(model.generator(x, training=False))
    real_logits = to_numpy(
        model.discriminator(np.concatenate([x, y], -1), training=False)
    ).astype("float64")
    fake_logits = to_numpy(
        model.discriminator(np.concatenate([x, fake], -1), training=False)
    ).astype("float64")

    def softplus(v):
        return np.logaddexp(0.0, v)

    d_expected = 0.5 * (
        softplus(-real_logits).mean() + softplus(fake_logits).mean()
    )
    gan = softplus(-fake_logits).mean()
    l1 = np.abs(y - fake).mean()
    d_loss, _ = model.discriminator_loss(x, y, training=False)
    g_loss, logs = model.generator_loss(x, y, training=False)
    assert float(to_numpy(d_loss)) == pytest.approx(d_expected, rel=1e-5)
    assert float(to_numpy(logs["g_gan_loss"])) == pytest.approx(gan, rel=1e-5)
    assert float(to_numpy(logs["l1_loss"])) == pytest.approx(l1, rel=1e-5)
    assert float(to_numpy(g_loss)) == pytest.approx(gan + 100 * l1, rel=1e-5)
    # The discriminator is conditioned on the input: another input with the
    # same target changes its scores.
    other = to_numpy(
        model.discriminator(np.concatenate([-x, y], -1), training=False)
    )
    assert np.abs(other - real_logits).max() > 0.1 * np.abs(real_logits).max()


def test_l1_falls_and_beats_bicubic_on_held_out_faces(faces):
    """Eight epochs on 320 real faces (x4 super-resolution at 32x32): the
    L1 term falls, and on 80 held-out faces the outputs are nearer the
    originals than the bicubic inputs are, by 5 % at least (measured: 7 %
    after 6 epochs; an untrained generator is 2.5 times as far)."""
    task, inputs, targets = sr_pairs(faces)
    model = models.Pix2Pix(**dict(SMALL, generator_filters=16), seed=0)
    model.compile()
    record = BatchLogs()
    model.fit(
        inputs[:320],
        targets[:320],
        batch_size=16,
        epochs=8,
        verbose=0,
        callbacks=[record],
    )
    l1 = per_batch([logs["l1_loss"] for logs in record.logs])
    assert l1[-10:].mean() < 0.6 * l1[:3].mean()
    outputs = model.translate(inputs[320:])
    model_error = np.abs(outputs - targets[320:]).mean()
    bicubic_error = np.abs(task.baseline(inputs[320:]) - targets[320:]).mean()
    assert model_error < 0.95 * bicubic_error, (model_error, bicubic_error)


def test_augment_moves_input_and_target_together(faces):
    """A random flip as `augment` flips the pair as one image: with the
    target equal to the input, the jittered pair stays equal, and some
    images are flipped."""
    x = faces[:16]
    flip = keras.layers.RandomFlip("horizontal", seed=0)
    model = models.Pix2Pix(
        **SMALL, input_channels=1, augment=flip, dropout=0.0, seed=0
    )
    jx, jy = (to_numpy(t) for t in model.jitter(x, x))
    np.testing.assert_array_equal(jx, jy)
    flipped = [not np.array_equal(a, b) for a, b in zip(jx, x, strict=True)]
    assert 0 < sum(flipped) < len(x)
    for a, b, was in zip(jx, x, flipped, strict=True):
        np.testing.assert_array_equal(a, b[:, ::-1] if was else b)
    model.compile()
    history = model.fit(x, x, batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"][0])


def test_colorization_and_inpainting_shapes():
    grey_to_rgb = models.Pix2Pix(
        image_shape=(32, 32, 3), input_channels=1, generator_filters=8, seed=0
    )
    assert tuple(grey_to_rgb.discriminator.input.shape) == (None, 32, 32, 4)
    out = grey_to_rgb.translate(np.zeros((2, 32, 32, 1), "float32"))
    assert out.shape == (2, 32, 32, 3)
    masked = models.Pix2Pix(
        image_shape=(32, 32, 3), input_channels=4, generator_filters=8, seed=0
    )
    assert tuple(masked.generator.input.shape) == (None, 32, 32, 4)


def test_bad_input_is_refused_with_what_was_expected():
    model = models.Pix2Pix(**SMALL, seed=0)
    model.compile()
    x = np.zeros((8, 32, 32, 1), "float32")
    with pytest.raises(
        ValueError, match="pairs.*Received batches of one tensor"
    ):
        model.fit(x, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="one target per input.*8 inputs"):
        model.fit(x, x[:4], batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"targets.*\(32, 32, 1\)"):
        model.fit(x, np.zeros((8, 32, 32, 3), "float32"), verbose=0)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        model.fit(x, x + 5.0, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="generator that maps"):
        models.Pix2Pix(
            generator=networks.unet((32, 32, 1), 3, (8, 16)), **SMALL
        )
    with pytest.raises(ValueError, match="discriminator of .*pairs"):
        models.Pix2Pix(
            discriminator=networks.patchgan_discriminator(
                (32, 32, 1), 8, num_layers=2
            ),
            **SMALL,
        )
    with pytest.raises(ValueError, match="l1_weight >= 0"):
        models.Pix2Pix(**SMALL, l1_weight=-1)


@pytest.mark.parametrize(
    ("task", "input_channels"),
    [("super_resolution", 3), ("inpainting", 4), ("colorization", 1)],
)
def test_residual_unet_starts_from_the_task_baseline(task, input_channels):
    """With `residual=True` a U-Net whose last layer outputs zero returns
    exactly the task's baseline; an initialized one adds to it."""
    images = (
        np.random.default_rng(0).uniform(-1, 1, (4, 32, 32, 3)).astype("f4")
    )
    pairs = datasets.PairedTask(task, 3)
    inputs, _ = datasets.make_pairs(pairs, images, seed=0)
    net = networks.unet((32, 32, input_channels), 3, (8, 8), residual=True)
    assert np.abs(to_numpy(net(inputs)) - pairs.baseline(inputs)).max() > 0
    last = net.get_layer("outputs")
    last.set_weights([np.zeros_like(w) for w in last.get_weights()])
    np.testing.assert_allclose(
        to_numpy(net(inputs)), pairs.baseline(inputs), atol=1e-6
    )


def test_residual_pix2pix_builds_a_residual_generator():
    model = models.Pix2Pix(**SMALL, residual=True, seed=0)
    assert isinstance(model.generator.layers[-1], networks.InputResidual)
    clone = type(model).from_config(model.get_config())
    assert clone.residual and clone.get_config() == model.get_config()
    assert not models.Pix2Pix(**SMALL).residual
