/**
 * blkid(8) from util-linux 2.38, for the one file system ctsim's disks hold: reads the
 * first block of each device or image file and, when it is a ctsimfs superblock (magic
 * "CTSIMFS" at byte 0), prints its tags as blkid does for ext4 —
 * `/dev/sda: LABEL="cloudimg-rootfs" BLOCK_SIZE="4096" TYPE="ctsimfs"`. Without
 * operands it looks at the disks in /dev (sda, sdb, …). Exit status 2 when nothing was
 * identified, as blkid's.
 * Simplification: no cache, no UUIDs (ctsimfs has none), no probing of other types;
 * -s TAG and -o value|full|export only.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { readDirNames } from '../sysutils/gnu-style.js';

/** Where a ctsimfs superblock keeps its label: 16 bytes at byte 48 (src/kernel/fs/ctsimfs/layout.ts). */
const LABEL_AT = 48;
const LABEL_BYTES = 16;

/** The tags of the file system whose first bytes are `head` (latin1), or null when blkid knows none. */
export function probeTags(head: string): [string, string][] | null {
  if (!head.startsWith('CTSIMFS\0')) return null;
  const label = Buffer.from(head.slice(LABEL_AT, LABEL_AT + LABEL_BYTES), 'latin1').toString('utf8').replace(/\0.*$/s, '');
  const tags: [string, string][] = [];
  if (label) tags.push(['LABEL', label]);
  tags.push(['BLOCK_SIZE', '4096'], ['TYPE', 'ctsimfs']);
  return tags;
}

export function* blkidMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'blkid';
  let opts;
  try {
    opts = getopt(prog, argv.slice(1), [{ short: 's', long: 'match-tag', arg: 'required' }, { short: 'o', long: 'output', arg: 'required' }]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry '${prog} --help' for more information.\n`);
    return 2;
  }
  const only = opts.list.filter(([k]) => k === 'match-tag').map(([, v]) => String(v));
  const format = String(opts.values.get('output') ?? 'full');
  if (!['full', 'value', 'export'].includes(format)) {
    yield* errOut(`${prog}: unsupported output format ${format}\n`);
    return 2;
  }
  let devices = opts.operands;
  if (devices.length === 0) {
    const names = yield* readDirNames('/dev');
    devices = names instanceof SysError ? [] : names.filter((n) => /^sd[a-z]$/.test(n)).sort().map((n) => `/dev/${n}`);
  }
  const out = new OutBuffer(1);
  let found = false;
  for (const dev of devices) {
    const fd = yield* sys.open(dev, O_RDONLY);
    if (fd instanceof SysError) {
      yield* errOut(`${prog}: error: ${dev}: ${fd.message}\n`);
      continue;
    }
    const head = yield* sys.read(fd, 4096);
    yield* sys.close(fd);
    const tags = typeof head === 'string' ? probeTags(head)?.filter(([t]) => only.length === 0 || only.includes(t)) : null;
    if (!tags || tags.length === 0) continue;
    found = true;
    if (format === 'value') yield* out.write(tags.map(([, v]) => `${v}\n`).join(''));
    else if (format === 'export') yield* out.write(`DEVNAME=${dev}\n${tags.map(([t, v]) => `${t}=${v}\n`).join('')}\n`);
    else yield* out.write(`${dev}: ${tags.map(([t, v]) => `${t}="${v}"`).join(' ')}\n`);
  }
  if (yield* out.flush()) return 1;
  return found ? 0 : 2;
}
