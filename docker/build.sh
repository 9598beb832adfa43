#!/usr/bin/env bash
# Builds the image lance-index-merge-flink:${TAG:-dev} from this directory:
#   1. the job jar (job/target/lance-index-merge.jar), unless it is there already or SKIP_JOB_BUILD=1;
#   2. docker/target/lib (lance-core, Arrow and their dependencies) and docker/target/usrlib (the job jar), with
#      docker/pom.xml;
#   3. docker build (FLINK_IMAGE overrides the base image, default flink:2.3.0-scala_2.12-java17).
# Needs Java 17+, Maven and Docker. Extra arguments go to `docker build`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

if [ ! -f "$root/job/target/lance-index-merge.jar" ] && [ "${SKIP_JOB_BUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -q -B -DskipTests package)
fi
[ -f "$root/job/target/lance-index-merge.jar" ] || { echo "error: $root/job/target/lance-index-merge.jar is missing" >&2; exit 1; }

rm -rf "$here/target"
mvn -q -B -f "$here/pom.xml" package
[ -f "$here/target/usrlib/lance-index-merge.jar" ] || { echo "error: the job jar was not copied" >&2; exit 1; }

build_args=()
[ -n "${FLINK_IMAGE:-}" ] && build_args+=(--build-arg "FLINK_IMAGE=$FLINK_IMAGE")
docker build ${build_args[@]+"${build_args[@]}"} -t "lance-index-merge-flink:${TAG:-dev}" "$@" "$here"
