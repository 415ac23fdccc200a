/**
 * The shell's variables in the simulated memory (src/userland/programs/dash/memory.ts):
 * a variable that grows past the first 128 KiB grows the shell's heap, which the kernel
 * sees (RSS, brk in a trace, the OOM killer: test/scenarios/mm-oom-killer-shell-variable),
 * and shrinks it again when it is unset; a script with small variables makes no call.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VarTable } from '../../../src/userland/programs/dash/vars.js';
import { sh } from '../../helpers/host.js';

/** The bytes dash would hold for the table's variables, counted afresh. */
function recount(t: VarTable): number {
  return t.sorted().reduce((n, [name, v]) => n + name.length + v.value.length + 2, 0);
}

describe('VarTable.bytes', () => {
  it('is the sum of "name=value\\0" over the variables after any sequence of set, unset, flags, local and fork', () => {
    const name = fc.constantFrom('a', 'bb', 'PATH', 'x');
    const op = fc.oneof(
      fc.record({ k: fc.constant('set' as const), name, value: fc.string({ maxLength: 40 }) }),
      fc.record({ k: fc.constant('unset' as const), name }),
      fc.record({ k: fc.constant('flags' as const), name }),
      fc.record({ k: fc.constant('local' as const), name, value: fc.string({ maxLength: 40 }) }),
      fc.record({ k: fc.constant('fork' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let t = new VarTable();
        const saved = [];
        for (const o of ops) {
          if (o.k === 'set') t.set(o.name, o.value);
          else if (o.k === 'unset') t.unset(o.name);
          else if (o.k === 'flags') t.setFlags(o.name, 1);
          else if (o.k === 'local') {
            saved.push(t.save(o.name));
            t.set(o.name, o.value);
          } else t = t.clone();
          expect(t.bytes).toBe(recount(t));
        }
        for (const s of saved.reverse()) t.restore(s);
        expect(t.bytes).toBe(recount(t));
      }),
    );
  });
});

describe("the shell's heap", () => {
  const rss = "grep VmRSS /proc/$$/status | tr -s ' \\t' ' '";

  it('grows with a variable past 128 KiB, in 128 KiB steps, and is trimmed when the variable goes', () => {
    const r = sh(`${rss}; x=x; i=0; while [ $i -lt 20 ]; do x=$x$x; i=$((i+1)); done; ${rss}; unset x; ${rss}`);
    expect(r.status).toBe(0);
    const kb = r.stdout.trim().split('\n').map((l) => Number(/VmRSS: (\d+) kB/.exec(l)![1]));
    // 1 MiB of x beyond the first 128 KiB: 896 KiB, rounded up to 128 KiB steps.
    expect(kb[1] - kb[0]).toBe(1024);
    expect(kb[2]).toBe(kb[0]);
  });

  it('is moved with brk (a trace shows it); small variables make no call', () => {
    const big = sh('strace -e trace=brk sh -c \'x=x; i=0; while [ $i -lt 18 ]; do x=$x$x; i=$((i+1)); done\'');
    expect(big.stderr).toMatch(/^brk\(NULL\) += 0x[0-9a-f]+\nbrk\(0x[0-9a-f]+\) += 0x[0-9a-f]+\n/);
    const small = sh("strace -e trace=brk sh -c 'x=abc; y=$x$x; echo $y'");
    expect(small.stdout).toBe('abcabc\n');
    expect(small.stderr).toMatch(/^\+\+\+ exited with 0 \+\+\+\n$/);
  });

  it('says "Out of space" (status 2) when node cannot hold the word, as dash does when malloc fails', { timeout: 60_000 }, () => {
    const r = sh("x=x; while :; do x=$x$x; done; echo never", { host: { memoryBytes: 16 * 1024 ** 3 } });
    expect(r.stderr).toBe('sh: 1: Out of space\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
