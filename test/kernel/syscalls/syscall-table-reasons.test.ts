/**
 * Every errno path of the syscall layer says why (issue 9's Done-when): this test walks
 * the system-call table — every number that has a handler, every named number that has
 * none (ENOSYS) and numbers that name no call — and calls each from a real simulated
 * task with many argument combinations drawn by fast-check (bad and good descriptors,
 * missing, too long and privileged paths, bad flags, nonexistent PIDs, bad addresses),
 * as root, as an unprivileged user, and as root of a new user namespace. Any failure
 * whose reason is missing or empty fails the test, naming the call and its arguments.
 *
 * Argument names and types come from the typed helpers in src/userland/lib/sys.ts and
 * from the fields each handler reads (`r.fd`, `r.path`, …).
 *
 * Signals drawn are never deadly (0 and invalid numbers), so a call cannot kill the
 * driver; each call runs in its own child, which is killed when it blocks.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Op, Program } from '../../../src/kernel/proc/program.js';
import { NR, type SyscallName } from '../../../src/kernel/syscalls/numbers.js';
import { SYSCALL_TABLE } from '../../../src/kernel/syscalls/dispatch.js';
import { CLONE_NEWUSER } from '../../../src/kernel/syscalls/abi.js';
import { WNOHANG } from '../../../src/kernel/proc/wstatus.js';
import { O_DIRECTORY, O_RDONLY, O_RDWR } from '../../../src/kernel/vfs/types.js';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM } from '../../../src/kernel/net/sockets.js';

type Cred = 'root' | 'user' | 'userns';

interface Case {
  nr: number;
  name: string;
  args: Record<string, unknown>;
  cred: Cred;
}

interface Outcome {
  c: Case;
  result: unknown;
}

// ---- argument names and types ----------------------------------------------------

/** Field → TypeScript type of each call's request, from sys.ts's typed helpers. */
function helperFields(): Map<string, Map<string, string>> {
  const src = readFileSync('src/userland/lib/sys.ts', 'utf8');
  const out = new Map<string, Map<string, string>>();
  const re = /export const \w+ = \(([^)]*)\)[^=]*=>\s*call\(\{ nr: NR\.(\w+)((?:, [^}]*)?)\}\)/g;
  for (const m of src.matchAll(re)) {
    const params = new Map<string, string>();
    for (const p of m[1].split(/,(?![^<{[]*[>}\]])/)) {
      const pm = /^\s*(\w+)\??\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+))?$/.exec(p);
      if (pm) params.set(pm[1], pm[2]?.trim() ?? (pm[3] !== undefined && /^-?\d/.test(pm[3].trim()) ? 'number' : 'unknown'));
    }
    const fields = out.get(m[2]) ?? new Map<string, string>();
    for (const f of m[3].split(',').map((x) => x.trim()).filter((x) => x !== '')) {
      const [key, expr] = f.includes(':') ? f.split(':').map((x) => x.trim()) : [f, f];
      fields.set(key, params.get(expr) ?? (/^-?\d+$/.test(expr) ? 'number' : 'unknown'));
    }
    out.set(m[2], fields);
  }
  return out;
}

/** Splits `a: X; b: { c: Y; d: Z }[]` at top-level separators. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '{' || ch === '(' || ch === '[' || ch === '<') depth++;
    if (ch === '}' || ch === ')' || ch === ']' || ch === '>') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

/** Field → type of the handlers whose request is annotated (`read(k, t, r: { fd: number; count: number })`). */
function handlerTypes(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const f of readdirSync('src/kernel/syscalls').filter((x) => /^sys-.*\.ts$/.test(x))) {
    for (const line of readFileSync(`src/kernel/syscalls/${f}`, 'utf8').split('\n')) {
      const m = /^\s+(\w+)\(k, t, \w+: \{(.*)\}\)/.exec(line);
      if (!m) continue;
      const fields = new Map<string, string>();
      for (const part of splitTop(m[2], ';')) {
        const i = part.indexOf(':');
        if (i > 0) fields.set(part.slice(0, i).replace('?', '').trim(), part.slice(i + 1).trim());
      }
      out.set(m[1], fields);
    }
  }
  return out;
}

