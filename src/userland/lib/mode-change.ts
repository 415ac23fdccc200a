/**
 * chmod(1) and mkdir -m mode specifications (GNU coreutils 9.1): the grammar of POSIX
 * chmod's symbolic modes plus GNU's numeric forms, compiled to a list of steps and
 * applied to a file's mode. Written from POSIX chmod, the coreutils manual ("File
 * permissions") and the real chmod's results (test/userland/sysutils/chmod-modes.test.ts).
 *
 *     spec    := "0…7777" (absolute octal, alone) | clause {"," clause}
 *     clause  := who* action+ | op octal          who := u g o a
 *     action  := op (perm* | u | g | o)           op := + - =      perm := r w x X s t
 *
 * Rules the steps follow, applied left to right to the mode as it stands:
 *  - The classes own these bits: u 04700, g 02070, o 01007 (the sticky bit goes with
 *    "other"), a all of them. With no who, +/- change all classes except the bits set
 *    in the umask; "=" clears every class and sets the value less the umask.
 *  - X is x when the file is a directory or has an execute bit when the step runs;
 *    u/g/o copy that class's current rwx into the named classes.
 *  - "=" on a directory keeps its set-user-ID and set-group-ID bits unless the value
 *    sets them; so does an absolute octal mode of fewer than five digits. An operator
 *    octal mode ("=755") or a five-digit one ("00755") clears them as on any file.
 *  - An operator octal mode ("+440", "=600") ignores the umask.
 */

/** A class's bits: its rwx and the special bit that goes with it. */
const CLASS_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 };
/** Where a class's rwx sits in the mode (for copies). */
const CLASS_SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 };
const PERM_BITS: Record<string, number> = { r: 0o444, w: 0o222, x: 0o111, s: 0o6000, t: 0o1000 };
const ALL_BITS = 0o7777;
const EXEC_BITS = 0o111;
const DIR_ID_BITS = 0o6000;

/** One compiled step: an operator applied to some classes. */
export interface ModeChange {
  readonly op: '+' | '-' | '=';
  /** The bits of the classes named; null when the clause names none (the umask filters). */
  readonly classes: number | null;
  /** Fixed bits the step applies (before the class mask). */
  readonly bits: number;
  /** X was given: execute bits too, for directories and already-executable files. */
  readonly conditionalExec: boolean;
  /** A copy of this class's current rwx ('u', 'g', 'o'), or null. */
  readonly copyOf: string | null;
  /** "=" on a directory keeps set-user-ID/set-group-ID bits the value does not set. */
  readonly keepsDirIds: boolean;
}

function step(op: ModeChange['op'], classes: number | null, fields: Partial<ModeChange> = {}): ModeChange {
  return { op, classes, bits: 0, conditionalExec: false, copyOf: null, keepsDirIds: op === '=', ...fields };
}

/** An octal number of at most 07777, or null. */
function octal(text: string): number | null {
  if (!/^[0-7]+$/.test(text)) return null;
  const v = parseInt(text, 8);
  return v <= ALL_BITS ? v : null;
}

/** Compiles one comma-separated clause onto `steps`; false if it is malformed. */
function compileClause(clause: string, steps: ModeChange[]): boolean {
  let i = 0;
  let classes: number | null = null;
  while (i < clause.length && 'ugoa'.includes(clause[i])) classes = (classes ?? 0) | CLASS_BITS[clause[i++]];
  if (i >= clause.length) return false;
  // An operator followed by digits: GNU's operator octal mode, the whole clause.
  if (classes === null && '+-='.includes(clause[0]) && /^[0-9]/.test(clause.slice(1))) {
    const v = octal(clause.slice(1));
    if (v === null) return false;
    steps.push(step(clause[0] as ModeChange['op'], ALL_BITS, { bits: v, keepsDirIds: false }));
    return true;
  }
  while (i < clause.length) {
    const op = clause[i++];
    if (!'+-='.includes(op)) return false;
    if (i < clause.length && 'ugo'.includes(clause[i])) {
      steps.push(step(op as ModeChange['op'], classes, { copyOf: clause[i++] }));
      continue;
    }
    let bits = 0;
    let conditionalExec = false;
    for (; i < clause.length && 'rwxXst'.includes(clause[i]); i++) {
      if (clause[i] === 'X') conditionalExec = true;
      else bits |= PERM_BITS[clause[i]];
    }
    steps.push(step(op as ModeChange['op'], classes, { bits, conditionalExec }));
  }
  return true;
}

/** Compiles a mode specification; null if it is not one. */
export function compileMode(spec: string): ModeChange[] | null {
  if (/^[0-9]+$/.test(spec)) {
    const v = octal(spec);
    if (v === null) return null;
    return [step('=', ALL_BITS, { bits: v, keepsDirIds: spec.length < 5 })];
  }
  const steps: ModeChange[] = [];
  for (const clause of spec.split(',')) if (!compileClause(clause, steps)) return null;
  return steps;
}

/**
 * Applies compiled steps to `oldMode` (only its permission bits matter). Returns the
 * new permission bits and `changedBits`: every bit some step set, cleared or assigned.
 */
export function adjustMode(oldMode: number, isDir: boolean, umask: number, changes: readonly ModeChange[]): { mode: number; changedBits: number } {
  let mode = oldMode & ALL_BITS;
  let changedBits = 0;
  for (const c of changes) {
    let value = c.bits;
    if (c.conditionalExec && (isDir || mode & EXEC_BITS)) value |= EXEC_BITS;
    if (c.copyOf !== null) value = ((mode >> CLASS_SHIFT[c.copyOf]) & 7) * 0o111;
    const reach = c.classes ?? ALL_BITS & ~umask;
    value &= reach;
    switch (c.op) {
      case '+':
        mode |= value;
        changedBits |= value;
        break;
      case '-':
        mode &= ~value;
        changedBits |= value;
        break;
      case '=': {
        let cleared = c.classes ?? ALL_BITS;
        if (isDir && c.keepsDirIds) cleared &= ~(DIR_ID_BITS & ~value);
        mode = (mode & ~cleared) | value;
        changedBits |= cleared;
        break;
      }
    }
  }
  return { mode, changedBits };
}
