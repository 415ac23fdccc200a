/**
 * Traps (POSIX XCU 2.14 trap): real sigaction handlers record signals, the
 * actions run between commands; EXIT traps; ignored signals; subshells reset
 * traps; `wait` is interrupted by a trapped signal with 128 + its number.
 */
import { describe, expect, test } from 'vitest';
import { expectSh, sh } from './helpers.js';
import { createHost } from '../../../src/index.js';
import { HostInput } from '../../../src/kernel/tty/host-stream.js';

describe('trap', () => {
  test('listing, resetting, ignoring', () => {
    expectSh("trap 'echo a' 0 HUP 2; trap", { out: "trap -- 'echo a' EXIT\ntrap -- 'echo a' HUP\ntrap -- 'echo a' INT\na\n" });
    expectSh("trap 'echo a' USR1; trap - USR1; trap '' TERM 16 RTMIN+1; trap", { out: "trap -- '' TERM\ntrap -- '' 16\ntrap -- '' RTMIN+1\n" });
    expectSh("trap 'x' SIGINT; echo $?", { out: '1\n', err: 'trap: SIGINT: bad trap\n' });
    expectSh('trap 2 0; trap', {});
  });

  test('a handler records the signal; the action runs at the next command boundary', () => {
    expectSh("trap 'echo usr1' USR1; kill -USR1 $$; echo after", { out: 'usr1\nafter\n' });
    expectSh("trap 'echo in-trap $?' USR1; false; kill -USR1 $$; echo $?", { out: 'in-trap 0\n0\n' });
    expectSh("trap 'echo caught' TERM; kill $$; echo after", { out: 'caught\nafter\n' });
    expectSh("trap 'echo sig; exit 9' TERM; kill $$; echo no", { out: 'sig\n', status: 9 });
    const r = sh("trap 'echo x' USR1; cat /proc/$$/status");
    expect(r.stdout).toMatch(/SigCgt:\t0000000000010202\n/);
  });

  test("trap '' ignores the signal (and a child inherits that)", () => {
    expectSh("trap '' TERM; kill $$; echo ignored", { out: 'ignored\n' });
    // An ignored signal is inherited, but it is not a trap the child lists.
    expectSh("trap '' USR1; sh -c 'trap; kill -USR1 $$; echo alive'", { out: 'alive\n' });
  });

  test('EXIT trap runs once, with $? of the exit; `exit` in it sets the status', () => {
    expectSh("trap 'echo exiting' EXIT; echo main", { out: 'main\nexiting\n' });
    expectSh("trap 'echo $?' EXIT; false", { out: '1\n', status: 1 });
    expectSh("trap 'exit 5' EXIT; exit 3", { status: 5 });
    expectSh("trap 'false' EXIT; true", {});
    expectSh("set -e; trap 'echo trapped' EXIT; false", { out: 'trapped\n', status: 1 });
    expectSh("trap 'echo \"trap: $x\"' EXIT; x=5", { out: 'trap: 5\n' });
  });

  test('subshells and command substitutions drop the traps', () => {
    expectSh("trap 'echo t' EXIT; (echo sub); echo main", { out: 'sub\nmain\nt\n' });
    expectSh("(trap 'echo sub-exit' EXIT; echo in); echo out", { out: 'in\nsub-exit\nout\n' });
    expectSh("trap 'echo x' INT; echo \"[$(trap)]\"; (trap)", { out: '[]\n' });
  });

  test('a trapped signal interrupts wait with 128 + the signal; a foreground command is not interrupted', () => {
    expectSh("trap 'echo usr1' USR1; sleep 2 & (sleep 0.5; kill -USR1 $$) & wait; echo $?", { out: 'usr1\n138\n' });
    expectSh("trap 'echo usr1' USR1; sleep 2 & p=$!; (sleep 0.5; kill -USR1 $$) & wait $p; echo $?", { out: 'usr1\n138\n' });
    const r = expectSh("trap 'echo usr1' USR1; (sleep 0.5; kill -USR1 $$) & sleep 1; echo $?", { out: 'usr1\n0\n' });
    expect(r.elapsedNs).toBeGreaterThanOrEqual(1e9);
  });

  test('SIGINT without a trap ends a non-interactive shell', () => {
    expectSh('kill -INT $$; echo no', { status: 130 });
  });

  test('CHLD traps run when children exit', () => {
    expectSh("trap 'echo got' CHLD; sleep 0; echo done", { out: 'got\ndone\n' });
  });
});

describe('read and signals', () => {
  test('a trapped signal ends a read that is waiting for input, with status 1', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    const input = new HostInput(host.kernel);
    const { task, stdout } = host.spawn(['sh', '-c', "trap 'echo got' USR1; (sleep 0.3; kill -USR1 $$) & read line; echo \"st=$? line=[$line]\""], { path: '/bin/sh', stdin: input });
    host.engine.run({ until: host.engine.now + 1_000_000_000, maxSteps: 1_000_000 });
    input.push('hello\n');
    input.end();
    host.engine.run({ until: host.engine.now + 1_000_000_000, maxSteps: 1_000_000 });
    expect(stdout()).toBe('got\nst=1 line=[]\n');
    expect(task.exitStatus).toBe(0);
  });
});
