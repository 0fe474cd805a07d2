#!/usr/bin/env python3
"""Creates the end-to-end tests' virtual environment with the pinned official client.

usage: ensure_venv.py VENV_DIR REQUIREMENT

Idempotent: a marker file records the requirement that was installed, so a
second build does nothing and a changed pin reinstalls.
"""
import os
import subprocess
import sys
import venv


def main() -> int:
    target, requirement = sys.argv[1], sys.argv[2]
    marker = os.path.join(target, "installed-requirement.txt")
    if os.path.exists(marker) and open(marker).read().strip() == requirement:
        return 0
    if sys.version_info < (3, 10):
        print("the official anki package needs Python 3.10 or later", file=sys.stderr)
        return 1
    print(f"creating {target} with {requirement}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = os.path.join(target, "bin", "python")
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           requirement])
    subprocess.check_call([python, "-c", "import anki.collection"])
    with open(marker, "w") as fh:
        fh.write(requirement + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
