/**
 * The wait(2) status word, as glibc's <sys/wait.h> macros read it: exit status in
 * bits 8–15 with the low 7 bits 0; a killing signal in the low 7 bits (bit 7 = core
 * dumped); 0x7f in the low byte for a stopped child (signal in bits 8–15); 0xffff for
 * a continued one. Shells report 128+signal for killed commands.
 */
export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 8;

export const exitedStatus = (code: number): number => (code & 0xff) << 8;
export const signaledStatus = (sig: number, core = false): number => (sig & 0x7f) | (core ? 0x80 : 0);
export const stoppedStatus = (sig: number): number => ((sig & 0xff) << 8) | 0x7f;
export const CONTINUED_STATUS = 0xffff;

export const WIFEXITED = (s: number): boolean => (s & 0x7f) === 0;
export const WEXITSTATUS = (s: number): number => (s >> 8) & 0xff;
export const WIFSIGNALED = (s: number): boolean => ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f;
export const WTERMSIG = (s: number): number => s & 0x7f;
export const WCOREDUMP = (s: number): boolean => (s & 0x80) !== 0;
export const WIFSTOPPED = (s: number): boolean => (s & 0xff) === 0x7f;
export const WSTOPSIG = (s: number): number => (s >> 8) & 0xff;
export const WIFCONTINUED = (s: number): boolean => s === 0xffff;

/** The shell's $? for a wait status: the exit code, or 128 + the signal (dash, bash). */
export function shellStatus(s: number): number {
  if (WIFEXITED(s)) return WEXITSTATUS(s);
  if (WIFSTOPPED(s)) return 128 + WSTOPSIG(s);
  return 128 + WTERMSIG(s);
}
