/**
 * sync(1) from GNU coreutils 9.1: without files, sync(2) — every file system's cached
 * writes go to its disk; with files, fsync(2) each (fdatasync with --data, syncfs for
 * the file's file system with --file-system). Messages as coreutils prints them.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_NONBLOCK, O_RDONLY, O_WRONLY } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { quoteShellAlways } from '../../lib/gnu-quote.js';
import { coreutilsVersion, helpOrVersion, HELP_VERSION, parseOptions, usageError } from '../textutils/cli.js';

const HELP =
  'Usage: sync [OPTION] [FILE]...\n' +
  'Synchronize cached writes to persistent storage\n\n' +
  'If one or more files are specified, sync only them,\n' +
  'or their containing file systems.\n\n' +
  '  -d, --data             sync only file data, no unneeded metadata\n' +
  '  -f, --file-system      sync the file systems that contain the files\n' +
  '      --help        display this help and exit\n' +
  '      --version     output version information and exit\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  "Full documentation <https://www.gnu.org/software/coreutils/sync>\n" +
  "or available locally via: info '(coreutils) sync invocation'\n";

export function* syncMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'sync';
  const opts = yield* parseOptions(prog, argv, [{ short: 'd', long: 'data' }, { short: 'f', long: 'file-system' }, ...HELP_VERSION]);
  if (typeof opts === 'number') return opts;
  const done = yield* helpOrVersion(opts, HELP, coreutilsVersion('sync', 'Written by Jim Meyering and Giuseppe Scrivano.'));
  if (done !== null) return done;
  const data = opts.values.has('data');
  const fileSystem = opts.values.has('file-system');
  if (data && fileSystem) {
    yield* errOut(`${prog}: cannot specify both --data and --file-system\n`);
    return 1;
  }
  if (opts.operands.length === 0) {
    if (data) return yield* usageError(prog, '--data needs at least one argument');
    yield* sys.sync();
    return 0;
  }
  let ok = true;
  for (const file of opts.operands) {
    // O_NONBLOCK so that a FIFO does not hang the open; write-only for a file that cannot be read.
    let fd = yield* sys.open(file, O_RDONLY | O_NONBLOCK);
    if (fd instanceof SysError) {
      const rd = fd;
      fd = yield* sys.open(file, O_WRONLY | O_NONBLOCK);
      if (fd instanceof SysError) {
        yield* errOut(`${prog}: error opening ${quoteShellAlways(file)}: ${rd.message}\n`);
        ok = false;
        continue;
      }
    }
    const r = fileSystem ? yield* sys.syncfs(fd) : data ? yield* sys.fdatasync(fd) : yield* sys.fsync(fd);
    if (r instanceof SysError) {
      yield* errOut(`${prog}: error syncing ${quoteShellAlways(file)}: ${r.message}\n`);
      ok = false;
    }
    yield* sys.close(fd);
  }
  return ok ? 0 : 1;
}
