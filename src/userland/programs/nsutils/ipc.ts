/**
 * util-linux 2.38's System V IPC tools:
 *
 *   ipcmk -Q | -M SIZE | -S NSEMS [-p MODE]   make an object with a random key, print its ID
 *   ipcs [-q] [-m] [-s] [-a]                  list the IPC namespace's objects (from /proc/sysvipc)
 *   ipcrm -q ID | -m ID | -s ID | -Q KEY | -M KEY | -S KEY | -a
 *
 * Simplification: ipcs offers only the default (-a) view and -q/-m/-s; no -l, -t, -p,
 * -c, -u, -i or --human; ipcrm has no --all=TYPE.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { UserDb } from '../../lib/passwd.js';
import { IPC_CREAT, IPC_EXCL, IPC_RMID } from '../../../kernel/syscalls/sys-ipc.js';
import { helpOrVersion } from './common.js';

type Gen<T> = Generator<Op, T, unknown>;
const IPC_NS = 20_000;

const IPCMK_USAGE = `
Usage:
 ipcmk [options]

Create various IPC resources.

Options:
 -M, --shmem <size>       create shared memory segment of size <size>
 -S, --semaphore <number> create semaphore array with <number> elements
 -Q, --queue              create message queue
 -p, --mode <mode>        permission for the resource (default is 0644)

 -h, --help               display this help
 -V, --version            display version

Arguments:
 <size> arguments may be followed by the suffixes for
   GiB, TiB, PiB, EiB, ZiB, and YiB (the "iB" is optional)

For more details see ipcmk(1).
`;

/** A size with util-linux's suffixes (K, M, G, T with optional iB; KB for powers of 1000). */
function parseSize(text: string): number | null {
  const m = /^(\d+)(?:([KMGTPE])(iB|B)?)?$/i.exec(text);
  if (!m) return null;
  const exp = m[2] ? 'KMGTPE'.indexOf(m[2].toUpperCase()) + 1 : 0;
  const base = m[3]?.toUpperCase() === 'B' ? 1000 : 1024;
  return Number(m[1]) * base ** exp;
}

/** A random key (ipcmk draws one from getrandom). */
function* randomKey(): Gen<number> {
  const b = yield* sys.getrandom(4);
  if (b instanceof SysError) return 1;
  return ((b.charCodeAt(0) << 24) | (b.charCodeAt(1) << 16) | (b.charCodeAt(2) << 8) | b.charCodeAt(3)) | 0;
}

