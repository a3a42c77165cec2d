# Sourced by the CI scripts from the repository root: installs what a step needs on a clean
# machine (Debian packages through apt-get, Python packages into a virtual environment under
# the cargo target folder), so every script stays self-sufficient without repeating it.

apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "cannot install $*: no apt-get" >&2
    return 1
  fi
}

# A JRE for local Spark, when `java` is missing.
need_java() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
  java -version 2>&1 | sed -n 1p
}

# make_venv DIR: a Python virtual environment at DIR (python3-venv installed when missing).
make_venv() {
  if [ ! -x "$1/bin/python" ]; then
    python3 -m venv "$1" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$1"; }
  fi
}
