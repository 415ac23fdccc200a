/**
 * Program execution (execve(2)): resolve the file, check it may be executed, read
 * its first bytes to pick a format — a `#!` script (binfmt_script: run the named
 * interpreter with the script's path) or a ctsim executable (the ELF-like image of a
 * program in the kernel's program table) — then replace the task's program, close
 * close-on-exec descriptors, reset caught signals and take the new name.
 */
import type { Kernel } from '../kernel.js';
import { err, SysError } from '../errno.js';
import type { Task } from './task.js';
import { resolve, pathOf } from '../vfs/namei.js';
import { MAY_EXEC, mayAccess } from '../vfs/permission.js';
import { isDir, isReg, O_RDONLY, S_ISGID, S_ISUID, type Stat } from '../vfs/types.js';
import { parseBinaryImage } from '../exec/program-table.js';
import { releaseFile } from '../vfs/file-ops.js';
import { OpenFile } from '../vfs/file.js';
import { execMm, prefaultExec, releaseMm } from '../mm/vm.js';
import { completeVforkDone } from './task-clone.js';
import { fileMapping } from '../syscalls/sys-mm.js';
import type { Creds } from './creds.js';
import { CAP, CAP_EMPTY_SET, nsCapable } from '../ns/capabilities.js';
import { SECBIT_KEEP_CAPS, SECBIT_NOROOT } from '../syscalls/abi.js';

/** Linux's limit on nested interpreters (BINPRM_MAX_RECURSION). */
const MAX_INTERP_DEPTH = 4;
/** ARG_MAX as getconf reports it with the default 8 MiB stack: a quarter of the stack. */
export const ARG_MAX = 2 * 1024 * 1024;
/** Bytes of a `#!` line the kernel reads (BINPRM_BUF_SIZE). */
const BINPRM_BUF_SIZE = 256;

function readHead(k: Kernel, t: Task, vn: { open?: (flags: number) => unknown }, mntPath: string): string | SysError {
  if (!vn.open) return err('EACCES', `${mntPath} cannot be opened to read its header`);
  const o = vn.open(O_RDONLY) as { ops: OpenFile['ops']; priv?: unknown } | SysError;
  if (o instanceof SysError) return o;
  const f = new OpenFile(o.ops, O_RDONLY, null, null, mntPath, o.priv);
  const head = o.ops.read ? o.ops.read(k, t, f, BINPRM_BUF_SIZE) : '';
  releaseFile(k, f);
  if (typeof head !== 'string') return err('EACCES', `the first bytes of ${mntPath} could not be read`);
  return head;
}

/** Replaces `t`'s program. On success the call does not return to the old program. */
export function doExec(k: Kernel, t: Task, path: string, argv: readonly string[], envp: readonly string[]): SysError | undefined {
  let size = 0;
  for (const a of argv) size += a.length + 1;
  for (const e of envp) size += e.length + 1;
  if (size > ARG_MAX) return err('E2BIG', `arguments and environment take ${size} bytes; ARG_MAX is ${ARG_MAX}`);

  const filename = path;
  let file = path;
  let args = [...argv];
  for (let depth = 0; ; depth++) {
    if (depth > MAX_INTERP_DEPTH) return err('ELOOP', 'too many levels of #! interpreters');
    const p = resolve(k, t, file, { follow: true });
    if (p instanceof SysError) return p;
    const mode = p.vn.mode();
    if (isDir(mode) || !isReg(mode)) return err('EACCES', `${file} is not a regular file`);
    if (p.mnt.flags.noexec) return err('EACCES', `${file} is on a file system mounted noexec`);
    if (!mayAccess(t.creds, p.vn.getattr(), MAY_EXEC)) return err('EACCES', `${file} is not executable by uid ${t.creds.euid}`);
    const head = readHead(k, t, p.vn, file);
    if (head instanceof SysError) return head;
    if (head.startsWith('#!')) {
      const nl = head.indexOf('\n');
      const line = (nl < 0 ? head.slice(2) : head.slice(2, nl)).replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
      if (line === '') return err('ENOEXEC', `the #! line of ${file} names no interpreter`);
      const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line)!;
      const interp = m[1];
      const optArg = m[2];
      // argv[0] is replaced by the interpreter, its optional argument, and the script path.
      args = [interp, ...(optArg !== undefined ? [optArg] : []), file, ...args.slice(1)];
      file = interp;
      continue;
    }
    const name = parseBinaryImage(head);
    if (name === null) return err('ENOEXEC', `${file} is neither a ctsim executable nor a #! script`);
    const spec = k.config.programs.get(name);
    if (!spec) return err('ENOEXEC', `${file} names program "${name}", which this ctsim does not have`);

    // The new address space, before the point of no return (exec fails with ENOMEM without one).
    const exe = pathOf(t, p);
    const image = fileMapping(k, t, p.mnt, p.vn, exe);
    if (image instanceof SysError) return image;
    const mm = execMm(k, t, image);
    if (!mm) return err('ENOMEM', 'no memory for the new program\'s page tables');

    // Point of no return: the old program is gone.
    const old = t.mm;
    t.mm = mm;
    if (k.currentCpu && k.current === t) k.charge(k.machine.switchAddressSpace(k.currentCpu.cpu, mm.root));
    if (old) releaseMm(k, old);
    // A vfork parent waited for this: the borrowed address space is its own again.
    completeVforkDone(k, t);
    prefaultExec(k, t, mm);
    if (t.files.users > 1) {
      t.files.users--;
      t.files = t.files.fork();
    }
    for (const fd of t.files.openFds()) {
      if (t.files.entry(fd)!.cloexec) {
        const f = t.files.remove(fd);
        if (f) releaseFile(k, f);
      }
    }
    if (t.sighand.actions.some((a) => a !== undefined)) {
      t.sighand = t.sighand.clone();
      t.sighand.resetForExec();
    }
    const base = filename.replace(/\/+$/, '').split('/').pop() ?? filename;
    t.comm = base.slice(0, 15);
    t.argv = args;
    t.envp = [...envp];
    t.exe = exe;
    t.didExec = true;
    execCreds(t.creds, p.vn.getattr(), p.mnt.flags.nosuid, t.noNewPrivs, t.fs.users > 1);
    t.setProgram(spec.main({ argv: args, envp: t.envp }));
    t.resumeValue = undefined;
    k.charge(k.costs.exec);
    if (k.engine.trace.on('proc')) k.engine.trace.emit('proc', 'exec', { pid: t.tid, file: t.exe, argv: args });
    return undefined;
  }
}

