/**
 * A file of the host's file system as the bytes of a virtual disk: how a VMM reaches
 * the image file a drive names (`path_on_host`). Relative paths are under
 * /var/lib/ctsim/images, as libvirt keeps its images under /var/lib/libvirt/images.
 *
 * Simplification: the VMM reads and writes the image directly (its device model's
 * I/O is not issued as system calls of the VMM process).
 */
import type { Kernel } from '../../kernel/kernel.js';
import { resolve } from '../../kernel/vfs/namei.js';
import { SysError } from '../../kernel/errno.js';
import { SimVnode } from '../../kernel/fs/simfs.js';
import { S_IFMT, S_IFREG } from '../../kernel/vfs/types.js';
import type { Vnode } from '../../kernel/vfs/vnode.js';
import { ImageError, openImage, type ByteFile, type DiskImage } from './disk-image.js';

export const IMAGE_DIR = '/var/lib/ctsim/images';

export function imagePath(path: string): string {
  return path.startsWith('/') ? path : `${IMAGE_DIR}/${path}`;
}

/** The host file at `path` as a ByteFile; a one-line reason when there is none. */
export function hostByteFile(k: Kernel, path: string): ByteFile | string {
  const init = k.initPidNs.init!;
  const full = imagePath(path);
  const p = resolve(k, init, full, { follow: true });
  if (p instanceof SysError) return `Could not open '${full}': ${p.message}`;
  if (!(p.vn instanceof SimVnode) || (p.vn.mode() & S_IFMT) !== S_IFREG) return `Could not open '${full}': not a regular file`;
  const node = p.vn.node;
  return {
    size: () => node.getSize(),
    read(offset, length) {
      const out = new Uint8Array(length);
      const size = node.getSize();
      if (offset < size) node.read(out, 0, Math.min(length, size - offset), offset);
      return out;
    },
    write(offset, bytes) {
      node.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length, offset);
    },
    truncate(size) {
      node.truncate(size);
    },
  };
}

/** Backing files deeper than this are refused (a loop of backing files would never end). */
const MAX_BACKING_DEPTH = 8;

/**
 * The disk image in host file `path`, with its chain of backing files opened too; a
 * one-line reason when a file is missing or damaged.
 */
export function openHostImage(k: Kernel, path: string, depth = 0): DiskImage | string {
  const f = hostByteFile(k, path);
  if (typeof f === 'string') return f;
  try {
    return openImage(f, (backing) => {
      if (depth >= MAX_BACKING_DEPTH) throw new ImageError(`the chain of backing files is too long at ${backing}`);
      const b = openHostImage(k, backing, depth + 1);
      if (typeof b === 'string') throw new ImageError(`its backing file ${backing}: ${b}`);
      return b;
    });
  } catch (e) {
    if (e instanceof ImageError) return e.message;
    throw e;
  }
}

/** Makes an empty regular file at `path` (and the directories above it), owned by root, mode 0644. */
export function createHostFile(k: Kernel, path: string): ByteFile | string {
  const init = k.initPidNs.init!;
  const full = imagePath(path);
  const parts = full.split('/').filter(Boolean);
  let dir = resolve(k, init, '/', { follow: true });
  if (dir instanceof SysError) return dir.message;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i];
    const last = i === parts.length - 1;
    let next: Vnode | SysError = dir.vn.lookup!(name);
    if (next instanceof SysError) {
      const creds = { fsuid: 0, fsgid: 0 };
      next = last ? dir.vn.create!(name, S_IFREG | 0o644, creds, k.realtimeNs) : dir.vn.mkdir!(name, 0o755, creds, k.realtimeNs);
      if (next instanceof SysError) return `Could not create '${full}': ${next.message}`;
    }
    dir = { mnt: dir.mnt, vn: next };
  }
  return hostByteFile(k, path);
}
