"""Prints the reference floors of the sample-quality metrics (issue 8).

Each metric is computed between real train images (a random subset) and
the real test split, on the features of each given extractor: a generator
scoring near these values is as close to the data as a fresh sample of it.

Usage, from the repository root:

```
KERAS_AEGAN_DATA_DIR=../shared/data python bench/bench_metric_floors.py \
    --dataset mnist --classifier mnist_classifier
python bench/bench_metric_floors.py --dataset cifar10 \
    --classifier cifar10_classifier --inception-weights imagenet
```

`--inception-weights` takes `imagenet` (needs the Keras download) or a
local `.h5` weights file of `InceptionV3(include_top=False)`.
"""

import argparse
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

import keras  # noqa: E402

from keras_aegan import metrics  # noqa: E402

HEADER = (
    "| data set | features | n train / n test | FD | KID (± std) | "
    "precision | recall | IS (± std) | time |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def row(floor, seconds):
    inception = (
        f"{floor['is']:.3f} ± {floor['is_std']:.3f} ({floor['is_classifier']})"
        if "is" in floor
        else "n/a"
    )
    return (
        f"| {floor['dataset']} | {floor['label']} | {floor['num_train']} / "
        f"{floor['num_test']} | {floor['fd']:.4f} | {floor['kid']:.5f} ± "
        f"{floor['kid_std']:.5f} | {floor['precision']:.4f} | "
        f"{floor['recall']:.4f} | {inception} | {seconds:.0f} s |"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--classifier", default=None, help="Preset folder.")
    parser.add_argument("--inception-weights", default=None)
    parser.add_argument("--num-train", type=int, default=10000)
    parser.add_argument("--num-test", type=int, default=10000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    runs = []
    if args.classifier:
        runs.append(
            (
                metrics.load_domain_classifier(args.classifier),
                metrics.load_domain_classifier(
                    args.classifier, "probabilities"
                ),
            )
        )
    if args.inception_weights:
        runs.append(
            (
                metrics.inception_v3_extractor(args.inception_weights),
                None,
            )
        )
    if not runs:
        parser.error("Give --classifier and/or --inception-weights.")
    print(f"backend: {keras.backend.backend()}")
    print(HEADER)
    for extractor, classifier in runs:
        start = time.time()
        floor = metrics.reference_floor(
            args.dataset,
            extractor,
            classifier=classifier,
            num_train=args.num_train,
            num_test=args.num_test,
            data_dir=args.data_dir,
            seed=args.seed,
        )
        print(row(floor, time.time() - start), flush=True)


if __name__ == "__main__":
    main()
