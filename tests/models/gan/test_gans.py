"""The GAN family: the shared contract, each paper's specifics, and
training on real MNIST digits."""

import keras
import numpy as np
import pytest
from keras import ops
from PIL import Image

from keras_aegan import models
from keras_aegan import networks
from keras_aegan import training
from keras_aegan.callbacks import SampleGrid
from keras_aegan.models import DiffAugment
from tests.helpers import BACKEND
from tests.helpers import BatchLogs
from tests.helpers import per_batch
from tests.helpers import run_generative_model_test
from tests.helpers import to_numpy

SHAPE = (28, 28, 1)
LATENT = 8
CONDITIONAL = ("ConditionalGAN", "ACGAN")
GAN_FAMILY = (
    "GAN",
    "DCGAN",
    "LSGAN",
    "WGAN",
    "WGANGP",
    "SNGAN",
    "BEGAN",
    "ConditionalGAN",
    "ACGAN",
)
# Tracing and XLA compilation of each small test model take longer on CPU
# than the few steps it runs: short tests run eagerly on TensorFlow, the
# longer trainings as graphs. tests/training/test_training_core.py covers XLA.
FAST = {"run_eagerly": True} if BACKEND == "tensorflow" else {}
GRAPH = {"jit_compile": False} if BACKEND == "tensorflow" else {}


def tiny(name):
    """A model of the family with small networks."""
    g = networks.dcgan_generator(LATENT, SHAPE, base_filters=4)
    d = networks.dcgan_discriminator(SHAPE, base_filters=4)
    d_plain = networks.dcgan_discriminator(
        SHAPE, base_filters=4, batch_norm=False
    )
    common = {"latent_dim": LATENT, "seed": 0}
    builders = {
        "GAN": lambda: models.GAN(
            networks.mlp_generator(LATENT, SHAPE, hidden_units=(32,)),
            networks.maxout_discriminator(SHAPE, (16,), pieces=2),
            discriminator_steps=2,
            ema_decay=0.9,
            **common,
        ),
        "DCGAN": lambda: models.DCGAN(
            g, d, augment=DiffAugment(seed=2), **common
        ),
        "LSGAN": lambda: models.LSGAN(
            g,
            d,
            augment=keras.layers.RandomTranslation(0.1, 0.1, seed=3),
            **common,
        ),
        "WGAN": lambda: models.WGAN(g, d, discriminator_steps=2, **common),
        "WGANGP": lambda: models.WGANGP(
            # Glorot-initialized: samples of the N(0, 0.02) DCGAN
            # generator barely depend on z after two Adam(1e-4) steps.
            networks.mlp_generator(LATENT, SHAPE, hidden_units=(32,)),
            d_plain,
            discriminator_steps=3,
            **common,
        ),
        "SNGAN": lambda: models.SNGAN(
            g,
            networks.sngan_discriminator(SHAPE, base_filters=2),
            image_shape=SHAPE,
            **common,
        ),
        "BEGAN": lambda: models.BEGAN(
            networks.began_decoder(LATENT, SHAPE, filters=4),
            networks.began_discriminator(SHAPE, hidden_dim=4, filters=4),
            **common,
        ),
        "ConditionalGAN": lambda: models.ConditionalGAN(
            networks.conditional_generator(LATENT, 10, SHAPE, base_filters=4),
            networks.conditional_discriminator(SHAPE, 10, base_filters=4),
            **common,
        ),
        "ACGAN": lambda: models.ACGAN(
            networks.conditional_generator(LATENT, 10, SHAPE, base_filters=4),
            networks.acgan_discriminator(SHAPE, 10, base_filters=4),
            **common,
        ),
    }
    return builders[name]()


def sampling_inputs(model, n=4):
    z = np.random.default_rng(0).normal(size=(n, LATENT)).astype("float32")
    if isinstance(model, (models.ConditionalGAN, models.ACGAN)):
        return [z, np.arange(n, dtype="int32") % 10]
    return z


