# The ipeco app image used by docker-compose.yml (Neo4j runs in its own official container).
FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps .
ENV IPECO_HOME=/data
EXPOSE 8050
# The same serve path as on a workstation: gunicorn with IPECO_WEB_WORKERS worker processes (default
# one per core; webapp/serve.py says why). Set IPECO_AUTH=user:password[,user2:password2] for a login.
CMD ["ipeco", "serve", "--host", "0.0.0.0"]
