/**
 * Named pipes (fifo(7)): a FIFO is a file-system object (made by mknod(2) with
 * S_IFIFO, or mkfifo(3)) whose data goes through a pipe — pipefs.ts's Pipe, with its
 * 64 KiB buffer, PIPE_BUF atomicity, end of file and SIGPIPE — that the kernel hangs
 * on the inode while anyone has it open. Nothing is ever stored in the file system:
 * stat shows size 0, and the pipe with any unread bytes goes when the last opener
 * closes.
 *
 * Opening (open(2), fifo(7), fs/pipe.c fifo_open()):
 *   O_RDONLY               waits until a writer opens        (O_NONBLOCK: at once)
 *   O_WRONLY               waits until a reader opens        (O_NONBLOCK: ENXIO if none)
 *   O_RDWR                 never waits (Linux-specific)
 * A waiting opener already counts as a reader or writer — a writer's O_NONBLOCK open
 * succeeds while a reader waits — and waits for its partner's open *counter* to move,
 * so a writer that opens and closes at once still lets the reader through (it then
 * reads end of file). A signal ends the wait with EINTR, or a fresh open after the
 * handler with SA_RESTART; the opener's count is taken back either way.
 *
 *   open("f") ─▶ FifoTable.get(dev:ino) ─▶ FifoPipe (readers, writers, rCounter, wCounter)
 *                                              └── OpenFile(fifoOps, priv: FifoEnd)
 *
 * /proc/PID/fd links of a FIFO show its path (the open file has a vnode), not pipe:[N];
 * opening such a link opens the FIFO again, with the waits above (checked on Linux 6.18).
 */
import type { Kernel } from '../kernel.js';
import { err, type SysError } from '../errno.js';
import { OpenFile, type Block, type FileOps } from '../vfs/file.js';
import type { Mount } from '../vfs/mount.js';
import { vnodeKey, type Vnode } from '../vfs/vnode.js';
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_WRONLY } from '../vfs/types.js';
import type { AbandonableState, Task } from '../proc/task.js';
import { WaitQueue } from '../proc/wait-queue.js';
import { Pipe, pipeOps } from './pipefs.js';

/** The pipe of an open FIFO, with the open counters fifo_open() waits on. */
export class FifoPipe extends Pipe {
  /** Opens for reading and for writing so far (Linux's r_counter, w_counter). */
  rCounter = 0;
  wCounter = 0;
  /** Openers waiting for a partner (Linux waits on the pipe's rd_wait). */
  readonly openWait = new WaitQueue();
  /** The FifoTable key of the inode (`dev:ino`). */
  readonly key: string;

  constructor(ino: number, key: string) {
    super(ino);
    this.key = key;
  }
}

/**
 * The pipes of FIFOs that are open, by inode (Linux's inode->i_pipe).
 * Invariant: a pipe is here exactly while readers + writers > 0 — open files, and
 * openers waiting for a partner.
 */
export class FifoTable {
  private readonly pipes = new Map<string, FifoPipe>();

  /** The pipe of FIFO `vn`, made on first open. */
  get(vn: Vnode): FifoPipe {
    const key = vnodeKey(vn);
    let p = this.pipes.get(key);
    if (!p) {
      p = new FifoPipe(vn.ino, key);
      this.pipes.set(key, p);
    }
    return p;
  }

  /** Drops the pipe once nobody has the FIFO open (free_pipe_info: unread bytes are lost). */
  put(p: FifoPipe): void {
    if (p.readers === 0 && p.writers === 0 && this.pipes.get(p.key) === p) this.pipes.delete(p.key);
  }

  /** Number of FIFOs with a pipe (for tests and invariants). */
  get size(): number {
    return this.pipes.size;
  }
}

/** An open FIFO: the pipe and which ends this open file holds. */
interface FifoEnd {
  pipe: FifoPipe;
  read: boolean;
  write: boolean;
  /**
   * wCounter when a reader opened with O_NONBLOCK and no writer: poll reports no hang-up
   * until a writer has come and gone (Linux's f_version / f_pipe trick).
   */
  hupAfter: number;
}

function dropReader(k: Kernel, p: FifoPipe): void {
  p.readers--;
  if (p.readers === 0) k.wakeAll(p.writeWait);
}

function dropWriter(k: Kernel, p: FifoPipe): void {
  p.writers--;
  if (p.writers === 0) k.wakeAll(p.readWait);
}

