/**
 * Simulated programs: generators that yield operations to the kernel (DESIGN.md
 * decision 2). Each `yield` is one request — a user-mode CPU burst (a number of ns)
 * or a system call (an object with its number `nr`) — and evaluates to the kernel's
 * answer. The kernel decides when the program resumes.
 *
 *     function* hello(): Program {
 *       yield* sys.write(1, 'hi\n');   // typed helper around `yield {nr: NR.write, …}`
 *       yield 5_000;                   // 5 µs of computation
 *       return 0;                      // exit status
 *     }
 *
 * Simplification: a generator cannot be copied, so fork takes the child's entry
 * function, as clone(2)'s glibc wrapper does (`clone(fn, …)`); the child starts in
 * `fn` instead of returning 0 from the same call site.
 */

/** A system call request: its x86-64 number and named arguments. */
export interface SyscallRequest {
  readonly nr: number;
  readonly [arg: string]: unknown;
}

/** What a program yields: ns of user-mode computation, or a system call. */
export type Op = number | SyscallRequest;

/** A running program. Its return value is the exit status (0–255). */
export type Program = Generator<Op, number | void, unknown>;

/** What execve gives a program's entry point: argv (argv[0] first) and the environment. */
export interface ProgramArgs {
  readonly argv: readonly string[];
  /** Environment as `NAME=value` strings, in order. */
  readonly envp: readonly string[];
}

/** A program's entry point (`main`). */
export type ProgramMain = (args: ProgramArgs) => Program;

/** A signal handler: runs as a nested program on the task's stack, then returns (sigreturn). */
export type SignalHandler = (sig: number) => Program;
