/**
 * Parsing of sizes and durations as users write them on command lines and in
 * scenario files: `4G`, `512MiB`, `1073741824`; `10s`, `250ms`, `2m`, `1500us`.
 * Sizes use powers of 1024 for K/M/G/T (as `free`, docker's --memory and Firecracker's
 * mem_size_mib do); durations are converted to integer nanoseconds.
 */

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * The most RAM a simulated host may have: its page-frame tables cost this machine
 * about 0.3 bytes per simulated KiB (~300 MB at 1 TiB), and a host far larger would
 * exhaust it before booting.
 */
export const MAX_HOST_MEMORY_BYTES = 1024 ** 4;

/** Bytes for a size like `4G`; null when the text is not a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return null;
  const mult = SIZE_UNITS[m[2].toLowerCase()];
  if (mult === undefined) return null;
  const v = Math.round(Number(m[1]) * mult);
  return Number.isSafeInteger(v) ? v : null;
}

const TIME_UNITS: Record<string, number> = {
  ns: 1,
  us: 1_000,
  µs: 1_000,
  ms: 1_000_000,
  s: 1_000_000_000,
  '': 1_000_000_000,
  m: 60_000_000_000,
  min: 60_000_000_000,
  h: 3_600_000_000_000,
};

/** Nanoseconds for a duration like `10s` or `250ms` (a bare number is seconds); null when invalid. */
export function parseDurationNs(text: string): number | null {
  // \u00b5 is µ (as in µs), escaped so that the CLI's bundle is ASCII (scripts/bundle.js).
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z\u00b5]*)\s*$/.exec(text);
  if (!m) return null;
  const mult = TIME_UNITS[m[2]];
  if (mult === undefined) return null;
  const v = Math.round(Number(m[1]) * mult);
  return Number.isSafeInteger(v) ? v : null;
}

/** A byte count in the largest whole binary unit: `4 GiB`, `512 MiB`, `1536 KiB`. */
export function formatBytes(n: number): string {
  for (const [u, m] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (n >= m && n % m === 0) return `${n / m} ${u}`;
  }
  return `${n} B`;
}