export function* ipcmkMain({ argv }: ProgramArgs): Program {
  yield IPC_NS;
  let parsed;
  try {
    parsed = getopt('ipcmk', argv.slice(1), [
      { short: 'Q', long: 'queue' },
      { short: 'M', long: 'shmem', arg: 'required' },
      { short: 'S', long: 'semaphore', arg: 'required' },
      { short: 'p', long: 'mode', arg: 'required' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'ipcmk --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, IPCMK_USAGE, 'ipcmk from util-linux 2.38.1\n');
  if (early !== null) return early;
  const modeText = v.get('mode');
  if (typeof modeText === 'string' && !/^[0-7]+$/.test(modeText)) {
    yield* errOut('ipcmk: failed to parse mode: Success\n');
    return 1;
  }
  const mode = typeof modeText === 'string' ? parseInt(modeText, 8) : 0o644;
  const out = new OutBuffer(1);
  const flags = IPC_CREAT | IPC_EXCL | (mode & 0o777);
  if (!v.has('queue') && !v.has('shmem') && !v.has('semaphore')) {
    yield* errOut('ipcmk: bad usage\nTry \'ipcmk --help\' for more information.\n');
    return 1;
  }
  let status = 0;
  if (v.has('shmem')) {
    const size = parseSize(String(v.get('shmem')));
    if (size === null) {
      yield* errOut(`ipcmk: failed to parse size: '${String(v.get('shmem'))}': Invalid argument\n`);
      return 1;
    }
    const id = yield* sys.shmget(yield* randomKey(), size, flags);
    if (id instanceof SysError) {
      yield* errOut(`ipcmk: create share memory failed: ${id.message}\n`);
      status = 1;
    } else yield* out.write(`Shared memory id: ${id}\n`);
  }
  if (v.has('queue')) {
    const id = yield* sys.msgget(yield* randomKey(), flags);
    if (id instanceof SysError) {
      yield* errOut(`ipcmk: create message queue failed: ${id.message}\n`);
      status = 1;
    } else yield* out.write(`Message queue id: ${id}\n`);
  }
  if (v.has('semaphore')) {
    const n = String(v.get('semaphore'));
    if (!/^\d+$/.test(n)) {
      yield* errOut(`ipcmk: failed to parse elements: '${n}'\n`);
      return 1;
    }
    const id = yield* sys.semget(yield* randomKey(), Number(n), flags);
    if (id instanceof SysError) {
      yield* errOut(`ipcmk: create semaphore failed: ${id.message}\n`);
      status = 1;
    } else yield* out.write(`Semaphore id: ${id}\n`);
  }
  yield* out.flush();
  return status;
}

/** The rows of /proc/sysvipc/KIND as field arrays. */
function* sysvipc(kind: string): Gen<string[][]> {
  const text = yield* readFile(`/proc/sysvipc/${kind}`);
  if (text instanceof SysError) return [];
  return text.split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/));
}

const hexKey = (k: string): string => '0x' + (Number(k) >>> 0).toString(16).padStart(8, '0');

export function* ipcsMain({ argv }: ProgramArgs): Program {
  yield IPC_NS;
  let parsed;
  try {
    parsed = getopt('ipcs', argv.slice(1), [
      { short: 'q', long: 'queues' },
      { short: 'm', long: 'shmems' },
      { short: 's', long: 'semaphores' },
      { short: 'a', long: 'all' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'ipcs --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, '\nUsage:\n ipcs [resource-option...] [output-option]\n ipcs -m|-q|-s -i <id>\n\nShow information on IPC facilities.\n\nFor more details see ipcs(1).\n', 'ipcs from util-linux 2.38.1\n');
  if (early !== null) return early;
  const all = v.has('all') || (!v.has('queues') && !v.has('shmems') && !v.has('semaphores'));
  const db = yield* UserDb.load();
  const owner = (uid: string): string => db.userName(Number(uid)) ?? uid;
  const col = (s: string | number, w: number): string => String(s).padEnd(w);
  const out = new OutBuffer(1);
  if (all || v.has('queues')) {
    yield* out.write('\n------ Message Queues --------\nkey        msqid      owner      perms      used-bytes   messages    \n');
    for (const f of yield* sysvipc('msg')) yield* out.write(`${col(hexKey(f[0]), 10)} ${col(f[1], 10)} ${col(owner(f[7]), 10)} ${col(f[2], 10)} ${col(f[3], 12)} ${col(f[4], 12)}\n`);
  }
  if (all || v.has('shmems')) {
    yield* out.write('\n------ Shared Memory Segments --------\nkey        shmid      owner      perms      bytes      nattch     status      \n');
    for (const f of yield* sysvipc('shm')) yield* out.write(`${col(hexKey(f[0]), 10)} ${col(f[1], 10)} ${col(owner(f[7]), 10)} ${col(f[2], 10)} ${col(f[3], 10)} ${col(f[6], 10)} ${col('', 13)}\n`);
  }
  if (all || v.has('semaphores')) {
    yield* out.write('\n------ Semaphore Arrays --------\nkey        semid      owner      perms      nsems     \n');
    for (const f of yield* sysvipc('sem')) yield* out.write(`${col(hexKey(f[0]), 10)} ${col(f[1], 10)} ${col(owner(f[4]), 10)} ${col(f[2], 10)} ${col(f[3], 10)}\n`);
  }
  // One blank line closes the listing.
  yield* out.write('\n');
  return (yield* out.flush()) ? 1 : 0;
}

export function* ipcrmMain({ argv }: ProgramArgs): Program {
  yield IPC_NS;
  let parsed;
  try {
    parsed = getopt('ipcrm', argv.slice(1), [
      { short: 'q', long: 'queue-id', arg: 'required' },
      { short: 'm', long: 'shmem-id', arg: 'required' },
      { short: 's', long: 'semaphore-id', arg: 'required' },
      { short: 'Q', long: 'queue-key', arg: 'required' },
      { short: 'M', long: 'shmem-key', arg: 'required' },
      { short: 'S', long: 'semaphore-key', arg: 'required' },
      { short: 'a', long: 'all' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'ipcrm --help' for more information.\n`);
    return 1;
  }
  const early = yield* helpOrVersion(parsed.values, '\nUsage:\n ipcrm [options]\n ipcrm shm|msg|sem <id>...\n\nRemove certain IPC resources.\n\nFor more details see ipcrm(1).\n', 'ipcrm from util-linux 2.38.1\n');
  if (early !== null) return early;
  let status = 0;
  const ctl = { q: sys.msgctl, m: sys.shmctl, s: sys.semctl };
  // -a: every object the caller may remove, of every kind.
  if (parsed.values.has('all')) {
    for (const [kind, letter] of [['msg', 'q'], ['shm', 'm'], ['sem', 's']] as const) {
      for (const f of yield* sysvipc(kind)) yield* ctl[letter](Number(f[1]), IPC_RMID);
    }
  }
  const getByKey = {
    Q: (key: number) => sys.msgget(key, 0),
    M: (key: number) => sys.shmget(key, 0, 0),
    S: (key: number) => sys.semget(key, 0, 0),
  };
  for (const [opt, val] of parsed.list) {
    const letter = ({ 'queue-id': 'q', 'shmem-id': 'm', 'semaphore-id': 's', 'queue-key': 'Q', 'shmem-key': 'M', 'semaphore-key': 'S' } as Record<string, string>)[opt];
    if (!letter || typeof val !== 'string') continue;
    if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(val)) {
      yield* errOut(`ipcrm: failed to parse argument: '${val}'\n`);
      status = 1;
      continue;
    }
    let id: number;
    if (letter === letter.toUpperCase()) {
      const key = Number(val);
      if (key === 0) {
        yield* errOut(`ipcrm: illegal key (${val})\n`);
        status = 1;
        continue;
      }
      const r = yield* getByKey[letter as 'Q' | 'M' | 'S'](key);
      if (r instanceof SysError) {
        yield* errOut(`ipcrm: invalid key (${val})\n`);
        status = 1;
        continue;
      }
      id = r;
    } else id = Number(val);
    const r = yield* ctl[letter.toLowerCase() as 'q' | 'm' | 's'](id, IPC_RMID);
    if (r instanceof SysError) {
      yield* errOut(r.errno === 'EPERM' || r.errno === 'EACCES' ? `ipcrm: permission denied for id (${val})\n` : `ipcrm: invalid id (${val})\n`);
      status = 1;
    }
  }
  return status;
}