@pytest.mark.parametrize("name", GAN_FAMILY)
def test_contract(name, mnist_digits, tmp_path):
    """Fit, logs, update schedule, sampling, config and .keras round trips
    (with every optimizer's state) and continued training."""
    images, labels = mnist_digits
    x = images[:128].astype("float32") / 127.5 - 1.0
    y = labels[:128] if name in CONDITIONAL else None
    model = tiny(name)
    model.compile(**FAST)
    # The schedule of algorithm 1: k discriminator updates per step. The
    # small networks' samples vary little with z (N(0, 0.02) weights);
    # the seed still decides them.
    run_generative_model_test(
        model,
        x if y is None else (x, y),
        sampling_inputs(model),
        tmp_path,
        updates_per_step={"discriminator_optimizer": model.discriminator_steps},
        sample_gap=1e-6,
    )
    grids = SampleGrid(tmp_path / "grids", num=4, seed=0)
    grids.set_model(model)
    grids.on_epoch_end(0)
    with Image.open(grids.paths[0]) as grid:
        assert grid.size == (2 + 2 * 30, 2 + 2 * 30)


@pytest.mark.parametrize("image_shape", [(28, 28, 1), (32, 32, 3)])
@pytest.mark.parametrize(
    "cls",
    [
        models.GAN,
        models.DCGAN,
        models.LSGAN,
        models.WGAN,
        models.WGANGP,
        models.SNGAN,
        models.BEGAN,
        models.ConditionalGAN,
        models.ACGAN,
    ],
)
def test_default_networks(cls, image_shape):
    model = cls(image_shape=image_shape, seed=0)
    images = to_numpy(model.generate(2, seed=1))
    assert images.shape == (2, *image_shape)
    assert images.min() >= -1.0 and images.max() <= 1.0
    if isinstance(model, models.ConditionalGAN):
        outputs = model.discriminator([images, np.array([0, 9])])
    else:
        outputs = model.discriminator(images)
    if isinstance(model, models.BEGAN):
        assert tuple(outputs.shape) == (2, *image_shape)
    elif isinstance(model, models.ACGAN):
        assert [tuple(o.shape) for o in outputs] == [(2, 1), (2, 10)]
    else:
        assert tuple(outputs.shape) == (2, 1)


def _adam(optimizer, lr, beta_1, beta_2):
    assert isinstance(optimizer, keras.optimizers.Adam)
    assert float(to_numpy(optimizer.learning_rate)) == pytest.approx(lr)
    assert (optimizer.beta_1, optimizer.beta_2) == (beta_1, beta_2)


