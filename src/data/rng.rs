//! Deterministic randomness. Bulk values come from ChaCha8 (a stable, seedable stream: the
//! same seed gives the same rows on every machine and version), one stream per batch so
//! batches can be generated in parallel. Values that must be computable from a row number
//! alone (keys, and the columns other rows copy) use [`mix`], a fixed hash of the row.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// A source of random numbers with the helpers generators need.
pub(crate) trait Source {
    fn next_u64(&mut self) -> u64;

    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
        if span > u128::from(u64::MAX) {
            return self.next_u64() as i64;
        }
        (i128::from(lo) + i128::from(self.below(span as u64))) as i64
    }

    /// Uniform in `lo..=hi` for wide (decimal) ranges.
    fn between_i128(&mut self, lo: i128, hi: i128) -> i128 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u128 + 1;
        let r = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        lo + (r % span) as i128
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// The stream of one batch of one table.
pub(crate) struct Stream(ChaCha8Rng);

impl Stream {
    pub(crate) fn new(seed: u64, table: &str, batch: u64) -> Stream {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ name_hash(table));
        rng.set_stream(batch);
        Stream(rng)
    }
}

impl Source for Stream {
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// A small generator seeded from a hash, for values tied to one row and column.
pub(crate) struct RowRng(u64);

impl RowRng {
    pub(crate) fn new(seed: u64, salt: u64, row: u64) -> RowRng {
        RowRng(mix(seed ^ mix(salt ^ mix(row))))
    }
}

impl Source for RowRng {
    fn next_u64(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
}

/// The SplitMix64 finaliser: a fixed, well-distributed 64-bit hash.
pub(crate) fn mix(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fixed hash of a name (FNV-1a), stable across runs and platforms.
pub(crate) fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A bijection of `0..modulus` (an affine map whose multiplier, near the golden ratio of
/// the modulus, is coprime to it), so keys numbered 0, 1, 2... come out scattered over the
/// whole range but never collide. A modulus of 0 stands for 2^64.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Permutation {
    modulus: u64,
    multiplier: u64,
    offset: u64,
}

impl Permutation {
    pub(crate) fn new(modulus: u64, salt: u64) -> Permutation {
        if modulus == 0 {
            return Permutation {
                modulus,
                multiplier: 0x9E37_79B9_7F4A_7C15,
                offset: mix(salt),
            };
        }
        let mut multiplier = ((u128::from(modulus) * 0x9E37_79B9_7F4A_7C15) >> 64) as u64;
        while multiplier > 1 && gcd(multiplier, modulus) != 1 {
            multiplier -= 1;
        }
        Permutation {
            modulus,
            multiplier: multiplier.max(1),
            offset: mix(salt) % modulus,
        }
    }

    pub(crate) fn apply(&self, x: u64) -> u64 {
        if self.modulus == 0 {
            return x.wrapping_mul(self.multiplier).wrapping_add(self.offset);
        }
        let m = u128::from(self.modulus);
        ((u128::from(x) % m * u128::from(self.multiplier) + u128::from(self.offset)) % m) as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_deterministic() {
        let a: Vec<u64> = (0..4).map(|_| Stream::new(7, "t", 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Stream::new(7, "t", 3).next_u64(),
            Stream::new(7, "t", 4).next_u64()
        );
    }

    #[test]
    fn permutations_are_bijections() {
        for m in [1u64, 2, 10, 97, 1000, 4096] {
            let p = Permutation::new(m, 42);
            let mut seen: Vec<u64> = (0..m).map(|x| p.apply(x)).collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..m).collect::<Vec<_>>(), "modulus {m}");
        }
    }
}
