import { describe, expect, it } from 'vitest';
import Sched from '../../src/commands/sched.js';
import { runCli } from '../helpers/cli.js';

describe('runCli (the in-process CLI test helper)', () => {
  it('captures stdout and exit 0, and puts process.stdout.write back', async () => {
    const write = process.stdout.write;
    const r = await runCli(Sched, ['--jobs', '2,1', '--json']);
    expect(process.stdout.write).toBe(write);
    expect(r.exitCode).toBe(0);
    expect(r.json<{ policy: string }>().policy).toBe('fifo');
  });

  it('captures stderr and the exit code of a failed run, then restores process.exitCode', async () => {
    const before = process.exitCode;
    const r = await runCli(Sched, ['--jobs', 'x']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--jobs');
    expect(process.exitCode).toBe(before);
    // The next run starts clean: a stale exit code does not leak into it.
    expect((await runCli(Sched, ['--jobs', '1'])).exitCode).toBe(0);
  });

  it('says what stdout was when it is not JSON', async () => {
    const r = await runCli(Sched, ['--jobs', '1']);
    expect(() => r.json()).toThrow(/stdout is not JSON/);
  });
});
