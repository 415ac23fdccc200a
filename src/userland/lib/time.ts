/**
 * Calendar time for simulated programs, computed from seconds since the epoch as
 * glibc's gmtime/strftime do — without the host's Date. The simulated system has no
 * /etc/localtime, so local time is UTC (TZ unset, as on a fresh Debian container).
 *
 * Days ↔ civil dates use Howard Hinnant's algorithms ("chrono-Compatible Low-Level
 * Date Algorithms", days_from_civil / civil_from_days), exact for the proleptic
 * Gregorian calendar over the whole safe-integer range.
 */

/** Broken-down time (struct tm), UTC. */
export interface Tm {
  /** Full year (2025). */
  year: number;
  /** Month 0–11. */
  mon: number;
  /** Day of month 1–31. */
  mday: number;
  hour: number;
  min: number;
  sec: number;
  /** Day of week 0–6, Sunday = 0. */
  wday: number;
  /** Day of year 0–365. */
  yday: number;
}

export const NS_PER_SEC = 1_000_000_000;

/** Days from 1970-01-01 to the civil date y-m-d (m 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = y - (m <= 2 ? 1 : 0);
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date (m 1–12) of day `z` since 1970-01-01. */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** gmtime(3): the broken-down UTC time of `sec` seconds since the epoch. */
export function gmtime(sec: number): Tm {
  const days = Math.floor(sec / 86400);
  const rem = sec - days * 86400;
  const { y, m, d } = civilFromDays(days);
  return {
    year: y,
    mon: m - 1,
    mday: d,
    hour: Math.floor(rem / 3600),
    min: Math.floor((rem % 3600) / 60),
    sec: rem % 60,
    wday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(y, 1, 1),
  };
}

/** timegm(3): seconds since the epoch of a UTC civil time (fields may overflow: month 12 is next January). */
export function timegm(year: number, mon: number, mday: number, hour = 0, min = 0, sec = 0): number {
  const y = year + Math.floor(mon / 12);
  const m = ((mon % 12) + 12) % 12;
  return (daysFromCivil(y, m + 1, 1) + mday - 1) * 86400 + hour * 3600 + min * 60 + sec;
}

/** Splits ns since the epoch into whole seconds (floored) and the nanosecond remainder. */
export function splitNs(ns: number): { sec: number; nsec: number } {
  const sec = Math.floor(ns / NS_PER_SEC);
  return { sec, nsec: ns - sec * NS_PER_SEC };
}

export const DAY_ABBR = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const DAY_NAME = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTH_NAME = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The name of the (only) time zone: TZ is unset and there is no /etc/localtime. */
export const TZ_NAME = 'UTC';

/** ISO 8601 week-based year and week (glibc strftime's iso_week_days). */
function isoWeek(tm: Tm): { year: number; week: number } {
  const isoWeekDays = (yday: number, wday: number): number => {
    const big = (Math.floor(366 / 7) + 2) * 7;
    return yday - ((yday - wday + 4 + big) % 7) + 4 - 1;
  };
  let year = tm.year;
  let days = isoWeekDays(tm.yday, tm.wday);
  if (days < 0) {
    year--;
    days = isoWeekDays(tm.yday + (365 + (isLeap(year) ? 1 : 0)), tm.wday);
  } else {
    const d = isoWeekDays(tm.yday - (365 + (isLeap(year) ? 1 : 0)), tm.wday);
    if (d >= 0) {
      year++;
      days = d;
    }
  }
  return { year, week: Math.floor(days / 7) + 1 };
}

/**
 * strftime(3) as GNU date(1) uses it, in the C locale and UTC: every conversion of
 * glibc plus %N (nanoseconds, width = digits kept), %q (quarter), %:z and %::z, with the GNU flags
 * `-` (no padding), `_` (spaces), `0` (zeros), `^` (upper case), `#` (swap case) and
 * a field width. Unknown conversions are copied as written.
 */
