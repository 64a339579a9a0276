#!/usr/bin/env bash
# A real single-node Kafka broker (KRaft, combined broker+controller) for the integration tier,
# fetched from Maven Central into .services/kafka, without Docker. Idempotent start/stop.
#
#   scripts/kafka.sh start     # → "kafka 4.1.2 ready on 127.0.0.1:19092"
#   LITMINE_KAFKA_BROKERS=127.0.0.1:19092 npx ava --serial test/integration/kafka-log.test.ts
#   scripts/kafka.sh stop      # also: status, clean (stop and delete the data), logs
#
# Confirmed here (Debian OpenJDK 17, kafkajs 2.2.4): org.apache.kafka:kafka_2.13:4.1.2 from Central;
# main class kafka.Kafka, storage tool kafka.tools.StorageTool (both in kafka_2.13-4.1.2.jar);
# a static controller.quorum.voters needs no --standalone at format time. The same script with
# LITMINE_KAFKA_VERSION=3.9.1 also passes the integration tier (confirmed with kafka_2.13 3.9.1).
# Environment: LITMINE_KAFKA_PORT (19092; the controller listens on port+1), LITMINE_KAFKA_VERSION
# (4.1.2; 3.9.1 is the fallback line), LITMINE_KAFKA_HEAP (512m), LITMINE_SERVICES_DIR (.services).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${LITMINE_KAFKA_VERSION:-4.1.2}"
PORT="${LITMINE_KAFKA_PORT:-19092}"
CPORT="$((PORT + 1))"
HEAP="${LITMINE_KAFKA_HEAP:-512m}"
DIR="${LITMINE_SERVICES_DIR:-$ROOT/.services}/kafka"
LIB="$DIR/lib-$VERSION"
DATA="$DIR/data-$PORT"
CONF="$DIR/server-$PORT.properties"
LOG="$DIR/kafka-$PORT.log"
PIDFILE="$DIR/kafka-$PORT.pid"

NAME=kafka.sh
MAIN_PATTERN=kafka.Kafka
# shellcheck source=lib/java-service.sh
source "$ROOT/scripts/lib/java-service.sh"

fetch() {
  command -v java >/dev/null || { say "java not found (Kafka 4.x needs Java 17+)"; exit 1; }
  maven_fetch "$ROOT/scripts/kafka/pom.xml" "kafka.version=$VERSION" "kafka_2.13-$VERSION.jar" "org.apache.kafka:kafka_2.13:$VERSION"
}

write_config() {
  mkdir -p "$DATA"
  cat >"$CONF" <<EOF
# Written by scripts/kafka.sh: one node is both broker and controller (KRaft).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/logs
# Topics are created on purpose (ensureTopics), as in production.
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
# Small internal topics: a test broker on 2 shared cores starts and elects faster.
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# The cleaner's default 128 MiB dedupe buffer would take a quarter of the heap.
log.cleaner.dedupe.buffer.size=16777216
EOF
}

start() {
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on 127.0.0.1:$PORT"
    wait_ready
    return 0
  fi
  if port_open "$PORT"; then say "port $PORT is taken by another process"; exit 1; fi
  fetch
  write_config
  local cp="$LIB/*"
  if [[ ! -f "$DATA/logs/meta.properties" ]]; then
    local id
    id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$CONF" --ignore-formatted >>"$LOG" 2>&1 \
      || { say "format failed; see $LOG"; tail -20 "$LOG" >&2; exit 1; }
  fi
  say "starting Kafka $VERSION on 127.0.0.1:$PORT (log $LOG)"
  # setsid: the broker outlives this shell and gets no SIGINT from the terminal that started it.
  setsid nohup java -Xms128m -Xmx"$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$cp" kafka.Kafka "$CONF" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
}

# Ready means the port accepts connections and a client gets metadata (the broker has registered).
wait_ready() {
  local deadline=$((SECONDS + ${LITMINE_KAFKA_START_TIMEOUT:-120}))
  until port_open "$PORT"; do
    launched_alive || { say "broker exited during start; last log lines:"; tail -30 "$LOG" >&2; exit 1; }
    ((SECONDS < deadline)) || { say "port $PORT not open in time; see $LOG"; exit 1; }
    sleep 1
  done
  until (cd "$ROOT" && node -e '
      const { Kafka, logLevel } = require("kafkajs");
      const admin = new Kafka({ brokers: [process.argv[1]], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      admin.connect().then(() => admin.describeCluster()).then((c) => { if (!c.brokers.length) process.exit(1); return admin.disconnect(); })
        .then(() => process.exit(0), () => process.exit(1));
    ' "127.0.0.1:$PORT"); do
    ((SECONDS < deadline)) || { say "broker not answering metadata in time; see $LOG"; exit 1; }
    sleep 1
  done
  echo "kafka $VERSION ready on 127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  say "stopping (pid $pid)"
  kill -TERM "$pid"
  # A controlled shutdown flushes logs and closes the quorum; allow it time before forcing.
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped"; return 0; }
    sleep 0.5
  done
  say "still running after 30 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "kafka $VERSION running (pid $pid) on 127.0.0.1:$PORT"
  else
    echo "kafka not running on 127.0.0.1:$PORT"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch ;;
  clean) stop; rm -rf "$DATA" "$CONF" "$LOG"; say "data removed" ;;
  logs) tail -n "${2:-50}" "$LOG" ;;
  *) echo "usage: $0 start|stop|status|fetch|clean|logs [n]" >&2; exit 2 ;;
esac