def test_paper_defaults():
    g = networks.dcgan_generator(LATENT, SHAPE, base_filters=4)
    d = networks.dcgan_discriminator(SHAPE, base_filters=4)

    def optimizers(model):
        model.compile(**FAST)
        return [model.optimizer[n] for n in model.optimizer.names]

    # Goodfellow et al. 2014: k = 1, momentum SGD (lr 0.1, momentum 0.5).
    gan = models.GAN(g, d)
    assert (gan.discriminator_steps, gan.generator_loss_type) == (
        1,
        "non_saturating",
    )
    for opt in optimizers(gan):
        assert isinstance(opt, keras.optimizers.SGD) and opt.momentum == 0.5
        assert float(to_numpy(opt.learning_rate)) == pytest.approx(0.1)
    for opt in optimizers(models.LSGAN(g, d)):
        _adam(opt, 2e-4, 0.5, 0.999)
    wgan = models.WGAN(g, d)
    assert (wgan.discriminator_steps, wgan.clip_value) == (5, 0.01)
    for opt in optimizers(wgan):
        assert isinstance(opt, keras.optimizers.RMSprop)
        assert float(to_numpy(opt.learning_rate)) == pytest.approx(5e-5)
    gp = models.WGANGP(g, d)
    assert (gp.discriminator_steps, gp.penalty_weight) == (5, 10.0)
    for opt in optimizers(gp):
        _adam(opt, 1e-4, 0.0, 0.9)
    # The default WGAN-GP critic has no batch normalization.
    critic = models.WGANGP(image_shape=SHAPE).discriminator
    assert not any(
        isinstance(layer, keras.layers.BatchNormalization)
        for layer in critic.layers
    )
    for opt in optimizers(models.SNGAN(g, d, image_shape=SHAPE)):
        _adam(opt, 2e-4, 0.5, 0.999)
    sn = models.SNGAN(image_shape=SHAPE).discriminator
    wrapped = [
        layer
        for layer in sn.layers
        if isinstance(layer, keras.layers.SpectralNormalization)
    ]
    assert len(wrapped) == 6
    began = models.BEGAN(g, d)
    assert (began.gamma, began.lambda_k, began.k_initial) == (0.5, 1e-3, 0.0)
    for opt in optimizers(models.ACGAN(g, d)):
        _adam(opt, 2e-4, 0.5, 0.999)
    with pytest.raises(ValueError, match="generator_loss_type"):
        models.GAN(g, d, generator_loss_type="wasserstein")
    # The former argument name still works (a config saved before the
    # rename holds it), and giving both names is an error.
    with pytest.warns(DeprecationWarning, match="generator_loss_type"):
        old = models.GAN(g, d, generator_loss="minimax")
    assert old.generator_loss_type == "minimax"
    assert old.get_config()["generator_loss_type"] == "minimax"
    with pytest.raises(ValueError, match="Received both"):
        models.GAN(
            g, d, generator_loss="minimax", generator_loss_type="minimax"
        )
    with pytest.raises(ValueError, match="ema_decay"):
        models.DCGAN(g, d, ema_decay=1.0)


def linear_critic(w, bias=0.3):
    inputs = keras.Input((2, 2, 1))
    dense = keras.layers.Dense(1)
    outputs = dense(keras.layers.Flatten()(inputs))
    critic = keras.Model(inputs, outputs)
    dense.kernel.assign(np.asarray(w, "float32").reshape(4, 1))
    dense.bias.assign(np.asarray([bias], "float32"))
    return critic


def tiny_generator():
    z = keras.Input((LATENT,))
    x = keras.layers.Dense(4, activation="tanh")(z)
    return keras.Model(z, keras.layers.Reshape((2, 2, 1))(x))


@pytest.mark.parametrize("w", [[0.3, -0.2, 0.5, 0.1], [2.0, 1.0, -1.0, 0.5]])
def test_wgangp_penalty_of_a_linear_critic_is_exact(w):
    # D(x) = w.x + b: grad D = w at every interpolate, whatever eps and
    # G(z), so the model's own penalty is (|w| - 1)^2.
    w = np.asarray(w, "float64")
    model = models.WGANGP(
        tiny_generator(),
        linear_critic(w),
        image_shape=(2, 2, 1),
        latent_dim=LATENT,
        seed=0,
    )
    model.compile(**FAST, discriminator_optimizer=keras.optimizers.SGD(0.0))
    x = np.random.default_rng(0).uniform(-1, 1, (8, 2, 2, 1)).astype("float32")
    history = model.fit(x, epochs=1, batch_size=8, verbose=0)
    logs = {k: v[0] for k, v in history.history.items()}
    expected = (np.linalg.norm(w) - 1.0) ** 2
    assert logs["gradient_penalty"] == pytest.approx(expected, abs=1e-5)
    # d_loss = E[D(G(z))] - E[D(x)] + lambda * penalty.
    assert logs["d_loss"] == pytest.approx(
        -logs["wasserstein_estimate"] + 10.0 * expected, rel=1e-5, abs=1e-5
    )
    fake = model.generator(model.sample_latent(8, seed=1))
    penalty = model.gradient_penalty(keras.ops.convert_to_tensor(x), fake)
    assert float(to_numpy(penalty)) == pytest.approx(expected, abs=1e-5)


