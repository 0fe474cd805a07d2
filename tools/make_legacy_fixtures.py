#!/usr/bin/env python3
"""Writes the fixtures of the legacy (protocol v8-10, schema 11) support.

Run once with the project's pinned `anki` package (26.9.3), from the
repository root:

    anki-sync-e2e/target/anki-venv/bin/python tools/make_legacy_fixtures.py

The Java tests only read what is written here; they never need Python for it.

1. Schema 11 conversions, checked against the official library, in
   anki-sync-core/src/test/resources/org/ankisync/core/storage/schema11/:

   * input-schema18.anki2: a schema-18 collection with varied content (the
     rich-collection fixture of the schema-18 tests, plus notes, tags, reviews,
     a deleted note and config values of every JSON type), as the official
     library leaves it after opening and closing;
   * official-downgraded.anki2: the same file after the official
     `Collection.close(downgrade=True)` (schema 11);
   * official-upgraded.anki2: official-downgraded.anki2 opened by the official
     library again, i.e. upgraded back to 18 (as the official server does with a
     legacy client's upload).

2. Recorded legacy requests, in anki-sync-e2e/src/test/resources/legacy/<flavour>/:
   one file per request, NN-<method>.bin, holding the exact multipart body a
   legacy client sends (written as anki/sync.py's HttpSyncer.req wrote it),
   and steps.json describing each request (path, content type) and the
   expected reply, field by field. Flavour `gzip` compresses every payload
   (c=1, desktop and AnkiMobile); flavour `plain` sends c=0 and omits `data`
   on download (AnkiDroid). The session is: hostKey, meta (also the two
   refusals of old versions), a full upload of a schema-11 file, a normal sync
   that deletes a note with graves inline in `start` (IDs as strings in the
   gzip flavour, as old AnkiMobile sends them) and adds one in `applyChunk`,
   then a full download, abort, and a few refusals.
"""
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile

from anki.collection import Collection

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
CORE_RES = os.path.join(ROOT, "anki-sync-core", "src", "test", "resources", "org", "ankisync", "core", "storage")
RICH = os.path.join(CORE_RES, "schema18", "rich-collection.anki2")
SCHEMA11_OUT = os.path.join(CORE_RES, "schema11")
E2E_OUT = os.path.join(ROOT, "anki-sync-e2e", "src", "test", "resources", "legacy")

# The e2e harness's first user (TestUsers.ALICE); the official host key is sha1("user:password").
USER, PASSWORD = "alice", "alice-secret"
HKEY = hashlib.sha1(f"{USER}:{PASSWORD}".encode()).hexdigest()
SESSION = "lgcy01"
BOUNDARY = b"Anki-sync-boundary"


def enrich(col: Collection) -> None:
    basic = col.models.by_name("Basic")
    deck = col.decks.id("Legacy::Sub deck")
    for n in range(12):
        note = col.new_note(basic)
        note["Front"] = f"front {n} <b>bold</b> &amp; caf\u00e9"
        note["Back"] = f"back {n}"
        note.tags = ["legacy", "nested::tag::x", f"n{n % 3}", "Unicod\u00e9"]
        col.add_note(note, deck)
    # Reviews (revlog, scheduling), a deleted note (graves), a collapsed tag.
    col.decks.select(deck)
    from anki.scheduler.v3 import CardAnswer
    for _ in range(3):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        top = queued.cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD))
    victim = col.find_notes("tag:n2")[0]
    col.remove_notes([victim])
    col.tags.set_collapsed("nested", collapsed=False)
    col.set_config("legacyFixtureString", "a \"quoted\" \u00e9 string")
    col.set_config("legacyFixtureFloat", 0.9)
    col.set_config("legacyFixtureObject", {"b": [1, 2, {"c": None}], "a": True})
    col.set_config("legacyFixtureNull", None)


def open_close(path: str, downgrade: bool = False) -> None:
    col = Collection(path)
    col.close(downgrade=downgrade)


