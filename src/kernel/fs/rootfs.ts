/**
 * The root file system of a fresh boot: the text files of fixtures/rootfs/ (/etc/passwd,
 * /etc/group, …), the directories, links, modes and owners of fixtures/rootfs.json,
 * and one executable per program of the kernel's program table at its install paths —
 * a small Debian 12-like tree (usr-merged: /bin → usr/bin).
 *
 * The fixture is read from disk once per Node process and replayed into a fresh
 * simfs for every boot.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, readFixtureJson } from '../../sim/fixtures.js';
import { SimFs } from './simfs.js';
import type { SimVnode } from './simfs.js';
import { binaryImage, type ProgramTable } from '../exec/program-table.js';
import { SysError } from '../errno.js';
import type { FsIds, Vnode } from '../vfs/vnode.js';

type Mode = string | { mode: string; owner?: string };

interface Manifest {
  symlinks: Record<string, string>;
  dirs: Record<string, Mode>;
  files: Record<string, Mode>;
}

interface FixtureEntry {
  path: string;
  dir: boolean;
  content: string;
}

let cached: { entries: FixtureEntry[]; manifest: Manifest } | undefined;

function loadFixture(): { entries: FixtureEntry[]; manifest: Manifest } {
  if (cached) return cached;
  const base = fixturePath('rootfs');
  const entries: FixtureEntry[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = `${rel}/${d.name}`;
      if (d.isDirectory()) {
        entries.push({ path: p, dir: true, content: '' });
        walk(join(dir, d.name), p);
      } else if (d.isFile()) {
        entries.push({ path: p, dir: false, content: readFileSync(join(dir, d.name)).toString('latin1') });
      }
    }
  };
  walk(base, '');
  cached = { entries, manifest: readFixtureJson('rootfs.json') as Manifest };
  return cached;
}

function parseMode(m: Mode): { mode: number; uid: number; gid: number } {
  const spec = typeof m === 'string' ? { mode: m } : m;
  const [uid, gid] = (spec.owner ?? '0:0').split(':').map(Number);
  return { mode: parseInt(spec.mode, 8), uid, gid };
}

function lookupPath(fs: SimFs, path: string): Vnode | null {
  let v: Vnode = fs.root();
  for (const c of path.split('/').filter(Boolean)) {
    const n = v.lookup!(c);
    if (n instanceof SysError) return null;
    v = n;
  }
  return v;
}

/** Creates every missing directory of `path` (mkdir -p) and returns the last. */
function mkdirp(fs: SimFs, path: string, creds: FsIds, now: number): Vnode {
  let v: Vnode = fs.root();
  for (const c of path.split('/').filter(Boolean)) {
    const n = v.lookup!(c);
    v = n instanceof SysError ? (v.mkdir!(c, 0o755, creds, now) as Vnode) : n;
  }
  return v;
}

function writeFile(fs: SimFs, path: string, content: string, mode: number, creds: FsIds, now: number): Vnode {
  const slash = path.lastIndexOf('/');
  const dir = mkdirp(fs, path.slice(0, slash), creds, now);
  const name = path.slice(slash + 1);
  const existing = dir.lookup!(name);
  const vn = existing instanceof SysError ? (dir.create!(name, mode, creds, now) as SimVnode) : (existing as SimVnode);
  vn.node.truncate(0);
  vn.node.write(Buffer.from(content, 'latin1'), 0, content.length, 0);
  return vn;
}

/** Builds the root file system for a boot at realtime `nowNs`. */
export function buildRootfs(programs: ProgramTable, dev: number, nowNs: number, hostname: string): SimFs {
  const { entries, manifest } = loadFixture();
  const fs = new SimFs({ type: 'ext4', dev, source: '/dev/sda1', rootMode: 0o755, nowNs, options: 'errors=remount-ro' });
  const root: FsIds = { fsuid: 0, fsgid: 0 };
  for (const e of entries) {
    if (e.dir) mkdirp(fs, e.path, root, nowNs);
    else writeFile(fs, e.path, e.content, 0o644, root, nowNs);
  }
  writeFile(fs, '/etc/hostname', `${hostname}\n`, 0o644, root, nowNs);
  for (const [path, m] of Object.entries(manifest.dirs)) {
    const v = mkdirp(fs, path, root, nowNs);
    const { mode, uid, gid } = parseMode(m);
    v.setattr!({ mode, uid, gid, nowNs });
  }
  for (const [path, m] of Object.entries(manifest.files)) {
    const v = lookupPath(fs, path);
    if (!v) throw new Error(`fixtures/rootfs.json: ${path} is listed under "files" but not in fixtures/rootfs/`);
    const { mode, uid, gid } = parseMode(m);
    v.setattr!({ mode, uid, gid, nowNs });
  }
  for (const spec of programs.all()) {
    const [first, ...others] = spec.paths;
    const vn = writeFile(fs, first, binaryImage(spec.name), spec.mode ?? 0o755, root, nowNs);
    vn.setattr!({ mode: spec.mode ?? 0o755, nowNs });
    for (const p of others) {
      const slash = p.lastIndexOf('/');
      const dir = mkdirp(fs, p.slice(0, slash), root, nowNs);
      dir.link!(p.slice(slash + 1), vn, nowNs);
    }
  }
  for (const [path, target] of Object.entries(manifest.symlinks)) {
    const slash = path.lastIndexOf('/');
    const dir = mkdirp(fs, path.slice(0, slash), root, nowNs);
    const name = path.slice(slash + 1);
    if (dir.lookup!(name) instanceof SysError) dir.symlink!(name, target, root, nowNs);
  }
  fs.shareMemfsStamps();
  return fs;
}
