/**
 * Tar archives as members: GNU tar 1.34's read_header (list.c) — a header block, with
 * the GNU long name/long link pseudo-members ('L'/'K', "././@LongLink") and pax
 * extended headers ('x') that come before it folded in — and the GNU-format writer of
 * create.c. Pure and shared: the simulated tar reads through a BlockSource that makes
 * read(2) calls; ctsim's CLI builds and checks archives with `buildTar` and `parseTar`.
 *
 * ```
 *  [K hdr][link data][L hdr][name data][hdr][data…]  [x hdr][records][hdr][data…]  [0][0] pad
 *  └──────────── one member ───────────────────────┘ └────── one member ──────────┘ end  to 10240
 * ```
 * Simplification: pax global headers ('g') are read and ignored, and the pax keys
 * that do not describe a plain file (atime, xattrs, GNU.sparse.*) are ignored; GNU
 * sparse members ('S') are not expanded.
 */
import {
  BLOCK_SIZE,
  LONGLINK_NAME,
  RECORD_SIZE,
  TYPE,
  blockPadding,
  blocksFor,
  decodeHeader,
  encodeHeader,
  parsePaxRecords,
  verifyChecksum,
  type HeaderFormat,
} from './tar-header.js';

export * from './tar-header.js';

/** A file as ctsim's CLI hands it to `buildTar` and gets it from `parseTar`. */
export interface TarEntry {
  /** Member name, without a trailing slash (buildTar adds one to directories). */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'chardev' | 'blockdev';
  /** Permission bits, 07777. */
  mode: number;
  uid: number;
  gid: number;
  uname?: string;
  gname?: string;
  /** Seconds since the epoch (a pax mtime may have a fraction). */
  mtimeSec: number;
  /** A regular file's bytes (latin1). */
  content?: string;
  /** A symlink's target, or the earlier member a hard link names. */
  linkTarget?: string;
  devMajor?: number;
  devMinor?: number;
}

/** Why parseTar gave up: GNU tar's message and the byte offset of the block at fault. */
export interface TarParseError {
  error: string;
  offsetBytes: number;
}

/** A member header with everything before it applied (list.c's tar_stat_info). */
export interface Member {
  /** The name as archived (orig_file_name), trailing slash kept. */
  name: string;
  typeflag: string;
  /** Permission bits, 07777. */
  mode: number;
  uid: number;
  gid: number;
  /** '' when the header has none (v7) or the field is empty. */
  uname: string;
  gname: string;
  /** Whole seconds, and the nanoseconds a pax mtime adds. */
  mtimeSec: number;
  mtimeNsec: number;
  /** Bytes of data that follow the header (0 for hard links unless pax says otherwise). */
  size: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  format: HeaderFormat;
}

/** Archive bytes a block at a time; the simulated tar's source makes read(2) calls. */
export interface BlockSource<Y> {
  /** Up to `max` whole blocks (at least one, or '' once the input has ended). A partial last block is dropped. */
  read(max: number): Generator<Y, string, unknown>;
  /** Blocks handed out so far. */
  readonly consumed: number;
}

/** read_header's outcomes (HEADER_SUCCESS, _ZERO_BLOCK, _END_OF_FILE, _FAILURE). */
export type HeaderRead =
  | { kind: 'member'; member: Member }
  | { kind: 'zero' }
  | { kind: 'eof' }
  | { kind: 'bad' }
  /** The input ended inside a long name or pax header's data ("Unexpected EOF in archive"). */
  | { kind: 'truncated' };

/** A BlockSource over bytes in memory. */
export class StringBlockSource implements BlockSource<never> {
  consumed = 0;
  constructor(private readonly bytes: string) {}

  *read(max: number): Generator<never, string, unknown> {
    const whole = Math.floor(this.bytes.length / BLOCK_SIZE);
    const n = Math.min(max, whole - this.consumed);
    if (n <= 0) return '';
    const out = this.bytes.slice(this.consumed * BLOCK_SIZE, (this.consumed + n) * BLOCK_SIZE);
    this.consumed += n;
    return out;
  }
}

/**
 * The next piece of a member's data with `left` bytes still to come: up to
 * `maxBlocks` whole blocks consumed, cut to `left`; '' if the input ended first.
 */
export function* dataChunk<Y>(src: BlockSource<Y>, left: number, maxBlocks = 128): Generator<Y, string, unknown> {
  const chunk = yield* src.read(Math.min(maxBlocks, blocksFor(left)));
  return chunk.length > left ? chunk.slice(0, left) : chunk;
}

/** All `size` bytes of member data, or null if the input ended first. */
export function* readData<Y>(src: BlockSource<Y>, size: number): Generator<Y, string | null, unknown> {
  const parts: string[] = [];
  for (let left = size; left > 0; ) {
    const chunk = yield* dataChunk(src, left);
    if (chunk === '') return null;
    parts.push(chunk);
    left -= chunk.length;
  }
  return parts.join('');
}