/**
 * The credentials a program runs with (execve(2), capabilities(7) "Transformation of
 * capabilities during execve()", security/commoncap.c cap_bprm_creds_from_file):
 *
 * - set-user-ID and set-group-ID bits take effect unless the mount is nosuid, the task
 *   has no_new_privs, or the file's owner or group has no mapping in the user namespace
 *   (USER-15);
 * - files have no capabilities in ctsim, so P'(permitted) starts empty; unless
 *   SECBIT_NOROOT, root (UID 0 of the user namespace, real or effective) gets the
 *   bounding set | P(inheritable), and effective root makes the file "effective";
 * - with no_new_privs (or a file-system context shared through CLONE_FS) an exec that
 *   changes IDs or gains permitted capabilities is cut down: the effective IDs fall back
 *   to the real ones (without no_new_privs only if CAP_SETUID is missing) and P' ⊆ P;
 * - P'(ambient) = a set-user-ID/set-group-ID exec ? 0 : P(ambient);
 *   P'(permitted) |= P'(ambient); P'(effective) = effective ? P'(permitted) : P'(ambient);
 * - SECBIT_KEEP_CAPS is cleared.
 *
 * "Set-user-ID exec" means the file's bits changed the effective UID (or set a group the
 * caller is not in), as capabilities(7) words it and Linux 6.18 behaves: a process whose
 * effective UID already differs from its real one keeps its ambient set across execve.
 */
function execCreds(c: Creds, st: Stat, nosuid: boolean, noNewPrivs: boolean, fsShared: boolean): void {
  const ns = c.userNs;
  const oldEuid = c.euid;
  const oldPrm = c.capPrm;
  const mapped = (ns.uidMap?.up(st.uid) ?? -1) >= 0 && (ns.gidMap?.up(st.gid) ?? -1) >= 0;
  if (!nosuid && !noNewPrivs && mapped) {
    if (st.mode & S_ISUID) c.euid = st.uid;
    if (st.mode & S_ISGID && st.mode & 0o010) c.egid = st.gid;
  }
  const idChanged = c.euid !== oldEuid || !c.inGroup(c.egid);
  let prm = CAP_EMPTY_SET;
  let effective = false;
  const root = ns.kuid(0);
  if (!(c.securebits & SECBIT_NOROOT) && root >= 0) {
    if (c.euid === root || c.uid === root) prm = c.capBnd | c.capInh;
    effective = c.euid === root;
  }
  const gained = (prm & ~oldPrm) !== 0n;
  if ((idChanged || gained) && (noNewPrivs || fsShared)) {
    if (noNewPrivs || !nsCapable(c, ns, CAP.SETUID)) {
      c.euid = c.uid;
      c.egid = c.gid;
    }
    prm &= oldPrm;
  }
  c.suid = c.fsuid = c.euid;
  c.sgid = c.fsgid = c.egid;
  if (idChanged) c.capAmb = CAP_EMPTY_SET;
  c.capPrm = prm | c.capAmb;
  c.capEff = effective ? c.capPrm : c.capAmb;
  c.securebits &= ~SECBIT_KEEP_CAPS;
}
