//! Prints what the pinned `unicase` and `htmlescape` crates do, through their
//! public API only, so that the server's Java implementation can be checked
//! against the crates themselves.
//!
//! Commands (strings on stdin/stdout are lower-case hex of their UTF-8 bytes,
//! so that any text, including newlines and NUL, survives the pipe):
//!   folds             every scalar value whose fold is not itself:
//!                     `CODEPOINT<TAB>FOLDED CODEPOINTS...` (hex, space separated)
//!   entities FILE     for each quoted name found in FILE (the crate's entity
//!                     table source), what `&name;` decodes to: `NAME<TAB>CODEPOINT`
//!   compare           reads `HEX_A HEX_B` lines, prints `-1`, `0` or `1`
//!                     (`UniCase::new(a).cmp(&UniCase::new(b))`, the collation)
//!   decode            reads `HEX` lines, prints `HEX` of the decoded text or
//!                     `ERR` (`htmlescape::decode_html`)
//!   nfc, nfd          reads `HEX` lines, prints `HEX` of the normalised text
//!                     (`unicode-normalization` 0.1.24, the official core's)

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufWriter, Write};

use unicase::UniCase;

/// A hasher that records the bytes written to it. `UniCase`'s `Hash` writes
/// the UTF-8 of each folded character in the order its comparison sees them,
/// which exposes the fold through the public API (including 2.6.0's order of
/// three-character folds).
#[derive(Default)]
struct Recorder(Vec<u8>);

impl Hasher for Recorder {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

fn folded(s: &str) -> String {
    let mut recorder = Recorder::default();
    UniCase::new(s).hash(&mut recorder);
    String::from_utf8(recorder.0).expect("folds are UTF-8")
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{:02x}", b)).collect()
}

fn unhex(h: &str) -> String {
    let bytes: Vec<u8> = (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
        .collect();
    String::from_utf8(bytes).expect("UTF-8")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.get(1).map(String::as_str) {
        Some("folds") => {
            for cp in 0..=0x10FFFFu32 {
                if let Some(c) = char::from_u32(cp) {
                    let s = c.to_string();
                    let f = folded(&s);
                    if f != s {
                        let parts: Vec<String> =
                            f.chars().map(|x| format!("{:04X}", x as u32)).collect();
                        writeln!(out, "{:04X}\t{}", cp, parts.join(" ")).unwrap();
                    }
                }
            }
        }
        Some("entities") => {
            let source = std::fs::read_to_string(&args[2]).expect("entity table source");
            // Entries of the table look like `("AElig", '\u{00C6}'),`.
            let mut names: Vec<&str> = source
                .lines()
                .filter_map(|line| line.trim().strip_prefix("(\""))
                .filter_map(|rest| rest.split('"').next())
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric()))
                .collect();
            names.sort();
            names.dedup();
            for name in names {
                if let Ok(text) = htmlescape::decode_html(&format!("&{};", name)) {
                    let cps: Vec<String> =
                        text.chars().map(|x| format!("{:04X}", x as u32)).collect();
                    writeln!(out, "{}\t{}", name, cps.join(" ")).unwrap();
                }
            }
        }
        Some("compare") => {
            for line in io::stdin().lock().lines() {
                let line = line.unwrap();
                let (a, b) = line.split_once(' ').expect("two strings");
                let order = UniCase::new(unhex(a)).cmp(&UniCase::new(unhex(b)));
                let n = match order {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                };
                writeln!(out, "{}", n).unwrap();
            }
        }
        Some("decode") => {
            for line in io::stdin().lock().lines() {
                let line = line.unwrap();
                match htmlescape::decode_html(&unhex(line.trim())) {
                    Ok(text) => writeln!(out, "{}", hex(&text)).unwrap(),
                    Err(_) => writeln!(out, "ERR").unwrap(),
                }
            }
        }
        Some("nfc") => {
            use unicode_normalization::UnicodeNormalization;
            for line in io::stdin().lock().lines() {
                let line = line.unwrap();
                let text: String = unhex(line.trim()).chars().nfc().collect();
                writeln!(out, "{}", hex(&text)).unwrap();
            }
        }
        Some("nfd") => {
            use unicode_normalization::UnicodeNormalization;
            for line in io::stdin().lock().lines() {
                let line = line.unwrap();
                let text: String = unhex(line.trim()).chars().nfd().collect();
                writeln!(out, "{}", hex(&text)).unwrap();
            }
        }
        _ => {
            eprintln!("usage: text-fidelity-probe folds | entities FILE | compare | decode | nfc | nfd");
            std::process::exit(2);
        }
    }
}
