"""gunicorn's settings for the web tier, named on its command lines (Dockerfile,
docker-compose.yml: `--config=python:incubator.gunicorn_config`); the command line's
options (bind, workers, request limits, the access log) come on top.

The access log goes through `AccessLogger`: a line names the request's path, query and
Referer, and a few links carry a secret there (incubator/log_filters.py).
"""

from gunicorn.glogging import Logger

from incubator.log_filters import mask_secrets


class AccessLogger(Logger):
    """gunicorn's logger, with every text of an access line masked by `mask_secrets`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_secrets(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = AccessLogger
