"""The trainer says which accelerator it trains on, and starts without a GPU."""

from __future__ import annotations

import logging

import pytest

from beatclassifier.accelerator import announce_accelerator


@pytest.mark.slow  # imports TensorFlow
def test_announces_the_gpus_or_warns_it_trains_on_the_cpu(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="beatclassifier.accelerator"):
        gpus = announce_accelerator()
    [record] = caplog.records
    if gpus:
        assert record.levelno == logging.INFO and gpus[0] in record.getMessage()
    else:
        assert record.levelno == logging.WARNING
        assert "training runs on the CPU" in record.getMessage()
