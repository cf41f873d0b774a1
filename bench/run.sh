#!/usr/bin/env bash
# Runs the benchmarks. Each prints medians and ratios against a baseline measured in the same run.
#   bench/run.sh [status|pwsh|denials|sandbox ...] [-- extra options]
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
        pwsh)
            # The module folder as a user installs it, in the pinned pwsh: each session is fresh (a binary module cannot be
            # unloaded), so the first Get-UsernsStatus after Import-Module is measured once per session.
            dotnet publish src/UsernsTools -c Release -p:PublishDir="$out/module/UsernsTools/0.1.0/" -nologo -v q >/dev/null
            dotnet tool restore >/dev/null
            sessions=${PWSH_SESSIONS:-7}
            for _ in $(seq "$sessions"); do
                dotnet pwsh -NoProfile -NonInteractive -File bench/PwshStatus.ps1 -Manifest "$out/module/UsernsTools/0.1.0/UsernsTools.psd1" -Warm 20
            done >"$out/pwsh.txt"
            median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
            import=$(awk '{ print $1 }' "$out/pwsh.txt" | median)
            first=$(awk '{ print $2 }' "$out/pwsh.txt" | median)
            warm=$(awk '{ print $3 }' "$out/pwsh.txt" | median)
            probe=$(awk '{ print $4 }' "$out/pwsh.txt" | median)
            started=$(awk '{ print $5 }' "$out/pwsh.txt" | median)
            awk -v s="$sessions" -v i="$import" -v f="$first" -v w="$warm" -v p="$probe" -v a="$started" 'BEGIN {
                printf "fresh pwsh sessions (medians over sessions):   %d\n", s
                printf "Import-Module UsernsTools:                      %8.2f ms\n", i
                printf "first Get-UsernsStatus after Import-Module:     %8.2f ms  = %.2fx the combined probe (target <= 100 ms)\n", f, f / p
                printf "warm Get-UsernsStatus (median of 20):           %8.2f ms  = %.2fx the combined probe (target <= 2.00x), %.2fx it without setpriv\n", w, w / p, w / a
                printf "combined probe as nobody through setpriv:       %8.2f ms\n", p
                printf "the same as nobody without setpriv:             %8.2f ms\n", a
            }' ;;
        *)
            dotnet bench/UsernsTools.Bench/bin/Release/net10.0/UsernsTools.Bench.dll "$bench" ;;
    esac
done
