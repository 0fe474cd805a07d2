#!/usr/bin/env python3
"""One simulated Anki device, driven by a JUnit test over stdin/stdout.

The test writes one JSON request per line, {"cmd": NAME, ...arguments}, and
reads one JSON reply per line: {"ok": true, "result": ...} or {"ok": false,
"error": CLASS, "kind": SYNC_ERROR_KIND, "message": TEXT}. Everything the
official library prints goes to stderr, so stdout carries only replies.

The device is a collection in its own folder, synced with the official client
from the pinned `anki` package (see ensure_venv.py). Commands follow
docs/protocol/reference-client.md.
"""
import base64
import hashlib
import json
import os
import sys
import time
import traceback

# Keep the protocol channel clean: replies go to the original stdout only.
_replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr

from anki.collection import Collection  # noqa: E402
from anki.errors import SyncError  # noqa: E402
from anki.sync import SyncAuth, SyncOutput  # noqa: E402

REQUIRED = {
    SyncOutput.NO_CHANGES: "no_changes",
    SyncOutput.NORMAL_SYNC: "normal_sync",
    SyncOutput.FULL_SYNC: "full_sync",
    SyncOutput.FULL_DOWNLOAD: "full_download",
    SyncOutput.FULL_UPLOAD: "full_upload",
}


