# Sourced by the benchmark scripts from the repository root: needs hyperfine, builds the
# dist binary ($bin), makes a scratch folder ($work) removed on exit, and fixes the date and
# the git identity so every run does the same work.
command -v hyperfine >/dev/null 2>&1 || {
  echo "hyperfine is needed: apt-get install hyperfine" >&2
  exit 2
}
cargo build --profile dist --quiet
# A separate CARGO_TARGET_DIR keeps the slow dist build from locking the debug one.
bin="${CARGO_TARGET_DIR:-$PWD/target}/dist/dpc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1735603200 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
