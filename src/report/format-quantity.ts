/**
 * Quantities of the compare report as people read them: simulated time in ns shown as
 * ns/µs/ms/s with three significant digits, bytes as B/KiB/MiB/GiB (powers of 1024, as
 * `free -h` and the kernel's meminfo use), counts as integers with thousands separators.
 * Pure and locale-free: the separators are written here, not taken from Intl, so the
 * same number gives the same text on every machine.
 */
import type { Metric } from '../compare/report.js';

/** `1234567` → `"1,234,567"`; non-integers are rounded to the nearest integer first. */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.round(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 && Math.round(n) !== 0 ? '-' : '') + grouped;
}

/** `x` with three significant digits, without exponent notation (`1.23`, `45.0`, `1,234`). */
export function formatSignificant3(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(Number(x.toPrecision(3))) >= 1000) return formatCount(x);
  return x.toPrecision(3);
}

interface Scale {
  unit: string;
  divisor: number;
}

/**
 * The largest scale in which `value` (after rounding to three significant digits) is at
 * least 1, so that 999,999 ns reads "1.00 ms", not "1000 µs".
 */
function pickScale(value: number, scales: readonly Scale[]): Scale {
  let chosen = scales[0];
  for (const s of scales) {
    if (Number((Math.abs(value) / s.divisor).toPrecision(3)) >= 1) chosen = s;
  }
  return chosen;
}

const TIME_SCALES: readonly Scale[] = [
  { unit: 'ns', divisor: 1 },
  { unit: 'µs', divisor: 1e3 },
  { unit: 'ms', divisor: 1e6 },
  { unit: 's', divisor: 1e9 },
];

const BYTE_SCALES: readonly Scale[] = [
  { unit: 'B', divisor: 1 },
  { unit: 'KiB', divisor: 1024 },
  { unit: 'MiB', divisor: 1024 ** 2 },
  { unit: 'GiB', divisor: 1024 ** 3 },
];

/** Simulated time: `450 ns`, `12.3 µs`, `1.50 ms`, `2.00 s`. Whole ns below 1 µs are shown as they are. */
export function formatNs(ns: number): string {
  const s = pickScale(ns, TIME_SCALES);
  if (s.divisor === 1 && Number.isInteger(ns)) return `${formatCount(ns)} ns`;
  return `${formatSignificant3(ns / s.divisor)} ${s.unit}`;
}

/** Memory: `512 B`, `4.00 KiB`, `126 MiB`, `1.50 GiB`. */
export function formatBytes(bytes: number): string {
  const s = pickScale(bytes, BYTE_SCALES);
  if (s.divisor === 1) return `${formatCount(bytes)} B`;
  return `${formatSignificant3(bytes / s.divisor)} ${s.unit}`;
}

/** A metric's value in its unit, e.g. `formatQuantity(1.5e6, 'ns')` → `"1.50 ms"`. */
export function formatQuantity(value: number, unit: Metric['unit']): string {
  switch (unit) {
    case 'ns':
      return formatNs(value);
    case 'ns/op':
      return `${formatNs(value)}/op`;
    case 'bytes':
      return formatBytes(value);
    case 'count':
      return formatCount(value);
  }
}

/** A spread (a confidence interval's half-width) in the metric's unit; counts keep their fraction, since a density's interval is often below 1. */
export function formatSpread(x: number, unit: Metric['unit']): string {
  return unit === 'count' ? formatSignificant3(x) : formatQuantity(x, unit);
}

/** The unit an axis of simulated time reads best in, for values up to `maxNs`. */
export function timeAxisScale(maxNs: number): Scale {
  return pickScale(maxNs, TIME_SCALES);
}
