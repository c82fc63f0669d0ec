#!/usr/bin/env bash
# Set up and run the main job: score and audit the seed form (the web application lands here later).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh all
.venv/bin/jixiao score examples/qiannan-2022.json --profile seed-qiannan-2022
.venv/bin/jixiao audit examples/qiannan-2022.json --profile seed-qiannan-2022 || true
