/**
 * uname(1) from GNU coreutils 9.1: system information from uname(2). Without
 * options, the kernel name; -a prints every field except an "unknown" processor
 * or hardware platform, as coreutils 9.1 does: `Linux ctsim 6.1.0-ctsim #1 SMP
 * PREEMPT_DYNAMIC ctsim x86_64 GNU/Linux`.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { parseOptions, quote, usageError } from './gnu-style.js';

/** User CPU of uname — a design choice. */
const UNAME_NS = 15_000;

/** What -p and -i print on Linux (no processor or platform string is known). */
const UNKNOWN = 'unknown';
/** What -o prints: the operating system of a GNU userland on Linux. */
const HOST_OS = 'GNU/Linux';

export function* unameMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'uname';
  yield UNAME_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'a', long: 'all' },
    { short: 's', long: 'kernel-name' },
    { short: 'n', long: 'nodename' },
    { short: 'r', long: 'kernel-release' },
    { short: 'v', long: 'kernel-version' },
    { short: 'm', long: 'machine' },
    { short: 'p', long: 'processor' },
    { short: 'i', long: 'hardware-platform' },
    { short: 'o', long: 'operating-system' },
  ]);
  if (!parsed) return 1;
  if (parsed.operands.length) return yield* usageError(prog, `extra operand ${quote(parsed.operands[0])}`);
  const v = parsed.values;
  const all = v.has('all');
  const want = (k: string): boolean => all || v.has(k);
  const any = ['kernel-name', 'nodename', 'kernel-release', 'kernel-version', 'machine', 'processor', 'hardware-platform', 'operating-system'].some((k) => v.has(k));
  const u = yield* sys.uname();
  if (u instanceof SysError) {
    yield* errOut(`${prog}: cannot get system name: ${u.message}\n`);
    return 1;
  }
  const parts: string[] = [];
  if (want('kernel-name') || (!all && !any)) parts.push(u.sysname);
  if (want('nodename')) parts.push(u.nodename);
  if (want('kernel-release')) parts.push(u.release);
  if (want('kernel-version')) parts.push(u.version);
  if (want('machine')) parts.push(u.machine);
  if (v.has('processor')) parts.push(UNKNOWN);
  if (v.has('hardware-platform')) parts.push(UNKNOWN);
  if (want('operating-system')) parts.push(HOST_OS);
  const out = new OutBuffer(1);
  yield* out.write(parts.join(' ') + '\n');
  return (yield* out.flush()) ? 1 : 0;
}
