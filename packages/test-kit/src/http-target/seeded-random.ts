/**
 * A seeded pseudo-random source (mulberry32) for data-plane targets. Weighted splits and mirror
 * shares are checked statistically against upstream's tolerances (±0.05 over 500 requests is only
 * ~2.4σ); a fixed seed makes those checks deterministic, so CI never fails on an unlucky draw,
 * while a broken weighted pick still lands outside the tolerance.
 */
export function seededRandom(seed = 0x5eed): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
