"""The partner API's plumbing: key authentication, scopes, throttles, errors, pages, schema.

The apps' `api.py` modules hold the serializers and views; this package holds what they
share and knows no app (the key model is named by settings.API_KEY_MODEL).
"""
