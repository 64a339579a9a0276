# Shared by scripts/kafka.sh and scripts/elasticsearch.sh: a Java service fetched from Maven Central
# and run in the background — its pid (checked against the command line, never a recycled number),
# port probing, and the one-time fetch of its jars. Callers set NAME, PIDFILE, MAIN_PATTERN and LIB
# before sourcing this file.

say() { echo "$NAME: $*" >&2; }

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null && grep -q "$MAIN_PATTERN" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

# During start: the process we launched is still alive. Its command line is not checked here, since
# right after the fork it can still be the shell's (setsid, nohup and java are exec'd in turn) and a
# loaded machine makes that window long enough to be mistaken for an exit.
launched_alive() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# maven_fetch POM PROPERTY=VALUE EXPECTED_JAR DESCRIPTION: copies POM's runtime dependencies into $LIB once.
maven_fetch() {
  local pom="$1" property="$2" jar="$3" what="$4"
  if [[ -f "$LIB/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || { say "mvn not found (apt-get install maven)"; exit 1; }
  say "fetching $what from Maven Central into $LIB"
  rm -rf "$LIB"
  mkdir -p "$LIB"
  # The output directory must be absolute: Maven resolves relative paths against the pom's folder.
  mvn -B -q -f "$pom" "-D$property" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB"
  [[ -f "$LIB/$jar" ]] || { say "$jar missing after fetch"; exit 1; }
  touch "$LIB/.complete"
}
