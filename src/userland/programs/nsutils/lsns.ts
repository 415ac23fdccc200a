/**
 * lsns(8) and findmnt(8) from util-linux 2.38.
 *
 *   lsns [-t TYPE] [-p PID] [-o COLS] [-n] [-r] [-l] [-T[REL]] [NS]
 *     One row per namespace found through /proc/PID/ns: its inode, type, how many
 *     processes are in it, the lowest PID, that process's user and command line; PNS
 *     and ONS (parent and owner namespace) come from ioctl_ns(2). -T (--tree[=REL])
 *     draws the rows as a tree: by owner user namespace (the default), by parent
 *     namespace (PID and user namespaces), or by process (a namespace below the one
 *     whose process is its process's parent, drawn in COMMAND). A namespace the tree
 *     needs that no process of the chosen types is in gets a row of its own with
 *     NPROCS 0 and no PID, as util-linux 2.38.1 prints it.
 *   findmnt [-l] [-n] [-r] [-o COLS] [-t TYPES] [TARGET]
 *     The mount tree of /proc/self/mountinfo: TARGET, SOURCE (with [/dir] for a bind of
 *     a subdirectory), FSTYPE, OPTIONS; PROPAGATION, ID, PARENT on request.
 *
 * Simplification: no JSON output, no NETNSID/NSFS values, no
 * findmnt --poll, --fstab or source lookups.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { UserDb } from '../../lib/passwd.js';
import { O_DIRECTORY, O_RDONLY } from '../../../kernel/vfs/types.js';
import { NS_GET_PARENT, NS_GET_USERNS } from '../../../kernel/ns/nsfs.js';
import { parseMountinfo, type MountEntry } from './mountinfo.js';
import { helpOrVersion } from './common.js';

type Gen<T> = Generator<Op, T, unknown>;
const LS_NS = 40_000;
const TYPES = ['mnt', 'net', 'pid', 'uts', 'ipc', 'user', 'cgroup', 'time'];

const LSNS_USAGE = `
Usage:
 lsns [options] [<namespace>]

List system namespaces.

Options:
 -J, --json             use JSON output format
 -l, --list             use list format output
 -n, --noheadings       don't print headings
 -o, --output <list>    define which output columns to use
     --output-all       output all columns
 -p, --task <pid>       print process namespaces
 -r, --raw              use the raw output format
 -u, --notruncate       don't truncate text in columns
 -W, --nowrap           don't use multi-line representation
 -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)
 -T, --tree <rel>       use tree format (parent, owner, or process)

 -h, --help             display this help
 -V, --version          display version

For more details see lsns(8).
`;

const FINDMNT_USAGE = `
Usage:
 findmnt [options]
 findmnt [options] <device> | <mountpoint>
 findmnt [options] <device> <mountpoint>
 findmnt [options] [--source <device>] [--target <path> | --mountpoint <dir>]

Find a (mounted) filesystem.

For more details see findmnt(8).
`;

/** How a column is laid out: right-aligned numbers, left-aligned text. */
const RIGHT = new Set(['NS', 'NPROCS', 'PID', 'PPID', 'UID', 'PNS', 'ONS', 'NETNSID', 'ID', 'PARENT']);