def make_schema11_fixtures() -> str:
    os.makedirs(SCHEMA11_OUT, exist_ok=True)
    work = tempfile.mkdtemp()
    src = os.path.join(work, "input.anki2")
    shutil.copy(RICH, src)
    col = Collection(src)
    enrich(col)
    col.close()
    # Once more, so that whatever the library adds on open is already there.
    open_close(src)
    shutil.copy(src, os.path.join(SCHEMA11_OUT, "input-schema18.anki2"))

    down = os.path.join(work, "down.anki2")
    shutil.copy(src, down)
    open_close(down, downgrade=True)
    shutil.copy(down, os.path.join(SCHEMA11_OUT, "official-downgraded.anki2"))

    up = os.path.join(work, "up.anki2")
    shutil.copy(down, up)
    open_close(up)
    shutil.copy(up, os.path.join(SCHEMA11_OUT, "official-upgraded.anki2"))
    return down


# ---------------------------------------------------------------- requests

def multipart(fields, data, compress):
    """The body anki/sync.py (2.1.x) wrote: the vars, then data as a file part."""
    bdry = b"--" + BOUNDARY
    out = bytearray()
    fields = dict(fields)
    fields["c"] = 1 if compress else 0
    for key, value in fields.items():
        out += bdry + b"\r\n"
        out += f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    if data is not None:
        out += bdry + b"\r\n"
        out += (b'Content-Disposition: form-data; name="data"; filename="data"\r\n'
                b"Content-Type: application/octet-stream\r\n\r\n")
        out += gzip.compress(data, mtime=0) if compress else data
        out += b"\r\n"
    out += bdry + b"--\r\n"
    return bytes(out)


CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY.decode()