export function strftime(fmt: string, tm: Tm, nsec = 0, epochSec?: number): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    const start = i;
    i++;
    let pad: string | null = null;
    let upper = false;
    let swap = false;
    while ('-_0^#'.includes(fmt[i]) && i < fmt.length) {
      if (fmt[i] === '^') upper = true;
      else if (fmt[i] === '#') swap = true;
      else pad = fmt[i];
      i++;
    }
    let width = -1;
    if (/[0-9]/.test(fmt[i] ?? '')) {
      width = 0;
      while (/[0-9]/.test(fmt[i] ?? '')) width = width * 10 + Number(fmt[i++]);
    }
    let colons = 0;
    while (fmt[i] === ':') {
      colons++;
      i++;
    }
    const conv = fmt[i];
    if (conv === undefined) {
      out += fmt.slice(start);
      break;
    }
    const num = (v: number, digits: number, defPad = '0'): string => {
      const p = pad ?? defPad;
      const neg = v < 0;
      const s = String(Math.abs(v));
      const w = width >= 0 ? width : digits;
      if (p === '-') return (neg ? '-' : '') + s;
      const body = neg ? '-' + s : s;
      if (body.length >= w) return body;
      return p === '_' || p === ' ' ? body.padStart(w, ' ') : (neg ? '-' : '') + s.padStart(w - (neg ? 1 : 0), '0');
    };
    const text = (s: string, lowerOnSwap = false): string => {
      let t = s;
      if (upper) t = t.toUpperCase();
      else if (swap) t = lowerOnSwap ? t.toLowerCase() : t.toUpperCase();
      if (width > t.length && pad !== '-') t = t.padStart(width, pad === '0' ? '0' : ' ');
      return t;
    };
    const sub = (f: string): string => text(strftime(f, tm, nsec, epochSec));
    const hour12 = tm.hour % 12 === 0 ? 12 : tm.hour % 12;
    switch (conv) {
      case 'a': out += text(DAY_ABBR[tm.wday]); break;
      case 'A': out += text(DAY_NAME[tm.wday]); break;
      case 'b': case 'h': out += text(MONTH_ABBR[tm.mon]); break;
      case 'B': out += text(MONTH_NAME[tm.mon]); break;
      case 'c': out += sub('%a %b %e %H:%M:%S %Y'); break;
      case 'C': out += num(Math.floor(tm.year / 100), 2); break;
      case 'd': out += num(tm.mday, 2); break;
      case 'D': out += sub('%m/%d/%y'); break;
      case 'e': out += num(tm.mday, 2, '_'); break;
      case 'F': out += sub('%Y-%m-%d'); break;
      case 'g': out += num(((isoWeek(tm).year % 100) + 100) % 100, 2); break;
      case 'G': out += num(isoWeek(tm).year, 1); break;
      case 'H': out += num(tm.hour, 2); break;
      case 'I': out += num(hour12, 2); break;
      case 'j': out += num(tm.yday + 1, 3); break;
      case 'k': out += num(tm.hour, 2, '_'); break;
      case 'l': out += num(hour12, 2, '_'); break;
      case 'm': out += num(tm.mon + 1, 2); break;
      case 'M': out += num(tm.min, 2); break;
      case 'n': out += '\n'; break;
      case 'N': {
        const digits = String(nsec).padStart(9, '0');
        const w = width > 0 ? Math.min(width, 9) : 9;
        out += digits.slice(0, w) + (width > 9 ? '0'.repeat(width - 9) : '');
        break;
      }
      case 'p': out += text(tm.hour < 12 ? 'AM' : 'PM', true); break;
      case 'P': out += text(tm.hour < 12 ? 'am' : 'pm'); break;
      case 'q': out += num(Math.floor(tm.mon / 3) + 1, 1); break;
      case 'r': out += sub('%I:%M:%S %p'); break;
      case 'R': out += sub('%H:%M'); break;
      case 's': out += num(epochSec ?? timegm(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec), 1); break;
      case 'S': out += num(tm.sec, 2); break;
      case 't': out += '\t'; break;
      case 'T': out += sub('%H:%M:%S'); break;
      case 'u': out += num(tm.wday === 0 ? 7 : tm.wday, 1); break;
      case 'U': out += num(Math.floor((tm.yday + 7 - tm.wday) / 7), 2); break;
      case 'V': out += num(isoWeek(tm).week, 2); break;
      case 'w': out += num(tm.wday, 1); break;
      case 'W': out += num(Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2); break;
      case 'x': out += sub('%m/%d/%y'); break;
      case 'X': out += sub('%H:%M:%S'); break;
      case 'y': out += num(((tm.year % 100) + 100) % 100, 2); break;
      case 'Y': out += num(tm.year, 1); break;
      case 'z': out += colons === 0 ? '+0000' : colons === 1 ? '+00:00' : colons === 2 ? '+00:00:00' : '+00'; break;
      case 'Z': out += text(TZ_NAME, true); break;
      case '%': out += '%'; break;
      default:
        out += fmt.slice(start, i + 1);
    }
  }
  return out;
}

