#!/usr/bin/env bash
# Usage: extend-java-opts.sh CONFIG_YAML OPTION...
#
# Appends each OPTION that is not there yet to env.java.opts.all in Flink's config.yaml, keeping every option
# already there: Flink's defaults ("required for Java 17 support") must be extended, never replaced. Works on the
# nested form Flink writes (env: / java: / opts: / all: ...) and on a flat "env.java.opts.all: ..." line; adds a
# flat line if neither exists. Fails if the key is there more than once. (FLINK_PROPERTIES cannot do this: the image's
# entrypoint splits values at spaces, and replacing the value would drop Flink's defaults.)
set -euo pipefail

conf=$1
shift
[ -f "$conf" ] || { echo "extend-java-opts: no such file: $conf" >&2; exit 1; }

tmp=$(mktemp)
awk -v opts="$*" '
  function indent_of(line) { match(line, /^ */); return RLENGTH }
  {
    line = $0
    if (line ~ /^[ ]*#/ || line ~ /^[ ]*$/) { print line; next }
    depth = int(indent_of(line) / 2)
    key = line
    sub(/^ */, "", key)
    sub(/:.*/, "", key)
    path[depth] = key
    for (d = depth + 1; d < 16; d++) delete path[d]
    full = path[0]
    for (d = 1; d <= depth; d++) full = full "." path[d]
    if (full == "env.java.opts.all" && line ~ /:[ ]+[^ ]/) {
      found++
      n = split(opts, wanted, " ")
      for (i = 1; i <= n; i++) {
        if (index(" " line " ", " " wanted[i] " ") == 0) line = line " " wanted[i]
      }
    }
    print line
  }
  END {
    if (found > 1) { print "env.java.opts.all is set " found " times" > "/dev/stderr"; exit 3 }
    if (found == 0) exit 2
  }
' "$conf" > "$tmp" || status=$?
case ${status:-0} in
  0) ;;
  2) printf 'env.java.opts.all: %s\n' "$*" >> "$tmp" ;;
  *) rm -f "$tmp"; exit 1 ;;
esac
cat "$tmp" > "$conf"
rm -f "$tmp"
grep -E '^( *all:|env\.java\.opts\.all:)' "$conf" >&2
