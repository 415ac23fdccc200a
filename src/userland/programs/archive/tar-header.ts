/**
 * One 512-byte tar header block as POSIX ustar (pax(1), "ustar Interchange Format")
 * and GNU tar 1.34 (tar.h, create.c, list.c) lay it out: the fields and their byte
 * offsets, numbers in octal or GNU's base-256, the header checksum (tar_checksum),
 * and the records of a pax extended header ("%d %s=%s\n"). Pure: bytes in, bytes out.
 *
 * ```
 *   0 name[100]  100 mode[8]  108 uid[8]  116 gid[8]  124 size[12]  136 mtime[12]
 * 148 chksum[8]  156 typeflag  157 linkname[100]  257 magic[6] 263 version[2]
 * 265 uname[32]  297 gname[32]  329 devmajor[8]  337 devminor[8]  345 prefix[155]
 * ```
 * GNU format writes magic+version as "ustar  \0" and never uses the prefix field
 * (old GNU keeps atime/ctime there); POSIX ustar writes "ustar\0" "00".
 */

/** Bytes per tar block. */
export const BLOCK_SIZE = 512;
/** Bytes per record: GNU tar's default blocking factor 20 (`-b20`). */
export const RECORD_SIZE = 20 * BLOCK_SIZE;
/** ustar magic (TMAGIC + NUL) and GNU's magic+version (OLDGNU_MAGIC). */
export const USTAR_MAGIC = 'ustar\0';
export const GNU_MAGIC = 'ustar  \0';
/** The name GNU tar gives its 'L'/'K' and pax 'x' pseudo-members. */
export const LONGLINK_NAME = '././@LongLink';
export const PAX_HEADER_NAME = '././@PaxHeader';

/** Type flags (tar.h). */
export const TYPE = {
  REG: '0',
  AREG: '\0',
  LNK: '1',
  SYM: '2',
  CHR: '3',
  BLK: '4',
  DIR: '5',
  FIFO: '6',
  CONT: '7',
  PAX_EXTENDED: 'x',
  PAX_GLOBAL: 'g',
  SOLARIS_EXTENDED: 'X',
  GNU_LONGNAME: 'L',
  GNU_LONGLINK: 'K',
  GNU_DUMPDIR: 'D',
  GNU_VOLHDR: 'V',
} as const;

/** [offset, length] of each header field. */
export const FIELD = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

export type HeaderFormat = 'ustar' | 'gnu' | 'v7';

/** A header block's fields, decoded (numbers that do not parse are null). */
export interface RawHeader {
  name: string;
  mode: number | null;
  uid: number | null;
  gid: number | null;
  size: number | null;
  mtimeSec: number | null;
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number | null;
  devminor: number | null;
  /** ustar's prefix field ('' unless the magic is POSIX ustar's). */
  prefix: string;
  format: HeaderFormat;
}

