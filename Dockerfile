# The ipeco app image used by docker-compose.yml (Neo4j runs in its own official container).
FROM python:3.11-slim
WORKDIR /app
# The query guard parses Cypher with Neo4j's own parser: a JDK to compile its helper, Maven for the jars.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps .
ENV IPECO_HOME=/data
# Resolve Neo4j's jars and compile the guard's parser helper now, not on the first query.
RUN python -m graph.cypher_parser
EXPOSE 8050
# The same serve path as on a workstation: gunicorn with IPECO_WEB_WORKERS worker processes (default
# one per core; webapp/serve.py says why). Set IPECO_AUTH=user:password[,user2:password2] for a login.
CMD ["ipeco", "serve", "--host", "0.0.0.0"]
