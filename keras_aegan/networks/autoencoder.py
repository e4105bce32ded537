"""Deterministic encoders and decoders of the autoencoder family.

The VAE's `conv_encoder` has two heads (mean and log-variance); the
autoencoders of `keras_aegan.models.autoencoder`, the adversarial
autoencoder and the VQ-VAE take a single code instead. Every builder returns
a functional `keras.Model`, so it serializes with its architecture and can
be swapped for any user network with the same inputs and outputs.
"""

import math

import keras
from keras import layers

from keras_aegan.networks.layers import SubpixelConv2DTranspose
from keras_aegan.validation import check_image_shape


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


def dense_encoder(
    image_shape=(28, 28, 1),
    latent_dim=32,
    hidden_units=(256,),
    activation="relu",
    code_activation=None,
    name="encoder",
):
    """Fully connected encoder `z = F(x, W1)` (a generalized autoencoder).

    Flattens the image, applies `hidden_units` dense layers and a dense code
    layer. A sigmoid code (`code_activation="sigmoid"`) gives activations
    in (0, 1), as the KL sparsity penalty needs (Ng 2011, section 3).

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of the code `z`. Defaults to 32.
        hidden_units: tuple of int. Widths of the hidden layers. Defaults to
            `(256,)`.
        activation: str. Activation of the hidden layers. Defaults to
            `"relu"`.
        code_activation: str or None. Activation of the code. Defaults to
            `None` (linear).
        name: str. Model name. Defaults to `"encoder"`.
    """
    check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    x = layers.Flatten()(images)
    for units in hidden_units:
        x = layers.Dense(units, activation=activation)(x)
    z = layers.Dense(latent_dim, activation=code_activation, name="code")(x)
    return keras.Model(images, z, name=name)


def dense_decoder(
    latent_dim=32,
    image_shape=(28, 28, 1),
    hidden_units=(256,),
    activation="relu",
    name="decoder",
):
    """Fully connected decoder `x' = G(z, W2)` with a linear output.

    The output is the Bernoulli logits or the mean of the reconstruction,
    shaped like the images.

    Args:
        latent_dim: int. Size of the code `z`. Defaults to 32.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        hidden_units: tuple of int. Widths of the hidden layers. Defaults to
            `(256,)`.
        activation: str. Activation of the hidden layers. Defaults to
            `"relu"`.
        name: str. Model name. Defaults to `"decoder"`.
    """
    check_image_shape(image_shape)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for units in hidden_units:
        x = layers.Dense(units, activation=activation)(x)
    x = layers.Dense(math.prod(image_shape), name="outputs")(x)
    outputs = layers.Reshape(image_shape)(x)
    return keras.Model(z, outputs, name=name)


def conv_code_encoder(
    image_shape=(28, 28, 1),
    latent_dim=32,
    filters=(32, 64),
    hidden_units=256,
    code_activation=None,
    name="encoder",
):
    """Convolutional encoder to a single code vector.

    Stride-2 convolutions, a dense layer and one dense code layer; the
    deterministic counterpart of `conv_encoder`, to pair with
    `conv_decoder`.

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of the code `z`. Defaults to 32.
        filters: tuple of int. Filters of each stride-2 convolution.
            Defaults to `(32, 64)`.
        hidden_units: int. Width of the dense layer. Defaults to 256.
        code_activation: str or None. Activation of the code. Defaults to
            `None` (linear).
        name: str. Model name. Defaults to `"encoder"`.
    """
    check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    x = images
    for f in filters:
        x = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(hidden_units, activation="relu")(x)
    z = layers.Dense(latent_dim, activation=code_activation, name="code")(x)
    return keras.Model(images, z, name=name)


def _residual_stack(x, blocks, hidden_filters, name):
    """Van den Oord et al. 2017, section 4.1: residual blocks of ReLU, 3x3
    convolution, ReLU, 1x1 convolution, each added to its input, and a
    ReLU after the stack."""
    filters = x.shape[-1]
    for i in range(blocks):
        h = layers.ReLU()(x)
        h = layers.Conv2D(
            hidden_filters,
            3,
            padding="same",
            activation="relu",
            name=f"{name}_{i}_conv3x3",
        )(h)
        h = layers.Conv2D(filters, 1, name=f"{name}_{i}_conv1x1")(h)
        x = layers.Add(name=f"{name}_{i}_add")([x, h])
    return layers.ReLU()(x) if blocks else x