/** A string field up to its first NUL (the whole field when it has none). */
function str(block: string, [off, len]: readonly [number, number]): string {
  const s = block.slice(off, off + len);
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * A numeric field as GNU's from_header reads it: leading blanks, octal digits up to a
 * NUL or blank; or base-256 when the first byte is 0x80 (positive) or 0xff (negative,
 * two's complement). Null when the field is not a number.
 */
export function decodeNumber(field: string): number | null {
  const first = field.charCodeAt(0);
  if (first === 0x80 || first === 0xff) {
    let v = BigInt(first & 0x3f) - (first === 0xff ? 0x40n : 0n);
    for (let i = 1; i < field.length; i++) v = (v << 8n) + BigInt(field.charCodeAt(i) & 0xff);
    return Number(v);
  }
  // As from_header: one leading NUL (a previous field's overflow) and leading blanks
  // are skipped; the digits end at the field's end, a NUL or a blank.
  let i = field[0] === '\0' ? 1 : 0;
  while (i < field.length && field[i] === ' ') i++;
  if (i === field.length) return null;
  let v = 0;
  for (; i < field.length; i++) {
    const c = field[i];
    if (c >= '0' && c <= '7') v = v * 8 + (c.charCodeAt(0) - 48);
    else if (c === '\0' || c === ' ') break;
    else return null;
  }
  return v;
}

/**
 * A numeric field of `len` bytes as GNU's to_chars writes it: len-1 octal digits and a
 * NUL when the value fits, else base-256 (GNU format's extension for uids above
 * 07777777, sizes of 8 GiB and more, and times before 1970).
 */
export function encodeNumber(value: number, len: number): string {
  const v = Math.trunc(value);
  if (v >= 0 && v < 8 ** (len - 1)) return v.toString(8).padStart(len - 1, '0') + '\0';
  let big = BigInt(v);
  if (big < 0n) big += 1n << BigInt(8 * (len - 1));
  let out = '';
  for (let i = 0; i < len - 1; i++) {
    out = String.fromCharCode(Number(big & 0xffn)) + out;
    big >>= 8n;
  }
  return (v < 0 ? '\xff' : '\x80') + out;
}

/** The result of tar_checksum: a zero block, a good header, or a bad one. */
export type ChecksumResult = 'zero' | 'ok' | 'bad';

/**
 * tar_checksum(): the sum of the block's bytes with the checksum field counted as
 * blanks, compared with the recorded octal value; the signed sum (old Sun tars) is
 * accepted too. An all-zero block is the end-of-archive marker.
 */
export function verifyChecksum(block: string): ChecksumResult {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const c = block.charCodeAt(i) & 0xff;
    unsigned += c;
    signed += c >= 128 ? c - 256 : c;
  }
  if (unsigned === 0) return 'zero';
  const [off, len] = FIELD.chksum;
  for (let i = off; i < off + len; i++) {
    const c = block.charCodeAt(i) & 0xff;
    unsigned -= c;
    signed -= c >= 128 ? c - 256 : c;
  }
  unsigned += 32 * len;
  signed += 32 * len;
  const recorded = decodeNumber(block.slice(off, off + len));
  if (recorded === null || (recorded !== unsigned && recorded !== signed)) return 'bad';
  return 'ok';
}

/** The checksum GNU writes: the unsigned sum with the field as blanks. */
export function checksumOf(block: string): number {
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += block.charCodeAt(i) & 0xff;
  return sum;
}

/** Decodes a header block whose checksum is good. */
export function decodeHeader(block: string): RawHeader {
  const num = (f: readonly [number, number]): number | null => decodeNumber(block.slice(f[0], f[0] + f[1]));
  const magic = block.slice(257, 263);
  const format: HeaderFormat = magic === USTAR_MAGIC ? 'ustar' : block.slice(257, 265) === GNU_MAGIC ? 'gnu' : 'v7';
  return {
    name: str(block, FIELD.name),
    mode: num(FIELD.mode),
    uid: num(FIELD.uid),
    gid: num(FIELD.gid),
    size: num(FIELD.size),
    mtimeSec: num(FIELD.mtime),
    typeflag: block[156],
    linkname: str(block, FIELD.linkname),
    uname: format === 'v7' ? '' : str(block, FIELD.uname),
    gname: format === 'v7' ? '' : str(block, FIELD.gname),
    devmajor: num(FIELD.devmajor),
    devminor: num(FIELD.devminor),
    prefix: format === 'ustar' ? str(block, FIELD.prefix) : '',
    format,
  };
}

/** What a GNU-format header block holds (strings are bytes; long ones are cut to the field). */
export interface HeaderFields {
  name: string;
  /** Permission bits (07777); GNU format stores no file type bits. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeSec: number;
  typeflag: string;
  linkname?: string;
  uname?: string;
  gname?: string;
  /** For character and block devices only: GNU leaves the fields empty otherwise. */
  devmajor?: number;
  devminor?: number;
}

/** One header block in GNU format (create.c start_header + finish_header). */
export function encodeHeader(h: HeaderFields): string {
  const b: string[] = new Array<string>(BLOCK_SIZE).fill('\0');
  const put = ([off, len]: readonly [number, number], s: string): void => {
    for (let i = 0; i < Math.min(len, s.length); i++) b[off + i] = s[i];
  };
  put(FIELD.name, h.name);
  put(FIELD.mode, encodeNumber(h.mode & 0o7777, 8));
  put(FIELD.uid, encodeNumber(h.uid, 8));
  put(FIELD.gid, encodeNumber(h.gid, 8));
  put(FIELD.size, encodeNumber(h.size, 12));
  put(FIELD.mtime, encodeNumber(h.mtimeSec, 12));
  put(FIELD.chksum, '        ');
  b[156] = h.typeflag;
  put(FIELD.linkname, h.linkname ?? '');
  put([257, 8], GNU_MAGIC);
  put(FIELD.uname, h.uname ?? '');
  put(FIELD.gname, h.gname ?? '');
  if (h.devmajor !== undefined) put(FIELD.devmajor, encodeNumber(h.devmajor, 8));
  if (h.devminor !== undefined) put(FIELD.devminor, encodeNumber(h.devminor, 8));
  const block = b.join('');
  // Six octal digits, a NUL, and the blank already there.
  const sum = checksumOf(block).toString(8).padStart(6, '0') + '\0';
  return block.slice(0, 148) + sum + block.slice(155);
}

/** Zero bytes that pad `n` bytes to a whole number of blocks. */
export function blockPadding(n: number): string {
  const r = n % BLOCK_SIZE;
  return r === 0 ? '' : '\0'.repeat(BLOCK_SIZE - r);
}

/** Blocks that hold `n` bytes of member data. */
export function blocksFor(n: number): number {
  return Math.ceil(n / BLOCK_SIZE);
}

/**
 * The records of a pax extended header: "LEN key=value\n", LEN counting the whole
 * record in decimal. Malformed records end the parse (GNU reports them and skips the
 * rest). Later records override earlier ones.
 */
export function parsePaxRecords(data: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number(data.slice(i, sp));
    if (!Number.isInteger(len) || len <= sp - i || i + len > data.length || data[i + len - 1] !== '\n') break;
    const rec = data.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/** One pax record, its length prefix counting its own digits. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}
