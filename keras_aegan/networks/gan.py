"""Generators and discriminators of the GAN family.

Every builder returns a functional `keras.Model` for any
`(height, width, channels)` image shape the family supports (28x28x1 and
32x32x3 among them), so the networks serialize with their architecture and
users can swap in their own networks with the same inputs and outputs.
"""

import keras
from keras import layers

from keras_aegan.networks.layers import Maxout
from keras_aegan.networks.layers import SubpixelConv2DTranspose
from keras_aegan.networks.layers import SyncBatchNormalization
from keras_aegan.networks.layers import normal_init
from keras_aegan.networks.layers import num_resolution_stages
from keras_aegan.validation import check_image_shape


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
    x = _conv_features(images, stages, base_filters, batch_norm)
    logits = layers.Dense(1, kernel_initializer=normal_init(), name="logits")(x)
    return keras.Model(images, logits, name=name)


def mlp_generator(
    latent_dim=100,
    image_shape=(28, 28, 1),
    hidden_units=(1200, 1200),
    name="generator",
):
    """Fully connected generator of Goodfellow et al. 2014 (section 5).

    ReLU hidden layers (1200 units each in the authors' MNIST code) and an
    output in [-1, 1] (`tanh`; the paper's sigmoid gives [0, 1], the range
    the rest of the GAN family does not use).

    Args:
        latent_dim: int. Size of `z`. Defaults to 100.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        hidden_units: tuple of int. Width of each hidden layer. Defaults to
            `(1200, 1200)`.
        name: str. Model name. Defaults to `"generator"`.
    """
    check_image_shape(image_shape)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for units in hidden_units:
        x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(
        image_shape[0] * image_shape[1] * image_shape[2], activation="tanh"
    )(x)
    images = layers.Reshape(image_shape, name="images")(x)
    return keras.Model(z, images, name=name)


def maxout_discriminator(
    image_shape=(28, 28, 1),
    hidden_units=(240, 240),
    pieces=5,
    dropout=0.5,
    name="discriminator",
):
    """Maxout discriminator of Goodfellow et al. 2014 (section 5).

    Maxout hidden layers (240 units of 5 pieces in the authors' MNIST code)
    with dropout, and one logit per image.

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        hidden_units: tuple of int. Maxout units of each hidden layer.
            Defaults to `(240, 240)`.
        pieces: int. Pieces per maxout unit. Defaults to 5.
        dropout: float. Dropout rate on the inputs of each hidden layer
            (the paper applies dropout when training the discriminator).
            Defaults to 0.5.
        name: str. Model name. Defaults to `"discriminator"`.
    """
    check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    x = layers.Flatten()(images)
    for units in hidden_units:
        if dropout:
            x = layers.Dropout(dropout)(x)
        x = Maxout(units, pieces)(x)
    logits = layers.Dense(1, name="logits")(x)
    return keras.Model(images, logits, name=name)


def sngan_discriminator(
    image_shape=(32, 32, 3),
    base_filters=64,
    power_iterations=1,
    name="discriminator",
):
    """Spectrally normalized CNN discriminator (Miyato et al. 2018, table 3).

    At each resolution a 3x3 stride-1 and a 4x4 stride-2 convolution with
    LeakyReLU(0.1), doubling the filters, then a 3x3 convolution and a
    dense score. Every convolution and the dense layer are wrapped in
    `keras.layers.SpectralNormalization` (one power iteration per step,
    section 2.1).

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(32, 32, 3)`.
        base_filters: int. Filters of the first resolution. Defaults to 64.
        power_iterations: int. Power iterations per training call.
            Defaults to 1.
        name: str. Model name. Defaults to `"discriminator"`.
    """
    stages = num_resolution_stages(image_shape)

    def sn(layer):
        return layers.SpectralNormalization(
            layer, power_iterations=power_iterations
        )

    images = keras.Input(image_shape, name="images")
    x = images
    for stage in range(stages):
        filters = base_filters * 2**stage
        x = sn(layers.Conv2D(filters, 3, padding="same"))(x)
        x = layers.LeakyReLU(negative_slope=0.1)(x)
        x = sn(layers.Conv2D(filters, 4, strides=2, padding="same"))(x)
        x = layers.LeakyReLU(negative_slope=0.1)(x)
    x = sn(layers.Conv2D(base_filters * 2**stages, 3, padding="same"))(x)
    x = layers.LeakyReLU(negative_slope=0.1)(x)
    x = layers.Flatten()(x)
    scores = sn(layers.Dense(1))(x)
    return keras.Model(images, scores, name=name)


def _began_stages(image_shape):
    # Berthelot et al. start the decoder at 8x8; 28x28 images start at 7x7.
    return num_resolution_stages(image_shape, min_size=7)


