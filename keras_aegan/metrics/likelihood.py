"""Importance-sampled negative log-likelihood of VAEs on binarized images.

Burda, Grosse & Salakhutdinov, "Importance Weighted Autoencoders", ICLR
2016, eq. 8: with `z_1..z_k ~ q(z | x)`,

    log p(x) >= L_k(x) = logsumexp_i [log p(x | z_i) + log p(z_i)
                                      - log q(z_i | x)] - log k.

`L_1` is the ELBO in expectation, and `E[L_k]` increases with `k` towards
`log p(x)` (theorem 1), so the NLL estimate `-L_k` decreases with `k`;
the paper reports `k = 5000` on the test set. As in section 5.1 there, the
MNIST test images are dynamically binarized: each pixel is 1 with
probability equal to its grey level.
"""

import keras
import numpy as np
from keras import ops

from keras_aegan import losses


def dynamically_binarize(images, seed=0, pixel_range=None):
    """Samples binary images with `P(pixel = 1) = grey level`.

    Args:
        images: array. Images in [0, 1], or uint8 in [0, 255].
        seed: int. Seed of the numpy draw, the same on every backend.
            Defaults to 0.
        pixel_range: tuple or None. Range of `images`; `None` means
            `(0, 255)` for uint8 and `(0, 1)` otherwise. Defaults to
            `None`.

    Returns:
        A float32 numpy array of 0s and 1s.
    """
    images = np.asarray(ops.convert_to_numpy(images))
    if pixel_range is None:
        pixel_range = (0, 255) if images.dtype == np.uint8 else (0, 1)
    low, high = pixel_range
    p = (images.astype(np.float64) - low) / (high - low)
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"Expected images in pixel_range={tuple(pixel_range)}. Received "
            f"values in [{images.min()}, {images.max()}]."
        )
    rng = np.random.default_rng(seed)
    return (rng.uniform(size=p.shape) < p).astype("float32")


def iwae_log_weights(model, images, num_samples, seed=None, chunk=16):
    """Log importance weights `log p(x|z_i) + log p(z_i) - log q(z_i|x)`.

    Written in `keras.ops` from `model.encode` (giving `(z_mean,
    z_log_var)` of a diagonal Gaussian posterior), `model.decoder`
    (Bernoulli logits) and a standard normal prior. Each weight alone is a
    single-sample ELBO estimate, `L_1` (Burda et al. 2016, eq. 8).

    Args:
        model: A VAE with `encode` and `decoder`.
        images: tensor. Binary images `(batch, h, w, c)`.
        num_samples: int. The number `k` of draws `z_i ~ q(z | x)`.
        seed: int, `keras.random.SeedGenerator` or None. Defaults to
            `None` (the model's seed generator).
        chunk: int. Samples decoded per decoder call. Defaults to 16.

    Returns:
        A tensor of shape `(num_samples, batch)`.
    """
    if getattr(model, "likelihood", "bernoulli") != "bernoulli":
        raise ValueError(
            "The binarized-MNIST likelihood needs a Bernoulli decoder. "
            f"Received a model with likelihood={model.likelihood!r}."
        )
    if num_samples < 1:
        raise ValueError(f"Expected num_samples >= 1. Received {num_samples}.")
    if seed is None:
        seed = model.seed_generator
    elif not isinstance(seed, keras.random.SeedGenerator):
        seed = keras.random.SeedGenerator(seed)
    images = ops.convert_to_tensor(images, dtype="float32")
    z_mean, z_log_var = (
        ops.convert_to_tensor(v, "float32") for v in model.encode(images)
    )
    batch = ops.shape(images)[0]
    latent_dim = ops.shape(z_mean)[-1]
    log_weights = []
    done = 0
    while done < num_samples:
        k = min(chunk, num_samples - done)
        eps = keras.random.normal((k, batch, latent_dim), seed=seed)
        z = z_mean[None] + ops.exp(0.5 * z_log_var)[None] * eps
        logits = model.decoder(ops.reshape(z, (k * batch, latent_dim)))
        tiled = ops.reshape(
            ops.broadcast_to(images[None], (k, *ops.shape(images))),
            (k * batch, *ops.shape(images)[1:]),
        )
        log_px_z = -ops.reshape(
            losses.bernoulli_negative_log_likelihood(tiled, logits), (k, batch)
        )
        log_pz = losses.diagonal_gaussian_log_density(
            z, ops.zeros_like(z), ops.zeros_like(z)
        )
        log_qz_x = losses.diagonal_gaussian_log_density(
            z, z_mean[None], z_log_var[None]
        )
        log_weights.append(log_px_z + log_pz - log_qz_x)
        done += k
    return ops.concatenate(log_weights, axis=0)


