"""How jixiao starts a headless Chromium (screenshots of reports, end-to-end tests): one list of flags."""

from __future__ import annotations

#: A sandbox-free, quiet Chromium that reaches no network on its own (no updates, sync or QUIC probes).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