/** ctime(3) without the newline: "Wed Jan  1 00:00:00 2025" (24 characters for 4-digit years). */
export function ctime(sec: number): string {
  return strftime('%a %b %e %H:%M:%S %Y', gmtime(sec));
}

/** Formats ns since the epoch with strftime. */
export function formatNs(fmt: string, ns: number): string {
  const { sec, nsec } = splitNs(ns);
  return strftime(fmt, gmtime(sec), nsec, sec);
}

/**
 * Parses the date strings GNU date -d and touch -d accept that ctsim models:
 * `@SECONDS[.FRACTION]`, `now`, `today`, `yesterday`, `tomorrow`,
 * `YYYY-MM-DD`, `YYYY-MM-DD[ T]HH:MM[:SS[.FRACTION]]` with an optional `Z`, `UTC`
 * or `+HH:MM`/`+HHMM` zone, and `HH:MM[:SS]` (today). Returns ns since the epoch,
 * or null when the text is not understood.
 *
 * Simplification: GNU's full parse_datetime grammar (relative items, month names,
 * "next friday") is not modelled.
 */
export function parseDate(text: string, nowNs: number): number | null {
  const s = text.trim();
  const at = /^@([-+]?\d+)(?:[.,](\d+))?$/.exec(s);
  if (at) {
    const frac = (at[2] ?? '').slice(0, 9).padEnd(9, '0');
    const sec = Number(at[1]);
    return sec * NS_PER_SEC + (sec < 0 ? -1 : 1) * Number(frac);
  }
  const lower = s.toLowerCase();
  const { sec: nowSec } = splitNs(nowNs);
  const midnight = Math.floor(nowSec / 86400) * 86400;
  if (lower === 'now' || lower === '') return lower === '' ? midnight * NS_PER_SEC : nowNs;
  if (lower === 'today') return nowNs;
  if (lower === 'yesterday') return nowNs - 86400 * NS_PER_SEC;
  if (lower === 'tomorrow') return nowNs + 86400 * NS_PER_SEC;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[-+]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
    let sec = timegm(y, mo - 1, d, h, mi, se);
    const zone = m[8];
    if (zone && /^[-+]/.test(zone)) {
      const z = zone.replace(':', '');
      const off = (Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60) * (z[0] === '-' ? -1 : 1);
      sec -= off;
    }
    const frac = (m[7] ?? '').slice(0, 9).padEnd(9, '0');
    return sec * NS_PER_SEC + Number(frac);
  }
  const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (t) {
    const [h, mi, se] = [t[1], t[2], t[3] ?? '0'].map(Number);
    if (h > 23 || mi > 59 || se > 60) return null;
    return (midnight + h * 3600 + mi * 60 + se) * NS_PER_SEC;
  }
  return null;
}

/** Seconds per suffix of a coreutils time interval. */
const INTERVAL_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A time interval as sleep(1) and timeout(1) read one: a non-negative floating-point
 * number as strtod(3) takes it (leading blanks, '+', decimal with exponent, hex with
 * binary exponent, "inf"/"infinity") and an optional suffix s, m, h or d. Returns
 * seconds (Infinity for "inf"), or null when the text is not an interval ("nan",
 * "-1", "1x", "1S" are not).
 */
export function parseInterval(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*\+?(?:(inf(?:inity)?)|0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?|(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))([smhd]?)$/i.exec(text);
  if (!m) return null;
  const [, inf, hexInt, hexFrac, hexExp, dec, unit] = m;
  let seconds: number;
  if (inf !== undefined) seconds = Infinity;
  else if (dec !== undefined) seconds = Number(dec);
  else {
    const int = hexInt ?? '';
    const frac = hexFrac ?? '';
    if (int === '' && frac === '') return null;
    seconds = (parseInt(int + frac || '0', 16) / 16 ** frac.length) * 2 ** Number(hexExp ?? 0);
  }
  if (!(unit in INTERVAL_UNITS)) return null;
  return seconds * INTERVAL_UNITS[unit];
}
