/**
 * chrt(1), util-linux 2.38.1: the outputs, messages and exit statuses below are
 * what the real chrt printed on Debian 12 for the same arguments (2026-11-26);
 * policies and their ranges are sched(7)'s.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';

function sh(script: string) {
  const host = createHost({ cpus: 1, seed: 1 });
  const r = host.sh(script);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('chrt', () => {
  test('-m lists each policy range, SCHED_DEADLINE last', () => {
    expect(sh('chrt -m').stdout).toBe(
      'SCHED_OTHER min/max priority\t: 0/0\nSCHED_FIFO min/max priority\t: 1/99\nSCHED_RR min/max priority\t: 1/99\n' +
        'SCHED_BATCH min/max priority\t: 0/0\nSCHED_IDLE min/max priority\t: 0/0\nSCHED_DEADLINE min/max priority\t: 0/0\n',
    );
  });

  test('runs a command under a policy, RR by default; options stop at the priority', () => {
    // PID 0 is the caller, shown by its own number.
    expect(sh('chrt 7 chrt -p 0').stdout).toBe("pid 3's current scheduling policy: SCHED_RR\npid 3's current scheduling priority: 7\n");
    expect(sh('chrt -v -f 10 true')).toMatchObject({ stdout: '', status: 0 });
    expect(sh('chrt -f 3 sh -c "chrt -p \\$\\$"').stdout).toBe("pid 3's current scheduling policy: SCHED_FIFO\npid 3's current scheduling priority: 3\n");
    expect(sh('chrt --fif -- 5 chrt -p 0').stdout).toContain('SCHED_FIFO');
  });

  test('-p sets another process, and -v shows it before and after', () => {
    const r = sh('sleep 10 & chrt -v -f -p 5 $!; chrt -o -p 0 $!; chrt -p $!');
    expect(r.stdout).toBe(
      "pid 3's current scheduling policy: SCHED_OTHER\npid 3's current scheduling priority: 0\n" +
        "pid 3's new scheduling policy: SCHED_FIFO\npid 3's new scheduling priority: 5\n" +
        "pid 3's current scheduling policy: SCHED_OTHER\npid 3's current scheduling priority: 0\n",
    );
    // With one operand after -p, that operand is the PID to show, whatever the policy flag.
    expect(sh('chrt -f -p 1').stdout).toBe("pid 1's current scheduling policy: SCHED_OTHER\npid 1's current scheduling priority: 0\n");
  });

  test.each([
    ['chrt -f 100 true', "chrt: unsupported priority value for the policy: 100: see --max for valid range\n", 1],
    ['chrt -r 0 true', "chrt: unsupported priority value for the policy: 0: see --max for valid range\n", 1],
    ['chrt -o 5 true', "chrt: unsupported priority value for the policy: 5: see --max for valid range\n", 1],
    ['chrt -f x true', "chrt: invalid priority argument: 'x'\n", 1],
    ['chrt -f 99999999999 true', "chrt: invalid priority argument: '99999999999': Numerical result out of range\n", 1],
    ['chrt -f -p 5 1 99999', "chrt: failed to set pid 99999's policy: No such process\n", 1],
    ['chrt 5', "chrt: bad usage\nTry 'chrt --help' for more information.\n", 1],
    ['chrt -p', "chrt: invalid PID argument: '-p'\n", 1],
    ['chrt -p x', "chrt: invalid PID argument: 'x'\n", 1],
    ['chrt -p 99999', "chrt: failed to get pid 99999's policy: No such process\n", 1],
    ['chrt -f -p 5 99999', "chrt: failed to set pid 99999's policy: No such process\n", 1],
    ['chrt -f 5 /nonexist', 'chrt: failed to execute /nonexist: No such file or directory\n', 127],
    ['chrt -z', "chrt: invalid option -- 'z'\nTry 'chrt --help' for more information.\n", 1],
    ['chrt --pid=1', "chrt: option '--pid' doesn't allow an argument\nTry 'chrt --help' for more information.\n", 1],
  ])('%s', (script, stderr, status) => {
    expect(sh(script)).toMatchObject({ stdout: '', stderr, status });
  });

  test('--help and --version', () => {
    expect(sh('chrt --help').stdout).toMatch(/^Show or change the real-time scheduling attributes of a process\.\n[\s\S]*For more details see chrt\(1\)\.\n$/);
    expect(sh('chrt -V').stdout).toBe('chrt from util-linux 2.38.1\n');
  });
});
