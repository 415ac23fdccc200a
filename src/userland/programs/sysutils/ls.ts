/**
 * ls(1) from GNU coreutils 9.1: list files and directory contents. Operands that
 * are not directories are listed first, then each directory's entries (with a
 * `dir:` heading when there are several, and recursively with -R). Sorted by name
 * in the C locale unless -t, -S or -U; -r reverses. Output to a pipe or file is
 * one name per line (-1); to a terminal, columns (-C).
 *
 * Options: -a -A -d -R -l -g -o -G -n -1 -C -i -s -h --si -t -S -U -r -c -u -F
 * -p --file-type -L --full-time --time-style=full-iso|long-iso|iso|+FORMAT.
 * Exit status: 0, 1 for minor trouble (an unreadable subdirectory), 2 for serious
 * trouble (an operand that cannot be accessed).
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir, isLnk, O_DIRECTORY, O_RDONLY, type DirEntry, type Stat } from '../../../kernel/vfs/types.js';
import { TIOCGWINSZ } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getenv } from '../../lib/exec.js';
import { UserDb } from '../../lib/passwd.js';
import { humanReadable } from '../../lib/human-readable.js';
import { isatty, joinPath, parseOptions, quote, quoteaf, quotef, usageError } from './gnu-style.js';
import {
  computeWidths,
  FULL_ISO_STYLE,
  ISO_STYLE,
  LOCALE_TIME_STYLE,
  LONG_ISO_STYLE,
  longLine,
  manyPerLine,
  shortEntry,
  type LsFile,
  type LsLayout,
} from './ls-format.js';

/** User CPU to start (option parsing, locale, user database) — a design choice. */
const LS_SETUP_NS = 60_000;
/** User CPU per file examined, sorted and formatted — a design choice (~3k cycles). */
const LS_PER_FILE_NS = 1_000;

type SortKey = 'name' | 'time' | 'size' | 'none';

interface LsState {
  prog: string;
  layout: LsLayout;
  all: boolean;
  almostAll: boolean;
  directory: boolean;
  recursive: boolean;
  sort: SortKey;
  reverse: boolean;
  /** ls's `dereference`: 'always' (-L), 'args-to-dirs' (default), 'args' (-H), 'never'. */
  deref: 'always' | 'args' | 'args-to-dirs' | 'never';
  format: 'long' | 'one' | 'columns';
  lineLength: number;
  out: OutBuffer;
  status: number;
  /** Directories already listed, by dev:ino (loop detection with -R). */
  visited: Set<string>;
  firstDir: boolean;
  printDirName: boolean;
}

