"""Reuse of a trained encoder: features and fine-tuned classifiers.

A generic encoding (pre-training): the encoder of an
autoencoder trained without labels becomes the first layers of a
classifier, frozen or fine-tuned with `fit()` (Hinton & Salakhutdinov
2006; Erhan et al. 2010).
"""

import keras
from keras import layers


def feature_extractor(model):
    """A Keras model mapping images to codes, from a keras_aegan model.

    For a `VAE` the code is the posterior mean (the first output of its
    encoder); for the other autoencoders it is the encoder's output. The
    returned model shares its weights with `model`. A `LinearAutoencoder`'s
    encoder takes centred images: subtract `model.data_mean` first.

    Args:
        model: a keras_aegan autoencoder with an `encoder` attribute, or a
            `keras.Model` encoder.
    """
    encoder = getattr(model, "encoder", model)
    outputs = encoder.outputs
    if len(outputs) == 1:
        return encoder
    return keras.Model(encoder.inputs, outputs[0], name="features")


def classifier_from_encoder(
    encoder,
    num_classes,
    hidden_units=(),
    trainable_encoder=True,
    dropout=0.0,
    name="classifier",
):
    """A classifier whose first layers are a (pre-)trained encoder.

    Args:
        encoder: keras.Model or keras_aegan model. Passed through
            `feature_extractor`; its weights are shared, not copied.
        num_classes: int. Number of output logits.
        hidden_units: tuple of int. Dense ReLU layers on top of the code.
            Defaults to `()` (a linear classifier on the code).
        trainable_encoder: bool. Fine-tune the encoder (`True`) or freeze
            it (`False`). Defaults to `True`.
        dropout: float. Dropout before the output layer. Defaults to 0.0.
        name: str. Model name. Defaults to `"classifier"`.

    Returns:
        A functional `keras.Model` from images to `num_classes` logits;
        compile it with `SparseCategoricalCrossentropy(from_logits=True)`.

    Example:
    ```python
    clf = classifier_from_encoder(autoencoder.encoder, 10)
    clf.compile("adam", keras.losses.SparseCategoricalCrossentropy(True),
                metrics=["accuracy"])
    clf.fit(images, labels, epochs=3)
    ```
    """
    features = feature_extractor(encoder)
    features.trainable = bool(trainable_encoder)
    images = keras.Input(features.input_shape[1:], name="images")
    x = features(images)
    x = layers.Flatten()(x)
    for units in hidden_units:
        x = layers.Dense(units, activation="relu")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    logits = layers.Dense(num_classes, name="logits")(x)
    return keras.Model(images, logits, name=name)
