/**
 * `ctsim run`: docker run's flags turned into what docker does with them — an OCI
 * config.json (docker's defaults: its capability set, mounts, masked and read-only
 * paths, a cgroup under /ctsim, resources from -m/--cpus/--cpu-shares/--pids-limit),
 * an overlay root file system over a shared image layer, and a host-side shell
 * script that mounts it, sets the bridge network up from a createRuntime hook (as
 * libnetwork's prestart hook does) and runs `runc run`. The script runs in the
 * simulated host, so every step is a real (simulated) process: `ctsim run
 * --print-script` shows it.
 *
 * Pure: no file system, no host. src/commands/run.ts uploads and runs the result.
 */
import { createHash } from 'node:crypto';
import { runcDefaultSpec, type OciConfig, type OciMount } from './oci/index.js';
import { imageLayerDir } from './images.js';

export type NetworkMode = 'bridge' | 'none' | 'host';

export interface RunSpec {
  name?: string;
  /** An image ctsim ships (busybox, alpine). */
  image?: string;
  /** Or a root file system uploaded to the container's directory. */
  rootfsUploaded?: boolean;
  memoryBytes?: number;
  memorySwapBytes?: number;
  cpus?: number;
  cpuShares?: number;
  pidsLimit?: number;
  hostname?: string;
  /** uid[:gid] */
  user?: { uid: number; gid: number };
  network: NetworkMode;
  publish: { hostPort: number; containerPort: number }[];
  volumes: { hostPath: string; containerPath: string; readonly: boolean }[];
  /**
   * Devices of the simulated host given to the container (docker's --device HOST[:CONTAINER]).
   * Simplification: the host's device node is bind-mounted (as `-v /dev/sda:/dev/sda`
   * does), not made with mknod behind a device-cgroup rule.
   */
  devices?: { hostPath: string; containerPath: string }[];
  env: string[];
  /** Accepted for docker's habit: a stopped container is always removed (there is no `docker ps -a`). */
  rm: boolean;
  detach: boolean;
  userns: boolean;
  cmd: string[];
  workdir?: string;
}

/** docker's default capabilities (moby/oci/caps/defaults.go). */
export const DOCKER_DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** docker's masked and read-only paths (moby/oci/defaults.go). */
const DOCKER_MASKED = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
const DOCKER_READONLY = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** The user namespace mapping of docker's userns-remap (the "dockremap" subordinate range). */
export const USERNS_MAP = { containerID: 0, hostID: 100000, size: 65536 };

const ADJECTIVES = ['admiring', 'bold', 'brave', 'clever', 'eager', 'focused', 'gallant', 'happy', 'jolly', 'keen', 'lucid', 'modest', 'nifty', 'quirky', 'serene', 'vibrant'];
const SURNAMES = ['babbage', 'curie', 'dijkstra', 'einstein', 'goldberg', 'hopper', 'lamport', 'liskov', 'lovelace', 'mccarthy', 'popek', 'ritchie', 'thompson', 'torvalds', 'turing', 'wozniak'];

/** A container id (64 hex digits) and docker-like name, derived from a sequence number: deterministic. */
export function containerIdentity(seq: number, seed: number, name?: string): { id: string; name: string } {
  const id = createHash('sha256').update(`ctsim-container:${seed}:${seq}:${name ?? ''}`).digest('hex');
  const n = parseInt(id.slice(0, 8), 16);
  return { id, name: name ?? `${ADJECTIVES[n % 16]}_${SURNAMES[(n >>> 4) % 16]}${seq > 0 ? `_${seq}` : ''}` };
}

/** Where the host keeps a container (docker: /var/lib/docker/containers/ID). */
export const containerDir = (id: string): string => `/var/lib/ctsim/containers/${id}`;

/**
 * Where the simulated host keeps the copy of a directory of this machine bound with -v
 * (its own place, so that it never mixes with the host's own /tmp or /etc).
 */
export const volumeDir = (hostPath: string): string => `/var/lib/ctsim/volumes/${createHash('sha256').update(hostPath).digest('hex').slice(0, 16)}`;

