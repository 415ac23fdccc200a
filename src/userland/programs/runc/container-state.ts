/**
 * What runc keeps about a container between its commands: a directory per container
 * under the state root (`--root`, default /run/runc) holding `state.json` and, until
 * `start`, the `exec.fifo` the init waits on. The status is not stored but found, as
 * libcontainer finds it: no live init → stopped; exec.fifo present → created; else
 * running; and paused whenever the cgroup is frozen.
 *
 * Simplification: state.json holds ctsim's own record (the parsed config, the init's
 * PID and start time), not libcontainer's full internal state.
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { readFile, fromUtf8, utf8 } from '../../lib/io.js';
import { readDirNames } from '../sysutils/gnu-style.js';
import { O_CREAT, O_TRUNC, O_WRONLY } from '../../../kernel/vfs/types.js';
import type { OciConfig } from '../../../runtime/oci/index.js';

type Gen<T> = Generator<Op, T, unknown>;

export type ContainerStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

/** The record runc writes at create and reads in every later command. */
export interface ContainerRecord {
  id: string;
  /** The init's PID as the runtime (host) sees it; 0 once it is known to be gone. */
  initPid: number;
  /** Field 22 of /proc/PID/stat when the init was made: tells a reused PID apart. */
  initStartTime: number;
  /** Absolute bundle path. */
  bundle: string;
  /** Absolute root file system path (as the runtime sees it). */
  rootfs: string;
  /** CLOCK_REALTIME at creation, ns since the epoch. */
  createdNs: number;
  annotations: Record<string, string>;
  /** The container's cgroup directory as the runtime sees it (/sys/fs/cgroup/…). */
  cgroupDir: string;
  /** Whether the container has a PID namespace of its own (kill/delete act on the whole cgroup otherwise). */
  ownPidNs: boolean;
  config: OciConfig;
}

export const DEFAULT_ROOT = '/run/runc';

export const stateDirOf = (root: string, id: string): string => `${root}/${id}`;
export const fifoOf = (root: string, id: string): string => `${root}/${id}/exec.fifo`;

/** Writes `text` to `path` through a temporary file and rename, so a reader never sees half of it. */
export function* writeFileAtomic(path: string, text: string, mode = 0o600): Gen<SysError | null> {
  const tmp = `${path}.tmp`;
  const fd = yield* sys.open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd instanceof SysError) return fd;
  const w = yield* sys.write(fd, text);
  yield* sys.close(fd);
  if (w instanceof SysError) return w;
  const r = yield* sys.rename(tmp, path);
  return r instanceof SysError ? r : null;
}

export function* saveRecord(root: string, rec: ContainerRecord): Gen<SysError | null> {
  return yield* writeFileAtomic(`${stateDirOf(root, rec.id)}/state.json`, utf8(JSON.stringify(rec)));
}

/** The container's record, null when there is no such container (or its state is unreadable). */
export function* loadRecord(root: string, id: string): Gen<ContainerRecord | null> {
  const text = yield* readFile(`${stateDirOf(root, id)}/state.json`);
  if (text instanceof SysError) return null;
  try {
    return JSON.parse(fromUtf8(text)) as ContainerRecord;
  } catch {
    return null;
  }
}

/** The state and start time of a process from /proc/PID/stat, or null when there is none. */
export function* procStat(pid: number): Gen<{ state: string; startTime: number } | null> {
  if (pid <= 0) return null;
  const text = yield* readFile(`/proc/${pid}/stat`);
  if (text instanceof SysError) return null;
  // The comm field may hold spaces and parentheses: the fields start after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], startTime: Number(rest[19]) };
}

/** Whether the container's init is the process it was (alive, not a zombie, not a reused PID). */
export function* initAlive(rec: ContainerRecord): Gen<boolean> {
  const st = yield* procStat(rec.initPid);
  return st !== null && st.state !== 'Z' && st.state !== 'X' && st.startTime === rec.initStartTime;
}

/** The container's status, found as libcontainer finds it. */
export function* statusOf(root: string, rec: ContainerRecord): Gen<ContainerStatus> {
  if (!(yield* initAlive(rec))) return 'stopped';
  const fifo = yield* sys.stat(fifoOf(root, rec.id));
  const base: ContainerStatus = fifo instanceof SysError ? 'running' : 'created';
  const frozen = yield* readFile(`${rec.cgroupDir}/cgroup.freeze`);
  return !(frozen instanceof SysError) && frozen.trim() === '1' ? 'paused' : base;
}

/** The ids of every container under `root`, in name order. */
export function* listIds(root: string): Gen<string[]> {
  const names = yield* readDirNames(root);
  return names instanceof SysError ? [] : names.filter((n) => n !== '.' && n !== '..').sort();
}
