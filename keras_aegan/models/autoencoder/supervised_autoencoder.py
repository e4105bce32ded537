"""The supervised autoencoder (Le et al. 2018)."""

import keras

from keras_aegan.api_export import keras_aegan_export
from keras_aegan.models.autoencoder.autoencoder import Autoencoder


@keras_aegan_export("keras_aegan.models.SupervisedAutoencoder")
class SupervisedAutoencoder(Autoencoder):
    """Autoencoder with a supervised head on the code (multi-task).

    A supervised regularizer (Le et al. 2018, "Supervised autoencoders:
    improving generalization performance with unsupervised
    regularizers"): a task loss `sum_i r(t_i, Q(z_i))` from a
    head `Q` on the code is added to the reconstruction,
    `loss = l(x, x') + lambda * r(t, Q(z))`. The labels come as `y` in
    `fit(images, labels)`. The default head is a dense layer to
    `num_classes` logits with the sparse categorical cross-entropy.

    Args:
        head: keras.Model or None. Maps codes to task outputs. Defaults to
            a dense layer with `num_classes` logits.
        num_classes: int. Number of classes of the default head. Defaults
            to 10.
        task_loss: str or keras.losses.Loss or None. The loss `r(t, Q(z))`.
            Defaults to `SparseCategoricalCrossentropy(from_logits=True)`.
        task_weight: float. The weight `lambda`. Defaults to 1.0.
        **kwargs: the arguments of `Autoencoder`.

    Example:
    ```python
    ae = keras_aegan.models.SupervisedAutoencoder(num_classes=10)
    ae.compile()
    ae.fit(images_in_0_1, labels, epochs=5, batch_size=128)
    logits = ae.predict_task(images_in_0_1[:10])
    ```
    """

    conditional = True

    log_names = ("loss", "reconstruction_loss", "task_loss")

    def __init__(
        self,
        head=None,
        num_classes=10,
        task_loss=None,
        task_weight=1.0,
        **kwargs,
    ):
        self.num_classes = int(num_classes)
        self.task_weight = float(task_weight)
        if task_loss is None:
            task_loss = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True
            )
        self.task_loss = keras.losses.get(task_loss)
        super().__init__(**kwargs)
        if head is None:
            z = keras.Input((self.latent_dim,), name="z")
            logits = keras.layers.Dense(self.num_classes, name="logits")(z)
            head = keras.Model(z, logits, name="head")
        self.head = head
        self.built = True

    def fit(self, x=None, y=None, **kwargs):
        """Trains on `(images, labels)`; see `keras.Model.fit`."""
        if y is None and hasattr(x, "shape"):
            raise ValueError(
                "SupervisedAutoencoder trains on (images, labels): pass the "
                "labels as `y` to fit(). Received images only."
            )
        return super().fit(x, y, **kwargs)

    def predict_task(self, images):
        """The head's outputs `Q(F(x))` for clean images."""
        return self.head(self._encode(images), training=False)

    def code_penalty(self, images, z, labels, training):
        if labels is None:
            raise ValueError(
                "SupervisedAutoencoder trains on (images, labels): pass the "
                "labels as `y` to fit() and evaluate()."
            )
        task = self.task_loss(labels, self.head(z, training=training))
        return self.task_weight * task, {"task_loss": task}

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "head": keras.saving.serialize_keras_object(self.head),
                "num_classes": self.num_classes,
                "task_loss": keras.saving.serialize_keras_object(
                    self.task_loss
                ),
                "task_weight": self.task_weight,
            }
        )
        return config
