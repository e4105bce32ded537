"""Mixed precision: loss scaling per optimizer, and steps that match float32.

Under `mixed_float16` the networks compute in float16 while the variables,
the losses and the optimizers stay in float32. Float16 has an 11-bit
significand (relative rounding 2^-11 = 4.9e-4 per operation); through a few
layers forward and back the gradients of one step differ from float32 by
about 1e-3 to 1e-2 of their size. The bound below, 5e-2 of the update's
norm, sits above that and far below what a wrongly scaled gradient gives:
a loss scale that is not undone, or undone twice, changes the update by a
factor of 2^15 (a relative error of about 1), which the test checks fails.
"""

import keras
import numpy as np
import pytest
from keras import ops

from keras_aegan import models
from keras_aegan import networks
from keras_aegan.training import updates
from tests.helpers import BACKEND
from tests.helpers import BatchLogs
from tests.helpers import per_batch
from tests.helpers import to_numpy

RELATIVE_BOUND = 5e-2
# CycleGAN trains on 32x32 digits (28x28 padded), the smallest size whose
# generator bottleneck keeps 8x8 positions for instance normalization to
# average over. At 16x16 it keeps 4x4, and dividing by the deviation of 16
# values magnified float16's rounding to 0.143 (TensorFlow) and 0.090
# (JAX); at 32x32 the whole step is off by 0.022 and 0.024. The step with
# the loss left unscaled is 1.0 off on every model.
CYCLEGAN_SIZE = 32


@pytest.fixture
def policy():
    """Sets a global dtype policy for one test and restores float32."""

    def set_policy(name):
        keras.config.set_dtype_policy(name)

    yield set_policy
    keras.config.set_dtype_policy("float32")


def _sgd():
    return keras.optimizers.SGD(0.01)


def _build(name):
    if name == "dcgan":
        model = models.DCGAN(image_shape=(16, 16, 1), latent_dim=16, seed=1)
    elif name == "wgan_gp":
        model = models.WGANGP(
            image_shape=(16, 16, 1),
            latent_dim=16,
            discriminator_steps=2,
            seed=1,
        )
    elif name == "vae":
        model = models.VAE(image_shape=(16, 16, 1), seed=1)
    elif name == "cyclegan":
        model = models.CycleGAN(
            image_shape=(CYCLEGAN_SIZE, CYCLEGAN_SIZE, 1),
            generator_filters=8,
            num_residual_blocks=1,
            discriminator_filters=8,
            pool_size=4,
            seed=1,
        )
    return model


def _data(name, mnist_unit):
    unit = mnist_unit[:16, 6:22, 6:22]
    if name == "vae":
        return unit
    if name == "cyclegan":
        pad = (CYCLEGAN_SIZE - 28) // 2
        padded = np.pad(
            mnist_unit[:16], ((0, 0), (pad, pad), (pad, pad), (0, 0))
        )
        signed = padded * 2.0 - 1.0
        return (signed, signed[::-1].copy())
    return unit * 2.0 - 1.0


def _seed_generators(model):
    found = [model.seed_generator]
    for layer in model._flatten_layers(include_self=False):
        generator = getattr(layer, "seed_generator", None)
        if generator is not None:
            found.append(generator)
    return found


def _fit_one_batch(model, data):
    if isinstance(data, tuple):
        model.fit(x=data[0], y=data[1], batch_size=16, shuffle=False, verbose=0)
    else:
        model.fit(data, batch_size=16, shuffle=False, verbose=0)


def _one_step(model, initial, data, max_tries=8):
    """One applied step from `initial`; returns the trainable weights and
    the number of steps that the loss scaling skipped first.

    A `LossScaleOptimizer` skips a step whose scaled gradients overflow
    float16 and halves its scale (the VAE's summed per-pixel likelihood
    overflows at the initial 2^15). Each try starts again from the same
    weights and noise, so the applied step sees what the float32 step saw.
    """
    model.set_weights(initial)
    model.compile(**{n: _sgd() for n in model.default_optimizers()})
    seeds = _seed_generators(model)
    states = [to_numpy(g.state) for g in seeds]
    for skipped in range(max_tries):
        model.set_weights(initial)
        for generator, state in zip(seeds, states, strict=True):
            generator.state.assign(state)
        _fit_one_batch(model, data)
        counts = [
            int(to_numpy(model.optimizer[n].iterations))
            for n in model.optimizer.names
        ]
        if min(counts) >= 1:
            assert max(counts) == min(counts) or max(counts) > 1
            return [to_numpy(v) for v in model.trainable_variables], skipped
    raise AssertionError(f"No step applied in {max_tries} tries.")


def _relative_error(initial, reference, other):
    reference_step = np.concatenate(
        [(r - i).ravel() for i, r in zip(initial, reference, strict=True)]
    )
    other_step = np.concatenate(
        [(o - i).ravel() for i, o in zip(initial, other, strict=True)]
    )
    return float(
        np.linalg.norm(other_step - reference_step)
        / np.linalg.norm(reference_step)
    )


