/**
 * Pipes (pipe(7)): a one-way byte channel with a 64 KiB buffer (16 pages, Linux's
 * default capacity). Reading an empty pipe blocks until data arrives or every writer
 * is gone (then end of file); writing to a pipe with no readers raises SIGPIPE and
 * fails with EPIPE; a blocking write of any size completes, sleeping while the
 * buffer is full; writes of at most PIPE_BUF (4096) bytes are atomic.
 */
import type { Kernel } from '../kernel.js';
import { err } from '../errno.js';
import type { FileOps, OpenFile } from '../vfs/file.js';
import { WaitQueue } from '../proc/wait-queue.js';
import { O_NONBLOCK, type Bytes } from '../vfs/types.js';
import { sendSignal } from '../proc/task-signal.js';
import { SIG } from '../proc/signals.js';
import type { Task } from '../proc/task.js';

export const PIPE_BUF = 4096;
export const PIPE_DEFAULT_CAPACITY = 65536;

export class Pipe {
  /** Buffered bytes, oldest first. Invariant: `size` is their total length. */
  private chunks: string[] = [];
  private head = 0;
  size = 0;
  capacity = PIPE_DEFAULT_CAPACITY;
  readers = 0;
  writers = 0;
  readonly readWait = new WaitQueue();
  readonly writeWait = new WaitQueue();
  /** The pipefs inode number shown as pipe:[N]. */
  readonly ino: number;

  constructor(ino: number) {
    this.ino = ino;
  }

  /** Removes and returns up to `n` bytes. */
  take(n: number): string {
    let out = '';
    while (n > 0 && this.size > 0) {
      const c = this.chunks[this.head];
      if (c.length <= n) {
        out += c;
        n -= c.length;
        this.size -= c.length;
        this.head++;
      } else {
        out += c.slice(0, n);
        this.chunks[this.head] = c.slice(n);
        this.size -= n;
        n = 0;
      }
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  put(data: string): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
  }
}

/** Which end of the pipe an open file is. */
interface PipeEnd {
  pipe: Pipe;
  write: boolean;
}

interface WriteProgress {
  written: number;
}

export const pipeOps: FileOps = {
  read(k: Kernel, t: Task, f: OpenFile, count: number) {
    const p = (f.priv as PipeEnd).pipe;
    if (count <= 0) return '';
    if (p.size === 0) {
      if (p.writers === 0) return '';
      if (f.flags & O_NONBLOCK) return err('EAGAIN', 'the pipe is empty');
      return k.sleepOn(t, p.readWait);
    }
    const data = p.take(count);
    k.charge(k.costs.pipeOp);
    k.wakeAll(p.writeWait);
    return data;
  },
  write(k: Kernel, t: Task, f: OpenFile, data: Bytes) {
    const p = (f.priv as PipeEnd).pipe;
    const prog = (t.syscallState as WriteProgress | undefined) ?? { written: 0 };
    if (p.readers === 0) {
      sendSignal(k, t, SIG.SIGPIPE);
      return prog.written > 0 ? prog.written : err('EPIPE', 'the pipe has no readers');
    }
    const left = data.length - prog.written;
    const room = p.capacity - p.size;
    // Up to PIPE_BUF bytes go in at once or not at all; larger writes may be split.
    if (room === 0 || (left <= PIPE_BUF && room < left)) {
      if (f.flags & O_NONBLOCK) return prog.written > 0 ? prog.written : err('EAGAIN', 'the pipe is full');
      t.syscallState = prog;
      return k.sleepOn(t, p.writeWait);
    }
    const n = Math.min(left, room);
    p.put(data.slice(prog.written, prog.written + n));
    prog.written += n;
    k.charge(k.costs.pipeOp);
    k.wakeAll(p.readWait);
    if (prog.written < data.length) {
      if (f.flags & O_NONBLOCK) return prog.written;
      t.syscallState = prog;
      return k.sleepOn(t, p.writeWait);
    }
    return prog.written;
  },
  seekable: () => err('ESPIPE', 'a pipe is a stream and has no file offset to seek (pipe(7))'),
  release(k: Kernel, f: OpenFile) {
    const end = f.priv as PipeEnd;
    if (end.write) {
      end.pipe.writers--;
      if (end.pipe.writers === 0) k.wakeAll(end.pipe.readWait);
    } else {
      end.pipe.readers--;
      if (end.pipe.readers === 0) k.wakeAll(end.pipe.writeWait);
    }
  },
  poll(_k, f: OpenFile) {
    const { pipe, write } = f.priv as PipeEnd;
    if (write) return pipe.readers === 0 || pipe.size < pipe.capacity ? 4 : 0;
    return pipe.size > 0 || pipe.writers === 0 ? 1 : 0;
  },
  ioctl(_k, _t, f: OpenFile, cmd: number) {
    const FIONREAD = 0x541b;
    if (cmd === FIONREAD) return (f.priv as PipeEnd).pipe.size;
    return err('ENOTTY', `a pipe answers only the FIONREAD ioctl, not 0x${cmd.toString(16)}`);
  },
  describe(f: OpenFile) {
    return `pipe:[${(f.priv as PipeEnd).pipe.ino}]`;
  },
  reopen(_k, f: OpenFile, flags: number) {
    const pipe = (f.priv as PipeEnd).pipe;
    // Linux allows opening a pipe through /proc for reading, writing or both; ctsim gives one end.
    return { ops: pipeOps, priv: pipeEnd(pipe, (flags & 3) !== 0) };
  },
};

/** The private state of a pipe end, for pipe2(2). */
export function pipeEnd(pipe: Pipe, write: boolean): PipeEnd {
  if (write) pipe.writers++;
  else pipe.readers++;
  return { pipe, write };
}
