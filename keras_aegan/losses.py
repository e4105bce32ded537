"""Losses and penalties of autoencoders and GANs, written once in `keras.ops`.

Every adversarial loss takes the discriminator's raw outputs (logits for the
probabilistic losses, unbounded scores for the others) and returns a scalar
averaged over the batch. Reconstruction and divergence terms are summed over
the features of one example and averaged over the batch, so they are
per-example negative log-likelihoods in nats.

Under a mixed-precision policy the networks compute in float16 or bfloat16;
every loss casts its tensor inputs of reduced precision to float32 first
(as Keras recommends for a model's outputs), so that the means, logs and
exponentials of a loss, and the norms of a penalty, are taken in float32.
"""

import functools

import keras
from keras import ops

from keras_aegan.training import input_gradient


def _in_float32(fn):
    # Casts the float16 / bfloat16 tensor arguments of a loss to float32;
    # other arguments (callables, floats, float32 and float64 tensors) are
    # passed as they are.
    def cast(value):
        dtype = getattr(value, "dtype", None)
        if dtype is not None and keras.backend.standardize_dtype(dtype) in (
            "float16",
            "bfloat16",
        ):
            return ops.cast(value, "float32")
        return value

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        args = [cast(a) for a in args]
        kwargs = {k: cast(v) for k, v in kwargs.items()}
        return fn(*args, **kwargs)

    return wrapper


def _is_reduced(x):
    return keras.backend.standardize_dtype(x.dtype) in ("float16", "bfloat16")


def _mean(x):
    return ops.mean(ops.convert_to_tensor(x))


def _flat_sum(x):
    x = ops.convert_to_tensor(x)
    return ops.sum(ops.reshape(x, (ops.shape(x)[0], -1)), axis=-1)


# Adversarial losses. Goodfellow et al. 2014, eq. 1, with D = sigmoid(logits):
# log D = -softplus(-logits) and log(1 - D) = -softplus(logits).


@_in_float32
def minimax_discriminator_loss(real_logits, fake_logits):
    """Discriminator loss of the original GAN (Goodfellow et al. 2014, eq. 1).

    `-E[log D(x)] - E[log(1 - D(G(z)))]`, computed from logits with softplus
    so that it stays finite for saturated discriminators.
    """
    return _mean(ops.softplus(-real_logits)) + _mean(ops.softplus(fake_logits))


@_in_float32
def minimax_generator_loss(fake_logits):
    """Generator loss of the minimax game: `E[log(1 - D(G(z)))]`.

    Goodfellow et al. 2014, eq. 1. It saturates early in training; see
    `non_saturating_generator_loss`.
    """
    return -_mean(ops.softplus(fake_logits))


@_in_float32
def non_saturating_generator_loss(fake_logits):
    """Non-saturating generator loss: `-E[log D(G(z))]`.

    Goodfellow et al. 2014, section 3: the generator maximizes
    `log D(G(z))` instead of minimizing `log(1 - D(G(z)))`.
    """
    return _mean(ops.softplus(-fake_logits))


@_in_float32
def least_squares_discriminator_loss(real_scores, fake_scores):
    """LSGAN discriminator loss with the 0-1 coding (Mao et al. 2017, eq. 2).

    `1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]`.
    """
    return 0.5 * _mean(ops.square(real_scores - 1.0)) + 0.5 * _mean(
        ops.square(fake_scores)
    )


@_in_float32
def least_squares_generator_loss(fake_scores):
    """LSGAN generator loss: `1/2 E[(D(G(z)) - 1)^2]`.

    Mao et al. 2017, eq. 2, with the 0-1 coding.
    """
    return 0.5 * _mean(ops.square(fake_scores - 1.0))


@_in_float32
def wasserstein_critic_loss(real_scores, fake_scores):
    """Critic loss of WGAN: `E[D(G(z))] - E[D(x)]`.

    The negated Kantorovich-Rubinstein dual (Arjovsky et al. 2017, eq. 3);
    minimizing it maximizes the critic's estimate of the Wasserstein-1
    distance.
    """
    return _mean(fake_scores) - _mean(real_scores)


