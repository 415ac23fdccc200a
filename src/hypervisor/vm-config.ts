/**
 * The VM configuration file of `ctsim vm`: a JSON document modelled on Firecracker's
 * `--config-file` (docs/getting-started.md, tests/framework/vm_config.json), with
 * ctsim's additions for what Firecracker has no words for (cpu-virt, mem-virt,
 * hypervisor, NIC model/VLAN/passthrough, copy-on-write drives).
 *
 * ```
 *   text ──JSON (line:column)──▶ doc ──schema (JSON path)──▶ rules ──profile defaults──▶ VmConfig
 *                                     fixtures/vm/vm-config.schema.json   (this file)
 * ```
 *
 * Two layers, as in runtime/oci: the draft-04 schema (shape, types, ranges, unknown
 * keys at every level), then the rules a schema cannot express (uniqueness, unicast
 * MACs, bt never with nested paging, …). Each problem is one InputError naming the
 * file, the path (`$.machine-config.vcpu_count`, `$.drives[0].drive_id`), what was
 * expected, what was found and a fix; the first problem found is reported.
 */
import ajvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError, UsageError, type InputErrorFacts } from '../sim/input-error.js';
import { readFixtureJson } from '../sim/fixtures.js';
import { describeValue, findJsonSyntaxError, pointerToSegments, TYPE_WORDS, type PathSegment } from '../runtime/oci/index.js';
import { findProfile, PROFILES, type Profile } from './profiles.js';

/** How the VMM virtualizes the CPU: binary translation, paravirtualization, hardware assist (VT-x/AMD-V). */
export type CpuVirt = 'bt' | 'pv' | 'hw';
/** How guest memory is virtualized: shadow page tables, or nested paging (EPT/NPT). */
export type MemVirt = 'shadow' | 'nested';
/** The NIC the guest drives: paravirtual virtio-net, or an emulated Intel e1000. */
export type NicModel = 'virtio' | 'e1000';

/** One block device of the VM (Firecracker's drive). */
export interface VmDrive {
  id: string;
  /** The image file on the host (`path_on_host`). */
  path: string;
  root: boolean;
  readOnly: boolean;
  format: 'raw' | 'cow';
  /** Invariant: null unless format is 'cow'. */
  backingFile: string | null;
}

/** One network interface of the VM. */
export interface VmNic {
  id: string;
  /** Lower-case `xx:xx:xx:xx:xx:xx`. Invariant: unicast, non-zero, unique in the VM. */
  mac: string;
  model: NicModel;
  /** The host tap device, or null when not attached. */
  hostDev: string | null;
  /** 802.1Q VLAN id 1..4094, or null for untagged. */
  vlan: number | null;
  /** VLANs the port carries tagged (a trunk), or [] (ctsim addition). */
  trunkVlans: number[];
  /** The host bridge (virtual switch) the tap joins, or null (ctsim addition). */
  switch: string | null;
  passthrough: boolean;
  /** Invariant: true only with passthrough. */
  sriovVf: boolean;
}

/** A validated VM configuration, with every default applied. */
export interface VmConfig {
  name: string;
  vcpus: number;
  memMib: number;
  kernelImage: string;
  bootArgs: string;
  initrd: string | null;
  drives: VmDrive[];
  nics: VmNic[];
  cpuVirt: CpuVirt;
  /** Invariant: never 'nested' with cpuVirt 'bt'. */
  memVirt: MemVirt;
  hypervisorType: 1 | 2;
  /** Profile name used for defaults ('kvm' when none given). */
  profile: string;
  /** Lower-case 3-octet MAC prefix, e.g. '52:54:00'. */
  macOui: string;
  /** huge_pages "2M": guest memory mapped with 2 MiB pages in the host table. */
  hugePages: boolean;
  balloonMib: number;
  serial: boolean;
}

/** Options of parseVmConfig. */
export interface VmConfigOptions {
  /** The VM's name (seeds generated MACs); default: the file name of `source` without `.json`. */
  name?: string;
  /** The profile when the document names none; default 'kvm'. */
  profile?: string;
}

/** The kernel command line when `boot_args` is absent: that of Firecracker's examples. */
export const DEFAULT_BOOT_ARGS = 'console=ttyS0 reboot=k panic=1';
const DEFAULT_PROFILE = 'kvm';
const SCHEMA_FIXTURE = 'vm/vm-config.schema.json';

const OUI_RE = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){2}$/;

