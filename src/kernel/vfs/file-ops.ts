/**
 * Reference counting of open files: a descriptor closed, or a process exiting, drops
 * one reference; the last one releases the file (a pipe end closes, an unlinked
 * file's bytes go away).
 */
import type { Kernel } from '../kernel.js';
import type { OpenFile } from './file.js';

export function releaseFile(k: Kernel, f: OpenFile): void {
  f.refs--;
  if (f.refs === 0) f.ops.release?.(k, f);
}

/** Takes another reference (dup, fork, SCM_RIGHTS). */
export function getFile(f: OpenFile): OpenFile {
  f.refs++;
  return f;
}