/** The OCI configuration docker would hand runc for these flags. */
export function dockerConfig(spec: RunSpec, id: string, imageEnv: string[] = []): OciConfig {
  const c = runcDefaultSpec({ rootless: false, uid: 0, gid: 0 }) as OciConfig;
  const hostname = spec.hostname ?? id.slice(0, 12);
  c.process!.terminal = false;
  c.process!.args = spec.cmd.length ? spec.cmd : ['sh'];
  c.process!.env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOSTNAME=${hostname}`, ...imageEnv, ...spec.env];
  c.process!.cwd = spec.workdir ?? '/';
  c.process!.user = { uid: spec.user?.uid ?? 0, gid: spec.user?.gid ?? 0 };
  const caps = [...DOCKER_DEFAULT_CAPS];
  c.process!.capabilities = { bounding: caps, effective: caps, permitted: caps };
  c.process!.noNewPrivileges = false;
  c.process!.rlimits = [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }];
  c.root = { path: `${containerDir(id)}/rootfs`, readonly: false };
  c.hostname = hostname;
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'] },
  ];
  for (const f of ['resolv.conf', 'hostname', 'hosts']) {
    mounts.push({ destination: `/etc/${f}`, type: 'bind', source: `${containerDir(id)}/${f}`, options: ['rbind', 'rprivate'] });
  }
  for (const v of spec.volumes) mounts.push({ destination: v.containerPath, type: 'bind', source: volumeDir(v.hostPath), options: ['rbind', v.readonly ? 'ro' : 'rw', 'rprivate'] });
  for (const d of spec.devices ?? []) mounts.push({ destination: d.containerPath, type: 'bind', source: d.hostPath, options: ['bind', 'rw', 'rprivate'] });
  c.mounts = mounts;
  const namespaces = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }];
  if (spec.network !== 'host') namespaces.push({ type: 'network' });
  if (spec.userns) namespaces.push({ type: 'user' });
  const linux = c.linux!;
  linux.namespaces = namespaces as typeof linux.namespaces;
  if (spec.userns) {
    linux.uidMappings = [USERNS_MAP];
    linux.gidMappings = [USERNS_MAP];
  }
  linux.cgroupsPath = `/ctsim/${id}`;
  linux.maskedPaths = DOCKER_MASKED;
  linux.readonlyPaths = DOCKER_READONLY;
  const resources: NonNullable<typeof linux.resources> = {};
  if (spec.memoryBytes !== undefined) {
    // docker: --memory-swap defaults to twice --memory (as much swap as memory).
    resources.memory = { limit: spec.memoryBytes, swap: spec.memorySwapBytes ?? spec.memoryBytes * 2 };
  }
  if (spec.cpus !== undefined || spec.cpuShares !== undefined) {
    resources.cpu = {};
    if (spec.cpus !== undefined) {
      resources.cpu.period = 100000;
      resources.cpu.quota = Math.round(spec.cpus * 100000);
    }
    if (spec.cpuShares !== undefined) resources.cpu.shares = spec.cpuShares;
  }
  if (spec.pidsLimit !== undefined) resources.pids = { limit: spec.pidsLimit };
  linux.resources = resources;
  delete linux.seccomp;
  return c;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Where `ctsim run` has runc write its log (containerd: the shim's log.json under /run/containerd). */
export const RUNC_LOG_DIR = '/run/ctsim';

/**
 * The hooks docker's daemon would run around a container, as one host-side script:
 * `up` wires it to the ctsim0 bridge (docker0's stand-in) when it is created, as
 * libnetwork's prestart hook does; `down`, at delete, takes its published ports and
 * address back and removes its root file system and directory (docker rm).
 */
export const CONTAINER_HOOK = `#!/bin/sh
# ctsim's container hook: what dockerd and libnetwork do around a container.
# runc runs it with the container's state on stdin:
#   createRuntime: container-hook up DIR VETH [HOSTPORT:CONTAINERPORT...]
#   poststop:      container-hook down DIR [HOSTPORT:CONTAINERPORT...]
# A container on the bridge has "ADDRESS MAC" in DIR/network (dockerd keeps its
# network settings beside the container's config, in config.v2.json).
set -e
op=$1 dir=$2
shift 2
addr= mac=
if [ -e "$dir/network" ]; then read addr mac < "$dir/network" || :; fi
if [ "$op" = down ]; then
  if [ -n "$addr" ]; then
    for p in "$@"; do
      iptables -t nat -D PREROUTING -p tcp ! -i ctsim0 --dport "\${p%%:*}" -j DNAT --to-destination "$addr:\${p#*:}" || true
    done
    # The address goes back to the pool (172.17.X.Y is number X*256+Y).
    n=$(echo "$addr" | { IFS=. read a b c d; echo $((c * 256 + d)); })
    rm -f /var/lib/ctsim/network/ipam/$n
  fi
  umount "$dir/rootfs" 2>/dev/null || true
  # runc's log goes too, unless it holds the error of a start that failed (the script reads it).
  log=${RUNC_LOG_DIR}/\${dir##*/}.log
  if [ -s "$log" ]; then rm -rf "$dir"; else rm -rf "$dir" "$log"; fi
  exit 0
fi
veth=$1
shift
pid=$(sed -n 's/.*"pid":\\([0-9]*\\).*/\\1/p')
if [ ! -e /sys/class/net/ctsim0 ]; then
  ip -batch - <<EOF
link add ctsim0 type bridge
addr add 172.17.0.1/16 dev ctsim0
link set ctsim0 up
EOF
  echo 1 > /proc/sys/net/ipv4/ip_forward
  iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o ctsim0 -j MASQUERADE
fi
if ! ip link add "$veth" type veth peer name eth0 address "$mac" netns "$pid"; then
  # The name is the ID's first 7 hex digits, which two of thousands of containers may
  # share; as libnetwork draws again, take one from the MAC (unique on the bridge).
  veth=veth$(echo "\${mac#02:42:}" | tr -d :)
  ip link add "$veth" type veth peer name eth0 address "$mac" netns "$pid"
fi
ip link set "$veth" master ctsim0 up
# The container's side, in its network namespace: one ip for the three steps.
nsenter -t "$pid" -n ip -batch - <<EOF
addr add $addr/16 dev eth0
link set eth0 up
route add default via 172.17.0.1
EOF
for p in "$@"; do
  iptables -t nat -A PREROUTING -p tcp ! -i ctsim0 --dport "\${p%%:*}" -j DNAT --to-destination "$addr:\${p#*:}"
done
`;

export const CONTAINER_HOOK_PATH = '/usr/libexec/ctsim/container-hook';

/**
 * The host-side script for one `ctsim run`: the container's directory and files,
 * its root file system (an overlay over the image layer, or the uploaded tree), an
 * address from the bridge's pool, `runc run`, and — when it exits — the OOM verdict
 * and `runc delete` (whose poststop hook removes it).
 */
export function runScript(spec: RunSpec, id: string, name: string): string {
  const dir = containerDir(id);
  const hostname = spec.hostname ?? id.slice(0, 12);
  const lines = [
    'set -e',
    // docker refuses a name in use (status 125); the directory the upload made goes again.
    `if runc state ${q(name)} >/dev/null 2>&1; then echo "ctsim run: the container name \\"${name}\\" is already in use; remove that container (ctsim oci delete -f ${name}) or choose another --name" >&2; rm -rf ${dir}; exit 125; fi`,
    `d=${dir}`,
    // One mkdir for the container's directories (and the address pool's, on the bridge).
    `mkdir -p "$d/rootfs"${spec.image ? ' "$d/upper" "$d/work"' : ''}${spec.network === 'bridge' ? ' /var/lib/ctsim/network/ipam' : ''} ${RUNC_LOG_DIR}`,
  ];
  if (spec.image) {
    lines.push(`mount -t overlay overlay -o lowerdir=${imageLayerDir(spec.image, spec.userns ? USERNS_MAP.hostID : 0)},upperdir="$d/upper",workdir="$d/work" "$d/rootfs"`);
    // The writable layer's root belongs to the container's root, as the image layer's does.
    if (spec.userns) lines.push(`chown ${USERNS_MAP.hostID}:${USERNS_MAP.hostID} "$d/upper"`);
  }
  lines.push(`echo ${q(hostname)} > "$d/hostname"`, 'printf "nameserver 192.168.1.1\\n" > "$d/resolv.conf"');
  if (spec.network === 'bridge') {
    // docker's IPAM hands out addresses in order, going round the pool (172.17.0.2 …).
    lines.push(
      'ipam=/var/lib/ctsim/network/ipam',
      'n=1',
      'if [ -e $ipam/last ]; then read n < $ipam/last || :; fi',
      'tries=0',
      'while :; do n=$((n % 65534 + 1)); tries=$((tries + 1)); [ $n -gt 1 ] && [ ! -e $ipam/$n ] && break; if [ $tries -gt 65534 ]; then echo "ctsim run: no free address left in 172.17.0.0/16" >&2; exit 1; fi; done',
      'echo $n > $ipam/last',
      'echo "$d" > $ipam/$n',
      'addr=172.17.$((n / 256)).$((n % 256))',
      'mac=$(printf "02:42:ac:11:%02x:%02x" $((n / 256)) $((n % 256)))',
      `printf "127.0.0.1\\tlocalhost\\n::1\\tlocalhost ip6-localhost ip6-loopback\\n%s\\t%s\\n" "$addr" ${q(hostname)} > "$d/hosts"`,
      // Where the hooks find the address (dockerd's NetworkSettings, beside the config).
      'echo "$addr $mac" > "$d/network"',
    );
  } else {
    lines.push(`printf "127.0.0.1\\tlocalhost\\n::1\\tlocalhost ip6-localhost ip6-loopback\\n" > "$d/hosts"`);
  }
  lines.push('set +e');
  // When runc fails before there is a container, nothing runs its poststop hook: undo by hand.
  const ports = spec.publish.map((p) => ` ${p.hostPort}:${p.containerPort}`).join('');
  const undo = `${CONTAINER_HOOK_PATH} down "$d"${ports} </dev/null`;
  // A container that did not start: docker run's status from runc's error, as docker's
  // CLI reads it (runStartContainerErr): 127 not found, 126 not permitted, 125 otherwise.
  const failed = `status=125; if grep -q -e 'executable file not found' -e 'no such file or directory' "$log"; then status=127; elif grep -q -e 'permission denied' -e 'is a directory' "$log"; then status=126; fi; rm -f "$log"; ${undo}`;
  // runc logs its error to a file of its own, as containerd's shim has it do (--log): not
  // in the container's directory, which a failed start's poststop hook removes.
  const runc = 'runc --log "$log"';
  lines.push(`log=${RUNC_LOG_DIR}/${id}.log`);
  if (spec.detach) {
    lines.push(
      `${runc} run -d --bundle "$d" ${q(name)} </dev/null >/dev/null`,
      'status=$?',
      `if [ $status -eq 0 ]; then echo ${id}; elif ! runc state ${q(name)} >/dev/null 2>&1; then ${failed}; fi`,
      'exit $status',
    );
    return lines.join('\n') + '\n';
  }
  lines.push(
    `${runc} run --keep --bundle "$d" ${q(name)}`,
    'status=$?',
    `cg=/sys/fs/cgroup/ctsim/${id}`,
    // docker inspect's State.OOMKilled: an OOM kill happened in the container's cgroup.
    'kills=$(sed -n "s/^oom_kill //p" $cg/memory.events 2>/dev/null)',
    'if [ "${kills:-0}" -gt 0 ]; then',
    `  if [ $status -eq 137 ]; then what="its main process"; else what="$kills process(es) in it"; fi`,
    `  echo "ctsim run: the OOM killer killed $what: container ${name} reached memory.max ($(cat $cg/memory.max) bytes); see dmesg" >&2`,
    'fi',
    // Its poststop hook removes it (there is no `docker ps -a`: a stopped container is gone, as with --rm).
    `if runc state ${q(name)} >/dev/null 2>&1; then runc delete ${q(name)}; else ${failed}; fi`,
    'exit $status',
  );
  return lines.join('\n') + '\n';
}

/** The hooks added to a `ctsim run` container's config (they find the address and MAC in the container's directory). */
export function containerHooks(c: OciConfig, id: string, spec: RunSpec): void {
  const env = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'];
  const ports = spec.publish.map((p) => `${p.hostPort}:${p.containerPort}`);
  const bridge = spec.network === 'bridge';
  c.hooks = {
    ...(c.hooks ?? {}),
    ...(bridge ? { createRuntime: [{ path: CONTAINER_HOOK_PATH, args: ['container-hook', 'up', containerDir(id), `veth${id.slice(0, 7)}`, ...ports], env }] } : {}),
    poststop: [{ path: CONTAINER_HOOK_PATH, args: ['container-hook', 'down', containerDir(id), ...(bridge ? ports : [])], env }],
  };
}
