/**
 * Every errno the kernel decides carries its reason — the words explain mode gives a
 * learner (issue 9): each literal `err('EXXX', reason)` / `new SysError('EXXX', reason)`
 * under src/kernel names why, so no path of the syscall layer (which calls into the VFS,
 * file systems, cgroups, namespaces, terminals and the network) returns a bare errno.
 * Errors passed on from a callee keep the callee's reason (err(e.errno, e.reason)).
 * SysError's type requires a reason; this test also fails on reasons that are empty.
 * test/kernel/syscalls/syscall-table-reasons.test.ts checks the same at run time, by
 * calling every entry of the syscall table.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = 'src/kernel';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A literal errno with no reason after it. */
const BARE = /\b(?:err|new SysError)\('E[A-Z0-9]+'\)/g;

/**
 * Any errno (literal or chosen at run time) whose reason is empty or may be: `err(e, '')`,
 * `new SysError(x.errno, x.reason ?? '')`. The type makes a reason required; this
 * catches the ways of giving one that say nothing.
 */
const EMPTY = /\b(?:err|new SysError)\([^;]*?,\s*(?:''|""|``|[\w.]+ \?\? '')\)/g;

/** `file:line: text` of every literal errno without a reason. */
function bareErrnos(): string[] {
  const out: string[] = [];
  for (const f of files(ROOT)) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(BARE)) out.push(`${f}:${i + 1}: ${m[0]}`);
        for (const m of line.matchAll(EMPTY)) out.push(`${f}:${i + 1}: ${m[0]}`);
      });
  }
  return out;
}

describe('errno reasons', () => {
  it('every errno the kernel returns says why', () => {
    expect(bareErrnos()).toEqual([]);
  });

  it('finds a bare errno when there is one (the check can fail)', () => {
    expect("return err('EPERM');".match(BARE)).toHaveLength(1);
    expect("return err('EPERM', 'setuid needs CAP_SETUID');".match(BARE)).toBeNull();
    expect("return err(e, '');".match(EMPTY)).toHaveLength(1);
    expect('return new SysError(r.errno, r.reason ?? \'\');'.match(EMPTY)).toHaveLength(1);
    expect("return err(e, routeFailure(e, to.addr));".match(EMPTY)).toBeNull();
  });
});