/** Fields a handler reads from its request (`r.fd`, `req.path`), from its source text. */
function handlerFields(nr: number): string[] {
  const h = SYSCALL_TABLE[nr];
  if (!h) return [];
  const text = h.toString();
  const params = /^[^(]*\(([^)]*)\)/.exec(text)?.[1].split(',').map((p) => p.trim().split(/[\s:=]/)[0]) ?? [];
  const req = params[2];
  if (!req) return [];
  return [...new Set([...text.matchAll(new RegExp(`\\b${req}\\.(\\w+)`, 'g'))].map((m) => m[1]))].filter((f) => f !== 'nr');
}

// ---- values --------------------------------------------------------------------

const PATHS = [
  '',
  '/',
  '/nonexistent',
  '/nonexistent/x',
  '/etc/passwd',
  '/etc/passwd/x',
  '/etc/shadow',
  '/tmp',
  '/tmp/f',
  '/dev/null',
  '/dev/zero',
  '/proc/1/ns/pid',
  '/proc/self/uid_map',
  '/proc/sys/kernel/hostname',
  '/sys/fs/cgroup/pids.max',
  '/sys/fs/cgroup/cgroup.procs',
  '/bin/sh',
  'relative',
  'a'.repeat(300),
  '/' + 'd/'.repeat(40) + 'x',
  'proc',
  'tmpfs',
  'cgroup2',
];

const num = (vals: number[]): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(...vals), fc.integer({ min: -5, max: 70000 }));

function numberFor(field: string): fc.Arbitrary<number> {
  if (/sig/i.test(field)) return fc.constantFrom(0, -1, 65, 1000);
  if (/fd$|^fd|fd\d/i.test(field)) return fc.constantFrom(-100, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1023, 65536);
  if (/pid|pgid|^sid$|^who$/i.test(field)) return fc.constantFrom(-99999, -1, 0, 1, 2, 3, 99999);
  if (/uid|gid/i.test(field)) return fc.constantFrom(-1, 0, 1, 1000, 65534, 4294967295);
  if (/count|len|size|length|^n$|^ns$|Ns$|^status$/i.test(field)) return fc.constantFrom(-1, 0, 1, 4096, 1 << 20);
  return num([-1, 0, 1, 2, 3, 4, 8, 16, 64, 0o777, 4096, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 40]);
}

function stringFor(field: string): fc.Arbitrary<string> {
  if (/path|target|source|file|dir|link|root|fstype|^name$|^old|^new/i.test(field)) return fc.constantFrom(...PATHS);
  return fc.constantFrom('', 'x', 'hello\n', 'a'.repeat(100), '0\n', 'max\n', '+pids\n');
}

/** A child entry that exits at once (clone and fork's `entry`). */
const quickExit = (): Program => (function* (): Program {
  return 0;
})();