@pytest.mark.parametrize("name", ["dcgan", "wgan_gp", "vae", "cyclegan"])
def test_mixed_float16_step_matches_float32(
    name, policy, mnist_unit, monkeypatch
):
    if BACKEND == "torch" and name in ("vae", "cyclegan"):
        pytest.skip(
            "PyTorch's CPU convolution has no float16 weight gradient for "
            "these layers (slow_conv2d: grad_weight must be contiguous)."
        )
    data = _data(name, mnist_unit)
    reference_model = _build(name)
    initial_weights = reference_model.get_weights()
    initial = [to_numpy(v) for v in reference_model.trainable_variables]
    reference, skipped = _one_step(reference_model, initial_weights, data)
    assert skipped == 0

    policy("mixed_float16")
    mixed_model = _build(name)
    assert mixed_model.dtype_policy.name == "mixed_float16"
    mixed, skipped = _one_step(mixed_model, initial_weights, data)
    # A scaled step whose gradients overflow float16 is skipped and the
    # scale halved, until they fit (measured: DCGAN and WGAN-GP none, the
    # VAE, whose loss sums 256 pixels, and CycleGAN two).
    assert skipped <= 6, skipped
    for opt_name in mixed_model.optimizer.names:
        optimizer = mixed_model.optimizer[opt_name]
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        assert float(to_numpy(optimizer.dynamic_scale)) <= 2.0**15
    error = _relative_error(initial, reference, mixed)
    assert error < RELATIVE_BOUND, error

    # The bound discriminates: the same step with the loss left unscaled
    # while the optimizers still unscale (the bug this guards against)
    # applies gradients 2^15 times too small.
    monkeypatch.setattr(
        updates,
        "loss_scaling",
        lambda optimizers, read=None: (None, [None] * len(optimizers)),
    )
    wrong_model = _build(name)
    wrong, _ = _one_step(wrong_model, initial_weights, data)
    assert _relative_error(initial, reference, wrong) > 0.5


def test_mixed_float16_wraps_named_optimizers_and_saves_their_scales(
    policy, mnist_unit, tmp_path
):
    policy("mixed_float16")
    gan = models.DCGAN(image_shape=(16, 16, 1), latent_dim=8, seed=0)
    # One optimizer given, already wrapped: kept as it is.
    given = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.Adam(1e-4), initial_scale=2.0**10
    )
    gan.compile(discriminator_optimizer=given)
    assert gan.optimizer["discriminator_optimizer"] is given
    generator_optimizer = gan.optimizer["generator_optimizer"]
    assert isinstance(generator_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(
        generator_optimizer.inner_optimizer, keras.optimizers.Adam
    )
    images = mnist_unit[:32, 6:22, 6:22] * 2.0 - 1.0
    gan.fit(images, batch_size=16, verbose=0)
    path = str(tmp_path / "mixed.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    for name in gan.optimizer.names:
        a, b = gan.optimizer[name], loaded.optimizer[name]
        assert isinstance(b, keras.optimizers.LossScaleOptimizer)
        assert float(to_numpy(b.dynamic_scale)) == float(
            to_numpy(a.dynamic_scale)
        )
        assert int(to_numpy(b.iterations)) == 2
    assert (
        float(
            to_numpy(loaded.optimizer["discriminator_optimizer"].dynamic_scale)
        )
        == 2.0**10
    )
    # Without auto_scale_loss nothing is wrapped.
    plain = models.DCGAN(image_shape=(16, 16, 1), latent_dim=8, seed=0)
    plain.compile(auto_scale_loss=False)
    assert not any(
        isinstance(plain.optimizer[n], keras.optimizers.LossScaleOptimizer)
        for n in plain.optimizer.names
    )


class _OverflowingDiscriminatorDCGAN(models.DCGAN):
    # The discriminator's loss times 1e35: scaled by 2^15 it overflows
    # float32, so every discriminator gradient is infinite or NaN.
    def discriminator_objective(self, real, fake):
        loss, logs = super().discriminator_objective(real, fake)
        return loss * 1e35, logs


def test_non_finite_gradients_skip_only_their_optimizer(mnist_unit):
    gan = _OverflowingDiscriminatorDCGAN(
        image_shape=(16, 16, 1), latent_dim=8, seed=0
    )
    gan.compile(
        discriminator_optimizer=keras.optimizers.LossScaleOptimizer(
            keras.optimizers.SGD(0.01)
        ),
        generator_optimizer=keras.optimizers.LossScaleOptimizer(
            keras.optimizers.SGD(0.01)
        ),
    )
    d_before = [to_numpy(v) for v in gan.discriminator.trainable_variables]
    g_before = [to_numpy(v) for v in gan.generator.trainable_variables]
    images = mnist_unit[:16, 6:22, 6:22] * 2.0 - 1.0
    gan.fit(images, batch_size=16, verbose=0)
    d_opt = gan.optimizer["discriminator_optimizer"]
    g_opt = gan.optimizer["generator_optimizer"]
    # The discriminator's step was skipped and its scale halved ...
    for before, v in zip(
        d_before, gan.discriminator.trainable_variables, strict=True
    ):
        np.testing.assert_array_equal(before, to_numpy(v))
    assert float(to_numpy(d_opt.dynamic_scale)) == 2.0**14
    assert int(to_numpy(d_opt.iterations)) == 0
    # ... while the generator's went ahead with its scale unchanged.
    moved = [
        np.abs(before - to_numpy(v)).max()
        for before, v in zip(
            g_before, gan.generator.trainable_variables, strict=True
        )
    ]
    assert max(moved) > 1e-4
    assert float(to_numpy(g_opt.dynamic_scale)) == 2.0**15
    assert int(to_numpy(g_opt.iterations)) == 1


def test_update_with_two_optimizers_unscales_each_with_its_own_scale():
    small = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.SGD(1.0), initial_scale=4.0
    )
    large = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.SGD(1.0), initial_scale=64.0
    )
    plain = keras.optimizers.SGD(1.0)
    variable = keras.Variable(np.zeros(2, "float32"))
    for opt in (small, large):
        opt.build([variable])
    scale, factors = updates.loss_scaling([small, large, plain])
    # The loss is scaled by the smallest scale; each optimizer's share is
    # brought to its own scale (or to 1 for a plain optimizer).
    assert float(to_numpy(scale)) == 4.0
    assert [float(to_numpy(f)) for f in factors] == [1.0, 16.0, 0.25]
    assert updates.loss_scaling([plain]) == (None, [None])


