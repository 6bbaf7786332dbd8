"""Which accelerator TensorFlow will train on, said out loud at worker start.

The trainer container reserves an NVIDIA GPU; on a host without one (or without the
NVIDIA container toolkit, see docker-compose.cpu.yml) it must still start and train
on the CPU, with a warning rather than a crash.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def visible_gpus() -> list[str]:
    """TensorFlow's physical GPU devices ('/physical_device:GPU:0', ...); may be empty."""
    import tensorflow as tf  # slow import: only where training happens

    return [device.name for device in tf.config.list_physical_devices("GPU")]


def announce_accelerator() -> list[str]:
    """Log the GPUs training will use, or warn that it falls back to the CPU."""
    gpus = visible_gpus()
    if gpus:
        log.info("training on %d GPU(s): %s", len(gpus), ", ".join(gpus))
    else:
        log.warning(
            "no GPU visible to TensorFlow: training runs on the CPU (slower). In Docker, check "
            "the NVIDIA container toolkit and the trainer's device reservation."
        )
    return gpus
