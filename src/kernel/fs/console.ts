/**
 * /dev/console (5,1): the system console. What the kernel's own processes write
 * there (init's messages) is kept, and handed to a sink if one is attached.
 */
import type { Kernel } from '../kernel.js';
import type { FileOps } from '../vfs/file.js';
import { makedev } from '../vfs/types.js';

export class Console {
  /** Everything written to the console so far. */
  text = '';
  sink: ((bytes: string) => void) | null = null;
}

export function registerConsole(k: Kernel, con: Console): void {
  const ops: FileOps = {
    read: () => '',
    write(_k, _t, _f, data) {
      con.text += data;
      con.sink?.(data);
      return data.length;
    },
    seekable: () => 0,
  };
  k.chrdevs.set(makedev(5, 1), { name: 'console', open: () => ({ ops }) });
}