def js(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def upload_file(down: str, work: str) -> tuple:
    """The official schema-11 file as a legacy client uploads it: usns settled, col.usn bumped."""
    path = os.path.join(work, "upload.anki2")
    shutil.copy(down, path)
    db = sqlite3.connect(path)
    db.execute("update col set usn = 1")
    db.commit()
    row = db.execute("select mod, scm, usn, models, decks, dconf from col").fetchone()
    counts = {
        "cards": db.execute("select count() from cards").fetchone()[0],
        "notes": db.execute("select count() from notes").fetchone()[0],
        "revlog": db.execute("select count() from revlog").fetchone()[0],
        "models": len(json.loads(row[3])),
        "decks": len(json.loads(row[4])),
        "dconf": len(json.loads(row[5])),
    }
    basic = next(m for m in json.loads(row[3]).values() if m["name"] == "Basic")
    nid, cid = db.execute("select n.id, c.id from notes n join cards c on c.nid = n.id "
                          "where n.mid = ? order by n.id limit 1", (basic["id"],)).fetchone()
    db.close()
    with open(path, "rb") as fh:
        data = fh.read()
    return data, {"mod": row[0], "scm": row[1], "usn": row[2]}, counts, basic["id"], nid, cid


def session_steps(flavour, upload, state, counts, basic_id, victim_nid, victim_cid):
    compress = flavour == "gzip"
    k = {"k": HKEY}
    ks = {"k": HKEY, "s": SESSION}
    new_nid, new_cid = 1700000000001, 1700000000002
    strings = compress  # old AnkiMobile sent grave ids as strings
    graves = {"cards": [str(victim_cid) if strings else victim_cid],
              "notes": [str(victim_nid) if strings else victim_nid], "decks": []}
    note = [new_nid, "legacyGuid", basic_id, 1700000000, 0, " legacy ", "legacy front\x1flegacy back", "", 0, 0, ""]
    card = [new_cid, new_nid, 1, 0, 1700000000, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, ""]
    client_counts = [[0, 0, 0], counts["cards"], counts["notes"], counts["revlog"], 0, counts["models"],
                     counts["decks"], counts["dconf"]]
    meta_ok = {"mod": state["mod"], "scm": state["scm"], "usn": state["usn"], "ts": "$now_secs", "msg": "",
               "cont": True, "hostNum": 0, "empty": False, "media_usn": 0}
    steps = [
        ("hostKey", {}, {"u": USER, "p": PASSWORD}, {"status": 200, "json": {"key": "$key"}}),
        ("meta", k, {"v": 10, "cv": "ankidroid,2.15.6,legacy-fixture"},
         {"status": 200, "json": {"mod": 0, "scm": "$int", "usn": 0, "ts": "$now_secs", "msg": "", "cont": True,
                                  "hostNum": 0, "empty": True, "media_usn": 0}}),
        ("upload", k, upload, {"status": 200, "text": "OK"}),
        ("meta", k, {"v": 10, "cv": "anki,2.1.49 (aaaaaaaa),lin:legacy-fixture"},
         {"status": 200, "json": meta_ok}),
        # The uploaded collection uses the v2 scheduler (schedVer 2) and has a creationOffset.
        ("meta", k, {"v": 8, "cv": "anki,2.1.14,legacy-fixture"},
         {"status": 200, "json": dict(meta_ok, msg="Your client does not support the v2 scheduler",
                                      cont=False)}),
        ("meta", k, {"v": 9, "cv": "anki,2.1.24,legacy-fixture"},
         {"status": 200, "json": dict(meta_ok, msg="Your client does not support the new timezone handling.",
                                      cont=False)}),
        ("meta", k, {"v": 7, "cv": "anki,2.0.52,legacy-fixture"}, {"status": 501}),
        ("start", k, {"minUsn": state["usn"], "lnewer": True, "graves": graves}, {"status": 400}),
        ("start", ks, {"minUsn": state["usn"], "lnewer": True, "graves": graves},
         {"status": 200, "json": {"cards": [], "decks": [], "notes": []}}),
        ("applyGraves", ks, {"chunk": {"cards": [], "notes": [], "decks": []}}, {"status": 200, "json": None}),
        ("applyChanges", ks, {"changes": {"models": [], "decks": [[], []], "tags": ["legacy"]}},
         {"status": 200, "json": {"models": [], "decks": [[], []], "tags": []}}),
        ("chunk", ks, {}, {"status": 200, "json": {"done": True}}),
        ("applyChunk", ks, {"chunk": {"done": True, "notes": [note], "cards": [card], "revlog": []}},
         {"status": 200, "json": None}),
        ("sanityCheck2", ks, {"client": client_counts},
         {"status": 200, "json": {"status": "ok", "c": client_counts, "s": client_counts}}),
        ("finish", ks, {}, {"status": 200, "json": "$now_millis"}),
        ("chunk", ks, {}, {"status": 409}),
        ("download", k, None if not compress else {},
         {"status": 200, "collection": {"ver": 11, "usn": state["usn"] + 2, "notes": counts["notes"],
                                        "cards": counts["cards"], "has_note": new_nid,
                                        "lacks_note": victim_nid, "journal_mode": "delete"}}),
        ("abort", k, {}, {"status": 200, "json": None}),
        ("meta", {"k": "not-a-key"}, {"v": 10, "cv": "legacy-fixture"}, {"status": 403}),
    ]
    out = []
    for i, (method, fields, payload, expect) in enumerate(steps, 1):
        if payload is None:
            data = None
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = js(payload)
        name = f"{i:02d}-{method}.bin"
        body = multipart(fields, data, compress)
        out.append({"file": name, "path": "sync/" + method, "contentType": CONTENT_TYPE, "expect": expect,
                    "body": body})
    return out


def write_requests(down: str) -> None:
    work = tempfile.mkdtemp()
    upload, state, counts, basic_id, nid, cid = upload_file(down, work)
    for flavour in ("gzip", "plain"):
        folder = os.path.join(E2E_OUT, flavour)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        steps = session_steps(flavour, upload, state, counts, basic_id, nid, cid)
        for step in steps:
            with open(os.path.join(folder, step["file"]), "wb") as fh:
                fh.write(step.pop("body"))
        with open(os.path.join(folder, "steps.json"), "w", encoding="utf-8") as fh:
            json.dump({"user": USER, "steps": steps}, fh, indent=1)
            fh.write("\n")


def main() -> int:
    down = make_schema11_fixtures()
    write_requests(down)
    return 0


if __name__ == "__main__":
    sys.exit(main())
