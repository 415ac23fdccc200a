/**
 * Character devices: what opening a device node (/dev/null, /dev/tty, …) connects
 * to, found by the node's device number (major, minor) as Linux's chrdev table does.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import type { SysError } from '../errno.js';
import type { FileOps } from '../vfs/file.js';

export interface CharDevice {
  /** The name under /dev (`null`, `tty`, `pts/0`). */
  readonly name: string;
  open(k: Kernel, t: Task, flags: number): { ops: FileOps; priv?: unknown } | SysError;
}
