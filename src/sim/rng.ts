/**
 * Seeded pseudo-random numbers for the simulation (xoroshiro128+ from pure-rand).
 *
 * Every subsystem draws from its own stream, made with `fork(name)`: the child's
 * seed is a hash of the parent's seed and the name, so adding draws in one
 * subsystem never shifts the numbers another subsystem sees (STYLE.md,
 * "Determinism"). Nothing under src/ may use Math.random.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/** FNV-1a over the UTF-16 code units of `text`, mixed with `seed`; a 32-bit unsigned integer. */
export function hashSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  h = Math.imul(h ^ ((seed / 0x1_0000_0000) >>> 0), 0x01000193) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A seeded random stream. Invariant: its output depends only on (seed, fork path, draws so far). */
export class Rng {
  readonly seed: number;
  private readonly gen: RandomGenerator;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    }
    this.seed = seed;
    this.gen = xoroshiro128plus(hashSeed(seed, ''));
  }

  /** An independent stream for subsystem `name`; forking does not consume draws from this stream. */
  fork(name: string): Rng {
    return new Rng(hashSeed(this.seed, name));
  }

  /** A uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  /** A uniform float in [0, 1) with 32 bits of precision. */
  float(): number {
    return (this.gen.next() >>> 0) / 0x1_0000_0000;
  }

  /** A byte in [0, 255]. */
  byte(): number {
    return this.gen.next() & 0xff;
  }

  /** Fills `buf` with random bytes (the simulated /dev/urandom). */
  fill(buf: Uint8Array): Uint8Array {
    for (let i = 0; i < buf.length; i += 4) {
      const v = this.gen.next();
      buf[i] = v & 0xff;
      if (i + 1 < buf.length) buf[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < buf.length) buf[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < buf.length) buf[i + 3] = (v >>> 24) & 0xff;
    }
    return buf;
  }
}
