# shellcheck shell=bash
# Pinned Go tools, built once into $TOOLS_DIR/<name>-<version>/ and reused afterwards.

TEMPORAL_VERSION=v1.5.1
# MinIO: SPEC.md pins RELEASE.2025-10-15T17-29-55Z, but that tag is not served by the Go module
# proxy this machine uses; the only version available is the repository's final commit, so we pin it.
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
# Mailpit: `go install ...@v1.30.5` fails here (the proxy refuses the version list that go install
# fetches for its deprecation check), so it is built from the pinned module in scripts/tools/mailpit.
MAILPIT_VERSION=v1.30.5

tool_bin() { echo "$TOOLS_DIR/$1-$2/$1"; }
TEMPORAL_BIN=$(tool_bin temporal "$TEMPORAL_VERSION")
MINIO_BIN=$(tool_bin minio "$MINIO_VERSION")
MAILPIT_BIN=$(tool_bin mailpit "$MAILPIT_VERSION")

require_go() {
  command -v go >/dev/null || die "Go is required to build the local stack's tools (not found in PATH or /usr/local/go/bin)"
}

# build_tool NAME VERSION CMD...: run the build CMD (which must write the binary to $OUT) unless the
# binary exists; builds into a temporary directory first so that an interrupted build leaves nothing.
build_tool() {
  local name=$1 version=$2 bin tmp
  shift 2
  bin=$(tool_bin "$name" "$version")
  [[ -x $bin ]] && return 0
  require_go
  echo "stack: building $name $version (once; goes to $(dirname "$bin"))" >&2
  mkdir -p "$TOOLS_DIR"
  tmp=$(mktemp -d "$TOOLS_DIR/.build-$name.XXXXXX")
  if ! OUT="$tmp/$name" "$@" >"$tmp.log" 2>&1; then
    tail -n 20 "$tmp.log" >&2
    rm -rf "$tmp"
    die "building $name $version failed (build log: $tmp.log)"
  fi
  mkdir -p "$(dirname "$bin")"
  mv "$tmp/$name" "$bin"
  rm -rf "$tmp" "$tmp.log"
}

_build_temporal() {
  GOBIN=$(dirname "$OUT") go install \
    -ldflags "-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_VERSION#v}" \
    "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION"
}
_build_minio() { GOBIN=$(dirname "$OUT") go install "github.com/minio/minio@$MINIO_VERSION"; }
_build_mailpit() {
  (cd "$ROOT_DIR/scripts/tools/mailpit" && go build -o "$OUT" \
    -ldflags "-X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" github.com/axllent/mailpit)
}

install_go_tools() {
  build_tool temporal "$TEMPORAL_VERSION" _build_temporal
  build_tool minio "$MINIO_VERSION" _build_minio
  build_tool mailpit "$MAILPIT_VERSION" _build_mailpit
}
