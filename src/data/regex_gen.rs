//! Values generated from a contract pattern. The pattern is parsed with `regex-syntax` (the
//! parser of the `regex` crate the checks use) and walked: literals are copied, classes pick
//! a character (printable ASCII when the class has any), repetitions pick a count, anchors
//! match by position. Unique values number the pattern's strings: value `n` is a bijection
//! of `n`, so distinct row numbers give distinct strings without remembering any.

use super::rng::{Permutation, Source};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Repetitions without an upper bound repeat at most this many times beyond their minimum.
const OPEN_EXTRA: u32 = 7;
/// Fixed count of open repetitions in unique values (`+` → 6 characters).
const UNIQUE_REPEAT: u32 = 6;

/// A pattern node with its capacity (distinct strings in unique mode), computed once.
#[derive(Debug, Clone)]
struct Node {
    kind: NodeKind,
    cap: u128,
}

#[derive(Debug, Clone)]
enum NodeKind {
    Literal(String),
    Class(CharSet),
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

impl Node {
    fn new(kind: NodeKind) -> Node {
        let cap = match &kind {
            NodeKind::Literal(_) => 1,
            NodeKind::Class(c) => u128::from(c.size),
            NodeKind::Concat(items) => items.iter().fold(1u128, |acc, n| acc.saturating_mul(n.cap)),
            NodeKind::Alternation(items) => {
                items.iter().fold(0u128, |acc, n| acc.saturating_add(n.cap))
            }
            NodeKind::Repeat { node, min, max } => {
                (0..unique_count(*min, *max)).fold(1u128, |acc, _| acc.saturating_mul(node.cap))
            }
        };
        Node { kind, cap }
    }
}

#[derive(Debug, Clone)]
struct CharSet {
    /// Inclusive ranges of code points.
    ranges: Vec<(u32, u32)>,
    /// The characters themselves, when there are few (fast path).
    small: Vec<char>,
    size: u64,
}

impl CharSet {
    fn new(all: Vec<(u32, u32)>) -> Option<CharSet> {
        // Prefer visible ASCII, then ASCII with space, then anything the class allows.
        let ranges = [(0x21, 0x7E), (0x20, 0x7E), (0, 0x10FFFF)]
            .iter()
            .map(|&(lo, hi)| {
                all.iter()
                    .filter_map(|&(a, b)| {
                        let (a, b) = (a.max(lo), b.min(hi));
                        (a <= b).then_some((a, b))
                    })
                    .filter(|&(a, b)| !(0xD800..=0xDFFF).contains(&a) || b > 0xDFFF)
                    .collect::<Vec<_>>()
            })
            .find(|r| !r.is_empty())?;
        let size: u64 = ranges.iter().map(|&(a, b)| u64::from(b - a + 1)).sum();
        let small = if size <= 256 {
            ranges
                .iter()
                .flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
                .collect()
        } else {
            Vec::new()
        };
        Some(CharSet {
            ranges,
            small,
            size,
        })
    }

    fn nth(&self, mut i: u64) -> char {
        if !self.small.is_empty() {
            return self.small[(i as usize) % self.small.len()];
        }
        for &(a, b) in &self.ranges {
            let n = u64::from(b - a + 1);
            if i < n {
                return char::from_u32(a + i as u32).unwrap_or('x');
            }
            i -= n;
        }
        'x'
    }
}

/// A generator of strings that match one pattern.
#[derive(Debug, Clone)]
pub(crate) struct PatternGen {
    root: Node,
    capacity: u128,
    pattern: String,
}

impl PatternGen {
    /// Compiles `pattern`; refuses patterns it cannot generate matches for (checked by
    /// generating values and matching them with the `regex` crate).
    pub(crate) fn new(pattern: &str) -> Result<PatternGen, String> {
        // `.` as Java reads it (no line terminator), so no sampled value holds one.
        let java = crate::lang::pattern::as_java(pattern, false);
        let hir = regex_syntax::Parser::new()
            .parse(&java)
            .map_err(|e| format!("pattern {pattern} is not a regular expression: {e}"))?;
        let root = convert(&hir).ok_or_else(|| {
            format!("pattern {pattern} has a character class with no character dpc can write")
        })?;
        let capacity = root.cap;
        let generator = PatternGen {
            root,
            capacity,
            pattern: java,
        };
        generator.verify()?;
        Ok(generator)
    }

    fn verify(&self) -> Result<(), String> {
        let re = regex::Regex::new(&self.pattern)
            .map_err(|e| format!("pattern {} is not a regular expression: {e}", self.pattern))?;
        let mut rng = super::rng::RowRng::new(1, 2, 3);
        let n = self.capacity.min(32) as u64;
        let unique = self.unique_values(n, 9);
        for i in 0..32 {
            let mut s = String::new();
            self.generate(&mut rng, &mut s);
            let u = unique
                .as_ref()
                .ok()
                .map(|u| u.value(i % n.max(1), &mut rng));
            for v in std::iter::once(s).chain(u) {
                if !re.is_match(&v) {
                    return Err(format!(
                        "cannot generate values for pattern {} (generated '{v}', which does not match; word boundaries and similar assertions are not supported)",
                        self.pattern
                    ));
                }
            }
        }
        Ok(())
    }