class Device:
    def __init__(self):
        self.col = None
        self.auth = None

    # --- lifecycle -------------------------------------------------------
    def cmd_open(self, folder):
        os.makedirs(folder, exist_ok=True)
        self.col = Collection(os.path.join(folder, "collection.anki2"))
        return {"path": self.col.path}

    def cmd_close(self):
        if self.col is not None:
            self.wait_for_media()
            self.col.close()
            self.col = None
        return None

    def cmd_reopen(self):
        self.col.close()
        self.col.reopen()
        return None

    # --- content ---------------------------------------------------------
    def cmd_add_deck(self, name):
        return int(self.col.decks.id(name))

    def cmd_add_notes(self, count, deck="Default", notetype="Basic", fields=None, tags=()):
        """Adds `count` notes; field i of note n is fields[i] with %d replaced by n, or '<deck> <field> <n>'.

        Values are deterministic, so the same steps on two servers give comparable content."""
        did = self.col.decks.id(deck)
        model = self.col.models.by_name(notetype)
        if model is None:
            raise ValueError(f"no notetype {notetype!r}")
        notes = []
        for n in range(count):
            note = self.col.new_note(model)
            for i, name in enumerate(note.keys()):
                template = fields[i] if fields and i < len(fields) else f"{deck} {name} %d"
                note[name] = template.replace("%d", str(n))
            note.tags = list(tags)
            notes.append(note)
        if count > 100:
            # One backend call: much faster for large collections.
            from anki.collection import AddNoteRequest
            before = set(self.col.find_notes(""))
            self.col.add_notes([AddNoteRequest(note=note, deck_id=did) for note in notes])
            return sorted(set(self.col.find_notes("")) - before)
        for note in notes:
            self.col.add_note(note, did)
        return [note.id for note in notes]

    def cmd_edit_notes(self, nids, field_index=0, suffix=" (edited)"):
        for nid in nids:
            note = self.col.get_note(nid)
            key = note.keys()[field_index]
            note[key] = note[key] + suffix
            self.col.update_note(note)
        return None

    def cmd_delete_notes(self, nids):
        self.col.remove_notes(nids)
        return None

    def cmd_review(self, count, deck=None, rating=3):
        """Answers up to `count` due cards (rating 1-4) and returns their ids."""
        from anki.scheduler.v3 import CardAnswer
        ratings = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}
        if deck is not None:
            self.col.decks.select(self.col.decks.id(deck))
        reviewed = []
        for _ in range(count):
            queued = self.col.sched.get_queued_cards(fetch_limit=1)
            if not queued.cards:
                break
            top = queued.cards[0]
            card = self.col.get_card(top.card.id)
            card.start_timer()
            answer = self.col.sched.build_answer(card=card, states=top.states, rating=ratings[rating])
            self.col.sched.answer_card(answer)
            reviewed.append(card.id)
        return reviewed

    def cmd_add_media(self, files):
        """files: [{"name": ..., "base64": ...}] or [{"name": ..., "size": n, "seed": s}]."""
        stored = []
        for f in files:
            if "base64" in f:
                data = base64.b64decode(f["base64"])
            else:
                data = _pseudo_random_bytes(f["size"], f.get("seed", f["name"]))
            stored.append(self.col.media.write_data(f["name"], data))
        return stored

    def cmd_trash_media(self, names):
        self.col.media.trash_files(names)
        return None

    def cmd_replace_media(self, files):
        """Overwrites existing media files in place (temp file + rename), as an editor would.

        files: [{"name": ..., "base64": ...}] or [{"name": ..., "size": n, "seed": s}]."""
        media_dir = self.col.media.dir()
        for f in files:
            data = base64.b64decode(f["base64"]) if "base64" in f else _pseudo_random_bytes(f["size"], f["seed"])
            tmp = os.path.join(media_dir, ".replace.tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, os.path.join(media_dir, f["name"]))
        return None

    def cmd_media_state(self):
        """The client's media sync state from collection.media.db2: lastUsn and files with a checksum."""
        import sqlite3
        path = os.path.join(os.path.dirname(self.col.path), "collection.media.db2")
        if not os.path.exists(path):
            return {"last_usn": 0, "files": 0, "pending": 0}
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            last_usn = db.execute("select lastUsn from meta").fetchone()[0]
            files = db.execute("select count(*) from media where csum is not null").fetchone()[0]
            pending = db.execute("select count(*) from media where dirty = 1").fetchone()[0]
        finally:
            db.close()
        return {"last_usn": last_usn, "files": files, "pending": pending}

    def cmd_run(self, code):
        """Runs Python with `col` in scope; returns the value bound to `result`."""
        scope = {"col": self.col, "device": self}
        exec(code, scope)
        return scope.get("result")

    def cmd_counts(self):
        q = self.col.db.scalar
        return {"notes": q("select count() from notes"), "cards": q("select count() from cards"),
                "revlog": q("select count() from revlog"), "graves": q("select count() from graves")}

    def cmd_state(self):
        mod, scm, usn, ls = self.col.db.first("select mod, scm, usn, ls from col")
        return {"mod": mod, "scm": scm, "usn": usn, "ls": ls}

    def cmd_dump(self, media=True):
        return content(self.col, media)

    def cmd_summary(self):
        return summary(self.col)

    # --- sync ------------------------------------------------------------
    def cmd_login(self, endpoint, user, password):
        self.auth = self.col.sync_login(user, password, endpoint)
        self.auth.io_timeout_secs = 120
        return {"hkey": self.auth.hkey}

    def cmd_set_auth(self, endpoint, hkey):
        self.auth = SyncAuth(hkey=hkey, endpoint=endpoint)
        self.auth.io_timeout_secs = 120
        return None

    def cmd_endpoint(self):
        """The endpoint later syncs use: the login's, or the one a 308 on meta gave (new_endpoint)."""
        return self.auth.endpoint

    def cmd_sync_status(self):
        return REQUIRED[self.col.sync_status(self.auth).required]

    def cmd_sync(self, media=False, on_conflict=None, full=True):
        """One sync as the desktop app does it; a required full sync runs if `full` (direction: on_conflict)."""
        out = self.col.sync_collection(self.auth, media)
        if out.new_endpoint:
            self.auth.endpoint = out.new_endpoint
        required = REQUIRED[out.required]
        reply = {"required": required, "server_message": out.server_message,
                 "server_media_usn": out.server_media_usn, "performed": "none_or_normal"}
        if out.required in (SyncOutput.NO_CHANGES, SyncOutput.NORMAL_SYNC) or not full:
            if media and out.required == SyncOutput.NO_CHANGES:
                self.wait_for_media()
            return reply
        if out.required == SyncOutput.FULL_UPLOAD:
            upload = True
        elif out.required == SyncOutput.FULL_DOWNLOAD:
            upload = False
        elif on_conflict in ("upload", "download"):
            upload = on_conflict == "upload"
        else:
            return reply
        self.full_sync(upload, out.server_media_usn if media else None)
        reply["performed"] = "full_upload" if upload else "full_download"
        return reply

    def cmd_full_sync(self, upload, media=False):
        self.full_sync(upload, None)
        if media:
            self.cmd_sync_media()
        return None

    def full_sync(self, upload, media_usn):
        self.col.close_for_full_sync()
        try:
            self.col.full_upload_or_download(auth=self.auth, server_usn=media_usn, upload=upload)
        finally:
            self.col.reopen(after_full_sync=True)
        if media_usn is not None:
            self.wait_for_media()

    def cmd_sync_media(self):
        self.wait_for_media()
        self.col.sync_media(self.auth)
        self.wait_for_media()
        return None

    def wait_for_media(self, timeout=600.0):
        deadline = time.monotonic() + timeout
        while True:
            status = self.col.media_sync_status()   # raises the background error once
            if not status.active:
                return
            if time.monotonic() > deadline:
                self.col.abort_media_sync()
                raise TimeoutError("media sync still running")
            time.sleep(0.05)


def _pseudo_random_bytes(size, seed):
    out = bytearray()
    block = hashlib.sha256(str(seed).encode()).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def _without(d, *keys):
    return {k: v for k, v in d.items() if k not in keys}


def content(col, with_media=True):
    """What a user would call the content of a device (reference-client.md 2.11)."""
    q = col.db.all
    note_tags = set()
    for (tag_string,) in q("select tags from notes"):
        note_tags.update(tag_string.split())
    media = {}
    if with_media:
        media_dir = col.media.dir()
        for name in sorted(os.listdir(media_dir)):
            path = os.path.join(media_dir, name)
            if os.path.isfile(path) and os.path.getsize(path) > 0:
                with open(path, "rb") as fh:
                    media[name] = hashlib.sha1(fh.read()).hexdigest()
    return {
        "crt": col.db.scalar("select crt from col"),
        "notes": q("select id, guid, mid, mod, tags, flds, flags, data from notes order by id"),
        "cards": q("select id, nid, did, ord, mod, type, queue, due, ivl, factor,"
                   " reps, lapses, left, odue, odid, flags, data from cards order by id"),
        "revlog": q("select id, cid, ease, ivl, lastIvl, factor, time, type from revlog order by id"),
        "decks": sorted((_without(d, "usn") for d in col.decks.all()), key=lambda d: d["id"]),
        "notetypes": sorted((_without(m, "usn") for m in col.models.all()), key=lambda m: m["id"]),
        "deck_configs": sorted((_without(c, "usn") for c in col.decks.all_config()), key=lambda c: c["id"]),
        "config": col.all_config(),
        "tags_on_notes": sorted(note_tags),
        "media": media,
    }


def summary(col):
    """Content without ids and timestamps, so runs on different servers can be compared."""
    q = col.db.all
    notetype_names = {m["id"]: m["name"] for m in col.models.all()}
    deck_names = {d["id"]: d["name"] for d in col.decks.all()}
    notes = {nid: (flds, tags, notetype_names.get(mid)) for nid, flds, tags, mid
             in q("select id, flds, tags, mid from notes")}
    revlog = {}
    for (cid,) in q("select cid from revlog"):
        revlog[cid] = revlog.get(cid, 0) + 1
    cards = sorted([notes[nid][0], ord_, deck_names.get(did), ctype, queue, reps, lapses, revlog.get(cid, 0)]
                   for cid, nid, ord_, did, ctype, queue, reps, lapses
                   in q("select id, nid, ord, did, type, queue, reps, lapses from cards"))
    presets = {c["id"]: c["name"] for c in col.decks.all_config()}
    return {
        "notes": sorted([flds, " ".join(sorted(tags.split())), nt] for flds, tags, nt in notes.values()),
        "cards": cards,
        "revlog_entries": sum(revlog.values()),
        "decks": sorted([d["name"], presets.get(d.get("conf")), d.get("dyn", 0)] for d in col.decks.all()),
        "notetypes": sorted([m["name"], [f["name"] for f in m["flds"]], [t["name"] for t in m["tmpls"]],
                             m.get("css")] for m in col.models.all()),
        "deck_configs": sorted([c["name"], c["new"]["perDay"], c["rev"]["perDay"]]
                               for c in col.decks.all_config()),
        "tags_on_notes": sorted({t for (s,) in q("select tags from notes") for t in s.split()}),
        "graves": col.db.scalar("select count() from graves"),
    }


def _error_reply(exc):
    kind = getattr(exc, "kind", None)
    return {"ok": False, "error": type(exc).__name__,
            "kind": kind.name if kind is not None and hasattr(kind, "name") else None,
            "message": str(exc), "trace": traceback.format_exc()}


def main():
    device = Device()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        name = request.pop("cmd")
        try:
            result = getattr(device, "cmd_" + name)(**request)
            reply = {"ok": True, "result": result}
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the test
            reply = _error_reply(exc)
        _replies.write(json.dumps(reply, default=str) + "\n")
        if name == "close" and reply["ok"]:
            break


if __name__ == "__main__":
    main()
