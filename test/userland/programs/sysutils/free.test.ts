/**
 * free(1) against procps-ng 4.0.2's free (Debian 12): fixtures/free-real.json holds what
 * the real free printed for known /proc/meminfo files — the capturing machine's own, and
 * synthetic ones bind-mounted over /proc/meminfo (fixtures/capture-free-vmstat.py) —
 * and for bad options. Each case runs ctsim's free on a stub kernel serving the same
 * file at the same moments; then free runs on a booted host through /bin/sh.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { freeMain } from '../../../../src/userland/programs/sysutils/free.js';
import { scaleSize } from '../../../../src/userland/programs/sysutils/free-report.js';
import { parseMeminfo, summarizeMeminfo } from '../../../../src/userland/programs/sysutils/meminfo.js';
import { DEFAULT_BOOT_EPOCH_NS } from '../../../../src/index.js';
import { sh } from '../../../helpers/host.js';
import { runStubbed } from './stub-kernel.js';

interface Case {
  argv: string[];
  /** Index of /proc/meminfo's text in `texts` for each reading; null: unreadable. */
  samples: ({ meminfo: number } | null)[];
  stdout: string;
  stderr: string;
  status: number;
}
const fixture: { texts: string[]; cases: Case[] } = JSON.parse(readFileSync(new URL('./fixtures/free-real.json', import.meta.url), 'utf8'));

/** Seconds between the capture's readings: -s's value, or 1 with -c alone. */
function stepOf(argv: string[]): number {
  const i = argv.findIndex((a) => a === '-s' || a === '--seconds');
  return Number((argv[i + 1] ?? '1').replace(',', '.')) || 1;
}

/** ctsim's free on the case's files, started `fraction` of a second into a wall-clock second. */
function runCase(c: Case, fraction: number) {
  const stepNs = stepOf(c.argv) * 1e9;
  const meminfo = (elapsedNs: number): string | null => {
    // The capture installed reading k half way between the tool's reads k-1 and k.
    const k = Math.min(c.samples.length - 1, Math.max(0, Math.floor(elapsedNs / stepNs + 0.5)));
    const s = c.samples[k];
    return s ? fixture.texts[s.meminfo] : null;
  };
  return runStubbed(freeMain, c.argv, { files: (t) => ({ '/proc/meminfo': meminfo(t) }), startNs: DEFAULT_BOOT_EPOCH_NS + fraction * 1e9 });
}

const label = (c: Case, i: number): string => `#${i} ${c.argv.slice(1).join(' ') || '(no options)'}`;

describe('the real free on the same /proc/meminfo', () => {
  const single = fixture.cases.filter((c) => c.samples.length === 1);
  test.each(single.map((c, i) => [label(c, i), c] as const))('%s', (_l, c) => {
    const r = runCase(c, 0.5);
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
  });

  // libproc2 reads /proc/meminfo again only once time(2) has moved on a second, so
  // what a report shows depends on where in its second the capture started.
  const repeated = fixture.cases.filter((c) => c.samples.length > 1);
  test.each(repeated.map((c, i) => [label(c, i), c] as const))('repeating: %s', (_l, c) => {
    const outputs = Array.from({ length: 20 }, (_, f) => runCase(c, f / 20));
    expect(outputs.some((r) => r.stdout === c.stdout && r.stderr === c.stderr && r.status === c.status)).toBe(true);
    // One second or more apart, every report reads the file again.
    if (stepOf(c.argv) >= 1) expect(outputs.every((r) => r.stdout === c.stdout)).toBe(true);
  });

  test('the fixtures hold enough of each kind', () => {
    expect(single.filter((c) => c.status === 0 && c.stdout.includes('Mem:')).length).toBeGreaterThan(300);
    expect(single.filter((c) => c.status !== 0).length).toBeGreaterThan(40);
    expect(repeated.length).toBeGreaterThanOrEqual(4);
  });
});

