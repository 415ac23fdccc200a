/**
 * pstree(1) from psmisc 23.6: the processes of /proc drawn as a tree, from PID 1 (or
 * the PID given, or each process of the USER given). Layout as the real pstree prints
 * it in the C locale (learned from pstree(1) and its output on Debian 12):
 *
 *     init-+-cron                       one child:   parent---child
 *          |-2*[sleep]                  siblings:    -+- first, |- middle, `- last
 *          `-sh---sleep                 identical sibling subtrees merge as N*[…]
 *
 * Children are sorted by name, then PID (-n: by PID). -p appends (PID) and, like -a,
 * turns merging off (-c does only that); -a puts each process on its own line with
 * its arguments, cut to "..." past the line width (132 when not writing to a
 * terminal); -s also shows the chain of parents above the PID; -U draws with Unicode
 * box characters (-A, the default here since the system has no UTF-8 locale, ASCII).
 *
 * Simplification: threads (there are none), -g, -u, -G, -h/-H, -N, -S, -Z and -C
 * are not offered; lines other than -a's are not truncated, and -a's cut is the
 * common case of the real one (which sometimes leaves out the space before "...").
 * The usage message lists only the options offered.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { TIOCGWINSZ } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, utf8 } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { UserDb } from '../../lib/passwd.js';
import { readProcTable, type ProcInfo } from './proc-table.js';
import type { Gen } from './gnu-style.js';

/** User CPU to start, and per process drawn: design choices. */
const PSTREE_NS = 200_000;
const PSTREE_NS_PER_PROC = 3_000;
/** The line width when standard output is not a terminal. */
const DEFAULT_WIDTH = 132;

const USAGE =
  'Usage: pstree [-acglpsStTuZ] [ -h | -H PID ] [ -n | -N type ]\n' +
  '              [ -A | -G | -U ] [ PID | USER ]\n' +
  '   or: pstree -V\n\n' +
  'Display a tree of processes.\n\n' +
  '  -a, --arguments     show command line arguments\n' +
  '  -A, --ascii         use ASCII line drawing characters\n' +
  "  -c, --compact-not   don't compact identical subtrees\n" +
  "  -l, --long          don't truncate long lines\n" +
  '  -n, --numeric-sort  sort output by PID\n' +
  '  -p, --show-pids     show PIDs; implies -c\n' +
  '  -s, --show-parents  show parents of the selected process\n' +
  '  -T, --hide-threads  hide threads, show only processes\n' +
  '  -U, --unicode       use UTF-8 (Unicode) line drawing characters\n' +
  '  -V, --version       display version information\n\n' +
  '  PID    start at this PID; default is 1 (init)\n' +
  '  USER   show only trees rooted at processes of this user\n\n';

const VERSION =
  'pstree (PSmisc) 23.6\nCopyright (C) 1993-2021 Werner Almesberger and Craig Small\n\n' +
  'PSmisc comes with ABSOLUTELY NO WARRANTY.\nThis is free software, and you are welcome to redistribute it under\n' +
  'the terms of the GNU General Public License.\nFor more information about these matters, see the files named COPYING.\n';

/** The drawing characters: one child, first of several, middle, last, and the bar. */
interface Glyphs {
  single: string;
  first: string;
  branch: string;
  last: string;
  bar: string;
}
const ASCII: Glyphs = { single: '---', first: '-+-', branch: '|-', last: '`-', bar: '|' };
/** As UTF-8 bytes: strings in ctsim programs hold bytes. */
const UNICODE: Glyphs = { single: utf8('───'), first: utf8('─┬─'), branch: utf8('├─'), last: utf8('└─'), bar: utf8('│') };

interface Options {
  args: boolean;
  pids: boolean;
  compact: boolean;
  numeric: boolean;
  parents: boolean;
  long: boolean;
  glyphs: Glyphs;
  width: number;
}

interface Node {
  proc: ProcInfo;
  children: Node[];
}

