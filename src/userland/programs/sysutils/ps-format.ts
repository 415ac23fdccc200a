/**
 * ps(1)'s format specifiers as procps-ng 4.0.2 documents them (ps(1) "STANDARD
 * FORMAT SPECIFIERS"): for each name its header, default width, alignment, what
 * happens to text wider than the column, which /proc field it shows and what
 * --sort compares. This table is a list of facts; ps-values.ts renders the fields
 * and ps-layout.ts places them.
 *
 * Simplification: no per-thread rows (ctsim processes have one thread), WCHAN is
 * "-" (the kernel has no wait-channel names), page-fault counters are 0, and the
 * signal-mask, security-label and namespace columns are not offered.
 */
import type { ProcInfo } from './proc-table.js';
import * as v from './ps-values.js';
import type { PsContext } from './ps-values.js';

export { HERTZ } from './ps-values.js';

/**
 * What a column does with text wider than itself:
 * - `spill`: prints it whole; the columns after it absorb the excess in their padding.
 * - `command`: command text, cut at the width — unless it is the last column, which
 *   gets what is left of the screen line. Forest pieces go in front of it.
 * - `name`: user or group names, cut to width - 1 with a `+` mark — unless last.
 * - `wchan`: cut at the width unless last; with BSD `n` aligned right and never cut.
 */
export type Overflow = 'spill' | 'command' | 'name' | 'wchan';

export type Align = 'left' | 'right';

/** One format specifier. */
export interface Specifier {
  name: string;
  header: string;
  /** Default width in characters. */
  width: number;
  align: Align;
  overflow: Overflow;
  /** The width is the number of digits of pid_max instead (PID-like columns). */
  pidWidth: boolean;
  /** Command text: forest art and -H indentation go in front of it. */
  tree: boolean;
  /** The most characters the text ever has, prefix included (fname: 8). */
  maxChars: number;
  text: (p: ProcInfo, c: PsContext) => string;
  /** The value --sort compares (numbers numerically, strings by byte). */
  key: (p: ProcInfo, c: PsContext) => number | string;
}

type Field = Pick<Specifier, 'text' | 'key'>;

/** A field whose text is a number. */
const num = (f: (p: ProcInfo, c: PsContext) => number): Field => ({ text: (p, c) => String(f(p, c)), key: f });
/** A field with its own text and a separate sort value. */
const shown = (text: Field['text'], key: Field['key']): Field => ({ text, key });
const userField = (id: (p: ProcInfo) => number): Field => ({ text: (p, c) => v.userText(id(p), c), key: (p, c) => v.userText(id(p), c) });
const groupField = (id: (p: ProcInfo) => number): Field => ({ text: (p, c) => v.groupText(id(p), c), key: (p, c) => v.groupText(id(p), c) });

const F = {
  pcpu: shown(v.cpuPercentText, v.cpuPermille),
  pmem: shown(v.memPercentText, v.memPermille),
  dash: shown(() => '-', () => 0),
  zero: num(() => 0),
  args: shown(v.argsText, v.argsText),
  comm: shown(v.commText, (p) => p.comm),
  bsdtime: shown(v.cpuMinutesText, v.cpuTicks),
  cputime: shown(v.cpuClockText, v.cpuTicks),
  cpusecs: num((p, c) => Math.floor(v.cpuTicks(p, c) / v.HERTZ)),
  c: shown(v.cpuPercentIntText, v.cpuPercentInt),
  policy: shown(v.policyText, (p) => p.policy),
  nice: shown(v.niceText, (p) => p.nice),
  rtprio: shown(v.rtprioText, (p) => p.rtprio),
  etime: shown(v.elapsedText, (p) => -p.startTicks),
  etimes: num(v.ageSeconds),
  started: shown(v.startedText, (p) => p.startTicks),
  startDay: shown(v.startDayText, (p) => p.startTicks),
  lstart: shown(v.startDateText, (p) => p.startTicks),
  stat: shown(v.statText, (p) => p.state),
  state: shown((p) => p.state, (p) => p.state),
  tty: shown(v.ttyText, (p) => p.ttyNr),
  sgiP: shown((p) => (p.state === 'R' ? String(p.processor) : '*'), (p) => p.processor),
  pid: num((p) => p.pid),
  euid: num((p) => p.euid),
  egid: num((p) => p.egid),
  euser: userField((p) => p.euid),
  egroup: groupField((p) => p.egid),
  rss: num((p) => p.vmRssKiB),
  rawPri: num((p) => 60 + p.priority),
  nlwp: num((p) => p.nlwp),
  session: num((p) => p.session),
  pgrp: num((p) => p.pgrp),
};

