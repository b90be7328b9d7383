#!/usr/bin/env bash
# Installs what building and testing provpoll needs, skipping whatever is already present at the
# right version. Sourced by serve.sh and test.sh; safe to run again. See ../shared/TOOLCHAIN.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
export PATH="$HOME/.cargo/bin:$tools/node_modules/.bin:$PATH"

step() { printf '==> %s\n' "$*"; }

want_wasm_bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$root/Cargo.lock")
want_trunk="0.21"
want_binaryen="132"

setup_native() {
    step "Rust toolchain pinned in rust-toolchain.toml, with rustfmt, clippy, rust-src and wasm32"
    (cd "$root" && rustup toolchain install)
}

# `provpoll watch`'s tests check its metrics and alert rules with the real tools.
setup_prometheus() {
    if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
        step "Prometheus and promtool: present"
    else
        step "Prometheus and promtool: installing Debian's prometheus (for the watch tests)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
    fi
}

setup_wasm() {
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        step "Rust target wasm32-unknown-unknown: present"
    else
        step "Rust target wasm32-unknown-unknown: installing"
        rustup target add wasm32-unknown-unknown
    fi

    if rustup component list --installed | grep -q '^rust-src'; then
        step "Rust component rust-src (std's source, for the size build): present"
    else
        step "Rust component rust-src (std's source, for the size build): installing"
        rustup component add rust-src
    fi

    if trunk --version 2>/dev/null | grep -q "trunk $want_trunk\."; then
        step "trunk: $(trunk --version) present"
    else
        step "trunk $want_trunk: installing with cargo (about 8 minutes on 2 cores)"
        cargo install trunk --version "^$want_trunk" --locked
    fi

    if wasm-bindgen --version 2>/dev/null | grep -q " $want_wasm_bindgen\b"; then
        step "wasm-bindgen-cli $want_wasm_bindgen: present"
    else
        step "wasm-bindgen-cli $want_wasm_bindgen: installing with cargo (about 4 minutes)"
        # Not --locked: one of its locked dependencies is missing from the registry.
        cargo install wasm-bindgen-cli --version "$want_wasm_bindgen"
    fi

    if wasm-opt --version 2>/dev/null | grep -q "version $want_binaryen\b"; then
        step "wasm-opt $want_binaryen: present"
    else
        # Debian's binaryen (108) miscompiles current Rust output; npm's binaryen runs on node.
        step "wasm-opt $want_binaryen: installing npm binaryen@$want_binaryen into .tools/"
        mkdir -p "$tools"
        npm install --prefix "$tools" --no-audit --no-fund --silent "binaryen@$want_binaryen"
    fi

    step "Fetching crates for offline Trunk builds"
    (cd "$root" && cargo fetch --locked)
}

# Runs a command that builds the release wasm, built for size: the bundle budget (issue 3) needs
# it. std is rebuilt from rust-src with its `optimize_for_size` feature; a panic aborts at once
# instead of formatting a message nobody sees (the page has no panic hook, and a panic ends it
# either way); panic locations and `{:?}` output are left out (the app prints no Debug text).
# These are unstable options of the same stable compiler, unlocked by RUSTC_BOOTSTRAP for this
# one build; the native builds, clippy and the tests use none of them.
size_build() {
    env RUSTC_BOOTSTRAP=1 \
        CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
        CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
        RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none ${EXTRA_RUSTFLAGS:-}" \
        "$@"
}

setup_browser() {
    if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
        step "Chromium and chromedriver: present"
    else
        step "Chromium and chromedriver: installing Debian packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
}