/** Up to the first NUL (a C string in a data block). */
const cstr = (s: string): string => {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
};

/** The next member (read_header with read_header_auto): long names and pax headers folded in. */
export function* readHeader<Y>(src: BlockSource<Y>): Generator<Y, HeaderRead, unknown> {
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Map<string, string> | null = null;
  for (;;) {
    const block = yield* src.read(1);
    if (block === '') return { kind: 'eof' };
    const sum = verifyChecksum(block);
    if (sum !== 'ok') return { kind: sum };
    const h = decodeHeader(block);
    const t = h.typeflag;
    if (h.size === null || h.size < 0) return { kind: 'bad' };
    if (t === TYPE.GNU_LONGNAME || t === TYPE.GNU_LONGLINK || t === TYPE.PAX_EXTENDED || t === TYPE.SOLARIS_EXTENDED || t === TYPE.PAX_GLOBAL) {
      const data = yield* readData(src, h.size);
      if (data === null) return { kind: 'truncated' };
      if (t === TYPE.GNU_LONGNAME) longName = cstr(data);
      else if (t === TYPE.GNU_LONGLINK) longLink = cstr(data);
      else if (t !== TYPE.PAX_GLOBAL) pax = parsePaxRecords(data);
      continue;
    }
    const m: Member = {
      name: longName ?? (h.prefix !== '' ? `${h.prefix}/${h.name}` : h.name),
      typeflag: t,
      mode: (h.mode ?? 0) & 0o7777,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      uname: h.uname,
      gname: h.gname,
      mtimeSec: h.mtimeSec ?? 0,
      mtimeNsec: 0,
      size: t === TYPE.LNK ? 0 : h.size,
      linkname: longLink ?? h.linkname,
      devmajor: h.devmajor ?? 0,
      devminor: h.devminor ?? 0,
      format: h.format,
    };
    if (pax) applyPax(m, pax);
    return { kind: 'member', member: m };
  }
}

