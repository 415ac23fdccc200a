/**
 * Signal names as procps-ng's kill, pkill and skill accept and print them on
 * x86-64 Linux (signal(7)): the 31 standard signals by number, a few historical
 * aliases that may be sent but are never printed (IOT, CLD, IO, EXIT for 0), and
 * the real-time range written RTMIN or RTMIN+n. Names are case-insensitive and may
 * carry a SIG prefix; numbers are decimal.
 *
 * `kill -l` prints the standard names wrapped at 80 columns, `kill -L` a table of
 * seven "NN NAME" cells a row, and `kill -l X` converts one way or the other. A
 * `-SIG` word anywhere on a kill or pkill command line names the signal.
 *
 * Simplification: RTMAX is not accepted (procps 4.0.2 rejects it too, as EINVAL).
 */

/** SIGRTMIN as glibc reports it (two real-time signals are kept by NPTL). */
export const SIGRTMIN = 34;
/** The highest signal number the kernel delivers. */
const SIGNAL_MAX = 64;
/** Width `kill -l` wraps its name list at, and cells per row of `kill -L`. */
const LIST_WIDTH = 80;
const TABLE_CELLS_PER_ROW = 7;

/** The standard signals in number order: STANDARD_NAMES[n - 1] is signal n. */
const STANDARD_NAMES: readonly string[] = [
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV',
  'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN',
  'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS',
];

/** Other spellings a signal may be sent by; `kill -l` does not know them. */
const SEND_ALIASES: ReadonlyMap<string, number> = new Map([
  ['IOT', 6],
  ['CLD', 17],
  ['IO', 29],
  ['EXIT', 0],
]);

/** The name without a SIG prefix, upper-cased. */
function bareName(text: string): string {
  const up = text.toUpperCase();
  return up.startsWith('SIG') ? up.slice(3) : up;
}

/** Signal number for a standard name (1–31), or -1. */
function standardNumber(name: string): number {
  const i = STANDARD_NAMES.indexOf(bareName(name));
  return i < 0 ? -1 : i + 1;
}

/**
 * The signal a user means by `text` when sending one: a decimal number (an
 * optional `+`, leading zeros allowed; the kernel judges its range), a standard
 * name, an alias, or RTMIN / RTMIN+n up to signal 64. Returns -1 when `text` is
 * none of these, which kill(2) then rejects with EINVAL.
 */
export function parseSignal(text: string): number {
  if (/^\+?\d+$/.test(text)) {
    const n = Number(text);
    return n <= 0x7fffffff ? n : -1;
  }
  const name = bareName(text);
  const standard = standardNumber(name);
  if (standard > 0) return standard;
  const alias = SEND_ALIASES.get(name);
  if (alias !== undefined) return alias;
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name);
  if (rt) {
    const n = SIGRTMIN + Number(rt[1] ?? 0);
    return n <= SIGNAL_MAX ? n : -1;
  }
  return -1;
}

/** The standard name of signal `signo` (without SIG), or null outside 1–31. */
export function signalName(signo: number): string | null {
  return STANDARD_NAMES[signo - 1] ?? null;
}

/**
 * `kill -l ARG`: a number (decimal digits only) becomes its name, a standard name
 * its number; null when ARG is neither (kill then reports "unknown signal name").
 */
export function convertSignal(arg: string): string | null {
  if (/^\d+$/.test(arg)) return signalName(Number(arg));
  const n = standardNumber(arg);
  return n > 0 ? String(n) : null;
}

/** `kill -l`: the standard names separated by spaces, wrapped before column 80. */
export function formatSignalList(): string {
  const lines: string[] = [];
  let line = '';
  for (const name of STANDARD_NAMES) {
    if (line !== '' && line.length + 1 + name.length > LIST_WIDTH) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? name : `${line} ${name}`;
  }
  lines.push(line);
  return lines.map((l) => l + '\n').join('');
}

/**
 * `kill -L`: cells of a right-aligned two-digit number and the name padded to
 * eight, seven to a row. A full row ends with its last name unpadded; the final
 * partial row keeps its padding.
 */
export function formatSignalTable(): string {
  let out = '';
  STANDARD_NAMES.forEach((name, i) => {
    const cell = `${String(i + 1).padStart(2)} ${name}`;
    const endsRow = (i + 1) % TABLE_CELLS_PER_ROW === 0;
    out += endsRow ? `${cell}\n` : cell.padEnd(11);
  });
  return STANDARD_NAMES.length % TABLE_CELLS_PER_ROW === 0 ? out : out + '\n';
}

/**
 * Finds the first `-SIG` word in `args` (a dash followed by anything parseSignal
 * accepts, wherever it stands, even after `--`), removes it and returns its
 * number; -1 when there is none. kill and pkill look for it before reading the
 * rest of their options.
 */
export function extractSignalWord(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a.startsWith('--')) continue;
    const signo = parseSignal(a.slice(1));
    if (signo < 0) continue;
    args.splice(i, 1);
    return signo;
  }
  return -1;
}
