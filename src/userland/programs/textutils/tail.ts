/**
 * tail(1), GNU coreutils 9.1: the last part of files. -n N lines (default 10) or -c N
 * bytes from the end; -n +N / -c +N start at line or byte N. Headers and -q/-v/-z as
 * in head; the obsolete `tail -5`, `tail +5`, `tail -5c` forms (one option and at most
 * one file) are accepted.
 *
 * Input is read as a stream, keeping only what the answer may still need — the last
 * N lines (and the line being read) or the last N bytes — in a buffer charged to the
 * process's heap, as GNU tail keeps a pipe's data in malloc'd buffers. So the classic
 * memory hog `tail /dev/zero`, one endless line, grows its heap until swap or the
 * OOM killer stops it.
 *
 * Simplification: -f/-F (follow) are accepted and ignored — tail prints what the file
 * holds and exits, as it does on a pipe.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut } from '../../lib/io.js';
import * as sys from '../../lib/sys.js';
import { Heap, touch } from '../../lib/mem.js';
import type { OutBuffer } from '../../lib/out-buffer.js';
import type { Op } from '../../../kernel/proc/program.js';
import { quote } from '../../lib/gnu-quote.js';
import { eachHeadedFile } from './headed-files.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, parseSize } from './cli.js';

/** User time per byte scanned backwards for line ends. A design choice, not a measurement. */
const TAIL_NS_PER_BYTE = 0.5;

interface TailOptions {
  bytes: boolean;
  count: number;
  /** +N: start at line/byte N instead of counting from the end. */
  fromStart: boolean;
  eol: string;
}

/** The part of `data` tail prints. */
export function tailOf(data: string, o: TailOptions): string {
  if (o.bytes) {
    if (o.fromStart) return data.slice(Math.max(0, o.count - 1));
    return o.count >= data.length ? data : data.slice(data.length - o.count);
  }
  if (o.fromStart) {
    let pos = 0;
    for (let i = 1; i < o.count; i++) {
      const nl = data.indexOf(o.eol, pos);
      if (nl < 0) return '';
      pos = nl + 1;
    }
    return data.slice(pos);
  }
  if (o.count === 0) return '';
  // Count line ends back from the end; a last line without one counts as a line.
  let end = data.length;
  if (end > 0 && data[end - 1] === o.eol) end--;
  let n = o.count;
  let pos = end;
  while (n > 0) {
    const nl = data.lastIndexOf(o.eol, pos - 1);
    if (nl < 0 || pos === 0) return data;
    n--;
    pos = nl;
    if (n === 0) return data.slice(nl + 1);
  }
  return data;
}