/** [name, header, width, align + overflow, field, pidWidth]. */
type Row = [string, string, number, 'L' | 'R' | 'cmd' | 'name' | 'wchan', Field, boolean?];

const ROWS: Row[] = [
  ['%cpu', '%CPU', 4, 'R', F.pcpu],
  ['%mem', '%MEM', 4, 'R', F.pmem],
  ['addr_1', 'ADDR', 1, 'L', F.dash],
  ['args', 'COMMAND', 27, 'cmd', F.args],
  ['bsdtime', 'TIME', 6, 'R', F.bsdtime],
  ['c', 'C', 2, 'R', F.c],
  ['class', 'CLS', 3, 'L', F.policy],
  ['cls', 'CLS', 3, 'R', F.policy],
  ['cmd', 'CMD', 27, 'cmd', F.args],
  ['comm', 'COMMAND', 15, 'cmd', F.comm],
  ['command', 'COMMAND', 27, 'cmd', F.args],
  ['cputime', 'TIME', 8, 'R', F.cputime],
  ['cputimes', 'TIME', 8, 'R', F.cpusecs],
  ['egid', 'EGID', 5, 'R', F.egid],
  ['egroup', 'EGROUP', 8, 'name', F.egroup],
  ['etime', 'ELAPSED', 11, 'R', F.etime],
  ['etimes', 'ELAPSED', 7, 'R', F.etimes],
  ['euid', 'EUID', 5, 'R', F.euid],
  ['euser', 'EUSER', 8, 'name', F.euser],
  ['f', 'F', 1, 'R', num(v.flagsValue)],
  ['fgid', 'FGID', 5, 'R', num((p) => p.fgid)],
  ['fgroup', 'FGROUP', 8, 'name', groupField((p) => p.fgid)],
  ['flags', 'F', 1, 'R', num(v.flagsValue)],
  ['fname', 'COMMAND', 8, 'cmd', F.comm],
  ['fuid', 'FUID', 5, 'R', num((p) => p.fuid)],
  ['fuser', 'FUSER', 8, 'name', userField((p) => p.fuid)],
  ['gid', 'GID', 5, 'R', F.egid],
  ['group', 'GROUP', 8, 'name', F.egroup],
  ['intpri', 'PRI', 3, 'R', F.rawPri],
  ['lstart', 'STARTED', 24, 'R', F.lstart],
  ['lwp', 'LWP', 5, 'R', F.pid, true],
  ['maj_flt', 'MAJFL', 6, 'R', F.zero],
  ['majflt', 'MAJFLT', 6, 'R', F.zero],
  ['min_flt', 'MINFL', 6, 'R', F.zero],
  ['minflt', 'MINFLT', 6, 'R', F.zero],
  ['ni', 'NI', 3, 'R', F.nice],
  ['nice', 'NI', 3, 'R', F.nice],
  ['nlwp', 'NLWP', 4, 'R', F.nlwp],
  ['opri', 'PRI', 3, 'R', F.rawPri],
  ['pcpu', '%CPU', 4, 'R', F.pcpu],
  ['pgid', 'PGID', 5, 'R', F.pgrp, true],
  ['pgrp', 'PGRP', 5, 'R', F.pgrp, true],
  ['pid', 'PID', 5, 'R', F.pid, true],
  ['pmem', '%MEM', 4, 'R', F.pmem],
  ['policy', 'POL', 3, 'L', F.policy],
  ['ppid', 'PPID', 5, 'R', num((p) => p.ppid), true],
  ['pri', 'PRI', 3, 'R', num((p) => 39 - p.priority)],
  ['priority', 'PRI', 3, 'R', num((p) => p.priority)],
  ['psr', 'PSR', 3, 'R', num((p) => p.processor)],
  ['rgid', 'RGID', 5, 'R', num((p) => p.rgid)],
  ['rgroup', 'RGROUP', 8, 'name', groupField((p) => p.rgid)],
  ['rss', 'RSS', 5, 'R', F.rss],
  ['rssize', 'RSS', 5, 'R', F.rss],
  ['rsz', 'RSZ', 5, 'R', F.rss],
  ['rtprio', 'RTPRIO', 6, 'R', F.rtprio],
  ['ruid', 'RUID', 5, 'R', num((p) => p.ruid)],
  ['ruser', 'RUSER', 8, 'name', userField((p) => p.ruid)],
  ['s', 'S', 1, 'L', F.state],
  ['sched', 'SCH', 3, 'R', num((p) => p.policy)],
  ['sess', 'SESS', 5, 'R', F.session, true],
  ['session', 'SESS', 5, 'R', F.session, true],
  ['sgi_p', 'P', 1, 'R', F.sgiP],
  ['sgid', 'SGID', 5, 'R', num((p) => p.sgid)],
  ['sgroup', 'SGROUP', 8, 'name', groupField((p) => p.sgid)],
  ['sid', 'SID', 5, 'R', F.session, true],
  ['size', 'SIZE', 5, 'R', F.zero],
  ['spid', 'SPID', 5, 'R', F.pid, true],
  ['start', 'STARTED', 8, 'R', F.started],
  ['start_time', 'START', 5, 'R', F.startDay],
  ['stat', 'STAT', 4, 'L', F.stat],
  ['state', 'S', 1, 'L', F.state],
  ['stime', 'STIME', 5, 'R', F.startDay],
  ['suid', 'SUID', 5, 'R', num((p) => p.suid)],
  ['suser', 'SUSER', 8, 'name', userField((p) => p.suid)],
  ['sz', 'SZ', 5, 'R', num(v.sizePages)],
  ['tgid', 'TGID', 5, 'R', F.pid, true],
  ['thcount', 'THCNT', 5, 'R', F.nlwp],
  ['tid', 'TID', 5, 'R', F.pid, true],
  ['time', 'TIME', 8, 'R', F.cputime],
  ['times', 'TIME', 8, 'R', F.cpusecs],
  ['tname', 'TTY', 8, 'L', F.tty],
  ['tpgid', 'TPGID', 5, 'R', num((p) => p.tpgid), true],
  ['tt', 'TT', 8, 'L', F.tty],
  ['tty', 'TT', 8, 'L', F.tty],
  ['tty8', 'TTY', 8, 'L', F.tty],
  ['ucmd', 'CMD', 15, 'cmd', F.comm],
  ['ucomm', 'COMMAND', 15, 'cmd', F.comm],
  ['uid', 'UID', 5, 'R', F.euid],
  ['uid_hack', 'UID', 8, 'name', F.euser],
  ['uname', 'USER', 8, 'name', F.euser],
  ['user', 'USER', 8, 'name', F.euser],
  ['vsize', 'VSZ', 6, 'R', num((p) => Math.floor(p.vsizeBytes / 1024))],
  ['vsz', 'VSZ', 6, 'R', num((p) => p.vmSizeKiB)],
  ['wchan', 'WCHAN', 6, 'wchan', F.dash],
];

/** fname shows at most this much of the command name. */
const FNAME_CHARS = 8;

function toSpecifier([name, header, width, mode, field, pidWidth]: Row): Specifier {
  const align: Align = mode === 'R' ? 'right' : 'left';
  const overflow: Overflow = mode === 'cmd' ? 'command' : mode === 'name' ? 'name' : mode === 'wchan' ? 'wchan' : 'spill';
  const tree = mode === 'cmd';
  const maxChars = name === 'fname' ? FNAME_CHARS : Infinity;
  return { name, header, width, align, overflow, pidWidth: pidWidth ?? false, tree, maxChars, ...field };
}

/** Every specifier by name. */
export const SPECIFIERS: ReadonlyMap<string, Specifier> = new Map(ROWS.map((r) => [r[0], toSpecifier(r)]));

/** Names that stand for a whole list (procps's predefined formats). */
export const FORMAT_MACROS: ReadonlyMap<string, string> = new Map([
  ['DefBSD', 'pid,tname,stat,bsdtime,args'],
  ['DefSysV', 'pid,tname,time,cmd'],
  ['OL_j', 'ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args'],
  ['OL_l', 'flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args'],
  ['OL_u', 'user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args'],
]);