def test_wgangp_penalty_is_finite_at_zero_gradient():
    model = models.WGANGP(
        tiny_generator(),
        linear_critic(np.zeros(4)),
        image_shape=(2, 2, 1),
        latent_dim=LATENT,
        seed=0,
    )
    model.compile(**FAST, discriminator_optimizer=keras.optimizers.SGD(0.01))
    x = np.random.default_rng(1).uniform(-1, 1, (8, 2, 2, 1)).astype("float32")
    history = model.fit(x, epochs=1, batch_size=8, verbose=0)
    # The first critic update sees w = 0: penalty 1, finite gradient.
    kernel = to_numpy(model.discriminator.layers[-1].kernel)
    assert np.all(np.isfinite(kernel)) and np.abs(kernel).max() > 0
    assert np.isfinite(history.history["gradient_penalty"][0])


def test_wgan_clipping_keeps_critic_weights_in_bounds(mnist_signed):
    g = networks.dcgan_generator(LATENT, SHAPE, base_filters=4)
    d = networks.dcgan_discriminator(SHAPE, base_filters=4)
    initial = np.concatenate([to_numpy(w).ravel() for w in d.weights])
    assert np.abs(initial).max() > 0.01  # batch-norm scales start at 1
    model = models.WGAN(g, d, latent_dim=LATENT, seed=0, clip_value=0.01)
    model.compile(
        **FAST, discriminator_optimizer=keras.optimizers.RMSprop(1e-3)
    )
    model.fit(mnist_signed[:128], epochs=1, batch_size=64, verbose=0)
    for w in model.discriminator.trainable_weights:
        values = to_numpy(w)
        assert np.abs(values).max() <= 0.01 + 1e-7, w.path
    clipped = np.concatenate(
        [to_numpy(w).ravel() for w in model.discriminator.trainable_weights]
    )
    assert np.isclose(np.abs(clipped), 0.01).mean() > 0.05


@pytest.mark.parametrize(
    "gamma, k_initial, bound", [(1.0, 0.99, 1.0), (0.01, 0.01, 0.0)]
)
def test_began_k_stays_in_unit_interval(mnist_signed, gamma, k_initial, bound):
    model = models.BEGAN(
        networks.began_decoder(LATENT, SHAPE, filters=4),
        networks.began_discriminator(SHAPE, hidden_dim=4, filters=4),
        latent_dim=LATENT,
        gamma=gamma,
        lambda_k=0.5,
        k_initial=k_initial,
        seed=0,
    )
    model.compile(**FAST)
    record = BatchLogs()
    model.fit(
        mnist_signed[:192],
        epochs=1,
        batch_size=64,
        verbose=0,
        callbacks=[record],
    )
    k_values = per_batch([logs["k_t"] for logs in record.logs])
    assert np.all(k_values >= -1e-6) and np.all(k_values <= 1 + 1e-6)
    # The controller pushed k_t onto the bound, where the clip holds it.
    assert float(to_numpy(model.k_t)) == pytest.approx(bound)
    before = float(to_numpy(model.k_t))
    model.evaluate(mnist_signed[:64], batch_size=64, verbose=0)
    assert float(to_numpy(model.k_t)) == before


def test_began_step_follows_the_equilibrium_equations(mnist_signed):
    # One step from k_0 = 0.5: d_loss = L(x) - k_0 L(G(z)),
    # k_1 = k_0 + lambda_k (gamma L(x) - L(G(z))) and
    # M_global = L(x) + |gamma L(x) - L(G(z))|.
    gamma, lambda_k, k0 = 0.5, 0.1, 0.5
    model = models.BEGAN(
        networks.began_decoder(LATENT, SHAPE, filters=4),
        networks.began_discriminator(SHAPE, hidden_dim=4, filters=4),
        latent_dim=LATENT,
        gamma=gamma,
        lambda_k=lambda_k,
        k_initial=k0,
        seed=0,
    )
    model.compile(**FAST)
    history = model.fit(mnist_signed[:64], epochs=1, batch_size=64, verbose=0)
    logs = {k: v[0] for k, v in history.history.items()}
    k1 = float(to_numpy(model.k_t))
    assert logs["k_t"] == pytest.approx(k1, abs=1e-6)
    balance = (k1 - k0) / lambda_k
    real_loss = (logs["d_loss"] - k0 * balance) / (1.0 - k0 * gamma)
    fake_loss = gamma * real_loss - balance
    assert real_loss > 0 and fake_loss > 0
    assert logs["m_global"] == pytest.approx(real_loss + abs(balance), rel=1e-3)