// The document as the schema guarantees it (keys optional where the schema says so).
interface DriveDoc { drive_id: string; path_on_host: string; is_root_device: boolean; is_read_only?: boolean; format?: 'raw' | 'cow'; backing_file?: string | null }
interface NicDoc { iface_id: string; guest_mac?: string | null; host_dev_name?: string | null; model?: NicModel; vlan?: number | null; trunk_vlans?: number[]; switch?: string | null; passthrough?: boolean; sriov_vf?: boolean }
interface VmDoc {
  'boot-source': { kernel_image_path: string; boot_args?: string; initrd_path?: string | null };
  drives?: DriveDoc[];
  'machine-config': { vcpu_count: number; mem_size_mib: number; smt?: boolean; track_dirty_pages?: boolean; huge_pages?: 'None' | '2M' };
  'network-interfaces'?: NicDoc[];
  'cpu-virt'?: CpuVirt;
  'mem-virt'?: MemVirt;
  hypervisor?: { type?: 1 | 2; profile?: string; mac_oui?: string };
  balloon?: { amount_mib: number } | null;
  serial?: { enabled: boolean };
}

/**
 * Parses and validates a config document (already JSON.parse'd). `source` names the
 * file for errors. Throws InputError (the first problem) naming source, the JSON path,
 * what was expected, what was found and a fix. Defaults for cpu-virt, mem-virt,
 * hypervisor.type, the NIC model and the OUI come from the profile
 * (`hypervisor.profile`, else opts.profile, else 'kvm'); explicit keys override it.
 */
export function parseVmConfig(doc: unknown, source: string, opts: VmConfigOptions = {}): VmConfig {
  const fail = (path: string, expected: string, found: string, fix?: string): never => {
    throw new InputError({ source, path, expected, found, fix });
  };
  const optsProfile = opts.profile === undefined ? undefined : profileOption(opts.profile);
  const schemaError = firstSchemaError(doc, source);
  if (schemaError) throw new InputError(schemaError);
  const d = doc as VmDoc;

  // Profile and MAC prefix first: generated MACs need them.
  const hv = d.hypervisor ?? {};
  let profile = optsProfile ?? findProfile(DEFAULT_PROFILE)!;
  if (hv.profile !== undefined) {
    profile = findProfile(hv.profile) ?? fail('$.hypervisor.profile', `one of the profiles ${profileNames()}`, describeValue(hv.profile), 'use one of the listed names (they are case-sensitive)');
  }
  const macOui = (hv.mac_oui ?? profile.macOui).toLowerCase();
  if (isMulticast(macOui)) {
    fail('$.hypervisor.mac_oui', 'a unicast prefix (bit 0 of the first octet clear)', `${JSON.stringify(hv.mac_oui)} (a multicast prefix)`, `use "${clearMulticastBit(macOui)}"`);
  }

  const mc = d['machine-config'];
  for (const key of ['smt', 'track_dirty_pages'] as const) {
    if (mc[key] === true) {
      const what = key === 'smt' ? 'SMT siblings' : 'dirty-page tracking (diff snapshots)';
      fail(`$.machine-config.${key}`, `false (ctsim does not model Firecracker's ${what})`, 'true', `remove "${key}" or set it to false`);
    }
  }
  const hugePages = mc.huge_pages === '2M';
  if (hugePages && mc.mem_size_mib % 2 !== 0) {
    fail('$.machine-config.mem_size_mib', 'an even number of MiB with huge_pages "2M" (guest memory is backed by 2 MiB pages)', describeValue(mc.mem_size_mib), `use ${mc.mem_size_mib - 1} or ${mc.mem_size_mib + 1}, or "huge_pages": "None"`);
  }

  const drives = parseDrives(d.drives ?? [], fail);
  const name = opts.name ?? nameFromSource(source);
  const nics = parseNics(d['network-interfaces'] ?? [], { name, macOui, model: profile.nicModel }, fail);

  const cpuVirt = d['cpu-virt'] ?? profile.cpuVirt;
  const memVirt = d['mem-virt'] ?? profile.memVirt;
  const assigned = nics.findIndex((n) => n.passthrough);
  if (cpuVirt === 'bt' && assigned >= 0) {
    fail(`$.network-interfaces[${assigned}].passthrough`, 'no device assignment with cpu-virt "bt"', 'passthrough true', 'use cpu-virt "hw" (or "pv"): assigning a device needs an IOMMU (VT-d, 2008 and later), which binary translators predate');
  }
  if (cpuVirt === 'bt' && memVirt === 'nested') {
    const explicitMem = d['mem-virt'] !== undefined;
    fail(
      explicitMem ? '$.mem-virt' : '$.cpu-virt',
      'mem-virt "shadow" with cpu-virt "bt"',
      explicitMem ? 'mem-virt "nested"' : `cpu-virt "bt" with mem-virt "nested" (the default of the ${profile.name} profile)`,
      `${explicitMem ? 'set' : 'add'} "mem-virt": "shadow": binary translators predate nested paging (EPT/NPT, 2008); VMware's BT VMM used shadow page tables`,
    );
  }

  const balloonMib = d.balloon?.amount_mib ?? 0;
  if (balloonMib > mc.mem_size_mib) {
    fail('$.balloon.amount_mib', `at most mem_size_mib (${mc.mem_size_mib})`, describeValue(balloonMib), 'a balloon cannot take more memory than the guest has');
  }

  const boot = d['boot-source'];
  return {
    name,
    vcpus: mc.vcpu_count,
    memMib: mc.mem_size_mib,
    kernelImage: boot.kernel_image_path,
    bootArgs: boot.boot_args ?? DEFAULT_BOOT_ARGS,
    initrd: boot.initrd_path ?? null,
    drives,
    nics,
    cpuVirt,
    memVirt,
    hypervisorType: hv.type ?? profile.hypervisorType,
    profile: profile.name,
    macOui,
    hugePages,
    balloonMib,
    serial: d.serial?.enabled ?? true,
  };
}

