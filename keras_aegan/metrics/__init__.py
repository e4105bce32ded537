"""Sample-quality and likelihood metrics of generative models.

```python
from keras_aegan import metrics

extractor = metrics.load_domain_classifier("runs/mnist_classifier")
fd = metrics.frechet_distance_from_images(real, fake, extractor)
print(extractor.label, fd)  # Fréchet Distance on mnist_classifier ...
kid, kid_std = metrics.kernel_distance_from_images(real, fake, extractor)
nll = metrics.importance_sampled_nll(vae, test_images, k=5000)
```

Every value is computed in float64 on the host and is named after the
extractor whose features it uses; see `README.md` in this folder for the
definitions, the choices made, and the measured reference floors.
"""

from keras_aegan.metrics.artifacts import checkerboard_energy
from keras_aegan.metrics.classifier import DOMAIN_CLASSIFIERS
from keras_aegan.metrics.classifier import domain_classifier
from keras_aegan.metrics.classifier import domain_classifier_config
from keras_aegan.metrics.classifier import extractor_from_classifier
from keras_aegan.metrics.classifier import load_domain_classifier
from keras_aegan.metrics.evaluation import compare_features
from keras_aegan.metrics.evaluation import evaluate_generator
from keras_aegan.metrics.evaluation import generate_images
from keras_aegan.metrics.evaluation import requested_class_accuracy
from keras_aegan.metrics.evaluation import requested_labels
from keras_aegan.metrics.features import FeatureAccumulator
from keras_aegan.metrics.features import FeatureExtractor
from keras_aegan.metrics.features import inception_v3_extractor
from keras_aegan.metrics.floors import reference_floor
from keras_aegan.metrics.frechet import IMAGINARY_TOLERANCE
from keras_aegan.metrics.frechet import NEGATIVE_EIGENVALUE_TOLERANCE
from keras_aegan.metrics.frechet import feature_statistics
from keras_aegan.metrics.frechet import frechet_distance
from keras_aegan.metrics.frechet import frechet_distance_from_features
from keras_aegan.metrics.frechet import trace_sqrt_product
from keras_aegan.metrics.image_quality import masked_psnr
from keras_aegan.metrics.image_quality import paired_translation_scores
from keras_aegan.metrics.image_quality import psnr
from keras_aegan.metrics.image_quality import ssim
from keras_aegan.metrics.inception_score import inception_score
from keras_aegan.metrics.kernel import kernel_distance
from keras_aegan.metrics.kernel import polynomial_kernel
from keras_aegan.metrics.kernel import unbiased_mmd2
from keras_aegan.metrics.likelihood import dynamically_binarize
from keras_aegan.metrics.likelihood import importance_sampled_nll
from keras_aegan.metrics.likelihood import iwae_log_likelihood
from keras_aegan.metrics.likelihood import iwae_log_weights
from keras_aegan.metrics.monitoring import GenerativeMetricsCallback
from keras_aegan.metrics.precision_recall import knn_radii
from keras_aegan.metrics.precision_recall import precision_recall
from keras_aegan.metrics.streaming import FrechetDistance
from keras_aegan.metrics.streaming import InceptionScore
from keras_aegan.metrics.streaming import KernelDistance
from keras_aegan.metrics.streaming import PrecisionRecall
from keras_aegan.metrics.streaming import frechet_distance_from_images
from keras_aegan.metrics.streaming import inception_score_from_images
from keras_aegan.metrics.streaming import kernel_distance_from_images
from keras_aegan.metrics.streaming import precision_recall_from_images
from keras_aegan.metrics.translation import cycle_reconstruction_error
from keras_aegan.metrics.translation import translate
from keras_aegan.metrics.translation import translation_success_rate

__all__ = [
    "DOMAIN_CLASSIFIERS",
    "checkerboard_energy",
    "cycle_reconstruction_error",
    "translate",
    "translation_success_rate",
    "IMAGINARY_TOLERANCE",
    "NEGATIVE_EIGENVALUE_TOLERANCE",
    "FeatureAccumulator",
    "FeatureExtractor",
    "FrechetDistance",
    "GenerativeMetricsCallback",
    "InceptionScore",
    "KernelDistance",
    "PrecisionRecall",
    "compare_features",
    "domain_classifier",
    "domain_classifier_config",
    "dynamically_binarize",
    "evaluate_generator",
    "extractor_from_classifier",
    "feature_statistics",
    "frechet_distance",
    "frechet_distance_from_features",
    "frechet_distance_from_images",
    "generate_images",
    "requested_class_accuracy",
    "requested_labels",
    "importance_sampled_nll",
    "inception_score",
    "inception_score_from_images",
    "inception_v3_extractor",
    "iwae_log_likelihood",
    "iwae_log_weights",
    "kernel_distance",
    "kernel_distance_from_images",
    "knn_radii",
    "load_domain_classifier",
    "masked_psnr",
    "paired_translation_scores",
    "psnr",
    "ssim",
    "polynomial_kernel",
    "precision_recall",
    "precision_recall_from_images",
    "reference_floor",
    "trace_sqrt_product",
    "unbiased_mmd2",
]
