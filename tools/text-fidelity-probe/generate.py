#!/usr/bin/env python3
"""Records what the pinned Rust crates do, as data files the server and its tests use.

usage: python3 tools/text-fidelity-probe/generate.py   (from the repository root; needs cargo)

Writes, under anki-sync-core:
  src/main/resources/.../storage/unicase-2.6.0-folds.tsv      every non-identity fold of unicase 2.6.0
  src/main/resources/.../storage/htmlescape-0.3.1-entities.tsv the named entities htmlescape 0.3.1 decodes
  src/test/resources/.../storage/unicase-hard-pairs.tsv       hex(a) hex(b) cmp, for every pair of HARD_NAMES
  src/test/resources/.../storage/htmlescape-cases.tsv          hex(input) hex(output)|ERR, for ENTITY_CASES
The core's tests compare the Java implementation with these files on every
build, and with the crates themselves (through the probe) when cargo is present.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAIN = os.path.join(ROOT, "anki-sync-core/src/main/resources/org/ankisync/core/storage")
TEST = os.path.join(ROOT, "anki-sync-core/src/test/resources/org/ankisync/core/storage")

# Names whose folding is hard: Turkish i, sharp s, final sigma, ligatures and
# three-character folds (2.6.0's order quirk), Cherokee (folds to upper case),
# Kelvin/Angstrom signs, combining marks and NFD, Deseret/Adlam (supplementary),
# prefixes, separators and ASCII edge cases.
HARD_NAMES = [
    "", "a", "A", "ab", "aB", "abc", "b", "z", "_", "~", "::", "a::b", "A::B", "a\x1fb",
    "ılık", "ilik", "ILIK", "İLİK", "İlik", "ıi", "Iı", "i\u0307lik",
    "ß", "ss", "SS", "ẞ", "Maße", "MASSE", "masse", "straße", "STRASSE", "Strasse",
    "ς", "σ", "Σ", "στιγμας", "στιγμασ", "ΣΤΙΓΜΑΣ",
    "ﬀ", "ff", "FF", "ﬁ", "fi", "ﬂ", "fl", "ﬃ", "ffi", "iff", "ﬄ", "ffl", "lff", "ﬅ", "ﬆ", "st",
    "ΐ", "ΐ", "ΰ", "ὒ", "ᾲ", "ὰι", "ᾼ", "αι", "ŉ", "ʼn",
    "Ꭰ", "ꭰ", "ᏸ", "Ᏸ", "Ꮳ", "ꮳ",
    "K", "k", "\u212a", "Å", "å", "\u212b", "µ", "μ", "Μ",
    "é", "e\u0301", "É", "E\u0301", "ñ", "n\u0303",
    "\U00010400", "\U00010428", "\U0001E900", "\U0001E922", "\U0001F600", "\uff21", "\uff41",
    "ǅ", "ǆ", "Ǆ", "ϐ", "β", "ϑ", "θ", "ẛ", "ṡ", "ſ", "s",
    "Ա", "ա", "և", "եւ", "ﬓ", "մն",
    "\u0130", "\u0131", "I", "i",
    "Deck", "deck", "DECK", "Deck+", "deck+", "Default", "default",
]

ENTITY_CASES = [
    "", "plain", "&", "a & b", "&amp;", "&AMP;", "&amp", "&amp;&lt;&gt;&quot;", "&apos;", "&#39;", "&#x27;",
    "&#X27;", "&#;", "&#x;", "&;", "&nbsp;", "x&nbsp;y", "\u00a0&amp;", "\u00a0", "&eacute;&Eacute;&hellip;",
    "&euro;&trade;&copy;&reg;&deg;&micro;&para;&sect;", "&alefsym;&thetasym;&upsih;&piv;&weierp;",
    "&#233;", "&#0233;", "&#x1F600;", "&#x1f600;", "&#128512;", "&#xD800;", "&#55296;", "&#x110000;",
    "&#1114111;", "&#1114112;", "&#4294967295;", "&#4294967296;", "&#99999999999999999999;", "&#0;",
    "&#x0;", "&#-1;", "&#+1;", "&# 1;", "&#1 ;", "&#x12g;", "&#१२;", "&#x１２;", "&unknown;",
    "&amp;unknown", "&a&amp;", "a &amp; b &c", "&lt;b&gt;bold&lt;/b&gt;", "&&amp;;", "&amp;amp;",
    "tom &amp; jerry&#33;", "&Alpha;&alpha;&OElig;&oelig;&Scaron;&scaron;&Yuml;&fnof;&circ;&tilde;",
    "&ensp;&emsp;&thinsp;&zwnj;&zwj;&lrm;&rlm;&ndash;&mdash;&lsquo;&rsquo;&sbquo;&ldquo;&rdquo;",
    "&lang;&rang;&loz;&spades;&clubs;&hearts;&diams;", "&lArr;&uArr;&rArr;&dArr;&hArr;",
    "ends with &", "ends with &am", "&#", "&#x", "&#12",
]


def probe():
    manifest = os.path.join(HERE, "Cargo.toml")
    subprocess.check_call(["cargo", "build", "--quiet", "--release", "--manifest-path", manifest])
    return os.path.join(HERE, "target/release/text-fidelity-probe")


def entity_source():
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--manifest-path", os.path.join(HERE, "Cargo.toml")]))
    pkg = next(p for p in meta["packages"] if p["name"] == "htmlescape")
    return os.path.join(os.path.dirname(pkg["manifest_path"]), "src", "entities.rs")


def hx(s):
    return s.encode("utf-8").hex()


def run(binary, *args, stdin=None):
    return subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, check=True).stdout


def main():
    binary = probe()
    os.makedirs(MAIN, exist_ok=True)
    os.makedirs(TEST, exist_ok=True)
    with open(os.path.join(MAIN, "unicase-2.6.0-folds.tsv"), "w") as fh:
        fh.write(run(binary, "folds"))
    with open(os.path.join(MAIN, "htmlescape-0.3.1-entities.tsv"), "w") as fh:
        fh.write(run(binary, "entities", entity_source()))
    pairs = [(a, b) for a in HARD_NAMES for b in HARD_NAMES]
    answers = run(binary, "compare", stdin="".join(f"{hx(a)} {hx(b)}\n" for a, b in pairs)).split()
    with open(os.path.join(TEST, "unicase-hard-pairs.tsv"), "w") as fh:
        for (a, b), cmp in zip(pairs, answers):
            fh.write(f"{hx(a)}\t{hx(b)}\t{cmp}\n")
    answers = run(binary, "decode", stdin="".join(hx(c) + "\n" for c in ENTITY_CASES)).split("\n")
    with open(os.path.join(TEST, "htmlescape-cases.tsv"), "w") as fh:
        for case, out in zip(ENTITY_CASES, answers):
            fh.write(f"{hx(case)}\t{out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