export function* lsMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0] ?? 'ls';
  yield LS_SETUP_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'a', long: 'all' },
    { short: 'A', long: 'almost-all' },
    { short: 'c' },
    { short: 'C' },
    { short: 'd', long: 'directory' },
    { short: 'f' },
    { short: 'F', key: 'classify' },
    { long: 'classify', arg: 'optional' },
    { long: 'file-type' },
    { short: 'g' },
    { short: 'G', long: 'no-group' },
    { short: 'h', long: 'human-readable' },
    { long: 'si' },
    { short: 'H', long: 'dereference-command-line' },
    { short: 'i', long: 'inode' },
    { short: 'l' },
    { short: 'L', long: 'dereference' },
    { short: 'n', long: 'numeric-uid-gid' },
    { short: 'o' },
    { short: 'p', key: 'slash' },
    { short: 'r', long: 'reverse' },
    { short: 'R', long: 'recursive' },
    { short: 's', long: 'size' },
    { short: 'S' },
    { short: 't' },
    { short: 'u' },
    { short: 'U' },
    { short: '1' },
    { long: 'full-time' },
    { long: 'time-style', arg: 'required' },
    { long: 'help' },
  ], { status: 2 });
  if (!parsed) return 2;
  if (parsed.values.has('help')) {
    const b = new OutBuffer(1);
    yield* b.write(`Usage: ${prog} [OPTION]... [FILE]...\nList information about the FILEs (the current directory by default).\n`);
    yield* b.flush();
    return 0;
  }
  const users = yield* UserDb.load();
  const tty = yield* isatty(1);
  const now = yield* sys.clockGettime(0);
  const layout: LsLayout = {
    long: false,
    inode: false,
    blockSize: false,
    owner: true,
    group: true,
    numericIds: false,
    human: false,
    indicator: 'none',
    timeField: 'mtime',
    timeStyle: LOCALE_TIME_STYLE,
    nowNs: now instanceof SysError ? 0 : now,
    users,
  };
  const st: LsState = {
    prog,
    layout,
    all: false,
    almostAll: false,
    directory: false,
    recursive: false,
    sort: 'name',
    reverse: false,
    deref: 'args-to-dirs',
    format: tty ? 'columns' : 'one',
    lineLength: 80,
    out: new OutBuffer(1),
    status: 0,
    visited: new Set(),
    firstDir: true,
    printDirName: true,
  };
  let derefSet = false;
  let explicitSort = false;
  for (const [k, v] of parsed.list) {
    switch (k) {
      case 'all': st.all = true; st.almostAll = false; break;
      case 'almost-all': st.almostAll = true; st.all = false; break;
      case 'c': layout.timeField = 'ctime'; break;
      case 'u': layout.timeField = 'atime'; break;
      case 'C': st.format = 'columns'; break;
      case 'directory': st.directory = true; break;
      case 'f': st.all = true; st.sort = 'none'; explicitSort = true; break;
      case 'classify':
        if (v !== true && !['always', 'yes', 'force', 'never', 'no', 'none', 'auto', 'tty', 'if-tty'].includes(v)) {
          yield* errOut(`${prog}: invalid argument ${quote(v)} for '--classify'\n`);
          return yield* usageError(prog, null, 2);
        }
        layout.indicator = v === 'never' || v === 'no' || v === 'none' ? 'none' : (v === 'auto' || v === 'tty' || v === 'if-tty') && !tty ? 'none' : 'classify';
        break;
      case 'file-type': layout.indicator = 'file-type'; break;
      case 'slash': layout.indicator = 'slash'; break;
      case 'g': layout.owner = false; st.format = 'long'; break;
      case 'no-group': layout.group = false; break;
      case 'o': layout.group = false; st.format = 'long'; break;
      case 'human-readable': layout.human = true; break;
      case 'si': layout.human = true; break;
      case 'dereference-command-line': st.deref = 'args'; derefSet = true; break;
      case 'dereference': st.deref = 'always'; derefSet = true; break;
      case 'inode': layout.inode = true; break;
      case 'l': st.format = 'long'; break;
      case 'numeric-uid-gid': layout.numericIds = true; st.format = 'long'; break;
      case 'reverse': st.reverse = true; break;
      case 'recursive': st.recursive = true; break;
      case 'size': layout.blockSize = true; break;
      case 'S': st.sort = 'size'; explicitSort = true; break;
      case 't': st.sort = 'time'; explicitSort = true; break;
      case 'U': st.sort = 'none'; explicitSort = true; break;
      case '1': if (st.format !== 'long') st.format = 'one'; break;
      case 'full-time': st.format = 'long'; layout.timeStyle = FULL_ISO_STYLE; break;
      case 'time-style': {
        const style = String(v);
        if (style === 'full-iso') layout.timeStyle = FULL_ISO_STYLE;
        else if (style === 'long-iso') layout.timeStyle = LONG_ISO_STYLE;
        else if (style === 'iso') layout.timeStyle = ISO_STYLE;
        else if (style === 'locale') layout.timeStyle = LOCALE_TIME_STYLE;
        else if (style.startsWith('+')) {
          const [recent, old] = style.slice(1).split('\n');
          layout.timeStyle = { recent, old: old ?? recent };
        } else {
          yield* errOut(`${prog}: invalid argument ${quote(style)} for 'time style'\n` +
            "Valid arguments are:\n  - [posix-]full-iso\n  - [posix-]long-iso\n  - [posix-]iso\n  - [posix-]locale\n  - +FORMAT (e.g., +%H:%M) for a 'date'-style format\n");
          return yield* usageError(prog, null, 2);
        }
        break;
      }
      default: break;
    }
  }
  // -c/-u without -l and without another sort: sort by that time (ls(1)).
  if ((parsed.values.has('c') || parsed.values.has('u')) && st.format !== 'long' && !explicitSort) st.sort = 'time';
  layout.long = st.format === 'long';
  if (!derefSet) st.deref = st.directory || layout.indicator === 'classify' || layout.long ? 'never' : 'args-to-dirs';
  if (st.format === 'columns') {
    const ws = tty ? yield* sys.ioctl(1, TIOCGWINSZ) : null;
    const cols = ws && !(ws instanceof SysError) && typeof ws === 'object' && 'cols' in ws ? Number((ws as { cols: number }).cols) : 0;
    const env = getenv(envp, 'COLUMNS');
    st.lineLength = cols > 0 ? cols : env && /^\d+$/.test(env) ? Number(env) : 80;
  }

  const operands = parsed.operands.length ? parsed.operands : ['.'];
  const files: LsFile[] = [];
  const dirs: { name: string; path: string }[] = [];
  for (const name of operands) {
    const f = yield* gobble(st, name, name, true);
    if (!f) continue;
    files.push(f);
  }
  sortFiles(st, files);
  const shown: LsFile[] = [];
  for (const f of files) {
    if (f.isArgDir && !st.directory) dirs.push({ name: f.name, path: f.path });
    else shown.push(f);
  }
  if (shown.length) {
    yield* printFiles(st, shown);
    if (dirs.length) yield* st.out.write('\n');
  } else if (parsed.operands.length <= 1 && dirs.length === 1) {
    st.printDirName = false;
  }
  for (const d of dirs) yield* printDir(st, d.name, d.path, true);
  yield* st.out.flush();
  return st.status;
}

