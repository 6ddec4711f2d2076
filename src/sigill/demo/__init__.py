"""Vara kommun's demo data, one module per app, loaded by ``manage.py seed_demo``.

The demo stands above every app: it may call any app's services, and no app imports it.
"""