function valueFor(field: string, type: string | undefined): fc.Arbitrary<unknown> {
  const t = type ?? '';
  const objs = /^\{(.*)\}\[\]$/.exec(t);
  if (objs) {
    const rec: Record<string, fc.Arbitrary<unknown>> = {};
    for (const part of splitTop(objs[1], ';')) {
      const [k, v] = part.split(':').map((x) => x.trim());
      rec[k.replace('?', '')] = valueFor(k, v);
    }
    return fc.array(fc.record(rec), { maxLength: 3 });
  }
  if (/string\[\]/.test(t)) return fc.constantFrom([], ['/bin/true'], ['sh', '-c', 'exit 3'], ['x'.repeat(200)]);
  if (/CloneEntry/.test(t) || field === 'entry') return fc.constant(quickExit);
  if (/SockAddrIn/.test(t) || (field === 'addr' && t === '')) {
    return fc.record({ family: fc.constantFrom(2, 1, 10, 0), addr: fc.constantFrom(0x7f000001, 0, 0x0a000001, 0xffffffff, 0x08080808), port: fc.constantFrom(0, 1, 22, 80, 65535) });
  }
  if (/SigActionArg/.test(t)) return fc.constantFrom({ handler: 'default' }, { handler: 'ignore' }, { handler: 'default', mask: [9, 19] });
  if (/Rlimit/.test(t)) return fc.record({ soft: fc.constantFrom(0, 1, 1024, Infinity, -1), hard: fc.constantFrom(0, 1, 1024, Infinity, -1) });
  if (/ItimerVal/.test(t)) return fc.record({ valueNs: fc.constantFrom(0, 1, 1e9, -1), intervalNs: fc.constantFrom(0, 1e6, -1) });
  if (/bigint/.test(t)) return fc.constantFrom(0n, 1n, (1n << 41n) - 1n, 1n << 63n);
  if (/boolean/.test(t)) return fc.boolean();
  if (/number\[\]/.test(t)) return fc.constantFrom([], [0], [1000, 1001], [-1]);
  if (/\bstring\b|Bytes/.test(t)) return stringFor(field);
  if (/number/.test(t)) return numberFor(field);
  if (/unknown/.test(t) && field === 'arg') return fc.oneof(numberFor(field), fc.constant(undefined), fc.constant({}));
  // Untyped: by name (paths and data are strings, the rest numbers).
  if (/path|target|source|file|fstype|data|buf|^name$|^old|^new/i.test(field)) return stringFor(field);
  return numberFor(field);
}

// ---- the table -----------------------------------------------------------------

const HELPERS = helperFields();
const HANDLER_TYPES = handlerTypes();

/** Every number the walk calls: the handlers, the named calls without one, and numbers naming none. */
const NUMBERS: { nr: number; name: string }[] = [
  ...(Object.entries(NR) as [SyscallName, number][]).map(([name, nr]) => ({ nr, name })),
  { nr: 9999, name: '9999' },
  { nr: -1, name: '-1' },
];

function caseFor(nr: number, name: string): fc.Arbitrary<Case> {
  const fields = new Map<string, string | undefined>();
  for (const [f, t] of HELPERS.get(name) ?? []) fields.set(f, t);
  for (const [f, t] of HANDLER_TYPES.get(name) ?? []) fields.set(f, t);
  for (const f of handlerFields(nr)) if (!fields.has(f)) fields.set(f, undefined);
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [f, t] of fields) rec[f] = valueFor(f, t);
  return fc.record({
    nr: fc.constant(nr),
    name: fc.constant(name),
    args: fc.record(rec),
    cred: fc.constantFrom<Cred>('root', 'user', 'userns'),
  });
}

/** One draw: every number of the table once, in table order. */
const tableWalk = fc.tuple(...NUMBERS.map((n) => caseFor(n.nr, n.name)));

/**
 * Descriptors for the drawn fds to hit: 3 a file, 4 a directory, 5 and 6 a pipe, 7 a
 * TCP socket, 8 a UDP socket, 9 /dev/null.
 */
function* openFds(): Generator<Op, void, unknown> {
  yield* sys.open('/etc/passwd', O_RDONLY);
  yield* sys.open('/tmp', O_RDONLY | O_DIRECTORY);
  yield* sys.pipe2(0);
  yield* sys.socket(AF_INET, SOCK_STREAM, 0);
  yield* sys.socket(AF_INET, SOCK_DGRAM, 0);
  yield* sys.open('/dev/null', O_RDWR);
}

/** Becomes the credential the case asks for. */
function* become(cred: Cred): Generator<Op, void, unknown> {
  if (cred === 'root') return;
  yield* sys.setresgid(1000, 1000, 1000);
  yield* sys.setgroups([]);
  yield* sys.setresuid(1000, 1000, 1000);
  if (cred === 'userns') yield* sys.unshare(CLONE_NEWUSER);
}