def test_ema_of_generator_weights(mnist_signed):
    decay = 0.75
    g = networks.dcgan_generator(LATENT, SHAPE, base_filters=4)
    d = networks.dcgan_discriminator(SHAPE, base_filters=4)
    model = models.DCGAN(g, d, latent_dim=LATENT, ema_decay=decay, seed=0)
    model.compile(**FAST)
    expected = [to_numpy(w) for w in g.trainable_weights]
    for _ in range(2):
        model.fit(mnist_signed[:64], epochs=1, batch_size=64, verbose=0)
        expected = [
            decay * e + (1 - decay) * to_numpy(w)
            for e, w in zip(expected, g.trainable_weights, strict=True)
        ]
    for e, shadow in zip(expected, model.ema_weights, strict=True):
        np.testing.assert_allclose(to_numpy(shadow), e, atol=1e-6)
    # Sampling uses the average, not the live weights.
    z = model.sample_latent(4, seed=3)
    averaged = to_numpy(model(z))
    live = to_numpy(g(z, training=False))
    assert np.abs(averaged - live).max() > 1e-4


def test_diff_augment_is_random_differentiable_and_seeded():
    x = np.random.default_rng(0).uniform(-1, 1, (6, 16, 16, 3))
    x = keras.ops.convert_to_tensor(x.astype("float32"))
    np.testing.assert_array_equal(to_numpy(DiffAugment(seed=1)(x)), x)
    a = to_numpy(DiffAugment(seed=1)(x, training=True))
    b = to_numpy(DiffAugment(seed=1)(x, training=True))
    np.testing.assert_array_equal(a, b)
    # Cutout zeroes an 8x8 square (at least its part inside the image)
    # on every channel; brightness alone shifts each image by a constant.
    cut = to_numpy(DiffAugment(["cutout"], seed=4)(x, training=True))
    zeros = (cut == 0).all(-1).sum((1, 2))
    assert np.all(zeros >= 16) and np.all(zeros <= 64)
    bright = to_numpy(DiffAugment(["brightness"], seed=4)(x, training=True))
    shift = (bright - to_numpy(x)).reshape(6, -1)
    np.testing.assert_allclose(shift.std(-1), 0.0, atol=1e-5)
    assert np.all(np.abs(shift[:, 0]) <= 0.5)
    # A translation keeps the pixels, shifted, and zero-pads.
    moved = to_numpy(DiffAugment(["translation"], seed=5)(x, training=True))
    source = to_numpy(x)
    for i in range(6):
        found = [
            np.allclose(
                moved[i, 2:-2, 2:-2],
                np.roll(source[i], (dy, dx), (0, 1))[2:-2, 2:-2],
            )
            for dy in range(-2, 3)
            for dx in range(-2, 3)
        ]
        assert any(found)
    layer = DiffAugment(seed=6)
    _, grad = training.input_gradient(
        lambda t: keras.ops.sum(layer(t, training=True), axis=(1, 2, 3)), x
    )
    grad = to_numpy(grad)
    assert np.all(np.isfinite(grad)) and 0.2 < (grad != 0).mean() < 1.0
    clone = DiffAugment.from_config(
        DiffAugment(["cutout"], seed=3).get_config()
    )
    assert clone.policy == ("cutout",) and clone.seed == 3
    with pytest.raises(ValueError, match="policy"):
        DiffAugment(["rotation"])


