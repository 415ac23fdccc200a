/**
 * tee(1), GNU coreutils 9.1: copy standard input to standard output and to each FILE
 * (created or truncated; -a appends). "-" is an ordinary file name here, as in
 * coreutils. -i ignores SIGINT; -p (--output-error=warn-nopipe) ignores SIGPIPE and
 * keeps writing to the outputs that still work. An output that fails is reported
 * and dropped; tee goes on while any output is left.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { errOut, writeAll } from '../../lib/io.js';
import { quote, quoteShell } from '../../lib/gnu-quote.js';
import { O_APPEND, O_CREAT, O_TRUNC, O_WRONLY, isFifo } from '../../../kernel/vfs/types.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError } from './cli.js';

/** tee's buffer (BUFSIZ): it reads and writes at most this much at a time. */
const TEE_BUFFER_BYTES = 8192;
/** User time per chunk copied, per output. A design choice, not a measurement. */
const TEE_NS_PER_WRITE = 100;

type ErrorMode = 'default' | 'warn' | 'warn-nopipe' | 'exit' | 'exit-nopipe';
const MODES: ErrorMode[] = ['warn', 'warn-nopipe', 'exit', 'exit-nopipe'];

interface Output {
  fd: number;
  /** The name in messages ("standard output" for fd 1). */
  name: string;
  isPipe: boolean;
}

export function* teeMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const opts = yield* parseOptions(prog, argv, [
    { short: 'a', long: 'append', key: 'a' },
    { short: 'i', long: 'ignore-interrupts', key: 'i' },
    { short: 'p', key: 'p' },
    { long: 'output-error', arg: 'optional', key: 'output-error' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [OPTION]... [FILE]...\nCopy standard input to each FILE, and also to standard output.\n\n` +
      '  -a, --append              append to the given FILEs, do not overwrite\n' +
      '  -i, --ignore-interrupts   ignore interrupt signals\n' +
      '  -p                        diagnose errors writing to non pipes\n' +
      '      --output-error[=MODE]   set behavior on write error (warn, warn-nopipe, exit, exit-nopipe)\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('tee', 'Written by Mike Parker, Richard M. Stallman, and David MacKenzie.'),
  );
  if (hv !== null) return hv;
  let mode: ErrorMode = 'default';
  for (const [k, v] of opts.list) {
    if (k === 'p') mode = 'warn-nopipe';
    else if (k === 'output-error') {
      if (v === true) mode = 'warn-nopipe';
      else {
        const matches = MODES.filter((m) => m.startsWith(v));
        const exact = MODES.find((m) => m === v);
        if (!exact && matches.length !== 1) {
          yield* errOut(
            `${prog}: ${matches.length === 0 ? 'invalid' : 'ambiguous'} argument ${quote(v)} for '--output-error'\n` +
              "Valid arguments are:\n  - 'warn'\n  - 'warn-nopipe'\n  - 'exit'\n  - 'exit-nopipe'\n",
          );
          return yield* usageError(prog, null);
        }
        mode = exact ?? matches[0];
      }
    }
  }
  if (opts.values.has('i')) yield* sys.sigaction(SIG.SIGINT, { handler: 'ignore' });
  if (mode !== 'default') yield* sys.sigaction(SIG.SIGPIPE, { handler: 'ignore' });

  let status = 0;
  const outputs: (Output | null)[] = [];
  const st1 = yield* sys.fstat(1);
  outputs.push({ fd: 1, name: 'standard output', isPipe: !(st1 instanceof SysError) && isFifo(st1.mode) });
  const flags = O_WRONLY | O_CREAT | (opts.values.has('a') ? O_APPEND : O_TRUNC);
  for (const f of opts.operands) {
    const fd = yield* sys.open(f, flags, 0o666);
    if (fd instanceof SysError) {
      yield* errOut(`${prog}: ${quoteShell(f)}: ${fd.message}\n`);
      status = 1;
      continue;
    }
    const st = yield* sys.fstat(fd);
    outputs.push({ fd, name: quoteShell(f), isPipe: !(st instanceof SysError) && isFifo(st.mode) });
  }

  let live = outputs.length;
  while (live > 0) {
    const chunk = yield* sys.read(0, TEE_BUFFER_BYTES);
    if (chunk instanceof SysError) {
      yield* errOut(`${prog}: read error: ${chunk.message}\n`);
      status = 1;
      break;
    }
    if (chunk === '') break;
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      if (!o) continue;
      yield TEE_NS_PER_WRITE;
      const e = yield* writeAll(o.fd, chunk);
      if (!(e instanceof SysError)) continue;
      const quietPipe = e.errno === 'EPIPE' && (mode === 'warn-nopipe' || mode === 'exit-nopipe' || (mode === 'default' && o.isPipe));
      // A pipe closed under -p is not an error: tee just stops writing to it.
      if (!quietPipe) {
        yield* errOut(`${prog}: ${o.name}: ${e.message}\n`);
        status = 1;
      }
      if (mode === 'exit' || (mode === 'exit-nopipe' && !quietPipe)) return 1;
      outputs[i] = null;
      live--;
    }
  }
  for (const o of outputs) {
    if (o && o.fd !== 1) {
      const r = yield* sys.close(o.fd);
      if (r instanceof SysError) {
        yield* errOut(`${prog}: ${o.name}: ${r.message}\n`);
        status = 1;
      }
    }
  }
  return status;
}
