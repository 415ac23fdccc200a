/**
 * setpriv(1) from util-linux 2.38: run a program with other credentials.
 *
 *   setpriv [--reuid UID] [--regid GID] [--ruid|--euid UID] [--rgid|--egid GID]
 *           [--clear-groups | --keep-groups | --init-groups | --groups LIST] [-d] [program]
 *
 * Groups are set first, then GIDs (setresgid), then UIDs (setresuid), and the
 * program runs with the capabilities the kernel leaves after the UID change
 * (capabilities(7): dropping UID 0 drops them). -d/--dump prints the current state.
 * A failed credential change exits 127, as setpriv's SETPRIV_EXIT_PRIVERR.
 *
 * --bounding-set drops capabilities from the bounding set (-cap, -all).
 *
 * Simplification: --inh-caps, --ambient-caps, --securebits, --nnp,
 * --pdeathsig and the LSM options are not offered.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { UserDb } from '../../lib/passwd.js';
import { CAP_NAMES } from '../../../kernel/ns/capabilities.js';
import { execCommand, helpOrVersion } from './common.js';

type Gen<T> = Generator<Op, T, unknown>;

const SETPRIV_NS = 20_000;
const PROG = 'setpriv';
/** setpriv's exit status when a credential change fails. */
const EXIT_PRIVERR = 127;

const USAGE = `
Usage:
 setpriv [options] <program> [<argument>...]

Run a program with different privilege settings.

Options:
 -d, --dump                  show current state (and do not exec)
 --nnp, --no-new-privs       disallow granting new privileges
 --ruid <uid|user>           set real uid
 --euid <uid|user>           set effective uid
 --rgid <gid|user>           set real gid
 --egid <gid|group>          set effective gid
 --reuid <uid|user>          set real and effective uid
 --regid <gid|group>         set real and effective gid
 --clear-groups              clear supplementary groups
 --keep-groups               keep supplementary groups
 --init-groups               initialize supplementary groups
 --groups <group,...>        set supplementary groups by UID or name
 --bounding-set <caps>       set capability bounding set

 -h, --help                  display this help
 -V, --version               display version

For more details see setpriv(1).
`;

/** The capability names of a set, as setpriv prints them ("[none]" when empty). */
function capList(set: bigint): string {
  const names = CAP_NAMES.filter((_, i) => (set >> BigInt(i)) & 1n);
  return names.length === 0 ? '[none]' : names.join(',');
}

/** The Cap* fields of /proc/self/status. */
function* capsOfSelf(): Gen<Record<string, bigint>> {
  const text = yield* readFile('/proc/self/status');
  const out: Record<string, bigint> = {};
  if (text instanceof SysError) return out;
  for (const m of text.matchAll(/^(Cap\w+):\t([0-9a-f]+)$/gm)) out[m[1]] = BigInt('0x' + m[2]);
  return out;
}

function* dump(): Gen<number> {
  const out = new OutBuffer(1);
  const [r, e] = [yield* sys.getresuid(), yield* sys.getresgid()];
  const groups = yield* sys.getgroups();
  const caps = yield* capsOfSelf();
  if (r instanceof SysError || e instanceof SysError) return 1;
  yield* out.write(`uid: ${r[0]}\neuid: ${r[1]}\ngid: ${e[0]}\negid: ${e[1]}\n`);
  yield* out.write(`Supplementary groups: ${groups instanceof SysError || groups.length === 0 ? '[none]' : groups.join(',')}\n`);
  yield* out.write('no_new_privs: 0\n');
  yield* out.write(`Inheritable capabilities: ${capList(caps.CapInh ?? 0n)}\n`);
  yield* out.write(`Ambient capabilities: ${capList(caps.CapAmb ?? 0n)}\n`);
  yield* out.write(`Capability bounding set: ${capList(caps.CapBnd ?? 0n)}\n`);
  yield* out.write('Securebits: [none]\nParent death signal: [none]\n');
  return (yield* out.flush()) ? 1 : 0;
}

