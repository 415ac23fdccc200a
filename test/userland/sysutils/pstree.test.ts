/**
 * pstree(1) on the simulated host: PIDs (-p, which also stops merging), the chain of
 * parents (-s), a user's trees, and refusals. The drawing rules themselves are checked
 * against the real pstree in test/scenarios/sysutils-pstree.scenario; the forms here
 * (name(PID), "init(1)---sh(2)---…") are the ones the real pstree printed for -p and -s.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';

function sh(script: string) {
  const r = createHost({ cpus: 1, seed: 1 }).sh(script);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('pstree', () => {
  test('-p shows PIDs and does not merge; -n sorts by PID', () => {
    const r = sh('sleep 100 & sleep 100 & (sleep 100 & sleep 101; ) & sleep 0.1; pstree -p $$; pstree -n -p $$');
    expect(r.stdout).toBe(
      'sh(2)-+-pstree(8)\n      |-sleep(3)\n      |-sleep(4)\n      `-sleep(5)---sleep(7)\n' +
        'sh(2)-+-sleep(3)\n      |-sleep(4)\n      |-sleep(5)---sleep(7)\n      `-pstree(9)\n',
    );
  });

  test('-s draws the parents above the process, one line each with -a', () => {
    const r = sh('(sleep 100 & sleep 101; ) & sleep 0.1; pstree -s -p $!; pstree -a -s $!');
    expect(r.stdout).toBe('init(1)---sh(2)---sleep(3)---sleep(5)\n' + 'init\n  `-sh -c (sleep 100 & sleep 101; ) & sleep 0.1; pstree -s -p $!; pstree -a -s $!\n      `-sleep 101\n          `-sleep 100\n');
  });

  test('USER starts a tree at each topmost process of that user', () => {
    const r = sh("sleep 100 & pstree nobody; echo \"rc=$?\"; pstree root | head -1; pstree no-such-user; echo \"rc=$?\"");
    expect(r.stdout).toBe('rc=0\ninit---sh-+-head\nrc=1\n');
    expect(r.stderr).toBe('No such user name: no-such-user\n');
  });

  test('-V goes to standard error; a bad option prints the usage', () => {
    expect(sh('pstree -V 2>/dev/null; pstree -V 2>&1 | head -1')).toMatchObject({ stdout: 'pstree (PSmisc) 23.6\n', status: 0 });
    const bad = sh('pstree -u');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^pstree: invalid option -- 'u'\nUsage: pstree /);
  });
});
