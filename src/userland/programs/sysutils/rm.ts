/**
 * rm(1) from GNU coreutils 9.1: removes files, and with -r/-R whole trees (depth
 * first, in directory order), -d empty directories; -f ignores missing files and
 * never prompts, -i asks before each removal (reading answers from standard input),
 * -v reports each removal. It refuses `.` and `..` operands and, with -r, the root
 * directory (--preserve-root, the default).
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir, type Stat } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut, LineReader } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { fileTypeName } from '../../lib/mode.js';
import { joinPath, lastComponent, parseOptions, quoteaf, readDirNames, usageError } from './gnu-style.js';

/** User CPU of rm, and per file removed — design choices. */
const RM_NS = 15_000;
const RM_PER_FILE_NS = 1_500;

type Gen<T> = Generator<Op, T, unknown>;

interface RmOptions {
  prog: string;
  force: boolean;
  interactive: boolean;
  recursive: boolean;
  dirs: boolean;
  verbose: boolean;
  preserveRoot: boolean;
  out: OutBuffer;
  stdin: LineReader;
}

/** The kind of file in rm's prompts ("regular empty file", "directory", "symbolic link"). */
function kind(st: Stat): string {
  return fileTypeName(st.mode, st.size);
}

function* ask(o: RmOptions, question: string): Gen<boolean> {
  yield* o.out.flush();
  yield* errOut(`${o.prog}: ${question}? `);
  const line = yield* o.stdin.next();
  return line !== null && /^[yY]/.test(line);
}

function* complain(o: RmOptions, what: string, e: SysError): Gen<void> {
  yield* o.out.flush();
  yield* errOut(`${o.prog}: cannot remove ${quoteaf(what)}: ${e.message}\n`);
}

/** Removes one file or tree; false when something could not be removed. */
function* remove(o: RmOptions, path: string): Gen<boolean> {
  yield RM_PER_FILE_NS;
  const st = yield* sys.lstat(path);
  if (st instanceof SysError) {
    if (o.force && st.errno === 'ENOENT') return true;
    yield* complain(o, path, st);
    return false;
  }
  if (isDir(st.mode)) {
    if (!o.recursive) {
      if (o.dirs) {
        if (o.interactive && !(yield* ask(o, `remove directory ${quoteaf(path)}`))) return true;
        const r = yield* sys.rmdir(path);
        if (r instanceof SysError) {
          yield* complain(o, path, r);
          return false;
        }
        if (o.verbose) yield* o.out.write(`removed directory ${quoteaf(path)}\n`);
        return true;
      }
      yield* complain(o, path, new SysError('EISDIR', `${path} is a directory and neither -r nor -d was given`));
      return false;
    }
    if (o.interactive && !(yield* ask(o, `descend into directory ${quoteaf(path)}`))) return true;
    const names = yield* readDirNames(path);
    let ok = true;
    if (names instanceof SysError) {
      yield* complain(o, path, names);
      return false;
    }
    for (const n of names) {
      if (n === '.' || n === '..') continue;
      if (!(yield* remove(o, joinPath(path, n)))) ok = false;
    }
    if (!ok) return false;
    if (o.interactive && !(yield* ask(o, `remove directory ${quoteaf(path)}`))) return true;
    const r = yield* sys.rmdir(path);
    if (r instanceof SysError) {
      yield* complain(o, path, r);
      return false;
    }
    if (o.verbose) yield* o.out.write(`removed directory ${quoteaf(path)}\n`);
    return true;
  }
  if (o.interactive && !(yield* ask(o, `remove ${kind(st)} ${quoteaf(path)}`))) return true;
  const r = yield* sys.unlink(path);
  if (r instanceof SysError) {
    if (o.force && r.errno === 'ENOENT') return true;
    yield* complain(o, path, r);
    return false;
  }
  if (o.verbose) yield* o.out.write(`removed ${quoteaf(path)}\n`);
  return true;
}

export function* rmMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'rm';
  yield RM_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'f', long: 'force' },
    { short: 'i' },
    { short: 'I' },
    { long: 'interactive', arg: 'optional' },
    { short: 'r', long: 'recursive' },
    { short: 'R', key: 'recursive' },
    { short: 'd', long: 'dir' },
    { short: 'v', long: 'verbose' },
    { long: 'preserve-root', arg: 'optional' },
    { long: 'no-preserve-root' },
    { long: 'one-file-system' },
  ]);
  if (!parsed) return 1;
  const o: RmOptions = {
    prog,
    force: false,
    interactive: false,
    recursive: false,
    dirs: false,
    verbose: false,
    preserveRoot: true,
    out: new OutBuffer(1),
    stdin: new LineReader(0),
  };
  for (const [k, v] of parsed.list) {
    if (k === 'force') {
      o.force = true;
      o.interactive = false;
    } else if (k === 'i') {
      o.interactive = true;
      o.force = false;
    } else if (k === 'interactive') {
      o.interactive = v === true || v === 'always' || v === 'yes';
      if (o.interactive) o.force = false;
    } else if (k === 'recursive') o.recursive = true;
    else if (k === 'dir') o.dirs = true;
    else if (k === 'verbose') o.verbose = true;
    else if (k === 'preserve-root') o.preserveRoot = true;
    else if (k === 'no-preserve-root') o.preserveRoot = false;
  }
  if (parsed.operands.length === 0) {
    if (o.force) return 0;
    return yield* usageError(prog, 'missing operand');
  }
  let status = 0;
  for (const path of parsed.operands) {
    const base = lastComponent(path);
    if (base === '.' || base === '..') {
      yield* o.out.flush();
      yield* errOut(`${prog}: refusing to remove '.' or '..' directory: skipping ${quoteaf(path)}\n`);
      status = 1;
      continue;
    }
    if (o.recursive && o.preserveRoot && path.replace(/\/+/g, '/') === '/') {
      yield* o.out.flush();
      yield* errOut(`${prog}: it is dangerous to operate recursively on ${quoteaf('/')}\n${prog}: use --no-preserve-root to override this failsafe\n`);
      status = 1;
      continue;
    }
    if (!(yield* remove(o, path))) status = 1;
  }
  return (yield* o.out.flush()) ? 1 : status;
}
