"""Convolutional encoders, decoders, generators and discriminators.

All builders return functional `keras.Model`s, so they serialize with their
architecture and can be replaced by any user network with the same inputs
and outputs.
"""

import keras
from keras import layers

from keras_aegan.networks.layers import SubpixelConv2DTranspose
from keras_aegan.networks.layers import SyncBatchNormalization
from keras_aegan.networks.layers import normal_init
from keras_aegan.validation import check_image_shape


def num_resolution_stages(image_shape, max_stages=4, min_size=4):
    """Number of stride-2 stages from `image_shape` down to a small grid.

    The largest `n <= max_stages` such that height and width are both
    divisible by `2**n` and the smallest grid is at least `min_size` wide:
    2 for 28x28 (7x7), 3 for 32x32 (4x4), 4 for 64x64 (4x4).

    Args:
        image_shape: tuple. `(height, width, channels)`.
        max_stages: int. Upper bound on the number of stages. Defaults to 4.
        min_size: int. Smallest spatial size. Defaults to 4.
    """
    check_image_shape(image_shape)
    height, width = image_shape[0], image_shape[1]
    stages = 0
    while stages < max_stages:
        factor = 2 ** (stages + 1)
        if height % factor or width % factor:
            break
        if height // factor < min_size or width // factor < min_size:
            break
        stages += 1
    if stages == 0:
        raise ValueError(
            "Expected an image height and width divisible by 2 and at least "
            f"{2 * min_size} pixels. Received image_shape={image_shape}."
        )
    return stages


def dcgan_generator(
    latent_dim=100,
    image_shape=(28, 28, 1),
    base_filters=64,
    batch_norm=True,
    name="generator",
):
    """DCGAN generator (Radford et al. 2016, figure 1).

    A dense projection of `z` to a small grid, then stride-2 transposed
    convolutions with batch normalization and ReLU, halving the filters at
    each stage, and a `tanh` output in [-1, 1].

    Args:
        latent_dim: int. Size of `z`. Defaults to 100.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        base_filters: int. Filters of the last hidden stage; earlier stages
            double it. Defaults to 64.
        batch_norm: bool. Whether to normalize the hidden stages. Defaults
            to `True`.
        name: str. Model name. Defaults to `"generator"`.
    """
    stages = num_resolution_stages(image_shape)
    height, width, channels = image_shape
    h0, w0 = height // 2**stages, width // 2**stages
    filters = base_filters * 2 ** (stages - 1)

    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(
        h0 * w0 * filters, use_bias=False, kernel_initializer=normal_init()
    )(z)
    if batch_norm:
        x = SyncBatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((h0, w0, filters))(x)
    for _ in range(stages - 1):
        filters //= 2
        x = SubpixelConv2DTranspose(
            filters,
            4,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=normal_init(),
        )(x)
        if batch_norm:
            x = SyncBatchNormalization()(x)
        x = layers.ReLU()(x)
    images = SubpixelConv2DTranspose(
        channels,
        4,
        strides=2,
        padding="same",
        activation="tanh",
        kernel_initializer=normal_init(),
        name="images",
    )(x)
    return keras.Model(z, images, name=name)


def dcgan_discriminator(
    image_shape=(28, 28, 1),
    base_filters=64,
    batch_norm=True,
    name="discriminator",
):
    """DCGAN discriminator (Radford et al. 2016, section 3).

    Stride-2 convolutions with LeakyReLU(0.2), batch normalization on every
    stage but the first, and one linear output: a logit for the
    probabilistic GAN losses, a score for the Wasserstein and hinge losses.

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        base_filters: int. Filters of the first stage, doubled at each
            stage. Defaults to 64.
        batch_norm: bool. Whether to normalize the hidden stages. Set it to
            `False` for a WGAN-GP critic (Gulrajani et al. 2017, sec. 4).
            Defaults to `True`.
        name: str. Model name. Defaults to `"discriminator"`.
    """
    stages = num_resolution_stages(image_shape)
    images = keras.Input(image_shape, name="images")
    x = images
    for stage in range(stages):
        x = layers.Conv2D(
            base_filters * 2**stage,
            4,
            strides=2,
            padding="same",
            kernel_initializer=normal_init(),
        )(x)
        if batch_norm and stage > 0:
            x = SyncBatchNormalization()(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Flatten()(x)
    logits = layers.Dense(1, kernel_initializer=normal_init(), name="logits")(x)
    return keras.Model(images, logits, name=name)


def conv_encoder(
    image_shape=(28, 28, 1),
    latent_dim=16,
    filters=(32, 64),
    hidden_units=256,
    name="encoder",
):
    """Convolutional Gaussian encoder `q(z | x)` of a VAE.

    Stride-2 convolutions, a dense layer, and two linear heads: the mean and
    the log-variance of a diagonal Gaussian (Kingma & Welling 2014, eq. 9).

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of `z`. Defaults to 16.
        filters: tuple of int. Filters of each stride-2 convolution.
            Defaults to `(32, 64)`.
        hidden_units: int. Width of the dense layer. Defaults to 256.
        name: str. Model name. Defaults to `"encoder"`.

    Returns:
        A model mapping images to `[z_mean, z_log_var]`.
    """
    check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    x = images
    for f in filters:
        x = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(hidden_units, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(
        latent_dim, kernel_initializer="zeros", name="z_log_var"
    )(x)
    return keras.Model(images, [z_mean, z_log_var], name=name)


def conv_decoder(
    latent_dim=16,
    image_shape=(28, 28, 1),
    filters=(64, 32),
    hidden_units=256,
    name="decoder",
):
    """Convolutional decoder `p(x | z)` of a VAE or autoencoder.

    The mirror image of `conv_encoder`: dense layers up to a small grid,
    stride-2 transposed convolutions, and a linear output (logits of a
    Bernoulli decoder, or the mean of a Gaussian one).

    Args:
        latent_dim: int. Size of `z`. Defaults to 16.
        image_shape: tuple. Output `(height, width, channels)`; height and
            width must be divisible by `2**len(filters)`. Defaults to
            `(28, 28, 1)`.
        filters: tuple of int. Filters of each stride-2 transposed
            convolution. Defaults to `(64, 32)`.
        hidden_units: int. Width of the first dense layer. Defaults to 256.
        name: str. Model name. Defaults to `"decoder"`.
    """
    check_image_shape(image_shape)
    height, width, channels = image_shape
    factor = 2 ** len(filters)
    if height % factor or width % factor:
        raise ValueError(
            f"Expected an image height and width divisible by {factor} for "
            f"{len(filters)} upsampling stages. Received image_shape="
            f"{image_shape}."
        )
    h0, w0 = height // factor, width // factor
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(hidden_units, activation="relu")(z)
    x = layers.Dense(h0 * w0 * filters[0], activation="relu")(x)
    x = layers.Reshape((h0, w0, filters[0]))(x)
    for f in filters:
        x = SubpixelConv2DTranspose(
            f, 3, strides=2, padding="same", activation="relu"
        )(x)
    outputs = layers.Conv2D(channels, 3, padding="same", name="outputs")(x)
    return keras.Model(z, outputs, name=name)
