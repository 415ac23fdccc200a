// A live session lets go of its terminal however the run ends: a guard limit thrown
// out of the simulation (src/sim/guard.ts) must not leave ctsim waiting on stdin.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { HostInput } from '../../src/kernel/tty/host-stream.js';
import { runWithLiveInput } from '../../src/cli/live-session.js';
import { GuardStop } from '../../src/sim/guard.js';

describe('live sessions and guard limits', () => {
  it('a guard stop rejects the session and removes its listeners from the input stream', async () => {
    const host = createHost({ cpus: 2, seed: 1 });
    const input = new HostInput(host.kernel);
    const { task } = host.spawn(['sh', '-c', 'while :; do :; done'], { path: '/bin/sh', stdin: input });
    let looks = 0;
    host.engine.setGuard({ maxEvents: Infinity, every: 1000, check: () => (++looks === 5 ? { limit: 'memory', message: 'too much' } : null) });
    const stream = new PassThrough();
    await expect(runWithLiveInput(host, task, input, stream)).rejects.toBeInstanceOf(GuardStop);
    expect(stream.listenerCount('data')).toBe(0);
    expect(stream.listenerCount('end')).toBe(0);
    expect(stream.isPaused()).toBe(true);
  });
});
