/**
 * Deterministic pseudo-randomness for the traffic model. The core never calls Math.random: every
 * "random" property of an interface derives from a hash of its identity, so two runs (and two
 * simulator processes) agree on the traffic of the same interface at the same instant.
 */

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A value in [0, 1) fixed by `seed` and `salt`. The seed is mixed through a 32-bit finaliser
 * (from MurmurHash3) so that neighbouring salts (hour 5, hour 6) give unrelated values.
 */
export function unitFromSeed(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
