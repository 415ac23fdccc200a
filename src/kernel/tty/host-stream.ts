/**
 * The simulated system's connection to the real world when it runs a script: the
 * standard input, output and error of the `ctsim` command, which the first process
 * inherits as descriptors 0, 1 and 2. To the programs they look like pipes from
 * outside (fstat says S_IFIFO; /proc/PID/fd shows pipe:[N]); output is handed to the
 * CLI's sinks byte for byte, input is what the CLI was given.
 */
import type { Kernel } from '../kernel.js';
import { BLOCK, type FileOps, type OpenFile } from '../vfs/file.js';
import { WaitQueue } from '../proc/wait-queue.js';
import { err } from '../errno.js';
import { O_NONBLOCK, type Bytes } from '../vfs/types.js';
import type { Task } from '../proc/task.js';

export type ByteSink = (bytes: Bytes) => void;

/** Input from outside: bytes that have arrived, and whether more can come. */
export class HostInput {
  private data = '';
  private ended = false;
  readonly readWait = new WaitQueue();
  readonly ino: number;
  private kernel: Kernel;

  constructor(k: Kernel) {
    this.kernel = k;
    this.ino = k.allocAnonIno();
  }

  /** Adds bytes to the input (the CLI feeding stdin). */
  push(bytes: Bytes): void {
    this.data += bytes;
    this.kernel.wakeAll(this.readWait);
  }

  /** Marks the end of input: readers then see end of file. */
  end(): void {
    this.ended = true;
    this.kernel.wakeAll(this.readWait);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** True when a reader is waiting for input that has not arrived. */
  get starved(): boolean {
    return !this.readWait.isEmpty && this.data.length === 0 && !this.ended;
  }

  read(k: Kernel, t: Task, f: OpenFile, count: number): Bytes | ReturnType<typeof err> | typeof BLOCK {
    if (this.data.length === 0) {
      if (this.ended) return '';
      if (f.flags & O_NONBLOCK) return err('EAGAIN', `no input has arrived on pipe:[${this.ino}] and the fd is O_NONBLOCK`);
      return k.sleepOn(t, this.readWait);
    }
    const out = this.data.slice(0, count);
    this.data = this.data.slice(out.length);
    return out;
  }
}

export const hostInputOps: FileOps = {
  read: (k, t, f, count) => (f.priv as HostInput).read(k, t, f, count),
  write: (_k, _t, f) => err('EBADF', `pipe:[${(f.priv as HostInput).ino}] is the read end of the host input`),
  seekable: (f) => err('ESPIPE', `pipe:[${(f.priv as HostInput).ino}] is a pipe and cannot seek`),
  describe: (f) => `pipe:[${(f.priv as HostInput).ino}]`,
  reopen: (_k, f) => ({ ops: hostInputOps, priv: f.priv }),
};

/** Output to outside: each write goes to the sink as it happens. */
export class HostOutput {
  readonly sink: ByteSink;
  readonly ino: number;

  constructor(k: Kernel, sink: ByteSink) {
    this.sink = sink;
    this.ino = k.allocAnonIno();
  }
}

export const hostOutputOps: FileOps = {
  read: (_k, _t, f) => err('EBADF', `pipe:[${(f.priv as HostOutput).ino}] is the write end of the host output`),
  write(k, _t, f, data) {
    (f.priv as HostOutput).sink(data);
    k.charge(k.costs.pipeOp);
    return data.length;
  },
  seekable: (f) => err('ESPIPE', `pipe:[${(f.priv as HostOutput).ino}] is a pipe and cannot seek`),
  describe: (f) => `pipe:[${(f.priv as HostOutput).ino}]`,
  reopen: (_k, f) => ({ ops: hostOutputOps, priv: f.priv }),
};

export { BLOCK };
