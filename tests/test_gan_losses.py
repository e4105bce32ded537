"""Adversarial losses and penalties against hand-computed values."""

import keras
import numpy as np
import pytest

from keras_aegan import losses
from keras_aegan.training import input_gradient
from tests.helpers import to_numpy

REAL = np.array([[2.0], [-1.0], [0.5], [0.0]], "float32")
FAKE = np.array([[-3.0], [1.0], [0.25], [-0.5]], "float32")


def log_sigmoid(t):
    return -np.log1p(np.exp(-t.astype("float64")))


def value(fn, *args):
    tensors = [keras.ops.convert_to_tensor(a) for a in args]
    return float(to_numpy(fn(*tensors)))


def test_minimax_discriminator_loss():
    # -E[log D(x)] - E[log(1 - D(G(z)))], D = sigmoid; 1 - sigmoid(t) =
    # sigmoid(-t).
    expected = -log_sigmoid(REAL).mean() - log_sigmoid(-FAKE).mean()
    got = value(losses.minimax_discriminator_loss, REAL, FAKE)
    assert got == pytest.approx(expected, rel=1e-6)
    # A hand value: logits 0 everywhere give log 4.
    zeros = np.zeros((3, 1), "float32")
    got = value(losses.minimax_discriminator_loss, zeros, zeros)
    assert got == pytest.approx(np.log(4.0), rel=1e-6)


def test_minimax_discriminator_loss_is_finite_when_saturated():
    real = np.array([[100.0]], "float32")
    fake = np.array([[-100.0]], "float32")
    got = value(losses.minimax_discriminator_loss, real, fake)
    assert got == pytest.approx(2 * np.exp(-100.0), abs=1e-30)
    got = value(losses.minimax_discriminator_loss, fake, real)
    assert got == pytest.approx(200.0, rel=1e-6)


def test_generator_losses():
    # Minimax: E[log(1 - D(G(z)))]; non-saturating: -E[log D(G(z))].
    minimax = value(losses.minimax_generator_loss, FAKE)
    assert minimax == pytest.approx(log_sigmoid(-FAKE).mean(), rel=1e-6)
    non_saturating = value(losses.non_saturating_generator_loss, FAKE)
    assert non_saturating == pytest.approx(-log_sigmoid(FAKE).mean(), rel=1e-6)
    # At D(G(z)) = 1/2 both have the same value up to sign: log 2.
    half = np.zeros((2, 1), "float32")
    assert value(losses.minimax_generator_loss, half) == pytest.approx(
        -np.log(2.0), rel=1e-6
    )
    assert value(losses.non_saturating_generator_loss, half) == pytest.approx(
        np.log(2.0), rel=1e-6
    )


def test_non_saturating_gradient_is_strong_where_minimax_saturates():
    # Goodfellow et al. 2014, section 3: when D rejects G(z) confidently,
    # log(1 - D) saturates while -log D keeps a gradient of about 1.
    fake = keras.ops.convert_to_tensor(np.array([[-8.0]], "float32"))
    _, g_minimax = input_gradient(
        lambda t: keras.ops.reshape(losses.minimax_generator_loss(t), (1,)),
        fake,
    )
    _, g_ns = input_gradient(
        lambda t: keras.ops.reshape(
            losses.non_saturating_generator_loss(t), (1,)
        ),
        fake,
    )
    assert abs(float(to_numpy(g_minimax)[0, 0])) < 1e-3
    assert float(to_numpy(g_ns)[0, 0]) == pytest.approx(-1.0, abs=1e-3)


def test_least_squares_losses():
    # 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2] and 1/2 E[(D(G(z)) - 1)^2].
    # Hand values: real (2, -1, 0.5, 0) -> (1 + 4 + 0.25 + 1) / 4 = 1.5625;
    # fake (-3, 1, 0.25, -0.5) -> (9 + 1 + 0.0625 + 0.25) / 4 = 2.578125.
    got = value(losses.least_squares_discriminator_loss, REAL, FAKE)
    assert got == pytest.approx(0.5 * 1.5625 + 0.5 * 2.578125, rel=1e-6)
    # (16 + 0 + 0.5625 + 2.25) / 4 = 4.703125.
    got = value(losses.least_squares_generator_loss, FAKE)
    assert got == pytest.approx(0.5 * 4.703125, rel=1e-6)


def test_wasserstein_losses():
    # E[D(G(z))] - E[D(x)] = -0.5625 - 0.375; generator -E[D(G(z))].
    got = value(losses.wasserstein_critic_loss, REAL, FAKE)
    assert got == pytest.approx(-0.5625 - 0.375, rel=1e-6)
    got = value(losses.wasserstein_generator_loss, FAKE)
    assert got == pytest.approx(0.5625, rel=1e-6)


def test_hinge_losses():
    # E[max(0, 1 - D(x))] = (0 + 2 + 0.5 + 1) / 4 = 0.875;
    # E[max(0, 1 + D(G(z)))] = (0 + 2 + 1.25 + 0.5) / 4 = 0.9375.
    got = value(losses.hinge_discriminator_loss, REAL, FAKE)
    assert got == pytest.approx(0.875 + 0.9375, rel=1e-6)
    got = value(losses.hinge_generator_loss, FAKE)
    assert got == pytest.approx(0.5625, rel=1e-6)


def test_gradient_penalty_of_a_quadratic_critic():
    # D(x) = sum(x^2) / 2 has grad_x D = x, so the penalty is the mean of
    # (|x_hat| - 1)^2 over the interpolates.
    rng = np.random.default_rng(0)
    real = rng.normal(size=(5, 2, 2, 1)).astype("float32")
    fake = rng.normal(size=(5, 2, 2, 1)).astype("float32")
    eps = rng.uniform(size=(5, 1, 1, 1)).astype("float32")
    mixed = eps * real + (1 - eps) * fake
    norms = np.sqrt((mixed.reshape(5, -1) ** 2).sum(-1))
    expected = ((norms - 1.0) ** 2).mean()

    def critic(t):
        return 0.5 * keras.ops.sum(keras.ops.reshape(t, (5, -1)) ** 2, -1)

    got = value(
        lambda r, f, e: losses.gradient_penalty(critic, r, f, e),
        real,
        fake,
        eps,
    )
    assert got == pytest.approx(expected, rel=1e-5)


def test_safe_norm_has_a_finite_gradient_at_zero():
    x = keras.ops.convert_to_tensor(np.zeros((2, 3), "float32"))
    norms, grad = input_gradient(losses.safe_norm, x)
    np.testing.assert_array_equal(to_numpy(norms), [0.0, 0.0])
    assert np.all(np.isfinite(to_numpy(grad)))
