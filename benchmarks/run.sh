#!/usr/bin/env bash
# The one benchmark command. From anywhere in the repository:
#   benchmarks/run.sh [--scenario P1,P2,...] [--quick|--full] [scenario parameters...]
# Builds and installs kafka-worker (into ~/.m2), builds the benchmark modules, then runs
# the harness, which starts its own broker and contender JVMs. See benchmarks/README.md.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

skip_build=false
args=()
for arg in "$@"; do
	case "$arg" in
		--skip-build) skip_build=true ;;
		-h|--help) args+=("$arg"); skip_build=true ;;
		*) args+=("$arg") ;;
	esac
done

cd "$ROOT_DIR"
if [ "$skip_build" = false ]; then
	echo "Installing kafka-worker into ~/.m2 (./mvnw install -pl kafka-worker-spring-boot-starter -am)..."
	./mvnw -q -B install -DskipTests -pl kafka-worker-spring-boot-starter -am
	echo "Building the benchmark modules..."
	./mvnw -q -B -f benchmarks/pom.xml package -DskipTests
fi

HARNESS="$BENCH_DIR/bench-harness"
# The harness is a child of this shell's exec: Ctrl-C reaches it, and its shutdown hook
# kills the broker and contender JVMs.
exec "$JAVA" -Xmx512m -Dbench.home="$BENCH_DIR" \
	-Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
	-cp "$HARNESS/target/classes:$(cat "$HARNESS/target/classpath.txt")" \
	io.kafkaworker.bench.harness.Harness ${args[@]+"${args[@]}"}