/** Reads the text of a config file: JSON syntax errors reported with line:column, then parseVmConfig. */
export function parseVmConfigText(text: string, source: string, opts: VmConfigOptions = {}): VmConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const e = findJsonSyntaxError(text);
    const m = e ? /^expected (.*), found (.*)$/s.exec(e.message) : null;
    throw new InputError({
      source,
      path: e ? `${e.line}:${e.column}` : undefined,
      expected: m ? `valid JSON: ${m[1]}` : 'valid JSON',
      found: m ? m[2] : (e?.message ?? 'text that is not JSON'),
      fix: e ? `correct the JSON at line ${e.line}, column ${e.column}` : undefined,
    });
  }
  return parseVmConfig(doc, source, opts);
}

/**
 * The config back as a Firecracker-like document, every default written out (what
 * `ctsim vm inspect` prints and a saved VM file carries). The VM name is not part of
 * it: parseVmConfig(toVmConfigDoc(c), file, { name: c.name }) equals c.
 */
export function toVmConfigDoc(c: VmConfig): Record<string, unknown> {
  return {
    'boot-source': { kernel_image_path: c.kernelImage, boot_args: c.bootArgs, initrd_path: c.initrd },
    drives: c.drives.map((dr) => ({
      drive_id: dr.id,
      path_on_host: dr.path,
      is_root_device: dr.root,
      is_read_only: dr.readOnly,
      format: dr.format,
      ...(dr.backingFile === null ? {} : { backing_file: dr.backingFile }),
    })),
    'machine-config': { vcpu_count: c.vcpus, mem_size_mib: c.memMib, smt: false, track_dirty_pages: false, huge_pages: c.hugePages ? '2M' : 'None' },
    'network-interfaces': c.nics.map((n) => ({
      iface_id: n.id,
      // A whole assigned NIC has its own burnt-in address, not one of the configuration's.
      ...(n.passthrough && !n.sriovVf ? {} : { guest_mac: n.mac }),
      model: n.model,
      ...(n.hostDev === null ? {} : { host_dev_name: n.hostDev }),
      ...(n.vlan === null ? {} : { vlan: n.vlan }),
      ...(n.trunkVlans.length === 0 ? {} : { trunk_vlans: n.trunkVlans }),
      ...(n.switch === null ? {} : { switch: n.switch }),
      passthrough: n.passthrough,
      sriov_vf: n.sriovVf,
    })),
    'cpu-virt': c.cpuVirt,
    'mem-virt': c.memVirt,
    hypervisor: { type: c.hypervisorType, profile: c.profile, mac_oui: c.macOui },
    balloon: { amount_mib: c.balloonMib },
    serial: { enabled: c.serial },
  };
}

