// Seeded randomness for the synthetic sessions. Determinism is the point: a (seed, label) pair
// always yields the same stream, and each concern (spikes of unit 17, electrode layout, dtype
// quirks, …) draws from its own labelled stream, so changing how one part consumes randomness
// never shifts the numbers of another part.
//
// The generator is xoshiro128** (Blackman & Vigna), seeded through splitmix32 from an FNV-1a hash
// of the seed and labels. 32-bit state and Math.imul keep it fast in V8 (the spike loop draws
// ~10^8 numbers at real scale).

const TWO_POW_32 = 4294967296;

function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  private constructor(words: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = words;
    // xoshiro's all-zero state is a fixed point; splitmix makes it practically impossible, but
    // guard anyway.
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** The stream for `seed` and the given labels (e.g. `Rng.of(seed, 'spikes', unitIndex)`). */
  static of(seed: number, ...labels: readonly (string | number)[]): Rng {
    let h = fnv1a(String(seed));
    for (const label of labels) h = fnv1a(`/${label}`, h);
    const state = { s: h };
    return new Rng([splitmix32(state), splitmix32(state), splitmix32(state), splitmix32(state)]);
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const b = this.b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32-bit resolution (enough for every use here, and one draw cheap). */
  uniform(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    const u = 1 - this.uniform(); // (0, 1]: log is finite
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma)): firing rates, amplitudes and other positive skewed quantities. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Exponential with rate 1. */
  exponential(): number {
    return -Math.log(1 - this.uniform());
  }

  /**
   * Poisson count. Small means use Knuth's product method; large means the rounded normal
   * approximation, which is indistinguishable at the sizes where it is used (thousands of spikes).
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A version-4 UUID string whose bits come from this stream (NWB `object_id`). */
  uuid4(): string {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const w = this.nextU32();
      bytes[i] = w & 0xff;
      bytes[i + 1] = (w >>> 8) & 0xff;
      bytes[i + 2] = (w >>> 16) & 0xff;
      bytes[i + 3] = w >>> 24;
    }
    bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