def test_conditional_labels_are_validated(mnist_digits):
    images, labels = mnist_digits
    x = images[:64].astype("float32") / 127.5 - 1.0
    model = tiny("ACGAN")
    model.compile(**FAST)
    with pytest.raises(ValueError, match=r"labels in \[0, 9\]"):
        model.fit(x, np.full(64, 10), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="shape"):
        model.fit(x, np.zeros((64, 10)), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="one label per image"):
        model.fit(x, labels[:32], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="integer"):
        model.fit(x, np.full(64, 0.5), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="Received images only"):
        model.fit(x, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"labels in \[0, 9\]"):
        model.generate(2, labels=[3, -1])
    with pytest.raises(ValueError, match="one label per image"):
        model.generate(3, labels=[1, 2])
    sevens = model.generate(2, labels=7, seed=0)
    assert tuple(sevens.shape) == (2, *SHAPE)


def test_gan_with_momentum_sgd_learns_on_real_digits(mnist_signed):
    # Algorithm 1 of Goodfellow et al. with momentum SGD. The paper's
    # learning rate 0.1 can diverge with these small Glorot-initialized
    # networks; 0.02 keeps the momentum 0.5 of the paper's code.
    g = networks.mlp_generator(16, SHAPE, hidden_units=(64,))
    d = networks.maxout_discriminator(SHAPE, (32,), pieces=2)
    model = models.GAN(g, d, latent_dim=16, seed=0)
    model.compile(
        **GRAPH,
        discriminator_optimizer=keras.optimizers.SGD(0.02, momentum=0.5),
        generator_optimizer=keras.optimizers.SGD(0.02, momentum=0.5),
    )
    initial_generator = g.get_weights()
    record = BatchLogs()
    history = model.fit(
        mnist_signed, epochs=1, batch_size=64, verbose=0, callbacks=[record]
    )
    d_loss = per_batch([logs["d_loss"] for logs in record.logs])
    # The discriminator learns to tell digits apart: its loss falls below
    # the log 4 = 1.386 of chance.
    assert d_loss[-8:].mean() < min(1.0, d_loss[:4].mean() - 0.1)
    assert history.history["d_accuracy"][0] > 0.6
    # The generator moved towards what the discriminator calls real.
    z = model.sample_latent(256, seed=3)

    def score():
        return to_numpy(d(g(z), training=False)).mean()

    trained = score()
    g.set_weights(initial_generator)
    assert trained > score() + 0.5


