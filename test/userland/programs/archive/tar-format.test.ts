/**
 * The pure tar helpers that ctsim's CLI uses (buildTar, parseTar) and the header and
 * name rules under them, checked against archives made by the real GNU tar 1.34
 * (fixtures/README.md says how).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  buildTar,
  checksumOf,
  decodeNumber,
  encodeNumber,
  parsePaxRecords,
  parseTar,
  paxRecord,
  verifyChecksum,
  type TarEntry,
} from '../../../../src/userland/programs/archive/tar-format.js';
import { containsDotDot, nameMatches, permString, quoteEscape, saferName, stripComponents } from '../../../../src/userland/programs/archive/tar-names.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url)).toString('latin1');

describe('buildTar and parseTar', () => {
  test('parseTar reads every member type of a GNU archive; buildTar writes it back byte for byte', () => {
    const gnu = fixture('gnu-1.34.tar');
    const entries = parseTar(gnu);
    if (!Array.isArray(entries)) throw new Error(entries.error);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(entries.map((e) => e.type)).toEqual([
      'dir', 'dir', 'symlink', 'file', 'hardlink', 'dir', 'chardev', 'blockdev', 'dir', 'symlink', 'file', 'dir', 'fifo', 'dir', 'file', 'file', 'symlink', 'dir', 'file', 'dir', 'file', 'dir',
    ]);
    expect(byPath.get('root/bin/su')).toMatchObject({ mode: 0o4755, uid: 0, uname: 'root', mtimeSec: 1717245296, content: '#!/bin/sh\necho su\n' });
    expect(byPath.get('root/bin/su-link')).toMatchObject({ type: 'hardlink', linkTarget: 'root/bin/su' });
    expect(byPath.get('root/dev/sda')).toMatchObject({ devMajor: 8, devMinor: 0, mode: 0o660 });
    expect(byPath.get('root/run/fifo')).toMatchObject({ uid: 1, gid: 1, uname: 'daemon', gname: 'daemon', mode: 0o600 });
    expect(byPath.get('root/tmp')).toMatchObject({ type: 'dir', mode: 0o1777 });
    expect(byPath.get('root/srv/binary')!.content).toBe(Array.from({ length: 768 }, (_, i) => String.fromCharCode(i % 256)).join(''));
    const long = entries.find((e) => e.path.endsWith('file-with-a-long-name-'))!;
    expect(long.path.length).toBe(177);
    expect(byPath.get('root/srv/longlink')!.linkTarget).toBe(`../../../../../${long.path}`);
    expect(buildTar(entries) === gnu).toBe(true);
  });

  test('a pax archive (x headers with path, linkpath, atime, ctime) gives the same entries', () => {
    expect(parseTar(fixture('gnu-1.34-pax.tar'))).toEqual(parseTar(fixture('gnu-1.34.tar')));
  });

  test('buildTar: directories get their slash, the archive ends with two zero blocks in a 10240-byte record', () => {
    const entries: TarEntry[] = [
      { path: 'd', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeSec: 0 },
      { path: 'd/f', type: 'file', mode: 0o644, uid: 3_000_000, gid: 5, mtimeSec: -1, content: 'x'.repeat(600) },
    ];
    const tar = buildTar(entries);
    expect(tar.length).toBe(10240);
    expect(tar.slice(0, 3)).toBe('d/\0');
    // A uid past 07777777 and a time before 1970 are base-256, as GNU format allows.
    expect(tar.charCodeAt(512 + 108)).toBe(0x80);
    expect(tar.charCodeAt(512 + 136)).toBe(0xff);
    expect(parseTar(tar)).toEqual([
      { path: 'd', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeSec: 0 },
      { path: 'd/f', type: 'file', mode: 0o644, uid: 3_000_000, gid: 5, mtimeSec: -1, content: 'x'.repeat(600) },
    ]);
  });

  test("parseTar's errors are GNU tar's messages", () => {
    const good = fixture('gnu-1.34-small.tar');
    expect(parseTar('not a tar file')).toEqual({ error: 'This does not look like a tar archive', offsetBytes: 0 });
    expect(parseTar('x'.repeat(1024))).toMatchObject({ error: 'This does not look like a tar archive' });
    const bad = good.slice(0, 512) + 'y' + good.slice(513);
    expect(parseTar(bad)).toEqual({ error: 'Skipping to next header', offsetBytes: 512 });
    expect(parseTar(good.slice(0, 1600))).toMatchObject({ error: 'Unexpected EOF in archive' });
  });
});

describe('header fields', () => {
  test('numbers: octal with a NUL, base-256 when too big or negative, blanks and NULs tolerated', () => {
    expect(encodeNumber(0o755, 8)).toBe('0000755\0');
    expect(encodeNumber(8 ** 11, 12)).toBe('\x80' + '\0'.repeat(6) + '\x02' + '\0'.repeat(4));
    expect(decodeNumber(encodeNumber(8 ** 11, 12))).toBe(8 ** 11);
    expect(decodeNumber(encodeNumber(-2, 12))).toBe(-2);
    expect(decodeNumber('  755 \0\0')).toBe(0o755);
    expect(decodeNumber('\0\0\0\0\0\0\0\0')).toBe(0);
    expect(decodeNumber('12x')).toBeNull();
  });

  test('checksums: zero blocks, and the signed sum of old tars', () => {
    const good = fixture('gnu-1.34-small.tar');
    expect(verifyChecksum(good.slice(0, 512))).toBe('ok');
    expect(verifyChecksum('\0'.repeat(512))).toBe('zero');
    expect(verifyChecksum('b' + good.slice(1, 512))).toBe('bad');
    // Sun's tar summed signed chars: a byte 0xff then counts -1, and GNU accepts that sum too.
    const withFf = good.slice(0, 200) + '\xff' + good.slice(201, 512);
    const blank = withFf.slice(0, 148) + '        ' + withFf.slice(156);
    const signed = checksumOf(blank) - 256;
    expect(verifyChecksum(withFf.slice(0, 148) + signed.toString(8).padStart(6, '0') + '\0 ' + withFf.slice(156))).toBe('ok');
  });

  test('pax records count their own length', () => {
    expect(paxRecord('path', 'a')).toBe('9 path=a\n');
    expect(paxRecord('path', 'x'.repeat(91))).toBe(`101 path=${'x'.repeat(91)}\n`);
    expect(parsePaxRecords('9 path=a\n18 linkpath=b/c/d\n')).toEqual(new Map([['path', 'a'], ['linkpath', 'b/c/d']]));
  });
});

describe('names', () => {
  test("safer_name_suffix: leading slashes and everything up to the last '..' go", () => {
    expect(saferName('/abs/x', false)).toEqual({ name: 'abs/x', removed: '/', substituted: false });
    expect(saferName('h/../../up2', false)).toEqual({ name: 'up2', removed: 'h/../../', substituted: false });
    expect(saferName('d/e/..', false)).toEqual({ name: '.', removed: 'd/e/..', substituted: false });
    expect(saferName('', false)).toEqual({ name: '.', removed: '', substituted: true });
    expect(saferName('/abs/x', true).name).toBe('/abs/x');
    expect(containsDotDot('a/../b')).toBe(true);
    expect(containsDotDot('a/..b')).toBe(false);
  });

  test('--strip-components and member selection', () => {
    expect(stripComponents('a/b/c', 1)).toBe('b/c');
    expect(stripComponents('a//b/c', 2)).toBe('c');
    expect(stripComponents('a', 1)).toBe('');
    expect(nameMatches('a/b/f', 'a/b')).toBe(true);
    expect(nameMatches('a/b/', 'a/b/')).toBe(true);
    expect(nameMatches('a/bc', 'a/b')).toBe(false);
  });

  test("Debian's escape quoting and the mode string", () => {
    expect(quoteEscape('p/\xc3\xbc')).toBe('p/\\303\\274');
    expect(quoteEscape('a\\b\nc')).toBe('a\\\\b\\nc');
    expect(quoteEscape('a:b', true)).toBe('a\\:b');
    expect(permString(0o4755)).toBe('rwsr-xr-x');
    expect(permString(0o2750)).toBe('rwxr-s---');
    expect(permString(0o1777)).toBe('rwxrwxrwt');
    expect(permString(0o1000)).toBe('--------T');
  });
});