def iwae_log_likelihood(model, images, num_samples, seed=None, chunk=16):
    """`L_k(x)` per example (Burda et al. 2016, eq. 8), in nats:
    `logsumexp` of `iwae_log_weights` minus `log k`.

    Args:
        model: A VAE with `encode` and `decoder`.
        images: tensor. Binary images `(batch, h, w, c)`.
        num_samples: int. The number `k` of importance samples.
        seed: int, `keras.random.SeedGenerator` or None. Defaults to
            `None` (the model's seed generator).
        chunk: int. Samples decoded per decoder call. Defaults to 16.

    Returns:
        A tensor of shape `(batch,)`.
    """
    log_w = iwae_log_weights(model, images, num_samples, seed, chunk)
    return ops.logsumexp(log_w, axis=0) - ops.log(float(num_samples))


def importance_sampled_nll(
    model,
    images,
    k=5000,
    num_images=None,
    seed=0,
    batch_size=100,
    binarize=True,
    use_model_method=True,
):
    """Mean importance-sampled negative log-likelihood `-L_k`, in nats.

    Burda et al. 2016, eq. 8 and section 5.1. The images are dynamically
    binarized first (seeded, so the same images are scored on every
    backend). The model's own `log_likelihood(images, num_samples, seed)`
    is used when it has one; otherwise `iwae_log_likelihood`.

    Args:
        model: A Bernoulli VAE (`keras_aegan.models.VAE`).
        images: array. Images, uint8 or in [0, 1], e.g. the MNIST test
            split.
        k: int. Importance samples per image. Defaults to 5000 (the
            paper's).
        num_images: int or None. Score the first `num_images`; `None`
            scores all. Defaults to `None`.
        seed: int. Seed of the binarization and of the samples. Defaults
            to 0.
        batch_size: int. Images per call. Defaults to 100.
        binarize: bool. Binarize dynamically; with `False` the images must
            already be binary. Defaults to `True`.
        use_model_method: bool. Prefer `model.log_likelihood` when it
            exists. Defaults to `True`.

    Returns:
        A Python float: the mean of `-L_k(x)` over the images, in nats.

    Example:
    ```python
    images, _ = keras_aegan.datasets.load_arrays("mnist", "test")
    nll = keras_aegan.metrics.importance_sampled_nll(vae, images, k=5000)
    ```
    """
    images = np.asarray(ops.convert_to_numpy(images))
    if num_images is not None:
        images = images[: int(num_images)]
    if binarize:
        images = dynamically_binarize(images, seed=seed)
    else:
        images = images.astype("float32")
        if not np.all((images == 0) | (images == 1)):
            raise ValueError(
                "binarize=False expects binary images. Received other values."
            )
    generator = keras.random.SeedGenerator(seed)
    method = getattr(model, "log_likelihood", None)
    total = 0.0
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        if use_model_method and method is not None:
            log_px = method(batch, num_samples=k, seed=generator)
        else:
            log_px = iwae_log_likelihood(model, batch, k, seed=generator)
        total += float(np.sum(ops.convert_to_numpy(log_px), dtype=np.float64))
    return -total / len(images)
