/**
 * mount(8) and umount(8) from util-linux 2.38, over mount(2) and umount2(2).
 *
 *   mount                                  list the mounts (from /proc/self/mountinfo)
 *   mount -t TYPE [-o OPTS] SOURCE DIR     a new mount (tmpfs, proc, …)
 *   mount --bind|--rbind OLD NEW           bind mounts; -o remount,bind,ro to change one
 *   mount --move OLD NEW
 *   mount --make-[r]{shared,slave,private,unbindable} DIR
 *   mount -o remount[,ro|rw,…] DIR
 *   umount [-l] [-f] [-R] DIR...
 *
 * Failures print libmount's messages ("mount point does not exist.", "unknown
 * filesystem type 'X'.", "not mount point or bad option.", "permission denied.",
 * "must be superuser to use mount.") with the dmesg hint, and exit 32.
 *
 * Simplification: no /etc/fstab lookups (`mount DIR` alone fails as when DIR is not in
 * fstab), no labels or UUIDs, no loop devices, no helpers (mount.TYPE).
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import {
  MNT_DETACH,
  MNT_FORCE,
  MS_BIND,
  MS_MOVE,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_REMOUNT,
  MS_SHARED,
  MS_SLAVE,
  MS_UNBINDABLE,
} from '../../../kernel/syscalls/sys-mount.js';
import { parseMountinfo, type MountEntry } from './mountinfo.js';
import { helpOrVersion } from './common.js';

type Gen<T> = Generator<Op, T, unknown>;

const MOUNT_NS = 30_000;
/** mount(8)'s exit status for a failed mount. */
const MNT_EX_FAIL = 32;
const MNT_EX_USAGE = 1;
const UMOUNT_USAGE = `
Usage:
 umount [-hV]
 umount -a [options]
 umount [options] <source> | <directory>

Unmount filesystems.

For more details see umount(8).
`;
const DMESG_HINT = '       dmesg(1) may have more information after failed mount system call.\n';

/** Per-mount flags and their -o words (mount(8) "FILESYSTEM-INDEPENDENT MOUNT OPTIONS"). */
const FLAG_WORDS: Record<string, [set: number, clear: number]> = {
  ro: [MS_RDONLY, 0],
  rw: [0, MS_RDONLY],
  nosuid: [MS_NOSUID, 0],
  suid: [0, MS_NOSUID],
  nodev: [MS_NODEV, 0],
  dev: [0, MS_NODEV],
  noexec: [MS_NOEXEC, 0],
  exec: [0, MS_NOEXEC],
  remount: [MS_REMOUNT, 0],
  bind: [MS_BIND, 0],
  rbind: [MS_BIND | MS_REC, 0],
  move: [MS_MOVE, 0],
  shared: [MS_SHARED, 0],
  rshared: [MS_SHARED | MS_REC, 0],
  slave: [MS_SLAVE, 0],
  rslave: [MS_SLAVE | MS_REC, 0],
  private: [MS_PRIVATE, 0],
  rprivate: [MS_PRIVATE | MS_REC, 0],
  unbindable: [MS_UNBINDABLE, 0],
  runbindable: [MS_UNBINDABLE | MS_REC, 0],
};
/** Words accepted and dropped (they are defaults here). */
const IGNORED = new Set(['defaults', 'relatime', 'auto', 'noauto', 'user', 'nouser', 'async', 'atime', 'noatime', 'strictatime', 'lazytime']);

/** Splits -o text into mount(2) flags and the file system's own options (the `data`). */
function parseOptions(text: string): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const word of text.split(',').filter(Boolean)) {
    const f = FLAG_WORDS[word];
    if (f) flags = (flags | f[0]) & ~f[1];
    else if (!IGNORED.has(word)) data.push(word);
  }
  return { flags, data: data.join(',') };
}

function* fail(target: string, message: string): Gen<number> {
  yield* errOut(`mount: ${target}: ${message}\n${DMESG_HINT}`);
  return MNT_EX_FAIL;
}

