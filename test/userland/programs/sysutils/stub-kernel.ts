/**
 * Runs a simulated program against a stub kernel that serves /proc files from a test's
 * fixture: open/read/close of those files, write to fds 1 and 2, clock_gettime,
 * nanosleep (which moves the stub's clock) and ioctl (ENOTTY: output is a pipe). This
 * lets a program's whole main — option parsing, the order of its reads, its sleeps — be
 * compared with what the real tool printed for the same files at the same moments.
 */
import { err } from '../../../../src/kernel/errno.js';
import type { Op, ProgramMain } from '../../../../src/kernel/proc/program.js';
import { NR } from '../../../../src/kernel/syscalls/numbers.js';
import { CLOCK_REALTIME } from '../../../../src/kernel/syscalls/abi.js';

export interface StubOptions {
  /** The files visible `elapsedNs` after the start: text, or null for unreadable (EACCES). */
  files: (elapsedNs: number) => Readonly<Record<string, string | null>>;
  /** CLOCK_REALTIME at the start, ns since the epoch. */
  startNs: number;
}

export interface StubResult {
  stdout: string;
  stderr: string;
  status: number;
  /** Time the run took on the stub's clock (CPU bursts and sleeps). */
  elapsedNs: number;
}

export function runStubbed(main: ProgramMain, argv: string[], o: StubOptions): StubResult {
  let elapsedNs = 0;
  let stdout = '';
  let stderr = '';
  const open = new Map<number, { text: string; offset: number }>();
  let nextFd = 3;
  const gen = main({ argv, envp: [] });
  let answer: unknown = undefined;
  for (let steps = 0; steps < 1_000_000; steps++) {
    const r = gen.next(answer);
    if (r.done) return { stdout, stderr, status: r.value ?? 0, elapsedNs };
    answer = serve(r.value);
  }
  throw new Error('the program did not finish');

  function serve(op: Op): unknown {
    if (typeof op === 'number') {
      elapsedNs += op;
      return undefined;
    }
    switch (op.nr) {
      case NR.open: {
        const text = o.files(elapsedNs)[op.path as string];
        if (text === undefined) return err('ENOENT', 'stub: no such file');
        if (text === null) return err('EACCES', 'stub: unreadable');
        open.set(nextFd, { text, offset: 0 });
        return nextFd++;
      }
      case NR.read: {
        const f = open.get(op.fd as number);
        if (!f) return err('EBADF', 'stub: not open');
        const chunk = f.text.slice(f.offset, f.offset + (op.count as number));
        f.offset += chunk.length;
        return chunk;
      }
      case NR.close:
        return open.delete(op.fd as number) ? 0 : err('EBADF', 'stub: not open');
      case NR.write: {
        const data = op.data as string;
        if (op.fd === 1) stdout += data;
        else if (op.fd === 2) stderr += data;
        else return err('EBADF', 'stub: not open');
        return data.length;
      }
      case NR.clock_gettime:
        return op.clock === CLOCK_REALTIME ? o.startNs + elapsedNs : elapsedNs;
      case NR.nanosleep:
        elapsedNs += op.ns as number;
        return 0;
      case NR.ioctl:
        return err('ENOTTY', 'stub: not a terminal');
      default:
        throw new Error(`stub kernel: system call ${op.nr} is not served`);
    }
  }
}