/**
 * Deterministic MAC for NIC `index` of VM `vmName` in `oui`: the OUI, then the low 24
 * bits of the 32-bit FNV-1a hash of the UTF-8 text `${vmName}/${index}`, passed through
 * MurmurHash3's finalizer. A pure function: no randomness, no clock.
 * Lower case, e.g. generateMac('52:54:00', 'web', 0) → '52:54:00:xx:xx:xx'.
 * Precondition: `oui` is three hex octets with bit 0 of the first clear; `index` ≥ 0.
 */
export function generateMac(oui: string, vmName: string, index: number): string {
  if (!OUI_RE.test(oui) || isMulticast(oui)) throw new RangeError(`generateMac: ${JSON.stringify(oui)} is not a unicast 3-octet OUI`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`generateMac: NIC index ${index} is not a non-negative integer`);
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`${vmName}/${index}`)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // FNV-1a alone changes mostly the low bits when only the last character differs
  // ("web/0" vs "web/1"); MurmurHash3's 32-bit finalizer spreads every input bit.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  const low24 = h & 0xffffff;
  const octets = [low24 >>> 16, (low24 >>> 8) & 0xff, low24 & 0xff].map((b) => b.toString(16).padStart(2, '0'));
  return `${oui.toLowerCase()}:${octets.join(':')}`;
}

type Fail = (path: string, expected: string, found: string, fix?: string) => never;

function parseDrives(docs: readonly DriveDoc[], fail: Fail): VmDrive[] {
  const idAt = new Map<string, number>();
  let rootAt: number | undefined;
  return docs.map((dd, i) => {
    const at = `$.drives[${i}]`;
    const prev = idAt.get(dd.drive_id);
    if (prev !== undefined) fail(`${at}.drive_id`, 'a drive_id no other drive uses', `${JSON.stringify(dd.drive_id)}, already the id of $.drives[${prev}]`, 'rename one of the drives');
    idAt.set(dd.drive_id, i);
    if (dd.is_root_device) {
      // Firecracker: "A root block device already exists!"
      if (rootAt !== undefined) fail(`${at}.is_root_device`, 'at most one root drive', `a second root drive (the first is $.drives[${rootAt}])`, 'set "is_root_device": false on all drives but one');
      rootAt = i;
    }
    const format = dd.format ?? 'raw';
    const backingFile = dd.backing_file ?? null;
    if (backingFile !== null && format !== 'cow') {
      fail(`${at}.backing_file`, 'a backing_file only with "format": "cow"', `format ${JSON.stringify(format)}`, 'add "format": "cow", or remove "backing_file" (a raw image is the whole disk)');
    }
    return { id: dd.drive_id, path: dd.path_on_host, root: dd.is_root_device, readOnly: dd.is_read_only ?? false, format, backingFile };
  });
}

