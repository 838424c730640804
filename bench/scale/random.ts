// Deterministic randomness for the data generator: one seed, the same million signals.

/** sfc32: a small fast generator with a 128-bit state; numbers in [0, 1). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.next32() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Exponentially distributed with this mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Normally distributed (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An index in [0, n) where low indexes are much more likely (a Zipf-like popularity: a few hot items, a long tail). */
  skewed(n: number, power = 2.2): number {
    return Math.min(n - 1, Math.floor(n * this.next() ** power));
  }

  /** A version-4 UUID from this generator (deterministic, unlike crypto.randomUUID). */
  uuid(): string {
    const a = this.next32();
    const b = ((this.next32() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((this.next32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.next32();
    return `${hex32(a)}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-${HEX[(b >>> 8) & 255]}${HEX[b & 255]}-${HEX[c >>> 24]}${HEX[(c >>> 16) & 255]}-`
      + `${HEX[(c >>> 8) & 255]}${HEX[c & 255]}${hex32(d)}`;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (x: number) => HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];

/** Draws indexes in proportion to fixed weights (binary search over the cumulative sums). */
export class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => { sum += w; this.cumulative[i] = sum; });
  }

  draw(rng: Rng): number {
    const x = rng.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
}

/** Draws items by weight: [['hennepteelt', 18], ['drugslab', 3], ...]. */
export class WeightedItems<T> {
  private readonly weighted: Weighted;
  constructor(private readonly items: readonly (readonly [T, number])[]) {
    this.weighted = new Weighted(items.map(([, w]) => w));
  }
  draw(rng: Rng): T {
    return this.items[this.weighted.draw(rng)][0];
  }
}