/** Reads and writes as pipe(7) says; seeking fails with ESPIPE. No describe(): /proc shows the path. */
export const fifoOps: FileOps = {
  read: pipeOps.read,
  write: pipeOps.write,
  seekable: () => err('ESPIPE', 'a FIFO is a stream and has no file offset to seek (pipe(7))'),
  ioctl: pipeOps.ioctl,
  poll(_k, f: OpenFile) {
    const { pipe, read, write, hupAfter } = f.priv as FifoEnd;
    let ready = 0;
    if (read && (pipe.size > 0 || (pipe.writers === 0 && pipe.wCounter !== hupAfter))) ready |= 1;
    if (write && (pipe.readers === 0 || pipe.size < pipe.capacity)) ready |= 4;
    return ready;
  },
  release(k: Kernel, f: OpenFile) {
    const end = f.priv as FifoEnd;
    if (end.read) dropReader(k, end.pipe);
    if (end.write) dropWriter(k, end.pipe);
    k.fifos.put(end.pipe);
  },
};

/** The pipe behind a pipe or FIFO open file (poll sleeps on its queues), or null. */
export function pipeOfFile(f: OpenFile): Pipe | null {
  return f.ops === pipeOps || f.ops === fifoOps ? (f.priv as { pipe: Pipe }).pipe : null;
}

/**
 * A FIFO open waiting for its partner: it counts as a reader (or writer) and waits for
 * the other side's counter to move past `seen`.
 */
export class FifoOpenWait implements AbandonableState {
  constructor(
    private readonly k: Kernel,
    readonly mnt: Mount,
    readonly vn: Vnode,
    readonly path: string,
    readonly flags: number,
    readonly pipe: FifoPipe,
    /** The partner counter's value when the wait began. */
    readonly seen: number,
  ) {}

  get reader(): boolean {
    return (this.flags & O_ACCMODE) === O_RDONLY;
  }

  /** The open is given up (a signal, exit): no longer a reader or writer. */
  abandon(): void {
    if (this.reader) dropReader(this.k, this.pipe);
    else dropWriter(this.k, this.pipe);
    this.k.fifos.put(this.pipe);
  }
}

function fifoFile(mnt: Mount, vn: Vnode, path: string, flags: number, pipe: FifoPipe, hupAfter = 0): OpenFile {
  const acc = flags & O_ACCMODE;
  const end: FifoEnd = { pipe, read: acc !== O_WRONLY, write: acc !== O_RDONLY, hupAfter };
  return new OpenFile(fifoOps, flags, mnt, vn, path, end);
}

/**
 * open(2) of FIFO `vn` (permission already checked): the open file, ENXIO for a
 * non-blocking writer without readers, or BLOCK while waiting for the partner (the call
 * is re-run and continues in `resumeFifoOpen`).
 */
export function openFifo(k: Kernel, t: Task, mnt: Mount, vn: Vnode, flags: number, path: string): OpenFile | SysError | Block {
  const pipe = k.fifos.get(vn);
  const acc = flags & O_ACCMODE;
  const nonblock = (flags & O_NONBLOCK) !== 0;
  k.charge(k.costs.fileOpen);
  if (acc === O_RDONLY) {
    pipe.rCounter++;
    if (pipe.readers++ === 0) k.wakeAll(pipe.openWait);
    if (pipe.writers > 0) return fifoFile(mnt, vn, path, flags, pipe);
    if (nonblock) return fifoFile(mnt, vn, path, flags, pipe, pipe.wCounter);
    t.syscallState = new FifoOpenWait(k, mnt, vn, path, flags, pipe, pipe.wCounter);
    return k.sleepOn(t, pipe.openWait);
  }
  if (acc === O_WRONLY) {
    if (nonblock && pipe.readers === 0) {
      k.fifos.put(pipe);
      return err('ENXIO', `${path} is a FIFO that no process has open for reading`);
    }
    pipe.wCounter++;
    if (pipe.writers++ === 0) k.wakeAll(pipe.openWait);
    if (pipe.readers > 0) return fifoFile(mnt, vn, path, flags, pipe);
    t.syscallState = new FifoOpenWait(k, mnt, vn, path, flags, pipe, pipe.rCounter);
    return k.sleepOn(t, pipe.openWait);
  }
  // O_RDWR (and the invalid access mode 3, which Linux treats alike here): never waits.
  pipe.rCounter++;
  pipe.wCounter++;
  pipe.readers++;
  pipe.writers++;
  if (pipe.readers === 1 || pipe.writers === 1) k.wakeAll(pipe.openWait);
  return fifoFile(mnt, vn, path, flags, pipe);
}

/** The scratch state of an open(2) sleeping in a FIFO open, if `state` is one. */
export function pendingFifoOpen(state: unknown): FifoOpenWait | null {
  return state instanceof FifoOpenWait ? state : null;
}

/** A re-run of an open(2) that waited for its partner: done once the partner's counter moved. */
export function resumeFifoOpen(k: Kernel, t: Task, w: FifoOpenWait): OpenFile | Block {
  const counter = w.reader ? w.pipe.wCounter : w.pipe.rCounter;
  if (counter === w.seen) return k.sleepOn(t, w.pipe.openWait);
  t.syscallState = undefined;
  return fifoFile(w.mnt, w.vn, w.path, w.flags, w.pipe);
}

