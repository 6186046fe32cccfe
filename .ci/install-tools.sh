#!/usr/bin/env bash
# Build the pinned OPA tools (opa, regal, conftest) from their Go modules into .ci/tools/bin.
#
#   bash .ci/install-tools.sh            # then: export PATH="$PWD/.ci/tools/bin:$PATH"
#
# Idempotent: a tool already in .ci/tools/bin at the pinned version is left alone; one already built
# at that version in the cache ($CHECKOV_ACK_TOOLS_CACHE, default ~/.cache/checkov-ack-tools, which
# also holds GOCACHE and GOMODCACHE) is copied. Anything that goes wrong stops the script (exit != 0).
set -euo pipefail

OPA_VERSION=v1.21.1       # the OPA that conftest v0.71.1 embeds: both tools judge the Rego alike
CONFTEST_VERSION=v0.71.1
REGAL_VERSION=v0.37.0

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.ci/tools/bin"
CACHE="${CHECKOV_ACK_TOOLS_CACHE:-$HOME/.cache/checkov-ack-tools}"

die() { echo "install-tools: ERROR: $*" >&2; exit 1; }
log() { echo "install-tools: $*" >&2; }

command -v go >/dev/null 2>&1 || die "go is not on PATH; install Go >= 1.26 (https://go.dev/dl/)"

mkdir -p "$DEST" "$CACHE/bin" "$CACHE/gocache" "$CACHE/gomodcache"
export GOBIN="$CACHE/bin"
export GOCACHE="$CACHE/gocache"
export GOMODCACHE="$CACHE/gomodcache"
export GOFLAGS="-modcacherw"
# Modules this machine already downloaded for other builds are served from disk first.
default_modcache="$(env -u GOMODCACHE go env GOMODCACHE 2>/dev/null || true)"
proxy="$(go env GOPROXY)"
if [[ -n "$default_modcache" && -d "$default_modcache/cache/download" && "$default_modcache" != "$GOMODCACHE" ]]; then
	proxy="file://$default_modcache/cache/download,$proxy"
fi
export GOPROXY="$proxy"

# built_version BINARY MODULE: the version of MODULE linked into BINARY ("" when not built or other).
built_version() {
	[[ -x "$1" ]] || return 0
	go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3; exit }'
}

# install_tool NAME MODULE VERSION BUILD_FUNCTION
install_tool() {
	local name="$1" module="$2" version="$3" build="$4"
	if [[ "$(built_version "$DEST/$name" "$module")" == "$version" ]]; then
		log "$name $version: up to date in $DEST"
		return
	fi
	if [[ "$(built_version "$GOBIN/$name" "$module")" != "$version" ]]; then
		log "$name $version: building (first build takes minutes)"
		"$build" "$version"
		[[ "$(built_version "$GOBIN/$name" "$module")" == "$version" ]] ||
			die "$name: build finished but $GOBIN/$name is not $module $version"
	else
		log "$name $version: found in cache $GOBIN"
	fi
	cp -f "$GOBIN/$name" "$DEST/$name.tmp"
	mv -f "$DEST/$name.tmp" "$DEST/$name"
	"$DEST/$name" version >/dev/null 2>&1 || "$DEST/$name" --version >/dev/null 2>&1 ||
		die "$name: $DEST/$name does not run"
}

build_opa() {
	go install "github.com/open-policy-agent/opa@$1" || die "go install opa@$1 failed"
}

build_conftest() {
	go install -ldflags "-X github.com/open-policy-agent/conftest/internal/version.Version=${1#v}" \
		"github.com/open-policy-agent/conftest@$1" || die "go install conftest@$1 failed"
}

# The module proxy refuses regal's version list (403), so `go install regal@v` fails; a throwaway
# module that requires the pinned version builds it.
build_regal() {
	local tmp
	tmp="$(mktemp -d)"
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" RETURN
	cat >"$tmp/go.mod" <<EOF
module regalbuild

go 1.25.0

require github.com/open-policy-agent/regal $1
EOF
	cat >"$tmp/tools.go" <<'EOF'
//go:build tools

package tools

import _ "github.com/open-policy-agent/regal"
EOF
	(cd "$tmp" && GONOSUMDB=github.com/open-policy-agent/regal GOFLAGS="-mod=mod -modcacherw" \
		go build -ldflags "-X github.com/open-policy-agent/regal/pkg/version.Version=${1#v}" \
		-o "$GOBIN/regal" github.com/open-policy-agent/regal) || die "building regal $1 failed"
}

install_tool opa github.com/open-policy-agent/opa "$OPA_VERSION" build_opa
install_tool regal github.com/open-policy-agent/regal "$REGAL_VERSION" build_regal
install_tool conftest github.com/open-policy-agent/conftest "$CONFTEST_VERSION" build_conftest

log "opa $OPA_VERSION, regal $REGAL_VERSION, conftest $CONFTEST_VERSION in $DEST"
echo "export PATH=\"$DEST:\$PATH\""
