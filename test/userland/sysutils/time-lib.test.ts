/**
 * lib/time.ts: the calendar arithmetic and strftime that date, ls, stat and ps use,
 * checked against an independent reference (the host's Date, allowed in tests) over
 * random timestamps, and against outputs of GNU date 9.1 (LC_ALL=C, TZ unset).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { civilFromDays, ctime, daysFromCivil, gmtime, parseDate, strftime, timegm } from '../../../src/userland/lib/time.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO week per the ISO 8601 definition (the week with the year's first Thursday is week 1), via Date. */
function isoWeekRef(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7) };
}

// Years 1583..9999: the proleptic Gregorian range GNU date prints with 4 digits.
const SECONDS = fc.integer({ min: -12_212_553_600, max: 253_402_300_799 });

describe('calendar arithmetic (Hinnant) against Date', () => {
  test('days_from_civil and civil_from_days invert each other and agree with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (z) => {
        const { y, m, d } = civilFromDays(z);
        expect(daysFromCivil(y, m, d)).toBe(z);
        const ref = new Date(z * 86400000);
        expect([y, m, d]).toEqual([ref.getUTCFullYear(), ref.getUTCMonth() + 1, ref.getUTCDate()]);
      }),
      { numRuns: 2000 },
    );
  });

  test('gmtime matches Date for random timestamps, and timegm inverts it', () => {
    fc.assert(
      fc.property(SECONDS, (sec) => {
        const tm = gmtime(sec);
        const ref = new Date(sec * 1000);
        expect(tm).toMatchObject({
          year: ref.getUTCFullYear(),
          mon: ref.getUTCMonth(),
          mday: ref.getUTCDate(),
          hour: ref.getUTCHours(),
          min: ref.getUTCMinutes(),
          sec: ref.getUTCSeconds(),
          wday: ref.getUTCDay(),
        });
        expect(tm.yday).toBe(Math.round((Date.UTC(tm.year, tm.mon, tm.mday) - Date.UTC(tm.year, 0, 1)) / 86400000));
        expect(timegm(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec)).toBe(sec);
      }),
      { numRuns: 2000 },
    );
  });

  test('strftime fields agree with a Date-based rendering for random timestamps', () => {
    fc.assert(
      fc.property(SECONDS, (sec) => {
        const d = new Date(sec * 1000);
        const tm = gmtime(sec);
        const iso = isoWeekRef(d);
        const yday = tm.yday;
        const jan1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 1)).getUTCDay();
        // %U/%W: weeks start on Sunday/Monday; days before the year's first one are week 0.
        const firstSunday = (7 - jan1) % 7;
        const firstMonday = (8 - jan1) % 7;
        const U = yday < firstSunday ? 0 : Math.floor((yday - firstSunday) / 7) + 1;
        const W = yday < firstMonday ? 0 : Math.floor((yday - firstMonday) / 7) + 1;
        const want = [
          `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
          `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
          DAYS[d.getUTCDay()],
          MONTHS[d.getUTCMonth()],
          pad(yday + 1, 3),
          pad(U),
          pad(W),
          pad(iso.week),
          String(iso.year),
          String(d.getUTCDay() || 7),
          String(sec),
        ].join('|');
        expect(strftime('%F|%T|%a|%b|%j|%U|%W|%V|%G|%u|%s', tm, 0, sec)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('strftime as GNU date prints it', () => {
  // Outputs of `date -u -d @1735689600 +FORMAT` (coreutils 9.1, LC_ALL=C).
  const tm = gmtime(1735689600);
  test.each([
    ['%c', 'Wed Jan  1 00:00:00 2025'],
    ['%x|%X|%D|%r', '01/01/25|00:00:00|01/01/25|12:00:00 AM'],
    ['%j|%U|%W|%V|%G|%g', '001|00|00|01|2025|25'],
    ['%:z|%::z|%z|%Z', '+00:00|+00:00:00|+0000|UTC'],
    ['%-d|%_m|%^a|%#Z|%10A|%-10A', '1| 1|WED|utc| Wednesday|Wednesday'],
    ['%P|%p|%C|%y|%k|%l|%q', 'am|AM|20|25| 0|12|1'],
    ['%e|%3N|%N|%%|%Q', ' 1|000|000000000|%|%Q'],
  ])('%s', (fmt, want) => {
    expect(strftime(fmt, tm, 0, 1735689600)).toBe(want);
  });

  test('%N keeps as many digits as the width asks', () => {
    expect(strftime('%N %3N %6N', tm, 123456789)).toBe('123456789 123 123456');
  });

  test('ctime is the 24-character C form', () => {
    expect(ctime(0)).toBe('Thu Jan  1 00:00:00 1970');
    expect(ctime(1735689600)).toBe('Wed Jan  1 00:00:00 2025');
  });
});

describe('parseDate (date -d, touch -d)', () => {
  const now = 1735689600 * 1e9;
  test.each([
    ['@0', 0],
    ['@86400', 86400e9],
    ['2025-03-04 05:06:07', Date.UTC(2025, 2, 4, 5, 6, 7) * 1e6],
    ['2025-03-04', Date.UTC(2025, 2, 4) * 1e6],
    ['2025-03-04T05:06', Date.UTC(2025, 2, 4, 5, 6) * 1e6],
    ['2025-03-04 05:06:07 +0100', Date.UTC(2025, 2, 4, 4, 6, 7) * 1e6],
    ['now', now],
    ['12:30', now + (12 * 3600 + 30 * 60) * 1e9],
  ])('%s', (text, want) => {
    expect(parseDate(text, now)).toBe(want);
  });

  test.each(['foo', '2025-13-01', '25:00', '@x'])('rejects %s', (text) => {
    expect(parseDate(text, now)).toBeNull();
  });
});
