/**
 * Container images: the small root file systems ctsim ships (fixtures/images/*.json,
 * a busybox-like and an alpine-like one). An image becomes a tar archive that is
 * unpacked once per host under /var/lib/ctsim/images/NAME/rootfs — the read-only
 * lower layer every container of that image shares through overlayfs, so its files
 * exist once however many containers use it (as docker's overlay2 storage driver).
 *
 * Simplification: an image is one layer, and its commands are ctsim's programs (GNU
 * coreutils- and util-linux-like), not BusyBox applets.
 */
import { readdirSync } from 'node:fs';
import { fixturePath, readFixtureJson } from '../sim/fixtures.js';
import { binaryImage } from '../kernel/exec/program-table.js';
import type { TarEntry } from '../userland/programs/archive/tar-format.js';

export interface ImageSpec {
  name: string;
  tag: string;
  description: string;
  /** Directory → octal mode. */
  dirs: Record<string, string>;
  /** File → content. */
  files: Record<string, string>;
  /** Directory → program names installed there (each a ctsim executable). */
  programs: Record<string, string[]>;
  /** Path → program name (e.g. /bin/sh → dash). */
  aliases: Record<string, string>;
}

/**
 * Where the host keeps an image's unpacked layer. With user-namespace remapping the
 * layer is kept a second time with its owners shifted into the remapped range, as
 * docker's userns-remap does (/var/lib/docker/100000.100000/…), so that root in the
 * container owns its files.
 */
export const imageLayerDir = (name: string, idShift = 0): string => (idShift ? `/var/lib/ctsim/images/${idShift}.${idShift}/${name}/rootfs` : `/var/lib/ctsim/images/${name}/rootfs`);

/** The images ctsim ships, by name. */
export function listImages(): string[] {
  return readdirSync(fixturePath('images'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadImage(name: string): ImageSpec | null {
  const base = name.replace(/:.*$/, '');
  if (!listImages().includes(base)) return null;
  return readFixtureJson(`images/${base}.json`) as ImageSpec;
}

/**
 * The image's files as archive entries (paths relative to the layer's root), with only
 * the programs this ctsim has. Times are the epoch: images are reproducible.
 */
export function imageEntries(img: ImageSpec, programs: ReadonlySet<string>, idShift = 0): TarEntry[] {
  const out: TarEntry[] = [];
  const rel = (p: string): string => p.replace(/^\/+/, '');
  const base = { uid: idShift, gid: idShift, mtimeSec: 0 };
  for (const [d, mode] of Object.entries(img.dirs)) out.push({ ...base, path: rel(d), type: 'dir', mode: parseInt(mode, 8) });
  for (const [f, content] of Object.entries(img.files)) out.push({ ...base, path: rel(f), type: 'file', mode: 0o644, content });
  for (const [dir, names] of Object.entries(img.programs)) {
    for (const n of names) if (programs.has(n)) out.push({ ...base, path: rel(`${dir}/${n}`), type: 'file', mode: 0o755, content: binaryImage(n) });
  }
  for (const [p, n] of Object.entries(img.aliases)) if (programs.has(n)) out.push({ ...base, path: rel(p), type: 'file', mode: 0o755, content: binaryImage(n) });
  return out;
}
