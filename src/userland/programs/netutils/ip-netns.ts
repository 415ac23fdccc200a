/**
 * `ip netns` (iproute2 6.1 ip/ipnetns.c): named network namespaces, each a bind mount
 * of a /proc/PID/ns/net file on /run/netns/NAME.
 *
 *   ip netns [list]            names, with " (id: N)" when this namespace has an nsid for it
 *   ip netns add NAME          mkdir /run/netns; make it a shared mount (bind it on itself
 *                              first if it is not a mount point); create NAME with mode 0;
 *                              unshare(CLONE_NEWNET) and bind /proc/self/ns/net onto it;
 *                              setns back to the namespace we came from
 *   ip netns attach NAME PID   the same with /proc/PID/ns/net
 *   ip netns del NAME          umount2(MNT_DETACH) and unlink
 *   ip netns exec NAME CMD…    netns_switch (setns, private mounts, a fresh /sys), execvp
 *   ip netns identify [PID]    the name whose file is the same namespace as PID's
 *   ip netns pids NAME         the processes in that namespace
 *   ip netns set NAME ID       assign an nsid (RTM_NEWNSID)
 *
 * Simplification: no flock(2) on /run/netns (ctsim runs one `ip netns add` at a time
 * per call anyway), no /etc/netns/NAME bind mounts, no `monitor` or `list-id`.
 */
import { SysError } from '../../../kernel/errno.js';
import { CLONE_NEWNET } from '../../../kernel/syscalls/abi.js';
import { MNT_DETACH, MS_BIND, MS_REC, MS_SHARED } from '../../../kernel/syscalls/sys-mount.js';
import { O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY } from '../../../kernel/vfs/types.js';
import { execvp } from '../../lib/exec.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { fail, invarg, matches, NETNS_RUN_DIR, netnsNames, netnsSwitch, nsidOf, talk, writeOut, type Gen, type GlobalOptions } from './common.js';
import { jsonText } from './json.js';

const NETNS_USAGE = `Usage:	ip netns list
	ip netns add NAME
	ip netns attach NAME PID
	ip netns set NAME NETNSID
	ip [-all] netns delete [NAME]
	ip netns identify [PID]
	ip netns pids NAME
	ip [-all] netns exec [NAME] cmd ...
	ip netns monitor
	ip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
`;

/** invalid_name(): a name must not contain "/" nor be "." or "..". */
const invalidName = (n: string): boolean => n.includes('/') || n === '.' || n === '..';

function* list(o: GlobalOptions): Gen<number> {
  const rows: { name: string; id?: number }[] = [];
  for (const name of yield* netnsNames()) {
    const id = yield* nsidOf(name);
    rows.push(id >= 0 ? { name, id } : { name });
  }
  if (o.json) return yield* writeOut(jsonText(rows, o.pretty));
  return yield* writeOut(rows.map((r) => (r.id !== undefined ? `${r.name} (id: ${r.id})\n` : `${r.name}\n`)).join(''));
}

/** on_netns_del: detach the bind mount, remove the file. */
function* remove(name: string): Gen<number> {
  const path = `${NETNS_RUN_DIR}/${name}`;
  yield* sys.umount2(path, MNT_DETACH);
  const u = yield* sys.unlink(path);
  if (u instanceof SysError) return yield* fail(`Cannot remove namespace file "${path}": ${u.message}\n`, 1);
  return 0;
}

