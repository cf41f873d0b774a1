#!/usr/bin/env bash
# Runs the benchmarks. Each prints medians and ratios against a baseline measured in the same run.
#   bench/run.sh [status|denials|sandbox ...] [-- extra options]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d "${TMPDIR:-/tmp}/usernstools-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
dotnet build bench/UsernsTools.Bench -c Release -nologo -v q >/dev/null
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(status denials sandbox)
for bench in "${benches[@]}"; do
    echo "== $bench"
    case "$bench" in
        status)
            # The command, its baseline and the floor program are published the same way: NativeAOT, self-contained.
            dotnet publish src/UsernsTools.Cli -c Release -f net10.0 -r "$rid" -o "$out/cli" -nologo -v q >/dev/null
            dotnet publish bench/EmptyApp -c Release -r "$rid" -o "$out/empty" -nologo -v q >/dev/null
            dotnet publish bench/FloorApp -c Release -r "$rid" -o "$out/floor" -nologo -v q >/dev/null
            dotnet bench/UsernsTools.Bench/bin/Release/net10.0/UsernsTools.Bench.dll status "$out/cli/usernstools" "$out/empty/EmptyApp" "$out/floor/FloorApp" 30 ;;
        *)
            dotnet bench/UsernsTools.Bench/bin/Release/net10.0/UsernsTools.Bench.dll "$bench" ;;
    esac
done
