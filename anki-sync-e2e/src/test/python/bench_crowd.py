#!/usr/bin/env python3
"""Many users syncing at once, for the benchmark's workload P6.

usage: bench_crowd.py SPEC_JSON

SPEC: {"endpoint": URL, "folder": DIR, "users": [[name, password], ...],
       "notes": N, "syncs": K}. One device (collection) per user, each in its own
thread (backend calls release the GIL). Set-up: add N notes, log in, full
upload. Then the script prints "ready" and waits for a line on stdin: the
timed part starts. Every device does K times: answer 10 cards and edit 2
notes, then a normal sync (timed on its own). The last line printed is JSON:
{"wall": seconds, "latencies": [seconds, ...], "endpoints": [url, ...]}, the
endpoints being where each device syncs: with several nodes (P11) the devices
log in at the given endpoint and follow its 308 during the set-up, as the
desktop app does. Library output goes to stderr.
"""
import json
import os
import sys
import threading
import time

_out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr

from anki.collection import Collection  # noqa: E402
from anki.scheduler.v3 import CardAnswer  # noqa: E402
from anki.sync import SyncOutput  # noqa: E402


class CrowdDevice:
    def __init__(self, folder, name, password, endpoint, notes):
        os.makedirs(folder, exist_ok=True)
        self.col = Collection(os.path.join(folder, "collection.anki2"))
        col = self.col
        did = col.decks.id("Bench")
        conf = col.decks.config_dict_for_deck_id(did)
        conf["new"]["perDay"] = 9999
        col.decks.update_config(conf)
        col.decks.select(did)
        model = col.models.by_name("Basic")
        for n in range(notes):
            note = col.new_note(model)
            note["Front"] = f"{name} front {n}"
            note["Back"] = f"{name} back {n}"
            col.add_note(note, did)
        self.nids = sorted(col.find_notes(""))
        self.auth = col.sync_login(name, password, endpoint)
        self.auth.io_timeout_secs = 300
        out = col.sync_collection(self.auth, False)
        self.follow(out)
        if out.required not in (SyncOutput.NO_CHANGES, SyncOutput.NORMAL_SYNC):
            col.close_for_full_sync()
            try:
                col.full_upload_or_download(auth=self.auth, server_usn=None, upload=True)
            finally:
                col.reopen(after_full_sync=True)
        self.edits = 0

    def follow(self, out):
        """Keeps the address a 308 on meta gave (another node), as the desktop app does."""
        if out.new_endpoint:
            self.auth.endpoint = out.new_endpoint

    def change(self):
        col = self.col
        for _ in range(10):
            queued = col.sched.get_queued_cards(fetch_limit=1)
            if not queued.cards:
                break
            top = queued.cards[0]
            card = col.get_card(top.card.id)
            card.start_timer()
            col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD))
        for _ in range(2):
            note = col.get_note(self.nids[self.edits % len(self.nids)])
            note["Back"] = note["Back"] + " (edited)"
            col.update_note(note)
            self.edits += 1

    def sync(self):
        out = self.col.sync_collection(self.auth, False)
        self.follow(out)
        if out.required not in (SyncOutput.NO_CHANGES, SyncOutput.NORMAL_SYNC):
            raise RuntimeError(f"expected a normal sync, got {out.required}")


def run_all(target, items):
    errors = []

    def wrap(item):
        try:
            target(item)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def main():
    spec = json.loads(sys.argv[1])
    devices = [None] * len(spec["users"])

    def setup(i):
        name, password = spec["users"][i]
        devices[i] = CrowdDevice(os.path.join(spec["folder"], name), name, password, spec["endpoint"], spec["notes"])

    run_all(setup, range(len(devices)))
    _out.write("ready\n")
    sys.stdin.readline()

    latencies = []
    lock = threading.Lock()

    def work(device):
        for _ in range(spec["syncs"]):
            device.change()
            t0 = time.perf_counter()
            device.sync()
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)

    start = time.perf_counter()
    run_all(work, devices)
    wall = time.perf_counter() - start
    for device in devices:
        device.col.close()
    endpoints = [device.auth.endpoint for device in devices]
    _out.write(json.dumps({"wall": wall, "latencies": latencies, "endpoints": endpoints}) + "\n")


if __name__ == "__main__":
    main()