export function* tailMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const o: TailOptions = { bytes: false, count: 10, fromStart: false, eol: '\n' };
  let args = [...argv];
  // The obsolete form: one option string ([+-]NUM[bcl][f]) and at most one file.
  if (args.length === 2 || (args.length === 3 && !(args[2][0] === '-' && args[2].length > 1))) {
    const m = /^([+-])(\d*)([bcl]?)(f?)$/.exec(args[1]);
    if (m && !(m[1] === '-' && (m[2] + m[3] + m[4] === '' || (m[2] === '' && m[3] === 'c' && m[4] === '')))) {
      let count = m[3] === 'b' ? 5120 : 10;
      if (m[2] !== '') {
        const n = parseSize(m[2], false);
        if (typeof n !== 'number') {
          yield* errOut(`${prog}: invalid number: ${quote(args[1])}\n`);
          return 1;
        }
        count = m[3] === 'b' ? n * 512 : n;
      }
      o.count = count;
      o.bytes = m[3] === 'b' || m[3] === 'c';
      o.fromStart = m[1] === '+';
      args = [args[0], ...args.slice(2)];
    }
  }
  // getopt would take a digit inside a bundle (-2x) as an option: coreutils refuses it.
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a.startsWith('--') || a === '-') continue;
    for (let j = 1; j < a.length; j++) {
      if ('cns'.includes(a[j])) {
        if (j === a.length - 1) i++;
        break;
      }
      if (a[j] >= '0' && a[j] <= '9') {
        yield* errOut(`${prog}: option used in invalid context -- ${a[j]}\n`);
        return 1;
      }
    }
  }
  const opts = yield* parseOptions(prog, args, [
    { short: 'c', long: 'bytes', arg: 'required', key: 'c' },
    { short: 'n', long: 'lines', arg: 'required', key: 'n' },
    { short: 'f', key: 'f' },
    { long: 'follow', arg: 'optional', key: 'f' },
    { short: 'F', key: 'f' },
    { short: 'q', long: 'quiet', key: 'q' },
    { long: 'silent', key: 'q' },
    { short: 'v', long: 'verbose', key: 'v' },
    { short: 'z', long: 'zero-terminated', key: 'z' },
    { short: 's', long: 'sleep-interval', arg: 'required', key: 's' },
    { long: 'pid', arg: 'required', key: 'pid' },
    { long: 'retry', key: 'retry' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [OPTION]... [FILE]...\n` +
      'Print the last 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n\n' +
      'With no FILE, or when FILE is -, read standard input.\n\n' +
      'Mandatory arguments to long options are mandatory for short options too.\n' +
      '  -c, --bytes=[+]NUM       output the last NUM bytes; or use -c +NUM to\n                             output starting with byte NUM of each file\n' +
      '  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n                             or use -n +NUM to skip NUM-1 lines at the start\n' +
      '  -f, -F, --follow         accepted; ctsim does not follow growing files\n' +
      '  -q, --quiet, --silent    never output headers giving file names\n' +
      '  -v, --verbose            always output headers giving file names\n' +
      '  -z, --zero-terminated    line delimiter is NUL, not newline\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('tail', 'Written by Paul Rubin, David MacKenzie, Ian Lance Taylor,\nand Jim Meyering.'),
  );
  if (hv !== null) return hv;
  let headers: boolean | null = null;
  for (const [k, v] of opts.list) {
    if (k === 'c' || k === 'n') {
      let t = v as string;
      o.fromStart = t.startsWith('+');
      if (t.startsWith('+') || t.startsWith('-')) t = t.slice(1);
      const n = parseSize(t);
      const what = k === 'c' ? 'bytes' : 'lines';
      if (n === 'invalid') {
        yield* errOut(`${prog}: invalid number of ${what}: ${quote(v as string)}\n`);
        return 1;
      }
      o.count = n === 'overflow' ? Infinity : n;
      o.bytes = k === 'c';
    } else if (k === 'q') headers = false;
    else if (k === 'v') headers = true;
    else if (k === 'z') o.eol = '\0';
  }
  const heap = new Heap();
  return yield* eachHeadedFile(prog, opts.operands, headers, (fd, out) => tailStream(fd, o, out, heap));
}

/** Read size: GNU tail's BUFSIZ-sized pipe buffers. */
const TAIL_READ = 8192;

/** How many `eol` bytes `s` holds. */
function countEol(s: string, eol: string): number {
  let n = 0;
  for (let i = s.indexOf(eol); i >= 0; i = s.indexOf(eol, i + 1)) n++;
  return n;
}

/**
 * Reads `fd` to its end keeping what the answer may need, then writes the answer.
 * The kept text is a list of chunks (a chunk equal to the one before is kept by
 * reference, so an endless run of one byte costs the host little); the bytes kept
 * are charged to the process's heap as they grow.
 */
function* tailStream(fd: number, o: TailOptions, out: OutBuffer, heap: Heap): Generator<Op, SysError | null, unknown> {
  const chunks: string[] = [];
  const eols: number[] = [];
  let held = 0;
  let heldEols = 0;
  let capacity = 0;
  let last = '';
  let lastEols = 0;
  for (;;) {
    const chunk = yield* sys.read(fd, TAIL_READ);
    if (chunk instanceof SysError) return chunk;
    if (chunk === '') break;
    yield chunk.length * TAIL_NS_PER_BYTE;
    const same = chunk === last;
    const c = same ? last : chunk;
    const n = same ? lastEols : countEol(chunk, o.eol);
    last = c;
    lastEols = n;
    chunks.push(c);
    eols.push(n);
    held += c.length;
    heldEols += n;
    // Drop from the front what can no longer be part of the answer.
    if (!o.fromStart) {
      if (o.bytes) {
        while (chunks.length > 1 && held - chunks[0].length >= o.count) {
          held -= chunks.shift()!.length;
          heldEols -= eols.shift()!;
        }
      } else {
        while (chunks.length > 1 && heldEols - eols[0] > o.count) {
          held -= chunks.shift()!.length;
          heldEols -= eols.shift()!;
        }
      }
    }
    if (held > capacity) {
      // The buffer grows in the heap (malloc), and the read writes into it.
      const more = held - capacity;
      const p = yield* heap.alloc(more);
      if (p instanceof SysError) return p;
      capacity = held;
      yield* touch(p, more, true);
    }
  }
  yield* out.write(tailOf(chunks.join(''), o));
  return null;
}
