/** The signature of a system-call handler: the kernel, the calling task, the request. */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';

// The request's fields are read by name; each handler documents the fields it uses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (k: Kernel, t: Task, req: any) => unknown;

/** A table of handlers by syscall name (see numbers.ts). */
export type HandlerTable = Partial<Record<import('./numbers.js').SyscallName, Handler>>;
