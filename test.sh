#!/usr/bin/env bash
# Runs every test of UsernsTools on a fresh machine: installs what the tests need when it is missing
# (bubblewrap, uidmap, openssh-server for the remoting tests),
# restores the pinned pwsh (.config/dotnet-tools.json) and Pester (tools/requirements.psd1), builds,
# publishes the NativeAOT command and the module, runs the xunit suites, then the whole Pester suite in the
# pinned pwsh against the module folder it just built, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
top=$(pwd)
results=$(mktemp -d "${TMPDIR:-/tmp}/usernstools-test.XXXXXX")
trap 'rm -rf "$results"' EXIT

say() { printf '==> %s\n' "$*"; }

need_pkgs=()
command -v bwrap >/dev/null 2>&1 || need_pkgs+=(bubblewrap)
command -v newuidmap >/dev/null 2>&1 || need_pkgs+=(uidmap)
command -v unshare >/dev/null 2>&1 || need_pkgs+=(util-linux)
[ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
command -v tmux >/dev/null 2>&1 || need_pkgs+=(tmux)
if [ ${#need_pkgs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing test prerequisites: ${need_pkgs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null && apt-get install -y -qq "${need_pkgs[@]}" >/dev/null \
            || echo "warning: could not install ${need_pkgs[*]}; tests that need them will say so" >&2
    else
        echo "warning: missing ${need_pkgs[*]} and cannot install them (need root and apt-get)" >&2
    fi
fi

# The remoting tests start their own sshd (on 127.0.0.1, configured in a temporary folder). Run as root, sshd needs
# its privilege-separation directory, which the ssh service creates when it starts; create it as the service would.
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/sshd ] && [ ! -d /run/sshd ]; then
    mkdir -p -m 0755 /run/sshd
fi

passed=0; failed=0; skipped=0

say "restoring the pinned pwsh and Pester"
if ! { dotnet tool restore && dotnet restore tools/TestTools -nologo; } >"$results/tools.log" 2>&1; then
    cat "$results/tools.log"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

say "building"
if ! dotnet build UsernsTools.sln -c Release -nologo -clp:ErrorsOnly >"$results/build.log" 2>&1; then
    cat "$results/build.log"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

# The NativeAOT command, as the README installs it; tests/UsernsTools.Cli.Tests compares it with the engine.
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
say "publishing the NativeAOT usernstools ($rid) to out/usernstools-aot"
if dotnet publish src/UsernsTools.Cli -c Release -f net10.0 -r "$rid" -o out/usernstools-aot -nologo -clp:ErrorsOnly >"$results/aot.log" 2>&1; then
    passed=$((passed + 1))
else
    cat "$results/aot.log"
    failed=$((failed + 1))
fi

if [ -x tools/module-check.sh ]; then
    say "module: publish and PowerShell syntax check"
    if tools/module-check.sh >"$results/module.log" 2>&1; then
        passed=$((passed + $(grep -c '^ok ' "$results/module.log" || true)))
    else
        cat "$results/module.log"
    fi
    failed=$((failed + $(grep -c '^not ok ' "$results/module.log" || true)))
fi

for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    say "xunit: $name"
    dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
        --results-directory "$results" 2>&1 | grep -v -E '^\s*$|^Results File' || true
    trx="$results/$name.trx"
    if [ ! -f "$trx" ]; then
        echo "no results from $name (the test host did not run)"
        failed=$((failed + 1))
        continue
    fi
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    total=$(get total); executed=$(get executed)
    passed=$((passed + $(get passed)))
    failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    skipped=$((skipped + total - executed))
done

say "pester (pwsh $(dotnet pwsh -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()'))"
pester_start=$SECONDS
dotnet pwsh -NoProfile -NonInteractive -File tools/run-pester.ps1 -ResultFile "$results/pester.txt" || true
if [ -s "$results/pester.txt" ]; then
    read -r p f s <"$results/pester.txt"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
else
    echo "no results from Pester (the run did not finish)"
    failed=$((failed + 1))
fi
say "pester took $((SECONDS - pester_start)) s"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