/** gobble_file: stats one file; null (after a message) when a command-line file is missing. */
function* gobble(st: LsState, name: string, path: string, commandLine: boolean): Generator<Op, LsFile | null, unknown> {
  yield LS_PER_FILE_NS;
  const l = st.layout;
  const follow = st.deref === 'always' || (commandLine && (st.deref === 'args' || st.deref === 'args-to-dirs'));
  let s: Stat | SysError = follow ? yield* sys.stat(path) : yield* sys.lstat(path);
  if (s instanceof SysError && follow && commandLine && st.deref === 'args-to-dirs') s = yield* sys.lstat(path);
  if (s instanceof SysError && follow && s.errno === 'ENOENT') {
    const ls = yield* sys.lstat(path);
    if (!(ls instanceof SysError)) s = ls;
  }
  if (s instanceof SysError) {
    yield* errOut(`${st.prog}: cannot access ${quoteaf(path)}: ${s.message}\n`);
    st.status = commandLine ? 2 : Math.max(st.status, 1);
    if (commandLine) return null;
    return { name, path, stat: null, linkName: null, linkMode: 0, isArgDir: false };
  }
  // args-to-dirs: a command-line symlink is followed only when it leads to a directory.
  if (commandLine && st.deref === 'args-to-dirs' && !isDir(s.mode)) {
    const ls = yield* sys.lstat(path);
    if (!(ls instanceof SysError)) s = ls;
  }
  let linkName: string | null = null;
  let linkMode = 0;
  if (isLnk(s.mode) && l.long) {
    const t = yield* sys.readlink(path);
    if (t instanceof SysError) yield* errOut(`${st.prog}: cannot read symbolic link ${quoteaf(path)}: ${t.message}\n`);
    else linkName = t;
    if (l.indicator === 'file-type' || l.indicator === 'classify') {
      const target = yield* sys.stat(path);
      if (!(target instanceof SysError)) linkMode = target.mode;
    }
  }
  return { name, path, stat: s, linkName, linkMode, isArgDir: commandLine && isDir(s.mode) };
}

