#!/usr/bin/env bash
# The one chaos command. From anywhere in the repository:
#   chaos/run.sh [--minutes M] [--seed S] [--runs key,partition,parallel,eos-kafka,eos-jdbc] [--ci]
#                [--strict-duplicates] [--install] [--skip-build]
# Builds the chaos modules against the kafka-worker in ~/.m2 (with --install, installs it
# there first, as CI does), then runs the harness, which starts its own broker, database
# and worker JVMs. See chaos/README.md.
set -euo pipefail

CHAOS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$CHAOS_DIR/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

install=false
skip_build=false
args=()
for arg in "$@"; do
	case "$arg" in
		--install) install=true ;;
		--skip-build) skip_build=true ;;
		-h|--help) args+=("$arg"); skip_build=true ;;
		*) args+=("$arg") ;;
	esac
done

cd "$ROOT_DIR"
if [ "$install" = true ]; then
	echo "Installing kafka-worker into ~/.m2 (./mvnw install -pl kafka-worker-spring-boot-starter -am)..."
	./mvnw -q -B install -DskipTests -pl kafka-worker-spring-boot-starter -am
fi
if [ "$skip_build" = false ]; then
	echo "Building the chaos modules..."
	./mvnw -q -B -f chaos/pom.xml package -DskipTests
fi

HARNESS="$CHAOS_DIR/chaos-harness"
# The harness is a child of this shell's exec: Ctrl-C reaches it, and its shutdown hook
# kills the broker and worker JVMs by pid.
exec "$JAVA" -Xmx384m -XX:TieredStopAtLevel=1 -Dchaos.home="$CHAOS_DIR" \
	-Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
	-cp "$HARNESS/target/classes:$(cat "$HARNESS/target/classpath.txt")" \
	io.kafkaworker.chaos.harness.ChaosMain ${args[@]+"${args[@]}"}
