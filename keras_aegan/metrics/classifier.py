"""Domain classifiers: feature extractors for 28x28 grey and 32x32 colour
images, trained on the real data by `zoo/train_domain_classifier.py`.

An ImageNet InceptionV3 sees MNIST digits as 299x299 upsampled blobs far
from its training data; a classifier trained on the domain gives features
that separate what matters there. Distances on these features are named
after the classifier (`"Fréchet Distance on mnist_classifier features
(FD-mnist)"`), never FID, and are only comparable between runs that use
the same classifier preset (its sha256 is in its metadata).
"""

import json
from pathlib import Path

import keras

from keras_aegan import presets
from keras_aegan.metrics.classifier_presets import CLASSIFIER_PRESETS
from keras_aegan.metrics.features import EXTRACTOR_LOADERS
from keras_aegan.metrics.features import FeatureExtractor

FEATURES_LAYER = "features"
PROBABILITIES_LAYER = "probabilities"

# Per-dataset architecture and the test accuracy the trained classifier
# must reach. The CIFAR-10 classifier was trained and tested on a
# JPEG-compressed copy of CIFAR-10 (quality about 75); see its card.
DOMAIN_CLASSIFIERS = {
    "mnist": {
        "image_shape": (28, 28, 1),
        "filters": (32, 64),
        "convs_per_block": 1,
        "feature_dim": 128,
        "dropout": 0.1,
        "target_accuracy": 0.99,
    },
    "fashion_mnist": {
        "image_shape": (28, 28, 1),
        "filters": (32, 64),
        "convs_per_block": 2,
        "feature_dim": 128,
        "dropout": 0.3,
        "target_accuracy": 0.91,
    },
    # A ResNet-9 (Page 2018) at 3/8 of its width: a 2x(32, 64, 128) VGG
    # with dropout reached only 79.19% in 22 epochs.
    "cifar10": {
        "image_shape": (32, 32, 3),
        "architecture": "resnet",
        "filters": (24, 48, 96, 192),
        "convs_per_block": 2,
        "feature_dim": 256,
        "dropout": 0.0,
        "target_accuracy": 0.85,
    },
    # Horse (trainA, class 0) against zebra (trainB, class 1) at 64x64:
    # the judge of CycleGAN's translation success rate.
    "horse2zebra": {
        "image_shape": (64, 64, 3),
        "num_classes": 2,
        "filters": (32, 64, 128, 128),
        "convs_per_block": 1,
        "feature_dim": 128,
        "dropout": 0.3,
        "target_accuracy": 0.9,
    },
}


