/**
 * Parsing of flag values shared by the commands, with errors that name the flag, what
 * was expected, what was found and a fix (STYLE.md "Errors").
 */
import { UsageError } from '../sim/index.js';

/** A whole number written in decimal digits, optionally signed. */
const WHOLE = /^[+-]?\d+$/;

/** Parses one whole-number flag value; `min`/`max` bound it. */
export function parseWhole(flag: string, raw: string, min: number, fix: string, what = 'a whole number', max?: number): number {
  const text = raw.trim();
  const value = WHOLE.test(text) ? Number(text) : NaN;
  const bounds = max === undefined ? `>= ${min}` : `in ${min}..${max}`;
  if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new UsageError({ source: flag, expected: `${what} ${bounds}`, found: JSON.stringify(raw), fix });
  }
  return value;
}

/** Parses --seed: a whole number in 0..2^53-1. */
export function parseSeed(raw: string): number {
  return parseWhole('--seed', raw, 0, 'e.g. --seed 42', 'a whole number', Number.MAX_SAFE_INTEGER);
}