class CriticSpy(models.WGANGP):
    """WGAN-GP that records, in variables the training step carries, the
    mean of the real images each critic update sees and the number of
    images the generator update draws."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        steps = self.discriminator_steps
        self.seen = self.add_weight(
            shape=(steps,), initializer="zeros", trainable=False, name="seen"
        )
        self.calls = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="calls"
        )
        self.drawn = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="drawn"
        )

    def discriminator_objective(self, real, fake):
        index = ops.cast(self.calls, "int32") % self.discriminator_steps
        mean = ops.mean(ops.cast(real.images, "float32"))
        hot = ops.one_hot(index, self.discriminator_steps)
        self.seen.assign(self.seen + hot * ops.stop_gradient(mean))
        self.calls.assign(self.calls + 1.0)
        return super().discriminator_objective(real, fake)

    def generator_objective(self, fake):
        rows = ops.cast(ops.shape(fake.images)[0], "float32")
        self.drawn.assign(rows)
        return super().generator_objective(fake)


@pytest.mark.parametrize("fresh", [True, False])
def test_each_critic_update_sees_its_own_real_batch(fresh):
    # Algorithm 1 of WGAN-GP draws a real minibatch per critic iteration.
    # Six images, each filled with its own value; with n_critic = 3 the
    # critic updates see rows (0, 3), (1, 4) and (2, 5).
    # Multiples of 1/4: every partial sum of a mean over their pixels is
    # exact in float32, in any order of summation, so the means are exact.
    values = np.array([-0.75, -0.5, -0.25, 0.25, 0.5, 0.75], "float32")
    images = np.ones((6, 16, 16, 1), "float32") * values[:, None, None, None]
    gan = CriticSpy(
        image_shape=(16, 16, 1),
        discriminator_steps=3,
        fresh_real_batches=fresh,
        seed=0,
    )
    assert gan.real_batches_per_step == (3 if fresh else 1)
    gan.compile()
    gan.fit(images, epochs=1, batch_size=6, shuffle=False, verbose=0)
    seen = to_numpy(gan.seen)
    assert int(to_numpy(gan.calls)) == 3
    if fresh:
        np.testing.assert_allclose(seen, [-0.25, 0.0, 0.25], atol=1e-6)
        assert int(to_numpy(gan.drawn)) == 2  # m = 6 / 3
    else:
        np.testing.assert_allclose(seen, [0.0, 0.0, 0.0], atol=1e-6)
        assert int(to_numpy(gan.drawn)) == 6
    assert gan.get_config()["fresh_real_batches"] is fresh
    # Fewer rows than critic updates cannot give each its own.
    if fresh:
        with pytest.raises(ValueError, match="at least 3 rows"):
            gan.fit(images[:2], epochs=1, batch_size=2, verbose=0)


def test_wgangp_critic_gap_grows_on_real_digits(mnist_signed):
    model = models.WGANGP(
        networks.dcgan_generator(16, SHAPE, base_filters=4),
        networks.dcgan_discriminator(SHAPE, base_filters=4, batch_norm=False),
        latent_dim=16,
        seed=0,
    )
    model.compile(
        **GRAPH,
        discriminator_optimizer=keras.optimizers.Adam(1e-3, 0.0, 0.9),
    )
    record = BatchLogs()
    model.fit(
        mnist_signed[:1024],
        epochs=1,
        batch_size=64,
        verbose=0,
        callbacks=[record],
    )
    gap = per_batch([logs["wasserstein_estimate"] for logs in record.logs])
    penalty = per_batch([logs["gradient_penalty"] for logs in record.logs])
    # The critic separates real from generated digits: its estimate of
    # the Wasserstein distance grows from about 0 over 16 steps (80 critic
    # updates). The penalty starts near 1 (gradient norm near 0) and pulls
    # the critic's gradient norm toward 1 on the way; it oscillates as the
    # gap grows, so only its lowest value is asserted.
    assert abs(gap[0]) < 0.05
    assert gap[-4:].mean() > 0.1 and gap[-4:].mean() > 5 * abs(gap[0])
    assert np.isfinite(penalty).all() and penalty.min() < 0.5


@pytest.fixture(scope="module")
def digit_classifier(mnist_digits):
    """A linear softmax classifier of real digits (about 85% accurate)."""
    images, labels = mnist_digits
    x = images[:2048].astype("float32") / 127.5 - 1.0
    classifier = keras.Sequential(
        [keras.Input(SHAPE), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    classifier.compile(
        keras.optimizers.Adam(1e-2),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(x, labels[:2048], epochs=5, batch_size=128, verbose=0)
    held_out = images[2048:3072].astype("float32") / 127.5 - 1.0
    _, accuracy = classifier.evaluate(held_out, labels[2048:3072], verbose=0)
    assert accuracy > 0.75
    return classifier


# About 10 s on TensorFlow but minutes on CPU PyTorch: deselect with
# `-m "not slow"` where the budget is tight.
@pytest.mark.slow
def test_acgan_generates_the_requested_digits(mnist_digits, digit_classifier):
    images, labels = mnist_digits
    x = images[:2048].astype("float32") / 127.5 - 1.0
    model = models.ACGAN(
        networks.conditional_generator(16, 10, SHAPE, base_filters=8),
        networks.acgan_discriminator(SHAPE, 10, base_filters=8, dropout=0.0),
        latent_dim=16,
        seed=0,
    )
    model.compile(
        **GRAPH,
        discriminator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        generator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )
    model.fit(x, labels[:2048], epochs=4, batch_size=64, verbose=0)
    requested = np.repeat(np.arange(10), 20)
    samples = model.generate(200, labels=requested, seed=1)
    predicted = digit_classifier.predict(samples, verbose=0).argmax(-1)
    # Chance is 10%.
    assert (predicted == requested).mean() > 0.3
