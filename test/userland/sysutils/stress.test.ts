/** The stress load generator: messages, workers, timeout, CPU use and rejections. */
import { describe, expect, test } from 'vitest';
import { run } from '../../helpers/host.js';
import { bootHost } from './sysutils-host.js';
import { parseStressSize, parseStressTime } from '../../../src/userland/programs/sysutils/stress.js';

describe('stress', () => {
  test('dispatches CPU hogs, ends them at the timeout and reports the run', () => {
    const r = run(['/usr/bin/stress', '--cpu', '2', '--timeout', '3s']);
    expect(r.stdout).toBe('stress: info: [2] dispatching hogs: 2 cpu, 0 io, 0 vm, 0 hdd\nstress: info: [2] successful run completed in 3s\n');
    expect(r.status).toBe(0);
    expect(r.elapsedNs).toBeGreaterThanOrEqual(3e9);
    expect(r.elapsedNs).toBeLessThan(3.1e9);
  });

  test('-v shows the workers coming and going; -q is silent', () => {
    const v = run(['/usr/bin/stress', '-v', '--cpu', '1', '--fork', '1', '--timeout', '1s']);
    expect(v.stdout).toBe(
      'stress: dbug: [2] using backoff sleep of 6000us\n' +
        'stress: dbug: [2] setting timeout to 1s\n' +
        'stress: info: [2] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd, 1 fork\n' +
        'stress: dbug: [2] --> hogcpu worker 1 [3] forked\n' +
        'stress: dbug: [2] --> hogfork worker 1 [4] forked\n' +
        'stress: dbug: [2] <-- worker 3 signalled normally\n' +
        'stress: dbug: [2] <-- worker 4 signalled normally\n' +
        'stress: info: [2] successful run completed in 1s\n',
    );
    const q = run(['/usr/bin/stress', '-q', '--cpu', '1', '-t', '1']);
    expect(q.stdout + q.stderr).toBe('');
    expect(q.status).toBe(0);
  });

  test('CPU workers keep their CPUs busy; fork workers create many short-lived children', () => {
    const h = bootHost();
    h.start(['/usr/bin/stress', '--cpu', '2', '--fork', '1', '--timeout', '60s', '-q']);
    h.wait(2);
    const lines = h.run(['/usr/bin/ps', '-e', '-o', 'pid=,%cpu=,stat=,comm=']).stdout.trim().split('\n');
    // Three hogs share two CPUs: together they use nearly all of both.
    const hogs = lines.filter((l) => / R +stress$/.test(l)).map((l) => Number(l.trim().split(/ +/)[1]));
    expect(hogs).toHaveLength(3);
    expect(hogs.reduce((a, b) => a + b, 0)).toBeGreaterThan(180);
    // PIDs handed out to the fork worker's children push the next PID far beyond the workers'.
    const last = Number(lines[lines.length - 1].trim().split(/ +/)[0]);
    expect(last).toBeGreaterThan(1000);
  });

  test('--vm workers malloc, touch and free memory until the timeout; -v narrates it as stress does', () => {
    const vm = run(['/usr/bin/stress', '-v', '--vm', '1', '--vm-bytes', '1M', '--timeout', '1']);
    expect(vm.status).toBe(0);
    expect(vm.stdout).toMatch(/^stress: dbug: \[2\] using backoff sleep of 3000us\nstress: dbug: \[2\] setting timeout to 1s\nstress: info: \[2\] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n/);
    expect(vm.stdout).toContain('stress: dbug: [3] allocating 1048576 bytes ...\nstress: dbug: [3] touching bytes in strides of 4096 bytes ...\nstress: dbug: [3] freed 1048576 bytes\n');
    expect(vm.stdout).toMatch(/successful run completed in 1s\n$/);
    // A worker that cannot get its memory fails the run; stress then tries to end the
    // others through its process group, which a script's stress does not lead.
    const nomem = run(['/bin/sh', '-c', 'echo 2 > /proc/sys/vm/overcommit_memory; stress --vm 1 --vm-bytes 8G -t 1']);
    expect(nomem.stderr).toBe(
      'stress: FAIL: [4] hogvm malloc failed: Cannot allocate memory\n' +
        'stress: FAIL: [3] <-- worker 4 returned error 1\n' +
        'stress: WARN: [3] now reaping child worker processes\n' +
        'stress: FAIL: [3] kill error: No such process\n' +
        'stress: FAIL: [3] failed run completed in 0s\n',
    );
    expect(nomem.status).toBe(1);
    expect(run(['/usr/bin/stress', '--vm', '1', '--vm-bytes', '1x']).stderr).toBe('stress: FAIL: [2] unrecognized suffix: x\n');
    expect(run(['/usr/bin/stress', '--vm', '1', '--vm-stride', '0']).stderr).toBe('stress: FAIL: [2] invalid stride value: 0\n');
  });

  test("--vm-ops N (stress-ng's): a worker stops after N passes, so the run ends without a timeout", () => {
    const few = run(['/usr/bin/stress', '-v', '--vm', '1', '--vm-bytes', '64K', '--vm-keep', '--vm-ops', '3']);
    expect(few.status).toBe(0);
    // --vm-keep allocates once and re-dirties: one allocation, three passes, then the worker ends.
    expect(few.stdout.match(/allocating/g)).toHaveLength(1);
    expect(few.stdout.match(/touching bytes/g)).toHaveLength(3);
    expect(few.stdout).toMatch(/successful run completed in 0s\n$/);
    // Without --vm-keep each pass is a fresh buffer: allocated, touched and freed N times.
    const fresh = run(['/usr/bin/stress', '-v', '--vm', '1', '--vm-bytes', '64K', '--vm-ops', '2']);
    expect(fresh.stdout.match(/freed 65536 bytes/g)).toHaveLength(2);
    expect(run(['/usr/bin/stress', '--vm', '1', '--vm-ops', 'x']).stderr).toBe('stress: FAIL: [2] invalid number in --vm-ops: x\n');
  });

  test('I/O and disk workers are refused until their models exist; bad values fail', () => {
    expect(run(['/usr/bin/stress', '--io', '1']).status).toBe(1);
    expect(run(['/usr/bin/stress', '--cpu', 'x']).stderr).toBe('stress: FAIL: [2] invalid number in --cpu: x\n');
    expect(run(['/usr/bin/stress', '--cpu', '1', '--timeout', '1x']).stderr).toBe('stress: FAIL: [2] invalid time suffix in --timeout: 1x\n');
    const usage = run(['/usr/bin/stress']);
    expect(usage.stdout).toContain("`stress' imposes certain types of compute stress on your system");
    expect(usage.status).toBe(1);
  });

  test('time suffixes', () => {
    expect(['10', '10s', '2m', '1h', '1d', '1y', 'x', '1.5'].map(parseStressTime)).toEqual([10, 10, 120, 3600, 86400, 31536000, null, null]);
    expect(['1', '1b', '2k', '3M', '1g', '1x'].map(parseStressSize)).toEqual([1, 1, 2048, 3 * 1024 ** 2, 1024 ** 3, 'unrecognized suffix: x']);
  });
});
