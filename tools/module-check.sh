#!/usr/bin/env bash
# Builds the PowerShell module folder out/UsernsTools/<version>/ with dotnet publish and checks it:
# the folder is complete, a plain process loads it as pwsh would, the checked-in help is current, and every
# .ps1/.psd1 of the repository parses with PowerShell's own parser (the pinned pwsh). Prints "ok <check>" or "not ok <check>" per check; exits 1 if any failed.
# The xunit suite tests/UsernsTools.Module.Tests reads the folder this script leaves in out/.
set -uo pipefail
cd "$(dirname "$0")/.."
configuration=${CONFIGURATION:-Release}
version=$(sed -n "s/^[[:space:]]*ModuleVersion[[:space:]]*=[[:space:]]*'\([0-9.]*\)'.*/\1/p" UsernsTools.psd1)
module="out/UsernsTools/$version"
log=$(mktemp "${TMPDIR:-/tmp}/module-check.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=0

# run NAME COMMAND...: one result line; the command's output is shown only when it fails.
run() {
    local name=$1
    shift
    if "$@" >"$log" 2>&1; then
        echo "ok $name"
    else
        echo "not ok $name"
        sed 's/^/#   /' "$log"
        failed=1
    fi
}

if [ -z "$version" ]; then
    echo "not ok read ModuleVersion from UsernsTools.psd1"
    exit 1
fi

rm -rf "$module"
run "publish the module to $module" dotnet publish src/UsernsTools/UsernsTools.csproj -c "$configuration" -nologo -clp:ErrorsOnly

missing=()
for file in UsernsTools.psd1 UsernsTools.dll UsernsTools.Core.dll net10.0/UsernsTools.Core.dll UsernsTools.Loader.dll Mono.Unix.dll \
    UsernsTools.Format.ps1xml UsernsTools.Types.ps1xml \
    en-US/UsernsTools.dll-Help.xml en-US/about_UsernsTools.help.txt \
    linux-x64/libMono.Unix.so linux-arm64/libMono.Unix.so; do
    [ -f "$module/$file" ] || missing+=("$file")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "ok module folder holds manifest, assemblies, views, help and native libraries"
else
    echo "not ok module folder is missing: ${missing[*]}"
    failed=1
fi

run "checked-in en-US/ help matches what docs/en-US builds" diff -r en-US "$module/en-US"

# A plain process loads the folder with no deps.json, as pwsh does, and calls engine code that needs Mono.Unix.
if dotnet build tools/ModuleLoadCheck/ModuleLoadCheck.csproj -c "$configuration" -nologo -clp:ErrorsOnly >"$log" 2>&1; then
    dotnet "tools/ModuleLoadCheck/bin/$configuration/net10.0/ModuleLoadCheck.dll" "$module" || failed=1
else
    echo "not ok build tools/ModuleLoadCheck"
    sed 's/^/#   /' "$log"
    failed=1
fi

# Every PowerShell file of the repository must parse, by PowerShell's own parser in the pinned pwsh.
mapfile -t ps_files < <(find . \( -path ./out -o -path ./.git -o -name node_modules -o -name bin -o -name obj \) -prune \
    -o -type f \( -name '*.ps1' -o -name '*.psd1' -o -name '*.psm1' \) -print | sort)
dotnet pwsh -NoProfile -NonInteractive -File tools/parse-powershell.ps1 "${ps_files[@]}" || failed=1

exit $failed
