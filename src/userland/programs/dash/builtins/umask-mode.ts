/**
 * The mode operand of dash's `umask` builtin (POSIX umask(1), chmod(1) symbolic
 * modes): an octal number, or clauses `[ugoa…](+|-|=)[rwxXs…|ugo…]…` separated by
 * commas, applied to the permissions the mask lets through. Behaviour taken from
 * /usr/bin/dash run as a black box:
 *
 * - an octal mask is taken modulo 01000; any other character in it is
 *   "Illegal number";
 * - with no who letters a clause applies to all of u, g and o (the mask itself
 *   does not filter it, unlike chmod);
 * - `X` and the copy letters `u` `g` `o` read the permissions as they were before
 *   the operand (`u=g,g=u` swaps nothing); `s` is accepted and has no effect on a
 *   mask; `t`, a clause with no operator, or an empty clause are "Illegal mode".
 *   A single trailing comma is accepted, and so is an empty operand (no change).
 *
 * Simplification: dash reads past the end of an operand whose last clause has no
 * operator (`ugo`, `u=r,g`), so it accepts or refuses those depending on memory
 * contents; ctsim always refuses them.
 */

/** Permission bits of each class (who letter). */
const CLASS_BITS: Readonly<Record<string, number>> = { u: 0o700, g: 0o070, o: 0o007, a: 0o777 };
/** Shift of each class's rwx triple in a mode. */
const CLASS_SHIFT: Readonly<Record<string, number>> = { u: 6, g: 3, o: 0 };
const PERM_BITS: Readonly<Record<string, number>> = { r: 4, w: 2, x: 1 };

/** The new mask for `operand` given the current `mask`, or the error text dash prints. */
export function parseUmaskOperand(operand: string, mask: number): number | { error: string } {
  const c0 = operand.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    if (!/^[0-7]+$/.test(operand)) return { error: `Illegal number: ${operand}` };
    return parseInt(operand.slice(-3), 8);
  }
  const allowed = applySymbolic(operand, ~mask & 0o777);
  return allowed === null ? { error: `Illegal mode: ${operand}` } : ~allowed & 0o777;
}

/** Applies symbolic clauses to the permission bits `before`; null if the text is not a valid mode. */
function applySymbolic(text: string, before: number): number | null {
  let perms = before;
  let i = 0;
  while (i < text.length) {
    let classes = 0;
    while (i < text.length && CLASS_BITS[text[i]] !== undefined) classes |= CLASS_BITS[text[i++]];
    if (classes === 0) classes = 0o777;
    let actions = 0;
    while (i < text.length && (text[i] === '+' || text[i] === '-' || text[i] === '=')) {
      const op = text[i++];
      let triple = 0;
      for (; i < text.length; i++) {
        const c = text[i];
        if (PERM_BITS[c] !== undefined) triple |= PERM_BITS[c];
        else if (c === 'X') triple |= before & 0o111 ? 1 : 0;
        else if (CLASS_SHIFT[c] !== undefined) triple |= (before >> CLASS_SHIFT[c]) & 7;
        else if (c !== 's') break;
      }
      const bits = (triple * 0o111) & classes;
      if (op === '+') perms |= bits;
      else if (op === '-') perms &= ~bits;
      else perms = (perms & ~classes) | bits;
      actions++;
    }
    if (actions === 0) return null;
    if (i === text.length) break;
    if (text[i] !== ',') return null;
    i++;
  }
  return perms;
}

/** The mask as `umask -S` prints it: the permissions it lets through, "u=rwx,g=rx,o=rx". */
export function symbolicMask(mask: number): string {
  const allowed = ~mask & 0o777;
  return ['u', 'g', 'o']
    .map((who) => {
      const t = (allowed >> CLASS_SHIFT[who]) & 7;
      return `${who}=${t & 4 ? 'r' : ''}${t & 2 ? 'w' : ''}${t & 1 ? 'x' : ''}`;
    })
    .join(',');
}