def _check_residual(residual_blocks, residual_filters):
    if int(residual_blocks) != residual_blocks or residual_blocks < 0:
        raise ValueError(
            "Expected residual_blocks to be an integer >= 0. Received "
            f"residual_blocks={residual_blocks!r}."
        )
    if residual_blocks and (
        int(residual_filters) != residual_filters or residual_filters < 1
    ):
        raise ValueError(
            "Expected residual_filters to be a positive integer. Received "
            f"residual_filters={residual_filters!r}."
        )


def conv_feature_encoder(
    image_shape=(28, 28, 1),
    embedding_dim=16,
    filters=(32, 64),
    residual_blocks=0,
    residual_filters=32,
    name="encoder",
):
    """Convolutional encoder to a grid of feature vectors, for a VQ-VAE.

    Van den Oord et al. 2017, section 4.1: stride-2 4x4 convolutions down
    to a `(height / 2**n, width / 2**n, embedding_dim)` grid, each vector of
    which is quantized separately, then a 3x3 convolution and optionally
    the paper's residual blocks (its CIFAR-10 encoder has two, 256 filters
    wide), before a linear 1x1 projection to `embedding_dim`.

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        embedding_dim: int. Depth `D` of the output vectors. Defaults to 16.
        filters: tuple of int. Filters of each stride-2 convolution.
            Defaults to `(32, 64)`.
        residual_blocks: int. Residual blocks (ReLU, 3x3 convolution of
            `residual_filters`, ReLU, 1x1 convolution, added to the input)
            after the convolutions. Defaults to 0.
        residual_filters: int. Filters of each block's 3x3 convolution.
            Defaults to 32.
        name: str. Model name. Defaults to `"encoder"`.
    """
    check_image_shape(image_shape)
    _check_residual(residual_blocks, residual_filters)
    images = keras.Input(image_shape, name="images")
    x = images
    for f in filters:
        x = layers.Conv2D(f, 4, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    x = _residual_stack(x, residual_blocks, residual_filters, "residual")
    z_e = layers.Conv2D(embedding_dim, 1, name="z_e")(x)
    return keras.Model(images, z_e, name=name)


def conv_feature_decoder(
    grid_shape=(7, 7, 16),
    image_shape=(28, 28, 1),
    filters=(64, 32),
    residual_blocks=0,
    residual_filters=32,
    name="decoder",
):
    """Convolutional decoder from a grid of (quantized) feature vectors.

    The mirror of `conv_feature_encoder`: a 3x3 convolution, the optional
    residual blocks, and stride-2 upsampling, with a linear output
    (Bernoulli logits or the reconstruction's mean).

    Args:
        grid_shape: tuple. Input `(height, width, embedding_dim)`. Defaults
            to `(7, 7, 16)`.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        filters: tuple of int. Filters of each stride-2 transposed
            convolution. Defaults to `(64, 32)`.
        residual_blocks: int. Residual blocks after the first convolution,
            as in `conv_feature_encoder`. Defaults to 0.
        residual_filters: int. Filters of each block's 3x3 convolution.
            Defaults to 32.
        name: str. Model name. Defaults to `"decoder"`.
    """
    check_image_shape(image_shape)
    _check_residual(residual_blocks, residual_filters)
    factor = 2 ** len(filters)
    if (
        grid_shape[0] * factor != image_shape[0]
        or grid_shape[1] * factor != image_shape[1]
    ):
        raise ValueError(
            f"Expected grid_shape[:2] * {factor} == image_shape[:2] for "
            f"{len(filters)} upsampling stages. Received grid_shape="
            f"{grid_shape} and image_shape={image_shape}."
        )
    z_q = keras.Input(tuple(grid_shape), name="z_q")
    x = layers.Conv2D(filters[0], 3, padding="same", activation="relu")(z_q)
    x = _residual_stack(x, residual_blocks, residual_filters, "residual")
    for f in filters:
        x = SubpixelConv2DTranspose(
            f, 4, strides=2, padding="same", activation="relu"
        )(x)
    outputs = layers.Conv2D(image_shape[-1], 3, padding="same", name="outputs")(
        x
    )
    return keras.Model(z_q, outputs, name=name)


def code_discriminator(latent_dim=8, hidden_units=(256, 256), name="code_d"):
    """The adversarial autoencoder's discriminator on codes: an MLP with one
    logit (Makhzani et al. 2015, section 2)."""
    z = keras.Input((latent_dim,), name="z")
    x = z
    for units in hidden_units:
        x = layers.Dense(units)(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
    logits = layers.Dense(1, name="logits")(x)
    return keras.Model(z, logits, name=name)
