/**
 * vmstat(8) against procps-ng 4.0.2's vmstat (Debian 12): fixtures/vmstat-real.json holds
 * what the real vmstat printed for known /proc/stat, /proc/vmstat and /proc/meminfo —
 * snapshots of the capturing machine's and synthetic ones, bind-mounted over /proc and
 * changed half way between the tool's reads (fixtures/capture-free-vmstat.py) — and for
 * bad options. Each case runs ctsim's vmstat on a stub kernel serving the same files at
 * the same moments; then vmstat runs on a booted host through /bin/sh.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { vmstatMain } from '../../../../src/userland/programs/sysutils/vmstat.js';
import { parseUnit, unitConvert, UNIT_KIB } from '../../../../src/userland/programs/sysutils/vmstat-report.js';
import { DEFAULT_BOOT_EPOCH_NS } from '../../../../src/index.js';
import { sh } from '../../../helpers/host.js';
import { runStubbed } from './stub-kernel.js';

type Files = { meminfo: number; vmstat: number; stat: number };
interface Case {
  argv: string[];
  /** Indexes of each reading's files in `texts`; null: unreadable. */
  samples: (Files | null)[];
  stdout: string;
  stderr: string;
  status: number;
}
const fixture: { texts: string[]; cases: Case[] } = JSON.parse(readFileSync(new URL('./fixtures/vmstat-real.json', import.meta.url), 'utf8'));

/** DELAY of a case: its first operand, or 1. */
function delayOf(argv: string[]): number {
  const op = argv.slice(1).find((a, i, all) => /^\d+$/.test(a) && !['-S', '-p', '--unit'].includes(all[i - 1] ?? ''));
  return op ? Number(op) : 1;
}

/** The wall-clock second of the first -t timestamp the real vmstat printed, in ns. */
function firstStampNs(stdout: string): number | null {
  const m = /(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/m.exec(stdout);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) * 1e6 : null;
}

/**
 * ctsim's vmstat on the case's files. The real 4.0.2 reads /proc/meminfo once and
 * prints those memory figures on every line (see vmstat.ts); ctsim's reads it for each
 * line, so it is given the first reading's /proc/meminfo throughout.
 */
function runCase(c: Case) {
  const stepNs = delayOf(c.argv) * 1e9;
  const first = c.samples[0];
  const files = (elapsedNs: number) => {
    const k = Math.min(c.samples.length - 1, Math.floor(elapsedNs / stepNs + 0.5));
    const s = c.samples[k];
    const text = (f: keyof Files): string | null => (s && first ? fixture.texts[f === 'meminfo' ? first.meminfo : s[f]] : null);
    return { '/proc/meminfo': text('meminfo'), '/proc/vmstat': text('vmstat'), '/proc/stat': text('stat') };
  };
  // The first timestamp is printed at the start, or after one DELAY under -y.
  const stamp = firstStampNs(c.stdout);
  const noFirst = c.argv.some((a) => a === '--no-first' || /^-[a-zA-Z]*y/.test(a));
  const startNs = stamp === null ? DEFAULT_BOOT_EPOCH_NS : stamp + 5e8 - (noFirst ? stepNs : 0);
  return runStubbed(vmstatMain, c.argv, { files, startNs });
}

const label = (c: Case, i: number): string => `#${i} ${c.argv.slice(1).join(' ') || '(no options)'}${c.samples.length > 1 ? ` (${c.samples.length} readings)` : ''}`;

describe('the real vmstat on the same /proc files', () => {
  test.each(fixture.cases.map((c, i) => [label(c, i), c] as const))('%s', (_l, c) => {
    const r = runCase(c);
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
  });

  test('the fixtures hold enough of each kind', () => {
    const ok = fixture.cases.filter((c) => c.status === 0);
    expect(ok.filter((c) => c.stdout.startsWith('procs') || c.stdout.startsWith('--procs')).length).toBeGreaterThan(100);
    expect(ok.filter((c) => c.stdout.includes(' K paged in')).length).toBeGreaterThan(15);
    expect(fixture.cases.filter((c) => c.samples.length > 2).length).toBeGreaterThan(8);
    expect(fixture.cases.filter((c) => c.status !== 0).length).toBeGreaterThan(40);
  });
});

describe('memory units', () => {
  test('-S takes its first letter; figures pass through a C float', () => {
    expect(parseUnit('kk')).toEqual({ letter: 'k', bytes: 1000 });
    expect(parseUnit('x')).toBeNull();
    expect(parseUnit('')).toBeNull();
    expect([44029078, 231509804, 36280465].map((kb) => unitConvert(kb, UNIT_KIB))).toEqual([44029080, 231509808, 36280464]);
    expect(unitConvert(40000, parseUnit('m')!)).toBe(40);
    expect(unitConvert(500000, parseUnit('M')!)).toBe(488);
  });
});

