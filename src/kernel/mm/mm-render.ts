/**
 * Memory as /proc shows it, in Linux 6.1's formats (proc(5)): /proc/meminfo,
 * /proc/vmstat, the Vm lines of /proc/PID/status, /proc/PID/statm and
 * /proc/PID/maps.
 *
 * Simplification: ctsim has no slab, vmalloc, huge pages or NUMA; those lines are
 * printed with the values a machine without them shows (mostly 0). /proc/vmstat
 * lists the counters ctsim keeps, in Linux's order, not all ~180 of Linux's.
 */
import type { Kernel } from '../kernel.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { major, minor } from '../vfs/types.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE, vmaPages, type MmStruct } from './mm-struct.js';
import { commitLimit, committedAs } from './vm.js';

const KB_PER_PAGE = PAGE_SIZE / 1024;
/** Kernel stack per task (THREAD_SIZE on x86-64). */
const KERNEL_STACK_KB = 16;


export function renderMeminfo(k: Kernel): string {
  const mem = k.mem;
  const total = mem.totalFrames * KB_PER_PAGE;
  const free = mem.freeFrames * KB_PER_PAGE;
  const file = mem.filePages * KB_PER_PAGE;
  const anon = mem.anonPages * KB_PER_PAGE;
  const swapTotal = mem.swap.slots * KB_PER_PAGE;
  const swapFree = mem.swap.freeSlots * KB_PER_PAGE;
  const committed = committedAs(k);
  const rows: [string, number | string][] = [
    ['MemTotal', total],
    ['MemFree', free],
    ['MemAvailable', free + file],
    ['Buffers', 0],
    ['Cached', file],
    ['SwapCached', 0],
    ['Active', anon + file],
    ['Inactive', 0],
    ['Active(anon)', anon],
    ['Inactive(anon)', 0],
    ['Active(file)', file],
    ['Inactive(file)', 0],
    ['Unevictable', 0],
    ['Mlocked', 0],
    ['SwapTotal', swapTotal],
    ['SwapFree', swapFree],
    ['Zswap', 0],
    ['Zswapped', 0],
    ['Dirty', 0],
    ['Writeback', 0],
    ['AnonPages', anon],
    ['Mapped', file],
    ['Shmem', 0],
    ['KReclaimable', 0],
    ['Slab', 0],
    ['SReclaimable', 0],
    ['SUnreclaim', 0],
    ['KernelStack', k.tasks.size * KERNEL_STACK_KB],
    ['PageTables', mem.tablePages * KB_PER_PAGE],
    ['NFS_Unstable', 0],
    ['Bounce', 0],
    ['WritebackTmp', 0],
    ['CommitLimit', commitLimit(k) * KB_PER_PAGE],
    ['Committed_AS', committed * KB_PER_PAGE],
    ['VmallocTotal', 34359738367],
    ['VmallocUsed', 0],
    ['VmallocChunk', 0],
    ['Percpu', k.machine.cpus.length * 40],
    ['HardwareCorrupted', 0],
    ['AnonHugePages', 0],
    ['ShmemHugePages', 0],
    ['ShmemPmdMapped', 0],
    ['FileHugePages', 0],
    ['FilePmdMapped', 0],
    ['HugePages_Total', ''],
    ['HugePages_Free', ''],
    ['HugePages_Rsvd', ''],
    ['HugePages_Surp', ''],
    ['Hugepagesize', 2048],
    ['Hugetlb', 0],
    ['DirectMap4k', Math.floor(k.machine.ramBytes / 1024)],
    ['DirectMap2M', 0],
    ['DirectMap1G', 0],
  ];
  // Counts print as "%8lu kB" after the padded name; the HugePages_ counts have no
  // unit, and HardwareCorrupted is "%5lu kB" after one space (fs/proc/meminfo.c).
  const render = ([name, v]: [string, number | string]): string => {
    if (v === '') return `${(name + ':').padEnd(16)}${'0'.padStart(8)}`;
    if (name === 'HardwareCorrupted') return `${name}: ${String(v).padStart(5)} kB`;
    return `${(name + ':').padEnd(16)}${String(v).padStart(8)} kB`;
  };
  return rows.map(render).join('\n') + '\n';
}