function parseNics(docs: readonly NicDoc[], vm: { name: string; macOui: string; model: NicModel }, fail: Fail): VmNic[] {
  const idAt = new Map<string, number>();
  const macAt = new Map<string, number>();
  const devAt = new Map<string, number>();
  return docs.map((nd, i) => {
    const at = `$.network-interfaces[${i}]`;
    const firstId = idAt.get(nd.iface_id);
    if (firstId !== undefined) fail(`${at}.iface_id`, 'an iface_id no other interface uses', `${JSON.stringify(nd.iface_id)}, already the id of $.network-interfaces[${firstId}]`, 'rename one of the interfaces');
    idAt.set(nd.iface_id, i);

    const given = nd.guest_mac ?? null;
    const mac = given === null ? generateMac(vm.macOui, vm.name, i) : given.toLowerCase();
    if (given !== null && isMulticast(mac)) {
      fail(`${at}.guest_mac`, 'a unicast MAC (bit 0 of the first octet clear)', `${JSON.stringify(given)} (a multicast address)`, `use "${clearMulticastBit(mac)}"`);
    }
    if (given !== null && /^[0:]+$/.test(mac)) fail(`${at}.guest_mac`, 'a non-zero MAC (Linux rejects 00:00:00:00:00:00)', JSON.stringify(given), 'remove "guest_mac" to have one generated');
    const firstMac = macAt.get(mac);
    if (firstMac !== undefined) {
      const how = given === null ? `the generated ${mac}` : JSON.stringify(given);
      fail(`${at}.guest_mac`, 'a MAC no other interface uses', `${how}, already the MAC of $.network-interfaces[${firstMac}]`, 'give the interfaces different "guest_mac" values');
    }
    macAt.set(mac, i);

    const hostDev = nd.host_dev_name ?? null;
    if (hostDev !== null) {
      const firstDev = devAt.get(hostDev);
      if (firstDev !== undefined) fail(`${at}.host_dev_name`, 'a tap device no other interface uses', `${JSON.stringify(hostDev)}, already used by $.network-interfaces[${firstDev}]`, 'give each interface its own tap device');
      devAt.set(hostDev, i);
    }
    const passthrough = nd.passthrough ?? false;
    const sriovVf = nd.sriov_vf ?? false;
    if (sriovVf && !passthrough) {
      fail(`${at}.sriov_vf`, 'sriov_vf only with "passthrough": true (a virtual function is a device assigned to the guest)', 'passthrough false', 'add "passthrough": true, or remove "sriov_vf"');
    }
    if (passthrough) {
      // The assigned NIC is the host's (or a VF of it): no tap, no virtual switch.
      if (hostDev === null) fail(`${at}.host_dev_name`, 'with "passthrough": the host NIC to assign (with "sriov_vf": the NIC whose virtual function to assign)', 'none', 'add "host_dev_name": "eth1"');
      if (nd.switch != null) fail(`${at}.switch`, 'no switch with "passthrough" (the guest drives the NIC itself, not a tap on a host bridge)', JSON.stringify(nd.switch), 'remove "switch", or "passthrough"');
      if (nd.trunk_vlans !== undefined && nd.trunk_vlans.length > 0) fail(`${at}.trunk_vlans`, 'no trunk_vlans with "passthrough" (the guest tags its own frames)', JSON.stringify(nd.trunk_vlans), 'remove "trunk_vlans"');
      if (!sriovVf && nd.vlan != null) fail(`${at}.vlan`, 'a port VLAN only on a virtual function ("sriov_vf": true): a whole NIC has none', JSON.stringify(nd.vlan), 'remove "vlan", or add "sriov_vf": true');
      if (!sriovVf && given !== null) fail(`${at}.guest_mac`, 'no guest_mac on a passed-through NIC: the guest sees its burnt-in address (a virtual function takes the one you give)', JSON.stringify(given), 'remove "guest_mac", or add "sriov_vf": true');
    }
    if (nd.vlan != null && nd.trunk_vlans !== undefined && nd.trunk_vlans.length > 0) {
      fail(`${at}.trunk_vlans`, 'either vlan (an access port) or trunk_vlans (a trunk), not both', JSON.stringify(nd.trunk_vlans), 'remove one of them');
    }
    return { id: nd.iface_id, mac, model: nd.model ?? vm.model, hostDev, vlan: nd.vlan ?? null, trunkVlans: nd.trunk_vlans ?? [], switch: nd.switch ?? null, passthrough, sriovVf };
  });
}

function profileOption(name: string): Profile {
  const p = findProfile(name);
  if (!p) throw new UsageError({ source: '--profile', expected: `one of the profiles ${profileNames()}`, found: JSON.stringify(name), fix: 'use one of the listed names (they are case-sensitive)' });
  return p;
}

function profileNames(): string {
  return PROFILES.map((p) => p.name).join(', ');
}

/** True when bit 0 of the first octet (the I/G bit) is set: a group address. */
function isMulticast(macOrOui: string): boolean {
  return (parseInt(macOrOui.slice(0, 2), 16) & 1) === 1;
}

function clearMulticastBit(macOrOui: string): string {
  const first = (parseInt(macOrOui.slice(0, 2), 16) & 0xfe).toString(16).padStart(2, '0');
  return first + macOrOui.slice(2).toLowerCase();
}

function nameFromSource(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.json$/i, '');
  return name === '' ? 'vm' : name;
}

// ---- Schema layer ----------------------------------------------------------------

type AjvCtor = typeof ajvDraft04.default;
// ajv-draft-04 is CommonJS (see runtime/oci/schema-validator.ts for the same dance).
const ajvModule: unknown = ajvDraft04;
const Ajv04: AjvCtor = ((ajvModule as { default?: AjvCtor }).default ?? ajvModule) as AjvCtor;

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  // allErrors: pick the most telling error (see firstSchemaError); verbose: errors carry
  // the offending value and the schema around it (allowed keys, both bounds).
  validator ??= new Ajv04({ allErrors: true, verbose: true, strict: false, logger: false }).compile(readFixtureJson(SCHEMA_FIXTURE) as object);
  return validator;
}

/**
 * The one schema error to report: the first unknown key if there is one (a misspelt
 * key, "boot_source", also makes the real one "missing", and the rename is the fix),
 * else the first error in schema order.
 */