def began_decoder(
    latent_dim=64,
    image_shape=(28, 28, 1),
    filters=64,
    output_activation="tanh",
    name="generator",
):
    """BEGAN decoder / generator (Berthelot et al. 2017, figure 1).

    A linear projection of `h` (or `z`) to a small grid of `filters`
    channels, then at each resolution two 3x3 ELU convolutions and a
    nearest-neighbour upsampling, and a 3x3 convolution to the image.

    Args:
        latent_dim: int. Size of the input code. Defaults to 64.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        filters: int. Filters of every convolution, `n` in the paper.
            Defaults to 64.
        output_activation: str or None. Activation of the output; `tanh`
            keeps generated images in [-1, 1], `None` gives the linear
            reconstruction of the discriminator's decoder. Defaults to
            `"tanh"`.
        name: str. Model name. Defaults to `"generator"`.
    """
    stages = _began_stages(image_shape)
    height, width, channels = image_shape
    h0, w0 = height // 2**stages, width // 2**stages
    code = keras.Input((latent_dim,), name="code")
    x = layers.Dense(h0 * w0 * filters)(code)
    x = layers.Reshape((h0, w0, filters))(x)
    for stage in range(stages + 1):
        x = layers.Conv2D(filters, 3, padding="same", activation="elu")(x)
        x = layers.Conv2D(filters, 3, padding="same", activation="elu")(x)
        if stage < stages:
            x = layers.UpSampling2D(2, interpolation="nearest")(x)
    images = layers.Conv2D(
        channels, 3, padding="same", activation=output_activation
    )(x)
    return keras.Model(code, images, name=name)


def began_discriminator(
    image_shape=(28, 28, 1),
    hidden_dim=64,
    filters=64,
    name="discriminator",
):
    """BEGAN autoencoder discriminator (Berthelot et al. 2017, figure 1).

    The encoder has two 3x3 ELU convolutions per resolution and a stride-2
    convolution between resolutions, with filters growing linearly
    (`n, 2n, 3n, ...`), and a linear embedding `h`; the decoder is
    `began_decoder` with a linear output. The network maps images to their
    reconstructions.

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        hidden_dim: int. Size of the embedding `h`, `N_h` in the paper.
            Defaults to 64.
        filters: int. `n` in the paper. Defaults to 64.
        name: str. Model name. Defaults to `"discriminator"`.
    """
    stages = _began_stages(image_shape)
    images = keras.Input(image_shape, name="images")
    x = layers.Conv2D(filters, 3, padding="same", activation="elu")(images)
    for stage in range(stages + 1):
        width = filters * (stage + 1)
        x = layers.Conv2D(width, 3, padding="same", activation="elu")(x)
        x = layers.Conv2D(width, 3, padding="same", activation="elu")(x)
        if stage < stages:
            x = layers.Conv2D(
                filters * (stage + 2),
                3,
                strides=2,
                padding="same",
                activation="elu",
            )(x)
    x = layers.Flatten()(x)
    h = layers.Dense(hidden_dim, name="embedding")(x)
    decoder = began_decoder(
        hidden_dim,
        image_shape,
        filters=filters,
        output_activation=None,
        name=f"{name}_decoder",
    )
    return keras.Model(images, decoder(h), name=name)


def conditional_generator(
    latent_dim=100,
    num_classes=10,
    image_shape=(28, 28, 1),
    base_filters=64,
    embedding_dim=None,
    name="generator",
):
    """Class-conditional DCGAN generator `G(z, y)` (Mirza & Osindero 2014).

    The label is embedded, concatenated with `z` (section 3.2: "y is fed
    into both the discriminator and generator as additional input layer"),
    and passed to a `dcgan_generator`.

    Args:
        latent_dim: int. Size of `z`. Defaults to 100.
        num_classes: int. Number of classes. Defaults to 10.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        base_filters: int. Filters of the generator's last hidden stage.
            Defaults to 64.
        embedding_dim: int or None. Size of the label embedding. Defaults
            to `num_classes`.
        name: str. Model name. Defaults to `"generator"`.

    Returns:
        A model mapping `[z, labels]` (labels: int, shape `(batch,)`) to
        images in [-1, 1].
    """
    embedding_dim = embedding_dim or num_classes
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    embedded = layers.Embedding(num_classes, embedding_dim)(labels)
    joint = layers.Concatenate()([z, embedded])
    trunk = dcgan_generator(
        latent_dim + embedding_dim,
        image_shape,
        base_filters=base_filters,
        name=f"{name}_trunk",
    )
    return keras.Model([z, labels], trunk(joint), name=name)


def _conv_features(x, stages, base_filters, batch_norm, dropout=0.0):
    # The DCGAN discriminator's stride-2 stages (Radford et al. 2016).
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
        if dropout:
            x = layers.Dropout(dropout)(x)
    return layers.Flatten()(x)