def domain_classifier(
    image_shape=(28, 28, 1),
    num_classes=10,
    filters=(32, 64),
    convs_per_block=1,
    feature_dim=128,
    dropout=0.3,
    batch_norm=True,
    architecture="vgg",
    name="domain_classifier",
):
    """A VGG- or ResNet-style classifier whose penultimate layer gives the
    features.

    `architecture="vgg"`: blocks of `convs_per_block` 3x3 convolutions
    with batch normalization and ReLU, each followed by 2x2 max-pooling
    and dropout (Simonyan & Zisserman 2015; Ioffe & Szegedy 2015), then
    flattening.

    `architecture="resnet"`: the ResNet-9 of Page (2018), "How to train
    your ResNet": a stem convolution of `filters[0]`, then one stage per
    further width (convolution, batch norm, ReLU, 2x2 max-pooling); the
    1st, 3rd, ... stages add a residual unit
    `x + F(x)` of `convs_per_block` convolutions (He et al. 2016, eq. 1).
    Global max-pooling ends the trunk.

    Both end with a dense ReLU layer named `"features"` (the feature
    vector) and a softmax layer named `"probabilities"`. Inputs are images
    in [0, 1].

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Defaults to 10.
        filters: tuple. Filters of each block (VGG), or of the stem then
            each stage (ResNet). Defaults to `(32, 64)`.
        convs_per_block: int. Convolutions per VGG block or residual
            unit. Defaults to 1.
        feature_dim: int. Size of the feature vector. Defaults to 128.
        dropout: float. Dropout after each VGG block and before the
            softmax. Defaults to 0.3.
        batch_norm: bool. Normalize after each convolution. Defaults to
            `True`.
        architecture: str. `"vgg"` or `"resnet"`. Defaults to `"vgg"`.
        name: str. The model's name. Defaults to `"domain_classifier"`.

    Returns:
        A functional `keras.Model` from images to class probabilities.

    Example:
    ```python
    net = keras_aegan.metrics.domain_classifier(
        **keras_aegan.metrics.domain_classifier_config("mnist")
    )
    ```
    """
    if architecture not in ("vgg", "resnet"):
        raise ValueError(
            'Expected architecture "vgg" or "resnet". Received '
            f"{architecture!r}."
        )

    def conv_bn_relu(x, width, prefix, suffix=""):
        x = keras.layers.Conv2D(
            width,
            3,
            padding="same",
            use_bias=not batch_norm,
            name=f"{prefix}_conv{suffix}",
        )(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(name=f"{prefix}_bn{suffix}")(x)
        return keras.layers.ReLU(name=f"{prefix}_relu{suffix}")(x)

    inputs = keras.Input(image_shape, name="images")
    x = inputs
    if architecture == "vgg":
        for block, width in enumerate(filters):
            for conv in range(convs_per_block):
                x = conv_bn_relu(x, width, f"block{block}", conv)
            x = keras.layers.MaxPooling2D(name=f"block{block}_pool")(x)
            x = keras.layers.Dropout(dropout, name=f"block{block}_dropout")(x)
        x = keras.layers.Flatten(name="flatten")(x)
    else:
        x = conv_bn_relu(x, filters[0], "stem")
        for stage, width in enumerate(filters[1:]):
            x = conv_bn_relu(x, width, f"stage{stage}")
            x = keras.layers.MaxPooling2D(name=f"stage{stage}_pool")(x)
            if stage % 2 == 0:
                residual = x
                for conv in range(convs_per_block):
                    residual = conv_bn_relu(
                        residual, width, f"stage{stage}_res{conv}"
                    )
                x = keras.layers.Add(name=f"stage{stage}_add")([x, residual])
        x = keras.layers.GlobalMaxPooling2D(name="global_pool")(x)
    x = keras.layers.Dense(feature_dim, name="features_dense")(x)
    x = keras.layers.ReLU(name=FEATURES_LAYER)(x)
    x = keras.layers.Dropout(dropout, name="features_dropout")(x)
    x = keras.layers.Dense(num_classes, name="logits")(x)
    outputs = keras.layers.Softmax(name=PROBABILITIES_LAYER)(x)
    return keras.Model(inputs, outputs, name=name)


def domain_classifier_config(dataset):
    """The `domain_classifier` arguments used for `dataset`."""
    if dataset not in DOMAIN_CLASSIFIERS:
        raise ValueError(
            f"Expected dataset in {sorted(DOMAIN_CLASSIFIERS)}. Received "
            f"{dataset!r}."
        )
    config = dict(DOMAIN_CLASSIFIERS[dataset])
    del config["target_accuracy"]
    config["name"] = f"{dataset}_classifier"
    return config


def extractor_from_classifier(
    classifier,
    name,
    output=FEATURES_LAYER,
    features_layer=FEATURES_LAYER,
    batch_size=512,
):
    """Wraps a trained `domain_classifier` as a `FeatureExtractor`.

    Args:
        classifier: keras.Model. A `domain_classifier`.
        name: str. The extractor's name, e.g. `"mnist_classifier"`.
        output: str. `"features"` (for FD, KID, precision/recall) or
            `"probabilities"` (for the Inception Score). Defaults to
            `"features"`.
        features_layer: str. The layer whose output is the feature
            vector. Defaults to `"features"`.
        batch_size: int. Images per call. Defaults to 512.
    """
    if output not in (FEATURES_LAYER, PROBABILITIES_LAYER):
        raise ValueError(
            f"Expected output in ('{FEATURES_LAYER}', "
            f"'{PROBABILITIES_LAYER}'). Received {output!r}."
        )
    layer = features_layer if output == FEATURES_LAYER else output
    network = keras.Model(classifier.input, classifier.get_layer(layer).output)
    height, width, channels = classifier.input.shape[1:]
    dataset = name.removesuffix("_classifier")
    label = f"Fréchet Distance on {name} features (FD-{dataset})"
    return FeatureExtractor(
        network,
        name if output == FEATURES_LAYER else f"{name}_{output}",
        (height, width),
        channels,
        network_pixel_range=(0.0, 1.0),
        batch_size=batch_size,
        label=label,
    )


def load_domain_classifier(preset, output=FEATURES_LAYER, batch_size=512):
    """Loads a classifier preset folder written by
    `zoo/train_domain_classifier.py` as a `FeatureExtractor`.

    The folder's files are checked against the sha256 in its metadata
    (`keras_aegan.presets.resolve`).

    Args:
        preset: str or Path. The preset folder (or any reference
            `keras_aegan.presets.load` takes).
        output: str. `"features"` or `"probabilities"`. Defaults to
            `"features"`.
        batch_size: int. Images per call. Defaults to 512.

    Returns:
        A `FeatureExtractor` named after the metadata's `extractor_name`.
    """
    folder = presets.resolve(preset)
    metadata = json.loads((Path(folder) / presets.METADATA_FILE).read_text())
    classifier = presets.load(folder)
    extractor = extractor_from_classifier(
        classifier,
        metadata["extractor_name"],
        output=output,
        features_layer=metadata.get("features_layer", FEATURES_LAYER),
        batch_size=batch_size,
    )
    extractor.metadata = metadata
    extractor.source = {
        "loader": "domain_classifier",
        # A folder rebuilds from anywhere; a registered name stays a name.
        "preset": str(Path(preset).resolve())
        if Path(preset).is_dir()
        else str(preset),
        "output": output,
        "batch_size": batch_size,
    }
    return extractor


EXTRACTOR_LOADERS["domain_classifier"] = load_domain_classifier
presets.register_presets(CLASSIFIER_PRESETS, "domain_classifier")
