/**
 * Small deterministic PRNG (mulberry32) and helpers. Every random choice of the simulator
 * (tenant, ids, events, fault sequence) draws from one of these, so a seed replays exactly.
 */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** 32 random bits as an unsigned integer. */
  u32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  hex(chars: number): string {
    // Same text as u32().toString(16).padStart(8, '0') per word, from a byte table (seeding draws millions).
    let out = '';
    while (out.length < chars) {
      const v = this.u32();
      out += HEX_BYTES[v >>> 24] + HEX_BYTES[(v >>> 16) & 255] + HEX_BYTES[(v >>> 8) & 255] + HEX_BYTES[v & 255];
    }
    return out.length === chars ? out : out.slice(0, chars);
  }

  /** A GUID-shaped string (version 4 layout). */
  guid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A child generator with its own stream, so one consumer does not shift another's sequence. */
  fork(label: number): Rng {
    return new Rng((this.u32() ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
  }
}
