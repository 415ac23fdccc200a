/**
 * How dash is started (dash(1) "Invocation"): `sh -c string [name [args]]`,
 * `sh file args`, `sh -s args`, a script on standard input, options on the
 * command line, and the interactive shell (-i, or a terminal on 0 and 1) with
 * its prompts and, on a terminal, job control.
 */
import { describe, expect, test } from 'vitest';
import { createHost, type Host } from '../../../src/index.js';
import { resolve } from '../../../src/kernel/vfs/namei.js';
import { SysError } from '../../../src/kernel/errno.js';

/** Changes a file's mode from outside (the tests may not rely on a chmod program). */
function chmod(host: Host, path: string, mode: number): void {
  const k = host.kernel;
  const p = resolve(k, k.initPidNs.init!, path, { follow: true });
  if (p instanceof SysError) throw new Error(`${path}: ${p.message}`);
  p.vn.setattr!({ mode, nowNs: k.realtimeNs });
}
import { expectSh, expectShArgs, run } from './helpers.js';

describe('sh -c, sh FILE, sh -s, standard input', () => {
  test('-c with a name and arguments', () => {
    expectShArgs(['-c', 'echo $0 $1 $#', 'name', 'a1'], '', { out: 'name a1 1\n' });
    expectShArgs(['-c'], '', { err: 'sh: 0: -c requires an argument\n', status: 2 });
    expectShArgs(['-Z', '-c', 'echo'], '', { err: 'sh: 0: Illegal option -Z\n', status: 2 });
    expectShArgs(['-eu', '-c', 'echo $-'], '', { out: 'ue\n' });
    expectShArgs(['-o', 'noglob', '-c', 'echo /*'], '', { out: '/*\n' });
    expectShArgs(['-x', '-c', 'echo traced'], '', { out: 'traced\n', err: '+ echo traced\n' });
  });

  test('a script file: $0 is its name, errors are prefixed with it', () => {
    expectSh("printf 'echo in script $0 $1\\n' > s1.sh; sh s1.sh arg", { out: 'in script s1.sh arg\n' });
    expectSh("printf 'echo a\\nnosuch\\necho b\\n' > s2.sh; sh s2.sh; echo $?", { out: 'a\nb\n0\n', err: 's2.sh: 2: nosuch: not found\n' });
    expectSh("printf 'echo a\\nfi\\necho b\\n' > s3.sh; sh s3.sh; echo $?", { out: 'a\n2\n', err: 's3.sh: 2: Syntax error: "fi" unexpected\n' });
    expectSh('sh /tmp/nonexist.sh; echo $?', { out: '2\n', err: 'sh: 0: cannot open /tmp/nonexist.sh: No such file\n' });
  });

  test('a file without #! is run by /bin/sh; #! names the interpreter', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    host.sh("printf 'echo viapath $0 $1\\n' > /tmp/myscript; printf '#!/bin/sh\\necho shebang $0 $1\\n' > /tmp/sb");
    chmod(host, '/tmp/myscript', 0o755);
    chmod(host, '/tmp/sb', 0o755);
    const r = host.sh('PATH=/tmp:$PATH; myscript a; /tmp/sb x');
    expect({ out: r.stdout, err: r.stderr }).toEqual({ out: 'viapath /tmp/myscript a\nshebang /tmp/sb x\n', err: '' });
    // A file found on PATH that may not be executed is "Permission denied", 127 (dash 0.5.12 skips it).
    expectSh("printf 'echo x' > /tmp/noexec; PATH=/tmp:$PATH; noexec; echo $?", { out: '127\n', err: 'sh: 1: noexec: Permission denied\n' });
  });

  test('standard input: read in blocks, each command run as it is complete', () => {
    expectShArgs([], 'echo from stdin; echo $0 $#\nx=1\necho $x\n', { out: 'from stdin\nsh 0\n1\n' });
    expectShArgs(['-s', 'a', 'b'], 'echo "$0 $1 $2 $#"\n', { out: 'sh a b 2\n' });
    expectShArgs([], 'echo a\nfi\necho b\n', { out: 'a\n', err: 'sh: 2: Syntax error: "fi" unexpected\n', status: 2 });
    // dash has read the whole block, so `read` finds nothing left on standard input.
    expectShArgs([], 'read line\nhello\necho "got [$line]"\n', { out: 'got []\n', err: 'sh: 2: hello: not found\n' });
  });
});

describe('interactive shell on a pipe (-i)', () => {
  const NOTTY = "sh: 0: can't access tty; job control turned off\n";

  test('prompts PS1 and PS2 on stderr, a newline at end of file', () => {
    expectShArgs(['-i'], 'echo a\necho b\n', { out: 'a\nb\n', err: `${NOTTY}# # # \n` });
    expectShArgs(['-i'], 'if true\nthen echo c\nfi\nexit 3\n', { out: 'c\n', err: `${NOTTY}# > > # `, status: 3 });
    expectShArgs(['-i'], "PS1='${x:-none}> '\nx=1\necho $x\n", { out: '1\n', err: `${NOTTY}# none> 1> 1> \n` });
  });

  test('errors do not end it; the rest of what was read is dropped after one', () => {
    expectShArgs(['-i'], 'nosuch\necho $?\nfi\necho after\n', { out: '127\n', err: `${NOTTY}# sh: 1: nosuch: not found\n# # sh: 3: Syntax error: "fi" unexpected\n# \n`, status: 2 });
    expectShArgs(['-i'], 'cd /nonexistent; echo $?\nshift 5\necho survived\n', { out: '2\n', err: `${NOTTY}# sh: 1: cd: can't cd to /nonexistent\n# sh: 2: shift: can't shift that many\n# \n`, status: 2 });
  });

  test('the EXIT trap runs on end of file', () => {
    expectShArgs(['-i'], "trap 'echo bye' EXIT\necho hi\n", { out: 'hi\nbye\n', err: `${NOTTY}# # # \n` });
  });
});

