"""A small shop built on Glasswork: users, orders, notifications and typed email jobs.

The layout follows the Glasswork guide: one folder per module, ``app_module.py`` at the root,
``worker.py`` exposing the Lambda handler.
"""