/** libmount's explanation of a failed mount(2). */
function* explain(e: SysError, target: string, source: string, flags: number, uid: number): Gen<number> {
  switch (e.errno) {
    case 'EPERM':
      return yield* fail(target, uid === 0 ? 'permission denied.' : 'must be superuser to use mount.');
    case 'ENOENT':
      // The target exists: then it is the source that is missing.
      if (flags & (MS_BIND | MS_MOVE) && !((yield* sys.stat(target)) instanceof SysError)) return yield* fail(target, `special device ${source} does not exist.`);
      return yield* fail(target, 'mount point does not exist.');
    case 'ENOTDIR':
      return yield* fail(target, 'mount point is not a directory.');
    case 'ENODEV':
      return yield* fail(target, `unknown filesystem type '${source}'.`);
    case 'EBUSY':
      return yield* fail(target, `${source} already mounted or mount point busy.`);
    case 'EINVAL':
      if (flags & MS_REMOUNT) return yield* fail(target, 'mount point not mounted or bad option.');
      if (flags & (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)) return yield* fail(target, 'not mount point or bad option.');
      return yield* fail(target, `wrong fs type, bad option, bad superblock on ${source}, missing codepage or helper program, or other error.`);
    case 'EACCES':
      return yield* fail(target, 'permission denied.');
    case 'ENOTBLK':
      return yield* fail(target, `special device ${source} does not exist.`);
    default:
      return yield* fail(target, `${e.message}.`);
  }
}

/** The listing of `mount` with no arguments: "SOURCE on TARGET type TYPE (OPTIONS)". */
function* list(typeFilter: string | undefined): Gen<number> {
  const text = yield* readFile('/proc/self/mountinfo');
  if (text instanceof SysError) {
    yield* errOut(`mount: failed to read mount table: ${text.message}\n`);
    return MNT_EX_FAIL;
  }
  const out = new OutBuffer(1);
  for (const m of parseMountinfo(text)) {
    if (typeFilter !== undefined) {
      // A leading "no" negates the whole list (libmount's type patterns).
      const negate = typeFilter.startsWith('no');
      if ((negate ? typeFilter.slice(2) : typeFilter).split(',').includes(m.fstype) === negate) continue;
    }
    yield* out.write(`${m.source} on ${m.target} type ${m.fstype} (${m.options})\n`);
  }
  return (yield* out.flush()) ? 1 : 0;
}