    /// How many distinct values [`UniqueValues`] can produce (saturating).
    pub(crate) fn capacity(&self) -> u128 {
        self.capacity
    }

    /// A random matching string, appended to `out`; avoids the empty string when it can
    /// (an empty CSV field reads back as NULL).
    pub(crate) fn generate(&self, rng: &mut impl Source, out: &mut String) {
        let start = out.len();
        for _ in 0..8 {
            random(&self.root, rng, out);
            if out.len() > start {
                return;
            }
        }
    }

    /// Distinct values for row numbers `0..count`.
    pub(crate) fn unique_values(&self, count: u64, salt: u64) -> Result<UniqueValues, String> {
        if u128::from(count) > self.capacity {
            return Err(format!(
                "pattern {} has only {} distinct values of the shape dpc generates; {count} rows need one each",
                self.pattern, self.capacity
            ));
        }
        // Row numbers fit in 64 bits: a larger capacity numbers the first 64 bits' worth of
        // positions and fills the rest at random.
        let modulus = u64::try_from(self.capacity).unwrap_or(0);
        Ok(UniqueValues {
            generator: self.clone(),
            permutation: Permutation::new(modulus, salt),
            max: modulus.wrapping_sub(1),
        })
    }
}

/// Distinct matching strings, one per row number.
#[derive(Debug, Clone)]
pub(crate) struct UniqueValues {
    generator: PatternGen,
    permutation: Permutation,
    /// The largest number the permutation yields.
    max: u64,
}

impl UniqueValues {
    /// The value of row number `n`; `rng` fills the positions the number does not decide
    /// (seed it from the row for values that must be reproducible per row).
    pub(crate) fn value(&self, n: u64, rng: &mut impl Source) -> String {
        let mut out = String::new();
        self.write(n, rng, &mut out);
        out
    }

    /// Appends the value of row number `n` to `out`.
    pub(crate) fn write(&self, n: u64, rng: &mut impl Source, out: &mut String) {
        let u = self.permutation.apply(n);
        numbered(&self.generator.root, u, self.max, rng, out);
    }
}

fn convert(hir: &Hir) -> Option<Node> {
    Some(Node::new(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => NodeKind::Literal(String::new()),
        HirKind::Literal(lit) => NodeKind::Literal(String::from_utf8(lit.0.to_vec()).ok()?),
        HirKind::Class(Class::Unicode(c)) => NodeKind::Class(CharSet::new(
            c.ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())))
                .collect(),
        )?),
        HirKind::Class(Class::Bytes(c)) => NodeKind::Class(CharSet::new(
            c.ranges()
                .iter()
                .filter(|r| r.start() < 0x80)
                .map(|r| (u32::from(r.start()), u32::from(r.end().min(0x7F))))
                .collect(),
        )?),
        HirKind::Repetition(r) => NodeKind::Repeat {
            node: Box::new(convert(&r.sub)?),
            min: r.min,
            max: r.max,
        },
        HirKind::Capture(c) => return convert(&c.sub),
        HirKind::Concat(items) => {
            NodeKind::Concat(items.iter().map(convert).collect::<Option<_>>()?)
        }
        HirKind::Alternation(items) => {
            NodeKind::Alternation(items.iter().map(convert).collect::<Option<_>>()?)
        }
    }))
}

fn unique_count(min: u32, max: Option<u32>) -> u32 {
    let wanted = min.max(UNIQUE_REPEAT);
    match max {
        Some(m) => wanted.min(m),
        None => wanted,
    }
}

fn random(node: &Node, rng: &mut impl Source, out: &mut String) {
    match &node.kind {
        NodeKind::Literal(s) => out.push_str(s),
        NodeKind::Class(c) => out.push(c.nth(rng.below(c.size))),
        NodeKind::Concat(items) => items.iter().for_each(|n| random(n, rng, out)),
        NodeKind::Alternation(items) => {
            let i = rng.below(items.len() as u64) as usize;
            random(&items[i], rng, out);
        }
        NodeKind::Repeat { node, min, max } => {
            let hi = match max {
                Some(m) => (*m).min(min.saturating_add(OPEN_EXTRA)),
                None => min.saturating_add(OPEN_EXTRA),
            };
            let count = rng.between(i64::from(*min), i64::from(hi));
            for _ in 0..count {
                random(node, rng, out);
            }
        }
    }
}