describe('interactive shell on a terminal: job control', () => {
  /** Starts sh on a new terminal and returns a function feeding it lines (or ^C / ^Z) and the output so far. */
  function terminal(): { type: (s: string) => void; out: () => string; host: ReturnType<typeof createHost>; done: () => boolean } {
    const host = createHost({ cpus: 2, seed: 1 });
    let out = '';
    const tty = host.openTerminal((b) => (out += b));
    const task = host.spawnOnTerminal(['sh'], tty, { path: '/bin/sh' });
    const settle = (): void => void host.engine.run({ until: host.engine.now + 600_000_000, maxSteps: 2_000_000 });
    settle();
    return {
      host,
      out: () => out,
      done: () => task.state === 'X' || task.state === 'Z',
      type: (s) => {
        if (s === '^C') tty.inputSignal(2);
        else if (s === '^Z') tty.inputSignal(20);
        else tty.inputLine(s + '\n');
        settle();
      },
    };
  }

  test('prompts, background jobs reported before the next prompt, ^C, ^Z, jobs, fg', () => {
    // The same keys given to dash on a pseudo-terminal (with echo off) produce exactly this.
    const t = terminal();
    for (const k of ['echo hello', 'sleep 0.2 &', 'jobs', 'sleep 0.3', 'sleep 5', '^C', 'echo after-int', 'sleep 10', '^Z', 'jobs', 'fg', '^C', 'exit 3']) t.type(k);
    expect(t.out()).toBe(
      '# hello\r\n# # [1] + Done                       sleep 0.2\r\n# # \r\n# after-int\r\n' +
        '# [1] + Stopped                    sleep 10\r\n# [1] + Stopped                    sleep 10\r\n# sleep 10\r\n\r\n# ',
    );
    expect(t.done()).toBe(true);
  });

  test('each job gets its own process group and the terminal', () => {
    const t = terminal();
    t.type('echo $$; cat /proc/self/stat');
    const lines = t.out().split('\r\n');
    const shPid = Number(lines[0].replace('# ', ''));
    const f = lines[1].slice(lines[1].lastIndexOf(')') + 2).split(' ');
    const [ppid, pgrp, , , tpgid] = [Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4]), Number(f[5])];
    expect(ppid).toBe(shPid);
    expect(pgrp).not.toBe(shPid);
    expect(tpgid).toBe(pgrp);
  });

  test('run() on a terminal-less host still works with -i', () => {
    const r = run(['sh', '-i'], { path: '/bin/sh', stdin: 'echo x\n' });
    expect(r.stdout).toBe('x\n');
  });
});

describe('job texts', () => {
  test('commands are shown as dash rebuilds them', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    let out = '';
    const tty = host.openTerminal((b) => (out += b));
    host.spawnOnTerminal(['sh'], tty, { path: '/bin/sh' });
    const type = (s: string): void => {
      tty.inputLine(s + '\n');
      host.engine.run({ until: host.engine.now + 400_000_000, maxSteps: 2_000_000 });
    };
    host.engine.run({ until: host.engine.now + 400_000_000, maxSteps: 2_000_000 });
    // The same lines given to dash on a pseudo-terminal.
    for (const k of ['d=0.1', 'sleep $d &', 'sleep 0.3', 'x=1 sleep 0.1 > /dev/null 2>&1 &', 'sleep 0.3', '(sleep 0.1; true) &', 'sleep 0.3', '{ sleep 0.1; } &', 'sleep 0.3', `echo "a  b" 'c' | cat > /dev/null &`, 'sleep 0.3', 'if true; then sleep 0.1; fi &', 'sleep 0.3', 'exit']) type(k);
    expect(out).toBe(
      '# # # [1] + Done                       sleep ${d}\r\n# # [1] + Done                       sleep 0.1 1>/dev/null 2>&1\r\n' +
        '# # [1] + Done                       (sleep 0.1; true)\r\n# # [1] + Done                       sleep 0.1\r\n' +
        '# # [1] + Done                       echo "a  b" "c" | cat 1>/dev/null\r\n# # [1] + Done                       if true; then sleep 0.1; fi\r\n# ',
    );
  });
});

describe('leaving with stopped jobs', () => {
  test('exit warns once, as dash does', () => {
    for (const [keys, want] of [
      [['sleep 10', '^Z', 'exit', 'exit'], '# [1] + Stopped                    sleep 10\r\n# You have stopped jobs.\r\n# '],
      [['sleep 10', '^Z', 'exit', 'echo x', 'exit'], '# [1] + Stopped                    sleep 10\r\n# You have stopped jobs.\r\n# x\r\n# You have stopped jobs.\r\n# '],
    ] as [string[], string][]) {
      const host = createHost({ cpus: 2, seed: 1 });
      let out = '';
      const tty = host.openTerminal((b) => (out += b));
      const task = host.spawnOnTerminal(['sh'], tty, { path: '/bin/sh' });
      const settle = (): void => void host.engine.run({ until: host.engine.now + 400_000_000, maxSteps: 2_000_000 });
      settle();
      for (const k of keys) {
        if (k === '^Z') tty.inputSignal(20);
        else tty.inputLine(k + '\n');
        settle();
      }
      expect(out).toBe(want);
      expect(task.state === 'X' || task.state === 'Z').toBe(keys.length === 4);
    }
  });
});
