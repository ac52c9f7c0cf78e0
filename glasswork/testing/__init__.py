"""Helpers for testing Glasswork applications: a local AWS stand-in and event builders.

Nothing here is imported by the worker at run time.
"""

from glasswork.testing.local_aws import LocalAWS

__all__ = ["LocalAWS"]