/** netns_add (create) and attach (bind an existing process's namespace). */
function* add(args: string[], create: boolean): Gen<number> {
  const name = args[0];
  if (name === undefined) return yield* fail(create ? 'No netns name specified\n' : 'No netns name and PID specified\n', 1);
  let proc = '/proc/self/ns/net';
  if (!create) {
    if (args[1] === undefined) return yield* fail('No netns name and PID specified\n', 1);
    if (!/^-?\d+$/.test(args[1]) || Number(args[1]) === 0) return yield* fail(`Invalid PID: ${args[1]}\n`, 1);
    proc = `/proc/${args[1]}/ns/net`;
  }
  const path = `${NETNS_RUN_DIR}/${name}`;
  const mk = yield* sys.mkdir(NETNS_RUN_DIR, 0o755);
  if (mk instanceof SysError && mk.errno !== 'EEXIST') return yield* fail(`mkdir ${NETNS_RUN_DIR} failed: ${mk.message}\n`, 1);
  const dir = yield* sys.open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY);
  if (dir instanceof SysError) return yield* fail(`Cannot open netns runtime directory "${NETNS_RUN_DIR}": ${dir.message}\n`, 1);
  yield* sys.close(dir);
  // Mounts of namespace files must propagate to every mount namespace, so that
  // `ip netns del` anywhere frees the namespace: make /run/netns a shared mount point.
  let madeMount = false;
  for (;;) {
    const m = yield* sys.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
    if (!(m instanceof SysError)) break;
    if (m.errno !== 'EINVAL' || madeMount) return yield* fail(`mount --make-shared ${NETNS_RUN_DIR} failed: ${m.message}\n`, 1);
    const b = yield* sys.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC);
    if (b instanceof SysError) return yield* fail(`mount --bind ${NETNS_RUN_DIR} ${NETNS_RUN_DIR} failed: ${b.message}\n`, 1);
    madeMount = true;
  }
  const fd = yield* sys.open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
  if (fd instanceof SysError) return yield* fail(`Cannot create namespace file "${path}": ${fd.message}\n`, 1);
  yield* sys.close(fd);
  let saved: number | null = null;
  if (create) {
    const s = yield* sys.open('/proc/self/ns/net', O_RDONLY | O_CLOEXEC);
    if (s instanceof SysError) return yield* fail(`Cannot open init namespace: ${s.message}\n`, 1);
    saved = s;
    const u = yield* sys.unshare(CLONE_NEWNET);
    if (u instanceof SysError) {
      yield* errOut(`Failed to create a new network namespace "${name}": ${u.message}\n`);
      return yield* undo(name, saved);
    }
  }
  const bind = yield* sys.mount(proc, path, 'none', MS_BIND);
  if (bind instanceof SysError) {
    yield* errOut(`Bind ${proc} -> ${path} failed: ${bind.message}\n`);
    return yield* undo(name, saved);
  }
  return (yield* restore(saved)) ? 0 : 1;
}

/** netns_restore: back to the namespace saved before unshare. */
function* restore(saved: number | null): Gen<boolean> {
  if (saved === null) return true;
  const r = yield* sys.setns(saved, CLONE_NEWNET);
  yield* sys.close(saved);
  if (r instanceof SysError) {
    yield* errOut(`setns: ${r.message}\n`);
    return false;
  }
  return true;
}

/** out_delete: give the namespace up and remove the file made for it. */
function* undo(name: string, saved: number | null): Gen<number> {
  yield* restore(saved);
  yield* remove(name);
  return 1;
}

/** netns_exec without -all: switch, then replace ip with the command (no fork). */
function* exec(args: string[], envp: readonly string[]): Gen<number> {
  if (args.length < 1) return yield* fail('No netns name specified\n', 1);
  if (args.length < 2) return yield* fail('No command specified\n', 1);
  if (!(yield* netnsSwitch(args[0]))) return 255;
  const e = yield* execvp(args[1], args.slice(1), envp);
  yield* errOut(`exec of "${args[1]}" failed: ${e.message}\n`);
  return 1;
}

/** The (dev, ino) of the namespace behind a file. */
function* nsKey(path: string): Gen<string | null> {
  const st = yield* sys.stat(path);
  return st instanceof SysError ? null : `${st.dev}:${st.ino}`;
}