export function* pstreeMain({ argv }: ProgramArgs): Program {
  yield PSTREE_NS;
  let parsed;
  try {
    parsed = getopt('pstree', argv.slice(1), [
      { short: 'a', long: 'arguments' },
      { short: 'A', long: 'ascii' },
      { short: 'c', long: 'compact-not' },
      { short: 'l', long: 'long' },
      { short: 'n', long: 'numeric-sort' },
      { short: 'p', long: 'show-pids' },
      { short: 's', long: 'show-parents' },
      { short: 'T', long: 'hide-threads' },
      { short: 'U', long: 'unicode' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${USAGE}`);
    return 1;
  }
  const v = parsed.values;
  const out = new OutBuffer(1);
  if (v.has('version')) {
    yield* errOut(VERSION);
    return 0;
  }
  if (parsed.operands.length > 1) {
    yield* errOut(USAGE);
    return 1;
  }
  let glyphs = ASCII;
  for (const [k] of parsed.list) glyphs = k === 'unicode' ? UNICODE : k === 'ascii' ? ASCII : glyphs;
  const o: Options = {
    args: v.has('arguments'),
    pids: v.has('show-pids'),
    compact: !(v.has('compact-not') || v.has('show-pids') || v.has('arguments')),
    numeric: v.has('numeric-sort'),
    parents: v.has('show-parents'),
    long: v.has('long'),
    glyphs,
    width: yield* lineWidth(),
  };

  const procs = yield* readProcTable();
  yield PSTREE_NS_PER_PROC * procs.length;
  const nodes = new Map<number, Node>(procs.map((p) => [p.pid, { proc: p, children: [] }]));
  for (const n of nodes.values()) nodes.get(n.proc.ppid)?.children.push(n);
  for (const n of nodes.values()) n.children.sort((a, b) => compare(a, b, o.numeric));

  const target = parsed.operands[0];
  let roots: Node[];
  if (target === undefined || /^\d+$/.test(target)) {
    const pid = target === undefined ? 1 : Number(target);
    const root = nodes.get(pid);
    if (!root && o.parents) {
      yield* errOut(`Process ${pid} not found.\n`);
      return 1;
    }
    roots = root ? [root] : [];
  } else {
    const db = yield* UserDb.load();
    const user = db.getpwnam(target);
    if (!user) {
      yield* errOut(`No such user name: ${target}\n`);
      return 1;
    }
    // Each topmost process of the user: one whose parent is not the user's.
    roots = [...nodes.values()].filter((n) => n.proc.euid === user.uid && nodes.get(n.proc.ppid)?.proc.euid !== user.uid).sort((a, b) => a.proc.pid - b.proc.pid);
  }
  for (const root of roots) {
    let lines = render(root, o);
    if (o.parents) lines = withParents(root, lines, nodes, o);
    for (const line of lines) yield* out.write(fit(line, o) + '\n');
  }
  return (yield* out.flush()) ? 1 : 0;
}

/** The terminal's width, or 132 when standard output is not a terminal. */
function* lineWidth(): Gen<number> {
  const ws = yield* sys.ioctl(1, TIOCGWINSZ);
  if (ws instanceof SysError || typeof ws !== 'object' || ws === null) return DEFAULT_WIDTH;
  const cols = (ws as { cols?: number }).cols;
  return typeof cols === 'number' && cols > 0 ? cols : DEFAULT_WIDTH;
}

function compare(a: Node, b: Node, numeric: boolean): number {
  if (!numeric && a.proc.comm !== b.proc.comm) return a.proc.comm < b.proc.comm ? -1 : 1;
  return a.proc.pid - b.proc.pid;
}

/** A node's own text: name, (PID) or ,PID, and with -a its arguments. */
function label(p: ProcInfo, o: Options): string {
  if (!o.args) return o.pids ? `${p.comm}(${p.pid})` : p.comm;
  // A zombie has no arguments left; -a shows it in parentheses.
  if (p.state === 'Z') return o.pids ? `(${p.comm},${p.pid})` : `(${p.comm})`;
  const head = o.pids ? `${p.comm},${p.pid}` : p.comm;
  const rest = p.argv.slice(1);
  // Arguments are kept apart by ARG_SEP until fit() decides how many fit on the line.
  return head + rest.map((a) => ARG_SEP + printable(a)).join('');
}

/** Separates -a arguments inside a rendered line (a NUL cannot occur in an argument). */
const ARG_SEP = '\0';

/** An argument with control and non-ASCII bytes as \ooo, as pstree -a shows them. */
function printable(arg: string): string {
  return arg.replace(/[^\x20-\x7e]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

/** What makes two sibling subtrees the same for merging: names and shapes, recursively. */
function signature(n: Node): string {
  return `${n.proc.comm}(${n.children.map(signature).join(',')})`;
}

/** The lines of a subtree. */
function render(n: Node, o: Options): string[] {
  return o.args ? renderLong(n, o) : renderCompact(n, o);
}

/** -a: one process per line, children indented under "  |-" and "  `-". */
function renderLong(n: Node, o: Options): string[] {
  const g = o.glyphs;
  const lines = [label(n.proc, o)];
  n.children.forEach((c, i) => {
    const last = i === n.children.length - 1;
    renderLong(c, o).forEach((line, j) => lines.push(j === 0 ? `  ${last ? g.last : g.branch}${line}` : `  ${last ? ' ' : g.bar} ${line}`));
  });
  return lines;
}

/** The default drawing: the first child on the parent's line, merged repeats. */
function renderCompact(n: Node, o: Options): string[] {
  const g = o.glyphs;
  const head = label(n.proc, o);
  const groups = o.compact ? mergeRepeats(n.children) : n.children.map((c) => ({ node: c, count: 1 }));
  if (groups.length === 0) return [head];
  const pad = ' '.repeat(head.length);
  const lines: string[] = [];
  groups.forEach(({ node, count }, i) => {
    let sub = renderCompact(node, o);
    if (count > 1) sub = bracket(sub, count);
    const last = i === groups.length - 1;
    sub.forEach((line, j) => {
      if (j === 0) {
        if (i === 0) lines.push(head + (groups.length === 1 ? g.single : g.first) + line);
        else lines.push(`${pad} ${last ? g.last : g.branch}${line}`);
      } else {
        // Continuation lines of a child: under the bar while later siblings follow.
        const under = i === 0 && groups.length === 1 ? '   ' : last ? '   ' : ` ${g.bar} `;
        lines.push(pad + under + line);
      }
    });
  });
  return lines;
}

/** Siblings with the same subtree shape, counted at the place of the first of them. */
function mergeRepeats(children: Node[]): { node: Node; count: number }[] {
  const out: { node: Node; count: number }[] = [];
  const bySignature = new Map<string, { node: Node; count: number }>();
  for (const c of children) {
    const sig = signature(c);
    const seen = bySignature.get(sig);
    if (seen) seen.count++;
    else {
      const group = { node: c, count: 1 };
      bySignature.set(sig, group);
      out.push(group);
    }
  }
  return out;
}

/** N*[subtree]: the prefix on the first line, the bracket closing the last. */
function bracket(lines: string[], count: number): string[] {
  const prefix = `${count}*[`;
  const pad = ' '.repeat(prefix.length);
  return lines.map((l, i) => (i === 0 ? prefix : pad) + l + (i === lines.length - 1 ? ']' : ''));
}

/** -s: the chain of ancestors from PID 1 above the subtree. */
function withParents(root: Node, lines: string[], nodes: Map<number, Node>, o: Options): string[] {
  const chain: ProcInfo[] = [];
  for (let p = nodes.get(root.proc.ppid); p; p = nodes.get(p.proc.ppid)) chain.unshift(p.proc);
  if (chain.length === 0) return lines;
  if (o.args) {
    const out: string[] = [];
    chain.forEach((p, depth) => out.push(depth === 0 ? label(p, o) : `${'    '.repeat(depth - 1)}  ${o.glyphs.last}${label(p, o)}`));
    const indent = '    '.repeat(chain.length - 1);
    lines.forEach((l, j) => out.push(j === 0 ? `${indent}  ${o.glyphs.last}${l}` : `${indent}    ${l}`));
    return out;
  }
  const head = chain.map((p) => label(p, o) + o.glyphs.single).join('');
  const pad = ' '.repeat(head.length);
  return lines.map((l, j) => (j === 0 ? head : pad) + l);
}

/**
 * An -a line: its arguments joined by spaces while the line stays at least five
 * columns short of the width, then " ..." (unless -l), as the real pstree cuts them.
 */
function fit(line: string, o: Options): string {
  const parts = line.split(ARG_SEP);
  if (o.long) return parts.join(' ');
  let text = parts[0];
  for (const arg of parts.slice(1)) {
    if (text.length + 1 + arg.length > o.width - 5) return text + ' ...';
    text += ' ' + arg;
  }
  return text;
}