export function* setprivMain({ argv, envp }: ProgramArgs): Program {
  yield SETPRIV_NS;
  let parsed;
  try {
    parsed = getopt(PROG, argv.slice(1), [
      { short: 'd', long: 'dump' },
      { long: 'nnp' },
      { long: 'no-new-privs', key: 'nnp' },
      { long: 'ruid', arg: 'required' },
      { long: 'euid', arg: 'required' },
      { long: 'rgid', arg: 'required' },
      { long: 'egid', arg: 'required' },
      { long: 'reuid', arg: 'required' },
      { long: 'regid', arg: 'required' },
      { long: 'clear-groups' },
      { long: 'keep-groups' },
      { long: 'init-groups' },
      { long: 'groups', arg: 'required' },
      { long: 'bounding-set', arg: 'required' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ], { stopAtOperand: true });
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'setpriv --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, USAGE, 'setpriv from util-linux 2.38.1\n');
  if (early !== null) return early;
  if (v.has('dump')) {
    if (parsed.list.some(([key]) => key !== 'dump') || parsed.operands.length > 0) {
      yield* errOut(`${PROG}: --dump is incompatible with all other options\n`);
      return 1;
    }
    return yield* dump();
  }
  if (parsed.operands.length === 0) {
    yield* errOut(`${PROG}: No program specified\n`);
    return 1;
  }
  const db = yield* UserDb.load();
  const uidOf = (s: string): number => (/^\d+$/.test(s) ? Number(s) : db.getpwnam(s)?.uid ?? -2);
  const gidOf = (s: string): number => (/^\d+$/.test(s) ? Number(s) : db.getgrnam(s)?.gid ?? -2);
  const str = (k: string): string | undefined => (typeof v.get(k) === 'string' ? (v.get(k) as string) : undefined);
  const ruid = str('reuid') ?? str('ruid');
  const euid = str('reuid') ?? str('euid');
  const rgid = str('regid') ?? str('rgid');
  const egid = str('regid') ?? str('egid');
  const groupOpts = ['clear-groups', 'keep-groups', 'init-groups', 'groups'].filter((k) => v.has(k));
  if (groupOpts.length > 1) {
    yield* errOut(`${PROG}: mutually exclusive arguments: --clear-groups --keep-groups --init-groups --groups\n`);
    return 1;
  }
  if (v.has('init-groups') && ruid === undefined) {
    yield* errOut(`${PROG}: --init-groups requires --ruid or --reuid\n`);
    return 1;
  }
  if ((rgid !== undefined || egid !== undefined) && groupOpts.length === 0) {
    yield* errOut(`${PROG}: --[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups\n`);
    return 1;
  }
  for (const key of ['reuid', 'ruid', 'euid', 'regid', 'rgid', 'egid']) {
    const val = str(key);
    if (val !== undefined && (key.endsWith('uid') ? uidOf(val) : gidOf(val)) < 0) {
      yield* errOut(`${PROG}: failed to parse ${key}: '${val}'\n`);
      return 1;
    }
  }
  // --bounding-set -cap,+cap,-all: only dropping is possible (prctl PR_CAPBSET_DROP).
  const bset = str('bounding-set');
  if (bset !== undefined) {
    for (const item of bset.split(',')) {
      const m = /^([+-])(.+)$/.exec(item);
      const name = m?.[2].replace(/^cap_/, '');
      const caps = name === 'all' ? CAP_NAMES.map((_, i) => i) : [CAP_NAMES.indexOf(name as (typeof CAP_NAMES)[number])];
      if (!m || caps.includes(-1)) {
        yield* errOut(`${PROG}: bad capability string\n`);
        return 1;
      }
      if (m[1] === '+') continue;
      for (const c of caps) {
        const r = yield* sys.capbsetDrop(c);
        if (r instanceof SysError) {
          yield* errOut(`${PROG}: prctl(PR_CAPBSET_DROP) failed: ${r.message}\n`);
          return EXIT_PRIVERR;
        }
      }
    }
  }
  if (v.has('clear-groups') || v.has('groups') || v.has('init-groups')) {
    let groups: number[] = [];
    const list = str('groups');
    if (list !== undefined) groups = list.split(',').map(gidOf);
    if (v.has('init-groups')) {
      const u = db.getpwuid(ruid !== undefined ? uidOf(ruid) : 0);
      groups = u ? db.groupList(u.name, u.gid) : [];
    }
    const r = yield* sys.setgroups(groups);
    if (r instanceof SysError) {
      yield* errOut(`${PROG}: setgroups failed: ${r.message}\n`);
      return EXIT_PRIVERR;
    }
  }
  if (rgid !== undefined || egid !== undefined) {
    const r = yield* sys.setresgid(rgid !== undefined ? gidOf(rgid) : -1, egid !== undefined ? gidOf(egid) : -1, -1);
    if (r instanceof SysError) {
      yield* errOut(`${PROG}: setresgid failed: ${r.message}\n`);
      return EXIT_PRIVERR;
    }
  }
  if (ruid !== undefined || euid !== undefined) {
    const r = yield* sys.setresuid(ruid !== undefined ? uidOf(ruid) : -1, euid !== undefined ? uidOf(euid) : -1, -1);
    if (r instanceof SysError) {
      yield* errOut(`${PROG}: setresuid failed: ${r.message}\n`);
      return EXIT_PRIVERR;
    }
  }
  return yield* execCommand(PROG, parsed.operands, envp);
}
