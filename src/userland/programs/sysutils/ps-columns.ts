/**
 * Which columns ps(1) prints (procps-ng 4.0.2, ps(1) "OUTPUT FORMAT CONTROL" and
 * "OUTPUT MODIFIERS"), worked out from the real ps's headers for every
 * combination of -f -F -l -j -y -c -P, the BSD j l u formats and user lists:
 *
 * - A user list (-o, o, --format) is used as given; it conflicts with the Unix
 *   and BSD formats (also -f: `ps -f -o pid` works only as BSD `f o pid`).
 * - A BSD format is its fixed list; -j adds PGID and SID after PPID (or PID),
 *   -y drops F from `l`, -c turns PRI NI of `l` into CLS PRI.
 * - Otherwise the Unix format is one template whose columns each appear under a
 *   condition on the letters given (UNIX_TEMPLATE). Under BSD style (any BSD
 *   option) it shows STAT, the BSD TIME and the full command line.
 *
 * Also checks what cannot be combined, in the order ps reports it.
 */
import { SPECIFIERS } from './ps-format.js';
import { columnsOf, parseFormatList, type Column } from './ps-layout.js';
import { PsFatalError, PsUsageError, type PsRequest } from './ps-options.js';
import type { OrderKey } from './ps-select.js';

/** What ps will print and how. */
export interface PsPlan {
  req: PsRequest;
  columns: Column[];
  sortKeys: OrderKey[];
  forest: 'none' | 'art' | 'indent';
}

/** The Unix format letters given, and whether BSD style is on. */
interface Letters {
  f: boolean; F: boolean; l: boolean; j: boolean; y: boolean; c: boolean; P: boolean; bsd: boolean;
}

/** The Unix formats as one template: [specifier, when it appears]. */
const UNIX_TEMPLATE: [string | ((m: Letters) => string), (m: Letters) => boolean][] = [
  ['f', (m) => m.l && !m.y],
  ['s', (m) => m.l],
  ['uid_hack', (m) => m.f || m.F],
  ['uid', (m) => m.l && !(m.f || m.F)],
  ['pid', () => true],
  ['ppid', (m) => m.f || m.F || m.l],
  ['pgid', (m) => m.j],
  ['sid', (m) => m.j],
  ['psr', (m) => m.P],
  ['c', (m) => (m.f || m.F || m.l) && !m.c],
  ['class', (m) => m.c],
  ['pri', (m) => m.c],
  ['opri', (m) => m.l && !m.c],
  ['ni', (m) => m.l && !m.c],
  ['addr_1', (m) => m.l && !m.y],
  ['rss', (m) => m.l && m.y],
  ['sz', (m) => m.l || m.F],
  ['wchan', (m) => m.l],
  ['rss', (m) => m.F && !(m.l && m.y)],
  ['psr', (m) => m.F && !m.P],
  ['stime', (m) => m.f || m.F],
  ['tname', () => true],
  ['stat', (m) => m.bsd && !m.l],
  [(m) => (m.bsd ? 'bsdtime' : 'time'), () => true],
  [(m) => (m.f || m.F || (m.l && m.bsd) ? 'cmd' : m.bsd ? 'args' : 'ucmd'), () => true],
];

const BSD_FORMATS: Record<string, string> = {
  j: 'ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args',
  l: 'flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args',
  u: 'user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args',
};

function unixColumns(m: Letters): string[] {
  return UNIX_TEMPLATE.filter(([, when]) => when(m)).map(([name]) => (typeof name === 'string' ? name : name(m)));
}

function bsdColumns(format: string, m: Letters): string[] {
  let names = BSD_FORMATS[format].split(',');
  if (m.j) {
    const at = names.includes('ppid') ? names.indexOf('ppid') : names.indexOf('pid');
    names.splice(at + 1, 0, 'pgid', 'sid');
  }
  if (m.y && format === 'l') names = names.filter((n) => n !== 'flags');
  if (m.c) {
    const at = names.indexOf('priority');
    if (at < 0) throw new PsFatalError('ps:src/ps/sortformat.c:900: internal error: no PRI for -c option');
    names.splice(at, 2, 'class', 'pri');
  }
  return names;
}

/** A --sort list: `[+|-]name` items separated by one comma or space; one separator may end it. */
function parseSortList(text: string): OrderKey[] {
  const items = text.split(/[, ]/);
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  if (items.some((i) => i === '')) throw new PsUsageError('improper sort list');
  return items.map((item) => {
    const descending = item[0] === '-';
    const name = item[0] === '-' || item[0] === '+' ? item.slice(1) : item;
    const spec = SPECIFIERS.get(name);
    if (!spec) throw new PsUsageError('unknown sort specifier');
    return { value: spec.key, descending };
  });
}

/**
 * Turns a request into a plan: reads the format and sort lists in command-line
 * order, then checks formats, builds the columns, and checks selection.
 */
export function planOutput(req: PsRequest, pidWidth: number): PsPlan {
  const userColumns: Column[] = [];
  const sortKeys: OrderKey[] = [];
  for (const d of req.deferred) {
    if (d.kind === 'sort') {
      sortKeys.push(...parseSortList(d.text));
      continue;
    }
    const cols = parseFormatList(d.text, pidWidth);
    if (typeof cols === 'string') throw new PsUsageError(cols);
    userColumns.push(...cols);
  }
  const u = req.unixFormat;
  const m: Letters = { f: u.has('f'), F: u.has('F'), l: u.has('l'), j: u.has('j'), y: u.has('y'), c: u.has('c'), P: u.has('P'), bsd: req.bsdStyle };
  const hasList = req.deferred.some((d) => d.kind === 'format');
  const bsdList = req.deferred.some((d) => d.kind === 'format' && d.bsd);
  const bsdFormat = [...req.bsdFormats][0];
  const conflicting =
    req.bsdFormats.size > 1 ||
    (bsdFormat !== undefined && (m.f || m.F || m.l)) ||
    (hasList && (bsdFormat !== undefined || m.f || m.F || m.l));
  if (conflicting) throw new PsUsageError('conflicting format options');
  if (hasList && (m.j || m.y || m.P || (bsdList && m.c))) throw new PsUsageError('can not use output modifiers with user-defined output');
  if (m.y && !m.l && bsdFormat === undefined && !hasList) throw new PsUsageError('modifier -y without format -l makes no sense');
  if (req.threads && req.forest !== 'none') throw new PsUsageError('thread display conflicts with forest display');

  let columns: Column[];
  if (hasList) columns = userColumns;
  else columns = columnsOf((bsdFormat !== undefined ? bsdColumns(bsdFormat, m) : unixColumns(m)).join(','), pidWidth);

  if ((req.unixA || req.unixD) && (req.bsdA || req.bsdX || req.bsdG)) throw new PsUsageError('process selection options conflict');
  return { req, columns, sortKeys, forest: req.forest };
}
