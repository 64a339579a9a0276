#!/usr/bin/env bash
# A real single-node Elasticsearch for the integration tier, from Maven Central jars into
# .services/elasticsearch, without Docker: scripts/elasticsearch/LitmineElasticsearchNode.java embeds
# a Node with the HTTP (netty4), mapper-extras and reindex plugins. Idempotent start/stop.
#
#   scripts/elasticsearch.sh start    # → "elasticsearch 7.17.29 ready on http://127.0.0.1:19200"
#   LITMINE_ES_URL=http://127.0.0.1:19200 npx ava --serial test/integration/elasticsearch-store.test.ts
#   scripts/elasticsearch.sh stop     # also: status, clean (stop and delete the data), logs
#
# Why 7.17: Central has the 7.17 server jar and the HTTP/mapper-extras/reindex plugins as "-client"
# artifacts; 8.x/9.x server jars need Elastic's module layer, entitlements and modules that are not
# published (analysis-common, rest-root, lang-painless). 7.17 sends X-Elastic-Product, and the 9.x
# client talks to it with compatible-with=7 headers (the store's serverMajor option).
# Not available from Central, so not loaded: analysis-common (no asciifolding), lang-painless (no scripts).
# Environment: LITMINE_ES_PORT (19200; transport on port+100), LITMINE_ES_VERSION (7.17.29),
# LITMINE_ES_HEAP (1g), LITMINE_SERVICES_DIR (.services), LITMINE_ES_SETTINGS (extra node settings,
# "name=value name=value").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${LITMINE_ES_VERSION:-7.17.29}"
PORT="${LITMINE_ES_PORT:-19200}"
TPORT="$((PORT + 100))"
HEAP="${LITMINE_ES_HEAP:-1g}"
DIR="${LITMINE_SERVICES_DIR:-$ROOT/.services}/elasticsearch"
LIB="$DIR/lib-$VERSION"
HOME_DIR="$DIR/node-$PORT"
CLASSES="$DIR/classes"
LOG="$DIR/elasticsearch-$PORT.log"
PIDFILE="$DIR/elasticsearch-$PORT.pid"
MAIN=LitmineElasticsearchNode

NAME=elasticsearch.sh
MAIN_PATTERN="$MAIN"
# shellcheck source=lib/java-service.sh
source "$ROOT/scripts/lib/java-service.sh"

fetch() {
  maven_fetch "$ROOT/scripts/elasticsearch/pom.xml" "es.version=$VERSION" "elasticsearch-$VERSION.jar" "org.elasticsearch:elasticsearch:$VERSION and plugins"
}

compile() {
  local src="$ROOT/scripts/elasticsearch/$MAIN.java"
  if [[ -f "$CLASSES/$MAIN.class" && "$CLASSES/$MAIN.class" -nt "$src" && -f "$CLASSES/.version-$VERSION" ]]; then return 0; fi
  command -v javac >/dev/null || { say "javac not found (a JDK 11+ is needed)"; exit 1; }
  rm -rf "$CLASSES"
  mkdir -p "$CLASSES"
  javac -nowarn -d "$CLASSES" -cp "$LIB/*" "$src"
  touch "$CLASSES/.version-$VERSION"
}

health() { curl -fsS -m 5 "http://127.0.0.1:$PORT/_cluster/health?wait_for_status=yellow&timeout=5s" 2>/dev/null; }

wait_ready() {
  local deadline=$((SECONDS + ${LITMINE_ES_START_TIMEOUT:-180}))
  until health | grep -qE '"status":"(green|yellow)"'; do
    launched_alive || { say "node exited during start; last log lines:"; tail -40 "$LOG" >&2; exit 1; }
    ((SECONDS < deadline)) || { say "not healthy in time; see $LOG"; exit 1; }
    sleep 2
  done
  # The JS client refuses servers that do not name themselves Elasticsearch.
  local product
  product="$(curl -fsS -m 5 -D - -o /dev/null "http://127.0.0.1:$PORT/" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-elastic-product"{print $2}')"
  [[ "$product" == "Elasticsearch" ]] || { say "X-Elastic-Product header missing (got '$product')"; exit 1; }
  echo "elasticsearch $VERSION ready on http://127.0.0.1:$PORT"
}

start() {
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on 127.0.0.1:$PORT"
    wait_ready
    return 0
  fi
  if port_open "$PORT"; then say "port $PORT is taken by another process"; exit 1; fi
  fetch
  compile
  mkdir -p "$HOME_DIR/config"
  cp "$ROOT/scripts/elasticsearch/log4j2.properties" "$HOME_DIR/config/log4j2.properties"
  local extra=()
  for kv in ${LITMINE_ES_SETTINGS:-}; do extra+=("-Desnode.setting.$kv"); done
  say "starting Elasticsearch $VERSION on 127.0.0.1:$PORT (log $LOG)"
  # setsid: the node outlives this shell and gets no SIGINT from the terminal that started it.
  setsid nohup java -Xms256m -Xmx"$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dfile.encoding=UTF-8 -Dlog4j2.formatMsgNoLookups=true -Dlog4j.shutdownHookEnabled=false \
    -Dlog4j2.disable.jmx=true -Dlog4j.configurationFile="$HOME_DIR/config/log4j2.properties" \
    -Des.set.netty.runtime.available.processors=false -Dio.netty.noUnsafe=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Desnode.home="$HOME_DIR" -Desnode.port="$PORT" -Desnode.transport.port="$TPORT" "${extra[@]}" \
    -cp "$CLASSES:$LIB/*" "$MAIN" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped"; return 0; }
    sleep 1
  done
  say "did not stop in 60s; killing $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid="$(running_pid)"; then
      echo "running (pid $pid) on http://127.0.0.1:$PORT"
      health || true
      echo
    else
      echo "not running"
      exit 1
    fi
    ;;
  clean) stop; rm -rf "$HOME_DIR" "$LOG" ;;
  logs) tail -n "${2:-100}" "$LOG" ;;
  *) echo "usage: $0 start|stop|status|clean|logs" >&2; exit 2 ;;
esac
