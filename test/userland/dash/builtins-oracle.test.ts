/**
 * getopts and umask against black-box dash: fixtures/getopts-cases.json holds
 * random option strings and arguments with what /usr/bin/dash printed after each
 * of six getopts calls (status, variable, OPTARG, OPTIND, and its messages);
 * fixtures/umask-cases.json random masks and octal or symbolic operands with the
 * resulting mask in both notations (capture-dash.mjs). ctsim's sh must print the same.
 */
import { describe, expect, test } from 'vitest';
import { loadCases, runCases } from './dash-cases.js';
import { expectSh } from './helpers.js';

describe('getopts and umask match /usr/bin/dash', () => {
  test.each(['getopts-cases.json', 'umask-cases.json'])('%s', (name) => {
    const { cases, lines } = loadCases(name);
    const got = runCases(lines);
    const diffs = cases.flatMap((c, i) => (got[i].out === c.out && got[i].status === c.status ? [] : [{ case: lines[i], dash: c, ctsim: got[i] }]));
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});

describe('getopts', () => {
  test('OPTARG, OPTIND, then the variable are set; a failed assignment keeps the position', () => {
    expectSh('readonly o; set -- -a -b; getopts ab o; getopts ab o; echo "$OPTIND [${OPTARG-unset}]"', {
      out: '2 []\n',
      err: 'sh: 1: getopts: o: is read only\nsh: 1: getopts: o: is read only\n',
    });
    expectSh('readonly OPTARG; getopts a o -a; echo "$? $OPTIND [$o]"', { out: '2 1 []\n', err: 'sh: 1: getopts: OPTARG: is read only\n' });
  });

  test('OPTIND past the end of the arguments starts again; explicit arguments use the same position', () => {
    expectSh('set -- -a -b; OPTIND=4; getopts ab o; echo "$? $o $OPTIND"', { out: '0 a 2\n' });
    expectSh('set -- -a -b; OPTIND=3; getopts ab o; echo "$? $o $OPTIND"', { out: '1 ? 3\n' });
    expectSh('set -- -ab -c; getopts abc o; getopts abc o -c; echo "$? $o $OPTIND"', { out: '1 ? 2\n' });
  });

  test('a leading colon is silent and is itself an option letter; the name stops at "="', () => {
    expectSh('getopts ":" o -:; echo "$? $o [${OPTARG-u}]"; OPTIND=1; getopts "::" o -x; echo "$? $o [${OPTARG-u}]"', { out: '0 : []\n0 ? [x]\n' });
    expectSh('getopts a o=x -a; echo "[$o]"; getopts a "o x" -a', { out: '[a]\n', err: 'sh: 1: getopts: o x: bad variable name\n', status: 2 });
  });
});

describe('umask', () => {
  test('listings, octal and symbolic operands', () => {
    expectSh('umask 0022; umask; umask -S; umask u=g,g=u; umask; umask 17777; umask; umask -S 027; umask', {
      out: '0022\nu=rwx,g=rx,o=rx\n0202\n0777\n0027\n',
    });
    expectSh('umask 0027; umask a=X; umask; umask 0777; umask u+X; umask', { out: '0666\n0777\n' });
  });

  test('errors', () => {
    expectSh('umask 8; umask u+t; umask ,u=r; umask u=r,,g=; umask -x', {
      err: 'sh: 1: umask: Illegal number: 8\nsh: 1: umask: Illegal mode: u+t\nsh: 1: umask: Illegal mode: ,u=r\nsh: 1: umask: Illegal mode: u=r,,g=\nsh: 1: umask: Illegal option -x\n',
      status: 2,
    });
  });
});