function sortFiles(st: LsState, files: LsFile[]): void {
  if (st.sort === 'none') return;
  const byName = (a: LsFile, b: LsFile): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const t = (f: LsFile): number => {
    const s = f.stat;
    if (!s) return 0;
    return st.layout.timeField === 'ctime' ? s.ctimeNs : st.layout.timeField === 'atime' ? s.atimeNs : s.mtimeNs;
  };
  const cmp = (a: LsFile, b: LsFile): number => {
    let c = 0;
    if (st.sort === 'time') c = t(b) - t(a);
    else if (st.sort === 'size') c = (b.stat?.size ?? 0) - (a.stat?.size ?? 0);
    if (c === 0) c = byName(a, b);
    return st.reverse ? -c : c;
  };
  files.sort(cmp);
}

function* printFiles(st: LsState, files: LsFile[]): Generator<Op, void, unknown> {
  const w = computeWidths(files, st.layout);
  if (st.format === 'long') {
    for (const f of files) yield* st.out.write(longLine(f, w, st.layout) + '\n');
  } else if (st.format === 'one') {
    for (const f of files) yield* st.out.write(shortEntry(f, w, st.layout) + '\n');
  } else {
    yield* st.out.write(manyPerLine(files.map((f) => shortEntry(f, w, st.layout)), st.lineLength));
  }
}

/** print_dir: a directory's heading, `total`, entries, then (with -R) its subdirectories. */
function* printDir(st: LsState, name: string, path: string, commandLine: boolean): Generator<Op, void, unknown> {
  // The directory stays open while its entries are examined, as with opendir/readdir
  // (so /proc/self/fd lists the descriptor ls is reading).
  const fd = yield* sys.open(path, O_RDONLY | O_DIRECTORY);
  if (fd instanceof SysError) {
    yield* errOut(`${st.prog}: cannot open directory ${quoteaf(name)}: ${fd.message}\n`);
    st.status = commandLine ? 2 : Math.max(st.status, 1);
    return;
  }
  const entries: DirEntry[] = [];
  for (;;) {
    const batch = yield* sys.getdents(fd);
    if (batch instanceof SysError) {
      yield* errOut(`${st.prog}: reading directory ${quoteaf(name)}: ${batch.message}\n`);
      st.status = commandLine ? 2 : Math.max(st.status, 1);
      break;
    }
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  const self = yield* sys.fstat(fd);
  if (!(self instanceof SysError) && st.recursive) {
    const key = `${self.dev}:${self.ino}`;
    if (st.visited.has(key)) {
      yield* sys.close(fd);
      yield* errOut(`${st.prog}: ${quotef(name)}: not listing already-listed directory\n`);
      st.status = Math.max(st.status, 2);
      return;
    }
    st.visited.add(key);
  }
  if (st.recursive || st.printDirName) {
    if (!st.firstDir) yield* st.out.write('\n');
    st.firstDir = false;
    yield* st.out.write(`${name}:\n`);
  }
  const files: LsFile[] = [];
  for (const e of entries) {
    const n = e.name;
    if (n.startsWith('.') && !st.all) {
      if (!st.almostAll || n === '.' || n === '..') continue;
    }
    const f = yield* gobble(st, n, joinPath(path, n), false);
    if (f) {
      f.dirType = e.type;
      files.push(f);
    }
  }
  yield* sys.close(fd);
  sortFiles(st, files);
  if (st.format === 'long' || st.layout.blockSize) {
    let blocks = 0;
    for (const f of files) blocks += f.stat?.blocks ?? 0;
    const total = st.layout.human ? humanReadable(blocks, 512, 1, { autoscale: true }) : humanReadable(blocks, 512, 1024);
    yield* st.out.write(`total ${total}\n`);
  }
  if (files.length) yield* printFiles(st, files);
  if (st.recursive) {
    for (const f of files) {
      if (!f.stat || !isDir(f.stat.mode) || f.name === '.' || f.name === '..') continue;
      const sub = joinPath(name, f.name);
      yield* printDir(st, sub, f.path, false);
    }
  }
}

