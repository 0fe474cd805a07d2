#!/usr/bin/env python3
"""Creates a virtual environment with pinned test tools (no official client).

usage: ensure_tools_venv.py VENV_DIR REQUIREMENT [REQUIREMENT...]

Used for the S3 test server (moto) and the offline Kubernetes manifest check
(kubernetes-validate). Idempotent like ensure_venv.py: a marker file records the
requirements that were installed, so a second build does nothing and a changed
pin reinstalls.
"""
import os
import subprocess
import sys
import venv


def main() -> int:
    target, requirements = sys.argv[1], sys.argv[2:]
    wanted = " ".join(requirements)
    marker = os.path.join(target, "installed-requirement.txt")
    if os.path.exists(marker) and open(marker).read().strip() == wanted:
        return 0
    print(f"creating {target} with {wanted}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = os.path.join(target, "bin", "python")
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *requirements])
    with open(marker, "w") as fh:
        fh.write(wanted + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