/** Formats rows as util-linux's libsmartcols does: columns padded to their widest cell, the last one not padded. */
function table(cols: string[], rows: string[][], o: { noHeadings: boolean; raw: boolean; treeColumn?: number }): string {
  // Nothing matched: no output at all, not even the header.
  if (rows.length === 0) return '';
  const all = o.noHeadings ? rows : [cols, ...rows];
  if (o.raw) return all.map((r) => r.join(' ')).join('\n') + (all.length ? '\n' : '');
  // The header counts in the widths even when it is not printed (libsmartcols).
  const width = cols.map((_, i) => Math.max(cols[i].length, ...rows.map((r) => r[i].length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => {
          // The tree column is drawn left-aligned, whatever its type (libsmartcols).
          const right = RIGHT.has(cols[i]) && i !== o.treeColumn;
          if (i === cols.length - 1 && !right) return cell;
          return right ? cell.padStart(width[i]) : cell.padEnd(width[i]);
        })
        .join(' '),
    )
    .join('\n') + (all.length ? '\n' : '');
}

function* processes(): Gen<number[]> {
  const fd = yield* sys.open('/proc', O_RDONLY | O_DIRECTORY);
  if (fd instanceof SysError) return [];
  const ents = yield* sys.getdents(fd);
  yield* sys.close(fd);
  if (ents instanceof SysError) return [];
  return ents.filter((e) => /^\d+$/.test(e.name)).map((e) => Number(e.name)).sort((a, b) => a - b);
}

/**
 * The inodes up the chain of `request` (NS_GET_USERNS or NS_GET_PARENT) from the
 * namespace of `path`: its owner (or parent), that one's, and so on while the kernel
 * answers (EPERM above the caller's own user namespace, ENOENT at the top).
 */
function* chain(path: string, request: number): Gen<string[]> {
  const out: string[] = [];
  let fd = yield* sys.open(path, O_RDONLY);
  if (fd instanceof SysError) return out;
  for (let guard = 0; guard < 40; guard++) {
    const r: unknown = yield* sys.ioctl(fd, request);
    yield* sys.close(fd);
    if (typeof r !== 'number') break;
    const st = yield* sys.fstat(r);
    if (st instanceof SysError) {
      yield* sys.close(r);
      break;
    }
    out.push(String(st.ino));
    fd = r;
  }
  return out;
}

/** The inode of the namespace an ioctl_ns request returns for `path` ('0' when there is none). */
function* related(path: string, request: number): Gen<string> {
  const fd = yield* sys.open(path, O_RDONLY);
  if (fd instanceof SysError) return '0';
  const r = yield* sys.ioctl(fd, request);
  yield* sys.close(fd);
  if (typeof r !== 'number') return '0';
  const st = yield* sys.fstat(r);
  yield* sys.close(r);
  return st instanceof SysError ? '0' : String(st.ino);
}

interface NsRow {
  ino: string;
  type: string;
  pids: number[];
}

export function* lsnsMain({ argv }: ProgramArgs): Program {
  yield LS_NS;
  let parsed;
  try {
    parsed = getopt('lsns', argv.slice(1), [
      { short: 't', long: 'type', arg: 'required' },
      { short: 'p', long: 'task', arg: 'required' },
      { short: 'o', long: 'output', arg: 'required' },
      { short: 'n', long: 'noheadings' },
      { short: 'r', long: 'raw' },
      { short: 'l', long: 'list' },
      { short: 'u', long: 'notruncate' },
      { short: 'W', long: 'nowrap' },
      { short: 'T', long: 'tree', arg: 'optional' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'lsns --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, LSNS_USAGE, 'lsns from util-linux 2.38.1\n');
  if (early !== null) return early;
  const treeArg = v.get('tree');
  const tree = treeArg === undefined ? null : treeArg === true ? 'owner' : treeArg;
  if (tree !== null && tree !== 'owner' && tree !== 'parent' && tree !== 'process') {
    yield* errOut(`lsns: unknown tree type: ${tree}\n`);
    return 1;
  }
  const given = parsed.list.filter(([key]) => key === 'type').map(([, val]) => String(val));
  const types = given.length > 0 ? given : TYPES;
  for (const t of types) {
    if (!TYPES.includes(t)) {
      yield* errOut(`lsns: unknown namespace type: ${t}\n`);
      return 1;
    }
  }
  const cols = (typeof v.get('output') === 'string' ? (v.get('output') as string) : 'NS,TYPE,NPROCS,PID,USER,COMMAND').split(',').map((c) => c.trim().toUpperCase());
  const known = ['NS', 'TYPE', 'PATH', 'NPROCS', 'PID', 'PPID', 'COMMAND', 'UID', 'USER', 'NETNSID', 'NSFS', 'PNS', 'ONS'];
  for (const c of cols) {
    if (!known.includes(c)) {
      yield* errOut(`lsns: unknown column: ${c}\n`);
      return 1;
    }
  }
  const db = yield* UserDb.load();
  const byIno = new Map<string, NsRow>();
  const taskArg = v.get('task');
  if (typeof taskArg === 'string' && !/^\d+$/.test(taskArg)) {
    yield* errOut(`lsns: invalid PID argument: '${taskArg}'\n`);
    return 1;
  }
  const taskPid = typeof taskArg === 'string' ? Number(taskArg) : null;
  const wantIno = parsed.operands[0];
  if (wantIno !== undefined && !/^\d+$/.test(wantIno)) {
    yield* errOut(`lsns: invalid namespace argument: '${wantIno}'\n`);
    return 1;
  }
  const info = new Map<number, { uid: number; ppid: number; cmd: string }>();
  const taskNs = new Set<string>();
  for (const pid of yield* processes()) {
    for (const type of types) {
      const link = yield* sys.readlink(`/proc/${pid}/ns/${type}`);
      if (link instanceof SysError) continue;
      const ino = /\[(\d+)\]/.exec(link)?.[1] ?? '';
      const row = byIno.get(ino) ?? { ino, type, pids: [] };
      row.pids.push(pid);
      byIno.set(ino, row);
      if (pid === taskPid) taskNs.add(ino);
    }
    const status = yield* readFile(`/proc/${pid}/status`);
    const cmdline = yield* readFile(`/proc/${pid}/cmdline`);
    if (status instanceof SysError) continue;
    const uid = Number(/^Uid:\t(\d+)/m.exec(status)?.[1] ?? 0);
    const ppid = Number(/^PPid:\t(\d+)/m.exec(status)?.[1] ?? 0);
    const name = /^Name:\t(.*)$/m.exec(status)?.[1] ?? '';
    const cmd = cmdline instanceof SysError || cmdline === '' ? name : cmdline.replace(/\0$/, '').split('\0').join(' ');
    info.set(pid, { uid, ppid, cmd });
  }
  let rows = [...byIno.values()].sort((a, b) => Number(a.ino) - Number(b.ino));
  if (taskPid !== null) rows = rows.filter((r) => taskNs.has(r.ino));
  if (wantIno !== undefined) {
    rows = rows.filter((r) => r.ino === wantIno);
    if (rows.length === 0) {
      yield* errOut(`lsns: not found namespace: ${wantIno}\n`);
      return 1;
    }
  }
  // A tree needs each row's owner and parent namespaces (and theirs) as rows too: lsns
  // adds both kinds, whichever relation it draws; the tree follows the one asked for.
  const up = new Map<string, string>();
  if (tree === 'owner' || tree === 'parent') {
    const owners = new Map<string, string>();
    const parents = new Map<string, string>();
    for (const r of [...rows]) {
      const path = `/proc/${r.pids[0]}/ns/${r.type}`;
      const lines: [Map<string, string>, string[], string][] = [[owners, yield* chain(path, NS_GET_USERNS), 'user']];
      if (r.type === 'user' || r.type === 'pid') lines.push([parents, yield* chain(path, NS_GET_PARENT), r.type]);
      for (const [map, ups, type] of lines) {
        let below = r.ino;
        for (const ino of ups) {
          map.set(below, ino);
          if (!rows.some((x) => x.ino === ino)) rows.push({ ino, type, pids: [] });
          below = ino;
        }
      }
    }
    // A user namespace's owner is its parent.
    for (const r of rows) if (r.type === 'user' && owners.has(r.ino)) parents.set(r.ino, owners.get(r.ino)!);
    for (const [k, val] of tree === 'owner' ? owners : parents) up.set(k, val);
    rows.sort((a, b) => Number(a.ino) - Number(b.ino));
  }
  const out: string[][] = [];
  for (const r of rows) {
    const pid = r.pids[0];
    const stub = pid === undefined;
    const p = (stub ? undefined : info.get(pid)) ?? { uid: 0, ppid: 0, cmd: '' };
    const cells: string[] = [];
    for (const c of cols) {
      switch (c) {
        case 'NS': cells.push(r.ino); break;
        case 'TYPE': cells.push(r.type); break;
        case 'PATH': cells.push(stub ? '' : `/proc/${pid}/ns/${r.type}`); break;
        case 'NPROCS': cells.push(String(r.pids.length)); break;
        case 'PID': cells.push(stub ? '' : String(pid)); break;
        case 'PPID': cells.push(stub ? '' : String(p.ppid)); break;
        case 'COMMAND': cells.push(p.cmd); break;
        case 'UID': cells.push(String(p.uid)); break;
        case 'USER': cells.push(db.userName(p.uid) ?? String(p.uid)); break;
        case 'PNS': cells.push(!stub && (r.type === 'user' || r.type === 'pid') ? yield* related(`/proc/${pid}/ns/${r.type}`, NS_GET_PARENT) : '0'); break;
        case 'ONS': cells.push(stub ? '0' : yield* related(`/proc/${pid}/ns/${r.type}`, NS_GET_USERNS)); break;
        default: cells.push('');
      }
    }
    out.push(cells);
  }
  let treeColumn: number | undefined;
  if (tree !== null) {
    treeColumn = tree === 'process' ? cols.indexOf('COMMAND') : cols.indexOf('NS');
    if (treeColumn < 0) treeColumn = 0;
    // Each row's parent row: its owner or parent namespace's, or (process) the last row whose process is its process's parent.
    const parentRow: number[] = rows.map(() => -1);
    if (tree === 'process') {
      const rowOfPid = new Map<number, number>();
      rows.forEach((r, i) => {
        if (r.pids.length > 0) rowOfPid.set(r.pids[0], i);
      });
      rows.forEach((r, i) => {
        const pp = r.pids.length > 0 ? info.get(r.pids[0])?.ppid : undefined;
        const j = pp === undefined ? undefined : rowOfPid.get(pp);
        if (j !== undefined && j !== i) parentRow[i] = j;
      });
    } else {
      rows.forEach((r, i) => {
        const rel = up.get(r.ino);
        const j = rel === undefined ? -1 : rows.findIndex((x) => x.ino === rel);
        if (j !== i) parentRow[i] = j;
      });
    }
    const ordered: string[][] = [];
    const tc = treeColumn;
    const visit = (i: number, prefix: string, childPrefix: string): void => {
      const cells = out[i].slice();
      cells[tc] = prefix + cells[tc];
      ordered.push(cells);
      const kids = rows.map((_, j) => j).filter((j) => parentRow[j] === i);
      kids.forEach((j, k) => {
        const last = k === kids.length - 1;
        visit(j, childPrefix + (last ? '`-' : '|-'), childPrefix + (last ? '  ' : '| '));
      });
    };
    // As util-linux 2.38.1 prints them: by owner or parent, the user namespaces' trees
    // first, then the others; children, and each group of trees, in inode order.
    const roots = rows.map((_, i) => i).filter((i) => parentRow[i] === -1);
    const userFirst = tree === 'process' ? roots : [...roots.filter((i) => rows[i].type === 'user'), ...roots.filter((i) => rows[i].type !== 'user')];
    for (const i of userFirst) visit(i, '', '');
    out.splice(0, out.length, ...ordered);
  }
  const o = new OutBuffer(1);
  yield* o.write(table(cols, out, { noHeadings: v.has('noheadings'), raw: v.has('raw'), treeColumn }));
  return (yield* o.flush()) ? 1 : 0;
}

/** findmnt's SOURCE: the source, with [/dir] when the mount shows a subdirectory of its file system. */
function sourceOf(m: MountEntry): string {
  return m.root === '/' ? m.source : `${m.source}[${m.root}]`;
}

export function* findmntMain({ argv }: ProgramArgs): Program {
  yield LS_NS;
  let parsed;
  try {
    parsed = getopt('findmnt', argv.slice(1), [
      { short: 'l', long: 'list' },
      { short: 'n', long: 'noheadings' },
      { short: 'r', long: 'raw' },
      { short: 'o', long: 'output', arg: 'required' },
      { short: 't', long: 'types', arg: 'required' },
      { short: 'u', long: 'notruncate' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'findmnt --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, FINDMNT_USAGE, 'findmnt from util-linux 2.38.1\n');
  if (early !== null) return early;
  const known = ['TARGET', 'SOURCE', 'FSTYPE', 'OPTIONS', 'VFS-OPTIONS', 'FS-OPTIONS', 'PROPAGATION', 'ID', 'PARENT', 'MAJ:MIN', 'FSROOT'];
  const cols = (typeof v.get('output') === 'string' ? (v.get('output') as string) : 'TARGET,SOURCE,FSTYPE,OPTIONS').split(',').map((c) => c.trim().toUpperCase());
  for (const c of cols) {
    if (!known.includes(c)) {
      yield* errOut(`findmnt: unknown column: ${c}\n`);
      return 1;
    }
  }
  const text = yield* readFile('/proc/self/mountinfo');
  if (text instanceof SysError) {
    yield* errOut(`findmnt: can't read /proc/self/mountinfo: ${text.message}\n`);
    return 1;
  }
  const everything = parseMountinfo(text);
  let mounts = everything;
  const typeList = typeof v.get('types') === 'string' ? (v.get('types') as string) : null;
  if (typeList !== null) {
    // libmount's pattern: a leading "no" negates the whole list.
    const negate = typeList.startsWith('no');
    const names = (negate ? typeList.slice(2) : typeList).split(',');
    mounts = mounts.filter((m) => names.includes(m.fstype) !== negate);
  }
  const target = parsed.operands[0] === undefined ? undefined : parsed.operands[0].replace(/(.)\/+$/, '$1');
  if (target !== undefined) mounts = mounts.filter((m) => m.target === target || m.source === target);
  if (mounts.length === 0) return target !== undefined ? 1 : 0;
  // A tree unless listing, filtering or raw (findmnt prints the tree only for the whole table).
  const tree = !v.has('list') && !v.has('raw') && target === undefined;
  const ids = new Set(mounts.map((m) => m.id));
  const byId = new Map(everything.map((m) => [m.id, m]));
  // In a filtered tree a mount hangs below its nearest ancestor that passed the filter.
  const shownParent = (m: MountEntry): number => {
    for (let p = byId.get(m.parent); p && p.id !== m.id; p = p.parent === p.id ? undefined : byId.get(p.parent)) if (ids.has(p.id)) return p.id;
    return -1;
  };
  const children = (id: number): MountEntry[] => mounts.filter((m) => m.id !== id && shownParent(m) === id);
  const ordered: { m: MountEntry; prefix: string }[] = [];
  if (tree) {
    const visit = (m: MountEntry, prefix: string, childPrefix: string): void => {
      ordered.push({ m, prefix });
      const kids = children(m.id);
      kids.forEach((c, i) => {
        const last = i === kids.length - 1;
        visit(c, childPrefix + (last ? '`-' : '|-'), childPrefix + (last ? '  ' : '| '));
      });
    };
    for (const r of mounts.filter((m) => shownParent(m) === -1)) visit(r, '', '');
  } else for (const m of mounts) ordered.push({ m, prefix: '' });
  const rows = ordered.map(({ m, prefix }) =>
    cols.map((c) => {
      switch (c) {
        case 'TARGET': return prefix + m.target;
        case 'SOURCE': return sourceOf(m);
        case 'FSTYPE': return m.fstype;
        case 'OPTIONS': return m.options;
        case 'VFS-OPTIONS': return m.vfsOptions;
        case 'FS-OPTIONS': return m.superOptions;
        case 'PROPAGATION': {
          // findmnt.c: "shared" or "private", then ",slave" and ",unbindable" (a slave that is not shared is "private,slave").
          const p = m.propagation;
          return (p.some((x) => x.startsWith('shared:')) ? 'shared' : 'private') + (p.some((x) => x.startsWith('master:')) ? ',slave' : '') + (p.includes('unbindable') ? ',unbindable' : '');
        }
        case 'ID': return String(m.id);
        case 'PARENT': return String(m.parent);
        case 'MAJ:MIN': return m.dev;
        case 'FSROOT': return m.root;
        default: return '';
      }
    }),
  );
  const o = new OutBuffer(1);
  // In the C locale ctsim runs in, the tree is drawn in ASCII ("|-", "`-"), as findmnt does there.
  yield* o.write(table(cols, rows, { noHeadings: v.has('noheadings'), raw: v.has('raw') }).split('\n').map((l) => l.replace(/\s+$/, '')).join('\n'));
  return (yield* o.flush()) ? 1 : 0;
}
