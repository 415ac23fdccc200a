/**
 * runc's cgroup v2 driver (libcontainer/cgroups/fs2, the "cgroupfs" driver): where a
 * container's cgroup is, making it (each missing level, with the controllers enabled
 * in every ancestor's cgroup.subtree_control), writing the resources, putting a
 * process in, freezing, reading statistics and removing it.
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { readFile } from '../../lib/io.js';
import { writeProcFile } from '../nsutils/common.js';
import { cleanPath } from './rootfs.js';
import { formatConfigIssue, resourcesToCgroupFiles, type OciConfig } from '../../../runtime/oci/index.js';

type Gen<T> = Generator<Op, T, unknown>;

export const CGROUP_MOUNT = '/sys/fs/cgroup';

/** The controllers runc enables on the way down, in its order. */
const CONTROLLERS = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'];

/** This process's cgroup (the v2 line of /proc/self/cgroup), '/' when unreadable. */
export function* ownCgroup(): Gen<string> {
  const text = yield* readFile('/proc/self/cgroup');
  if (text instanceof SysError) return '/';
  const line = text.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3) : '/';
}

/**
 * The container's cgroup directory: an absolute cgroupsPath is taken from the cgroup
 * mount; a relative one (and, with none, the container's id) from runc's own cgroup.
 */
export function* cgroupDirFor(config: OciConfig, id: string): Gen<string> {
  const path = config.linux?.cgroupsPath;
  const given = path === undefined || path === '' ? id : path;
  // runc's CleanPath: a relative path is cleaned as if rooted, so ".." cannot climb out of runc's own cgroup.
  const rel = cleanPath(given);
  const base = given.startsWith('/') ? '' : yield* ownCgroup();
  const dir = cleanPath(`${base}/${rel}`);
  return dir === '/' ? CGROUP_MOUNT : CGROUP_MOUNT + dir;
}

/** An error as runc words a failed cgroup file write. */
const writeError = (file: string, value: string, e: SysError): string =>
  `unable to apply cgroup configuration: failed to write ${JSON.stringify(value)}: write ${file}: ${e.message.toLowerCase()}`;

/**
 * Makes the cgroup (every missing level) and writes the resources. Returns whether it
 * made the leaf (an existing empty cgroup is used; delete removes it either way, as
 * runc's destroy does), or an error.
 */
export function* createCgroup(dir: string, config: OciConfig): Gen<{ made: boolean } | string> {
  // What cannot be written is known before anything is made.
  const res = resourcesToCgroupFiles(config.linux?.resources ?? {});
  if (res.errors.length) return res.errors.map((e) => formatConfigIssue('config.json', e)).join('; ');
  const parts = dir.slice(CGROUP_MOUNT.length).split('/').filter(Boolean);
  let cur = CGROUP_MOUNT;
  let made = false;
  for (const p of parts) {
    // Enable the parent's available controllers for its children, as runc does at each level.
    const avail = yield* readFile(`${cur}/cgroup.controllers`);
    if (!(avail instanceof SysError)) {
      const have = avail.trim().split(/\s+/).filter(Boolean);
      const want = CONTROLLERS.filter((c) => have.includes(c));
      if (want.length) yield* writeProcFile(`${cur}/cgroup.subtree_control`, want.map((c) => '+' + c).join(' '));
    }
    cur += '/' + p;
    const r = yield* sys.mkdir(cur, 0o755);
    if (r instanceof SysError && r.errno !== 'EEXIST') return `unable to apply cgroup configuration: mkdir ${cur}: ${r.message.toLowerCase()}`;
    made = !(r instanceof SysError);
  }
  if (!made) {
    // A cgroup that is already in use is not fit for a new container.
    const procs = yield* readFile(`${dir}/cgroup.procs`);
    if (!(procs instanceof SysError) && procs.trim() !== '') return `container's cgroup is not empty: ${procs.trim().split('\n').length} process(es) found`;
  }
  for (const { file, value } of res.files) {
    const e = yield* writeProcFile(`${dir}/${file}`, value);
    if (e) {
      if (made) yield* sys.rmdir(dir);
      return writeError(`${dir}/${file}`, value, e);
    }
  }
  return { made };
}

/** Puts `pid` into the cgroup. */
export function* joinCgroup(dir: string, pid: number): Gen<string | null> {
  const e = yield* writeProcFile(`${dir}/cgroup.procs`, String(pid));
  return e ? `unable to join cgroup: write ${dir}/cgroup.procs: ${e.message.toLowerCase()}` : null;
}

/** The PIDs in the cgroup (cgroup.procs order), empty when it is gone. */
export function* cgroupPids(dir: string): Gen<number[]> {
  const text = yield* readFile(`${dir}/cgroup.procs`);
  if (text instanceof SysError) return [];
  return text.split('\n').filter(Boolean).map(Number);
}

/** Writes cgroup.freeze. */
export function* setFrozen(dir: string, frozen: boolean): Gen<SysError | null> {
  return yield* writeProcFile(`${dir}/cgroup.freeze`, frozen ? '1' : '0');
}

/** Removes the cgroup, waiting (a few ms of simulated time at most) for its last processes to be gone. */
export function* removeCgroup(dir: string): Gen<SysError | null> {
  for (let i = 0; ; i++) {
    const r = yield* sys.rmdir(dir);
    if (!(r instanceof SysError) || r.errno === 'ENOENT') return null;
    if (r.errno !== 'EBUSY' || i >= 100) return r;
    yield* sys.nanosleep(100_000);
  }
}

/** A cgroup file's text, or null. */
export function* readCgroupFile(dir: string, file: string): Gen<string | null> {
  const t = yield* readFile(`${dir}/${file}`);
  return t instanceof SysError ? null : t;
}
