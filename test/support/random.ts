// Deterministic pseudo-random numbers for tests that inject faults or generate records: the same seed, the same run.

/** Numbers in [0, 1) from a linear congruential generator (Numerical Recipes' constants). */
export function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x = (x * 1664525 + 1013904223) >>> 0; return x / 2 ** 32; };
}