describe('reading /proc/meminfo', () => {
  test('a missing field is 0, MemAvailable falls back to MemFree, used may go negative', () => {
    const m = summarizeMeminfo(parseMeminfo('MemTotal: 1000 kB\nMemFree: 4000 kB\n'));
    expect([m.totalKb, m.freeKb, m.availableKb, m.usedKb, m.cacheKb, m.swapUsedKb]).toEqual([1000, 4000, 4000, -3000, 0, 0]);
    const n = summarizeMeminfo(parseMeminfo('MemTotal:  1000 kB\nMemFree: 400 kB\nMemAvailable: 2000 kB\nSwapTotal: 10 kB\nSwapFree: 20 kB\n'));
    expect([n.availableKb, n.usedKb, n.swapUsedKb, n.lowTotalKb, n.lowUsedKb]).toEqual([400, 600, 0, 1000, 600]);
  });

  test('-h picks the first unit that fits, truncating where one decimal does not', () => {
    const h = { exponent: 0, si: false, human: true };
    expect([0, 1, 999, 1000, 9999, 10189, 10200, 1048575].map((kb) => scaleSize(kb, h))).toEqual(['0B', '1.0Ki', '999Ki', '1.0Mi', '9.8Mi', '9Mi', '9Mi', '1.0Gi']);
    expect([0, 1, 9999, 1048576].map((kb) => scaleSize(kb, { ...h, si: true }))).toEqual(['0B', '1.0K', '10M', '1.1G']);
  });
});

describe('free on a booted host', () => {
  const header = '               total        used        free      shared  buff/cache   available\n';

  test('free reports MemTotal from /proc/meminfo', () => {
    const r = sh('grep MemTotal /proc/meminfo; free; echo status=$?');
    const total = /^MemTotal:\s+(\d+) kB$/m.exec(r.stdout)![1];
    const lines = r.stdout.split('\n');
    expect(lines[1] + '\n').toBe(header);
    expect(lines[2]).toMatch(new RegExp(`^Mem: {4,}${total}( +-?\\d+){5}$`));
    expect(lines[3]).toMatch(/^Swap:( +\d+){3}$/);
    expect(lines[4]).toBe('status=0');
    expect(r.stderr).toBe('');
  });

  test('a host with swap shows it on the Swap: line', () => {
    const r = sh('grep SwapTotal /proc/meminfo; free -m', { host: { swapBytes: 512 * 1024 ** 2 } });
    // The swap area's first page holds its header (mkswap), as on Linux.
    const kb = Number(/^SwapTotal: +(\d+) kB$/m.exec(r.stdout)![1]);
    expect(kb).toBe(512 * 1024 - 4);
    expect(r.stdout.split('\n')[3]).toMatch(new RegExp(`^Swap: +${Math.floor(kb / 1024)} +0 +${Math.floor(kb / 1024)}$`));
  });

  test('free -h, -w -t -l -v', () => {
    const h = sh('free -h');
    expect(h.stdout.split('\n')[1]).toMatch(/^Mem:( +(\d+(\.\d)?[KMGTP]i|0B)){6}$/);
    const all = sh('free -wtlv');
    expect(all.stdout.split('\n').map((l) => l.slice(0, 6))).toEqual(['      ', 'Mem:  ', 'Low:  ', 'High: ', 'Swap: ', 'Total:', 'Comm: ', '']);
  });

  test('-s and -c repeat on the simulated clock, a blank line between reports', () => {
    const r = sh('free -s 2 -c 3');
    expect(r.stdout.split('\n\n').length).toBe(3);
    expect(r.stdout.endsWith('\n\n')).toBe(false);
    expect(r.elapsedNs).toBeGreaterThanOrEqual(4e9);
    expect(r.elapsedNs).toBeLessThan(4.1e9);
  });

  test('bad options and arguments, as the real free words them', () => {
    const r = sh('free -c 0; echo $?; free -s x 2>&1; free --bogus 2>&1 | head -3; free -k -m; free extra 2>&1 | head -2');
    expect(r.stdout).toBe("1\nfree: seconds argument failed: 'x': Invalid argument\nfree: unrecognized option '--bogus'\n\nUsage:\n\nUsage:\n");
    expect(r.stderr).toBe("free: failed to parse count argument: '0': Numerical result out of range\nfree: Multiple unit options don't make sense.\n");
  });
});
