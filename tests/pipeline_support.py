"""A catalog and settings on which the whole pipeline (ingest .. predict) runs in seconds.

Enough albums for the quick grid's grouped folds, few enough tracks to train fast.
"""

from jobs.ingest.synthetic import SyntheticSpec

PIPELINE_CATALOG = SyntheticSpec(artists=3, tracks=240, beats=2, tracks_per_album=8)
QUICK_TRAINING = {"train_grid": "quick", "train_min_songs": 20}
QUICK_TRAINING_ENV = {"BEATCLASSIFIER_TRAIN_GRID": "quick", "BEATCLASSIFIER_TRAIN_MIN_SONGS": "20"}
