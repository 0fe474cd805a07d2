#!/usr/bin/env python3
"""Creates the end-to-end tests' virtual environment with the pinned official client.

usage: ensure_venv.py VENV_DIR REQUIREMENT [REQUIREMENT...]

The first requirement is the official client; the others are test tools (the
name fuzzer's Hypothesis). Idempotent: a marker file records the requirements
that were installed, so a second build does nothing and a changed pin reinstalls.
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
    if sys.version_info < (3, 10):
        print("the official anki package needs Python 3.10 or later", file=sys.stderr)
        return 1
    print(f"creating {target} with {wanted}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = os.path.join(target, "bin", "python")
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *requirements])
    subprocess.check_call([python, "-c", "import anki.collection"])
    with open(marker, "w") as fh:
        fh.write(wanted + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
