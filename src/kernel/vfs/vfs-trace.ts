/**
 * The `vfs` trace category: what the VFS decided, one record per operation that
 * changed the name space or opened a file, and per path walk that failed (with the
 * component the walk stopped at, as path_resolution(7) describes the walk).
 *
 *   [    0.000711100] vfs open pid=2 path=/tmp/x flags=O_WRONLY|O_CREAT|O_TRUNC fd=3 fs=ext4
 *   [    0.001069621] vfs lookup-fail pid=3 path=/nope component=nope errno=ENOENT
 *
 * Each event has the same fields every time (JSON Lines consumers rely on it).
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import type { SysError } from '../errno.js';

/** Records a vfs event when the category is on. `fields` is built only then. */
export function traceVfs(k: Kernel, ev: string, t: Task, fields: () => Record<string, unknown>): void {
  const trace = k.engine.trace;
  if (!trace.on('vfs')) return;
  trace.emit('vfs', ev, { pid: t.tid, comm: t.comm, ...fields() });
}

/** A path walk that failed: the path, the component it stopped at ('' before the first), and the errno. */
export function traceLookupFail(k: Kernel, t: Task, path: string, component: string, e: SysError): void {
  traceVfs(k, 'lookup-fail', t, () => ({ path, component, errno: e.errno }));
}
