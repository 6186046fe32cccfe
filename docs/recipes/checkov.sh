#!/usr/bin/env bash
# Checkov with the CKV_ACK_* external checks, next to Checkov's own checks. The checks call the
# scanner, so their verdicts are `checkov-ack scan`'s. INFRA: the folder to read (default infra).
set -euo pipefail
CHECKS="$(python -c 'from checkov_ack.resources import checkov_checks_dir; print(checkov_checks_dir())')"
checkov --directory "${INFRA:-infra}" --external-checks-dir "$CHECKS" --framework terraform --skip-download --compact
