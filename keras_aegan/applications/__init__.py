"""Uses of trained autoencoders: anomaly scores, latent plots, encoders.

```python
from keras_aegan import applications

scores = applications.reconstruction_scores(autoencoder, test_images)
auc = applications.roc_auc(scores, test_labels != normal_digit)
applications.plot_latent_scatter(codes, labels, "latent.png")
classifier = applications.classifier_from_encoder(ae.encoder, 10)
```
"""

from keras_aegan.applications.anomaly import negative_elbo_scores
from keras_aegan.applications.anomaly import reconstruction_scores
from keras_aegan.applications.anomaly import roc_auc
from keras_aegan.applications.encoder_reuse import classifier_from_encoder
from keras_aegan.applications.encoder_reuse import feature_extractor
from keras_aegan.applications.latent_plots import encode_images
from keras_aegan.applications.latent_plots import latent_traversal_grid
from keras_aegan.applications.latent_plots import plot_latent_scatter

__all__ = [
    "classifier_from_encoder",
    "encode_images",
    "feature_extractor",
    "latent_traversal_grid",
    "negative_elbo_scores",
    "plot_latent_scatter",
    "reconstruction_scores",
    "roc_auc",
]