/// Writes the `u`-th string of `node` (`u < cap`); `max` is the largest number any caller
/// passes (inclusive): once it is 0 no digit is left to place and the rest is random.
fn numbered(node: &Node, u: u64, max: u64, rng: &mut impl Source, out: &mut String) {
    if max == 0 {
        random(node, rng, out);
        return;
    }
    match &node.kind {
        NodeKind::Literal(s) => out.push_str(s),
        NodeKind::Class(c) => out.push(c.nth(u % c.size.max(1))),
        NodeKind::Concat(items) => numbered_seq(items.iter(), u, max, rng, out),
        NodeKind::Repeat {
            node,
            min,
            max: most,
        } => {
            let n = unique_count(*min, *most) as usize;
            numbered_seq(std::iter::repeat_n(node.as_ref(), n), u, max, rng, out);
        }
        NodeKind::Alternation(items) => {
            let mut u = u;
            for item in items {
                let c = u64::try_from(item.cap).unwrap_or(u64::MAX);
                if u < c {
                    numbered(item, u, c - 1, rng, out);
                    return;
                }
                u -= c;
            }
            random(node, rng, out);
        }
    }
}

fn numbered_seq<'a>(
    items: impl Iterator<Item = &'a Node>,
    mut u: u64,
    mut max: u64,
    rng: &mut impl Source,
    out: &mut String,
) {
    for item in items {
        if max == 0 {
            random(item, rng, out);
            continue;
        }
        match u64::try_from(item.cap) {
            Ok(c) if c > 0 => {
                numbered(item, u % c, max.min(c - 1), rng, out);
                u /= c;
                max /= c;
            }
            _ => {
                // More strings than numbers: this item takes all that is left.
                numbered(item, u, max, rng, out);
                u = 0;
                max = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng::RowRng;
    use proptest::prelude::*;
    use std::collections::HashSet;

    const CONTRACT_PATTERNS: [&str; 8] = [
        r"^CUST-[0-9]{10}$",
        r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$",
        r"^TXN-[0-9]{12}$",
        r"^[0-9]{4}$",
        r"^v[0-9]+\.[0-9]+\.[0-9]+$",
        r"^(ORD|INV)-\d{6}(-[A-Z])?$",
        r"(?i)^sku_[a-f0-9]{8}$",
        r"^\p{Lu}\p{Ll}+ \w+$",
    ];

    #[test]
    fn generated_values_match_their_pattern() {
        for p in CONTRACT_PATTERNS {
            let g = PatternGen::new(p).unwrap();
            let re = regex::Regex::new(p).unwrap();
            let mut rng = RowRng::new(1, 2, 3);
            for _ in 0..500 {
                let mut s = String::new();
                g.generate(&mut rng, &mut s);
                assert!(re.is_match(&s), "{p}: {s}");
            }
        }
    }

    #[test]
    fn unique_values_are_distinct_and_match() {
        for p in CONTRACT_PATTERNS {
            let g = PatternGen::new(p).unwrap();
            let re = regex::Regex::new(p).unwrap();
            let n = 20_000u64.min(g.capacity() as u64);
            let u = g.unique_values(n, 5).unwrap();
            let mut seen = HashSet::new();
            for i in 0..n {
                let v = u.value(i, &mut RowRng::new(1, 2, i));
                assert!(re.is_match(&v), "{p}: {v}");
                assert!(seen.insert(v.clone()), "{p}: {v} twice");
            }
        }
    }

    #[test]
    fn too_few_distinct_values_is_refused() {
        let g = PatternGen::new(r"^[0-9]{2}$").unwrap();
        assert_eq!(g.capacity(), 100);
        assert!(g.unique_values(100, 1).is_ok());
        let err = g.unique_values(101, 1).err().unwrap();
        assert!(err.contains("only 100 distinct values"), "{err}");
    }

    #[test]
    fn unsupported_assertions_are_refused() {
        let err = PatternGen::new(r"^a\bb$").unwrap_err();
        assert!(err.contains("not supported"), "{err}");
        assert!(PatternGen::new("(").is_err());
    }

    proptest! {
        #[test]
        fn any_simple_pattern_generates_matches(
            prefix in "[A-Z]{1,4}",
            digits in 1u32..12,
            open in proptest::bool::ANY,
            seed in any::<u64>(),
        ) {
            let tail = if open { "[a-z]+" } else { "[a-z]{2,5}" };
            let p = format!("^{prefix}-[0-9]{{{digits}}}_{tail}$");
            let g = PatternGen::new(&p).unwrap();
            let re = regex::Regex::new(&p).unwrap();
            let mut rng = RowRng::new(seed, 0, 0);
            let mut s = String::new();
            g.generate(&mut rng, &mut s);
            prop_assert!(re.is_match(&s), "{} {}", p, s);
            let n = 50u64.min(g.capacity() as u64);
            let u = g.unique_values(n, seed).unwrap();
            let values: HashSet<String> = (0..n).map(|i| u.value(i, &mut rng)).collect();
            prop_assert_eq!(values.len() as u64, n);
            prop_assert!(values.iter().all(|v| re.is_match(v)));
        }
    }
}
