FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --create-home --uid 1000 portal
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files and catalogues are built into the image; the key is only for this step.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py compiletranslations \
 && SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --no-input \
 && mkdir -p /app/var && chown -R portal /app/var
USER portal
EXPOSE 8000
# Request line and headers are bounded here; the body by the proxy and Django
# (see docs/deployment.md).
# The access log leaves out the secrets of links (incubator/gunicorn_config.py).
CMD ["gunicorn", "incubator.wsgi", "--config=python:incubator.gunicorn_config", \
     "--bind=0.0.0.0:8000", "--workers=3", "--access-logfile=-", \
     "--limit-request-line=4094", "--limit-request-fields=50", "--limit-request-field_size=8190"]