describe('this vmstat reads /proc/meminfo for each line', () => {
  test('the memory columns follow the file, unlike procps-ng 4.0.2', () => {
    const c = fixture.cases.find((x) => x.argv.join(' ') === 'vmstat 1 4')!;
    const files = (elapsedNs: number) => {
      const s = c.samples[Math.min(c.samples.length - 1, Math.floor(elapsedNs / 1e9 + 0.5))]!;
      return { '/proc/meminfo': fixture.texts[s.meminfo], '/proc/vmstat': fixture.texts[s.vmstat], '/proc/stat': fixture.texts[s.stat] };
    };
    const r = runStubbed(vmstatMain, c.argv, { files, startNs: DEFAULT_BOOT_EPOCH_NS });
    const free = r.stdout.split('\n').slice(2, 6).map((l) => l.trim().split(/ +/)[3]);
    const memFree = c.samples.map((s) => /^MemFree:\s+(\d+)/m.exec(fixture.texts[s!.meminfo])![1]);
    expect(free).toEqual(memFree.map((kb) => String(unitConvert(Number(kb), UNIT_KIB))));
    expect(new Set(free).size).toBeGreaterThan(1);
  });
});

describe('vmstat on a booted host', () => {
  test('vmstat: one line of averages since boot', () => {
    const r = sh('vmstat; echo status=$?');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----');
    expect(lines[1]).toBe(' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st');
    expect(lines[2]).toMatch(/^( *\d+){17}$/);
    expect(lines[3]).toBe('status=0');
    expect(r.stderr).toBe('');
  });

  test('the free column is MemFree, the cache column Cached + SReclaimable', () => {
    const r = sh('grep -E "^(MemFree|Cached|SReclaimable):" /proc/meminfo; vmstat | tail -1');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(r.stdout)![1]);
    const cols = r.stdout.trim().split('\n').pop()!.trim().split(/ +/).map(Number);
    // Other processes start and end between the two commands: allow a few pages.
    expect(Math.abs(cols[3] - kb('MemFree'))).toBeLessThan(1024);
    expect(Math.abs(cols[5] - (kb('Cached') + kb('SReclaimable')))).toBeLessThan(1024);
  });

  test('vmstat -n 1 3: three lines a second apart on the simulated clock', () => {
    const r = sh('vmstat -n 1 3');
    expect(r.stdout.split('\n').length).toBe(6);
    expect(r.elapsedNs).toBeGreaterThanOrEqual(2e9);
    expect(r.elapsedNs).toBeLessThan(2.1e9);
  });

  test('the free column drops while stress holds 32 MiB', () => {
    const r = sh('vmstat -n 1 3 & sleep 0.5; stress -q --vm 1 --vm-bytes 32M --vm-hang 0 --timeout 2; wait', { maxSteps: 20_000_000 });
    const free = r.stdout.trim().split('\n').slice(2).map((l) => Number(l.trim().split(/ +/)[3]));
    expect(free.length).toBe(3);
    expect(free[0] - free[1]).toBeGreaterThanOrEqual(32 * 1024);
    expect(free[2]).toBe(free[1]);
  });

  test('vmstat -w -a -t, -f and -s', () => {
    const w = sh('vmstat -wat').stdout.split('\n');
    expect(w[1]).toBe('   r    b         swpd         free        inact       active   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu                 UTC');
    expect(w[2]).toMatch(/^( +\d+){18} 2025-01-01 00:00:00$/);
    expect(sh('vmstat -f').stdout).toMatch(/^ {4,}\d+ forks\n$/);
    const s = sh('vmstat -s').stdout;
    expect(s.split('\n').length).toBe(29);
    expect(s).toMatch(/^ +\d+ K total memory\n/);
    expect(s).toMatch(/\n +1735689600 boot time\n/);
  });

  test('bad options and arguments, as the real vmstat words them', () => {
    const r = sh('vmstat 0; echo $?; vmstat -S x; vmstat 1 2 3 2>&1 | head -3; vmstat --bogus 2>&1 | head -1; vmstat -d; vmstat -V');
    expect(r.stdout).toBe("1\n\nUsage:\n vmstat [options] [delay [count]]\nvmstat: unrecognized option '--bogus'\nvmstat from procps-ng 4.0.2\n");
    expect(r.stderr).toBe('vmstat: delay must be positive integer\nvmstat: -S requires k, K, m or M (default is KiB)\nvmstat: Unable to create diskstat structure\n');
  });
});
