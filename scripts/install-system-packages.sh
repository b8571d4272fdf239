#!/usr/bin/env bash
# System packages the platform needs, shared by the Makefile (dev machines, CI) and the Dockerfile
# so the two cannot drift apart. Usage: install-system-packages.sh [runtime|demo|dev]
#   runtime: what the image runs with (apt lists removed after);  demo: the same on a machine,
#   all `make demo` needs;  dev: plus the services and tools of the test suite.
set -euo pipefail
profile="${1:-dev}"

runtime=(
  tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng  # OCR with the Spanish model
  poppler-utils                                      # pdftoppm / pdfinfo for scanned PDFs
  fonts-dejavu-core fonts-liberation2                # fonts the invoice generator draws with
  libgomp1 ca-certificates curl
)
dev=(
  mariadb-server mariadb-client                      # the project's MySQL in tests
  chromium                                           # browser tests; prints the HTML invoice templates
  git make
)

packages=("${runtime[@]}")
if [ "$profile" = "dev" ]; then packages+=("${dev[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ "$profile" = "runtime" ]; then $SUDO rm -rf /var/lib/apt/lists/*; fi
