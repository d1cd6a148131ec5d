"""Subcommands for minutes: ``ingest`` and ``ask``."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``ingest`` and ``ask``."""
