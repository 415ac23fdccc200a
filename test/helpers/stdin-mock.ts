/**
 * node:fs for vi.mock with standard input (fd 0) served from a string: readFileSync(0)
 * and readSync(0, …) — the bounded reader of src/commands/input-files.ts — read
 * `text()`; every other file is the real one. After a read reaches the end, the next
 * read starts again (the next command's input).
 */
import type * as Fs from 'node:fs';

export function fsWithStdin(fs: typeof Fs, text: () => string): typeof Fs {
  let pending: Buffer | null = null;
  const readFileSync = ((file: unknown, ...rest: unknown[]) => (file === 0 ? Buffer.from(text(), 'utf8') : (fs.readFileSync as (...a: unknown[]) => unknown)(file, ...rest))) as typeof fs.readFileSync;
  const readSync = ((fd: number, buf: Buffer, off: number, len: number, pos: number | null) => {
    if (fd !== 0) return fs.readSync(fd, buf, off, len, pos);
    pending ??= Buffer.from(text(), 'utf8');
    const n = pending.copy(buf, off, 0, Math.min(len, pending.length));
    pending = n === 0 ? null : pending.subarray(n);
    return n;
  }) as typeof fs.readSync;
  return { ...fs, default: { ...fs, readFileSync, readSync }, readFileSync, readSync } as typeof Fs;
}
