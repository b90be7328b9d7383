#!/usr/bin/env bash
# Sets up what the app needs (idempotently), builds it in release mode and serves it on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$root"

setup_native
setup_wasm
port="${PORT:-8080}"
step "Building and serving the app: open http://127.0.0.1:$port/ (Ctrl-C stops it)"
# Online first, so std's own dependencies are fetched; Trunk builds offline.
size_build cargo build --release --locked --target wasm32-unknown-unknown
size_build trunk serve --release --port "$port"