@_in_float32
def wasserstein_generator_loss(fake_scores):
    """Generator loss of WGAN: `-E[D(G(z))]` (Arjovsky et al. 2017, alg. 1)."""
    return -_mean(fake_scores)


@_in_float32
def hinge_discriminator_loss(real_scores, fake_scores):
    """Hinge discriminator loss (Miyato et al. 2018, eq. 16; Lim & Ye 2017).

    `E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]`.
    """
    return _mean(ops.relu(1.0 - real_scores)) + _mean(
        ops.relu(1.0 + fake_scores)
    )


@_in_float32
def hinge_generator_loss(fake_scores):
    """Hinge generator loss: `-E[D(G(z))]` (Miyato et al. 2018, eq. 17)."""
    return -_mean(fake_scores)


@_in_float32
def mean_absolute_error(x, y):
    """`E|x - y|` over every element: the L1 cycle and identity terms of
    CycleGAN (Zhu et al. 2017, eq. 2 and section 5.2)."""
    return _mean(ops.abs(ops.subtract(x, y)))


@_in_float32
def mean_squared_error(x, y):
    """`E(x - y)^2` over every element: DiscoGAN's reconstruction distance
    (Kim et al. 2017, eq. 1)."""
    return _mean(ops.square(ops.subtract(x, y)))


@_in_float32
def per_example_squared_error(x, y):
    """`sum (x - y)^2` over the features of each example: the squared-error
    reconstruction term (a Gaussian log-likelihood up to constants), and
    the codebook and commitment terms of VQ-VAE (van den Oord et al. 2017,
    eq. 3)."""
    return _flat_sum(ops.square(ops.subtract(x, y)))


@_in_float32
def per_example_mean_absolute_error(x, y):
    """`mean |x - y|` over the features of each example: BEGAN's
    auto-encoder loss with eta = 1 (Berthelot et al. 2017, eq. 1)."""
    error = ops.abs(ops.subtract(x, y))
    return ops.mean(ops.reshape(error, (ops.shape(error)[0], -1)), axis=-1)


@_in_float32
def class_cross_entropy(labels, logits):
    """`-E[log p(c | x)]` from class logits and integer labels: the class
    term of AC-GAN (Odena et al. 2017, eq. 2)."""
    return _mean(
        ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
    )


def discriminator_accuracy(real_logits, fake_logits):
    """The share of images a discriminator classifies right, from logits:
    `D(x) > 1/2` on real images and `D(G(z)) < 1/2` on generated ones, the
    two halves weighted equally. A statistic to watch, not a loss."""
    return 0.5 * (
        _mean(ops.cast(real_logits > 0, "float32"))
        + _mean(ops.cast(fake_logits < 0, "float32"))
    )


@_in_float32
def safe_norm(x, axis=-1):
    """Euclidean norm whose gradient is finite (zero) where the norm is 0.

    `sqrt` has an infinite derivative at 0; the inner `where` keeps the
    argument of `sqrt` away from 0 so that no NaN reaches the gradient.
    """
    squared = ops.sum(ops.square(x), axis=axis)
    positive = squared > 0
    safe_squared = ops.where(positive, squared, ops.ones_like(squared))
    return ops.where(positive, ops.sqrt(safe_squared), 0.0)


