"""The training core: gradients, double backprop, schedules, compilation."""

import keras
import numpy as np
import pytest

from keras_aegan import losses
from keras_aegan.models import DCGAN
from keras_aegan.models import GenerativeModel
from keras_aegan.training import Update
from keras_aegan.training import input_gradient
from tests.helpers import BACKEND
from tests.helpers import to_numpy


class PenaltyModel(GenerativeModel):
    """Trains a critic on the WGAN-GP gradient penalty alone."""

    log_names = ("penalty",)

    def __init__(self, critic, learning_rate=0.1, **kwargs):
        super().__init__(image_shape=(2, 2, 1), pixel_range=(-5, 5), **kwargs)
        self.critic = critic
        self.learning_rate = learning_rate
        self.built = True

    def default_optimizers(self):
        return {"optimizer": keras.optimizers.SGD(self.learning_rate)}

    def optimizer_targets(self):
        return {"optimizer": self.critic.trainable_variables}

    def train_updates(self):
        return [
            Update("optimizer", self.critic.trainable_variables, self.penalty)
        ]

    def penalty(self, x, y=None):
        eps = keras.random.uniform(
            (keras.ops.shape(x)[0], 1, 1, 1), seed=self.seed_generator
        )
        value = losses.gradient_penalty(
            lambda t: self.critic(t, training=True), x, -0.5 * x, eps
        )
        return value, {"penalty": value}


def linear_critic(w, bias=0.3):
    inputs = keras.Input((2, 2, 1))
    dense = keras.layers.Dense(1)
    outputs = dense(keras.layers.Flatten()(inputs))
    critic = keras.Model(inputs, outputs)
    dense.kernel.assign(np.asarray(w, "float32").reshape(4, 1))
    dense.bias.assign(np.asarray([bias], "float32"))
    return critic


@pytest.mark.parametrize("w", [[0.3, -0.2, 0.5, 0.1], [2.0, 1.0, -1.0, 0.5]])
def test_gradient_penalty_of_a_linear_critic_is_exact(w):
    # D(x) = w.x + b has grad_x D = w everywhere, so the penalty is
    # (|w| - 1)^2 and one SGD step moves w by -lr * 2 (|w| - 1) w / |w|.
    w = np.asarray(w, "float64")
    norm = np.linalg.norm(w)
    model = PenaltyModel(linear_critic(w), learning_rate=0.1, seed=0)
    model.compile()
    x = np.random.default_rng(0).normal(size=(8, 2, 2, 1)).astype("float32")
    history = model.fit(x, epochs=1, batch_size=8, verbose=0)
    assert history.history["penalty"][0] == pytest.approx(
        (norm - 1.0) ** 2, abs=1e-5
    )
    expected = w - 0.1 * 2.0 * (norm - 1.0) * w / norm
    kernel = to_numpy(model.critic.layers[-1].kernel).ravel()
    np.testing.assert_allclose(kernel, expected, atol=1e-5)
    # The bias does not change the input gradient: it must not move.
    assert float(to_numpy(model.critic.layers[-1].bias)[0]) == pytest.approx(
        0.3, abs=1e-7
    )


def test_gradient_penalty_stays_finite_at_zero_gradient():
    model = PenaltyModel(linear_critic(np.zeros(4)), seed=0)
    model.compile()
    x = np.random.default_rng(1).normal(size=(8, 2, 2, 1)).astype("float32")
    history = model.fit(x, epochs=2, batch_size=8, verbose=0)
    assert history.history["penalty"] == pytest.approx([1.0, 1.0], abs=1e-6)
    kernel = to_numpy(model.critic.layers[-1].kernel)
    assert np.all(np.isfinite(kernel))
    np.testing.assert_array_equal(kernel, np.zeros((4, 1)))


def test_input_gradient_values():
    x = np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(3, 4)
    outputs, grad = input_gradient(
        lambda t: keras.ops.sum(t**3, axis=-1), keras.ops.convert_to_tensor(x)
    )
    np.testing.assert_allclose(to_numpy(outputs), (x**3).sum(-1), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(grad), 3.0 * x**2, rtol=1e-6)


@pytest.mark.skipif(
    BACKEND == "torch", reason="XLA compilation exists on TF and JAX only."
)
def test_jit_compiled_training(mnist_signed):
    gan = DCGAN(latent_dim=8, discriminator_steps=2, seed=0)
    gan.compile(jit_compile=True)
    assert gan.jit_compile
    history = gan.fit(mnist_signed[:128], epochs=1, batch_size=64, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    d_steps = int(to_numpy(gan.optimizer["discriminator_optimizer"].iterations))
    assert d_steps == 4


def test_run_eagerly_gives_the_same_step_as_compiled(mnist_signed):
    x = mnist_signed[:64]
    results = []
    for eager in (False, True):
        keras.utils.set_random_seed(3)
        gan = DCGAN(latent_dim=8, seed=11)
        gan.compile(
            run_eagerly=eager,
            jit_compile=False,
            generator_optimizer=keras.optimizers.SGD(0.01),
            discriminator_optimizer=keras.optimizers.SGD(0.01),
        )
        gan.fit(x, epochs=1, batch_size=64, verbose=0, shuffle=False)
        results.append([to_numpy(w) for w in gan.trainable_weights])
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