def conditional_discriminator(
    image_shape=(28, 28, 1),
    num_classes=10,
    base_filters=64,
    batch_norm=True,
    name="discriminator",
):
    """Class-conditional DCGAN discriminator `D(x, y)` (Mirza 2014).

    The label is embedded into one extra image channel, concatenated with
    the image, and passed through the DCGAN discriminator's stages to one
    logit.

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
        base_filters: int. Filters of the first stage. Defaults to 64.
        batch_norm: bool. Whether to normalize the hidden stages. Defaults
            to `True`.
        name: str. Model name. Defaults to `"discriminator"`.

    Returns:
        A model mapping `[images, labels]` to one logit per image.
    """
    stages = num_resolution_stages(image_shape)
    height, width, _ = image_shape
    images = keras.Input(image_shape, name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    plane = layers.Embedding(num_classes, height * width)(labels)
    plane = layers.Reshape((height, width, 1))(plane)
    x = layers.Concatenate()([images, plane])
    x = _conv_features(x, stages, base_filters, batch_norm)
    logits = layers.Dense(1, kernel_initializer=normal_init(), name="logits")(x)
    return keras.Model([images, labels], logits, name=name)


def acgan_discriminator(
    image_shape=(28, 28, 1),
    num_classes=10,
    base_filters=64,
    batch_norm=True,
    dropout=0.5,
    name="discriminator",
):
    """Discriminator with an auxiliary classifier (Odena et al. 2017).

    DCGAN stages with LeakyReLU(0.2) and dropout 0.5 (appendix, table 2),
    and two heads on the shared features: the source logit `P(S | X)` and
    the class logits `P(C | X)` (section 3).

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
        base_filters: int. Filters of the first stage. Defaults to 64.
        batch_norm: bool. Whether to normalize the hidden stages. Defaults
            to `True`.
        dropout: float. Dropout rate after each stage. Defaults to 0.5.
        name: str. Model name. Defaults to `"discriminator"`.

    Returns:
        A model mapping images to `[source_logits, class_logits]`, of
        shapes `(batch, 1)` and `(batch, num_classes)`.
    """
    stages = num_resolution_stages(image_shape)
    images = keras.Input(image_shape, name="images")
    x = _conv_features(images, stages, base_filters, batch_norm, dropout)
    source = layers.Dense(1, kernel_initializer=normal_init(), name="source")(x)
    classes = layers.Dense(num_classes, name="classes")(x)
    return keras.Model(images, [source, classes], name=name)


def conditional_mlp_generator(
    latent_dim=100,
    num_classes=10,
    image_shape=(28, 28, 1),
    name="generator",
):
    """Conditional MLP generator of Mirza & Osindero 2014 (section 4.1).

    `z` goes through a ReLU layer of 200 units and the one-hot label
    through one of 1000 units; the joint 1200-unit ReLU layer maps to the
    image (`tanh`, in [-1, 1]; the paper's sigmoid gives [0, 1]).

    Args:
        latent_dim: int. Size of `z`. Defaults to 100.
        num_classes: int. Number of classes. Defaults to 10.
        image_shape: tuple. Output `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        name: str. Model name. Defaults to `"generator"`.
    """
    check_image_shape(image_shape)
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    hz = layers.Dense(200, activation="relu")(z)
    # An embedding of a label equals a dense layer on its one-hot code.
    hy = layers.Embedding(num_classes, 1000)(labels)
    hy = layers.ReLU()(hy)
    x = layers.Concatenate()([hz, hy])
    x = layers.Dropout(0.5)(x)
    x = layers.Dense(1200, activation="relu")(x)
    x = layers.Dense(
        image_shape[0] * image_shape[1] * image_shape[2], activation="tanh"
    )(x)
    images = layers.Reshape(image_shape, name="images")(x)
    return keras.Model([z, labels], images, name=name)


def conditional_maxout_discriminator(
    image_shape=(28, 28, 1),
    num_classes=10,
    dropout=0.5,
    name="discriminator",
):
    """Conditional maxout discriminator of Mirza & Osindero 2014.

    The image goes through a maxout layer of 240 units and 5 pieces, the
    label through one of 50 units and 5 pieces, and the joint maxout layer
    of 240 units and 4 pieces gives one logit (section 4.1), with dropout
    on every layer's inputs.

    Args:
        image_shape: tuple. Input `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to 10.
        dropout: float. Dropout rate. Defaults to 0.5.
        name: str. Model name. Defaults to `"discriminator"`.
    """
    check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    hx = layers.Dropout(dropout)(layers.Flatten()(images))
    hx = Maxout(240, 5)(hx)
    hy = layers.Embedding(num_classes, num_classes)(labels)
    hy = Maxout(50, 5)(hy)
    x = layers.Dropout(dropout)(layers.Concatenate()([hx, hy]))
    x = Maxout(240, 4)(x)
    x = layers.Dropout(dropout)(x)
    logits = layers.Dense(1, name="logits")(x)
    return keras.Model([images, labels], logits, name=name)