@_in_float32
def gradient_penalty(critic, real, fake, epsilon, target_norm=1.0):
    """Two-sided gradient penalty of WGAN-GP (Gulrajani et al. 2017, eq. 3).

    `E[(||grad_x D(x_hat)||_2 - 1)^2]` with
    `x_hat = epsilon * x + (1 - epsilon) * G(z)`. `epsilon` is drawn per
    example (shape `(batch, 1, ..., 1)`), not per pixel. The gradient comes
    from the training core's `input_gradient`, so the penalty is
    differentiable with respect to the critic's weights on every backend.
    The coefficient lambda is applied by the caller.

    Args:
        critic: callable. Maps images to one score per example.
        real: tensor. Real images.
        fake: tensor. Generated images, same shape as `real`.
        epsilon: tensor. Interpolation weights in [0, 1], broadcastable to
            `real`, one per example.
        target_norm: float. The gradient norm that is not penalized.
            Defaults to `1.0`.

    Returns:
        A scalar tensor.
    """
    mixed = epsilon * real + (1.0 - epsilon) * fake
    _, grads = input_gradient(critic, mixed)
    # The norm in float32, whatever precision the critic computes in.
    grads = ops.cast(grads, "float32") if _is_reduced(grads) else grads
    grads = ops.reshape(grads, (ops.shape(grads)[0], -1))
    return _mean(ops.square(safe_norm(grads) - target_norm))


# Autoencoder terms. Kingma & Welling 2014, eq. 3 and appendix B.


@_in_float32
def gaussian_kl_divergence(mean, log_var):
    """KL divergence `KL(N(mean, exp(log_var)) || N(0, I))`, per example.

    Closed form of Kingma & Welling 2014, appendix B:
    `-1/2 sum(1 + log_var - mean^2 - exp(log_var))`.

    Returns:
        A tensor of shape `(batch,)`, in nats.
    """
    mean = ops.convert_to_tensor(mean)
    log_var = ops.convert_to_tensor(log_var)
    return -0.5 * ops.sum(
        1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1
    )


@_in_float32
def bernoulli_negative_log_likelihood(x, logits):
    """`-log p(x | logits)` for a Bernoulli decoder, summed per example.

    Equals the binary cross-entropy with logits,
    `softplus(logits) - x * logits`, which also holds for grey levels in
    [0, 1] (Kingma & Welling 2014, appendix C.1).

    Returns:
        A tensor of shape `(batch,)`, in nats.
    """
    x = ops.convert_to_tensor(x)
    logits = ops.convert_to_tensor(logits)
    return _flat_sum(ops.softplus(logits) - x * logits)


# The reconstruction terms of the autoencoders and VQ-VAE, by name.
RECONSTRUCTIONS = ("bernoulli", "squared_error")


def check_reconstruction(reconstruction):
    """Checks that `reconstruction` names one of `RECONSTRUCTIONS`."""
    if reconstruction not in RECONSTRUCTIONS:
        raise ValueError(
            f"Expected reconstruction in {RECONSTRUCTIONS}. Received "
            f"reconstruction={reconstruction!r}."
        )


def reconstruction_error(reconstruction, images, outputs):
    """The per-example reconstruction term that `reconstruction` names.

    `"bernoulli"`: `bernoulli_negative_log_likelihood(images, outputs)` with
    `outputs` the decoder's logits; `"squared_error"`:
    `per_example_squared_error(images, outputs)`. Shape `(batch,)`.
    """
    check_reconstruction(reconstruction)
    if reconstruction == "bernoulli":
        return bernoulli_negative_log_likelihood(images, outputs)
    return per_example_squared_error(images, outputs)


@_in_float32
def gaussian_negative_log_likelihood(x, mean, scale=1.0):
    """`-log N(x; mean, scale^2 I)`, summed per example.

    Kingma & Welling 2014, appendix C.2, with a fixed observation scale.

    Returns:
        A tensor of shape `(batch,)`, in nats.
    """
    x = ops.convert_to_tensor(x)
    mean = ops.convert_to_tensor(mean)
    scale = ops.convert_to_tensor(scale, dtype=mean.dtype)
    log_norm = 0.5 * ops.log(2.0 * 3.141592653589793 * ops.square(scale))
    per_pixel = 0.5 * ops.square((x - mean) / scale) + log_norm
    return _flat_sum(per_pixel)


