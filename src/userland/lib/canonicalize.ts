/**
 * gnulib's canonicalize_filename_mode(): an absolute name with no `.`, `..`,
 * repeated slashes or symbolic links, found by walking the path one component at a
 * time with lstat(2) and readlink(2) — the work behind readlink -f/-e/-m,
 * realpath(1) and stat's %m.
 *
 *  - `existing` (-e): every component must exist;
 *  - `all-but-last` (-f): all but the last must exist;
 *  - `missing` (-m): nothing need exist (missing components are kept as written).
 */
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { isDir, isLnk, MAXSYMLINKS } from '../../kernel/vfs/types.js';
import * as sys from './sys.js';

export type CanonicalizeMode = 'existing' | 'all-but-last' | 'missing';

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** The canonical absolute form of `path`, or the error that stopped the walk. */
export function* canonicalize(path: string, mode: CanonicalizeMode): Generator<Op, string | SysError, unknown> {
  if (path === '') return new SysError('ENOENT', 'the path is empty');
  let rname: string;
  if (path.startsWith('/')) rname = '/';
  else {
    const cwd = yield* sys.getcwd();
    if (cwd instanceof SysError) return cwd;
    rname = cwd;
  }
  let rest = path.split('/');
  let links = 0;
  while (rest.length > 0) {
    const comp = rest.shift()!;
    if (comp === '' || comp === '.') continue;
    if (comp === '..') {
      rname = parentOf(rname);
      continue;
    }
    const next = rname === '/' ? `/${comp}` : `${rname}/${comp}`;
    const moreFollows = rest.length > 0;
    const st = yield* sys.lstat(next);
    if (st instanceof SysError) {
      if (mode === 'existing') return st;
      if (mode === 'all-but-last' && (rest.some((c) => c !== '') || st.errno !== 'ENOENT')) return st;
      rname = next;
      continue;
    }
    if (isLnk(st.mode)) {
      if (++links > MAXSYMLINKS) {
        if (mode === 'missing') {
          rname = next;
          continue;
        }
        return new SysError('ELOOP', `more than ${MAXSYMLINKS} symbolic links were followed`);
      }
      const target = yield* sys.readlink(next);
      if (target instanceof SysError) {
        if (mode === 'missing') {
          rname = next;
          continue;
        }
        return target;
      }
      if (target.startsWith('/')) rname = '/';
      rest = [...target.split('/'), ...rest];
      continue;
    }
    rname = next;
    if (!isDir(st.mode) && moreFollows) {
      if (mode === 'missing') continue;
      return new SysError('ENOTDIR', `${next} is not a directory but the path goes on after it`);
    }
  }
  return rname;
}
