/**
 * Test-only programs that let the text tools be tested in pipelines without the
 * shell: `pipeline CMD… [| CMD…]…` connects its commands with pipes, waits for all of
 * them and prints each one's exit status and user CPU time on standard error
 * ("#status 0 0 1", "#utime 120 4500 80"), exiting with the last command's status;
 * `stdin-file FILE CMD… [; CMD…]…` runs commands one after another with FILE open as
 * their shared standard input. Plus helpers that exit 255 or kill themselves.
 */
import { createHost, type Host, type RunResult } from '../../../src/index.js';
import { defaultPrograms } from '../../../src/userland/index.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { execvp } from '../../../src/userland/lib/exec.js';
import { SysError } from '../../../src/kernel/errno.js';
import { O_RDONLY } from '../../../src/kernel/vfs/types.js';
import type { Program, ProgramArgs } from '../../../src/kernel/proc/program.js';

function split(args: readonly string[], sep: string): string[][] {
  const parts: string[][] = [[]];
  for (const a of args) {
    if (a === sep) parts.push([]);
    else parts[parts.length - 1].push(a);
  }
  return parts;
}

function* pipeline({ argv, envp }: ProgramArgs): Program {
  const cmds = split(argv.slice(1), '|');
  const pids: number[] = [];
  let prevRead = -1;
  for (let i = 0; i < cmds.length; i++) {
    const last = i === cmds.length - 1;
    let p: [number, number] | null = null;
    if (!last) {
      const r = yield* sys.pipe2();
      if (r instanceof SysError) return 99;
      p = r;
    }
    const input = prevRead;
    const output = p ? p[1] : -1;
    const readEnd = p ? p[0] : -1;
    const cmd = cmds[i];
    const pid = yield* sys.fork(function* () {
      if (input >= 0) {
        yield* sys.dup2(input, 0);
        yield* sys.close(input);
      }
      if (output >= 0) {
        yield* sys.dup2(output, 1);
        yield* sys.close(output);
        yield* sys.close(readEnd);
      }
      yield* execvp(cmd[0], cmd, envp);
      return 127;
    });
    if (pid instanceof SysError) return 98;
    pids.push(pid);
    if (input >= 0) yield* sys.close(input);
    if (output >= 0) yield* sys.close(output);
    prevRead = readEnd;
  }
  const statuses: number[] = [];
  const utimes: number[] = [];
  for (const pid of pids) {
    const w = yield* sys.wait4(pid);
    if (w instanceof SysError) return 97;
    const sig = w.status & 0x7f;
    statuses.push(sig ? 128 + sig : (w.status >> 8) & 0xff);
    utimes.push(w.utimeNs);
  }
  yield* sys.write(2, `#status ${statuses.join(' ')}\n#utime ${utimes.join(' ')}\n`);
  return statuses[statuses.length - 1];
}

function* stdinFile({ argv, envp }: ProgramArgs): Program {
  const fd = yield* sys.open(argv[1], O_RDONLY);
  if (fd instanceof SysError) return 99;
  yield* sys.dup2(fd, 0);
  yield* sys.close(fd);
  let status = 0;
  for (const cmd of split(argv.slice(2), ';')) {
    const pid = yield* sys.fork(function* () {
      yield* execvp(cmd[0], cmd, envp);
      return 127;
    });
    if (pid instanceof SysError) return 98;
    const w = yield* sys.wait4(pid);
    status = w instanceof SysError ? 97 : (w.status >> 8) & 0xff;
  }
  return status;
}

function* exit255(): Program {
  return 255;
}

function* killSelf(): Program {
  const pid = yield* sys.getpid();
  if (typeof pid === 'number') yield* sys.kill(pid, 9);
  return 0;
}

function* exitWith({ argv }: ProgramArgs): Program {
  return Number(argv[1] ?? 0);
}

const programs = defaultPrograms();
programs.add({ name: 'pipeline', main: pipeline, paths: ['/usr/local/bin/pipeline'] });
programs.add({ name: 'stdin-file', main: stdinFile, paths: ['/usr/local/bin/stdin-file'] });
programs.add({ name: 'exit255', main: exit255, paths: ['/usr/local/bin/exit255'] });
programs.add({ name: 'kill-self', main: killSelf, paths: ['/usr/local/bin/kill-self'] });
programs.add({ name: 'exit-with', main: exitWith, paths: ['/usr/local/bin/exit-with'] });

export const TEST_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/root'];

/** A fresh host that also has the test programs above. */
export function testHost(): Host {
  return createHost({ cpus: 2, seed: 1, programs });
}

/** Runs argv (argv[0] found on PATH) in `host`. */
export function exec(host: Host, argv: string[], stdin = '', cwd = '/root'): RunResult {
  const name = argv[0];
  const path = name.includes('/') ? name : ['/usr/local/bin/', '/usr/bin/'].map((d) => d + name).find((p) => programs.all().some((s) => s.paths.includes(p)))!;
  return host.run(argv, { path, stdin, env: TEST_ENV, cwd, maxSteps: 20_000_000 });
}

/** Writes a file in `host` (through tee, discarding its copy on standard output). */
export function writeFile(host: Host, path: string, text: string): void {
  const r = host.run(['tee', path], { path: '/usr/bin/tee', stdin: text, env: TEST_ENV, stdout: () => {} });
  if (r.status !== 0) throw new Error(`cannot write ${path}: ${r.stderr}`);
}

/** The file's contents, or null if it cannot be read. */
export function readFile(host: Host, path: string): string | null {
  const r = host.run(['cat', path], { path: '/usr/bin/cat', env: TEST_ENV });
  return r.status === 0 ? r.stdout : null;
}

/** Runs `pipeline` with commands separated by '|'; returns the result and each stage's status and user time. */
export function pipe(host: Host, ...cmds: string[][]): RunResult & { statuses: number[]; utimes: number[]; err: string } {
  const argv = ['pipeline'];
  cmds.forEach((c, i) => argv.push(...(i > 0 ? ['|'] : []), ...c));
  const r = exec(host, argv);
  const statuses = /#status (.*)\n/.exec(r.stderr)![1].split(' ').map(Number);
  const utimes = /#utime (.*)\n/.exec(r.stderr)![1].split(' ').map(Number);
  return { ...r, statuses, utimes, err: r.stderr.replace(/#status .*\n#utime .*\n/, '') };
}