/** The /run/netns names bound to the same namespace as `path`. */
function* identify(args: string[]): Gen<number> {
  if (args.length > 1) return yield* fail('extra arguments specified\n', 1);
  const pid = args[0] ?? 'self';
  if (args[0] !== undefined && !/^\d+$/.test(pid)) return yield* fail(`Specified string '${pid}' is not a pid\n`, 1);
  const fd = yield* sys.open(`/proc/${pid}/ns/net`, O_RDONLY);
  if (fd instanceof SysError) return yield* fail(`Cannot open network namespace: ${fd.message}\n`, 1);
  const st = yield* sys.fstat(fd);
  yield* sys.close(fd);
  if (st instanceof SysError) return yield* fail(`Stat of netns failed: ${st.message}\n`, 1);
  let found = '';
  for (const name of yield* netnsNames()) {
    if ((yield* nsKey(`${NETNS_RUN_DIR}/${name}`)) === `${st.dev}:${st.ino}`) found = name;
  }
  return yield* writeOut(`${found}\n`);
}

function* pids(args: string[]): Gen<number> {
  if (args.length < 1) return yield* fail('No netns name specified\n', 1);
  if (args.length > 1) return yield* fail('extra arguments specified\n', 1);
  const fd = yield* sys.open(`${NETNS_RUN_DIR}/${args[0]}`, O_RDONLY);
  if (fd instanceof SysError) return yield* fail(`Cannot open network namespace: ${fd.message}\n`, 1);
  const st = yield* sys.fstat(fd);
  yield* sys.close(fd);
  if (st instanceof SysError) return yield* fail(`Stat of netns failed: ${st.message}\n`, 1);
  const proc = yield* sys.open('/proc/', O_RDONLY | O_DIRECTORY);
  if (proc instanceof SysError) return yield* fail(`Open of /proc failed: ${proc.message}\n`, 1);
  const ents = yield* sys.getdents(proc);
  yield* sys.close(proc);
  let out = '';
  for (const e of ents instanceof SysError ? [] : ents) {
    if (!/^\d+$/.test(e.name)) continue;
    if ((yield* nsKey(`/proc/${e.name}/ns/net`)) === `${st.dev}:${st.ino}`) out += `${e.name}\n`;
  }
  return yield* writeOut(out);
}

function* setId(args: string[]): Gen<number> {
  if (args.length < 1) return yield* fail('No netns name specified\n', 1);
  if (args.length < 2) return yield* fail('No nsid specified\n', 1);
  let nsid = -1;
  if (args[1] !== 'auto') {
    if (!/^-?\d+$/.test(args[1])) return yield* invarg('Invalid "netnsid" value', args[1]);
    nsid = Number(args[1]);
    if (nsid < 0) return yield* invarg('"netnsid" value should be >= 0', args[1]);
  }
  const fd = yield* sys.open(`${NETNS_RUN_DIR}/${args[0]}`, O_RDONLY | O_CLOEXEC);
  if (fd instanceof SysError) return yield* fail(`Cannot open network namespace "${args[0]}": ${fd.message}\n`, 1);
  const r = yield* talk({ op: 'setnsid', netnsFd: fd, nsid });
  yield* sys.close(fd);
  return typeof r === 'number' ? r : 0;
}

export function* ipNetns(args: string[], o: GlobalOptions, envp: readonly string[]): Gen<number> {
  const c = args[0];
  if (c === undefined) return yield* list(o);
  if (!o.all && args.length > 1 && invalidName(args[1])) return yield* fail(`Invalid netns name "${args[1]}"\n`, 255);
  const rest = args.slice(1);
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return yield* list(o);
  if (matches(c, 'help')) return yield* fail(NETNS_USAGE, 255);
  if (matches(c, 'add')) return yield* add(rest, true);
  if (matches(c, 'set')) return yield* setId(rest);
  if (matches(c, 'delete')) {
    if (o.all) {
      for (const name of yield* netnsNames()) if ((yield* remove(name)) !== 0) return 1;
      return 0;
    }
    if (rest.length < 1) return yield* fail('No netns name specified\n', 1);
    return yield* remove(rest[0]);
  }
  if (matches(c, 'identify')) return yield* identify(rest);
  if (matches(c, 'pids')) return yield* pids(rest);
  if (matches(c, 'exec')) return yield* exec(rest, envp);
  if (matches(c, 'attach')) return yield* add(rest, false);
  return yield* fail(`Command "${c}" is unknown, try "ip netns help".\n`, 255);
}