/** xheader_decode: the pax keys that override header fields. */
function applyPax(m: Member, pax: Map<string, string>): void {
  const int = (k: string): number | null => {
    const v = pax.get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  const path = pax.get('path');
  if (path !== undefined) m.name = path;
  const linkpath = pax.get('linkpath');
  if (linkpath !== undefined) m.linkname = linkpath;
  m.size = int('size') ?? m.size;
  m.uid = int('uid') ?? m.uid;
  m.gid = int('gid') ?? m.gid;
  m.uname = pax.get('uname') ?? m.uname;
  m.gname = pax.get('gname') ?? m.gname;
  const mtime = pax.get('mtime');
  const mt = mtime !== undefined ? /^(-?)(\d+)(?:\.(\d*))?$/.exec(mtime) : null;
  if (mt) {
    const frac = Number((mt[3] ?? '').padEnd(9, '0').slice(0, 9));
    const sec = Number(mt[2]);
    if (mt[1] === '-') {
      m.mtimeSec = frac > 0 ? -sec - 1 : -sec;
      m.mtimeNsec = frac > 0 ? 1e9 - frac : 0;
    } else {
      m.mtimeSec = sec;
      m.mtimeNsec = frac;
    }
  }
}

/** Whether a member's name, trailing slash and type say it is a directory (BSD's "slash means directory" too). */
export function isDirMember(m: Member): boolean {
  const t = m.typeflag;
  if (t === TYPE.DIR || t === TYPE.GNU_DUMPDIR) return true;
  return (t === TYPE.REG || t === TYPE.AREG || t === TYPE.CONT) && m.name.endsWith('/');
}

/** The TarEntry type of a member (unknown types are extracted as regular files, as GNU does); null for a volume label. */
export function entryType(m: Member): TarEntry['type'] | null {
  if (isDirMember(m)) return 'dir';
  switch (m.typeflag) {
    case TYPE.LNK: return 'hardlink';
    case TYPE.SYM: return 'symlink';
    case TYPE.CHR: return 'chardev';
    case TYPE.BLK: return 'blockdev';
    case TYPE.FIFO: return 'fifo';
    case TYPE.GNU_VOLHDR: return null;
    default: return 'file';
  }
}

const TYPEFLAG_OF: Record<TarEntry['type'], string> = {
  file: TYPE.REG,
  dir: TYPE.DIR,
  symlink: TYPE.SYM,
  hardlink: TYPE.LNK,
  fifo: TYPE.FIFO,
  chardev: TYPE.CHR,
  blockdev: TYPE.BLK,
};

/** Owner names for the "././@LongLink" headers: GNU writes uid 0's and gid 0's names ('' with --numeric-owner). */
export interface LongLinkOwner {
  uname: string;
  gname: string;
}

/** GNU's write_gnu_long_link: an 'L' or 'K' header and the NUL-terminated name in data blocks. */
function longLink(text: string, typeflag: string, owner: LongLinkOwner): string {
  const data = text + '\0';
  const h = encodeHeader({ name: LONGLINK_NAME, mode: 0o644, uid: 0, gid: 0, size: data.length, mtimeSec: 0, typeflag, uname: owner.uname, gname: owner.gname });
  return h + data + blockPadding(data.length);
}

/**
 * The header blocks of one member in GNU format (no data): a 'K' block for a link
 * target over 100 bytes, an 'L' block for a name over 100 bytes, then the header with
 * both cut to their fields. Directories get their trailing slash. The size is the
 * content's unless given (the simulated tar streams a file's data after its header).
 */
export function encodeMemberHeader(e: TarEntry, owner: LongLinkOwner = { uname: 'root', gname: 'root' }, sizeBytes = e.type === 'file' ? (e.content ?? '').length : 0): string {
  const name = e.type === 'dir' && !e.path.endsWith('/') ? e.path + '/' : e.path;
  const link = e.type === 'symlink' || e.type === 'hardlink' ? (e.linkTarget ?? '') : '';
  let out = '';
  if (link.length > 100) out += longLink(link, TYPE.GNU_LONGLINK, owner);
  if (name.length > 100) out += longLink(name, TYPE.GNU_LONGNAME, owner);
  const device = e.type === 'chardev' || e.type === 'blockdev';
  out += encodeHeader({
    name,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    size: sizeBytes,
    mtimeSec: Math.floor(e.mtimeSec),
    typeflag: TYPEFLAG_OF[e.type],
    linkname: link,
    uname: e.uname ?? '',
    gname: e.gname ?? '',
    devmajor: device ? (e.devMajor ?? 0) : undefined,
    devminor: device ? (e.devMinor ?? 0) : undefined,
  });
  return out;
}

/** The end of an archive of `bytesSoFar` bytes: two zero blocks, then zeros to a whole 10240-byte record. */
export function archiveTrailer(bytesSoFar: number): string {
  const withEnd = bytesSoFar + 2 * BLOCK_SIZE;
  const pad = (RECORD_SIZE - (withEnd % RECORD_SIZE)) % RECORD_SIZE;
  return '\0'.repeat(2 * BLOCK_SIZE + pad);
}

/** A GNU-format archive of `entries`, in order (what `tar --format=gnu -c` writes for them). */
export function buildTar(entries: TarEntry[]): string {
  const parts: string[] = [];
  let n = 0;
  for (const e of entries) {
    const data = e.type === 'file' ? (e.content ?? '') : '';
    const p = encodeMemberHeader(e) + data + blockPadding(data.length);
    parts.push(p);
    n += p.length;
  }
  parts.push(archiveTrailer(n));
  return parts.join('');
}

/**
 * The entries of a ustar, GNU or pax archive, in order; names keep any leading "./"
 * or "/" but lose their trailing slash. An error names GNU tar's complaint: a
 * header whose checksum is wrong, or data cut short.
 */
export function parseTar(bytes: string): TarEntry[] | TarParseError {
  const src = new StringBlockSource(bytes);
  const out: TarEntry[] = [];
  const run = <T>(g: Generator<never, T, unknown>): T => {
    const r = g.next();
    if (!r.done) throw new Error('a StringBlockSource never yields');
    return r.value;
  };
  if (bytes.length < BLOCK_SIZE) return { error: 'This does not look like a tar archive', offsetBytes: 0 };
  for (;;) {
    const at = src.consumed * BLOCK_SIZE;
    const r = run(readHeader(src));
    if (r.kind === 'eof' || r.kind === 'zero') return out;
    if (r.kind === 'truncated') return { error: 'Unexpected EOF in archive', offsetBytes: at };
    if (r.kind === 'bad') return { error: out.length === 0 && at === 0 ? 'This does not look like a tar archive' : 'Skipping to next header', offsetBytes: at };
    const m = r.member;
    const content = run(readData(src, m.size));
    if (content === null) return { error: 'Unexpected EOF in archive', offsetBytes: at };
    const type = entryType(m);
    if (type === null) continue;
    const e: TarEntry = { path: m.name.replace(/(.)\/+$/, '$1'), type, mode: m.mode, uid: m.uid, gid: m.gid, mtimeSec: m.mtimeSec + m.mtimeNsec / 1e9 };
    if (m.uname !== '') e.uname = m.uname;
    if (m.gname !== '') e.gname = m.gname;
    if (type === 'file') e.content = content;
    if (type === 'symlink' || type === 'hardlink') e.linkTarget = m.linkname;
    if (type === 'chardev' || type === 'blockdev') {
      e.devMajor = m.devmajor;
      e.devMinor = m.devminor;
    }
    out.push(e);
  }
}