function firstSchemaError(doc: unknown, source: string): InputErrorFacts | null {
  const validate = compiled();
  if (validate(doc)) return null;
  const errors = validate.errors ?? [];
  const e = errors.find((x) => x.keyword === 'additionalProperties') ?? errors[0];
  return e ? schemaFacts(e, doc, source) : { source, expected: 'a VM configuration', found: describeValue(doc) };
}

/** `$.machine-config.vcpu_count`, `$.drives[0].drive_id`, `$["odd key"]`. */
export function formatVmPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}


const PATTERN_WORDS: Readonly<Record<string, string>> = {
  '^[A-Za-z0-9_]+$': 'an id of letters, digits and _',
  '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$': 'a MAC address of six hex octets like "52:54:00:12:34:56"',
  '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){2}$': 'a MAC prefix of three hex octets like "52:54:00"',
  '^[^/:\\s]{1,15}$': 'a Linux interface name (1 to 15 characters, no "/", ":" or spaces)',
};

/** What to add for a missing required key. */
const REQUIRED_EXAMPLES: Readonly<Record<string, string>> = {
  'boot-source': '"boot-source": {"kernel_image_path": "vmlinux"}',
  'machine-config': '"machine-config": {"vcpu_count": 1, "mem_size_mib": 128}',
  kernel_image_path: '"kernel_image_path": "vmlinux"',
  vcpu_count: '"vcpu_count": 1',
  mem_size_mib: '"mem_size_mib": 128',
  drive_id: '"drive_id": "rootfs"',
  path_on_host: '"path_on_host": "rootfs.img"',
  is_root_device: '"is_root_device": true',
  iface_id: '"iface_id": "eth0"',
  amount_mib: '"amount_mib": 0',
  enabled: '"enabled": true',
};

/** Firecracker settings that ctsim does not model, by key: an unknown key with a better fix. */
const FIRECRACKER_UNMODELLED = new Set([
  'cpu-config', 'vsock', 'logger', 'metrics', 'mmds-config', 'entropy', 'pmem', 'memory-hotplug',
  'partuuid', 'cache_type', 'io_engine', 'rate_limiter', 'socket',
  'rx_rate_limiter', 'tx_rate_limiter', 'mtu',
  'cpu_template', 'enable_thp',
  'deflate_on_oom', 'stats_polling_interval_s', 'free_page_hinting', 'free_page_reporting',
  'serial_out_path',
]);

function unknownKeyFix(key: string, allowed: readonly string[]): string {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const near = allowed.find((k) => squash(k) === squash(key));
  if (near) return `rename "${key}" to "${near}"`;
  if (FIRECRACKER_UNMODELLED.has(key)) return `remove "${key}": it is a Firecracker setting that ctsim does not model`;
  return `remove "${key}" or correct its spelling`;
}

interface SchemaNode { properties?: Record<string, unknown>; minimum?: number; maximum?: number }

function schemaFacts(e: ErrorObject, doc: unknown, source: string): InputErrorFacts {
  const segs = pointerToSegments(e.instancePath, doc);
  const path = formatVmPath(segs);
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  const found = describeValue(e.data);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      return { source, path: formatVmPath([...segs, key]), expected: `only the keys ${allowed.join(', ')}`, found: `the unknown key "${key}"`, fix: unknownKeyFix(key, allowed) };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return { source, path: formatVmPath([...segs, key]), expected: `the required key "${key}"`, found: 'nothing', fix: `add ${REQUIRED_EXAMPLES[key] ?? `"${key}"`} to ${path}` };
    }
    case 'type': {
      const types = Array.isArray(params.type) ? params.type.map(String) : String(params.type).split(',');
      return { source, path, expected: types.map((t) => TYPE_WORDS[t] ?? t).join(' or '), found };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { source, path, expected: `one of ${allowed}`, found };
    }
    case 'minimum':
    case 'maximum': {
      const range = parent.minimum !== undefined && parent.maximum !== undefined ? `an integer from ${parent.minimum} to ${parent.maximum}` : `a value ${String(params.comparison)} ${String(params.limit)}`;
      return { source, path, expected: range, found };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      return { source, path, expected: PATTERN_WORDS[pattern] ?? `a string matching /${pattern}/`, found };
    }
    case 'minLength':
      return { source, path, expected: 'a non-empty string', found };
    default:
      return { source, path, expected: `a value that ${e.message ?? 'is valid'}`, found };
  }
}