export function renderVmstat(k: Kernel): string {
  const mem = k.mem;
  const e = mem.events;
  const rows: [string, number][] = [
    ['nr_free_pages', mem.freeFrames],
    ['nr_zone_inactive_anon', 0],
    ['nr_zone_active_anon', mem.anonPages],
    ['nr_zone_inactive_file', 0],
    ['nr_zone_active_file', mem.filePages],
    ['nr_zone_unevictable', 0],
    ['nr_zone_write_pending', 0],
    ['nr_mlock', 0],
    ['nr_inactive_anon', 0],
    ['nr_active_anon', mem.anonPages],
    ['nr_inactive_file', 0],
    ['nr_active_file', mem.filePages],
    ['nr_unevictable', 0],
    ['nr_anon_pages', mem.anonPages],
    ['nr_mapped', mem.filePages],
    ['nr_file_pages', mem.filePages],
    ['nr_dirty', 0],
    ['nr_writeback', 0],
    ['nr_shmem', 0],
    ['nr_kernel_stack', k.tasks.size * KERNEL_STACK_KB],
    ['nr_page_table_pages', mem.tablePages],
    ['nr_swapcached', 0],
    ['pgpgin', e.pswpin * KB_PER_PAGE],
    ['pgpgout', e.pswpout * KB_PER_PAGE],
    ['pswpin', e.pswpin],
    ['pswpout', e.pswpout],
    ['pgalloc_normal', e.pgalloc],
    ['pgfree', e.pgfree],
    ['pgfault', e.pgfault],
    ['pgmajfault', e.pgmajfault],
    ['pgreuse', 0],
    ['pgsteal_kswapd', 0],
    ['pgsteal_direct', e.pgsteal],
    ['pgscan_kswapd', 0],
    ['pgscan_direct', e.pgscan],
    ['oom_kill', e.oomKill],
    ['thp_fault_alloc', 0],
  ];
  return rows.map(([n, v]) => `${n} ${v}\n`).join('');
}

/** Per-area sums for status and statm, in pages. */
function areaSums(mm: MmStruct, exe: string): { data: number; stack: number; exe: number; lib: number } {
  let data = 0;
  let stack = 0;
  let exePages = 0;
  let lib = 0;
  for (const v of mm.vmas) {
    const n = vmaPages(v);
    if (v.growsDown) stack += n;
    else if (v.prot & PROT_WRITE) data += n;
    else if (v.prot & PROT_EXEC && v.file) {
      if (v.file.path === exe) exePages += n;
      else lib += n;
    }
  }
  return { data, stack, exe: exePages, lib };
}

/** The Vm and Rss lines of /proc/PID/status (task_mem()). */
export function renderStatusVm(mm: MmStruct, exe: string): string[] {
  const s = areaSums(mm, exe);
  const line = (name: string, pages: number): string => `${name}:\t${String(pages * KB_PER_PAGE).padStart(8)} kB`;
  return [
    line('VmPeak', Math.max(mm.hiwaterVm, mm.totalVm())),
    line('VmSize', mm.totalVm()),
    line('VmLck', 0),
    line('VmPin', 0),
    line('VmHWM', Math.max(mm.hiwaterRss, mm.rss)),
    line('VmRSS', mm.rss),
    line('RssAnon', mm.rssAnon),
    line('RssFile', mm.rssFile),
    line('RssShmem', 0),
    line('VmData', s.data),
    line('VmStk', s.stack),
    line('VmExe', s.exe),
    line('VmLib', s.lib),
    line('VmPTE', mm.ptPages),
    line('VmSwap', mm.swapEnts),
    line('HugetlbPages', 0),
  ];
}

/** /proc/PID/statm: size resident shared text lib data dt, in pages. */
export function renderStatmOf(mm: MmStruct | null, exe: string): string {
  if (!mm || mm.dead) return '0 0 0 0 0 0 0\n';
  const s = areaSums(mm, exe);
  return `${mm.totalVm()} ${mm.rss} ${mm.rssFile} ${s.exe} 0 ${s.data + s.stack} 0\n`;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** /proc/PID/maps: one line per area (show_map_vma()). */
export function renderMaps(mm: MmStruct | null): string {
  if (!mm || mm.dead) return '';
  let out = '';
  for (const v of mm.vmas) {
    const perms = `${v.prot & PROT_READ ? 'r' : '-'}${v.prot & PROT_WRITE ? 'w' : '-'}${v.prot & PROT_EXEC ? 'x' : '-'}p`;
    const dev = v.file ? `${hex(major(v.file.dev), 2)}:${hex(minor(v.file.dev), 2)}` : '00:00';
    const head = `${hex(v.start, 8)}-${hex(v.end, 8)} ${perms} ${hex(v.file ? v.pgoff : 0, 8)} ${dev} ${v.file ? v.file.ino : 0} `;
    const name = v.file ? v.file.path : v.name;
    out += name ? head.padEnd(73) + name + '\n' : head + '\n';
  }
  return out;
}