@_in_float32
def diagonal_gaussian_log_density(z, mean, log_var):
    """`log N(z; mean, diag(exp(log_var)))`, summed over the last axis.

    The log-densities of the IWAE weights (Burda et al. 2015, eq. 8).

    Returns:
        A tensor of the shape of `z` without its last axis, in nats.
    """
    z = ops.convert_to_tensor(z)
    mean = ops.convert_to_tensor(mean)
    log_var = ops.convert_to_tensor(log_var)
    log_2pi = 1.8378770664093453
    return -0.5 * ops.sum(
        log_2pi + log_var + ops.square(z - mean) * ops.exp(-log_var), axis=-1
    )


# Regularizers of the code of deterministic autoencoders: sparsity
# (Ranzato et al. 2007; Ng 2011) and contraction (Rifai et al. 2011).


@_in_float32
def l1_sparsity_penalty(z):
    """L1 sparsity of the code, `sum_j |z_j|`, averaged over the batch.

    The L1 code penalty of sparse coding and sparse autoencoders
    (Ranzato et al. 2007; Goodfellow et al. 2016, eq. 14.2 with a Laplace
    prior). The weight lambda is applied by the caller.

    Returns:
        A scalar tensor.
    """
    return _mean(_flat_sum(ops.abs(z)))


@_in_float32
def kl_sparsity_penalty(z, target=0.05):
    """KL sparsity penalty `sum_j KL(rho || rho_hat_j)` (Ng 2011, sec. 3).

    `rho_hat_j` is the mean activation of code unit `j` over the batch
    (activations in (0, 1), e.g. sigmoid codes) and
    `KL(rho || rho_hat) = rho log(rho / rho_hat)
    + (1 - rho) log((1 - rho) / (1 - rho_hat))`, the divergence between
    Bernoulli variables of means `rho` and `rho_hat`. It is zero exactly
    when every unit's mean activation equals the target.

    Args:
        z: tensor. Codes in (0, 1), shape `(batch, units)` or
            `(batch, ..., units)`.
        target: float. The target mean activation `rho`. Defaults to 0.05.

    Returns:
        A scalar tensor, in nats.
    """
    z = ops.convert_to_tensor(z)
    z = ops.reshape(z, (-1, ops.shape(z)[-1]))
    eps = 1e-6
    rho_hat = ops.clip(ops.mean(z, axis=0), eps, 1.0 - eps)
    rho = target
    kl = rho * (ops.log(rho) - ops.log(rho_hat)) + (1.0 - rho) * (
        ops.log(1.0 - rho) - ops.log(1.0 - rho_hat)
    )
    return ops.sum(kl)


@_in_float32
def contractive_penalty(encoder, x, num_units=None):
    """Contractive penalty `||J_f(x)||_F^2` (Rifai et al. 2011, eq. 2).

    The squared Frobenius norm of the Jacobian of the code with respect to
    the input, `sum_ij (dz_j / dx_i)^2`, averaged over the batch. It is
    computed exactly, one row of the Jacobian at a time: for each code
    unit `j` the training core's `input_gradient` gives
    `d sum_b z_j(x_b) / dx`, whose row `b` is `dz_j(x_b) / dx_b` since the
    examples of a batch do not interact (no batch normalization in
    training mode). The result stays differentiable with respect to the
    encoder's weights.

    Args:
        encoder: callable. Maps a batch of inputs to codes
            `(batch, units)`.
        x: tensor. The input batch.
        num_units: int or None. Number of code units; read from a first
            call of `encoder` when `None`. Defaults to `None`.

    Returns:
        A scalar tensor.
    """
    x = ops.convert_to_tensor(x)
    if num_units is None:
        num_units = int(ops.shape(encoder(x))[-1])
    total = 0.0
    for j in range(num_units):

        def unit(inputs, j=j):
            return encoder(inputs)[:, j]

        _, grad = input_gradient(unit, x)
        grad = ops.cast(grad, "float32") if _is_reduced(grad) else grad
        total = total + _flat_sum(ops.square(grad))
    return _mean(total)
