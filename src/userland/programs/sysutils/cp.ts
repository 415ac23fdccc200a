/**
 * cp(1) from GNU coreutils 9.1: copies files (`cp SRC DEST`, `cp SRC... DIR`,
 * -t DIR, -T), directories with -r/-R, preserving mode, ownership and times with
 * -p, everything and symlinks as links with -a (-dR --preserve=all); -f replaces
 * destinations that cannot be opened, -n never overwrites, -L/-P/-H choose
 * whether source symlinks are followed, -v reports `'src' -> 'dest'`.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { joinPath, lastComponent, parseOptions } from './gnu-style.js';
import { copyFile, sourcesAndTarget, type CopyOptions } from './copy.js';

/** User CPU to start cp — a design choice. */
const CP_NS = 20_000;

export function* cpMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'cp';
  yield CP_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'a', long: 'archive' },
    { short: 'd' },
    { short: 'f', long: 'force' },
    { short: 'H' },
    { short: 'i', long: 'interactive' },
    { short: 'L', long: 'dereference' },
    { short: 'n', long: 'no-clobber' },
    { short: 'P', long: 'no-dereference' },
    { short: 'p' },
    { long: 'preserve', arg: 'optional' },
    { short: 'r', long: 'recursive' },
    { short: 'R', key: 'recursive' },
    { short: 't', long: 'target-directory', arg: 'required' },
    { short: 'T', long: 'no-target-directory' },
    { short: 'v', long: 'verbose' },
  ]);
  if (!parsed) return 1;
  const umask = (yield* sys.umask(0)) as number;
  yield* sys.umask(umask);
  const o: CopyOptions = {
    prog,
    recursive: false,
    deref: 'always',
    preserveMode: false,
    preserveOwner: false,
    preserveTimes: false,
    force: false,
    noClobber: false,
    verbose: false,
    out: new OutBuffer(1),
    umask,
  };
  let derefGiven = false;
  for (const [k, v] of parsed.list) {
    switch (k) {
      case 'archive':
        o.recursive = true;
        o.deref = 'never';
        derefGiven = true;
        o.preserveMode = o.preserveOwner = o.preserveTimes = true;
        break;
      case 'd': o.deref = 'never'; derefGiven = true; break;
      case 'H': o.deref = 'args'; derefGiven = true; break;
      case 'dereference': o.deref = 'always'; derefGiven = true; break;
      case 'no-dereference': o.deref = 'never'; derefGiven = true; break;
      case 'force': o.force = true; break;
      case 'no-clobber': o.noClobber = true; break;
      case 'p': o.preserveMode = o.preserveOwner = o.preserveTimes = true; break;
      case 'preserve': {
        const list = v === true ? ['mode', 'ownership', 'timestamps'] : String(v).split(',');
        for (const item of list) {
          if (item === 'mode') o.preserveMode = true;
          else if (item === 'ownership') o.preserveOwner = true;
          else if (item === 'timestamps') o.preserveTimes = true;
          else if (item === 'all') o.preserveMode = o.preserveOwner = o.preserveTimes = true;
        }
        break;
      }
      case 'recursive': o.recursive = true; break;
      case 'verbose': o.verbose = true; break;
      default: break;
    }
  }
  // -R without -L/-H follows no symlinks (cp's default for recursive copies).
  if (o.recursive && !derefGiven) o.deref = 'never';
  const operands = yield* sourcesAndTarget(prog, parsed);
  if (typeof operands === 'number') return operands;
  const { files, target } = operands;
  let ok = true;
  if (target !== null) {
    for (const f of files) if (!(yield* copyFile(o, f, joinPath(target, lastComponent(f)), true))) ok = false;
  } else if (!(yield* copyFile(o, files[0], files[1], true))) ok = false;
  return (yield* o.out.flush()) || !ok ? 1 : 0;
}
