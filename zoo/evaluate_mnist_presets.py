"""Scores the MNIST presets on the domain classifier's features (issue 8).

For `dcgan_mnist` and `vae_mnist`: the Fréchet distance, KID, precision
and recall of 10,000 generated digits against the 10,000 real test digits,
on the features of the `mnist_classifier` preset (not Inception), next to
the reference floor of the same metrics between real train and test
digits; the classifier's Inception-Score analogue; and for the VAE, the
importance-sampled negative log-likelihood on dynamically binarized test
digits (Burda et al. 2016), in nats. Writes `zoo/mnist_metrics.json` and
prints markdown rows.

Usage, from the repository root:

```
KERAS_BACKEND=tensorflow python zoo/evaluate_mnist_presets.py \
    --data-dir ../shared/data --k 1000 --nll-images 1000
```
"""

import argparse
import json
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

import keras  # noqa: E402

from keras_aegan import datasets  # noqa: E402
from keras_aegan import metrics  # noqa: E402
from keras_aegan.models import GenerativeModel  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--samples", type=int, default=10000)
    parser.add_argument("--k", type=int, default=1000)
    parser.add_argument("--nll-images", type=int, default=1000)
    parser.add_argument("--out", default=str(_REPO / "zoo/mnist_metrics.json"))
    args = parser.parse_args(argv)

    extractor = metrics.load_domain_classifier("mnist_classifier")
    classifier = metrics.load_domain_classifier(
        "mnist_classifier", output="probabilities"
    )
    start = time.time()
    floor = metrics.reference_floor(
        "mnist", extractor, classifier, data_dir=args.data_dir
    )
    results = {
        "features": extractor.label,
        "classifier_test_accuracy": extractor.metadata["test_accuracy"],
        "backend": keras.backend.backend(),
        "floor_train_vs_test": floor,
    }
    print(f"floor in {time.time() - start:.0f} s")
    test, _ = datasets.load_arrays("mnist", "test", data_dir=args.data_dir)
    for name in ("dcgan_mnist", "vae_mnist"):
        start = time.time()
        model = GenerativeModel.from_preset(name)
        results[name] = metrics.evaluate_generator(
            model, test, extractor, classifier, num_samples=args.samples
        )
        print(f"{name} in {time.time() - start:.0f} s")
    start = time.time()
    vae = GenerativeModel.from_preset("vae_mnist")
    nll = metrics.importance_sampled_nll(
        vae,
        test.astype("float32") / 255.0,
        k=args.k,
        num_images=args.nll_images,
        seed=0,
    )
    results["vae_mnist"]["nll_nats"] = nll
    results["vae_mnist"]["nll_k"] = args.k
    results["vae_mnist"]["nll_images"] = args.nll_images
    print(f"NLL in {time.time() - start:.0f} s")
    Path(args.out).write_text(json.dumps(results, indent=2))

    print("| | FD | KID (± std) | precision | recall | IS-analogue |")
    print("|---|---|---|---|---|---|")
    for name, row in (
        ("floor (train vs test)", floor),
        ("dcgan_mnist", results["dcgan_mnist"]),
        ("vae_mnist", results["vae_mnist"]),
    ):
        print(
            f"| {name} | {row['fd']:.3f} | {row['kid']:.4f} ± "
            f"{row['kid_std']:.4f} | {row['precision']:.3f} | "
            f"{row['recall']:.3f} | {row['is']:.3f} ± {row['is_std']:.3f} |"
        )
    print(
        f"vae_mnist NLL: {nll:.2f} nats (k={args.k}, {args.nll_images} images)"
    )


if __name__ == "__main__":
    main()
