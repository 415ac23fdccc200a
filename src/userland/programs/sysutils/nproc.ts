/**
 * nproc(1) from GNU coreutils 9.1: the number of processing units available to the
 * process (its CPU affinity, from /proc/self/status Cpus_allowed_list, unless
 * OMP_NUM_THREADS/OMP_THREAD_LIMIT say otherwise), or installed (--all, the cpuN
 * lines of /proc/stat); --ignore=N subtracts N but never goes below 1.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getenv } from '../../lib/exec.js';
import { parseOptions, quote, usageError } from './gnu-style.js';

/** User CPU of nproc — a design choice. */
const NPROC_NS = 10_000;

/** Counts the CPUs of a list like "0-3,6". */
export function countCpuList(list: string): number {
  let n = 0;
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m) n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return n;
}

export function* nprocMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0] ?? 'nproc';
  yield NPROC_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [{ long: 'all' }, { long: 'ignore', arg: 'required' }]);
  if (!parsed) return 1;
  if (parsed.operands.length) return yield* usageError(prog, `extra operand ${quote(parsed.operands[0])}`);
  let ignore = 0;
  const ig = parsed.values.get('ignore');
  if (typeof ig === 'string') {
    if (!/^\d+$/.test(ig)) {
      yield* errOut(`${prog}: invalid number: ${quote(ig)}\n`);
      return 1;
    }
    ignore = Number(ig);
  }
  const stat = yield* readFile('/proc/stat');
  const installed = stat instanceof SysError ? 1 : (stat.match(/^cpu\d+ /gm)?.length ?? 1);
  let n = installed;
  if (!parsed.values.has('all')) {
    const status = yield* readFile('/proc/self/status');
    const list = status instanceof SysError ? null : /^Cpus_allowed_list:\s*(.*)$/m.exec(status)?.[1];
    if (list) n = countCpuList(list) || installed;
    const omp = (name: string): number => {
      const v = getenv(envp, name);
      return v && /^\s*\d+/.test(v) ? Number(/\d+/.exec(v)![0]) : 0;
    };
    const threads = omp('OMP_NUM_THREADS');
    const limit = omp('OMP_THREAD_LIMIT');
    if (threads > 0) n = threads;
    if (limit > 0 && limit < n) n = limit;
  }
  n = ignore < n ? n - ignore : 1;
  const out = new OutBuffer(1);
  yield* out.write(`${n}\n`);
  return (yield* out.flush()) ? 1 : 0;
}
