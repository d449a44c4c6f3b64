// The fuzz tests' seeded generator and round count: every run prints its seed, FUZZ_SEED replays it.

/** The run's seed: FUZZ_SEED to replay a failure, else a new one each run. */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  return given ? Number.parseInt(given, 10) >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

export const FUZZ_ROUNDS = 10_000;

/** mulberry32: a small seeded PRNG, so failures reproduce. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
