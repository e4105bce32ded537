"""Writes Olivetti split by person, so that the preset is scored on faces
it never saw: `x_train` holds people 0-34 (350 images), `x_test` people
35-39 (50 images), in the `keras.datasets` layout that
`keras_aegan.datasets` reads from an `.npz` file.

Usage, from the repository root:

```
python zoo/pix2pix_inpaint_olivetti/split_by_person.py ../shared/data \\
  runs/olivetti_by_person.npz
```
"""

import argparse
from pathlib import Path

import numpy as np

TEST_PEOPLE = range(35, 40)


def split_by_person(data_dir, out):
    """Writes the split of `data_dir`'s Olivetti faces to the `.npz` file
    `out`; returns the numbers of train and test images."""
    with np.load(Path(data_dir) / "olivetti" / "olivetti_faces.npz") as data:
        images, labels = data["images"], data["labels"]
    test = np.isin(labels, list(TEST_PEOPLE))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        x_train=images[~test, :, :, None],
        y_train=labels[~test],
        x_test=images[test, :, :, None],
        y_test=labels[test],
    )
    return int((~test).sum()), int(test.sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("out")
    args = parser.parse_args()
    train, test = split_by_person(args.data_dir, args.out)
    print(f"{args.out}: {train} train, {test} test images")


if __name__ == "__main__":
    main()
