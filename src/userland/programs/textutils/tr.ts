/**
 * tr(1), GNU coreutils 9.1: copies standard input to standard output, translating,
 * deleting and/or squeezing bytes. The strings are read by tr-set-syntax.ts and turned
 * into byte tables by tr-plan.ts; this file holds the command line (options must come
 * before the operands, as in GNU tr) and the copy loop.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, READ_CHUNK } from '../../lib/io.js';
import { quote } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { coreutilsVersion, helpOrVersion, HELP_VERSION, parseOptions, usageError, type Gen } from './cli.js';
import { makePlan, type TrOptions, type TrPlan } from './tr-plan.js';
import { TrSyntaxError } from './tr-set-syntax.js';

/** CPU time per byte copied, ns: a design choice. */
const TR_NS_PER_BYTE = 1;
/** CPU time to build the tables, ns. */
const TR_NS_SETUP = 3000;

const HELP =
  'Usage: tr [OPTION]... STRING1 [STRING2]\n' +
  'Translate, squeeze, and/or delete characters from standard input,\n' +
  'writing to standard output.  STRING1 and STRING2 specify arrays of\n' +
  'characters ARRAY1 and ARRAY2 that control the action.\n\n' +
  '  -c, -C, --complement    use the complement of ARRAY1\n' +
  '  -d, --delete            delete characters in ARRAY1, do not translate\n' +
  '  -s, --squeeze-repeats   replace each sequence of a repeated character\n' +
  '                            that is listed in the last specified ARRAY,\n' +
  '                            with a single occurrence of that character\n' +
  '  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2\n' +
  '      --help        display this help and exit\n' +
  '      --version     output version information and exit\n\n' +
  'ARRAYs are specified as strings of characters.  Most represent themselves.\n' +
  'Interpreted sequences are:\n\n' +
  '  \\NNN            character with octal value NNN (1 to 3 octal digits)\n' +
  '  \\\\              backslash\n' +
  '  \\a              audible BEL\n' +
  '  \\b              backspace\n' +
  '  \\f              form feed\n' +
  '  \\n              new line\n' +
  '  \\r              return\n' +
  '  \\t              horizontal tab\n' +
  '  \\v              vertical tab\n' +
  '  CHAR1-CHAR2     all characters from CHAR1 to CHAR2 in ascending order\n' +
  '  [CHAR*]         in ARRAY2, copies of CHAR until length of ARRAY1\n' +
  '  [CHAR*REPEAT]   REPEAT copies of CHAR, REPEAT octal if starting with 0\n' +
  '  [:alnum:]       all letters and digits\n' +
  '  [:alpha:]       all letters\n' +
  '  [:blank:]       all horizontal whitespace\n' +
  '  [:cntrl:]       all control characters\n' +
  '  [:digit:]       all digits\n' +
  '  [:graph:]       all printable characters, not including space\n' +
  '  [:lower:]       all lower case letters\n' +
  '  [:print:]       all printable characters, including space\n' +
  '  [:punct:]       all punctuation characters\n' +
  '  [:space:]       all horizontal or vertical whitespace\n' +
  '  [:upper:]       all upper case letters\n' +
  '  [:xdigit:]      all hexadecimal digits\n' +
  '  [=CHAR=]        all characters which are equivalent to CHAR\n\n' +
  'Translation occurs if -d is not given and both STRING1 and STRING2 appear.\n' +
  '-t may be used only when translating.  ARRAY2 is extended to length of\n' +
  'ARRAY1 by repeating its last character as necessary.  Excess characters\n' +
  'of ARRAY2 are ignored.  Character classes expand in unspecified order;\n' +
  'while translating, [:lower:] and [:upper:] may be used in pairs to\n' +
  'specify case conversion.  Squeezing occurs after translation or deletion.\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  'Full documentation <https://www.gnu.org/software/coreutils/tr>\n' +
  "or available locally via: info '(coreutils) tr invocation'\n";

/** The operand check: how many strings the options call for, with GNU's explanations. */
function operandError(operands: readonly string[], opts: TrOptions): string | null {
  const n = operands.length;
  if (n === 0) return 'missing operand';
  const needsTwo = opts.delete === opts.squeeze;
  if (n === 1 && needsTwo) {
    const why = opts.delete ? 'both deleting and squeezing repeats' : 'translating';
    return `missing operand after ${quote(operands[0])}\nTwo strings must be given when ${why}.`;
  }
  const max = opts.delete && !opts.squeeze ? 1 : 2;
  if (n > max) {
    const extra = `extra operand ${quote(operands[max])}`;
    return max === 1 ? `${extra}\nOnly one string may be given when deleting without squeezing repeats.` : extra;
  }
  return null;
}

export function* trMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const parsed = yield* parseOptions(
    prog,
    argv,
    [
      { short: 'c', long: 'complement', key: 'c' },
      { short: 'C', key: 'c' },
      { short: 'd', long: 'delete', key: 'd' },
      { short: 's', long: 'squeeze-repeats', key: 's' },
      { short: 't', long: 'truncate-set1', key: 't' },
      ...HELP_VERSION,
    ],
    1,
    { stopAtOperand: true },
  );
  if (typeof parsed === 'number') return parsed;
  const shown = yield* helpOrVersion(parsed, HELP, coreutilsVersion('tr', 'Written by Jim Meyering.'));
  if (shown !== null) return shown;
  const v = parsed.values;
  const opts: TrOptions = { complement: v.has('c'), delete: v.has('d'), squeeze: v.has('s'), truncate: v.has('t') };
  const operands = parsed.operands;
  const problem = operandError(operands, opts);
  if (problem !== null) return yield* usageError(prog, problem);
  const warnings: string[] = [];
  let plan: TrPlan;
  try {
    plan = makePlan(operands[0], operands.length > 1 ? operands[1] : null, opts, warnings);
  } catch (e) {
    if (!(e instanceof TrSyntaxError)) throw e;
    yield* errOut(warnings.map((w) => `${prog}: ${w}\n`).join('') + `${prog}: ${e.message}\n`);
    return 1;
  }
  if (warnings.length > 0) yield* errOut(warnings.map((w) => `${prog}: ${w}\n`).join(''));
  yield TR_NS_SETUP;
  return yield* copy(prog, plan);
}

/** Reads standard input to its end, writing what the plan makes of it. */
function* copy(prog: string, plan: TrPlan): Gen<number> {
  const out = new OutBuffer(1, READ_CHUNK);
  const { map, deleteSet, squeezeSet } = plan;
  let last = -1;
  for (;;) {
    const chunk = yield* sys.read(0, READ_CHUNK);
    if (chunk instanceof SysError) {
      yield* out.flush();
      yield* errOut(`${prog}: read error: ${chunk.message}\n`);
      return 1;
    }
    if (chunk === '') break;
    yield chunk.length * TR_NS_PER_BYTE;
    let result = '';
    for (let i = 0; i < chunk.length; i++) {
      let c = chunk.charCodeAt(i) & 0xff;
      if (map) c = map[c];
      if (deleteSet && deleteSet[c]) continue;
      if (squeezeSet && squeezeSet[c] && c === last) continue;
      last = c;
      result += String.fromCharCode(c);
    }
    yield* out.write(result);
    if (out.error) break;
  }
  const e = yield* out.flush();
  if (e) {
    yield* errOut(`${prog}: write error: ${e.message}\n`);
    return 1;
  }
  return 0;
}
