"""Training: album-grouped GridSearch over a Keras MLP, baselines, model registry.

Import ``jobs.train.run`` (no Keras at import) for ``run_training``; Keras is
imported only when a run starts.
"""
