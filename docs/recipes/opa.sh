#!/usr/bin/env bash
# The same Rego without the scanner's engine: normalize once, then judge with `opa eval` or conftest.
# `data.ack.deny` are the failures, `data.ack.warn` the unknowns (conftest's conventions).
# Suppressions (#checkov:skip, waivers) are applied by `checkov-ack scan` only, not here.
# INFRA: the folder to read (default infra).
set -euo pipefail
POLICIES="$(python -c 'from checkov_ack.resources import policies_dir; print(policies_dir())')"
checkov-ack normalize "${INFRA:-infra}" --output input.json
# Exit 1 when there is any failure:
opa eval --fail-defined --format pretty --data "$POLICIES" --input input.json 'data.ack.deny[x]'
