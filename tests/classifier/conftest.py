"""Shared fixtures: the real lexicons and the shipped model, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classifier.engine import LEXICON_DIR, OfflineClassifier
from bot.classifier.features import FeatureExtractor

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def extractor() -> FeatureExtractor:
    return FeatureExtractor.load(PROJECT_ROOT / LEXICON_DIR)


@pytest.fixture(scope="session")
def classifier() -> OfflineClassifier:
    return OfflineClassifier.load(PROJECT_ROOT)
