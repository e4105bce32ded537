"""Image data sets as `tf.data` pipelines for every Keras backend.

```python
from keras_aegan import datasets

ds = datasets.load("mnist", batch_size=128, pixel_range=(-1.0, 1.0))
images, labels = datasets.load_arrays("cifar10", split="test")
datasets.list_datasets()
datasets.info("fashion_mnist")
```

Named data sets come from local files under a data folder (`data_dir` or
the environment variable `KERAS_AEGAN_DATA_DIR`) or from TensorFlow
Datasets; `"mnist_sample"` (6,000 + 1,000 MNIST digits) ships with the
package and needs neither. Local paths work too: folders of class
sub-folders, folders of IDX files, `.npz` files and archives of image
folders. The lower-level readers are exported for other formats and for
unlabeled image sets such as CycleGAN domains (`read_images`);
`load_unpaired` pairs two such domains at random for `CycleGAN.fit()`;
`load_paired` derives `(input, target)` pairs for `Pix2Pix.fit()` from real
images (super-resolution, inpainting, colorization), and
`load_side_by_side` reads the `A|B` folders pix2pix data sets come in.
"""

from keras_aegan.datasets.api import DATA_DIR_ENV
from keras_aegan.datasets.api import info
from keras_aegan.datasets.api import list_datasets
from keras_aegan.datasets.api import load
from keras_aegan.datasets.api import load_arrays
from keras_aegan.datasets.arrays import read_cifar_pickle
from keras_aegan.datasets.arrays import read_npz
from keras_aegan.datasets.folders import MixedImageSizesError
from keras_aegan.datasets.folders import default_cache_dir
from keras_aegan.datasets.folders import read_image_folder
from keras_aegan.datasets.folders import read_images
from keras_aegan.datasets.idx import read_idx
from keras_aegan.datasets.paired import PairedTask
from keras_aegan.datasets.paired import load_paired
from keras_aegan.datasets.paired import load_side_by_side
from keras_aegan.datasets.paired import make_pairs
from keras_aegan.datasets.paired import read_side_by_side
from keras_aegan.datasets.unpaired import load_unpaired

__all__ = [
    "DATA_DIR_ENV",
    "MixedImageSizesError",
    "PairedTask",
    "default_cache_dir",
    "info",
    "list_datasets",
    "load",
    "load_arrays",
    "load_paired",
    "load_side_by_side",
    "make_pairs",
    "load_unpaired",
    "read_cifar_pickle",
    "read_idx",
    "read_image_folder",
    "read_images",
    "read_npz",
    "read_side_by_side",
]