export function* mountMain({ argv }: ProgramArgs): Program {
  yield MOUNT_NS;
  let parsed;
  try {
    parsed = getopt('mount', argv.slice(1), [
      { short: 't', long: 'types', arg: 'required' },
      { short: 'o', long: 'options', arg: 'required' },
      { short: 'B', long: 'bind' },
      { short: 'R', long: 'rbind' },
      { short: 'M', long: 'move' },
      { short: 'r', long: 'read-only' },
      { short: 'w', long: 'rw' },
      { short: 'n', long: 'no-mtab' },
      { short: 'v', long: 'verbose' },
      { long: 'make-shared' },
      { long: 'make-slave' },
      { long: 'make-private' },
      { long: 'make-unbindable' },
      { long: 'make-rshared' },
      { long: 'make-rslave' },
      { long: 'make-rprivate' },
      { long: 'make-runbindable' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'mount --help' for more information.\n`);
    return MNT_EX_USAGE;
  }
  const v = parsed.values;
  if (v.has('version')) {
    const out = new OutBuffer(1);
    yield* out.write('mount from util-linux 2.38.1 (libmount 2.38.1: selinux, smack, btrfs, verity, namespaces, assert, debug)\n');
    yield* out.flush();
    return 0;
  }
  if (v.has('help')) {
    const out = new OutBuffer(1);
    yield* out.write('\nUsage:\n mount [-lhV]\n mount -a [options]\n mount [options] [--source] <source> | [--target] <directory>\n mount [options] <source> <directory>\n mount <operation> <mountpoint> [<target>]\n\nMount a filesystem.\n\nFor more details see mount(8).\n');
    yield* out.flush();
    return 0;
  }
  const type = v.get('types');
  const ops = parsed.operands;
  const { flags: optFlags, data } = parseOptions(typeof v.get('options') === 'string' ? (v.get('options') as string) : '');
  let flags = optFlags;
  if (v.has('bind')) flags |= MS_BIND;
  if (v.has('rbind')) flags |= MS_BIND | MS_REC;
  if (v.has('move')) flags |= MS_MOVE;
  if (v.has('read-only')) flags |= MS_RDONLY;
  if (v.has('rw')) flags &= ~MS_RDONLY;
  const makes: [string, number][] = [
    ['make-shared', MS_SHARED],
    ['make-slave', MS_SLAVE],
    ['make-private', MS_PRIVATE],
    ['make-unbindable', MS_UNBINDABLE],
    ['make-rshared', MS_SHARED | MS_REC],
    ['make-rslave', MS_SLAVE | MS_REC],
    ['make-rprivate', MS_PRIVATE | MS_REC],
    ['make-runbindable', MS_UNBINDABLE | MS_REC],
  ];
  const uid = yield* sys.getuid();
  const me = uid instanceof SysError ? 0 : uid;
  const make = makes.filter(([k]) => v.has(k));
  if (make.length > 0) {
    if (ops.length !== 1) {
      yield* errOut('mount: bad usage\nTry \'mount --help\' for more information.\n');
      return MNT_EX_USAGE;
    }
    for (const [, f] of make) {
      const r = yield* sys.mount('none', ops[0], '', f);
      if (r instanceof SysError) return yield* explain(r, ops[0], 'none', f, me);
    }
    return 0;
  }
  if (ops.length === 0) return yield* list(typeof type === 'string' ? type : undefined);
  // Propagation words given with -o apply to the one directory.
  if (ops.length === 1) {
    const target = ops[0];
    if (flags & (MS_REMOUNT | MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)) {
      const r = yield* sys.mount('none', target, '', flags, data);
      return r instanceof SysError ? yield* explain(r, target, 'none', flags, me) : 0;
    }
    yield* errOut(`mount: ${target}: can't find in /etc/fstab.\n`);
    return MNT_EX_USAGE;
  }
  if (ops.length > 2) {
    yield* errOut('mount: bad usage\nTry \'mount --help\' for more information.\n');
    return MNT_EX_USAGE;
  }
  const [source, target] = ops;
  // libmount canonicalizes the target before calling mount(2).
  if (!(flags & MS_REMOUNT)) {
    const st = yield* sys.stat(target);
    if (st instanceof SysError && st.errno === 'ENOENT') return yield* fail(target, 'mount point does not exist.');
  }
  if (flags & MS_BIND && flags & MS_RDONLY && !(flags & MS_REMOUNT)) {
    // mount --bind -o ro: bind first, then a read-only remount of the new mount (as libmount does).
    const r = yield* sys.mount(source, target, '', flags & ~MS_RDONLY, data);
    if (r instanceof SysError) return yield* explain(r, target, source, flags, me);
    const r2 = yield* sys.mount('none', target, '', MS_REMOUNT | MS_BIND | MS_RDONLY);
    return r2 instanceof SysError ? yield* explain(r2, target, source, MS_REMOUNT, me) : 0;
  }
  let fstype = typeof type === 'string' ? type : '';
  if (fstype === '' && !(flags & (MS_BIND | MS_MOVE | MS_REMOUNT))) {
    // Without -t libmount probes the source; a non-device source cannot be probed.
    return yield* fail(target, `special device ${source} does not exist.`);
  }
  if (fstype === 'auto') fstype = '';
  const r = yield* sys.mount(source, target, fstype, flags, data);
  if (!(r instanceof SysError)) return 0;
  return yield* explain(r, target, r.errno === 'ENODEV' ? fstype : source, flags, me);
}

/** The mounts below `target` (deepest first), for umount -R. */
function submountsOf(entries: MountEntry[], target: string): string[] {
  const prefix = target === '/' ? '/' : target + '/';
  return entries
    .filter((m) => m.target.startsWith(prefix))
    .map((m) => m.target)
    .sort((a, b) => b.split('/').length - a.split('/').length);
}

export function* umountMain({ argv }: ProgramArgs): Program {
  yield MOUNT_NS;
  let parsed;
  try {
    parsed = getopt('umount', argv.slice(1), [
      { short: 'l', long: 'lazy' },
      { short: 'f', long: 'force' },
      { short: 'R', long: 'recursive' },
      { short: 'n', long: 'no-mtab' },
      { short: 'v', long: 'verbose' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'umount --help' for more information.\n`);
    return MNT_EX_USAGE;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, UMOUNT_USAGE, 'umount from util-linux 2.38.1 (libmount 2.38.1: selinux, smack, btrfs, verity, namespaces, assert, debug)\n');
  if (early !== null) return early;
  if (parsed.operands.length === 0) {
    yield* errOut('umount: bad usage\nTry \'umount --help\' for more information.\n');
    return MNT_EX_USAGE;
  }
  const flags = (v.has('lazy') ? MNT_DETACH : 0) | (v.has('force') ? MNT_FORCE : 0);
  const uid = yield* sys.getuid();
  let status = 0;
  for (const target of parsed.operands) {
    const list = [target];
    // libmount looks the target up in /proc/self/mountinfo before it calls umount2(2);
    // with no /proc mounted (just after pivot_root) it gives up without the call.
    const text = yield* readFile('/proc/self/mountinfo');
    if (text instanceof SysError && text.errno === 'ENOENT') {
      yield* errOut(`umount: ${target}: umount failed: No such file or directory.\n`);
      status = Math.min(255, status + MNT_EX_FAIL);
      continue;
    }
    if (v.has('recursive') && !(text instanceof SysError)) list.unshift(...submountsOf(parseMountinfo(text), target.replace(/\/+$/, '') || '/'));
    const recursive = v.has('recursive');
    for (const t of list) {
      const r = yield* sys.umount2(t, flags);
      if (!(r instanceof SysError)) continue;
      const nonRoot = !(uid instanceof SysError) && uid !== 0;
      if (recursive && (r.errno === 'ENOENT' || r.errno === 'EINVAL')) {
        // umount -R looks the target up in the mount table first.
        yield* errOut(`umount: ${t}: ${r.errno === 'ENOENT' ? 'not found' : 'not mounted'}\n`);
        status = 1;
        break;
      }
      if (nonRoot && (r.errno === 'ENOENT' || r.errno === 'EINVAL' || r.errno === 'EPERM')) {
        // Without privilege libmount checks the mount table itself before refusing.
        const why = r.errno === 'ENOENT' ? 'No such file or directory' : r.errno === 'EINVAL' ? 'not mounted.' : 'must be superuser to unmount.';
        yield* errOut(`umount: ${t}: ${why}\n`);
        status = r.errno === 'EPERM' ? Math.min(255, status + MNT_EX_FAIL) : 1;
        break;
      }
      let why: string;
      if (r.errno === 'ENOENT') why = 'no mount point specified.';
      else if (r.errno === 'EINVAL') why = 'not mounted.';
      else if (r.errno === 'EBUSY') why = 'target is busy.';
      else if (r.errno === 'EPERM') why = 'permission denied.';
      else why = `${r.message}.`;
      yield* errOut(`umount: ${t}: ${why}\n`);
      // Each failed target adds to the status (libmount's MNT_EX_* add up across operands).
      status = Math.min(255, status + MNT_EX_FAIL);
      break;
    }
  }
  return status;
}
