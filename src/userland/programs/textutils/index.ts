/**
 * Registers the text tools of GNU coreutils 9.1, grep 3.8, sed 4.9 and findutils'
 * xargs 4.9 at Debian 12's paths (all in /usr/bin; /bin is a symlink to it).
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import type { ProgramMain } from '../../../kernel/proc/program.js';
import { yesMain } from './yes.js';
import { basenameMain } from './basename.js';
import { dirnameMain } from './dirname.js';
import { seqMain } from './seq.js';
import { teeMain } from './tee.js';
import { headMain } from './head.js';
import { tailMain } from './tail.js';
import { wcMain } from './wc.js';
import { cutMain } from './cut.js';
import { trMain } from './tr.js';
import { sortMain } from './sort.js';
import { uniqMain } from './uniq.js';
import { grepMain } from './grep.js';
import { sedMain } from './sed.js';
import { xargsMain } from './xargs.js';
import { exprMain } from './expr.js';
import { ddMain } from './dd.js';

const PROGRAMS: [string, ProgramMain, string][] = [
  ['yes', yesMain, 'coreutils yes: [STRING]...'],
  ['basename', basenameMain, 'coreutils basename: -a -s -z, NAME [SUFFIX]'],
  ['dirname', dirnameMain, 'coreutils dirname: -z, NAME...'],
  ['seq', seqMain, 'coreutils seq: -f -s -w, FIRST [INCR] LAST (decimal and hex floats)'],
  ['tee', teeMain, 'coreutils tee: -a -i -p --output-error'],
  ['head', headMain, 'coreutils head: -n [-]N -c [-]N -q -v -z, obsolete -N'],
  ['tail', tailMain, 'coreutils tail: -n [+]N -c [+]N -q -v -z, obsolete -N/+N (no -f)'],
  ['wc', wcMain, 'coreutils wc: -l -w -m -c -L --files0-from'],
  ['cut', cutMain, 'coreutils cut: -b -c -f -d -s -z --complement --output-delimiter'],
  ['sort', sortMain, 'coreutils sort: -k -t -n -g -h -M -V -R -d -f -i -b -r -u -s -c -C -m -o -z (C locale)'],
  ['uniq', uniqMain, 'coreutils uniq: -c -d -D -u -i -f -s -w -z --all-repeated --group'],
  ['grep', grepMain, 'GNU grep 3.8: -E -F -G -P -e -f -i -v -w -x -c -l -L -o -q -s -n -b -H -h -m -r -R -A -B -C -z -Z -T --color --include --exclude'],
  ['sed', sedMain, 'GNU sed 4.9: -n -e -f -E -r -i -s -z -l --posix --sandbox; all commands incl. s y a i c b t T D N P h H g G x l = q Q r R w W e F z'],
  ['xargs', xargsMain, 'findutils xargs: -0 -a -d -E -e -I -i -L -l -n -P (sequential) -r -s -t -x'],
  ['tr', trMain, 'coreutils tr: -c -d -s -t, ranges, classes, [c*n], escapes'],
  ['dd', ddMain, 'coreutils dd: if of bs ibs obs count skip seek conv iflag oflag status (no ascii/ebcdic/ibm/block/unblock/swab)'],
  ['expr', exprMain, 'coreutils expr: | & comparisons + - * / % (any size), STRING : BRE, match substr index length'],
];

export function registerTextutils(t: ProgramTable): void {
  for (const [name, main, summary] of PROGRAMS) t.add({ name, main, paths: [`/usr/bin/${name}`], summary });
}
