/**
 * gnulib's human_readable() as coreutils prints sizes: an amount of
 * `fromBlockSize`-byte units shown in `toBlockSize`-byte units, rounded up (the
 * default human_ceiling), or — with autoscale (ls -h, df -h) — scaled by powers of
 * 1024 (or 1000) with one decimal below 10: 1221 → "1.2K", 4096 → "4.0K",
 * 12345 → "13K", 1048575 → "1.0M".
 */

const PREFIXES = 'KMGTPEZYRQ';

export interface HumanOptions {
  /** Scale to the largest power that keeps the number below the base (-h). */
  autoscale?: boolean;
  /** 1024 (default) or 1000 (--si). */
  base?: 1024 | 1000;
  /** Append "B" after the prefix (as in "1.0KiB" / "1.0kB"); ls does not. */
  suffixB?: boolean;
}

/** Rounds n / d up, exactly, for non-negative integers. */
function ceilDiv(n: number, d: number): number {
  return Math.floor((n + d - 1) / d);
}

/** human_readable(n, opts, from_block_size, to_block_size) with ceiling rounding. */
export function humanReadable(n: number, fromBlockSize: number, toBlockSize: number, opts: HumanOptions = {}): string {
  if (!opts.autoscale) {
    if (toBlockSize <= fromBlockSize && fromBlockSize % toBlockSize === 0) return String(n * (fromBlockSize / toBlockSize));
    if (toBlockSize % fromBlockSize === 0) return String(ceilDiv(n, toBlockSize / fromBlockSize));
    return String(Math.ceil((n * fromBlockSize) / toBlockSize));
  }
  const base = opts.base ?? 1024;
  // Autoscaling works on the exact amount in output units (ls -h and df -h use 1-byte units).
  let amt = Math.floor((n * fromBlockSize) / toBlockSize);
  let tenths = 0;
  let rounding = 0;
  let exponent = 0;
  if (base <= amt) {
    do {
      const r10 = (amt % base) * 10 + tenths;
      const r2 = (r10 % base) * 2 + (rounding >> 1);
      amt = Math.floor(amt / base);
      tenths = Math.floor(r10 / base);
      rounding = r2 < base ? (r2 + rounding !== 0 ? 1 : 0) : 2 + (base < r2 + rounding ? 1 : 0);
      exponent++;
    } while (base <= amt && exponent < PREFIXES.length);
    if (amt < 10) {
      if (rounding > 0) {
        tenths++;
        rounding = 0;
        if (tenths === 10) {
          amt++;
          tenths = 0;
        }
      }
      if (amt < 10) return `${amt}.${tenths}${suffix(exponent, base, opts)}`;
    }
  }
  if (tenths + rounding > 0) {
    amt++;
    if (amt === base && exponent < PREFIXES.length) {
      exponent++;
      return `1.0${suffix(exponent, base, opts)}`;
    }
  }
  return exponent ? `${amt}${suffix(exponent, base, opts)}` : String(amt);
}

function suffix(exponent: number, base: number, opts: HumanOptions): string {
  const letter = base === 1000 && exponent === 1 ? 'k' : PREFIXES[exponent - 1];
  return letter + (opts.suffixB ? (base === 1024 ? 'iB' : 'B') : '');
}
