/**
 * Everything one `ctsim run` does to a host, as data: the archives to bring in (the
 * image layer once, the bridge hook, the container's config.json and any root file
 * system) and the host-side script — a LogEntry that the CLI, the library and tests
 * apply the same way (host-log.ts applyEntry).
 */
import { createHash } from 'node:crypto';
import { buildTar, type TarEntry } from '../userland/programs/archive/tar-format.js';
import { CONTAINER_HOOK, CONTAINER_HOOK_PATH, containerHooks, containerDir, containerIdentity, dockerConfig, runScript, USERNS_MAP, type RunSpec } from './docker-run.js';
import { imageEntries, imageLayerDir, loadImage } from './images.js';
import type { LogEntry, Upload } from './host-log.js';
import type { OciConfig } from './oci/index.js';

/** The marker that starts a `ctsim run` script, so that later runs can be numbered. */
export const RUN_MARK = '# ctsim run ';

export interface RunPlan {
  id: string;
  name: string;
  config: OciConfig;
  script: string;
  entry: Omit<LogEntry, 'status' | 'atNs'>;
  /** The archives the entry's uploads name, by id. */
  blobs: Map<string, Buffer>;
}

/** A tar archive of `entries` and its SHA-256 (hex): the blob's key. */
function archive(entries: TarEntry[]): { key: string; bytes: Buffer } {
  const bytes = Buffer.from(buildTar(entries), 'latin1');
  return { key: createHash('sha256').update(bytes).digest('hex'), bytes };
}

/** Image layers already archived, by image, id shift and programs (a few: one per kind of run). */
const layers = new Map<string, { name: string; key: string; bytes: Buffer }>();
const LAYERS_MAX = 8;

/**
 * The archive of an image's layer, made once for a given image, id shift and program
 * set: it is the same bytes every time, and a host that starts thousands of
 * containers would otherwise read the image and build and hash ~100 KB per start.
 */
function imageLayer(image: string, programs: ReadonlySet<string>, shift: number): { name: string; key: string; bytes: Buffer } {
  const id = `${image}\0${shift}\0${[...programs].sort().join(',')}`;
  let layer = layers.get(id);
  if (!layer) {
    const img = loadImage(image)!;
    layer = { name: img.name, ...archive(imageEntries(img, programs, shift)) };
    if (layers.size >= LAYERS_MAX) layers.delete(layers.keys().next().value as string);
    layers.set(id, layer);
  }
  return layer;
}

/** Whether a logged entry was a `ctsim run` (to number the next one). */
export const isRunEntry = (e: { argv: string[] }): boolean => e.argv[0] === 'sh' && e.argv[2]?.startsWith(RUN_MARK) === true;

/**
 * Plans container number `seq` of a host with `seed`. `programs` are the program names
 * this ctsim has (an image holds only those); `rootfs` the entries of a root file
 * system from outside, when there is no image.
 */
export function planRun(spec: RunSpec, seq: number, seed: number, programs: ReadonlySet<string>, rootfs?: TarEntry[], volumes: { dest: string; entries: TarEntry[] }[] = []): RunPlan {
  const { id, name } = containerIdentity(seq, seed, spec.name);
  const config = dockerConfig(spec, id);
  containerHooks(config, id, spec);
  const script = `${RUN_MARK}${id}\n` + runScript(spec, id, name);
  const blobs = new Map<string, Buffer>();
  const put = (entries: TarEntry[]): string => {
    const { key, bytes } = archive(entries);
    blobs.set(key, bytes);
    return key;
  };
  const uploads: Upload[] = [];
  const shift = spec.userns ? USERNS_MAP.hostID : 0;
  if (spec.image) {
    const layer = imageLayer(spec.image, programs, shift);
    blobs.set(layer.key, layer.bytes);
    uploads.push({ dest: imageLayerDir(layer.name, shift), blob: layer.key, ifMissing: true });
  }
  const slash = CONTAINER_HOOK_PATH.lastIndexOf('/');
  uploads.push({ dest: CONTAINER_HOOK_PATH.slice(0, slash), blob: put([{ path: CONTAINER_HOOK_PATH.slice(slash + 1), type: 'file', mode: 0o755, uid: 0, gid: 0, mtimeSec: 0, content: CONTAINER_HOOK }]) });
  const own: TarEntry[] = [{ path: 'config.json', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeSec: 0, content: JSON.stringify(config, null, 2) }];
  // Under userns-remap the root file system's owners move into the remapped range (docker chowns it).
  if (rootfs) own.push(...rootfs.map((e) => (shift && e.path !== 'rootfs' && !e.path.startsWith('rootfs/') ? e : { ...e, uid: e.uid + shift, gid: e.gid + shift })));
  uploads.push({ dest: containerDir(id), blob: put(own) });
  for (const v of volumes) uploads.push({ dest: v.dest, blob: put(v.entries) });
  return { id, name, config, script, blobs, entry: { argv: ['sh', '-c', script], path: '/bin/sh', cwd: '/', uploads, stdin: '' } };
}
