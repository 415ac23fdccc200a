/**
 * Job operands of jobs, fg, bg, wait and kill (dash(1) "Job control"; POSIX XCU
 * 3.204 "Job Control Job ID"): %%, %+, %, %-, %n, %prefix, %?text, and dash's
 * messages for each failure, taken from /usr/bin/dash.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';
import { expectSh } from './helpers.js';

describe('job operands without job control', () => {
  test('current, previous and numbered jobs', () => {
    expectSh('sleep 1 & sleep 1 & jobs %1 %% %+ % %-; jobs %01', {
      out: '[1] - Running                    \n[2] + Running                    \n[2] + Running                    \n[2] + Running                    \n[1] - Running                    \n[1] - Running                    \n',
    });
  });

  test('failures', () => {
    expectSh('jobs %%', { err: 'sh: 1: jobs: No current job\n', status: 2 });
    expectSh('sleep 1 & jobs %-', { err: 'sh: 1: jobs: No previous job\n', status: 2 });
    expectSh('sleep 1 & jobs %0', { err: 'sh: 1: jobs: No such job: %0\n', status: 2 });
    expectSh('sleep 1 & jobs 1', { err: 'sh: 1: jobs: No such job: 1\n', status: 2 });
    expectSh('sleep 1 & sleep 1 & jobs "%?"', { err: 'sh: 1: jobs: %?: ambiguous\n', status: 2 });
    expectSh('wait %1; echo $?', { out: '2\n', err: 'sh: 1: wait: No such job: %1\n' });
  });

  test('fg and bg need a job made under job control; a missing operand is "(null)"', () => {
    expectSh('sleep 1 & fg', { err: 'sh: 1: fg: job (null) not created under job control\n', status: 2 });
    expectSh('sleep 1 & bg %1', { err: 'sh: 1: bg: job %1 not created under job control\n', status: 2 });
    expectSh('bg', { err: 'sh: 1: bg: No current job\n', status: 2 });
  });
});

describe('job operands on a terminal', () => {
  test('%prefix and %?text match the first command; a %n past the table is a prefix', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    let out = '';
    const tty = host.openTerminal((b) => (out += b));
    host.spawnOnTerminal(['sh'], tty, { path: '/bin/sh' });
    const settle = (): void => void host.engine.run({ until: host.engine.now + 600_000_000, maxSteps: 2_000_000 });
    settle();
    // The same lines given to dash on a pseudo-terminal print these.
    for (const line of ['sleep 30 | cat &', 'sleep 31 &', 'jobs %sleep\\ 31', 'jobs %?30', 'jobs %?cat', 'jobs %sl', 'jobs %9', 'kill %1 %2']) {
      tty.inputLine(line + '\n');
      settle();
    }
    const lines = out
      .split('\r\n')
      .map((l) => l.replace(/^(# )+/, ''))
      .filter((l) => /Running|jobs:/.test(l));
    expect(lines).toEqual([
      '[2] + Running                    sleep 31',
      '[1] - Running                    sleep 30 | cat',
      'sh: 5: jobs: No such job: %?cat',
      'sh: 6: jobs: %sl: ambiguous',
      'sh: 7: jobs: No such job: %9',
    ]);
  });
});