/** Runs each case in a child of a fresh host; returns what each call answered. */
function runCases(cases: readonly Case[]): Outcome[] {
  const outcomes: Outcome[] = [];
  let current: Case | null = null;
  const driver = function* (): Program {
    for (const c of cases) {
      current = c;
      const pid = yield* sys.fork(() =>
        (function* (): Program {
          yield* openFds();
          yield* become(c.cred);
          const result = yield { nr: c.nr, ...c.args };
          outcomes.push({ c, result });
          return 0;
        })(),
      );
      if (pid instanceof SysError) throw new Error(`fork failed: ${pid.errno} ${pid.reason}`);
      let done = false;
      for (let i = 0; i < 5 && !done; i++) {
        const w = yield* sys.wait4(pid, WNOHANG);
        done = !(w instanceof SysError) && w.pid === pid;
        if (!done) yield* sys.nanosleep(1_000_000);
      }
      if (!done) {
        yield* sys.kill(pid, 9);
        yield* sys.wait4(pid);
      }
    }
    return 0;
  };
  const h = hostWith({ walker: driver });
  const r = h.run(['/usr/bin/walker'], { maxSteps: 20_000_000 });
  if (r.status !== 0) throw new Error(`the walk did not finish: status ${r.status} ${r.ended} during ${JSON.stringify(current)}\n${r.stderr}\n${h.kernel.log.map((l) => l.text).join('\n')}`);
  return outcomes;
}

/** Failures without a reason, as `name {args} as cred: ERRNO`. */
function unexplained(outcomes: readonly Outcome[]): string[] {
  return outcomes
    .filter((o) => o.result instanceof SysError && !(typeof o.result.reason === 'string' && o.result.reason.trim() !== ''))
    .map((o) => `${o.c.name} ${JSON.stringify(o.c.args, (_k, v: unknown) => (typeof v === 'function' ? '<entry>' : typeof v === 'bigint' ? `${v}n` : v))} as ${o.c.cred}: ${(o.result as SysError).errno}`);
}

describe('the syscall table: every failure says why', () => {
  it('finds the argument names of calls (sys.ts helpers and handler sources)', () => {
    expect([...(HELPERS.get('openat')?.keys() ?? [])]).toEqual(['dirfd', 'path', 'flags', 'mode']);
    expect(HELPERS.get('kill')?.get('sig')).toBe('number');
    expect(handlerFields(NR.kill)).toEqual(expect.arrayContaining(['pid', 'sig']));
  });

  it('flags a failure whose reason is empty (the check can fail)', () => {
    const c: Case = { nr: NR.kill, name: 'kill', args: { pid: 1, sig: 0 }, cred: 'user' };
    expect(unexplained([{ c, result: new SysError('EPERM', ' ') }])).toEqual(['kill {"pid":1,"sig":0} as user: EPERM']);
    expect(unexplained([{ c, result: new SysError('EPERM', 'why') }, { c, result: 0 }])).toEqual([]);
  });

  it('every call, with drawn arguments, as root, a user and root of a user namespace', () => {
    const seen = new Map<string, Set<string>>();
    fc.assert(
      fc.property(tableWalk, (cases) => {
        const outcomes = runCases(cases);
        for (const o of outcomes) {
          if (o.result instanceof SysError) {
            const s = seen.get(o.c.name) ?? new Set<string>();
            s.add(o.result.errno);
            seen.set(o.c.name, s);
          }
        }
        expect(unexplained(outcomes)).toEqual([]);
      }),
      { numRuns: 30, seed: 9, endOnFailure: true },
    );
    // The walk reached the calls: most of the table failed somewhere (and said why).
    const implemented = NUMBERS.filter((n) => SYSCALL_TABLE[n.nr] !== undefined).length;
    expect(seen.size).toBeGreaterThan(implemented * 0.7);
    expect(seen.get('9999')).toEqual(new Set(['ENOSYS']));
  }, 600_000);
});
