"""Metrics of unpaired image-to-image translation (CycleGAN, DiscoGAN)."""

import numpy as np


def translate(model, images, direction="a_to_b", batch_size=32):
    """Translates a NumPy batch with `model.translate_a_to_b` (or
    `translate_b_to_a`), in batches; returns float32 NumPy images."""
    if direction not in ("a_to_b", "b_to_a"):
        raise ValueError(
            f"Expected direction 'a_to_b' or 'b_to_a'. Received {direction!r}."
        )
    fn = getattr(model, f"translate_{direction}")
    images = np.asarray(images, "float32")
    return fn(images, batch_size=batch_size).astype("float32")


def cycle_reconstruction_error(
    model, images, direction="a_to_b", batch_size=32
):
    """Mean absolute cycle error `E|G_BA(G_AB(a)) - a|` (or from B).

    Zhu et al. 2017, eq. 2, measured on held-out images in the model's
    pixel range ([-1, 1]; divide by 2 for a fraction of the full range).

    Args:
        model: an `UnpairedTranslationModel`.
        images: array `(N, H, W, C)` of the source domain in [-1, 1].
        direction: str. `"a_to_b"` starts from A images, `"b_to_a"` from
            B images. Defaults to `"a_to_b"`.
        batch_size: int. Defaults to 32.

    Returns:
        A float.
    """
    images = np.asarray(images, "float32")
    back = "b_to_a" if direction == "a_to_b" else "a_to_b"
    translated = translate(model, images, direction, batch_size)
    restored = translate(model, translated, back, batch_size)
    return float(np.mean(np.abs(restored.astype("float64") - images)))


def translation_success_rate(
    images, classifier, target_class, pixel_range=(-1.0, 1.0)
):
    """Fraction of images a domain classifier assigns to `target_class`.

    Applied to translated test images (e.g. horses turned into zebras),
    this is the rate at which the translation fools an independent
    classifier trained on the real domains; applied to the untranslated
    images it gives the baseline.

    Args:
        images: array `(N, H, W, C)`, e.g. translations.
        classifier: `keras_aegan.metrics.FeatureExtractor` with
            `output="probabilities"` (`load_domain_classifier(...,
            output="probabilities")`).
        target_class: int. The class of the target domain.
        pixel_range: tuple. Range of `images`. Defaults to `(-1.0, 1.0)`.

    Returns:
        A float in [0, 1].
    """
    probabilities = classifier(np.asarray(images), pixel_range=pixel_range)
    return float(np.mean(np.argmax(probabilities, axis=-1) == target_class))
