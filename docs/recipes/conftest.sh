#!/usr/bin/env bash
# conftest on the normalized document: failures as FAIL, unknowns as WARN; exit 1 on any failure.
# INFRA: the folder to read (default infra).
set -euo pipefail
POLICIES="$(python -c 'from checkov_ack.resources import policies_dir; print(policies_dir())')"
checkov-ack normalize "${INFRA:-infra}" --output input.json
conftest test input.json --policy "$POLICIES" --data "$POLICIES" --namespace ack --no-color
