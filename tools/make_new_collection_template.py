#!/usr/bin/env python3
"""Regenerates anki-sync-core's template for a brand-new user's collection.

The official server creates a new user's collection with the same code as a
client (six stock notetypes, the Default deck and deck options, the default
config), except that a server stores `creationOffset: null`. The stock
notetypes' CSS and templates are long strings that clients depend on, so the
template is produced by the official library itself (run with the project's
pinned `anki` package) instead of being retyped:

    anki-sync-e2e/target/anki-venv/bin/python tools/make_new_collection_template.py

The server personalises each copy when it creates a collection (`crt`, `scm`,
notetype ids), see NewCollectionFactory.
"""
import os
import sqlite3
import sys
import tempfile

from anki.collection import Collection

TARGET = os.path.join(os.path.dirname(__file__), "..", "anki-sync-core", "src", "main",
                      "resources", "org", "ankisync", "core", "storage", "new-collection.anki2")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "collection.anki2")
        col = Collection(path)
        col.close()
        db = sqlite3.connect(path)
        db.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
        # A server collection has no creation offset (legacy-json.md section 5.1).
        db.execute("update config set val = cast('null' as blob) where key = 'creationOffset'")
        db.commit()
        db.execute("pragma journal_mode = delete")
        db.execute("vacuum")
        db.close()
        os.makedirs(os.path.dirname(TARGET), exist_ok=True)
        with open(path, "rb") as src, open(TARGET, "wb") as dst:
            dst.write(src.read())
    print("wrote", os.path.normpath(TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
