/**
 * head(1), GNU coreutils 9.1: the first part of files. -n N lines (default 10) or
 * -c N bytes; a leading '-' (-n -N, -c -N) prints all but the last N. With several
 * files each gets a `==> name <==` header (-q never, -v always); -z uses NUL as the
 * line end; the obsolete `head -5`, `head -5c` forms are accepted.
 *
 * Like coreutils, head stops reading once it has what it needs and, on a seekable
 * input, moves the file offset back to just after what it printed, so that
 * `(head -n 1; cat) < file` hands the rest to cat.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut } from '../../lib/io.js';
import { quote } from '../../lib/gnu-quote.js';
import type { OutBuffer } from '../../lib/out-buffer.js';
import { SEEK_CUR } from '../../../kernel/vfs/types.js';
import { eachHeadedFile } from './headed-files.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError, parseSize, type Gen } from './cli.js';

/** coreutils head reads BUFSIZ bytes at a time. */
const HEAD_READ_BYTES = 8192;
/** User time per byte scanned for line ends (memchr). A design choice, not a measurement. */
const HEAD_NS_PER_BYTE = 0.5;

interface HeadOptions {
  bytes: boolean;
  /** Count of lines or bytes. */
  count: number;
  /** All but the last `count`. */
  elide: boolean;
  eol: string;
}

/** Parses a count for -n/-c; a leading '-' means "all but the last". */
function parseCount(text: string, bytes: boolean): { count: number; elide: boolean } | string {
  let t = text;
  let elide = false;
  if (t.startsWith('-')) {
    elide = true;
    t = t.slice(1);
  }
  const what = bytes ? 'bytes' : 'lines';
  const n = parseSize(t);
  if (n === 'invalid') return `invalid number of ${what}: ${quote(text.startsWith('-') ? t : text)}`;
  if (n === 'overflow') return `invalid number of ${what}: ${quote(t)}: Value too large for defined data type`;
  return { count: n, elide };
}

export function* headMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  let args = [...argv];
  let obsolete: string | null = null;
  // Obsolete syntax: head -NUM[bkm][cqlvz]... as the first argument.
  if (args.length > 1 && /^-\d/.test(args[1])) {
    obsolete = args[1];
    args = [args[0], ...args.slice(2)];
  }
  const opts = yield* parseOptions(prog, args, [
    { short: 'c', long: 'bytes', arg: 'required', key: 'c' },
    { short: 'n', long: 'lines', arg: 'required', key: 'n' },
    { short: 'q', long: 'quiet', key: 'q' },
    { long: 'silent', key: 'q' },
    { short: 'v', long: 'verbose', key: 'v' },
    { short: 'z', long: 'zero-terminated', key: 'z' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [OPTION]... [FILE]...\n` +
      'Print the first 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n\n' +
      'With no FILE, or when FILE is -, read standard input.\n\n' +
      'Mandatory arguments to long options are mandatory for short options too.\n' +
      '  -c, --bytes=[-]NUM       print the first NUM bytes of each file;\n' +
      "                             with the leading '-', print all but the last\n                             NUM bytes of each file\n" +
      '  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;\n' +
      "                             with the leading '-', print all but the last\n                             NUM lines of each file\n" +
      '  -q, --quiet, --silent    never print headers giving file names\n' +
      '  -v, --verbose            always print headers giving file names\n' +
      '  -z, --zero-terminated    line delimiter is NUL, not newline\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n\n' +
      'NUM may have a multiplier suffix:\nb 512, kB 1000, K 1024, MB 1000*1000, M 1024*1024,\nGB 1000*1000*1000, G 1024*1024*1024, and so on for T, P, E, Z, Y.\n',
    coreutilsVersion('head', 'Written by David MacKenzie and Jim Meyering.'),
  );
  if (hv !== null) return hv;

  const o: HeadOptions = { bytes: false, count: 10, elide: false, eol: '\n' };
  let headers: boolean | null = null;
  if (obsolete !== null) {
    const m = /^-(\d+)(.*)$/.exec(obsolete)!;
    let n = Number(m[1]);
    let rest = m[2];
    if (rest[0] === 'b' || rest[0] === 'k' || rest[0] === 'm') {
      n *= rest[0] === 'b' ? 512 : rest[0] === 'k' ? 1024 : 1048576;
      rest = rest.slice(1);
    }
    o.count = n;
    for (const c of rest) {
      if (c === 'c') o.bytes = true;
      else if (c === 'l') o.bytes = false;
      else if (c === 'q') headers = false;
      else if (c === 'v') headers = true;
      else if (c === 'z') o.eol = '\0';
      else return yield* usageError(prog, `invalid trailing option -- ${c}`);
    }
  }
  for (const [k, v] of opts.list) {
    if (k === 'c' || k === 'n') {
      const r = parseCount(v as string, k === 'c');
      if (typeof r === 'string') {
        yield* errOut(`${prog}: ${r}\n`);
        return 1;
      }
      o.bytes = k === 'c';
      o.count = r.count;
      o.elide = r.elide;
    } else if (k === 'q') headers = false;
    else if (k === 'v') headers = true;
    else if (k === 'z') o.eol = '\0';
  }
  return yield* eachHeadedFile(prog, opts.operands, headers, (fd, out) => headFd(fd, o, out));
}

/** Copies the wanted part of `fd` to `out`. Returns a read error, if any. */
function* headFd(fd: number, o: HeadOptions, out: OutBuffer): Gen<SysError | null> {
  let left = o.count;
  /** Held back for -n -N / -c -N: the last lines or bytes seen. */
  let held: string[] = [];
  let heldBytes = '';
  let partial = '';
  for (;;) {
    if (!o.elide && left === 0) return null;
    const chunk = yield* sys.read(fd, HEAD_READ_BYTES);
    if (chunk instanceof SysError) return chunk;
    if (chunk === '') break;
    yield chunk.length * HEAD_NS_PER_BYTE;
    if (!o.elide && o.bytes) {
      const take = Math.min(left, chunk.length);
      yield* out.write(chunk.slice(0, take));
      left -= take;
      if (take < chunk.length) yield* sys.lseek(fd, take - chunk.length, SEEK_CUR);
    } else if (!o.elide) {
      let pos = 0;
      while (left > 0) {
        const nl = chunk.indexOf(o.eol, pos);
        if (nl < 0) {
          pos = chunk.length;
          break;
        }
        pos = nl + 1;
        left--;
      }
      yield* out.write(chunk.slice(0, pos));
      // Leave a seekable input's offset just after the last line printed (fails harmlessly on pipes).
      if (pos < chunk.length) yield* sys.lseek(fd, pos - chunk.length, SEEK_CUR);
    } else if (o.bytes) {
      heldBytes += chunk;
      if (heldBytes.length > o.count) {
        const emit = heldBytes.length - o.count;
        yield* out.write(heldBytes.slice(0, emit));
        heldBytes = heldBytes.slice(emit);
      }
    } else {
      const text = partial + chunk;
      const parts = text.split(o.eol);
      partial = parts.pop()!;
      for (const p of parts) held.push(p + o.eol);
      if (held.length > o.count) {
        const emit = held.length - o.count;
        yield* out.write(held.slice(0, emit).join(''));
        held = held.slice(emit);
      }
    }
    yield* out.flush();
  }
  if (o.elide && !o.bytes && partial !== '') {
    held.push(partial);
    if (held.length > o.count) yield* out.write(held.slice(0, held.length - o.count).join(''));
  }
  return null;
}
