#!/usr/bin/env bash
# The SARIF 2.1.0 JSON Schema (OASIS, release rtm.5) for the reporter tests. No Python package
# ships it; Microsoft's @microsoft/jest-sarif npm package does, so it comes from the npm registry
# into a cache outside the repository (never vendored).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=".ci/tools/sarif"
schema="$dest/sarif-2.1.0-rtm.5.json"
if [ -s "$schema" ]; then
  echo "$schema"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch the SARIF schema" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
tar -xzf "$work"/microsoft-jest-sarif-1.0.0-beta.0.tgz -C "$work" package/lib/schemas/sarif-2.1.0-rtm.5.json
mkdir -p "$dest"
mv "$work/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema"
echo "$schema"