def test_wgan_gp_penalty_in_mixed_float16_matches_float32(policy, mnist_unit):
    real = mnist_unit[:16, 6:22, 6:22] * 2.0 - 1.0
    reference = models.WGANGP(image_shape=(16, 16, 1), latent_dim=16, seed=3)
    weights = reference.get_weights()
    fake = to_numpy(reference.generate(16, seed=0))
    expected = float(
        to_numpy(reference.gradient_penalty(ops.array(real), ops.array(fake)))
    )
    policy("mixed_float16")
    mixed = models.WGANGP(image_shape=(16, 16, 1), latent_dim=16, seed=3)
    mixed.set_weights(weights)
    # Inside a scaled update the inner gradient is scaled by the same loss
    # scale and unscaled in float32: the penalty does not change.
    for scale in (None, 2.0**15):
        with updates.loss_scale_scope(
            None if scale is None else ops.convert_to_tensor(scale)
        ):
            penalty = mixed.gradient_penalty(ops.array(real), ops.array(fake))
        assert keras.backend.standardize_dtype(penalty.dtype) == "float32"
        value = float(to_numpy(penalty))
        assert np.isfinite(value)
        np.testing.assert_allclose(value, expected, rtol=RELATIVE_BOUND)


def test_mixed_bfloat16_dcgan_learns_on_real_digits(policy, mnist_signed):
    policy("mixed_bfloat16")
    gan = models.DCGAN(latent_dim=32, seed=0)
    gan.compile()
    # bfloat16 keeps float32's exponent range: nothing to scale.
    assert not isinstance(
        gan.optimizer["generator_optimizer"],
        keras.optimizers.LossScaleOptimizer,
    )
    assert (
        keras.backend.standardize_dtype(
            gan.generator.trainable_variables[0].dtype
        )
        == "float32"
    )
    initial_generator = gan.generator.get_weights()
    record = BatchLogs()
    # 8 steps: the last four steps' mean d_loss then measured 0.81 (JAX)
    # and 0.83 (PyTorch, TensorFlow), below the bound of 0.9.
    gan.fit(
        mnist_signed[:512],
        epochs=1,
        batch_size=64,
        verbose=0,
        callbacks=[record],
    )
    d_loss = per_batch([logs["d_loss"] for logs in record.logs])
    assert np.all(np.isfinite(d_loss))
    # The discriminator's loss falls from chance (log 4 = 1.386) ...
    assert d_loss[0] > 1.2
    assert d_loss[-4:].mean() < 0.9
    # ... and the generator learned: the trained discriminator scores its
    # digits as more real than the initial generator's.
    z = gan.sample_latent(128, seed=3)

    def score():
        fake = gan.generator(z, training=True)
        return float(
            ops.mean(
                ops.cast(gan.discriminator(fake, training=True), "float32")
            )
        )

    trained = score()
    gan.generator.set_weights(initial_generator)
    assert trained > score() + 0.3


def test_sync_batch_normalization_is_batch_normalization_on_one_device():
    layer = networks.SyncBatchNormalization()
    reference = keras.layers.BatchNormalization()
    x = np.random.default_rng(0).normal(2.0, 3.0, (8, 4, 4, 3)).astype("f")
    np.testing.assert_allclose(
        to_numpy(layer(x, training=True)),
        to_numpy(reference(x, training=True)),
        atol=1e-5,
    )
    config = layer.get_config()
    assert "synchronized" not in config
    clone = networks.SyncBatchNormalization.from_config(config)
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="always synchronizes"):
        networks.SyncBatchNormalization(synchronized=True)
