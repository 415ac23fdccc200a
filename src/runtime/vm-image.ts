/**
 * A VM as one file (`ctsim vm save NAME FILE`, `ctsim vm restore FILE`): everything a
 * VM is — configuration, memory, vCPU and device state — in a file that can be copied
 * to another machine and resumed there, on a host with other physical hardware.
 *
 * ctsim keeps state the way it keeps hosts (host-log.ts): not as bytes of guest memory
 * but as what made them. The image holds the source host's log up to the save (and the
 * archives it used); restoring replays that host in a simulation of its own — a
 * deterministic replay, like VMware's record/replay — to the instant of the save,
 * pauses the VM there, and moves it onto the destination host: its guest kernel joins
 * the destination's engine (the clocks meet at the later of the two times: a restored
 * guest sees the time it spent in the file pass at once), and a VMM there backs its
 * memory and runs it. Every process in the guest continues where it stopped.
 *
 *   { format: "ctsim-vm-image", version: 1, ctsim, name, config, savedAtNs,
 *     source: { log (host-log.ts, up to and with the save), saveIndex, blobs: { sha256: base64 } } }
 */
import { HostLogError, parseHostLog, prepareEntry, replayHostLog, type HostLog, type OutputSwitch } from './host-log.js';
import type { Host } from '../host.js';
import { VmOpError } from '../hypervisor/vm-manager.js';
import type { VmConfig } from '../hypervisor/vm-config.js';
import { toVmConfigDoc } from '../hypervisor/vm-config.js';
import { precopy } from '../hypervisor/migration.js';

export const VM_IMAGE_FORMAT = 'ctsim-vm-image';
export const VM_IMAGE_VERSION = 1;

export interface VmImage {
  format: typeof VM_IMAGE_FORMAT;
  version: typeof VM_IMAGE_VERSION;
  ctsim: string;
  /** The VM's name on the host it was saved from. */
  name: string;
  config: Record<string, unknown>;
  savedAtNs: number;
  source: { log: HostLog; saveIndex: number; blobs: Record<string, string> };
}

/** The blobs a log's entries refer to: archives they unpacked, images they restored. */
function blobIds(log: HostLog): Set<string> {
  const ids = new Set<string>();
  for (const e of log.entries) {
    for (const u of e.uploads) ids.add(u.blob);
    if (e.vm?.op === 'restore') ids.add(e.vm.blob);
  }
  return ids;
}

/** The image of VM `name`, saved by entry `saveIndex` of `log`, as the file's text. */
export function buildVmImage(log: HostLog, saveIndex: number, name: string, config: VmConfig, blob: (id: string) => string, version: string): string {
  const kept: HostLog = { ...log, entries: log.entries.slice(0, saveIndex + 1), nowNs: log.entries[saveIndex].atNs };
  const blobs: Record<string, string> = {};
  for (const id of blobIds(kept)) blobs[id] = Buffer.from(blob(id), 'latin1').toString('base64');
  const image: VmImage = {
    format: VM_IMAGE_FORMAT,
    version: VM_IMAGE_VERSION,
    ctsim: version,
    name,
    config: toVmConfigDoc(config),
    savedAtNs: log.entries[saveIndex].atNs,
    source: { log: kept, saveIndex, blobs },
  };
  return JSON.stringify(image);
}

/** Parses an image's text; throws HostLogError saying what is wrong with it. */
export function parseVmImage(text: string): VmImage {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HostLogError(`not valid JSON (${(e as Error).message}): the file is damaged`);
  }
  const d = doc as Partial<VmImage> | null;
  if (typeof d !== 'object' || d === null || d.format !== VM_IMAGE_FORMAT) throw new HostLogError(`not a ctsim VM image (no "format": "${VM_IMAGE_FORMAT}")`);
  if (d.version !== VM_IMAGE_VERSION) throw new HostLogError(`VM image version ${JSON.stringify(d.version)} is not the one this ctsim reads (${VM_IMAGE_VERSION})`);
  const src = d.source;
  if (typeof d.name !== 'string' || typeof d.config !== 'object' || d.config === null || typeof src !== 'object' || src === null || typeof src.saveIndex !== 'number' || typeof src.blobs !== 'object' || src.blobs === null) {
    throw new HostLogError('the image is damaged (name, config or source missing)');
  }
  const log = parseHostLog(JSON.stringify(src.log));
  const save = log.entries[src.saveIndex];
  if (!save || (save.vm?.op !== 'save' && save.vm?.op !== 'migrate') || save.vm.name !== d.name) throw new HostLogError('the image is damaged (its source log does not end with the save of its VM)');
  for (const id of blobIds(log)) if (typeof src.blobs[id] !== 'string') throw new HostLogError(`the image is damaged (archive ${id.slice(0, 12)} is missing)`);
  return d as VmImage;
}

const SILENT: OutputSwitch = { live: false, stdout: () => undefined, stderr: () => undefined };

/**
 * Restores `image` into `host` under `name`: replays its source host to the save,
 * pauses the VM there, brings both clocks to the same time and moves the VM over.
 */
export function restoreVmImage(host: Host, image: VmImage | (() => VmImage), name: string): void {
  // Refuse before anything moves: the name must be free here and a valid one.
  host.vms.checkNewName(name, true);
  if (typeof image === 'function') {
    try {
      image = image();
    } catch (e) {
      if (e instanceof HostLogError) throw new VmOpError(`the VM image is damaged: ${e.message}`);
      throw e;
    }
  }
  const blobs = (id: string): string => Buffer.from(image.source.blobs[id], 'base64').toString('latin1');
  const log = image.source.log;
  const save = log.entries[image.source.saveIndex];
  let src: Host;
  try {
    src = replayHostLog({ ...log, entries: log.entries.slice(0, image.source.saveIndex), nowNs: 0 }, { io: SILENT, blobs });
  } catch (e) {
    if (e instanceof HostLogError) throw new VmOpError(`the image cannot be replayed: ${e.message}`);
    throw e;
  }
  prepareEntry(src, save, blobs);
  const hv = src.vms.hosted(image.name);
  if (!hv || (hv.vm.machine.state !== 'running' && hv.vm.machine.state !== 'paused')) throw new VmOpError(`the image's VM "${image.name}" was not running when it was saved`);
  // A save pauses the VM where it is; a migration's image is taken after its copy, which
  // the replay makes again (the same rounds: it is deterministic) and which ends paused.
  // A VM saved while paused comes back paused (as virsh restore keeps the saved state).
  const wasPaused = hv.vm.machine.state === 'paused';
  if (save.vm?.op === 'migrate') precopy(src.engine, hv.vm.machine);
  else hv.vm.machine.pause();
  // The clocks meet at the later time: the guest's stay in the file passes at once. The
  // source host is not run past the save; if it was saved later than this host's time,
  // this host waits until then.
  if (src.now > host.now) host.engine.runUntil(src.now);
  const vcpus = new Set<unknown>(hv.vm.machine.cpus);
  host.engine.absorb(src.engine, (p) => vcpus.has(p));
  host.vms.adopt(name, hv.vm);
  if (wasPaused) host.vms.pause(name);
}
