/**
 * Go's `time.Time.Format(time.RFC3339Nano)` for UTC instants — the `created` field of
 * `runc state`/`list` (time.Time's MarshalJSON uses the same layout).
 *
 *   layout "2006-01-02T15:04:05.999999999Z07:00", zone UTC:
 *   1762068943123456789 ns → "2025-11-02T07:35:43.123456789Z"
 *   1762068961500000000 ns → "2025-11-02T07:36:01.5Z"     (trailing zeros trimmed)
 *   1762068961000000000 ns → "2025-11-02T07:36:01Z"       (no fraction at all)
 *
 * Pure arithmetic on the proleptic Gregorian calendar (H. Hinnant's days→civil
 * algorithm); no `Date`, so there is no dependency on the host's clock or zone.
 */
import { civilFromDays } from '../../userland/lib/time.js';

const NS_PER_SEC = 1_000_000_000n;
const SEC_PER_DAY = 86_400n;

/** Floor division for bigints (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}


const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Nanoseconds since the Unix epoch → RFC 3339 with up to 9 fractional digits, `Z`.
 * Precondition: a `number` argument must be an integer; numbers above 2^53 have
 * already lost precision, so pass a bigint for wall-clock-sized values.
 */
export function rfc3339Nano(epochNs: bigint | number): string {
  if (typeof epochNs === 'number' && !Number.isInteger(epochNs)) throw new RangeError(`rfc3339Nano: not an integer: ${epochNs}`);
  const ns = BigInt(epochNs);
  const secs = floorDiv(ns, NS_PER_SEC);
  const frac = Number(ns - secs * NS_PER_SEC);
  const days = floorDiv(secs, SEC_PER_DAY);
  const sod = Number(secs - days * SEC_PER_DAY);
  const { y: year, m: month, d: day } = civilFromDays(Number(days));
  // Go's appendInt(year, 4): a sign, then at least four digits.
  const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const hh = Math.floor(sod / 3600);
  const mm = Math.floor((sod % 3600) / 60);
  const ss = sod % 60;
  let s = `${y}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
  if (frac !== 0) s += `.${pad(frac, 9).replace(/0+$/, '')}`;
  return `${s}Z`;
}
