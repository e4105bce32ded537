"""The vector-quantization bottleneck of VQ-VAE (van den Oord et al. 2017)."""

import keras
from keras import ops

from keras_aegan.api_export import keras_aegan_export


@keras_aegan_export("keras_aegan.models.VectorQuantizer")
class VectorQuantizer(keras.layers.Layer):
    """Nearest-neighbour quantization with a straight-through gradient.

    Van den Oord, Vinyals & Kavukcuoglu, "Neural Discrete Representation
    Learning", NeurIPS 2017, section 3.1: each vector `z_e` of the last
    axis is replaced by its nearest codebook entry `e_k`,
    `k = argmin_j ||z_e - e_j||_2` (eq. 1 and 2). The output is
    `z_e + stop_gradient(e_k - z_e)`: its value is `e_k`, and the gradient
    of the decoder's loss is copied to `z_e` unchanged (the straight-through
    estimator of section 3.2).

    With `ema=True` the codebook is not trained by gradient but follows the
    exponential moving averages of appendix A.1 (eq. 6-8): for each code,
    the count `N_k` and the sum `m_k` of the vectors assigned to it decay
    with `decay`, and `e_k = m_k / N_k` (counts with Laplace smoothing).
    The averages start as if each code had been assigned itself once
    (`N_k = 1`, `m_k = e_k`), so unused codes stay where they are instead
    of collapsing. The update runs in `call(..., training=True)` as
    assignments of non-trainable variables, which every backend's training
    core carries through the step.

    `dead_code_threshold > 0` (with `ema=True`) restarts dead codes, the
    usual remedy for codebook collapse (Dhariwal et al. 2020, "Jukebox",
    section 2.2; Zeghidour et al. 2021, "SoundStream", section 3.3): after
    each moving-average step, every code whose average count `N_k` is
    below the threshold (vectors per batch) is moved onto an encoder
    output drawn at random from the batch (without replacement while the
    batch holds at least `K` vectors). As in Jukebox, a dead code is drawn
    again at every step until it holds; unlike Jukebox, which keeps the
    averages, its averages restart from the drawn vector
    (`N_k = threshold`, `m_k = threshold * z`), so a code that then wins
    vectors follows them at once.

    Args:
        num_embeddings: int. Codebook size `K`. Defaults to 64.
        embedding_dim: int. Size `D` of each code vector. Defaults to 16.
        ema: bool. Update the codebook by moving averages instead of the
            codebook loss. Defaults to `False`.
        decay: float. Decay `gamma` of the moving averages. Defaults to
            0.99.
        epsilon: float. Laplace smoothing of the counts. Defaults to 1e-5.
        dead_code_threshold: float. Restart codes whose average count per
            batch falls below this; 0 never restarts. Needs `ema=True`.
            Defaults to 0.
        seed: int or None. Seed of the codebook initializer and of the
            restarts. Defaults to `None`.
    """

    def __init__(
        self,
        num_embeddings=64,
        embedding_dim=16,
        ema=False,
        decay=0.99,
        epsilon=1e-5,
        dead_code_threshold=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not 0.0 < decay < 1.0:
            raise ValueError(f"Expected 0 < decay < 1. Received {decay}.")
        if dead_code_threshold < 0 or (dead_code_threshold and not ema):
            raise ValueError(
                "Expected dead_code_threshold >= 0, and 0 unless ema=True "
                "(restarts read the moving-average counts). Received "
                f"dead_code_threshold={dead_code_threshold}, ema={ema}."
            )
        self.dead_code_threshold = float(dead_code_threshold)
        if self.dead_code_threshold:
            self.seed_generator = keras.random.SeedGenerator(seed)
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.ema = bool(ema)
        self.decay = float(decay)
        self.epsilon = float(epsilon)
        self.seed = seed

    def build(self, input_shape=None):
        shape = (self.num_embeddings, self.embedding_dim)
        self.codebook = self.add_weight(
            shape=shape,
            initializer=keras.initializers.VarianceScaling(
                distribution="uniform", seed=self.seed
            ),
            trainable=not self.ema,
            name="codebook",
        )
        if self.ema:
            self.ema_counts = self.add_weight(
                shape=(self.num_embeddings,),
                initializer="ones",
                trainable=False,
                name="ema_counts",
            )
            self.ema_sums = self.add_weight(
                shape=shape,
                initializer="zeros",
                trainable=False,
                name="ema_sums",
            )
            # A copy: on JAX, two variables must not share one buffer.
            self.ema_sums.assign(ops.copy(self.codebook))
        self.built = True

    def nearest_codes(self, z_e):
        """Indices `argmin_k ||z_e - e_k||` over the last axis (eq. 2)."""
        flat = ops.reshape(ops.stop_gradient(z_e), (-1, self.embedding_dim))
        codebook = ops.convert_to_tensor(self.codebook)
        distances = (
            ops.sum(ops.square(flat), axis=1, keepdims=True)
            - 2.0 * ops.matmul(flat, ops.transpose(codebook))
            + ops.sum(ops.square(codebook), axis=1)[None, :]
        )
        indices = ops.argmin(distances, axis=1)
        return ops.reshape(indices, ops.shape(z_e)[:-1])

    def lookup(self, indices):
        """Codebook vectors `e_k` of integer `indices`."""
        return ops.take(self.codebook, indices, axis=0)

    def perplexity(self, indices):
        """`exp(H(p))` of the batch's code usage `p`: from 1 to `K`."""
        one_hot = ops.one_hot(ops.reshape(indices, (-1,)), self.num_embeddings)
        usage = ops.mean(one_hot, axis=0)
        entropy = -ops.sum(usage * ops.log(usage + 1e-10))
        return ops.exp(entropy)

    def update_codebook(self, z_e, indices):
        """One moving-average step of the codebook (appendix A.1)."""
        flat = ops.reshape(ops.stop_gradient(z_e), (-1, self.embedding_dim))
        one_hot = ops.one_hot(ops.reshape(indices, (-1,)), self.num_embeddings)
        one_hot = ops.cast(one_hot, flat.dtype)
        counts = ops.sum(one_hot, axis=0)
        sums = ops.matmul(ops.transpose(one_hot), flat)
        gamma = self.decay
        new_counts = gamma * self.ema_counts + (1.0 - gamma) * counts
        new_sums = gamma * self.ema_sums + (1.0 - gamma) * sums
        total = ops.sum(new_counts)
        smoothed = (
            (new_counts + self.epsilon)
            / (total + self.num_embeddings * self.epsilon)
            * total
        )
        codebook = new_sums / smoothed[:, None]
        if self.dead_code_threshold:
            threshold = self.dead_code_threshold
            dead = new_counts < threshold
            # A random order of the batch's vectors, read cyclically: no
            # vector is drawn twice unless the batch has fewer than K.
            count = ops.shape(flat)[0]
            order = ops.argsort(
                keras.random.uniform((count,), seed=self.seed_generator)
            )
            picks = ops.take(
                order, ops.mod(ops.arange(self.num_embeddings), count)
            )
            restarts = ops.take(flat, picks, axis=0)
            new_counts = ops.where(dead, threshold, new_counts)
            new_sums = ops.where(dead[:, None], threshold * restarts, new_sums)
            codebook = ops.where(dead[:, None], restarts, codebook)
        self.ema_counts.assign(new_counts)
        self.ema_sums.assign(new_sums)
        self.codebook.assign(codebook)

    def call(self, z_e, training=False):
        """Returns `(z_q, indices)`; `z_q` passes gradients straight through.

        In training with `ema=True`, also updates the codebook (after the
        quantization of this batch, which uses the codebook as it was).
        """
        indices = self.nearest_codes(z_e)
        e = self.lookup(indices)
        z_q = z_e + ops.stop_gradient(e - z_e)
        if training and self.ema:
            self.update_codebook(z_e, indices)
        return z_q, indices

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_embeddings": self.num_embeddings,
                "embedding_dim": self.embedding_dim,
                "ema": self.ema,
                "decay": self.decay,
                "epsilon": self.epsilon,
                "dead_code_threshold": self.dead_code_threshold,
                "seed": self.seed,
            }
        )
        return config
