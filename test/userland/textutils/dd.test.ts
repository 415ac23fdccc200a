/**
 * dd(1) in the simulator against the real GNU dd 9.1 (Debian 12, coreutils 9.1-1, run with
 * LC_ALL=C in a scratch directory holding f = "abcdefghij").
 *
 * GOLDEN rows were captured from the real dd: [setup, command, stdout, stderr, status,
 * contents of g afterwards (null if absent)], with each statistics line's time and rate
 * masked as "copied, <time>"; the simulator's masked lines must then have dd's shape.
 * TRANSFER rows were captured from the real dd with clock_gettime interposed
 * (LD_PRELOAD) to return a chosen interval: [bytes, nanoseconds, the "copied" line].
 */
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { sh } from '../../helpers/host.js';
import { defaultPrograms } from '../../../src/userland/index.js';
import { humanReadable, transferLine } from '../../../src/userland/programs/textutils/dd-numbers.js';

type Golden = [setup: string, command: string, stdout: string, stderr: string, status: number, g: string | null];

const GOLDEN: Golden[] = [
  ["", "dd if=f of=g", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g bs=4", "", "2+1 records in\n2+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g bs=3 count=2", "", "2+0 records in\n2+0 records out\n6 bytes copied, <time>\n", 0, "abcdef"],
  ["", "dd if=f of=g bs=3 skip=2", "", "1+1 records in\n1+1 records out\n4 bytes copied, <time>\n", 0, "ghij"],
  ["", "dd if=f of=g bs=4 skip=5", "", "dd: f: cannot skip to specified offset\n0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 0, ""],
  ["printf XXXXXXXXXXXXXXXX > g", "dd if=f of=g bs=4 seek=1 count=1", "", "1+0 records in\n1+0 records out\n4 bytes copied, <time>\n", 0, "XXXXabcd"],
  ["printf XXXXXXXXXXXXXXXX > g", "dd if=f of=g bs=4 seek=1 count=1 conv=notrunc", "", "1+0 records in\n1+0 records out\n4 bytes copied, <time>\n", 0, "XXXXabcdXXXXXXXX"],
  ["printf XXXXXXXXXXXXXXXX > g", "dd if=f of=g count=0", "", "0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 0, ""],
  ["printf XXXXXXXXXXXXXXXX > g", "dd if=f of=g seek=1 count=0 bs=4", "", "0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 0, "XXXX"],
  ["printf XXXX > g", "dd if=f of=g seek=2 bs=4 count=1 conv=notrunc", "", "1+0 records in\n1+0 records out\n4 bytes copied, <time>\n", 0, "XXXX\u0000\u0000\u0000\u0000abcd"],
  ["", "dd if=f of=g bs=4 seek=3 count=1", "", "1+0 records in\n1+0 records out\n4 bytes copied, <time>\n", 0, "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000abcd"],
  ["", "dd if=f of=g iseek=2 oseek=1 bs=3 count=1", "", "1+0 records in\n1+0 records out\n3 bytes copied, <time>\n", 0, "\u0000\u0000\u0000ghi"],
  ["", "dd if=f of=g ibs=3 obs=4", "", "3+1 records in\n2+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g ibs=3 obs=2 iflag=count_bytes count=5", "", "1+1 records in\n2+1 records out\n5 bytes copied, <time>\n", 0, "abcde"],
  ["", "dd if=f of=g bs=4 conv=sync", "", "2+1 records in\n3+0 records out\n12 bytes copied, <time>\n", 0, "abcdefghij\u0000\u0000"],
  ["", "dd if=f of=g ibs=4 obs=3 conv=sync", "", "2+1 records in\n4+0 records out\n12 bytes copied, <time>\n", 0, "abcdefghij\u0000\u0000"],
  ["", "dd if=f of=g bs=2 iflag=skip_bytes,count_bytes skip=3 count=4", "", "2+0 records in\n2+0 records out\n4 bytes copied, <time>\n", 0, "defg"],
  ["", "dd if=f of=g bs=4 count=5B", "", "1+1 records in\n1+1 records out\n5 bytes copied, <time>\n", 0, "abcde"],
  ["", "dd if=f of=g bs=4 skip=3B", "", "1+1 records in\n1+1 records out\n7 bytes copied, <time>\n", 0, "defghij"],
  ["printf XXXXXXXXXXXXXXXX > g", "dd if=f of=g bs=4 seek=3 oflag=seek_bytes count=1", "", "1+0 records in\n1+0 records out\n4 bytes copied, <time>\n", 0, "\u0000\u0000\u0000abcd"],
  ["printf XXXXXXXXXXXXXXXX > g", "dd if=f of=g bs=4 seek=3B count=1 conv=notrunc", "", "1+0 records in\n1+0 records out\n4 bytes copied, <time>\n", 0, "XXXabcdXXXXXXXXX"],
  ["", "dd if=f of=g bs=1 count=1", "", "1+0 records in\n1+0 records out\n1 byte copied, <time>\n", 0, "a"],
  ["", "dd if=f of=g bs=2x2", "", "2+1 records in\n2+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g bs=K count=1", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g iflag=fullblock bs=3", "", "3+1 records in\n3+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g oflag=sync,dsync,direct iflag=direct", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g conv=fsync,fdatasync", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f of=g conv=ucase", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "ABCDEFGHIJ"],
  ["", "printf 'Hello, World' | dd conv=lcase bs=5 status=none", "hello, world", "", 0, null],
  ["", "printf abc | dd bs=2 of=g", "", "1+1 records in\n1+1 records out\n3 bytes copied, <time>\n", 0, "abc"],
  ["", "printf abc | dd skip=5 bs=4 of=g", "", "dd: 'standard input': cannot skip to specified offset\n0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 0, ""],
  ["", "printf abcdefghij | dd bs=4 skip=1 of=g", "", "1+1 records in\n1+1 records out\n6 bytes copied, <time>\n", 0, "efghij"],
  ["", "(printf ab; sleep 0.2; printf cdefgh) | dd bs=4 count=2", "abcdef", "dd: warning: partial read (2 bytes); suggest iflag=fullblock\n1+1 records in\n1+1 records out\n6 bytes copied, <time>\n", 0, null],
  ["", "(printf ab; sleep 0.2; printf cdefgh) | dd bs=4 count=2 status=none", "abcdef", "", 0, null],
  ["", "(printf ab; sleep 0.2; printf cdefgh) | dd bs=4 count=2 iflag=fullblock", "abcdefgh", "2+0 records in\n2+0 records out\n8 bytes copied, <time>\n", 0, null],
  ["", "dd skip=1 bs=4 < f", "efghij", "1+1 records in\n1+1 records out\n6 bytes copied, <time>\n", 0, null],
  ["", "(dd bs=4 count=1 of=/dev/null status=none; cat) < f", "efghij", "", 0, null],
  ["", "dd if=f of=g status=noxfer", "", "0+1 records in\n0+1 records out\n", 0, "abcdefghij"],
  ["", "dd if=f of=g status=none", "", "", 0, "abcdefghij"],
  ["", "dd if=f of=g status=none,noxfer", "", "0+1 records in\n0+1 records out\n", 0, "abcdefghij"],
  ["", "dd if=f of=g conv=sparse bs=2", "", "5+0 records in\n5+0 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["printf 'ab\\0\\0\\0\\0' > h", "dd if=h of=g conv=sparse bs=2", "", "3+0 records in\n3+0 records out\n6 bytes copied, <time>\n", 0, "ab\u0000\u0000\u0000\u0000"],
  ["printf XY > g", "dd if=f of=g oflag=append conv=notrunc", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "XYabcdefghij"],
  ["printf XY > g", "dd if=f oflag=append conv=notrunc >> g", "", "0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "XYabcdefghij"],
  ["mkdir d", "dd if=d conv=noerror,sync count=2 bs=4 of=g", "", "dd: error reading 'd': Is a directory\n0+0 records in\n0+0 records out\n0 bytes copied, <time>\ndd: error reading 'd': Is a directory\n0+1 records in\n1+0 records out\n4 bytes copied, <time>\n0+2 records in\n2+0 records out\n8 bytes copied, <time>\n", 0, "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"],
  ["mkdir d", "dd if=d conv=noerror,sync count=2 bs=4 of=g status=none", "", "", 0, "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"],
  ["", "dd if=f of=/dev/full", "", "dd: error writing '/dev/full': No space left on device\n0+1 records in\n0+0 records out\n0 bytes copied, <time>\n", 1, null],
  ["", "dd if=f of=/dev/full bs=3", "", "dd: error writing '/dev/full': No space left on device\n1+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 1, null],
  ["", "dd if=/dev/zero of=/dev/full count=1", "", "dd: writing to '/dev/full': No space left on device\n1+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 1, null],
  ["mkdir d", "dd if=d of=g", "", "dd: error reading 'd': Is a directory\n0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 1, ""],
  ["printf X > g", "dd if=f of=g conv=excl", "", "dd: failed to open 'g': File exists\n", 1, "X"],
  ["", "dd if=f of=nope/g", "", "dd: failed to open 'nope/g': No such file or directory\n", 1, null],
  ["", "dd if=f of=g conv=nocreat", "", "dd: failed to open 'g': No such file or directory\n", 1, null],
  ["", "dd if=nonexist", "", "dd: failed to open 'nonexist': No such file or directory\n", 1, null],
  ["", "dd if=", "", "dd: failed to open '': No such file or directory\n", 1, null],
  ["", "ln -s f l; dd if=l iflag=nofollow of=g", "", "dd: failed to open 'l': Too many levels of symbolic links\n", 1, null],
  ["", "dd if=f iflag=directory of=g", "", "dd: failed to open 'f': Not a directory\n", 1, null],
  ["", "dd if=f status=none | dd of=g iflag=directory", "", "dd: setting flags for 'standard input': Not a directory\n", 1, null],
  ["", "dd if=f of=g bs=100G", "", "dd: memory exhausted by input buffer of size 107374182400 bytes (100 GiB)\n", 1, ""],
  ["", "dd if=/dev/zero obs=1E count=1 of=g", "", "dd: memory exhausted by output buffer of size 1152921504606846976 bytes (1.0 EiB)\n", 1, ""],
  ["", "dd of=g seek=5 bs=2E count=0", "", "dd: offset too large: cannot truncate to a length of seek=5 (2305843009213693952-byte) blocks\n", 1, null],
  ["", "dd if=f of=g count=0x5", "", "dd: warning: '0x' is a zero multiplier; use '00x' if that is intended\n0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 0, ""],
  ["", "dd if=f of=g bs=0x5", "", "dd: warning: '0x' is a zero multiplier; use '00x' if that is intended\ndd: invalid number: '0x5'\n", 1, null],
  ["", "dd foo", "", "dd: unrecognized operand 'foo'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd foo=bar", "", "dd: unrecognized operand 'foo=bar'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd if", "", "dd: unrecognized operand 'if'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd =x", "", "dd: unrecognized operand '=x'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd -", "", "dd: unrecognized operand '-'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd if=f -- -x", "", "dd: unrecognized operand '-x'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd --foo", "", "dd: unrecognized option '--foo'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd -x", "", "dd: invalid option -- 'x'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd --help=x", "", "dd: option '--help' doesn't allow an argument\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd bs=", "", "dd: invalid number: ''\n", 1, null],
  ["", "dd bs=abc", "", "dd: invalid number: 'abc'\n", 1, null],
  ["", "dd bs=0", "", "dd: invalid number: '0'\n", 1, null],
  ["", "dd ibs=0", "", "dd: invalid number: '0'\n", 1, null],
  ["", "dd cbs=0", "", "dd: invalid number: '0'\n", 1, null],
  ["", "dd count=-1", "", "dd: invalid number: '-1'\n", 1, null],
  ["", "dd seek=' -5'", "", "dd: invalid number: ' -5'\n", 1, null],
  ["", "dd bs=1x", "", "dd: invalid number: '1x'\n", 1, null],
  ["", "dd bs=5x0", "", "dd: invalid number: '5x0'\n", 1, null],
  ["", "dd bs=1x2x3", "", "dd: invalid number: '1x2x3'\n", 1, null],
  ["", "dd bs=1m", "", "dd: invalid number: '1m'\n", 1, null],
  ["", "dd bs=1Ki", "", "dd: invalid number: '1Ki'\n", 1, null],
  ["", "dd count=1BB", "", "dd: invalid number: '1BB'\n", 1, null],
  ["", "dd count=99999999999999999999999", "", "dd: invalid number: '99999999999999999999999': Value too large for defined data type\n", 1, null],
  ["", "dd bs=4Ex2", "", "dd: invalid number: '4Ex2': Value too large for defined data type\n", 1, null],
  ["", "dd bs=9223372036854775807", "", "dd: invalid number: '9223372036854775807': Value too large for defined data type\n", 1, null],
  ["", "dd conv=", "", "dd: invalid conversion: ''\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd conv=foo", "", "dd: invalid conversion: 'foo'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd conv=notrunc,", "", "dd: invalid conversion: ''\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd conv=notrunc,sync,noerror,fsync,fdatasync,bogus", "", "dd: invalid conversion: 'bogus'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd iflag=foo", "", "dd: invalid input flag: 'foo'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd iflag=binary", "", "dd: invalid input flag: 'binary'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd oflag=bogus", "", "dd: invalid output flag: 'bogus'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd oflag=fullblock", "", "dd: invalid output flag: 'fullblock'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd status=foo", "", "dd: invalid status level: 'foo'\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd status=", "", "dd: invalid status level: ''\nTry 'dd --help' for more information.\n", 1, null],
  ["", "dd conv=lcase,ucase", "", "dd: cannot combine lcase and ucase\n", 1, null],
  ["", "dd conv=excl,nocreat", "", "dd: cannot combine excl and nocreat\n", 1, null],
  ["", "dd iflag=direct,nocache", "", "dd: cannot combine direct and nocache\n", 1, null],
  ["", "dd if=f oflag=append of=g", "", "dd: you probably want conv=notrunc with oflag=append\n0+1 records in\n0+1 records out\n10 bytes copied, <time>\n", 0, "abcdefghij"],
  ["", "dd if=f seek=1 bs=4 2>e | cat; cat e >&2", "", "dd: 'standard output': cannot seek: Illegal seek\n0+0 records in\n0+0 records out\n0 bytes copied, <time>\n", 0, null],
  ["", "dd --version --foo", "dd (coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Paul Rubin, David MacKenzie, and Stuart Kemp.\n", "", 0, null],
];

const TRANSFER: [number, number, string][] = [
  [0, 1, "0 bytes copied, 1e-09 s, 0 B/s"],
  [0, 3, "0 bytes copied, 3e-09 s, 0.0 kB/s"],
  [0, 1000, "0 bytes copied, 1e-06 s, 0 B/s"],
  [0, 123456, "0 bytes copied, 0.000123456 s, 0.0 kB/s"],
  [0, 1000000000, "0 bytes copied, 1 s, 0 B/s"],
  [0, 3000000001, "0 bytes copied, 3 s, 0.0 kB/s"],
  [0, 3600000000000, "0 bytes copied, 3600 s, 0 B/s"],
  [1, 1, "1 byte copied, 1e-09 s, 1.0 GB/s"],
  [1, 3, "1 byte copied, 3e-09 s, 333 MB/s"],
  [1, 1000, "1 byte copied, 1e-06 s, 1.0 MB/s"],
  [1, 123456, "1 byte copied, 0.000123456 s, 8.1 kB/s"],
  [1, 1000000000, "1 byte copied, 1 s, 1 B/s"],
  [1, 3000000001, "1 byte copied, 3 s, 0.0 kB/s"],
  [1, 3600000000000, "1 byte copied, 3600 s, 0 B/s"],
  [999, 1, "999 bytes copied, 1e-09 s, 999 GB/s"],
  [999, 3, "999 bytes copied, 3e-09 s, 333 GB/s"],
  [999, 1000, "999 bytes copied, 1e-06 s, 999 MB/s"],
  [999, 123456, "999 bytes copied, 0.000123456 s, 8.1 MB/s"],
  [999, 1000000000, "999 bytes copied, 1 s, 999 B/s"],
  [999, 3000000001, "999 bytes copied, 3 s, 0.3 kB/s"],
  [999, 3600000000000, "999 bytes copied, 3600 s, 0 B/s"],
  [1000, 1, "1000 bytes (1.0 kB) copied, 1e-09 s, 1.0 TB/s"],
  [1000, 3, "1000 bytes (1.0 kB) copied, 3e-09 s, 333 GB/s"],
  [1000, 1000, "1000 bytes (1.0 kB) copied, 1e-06 s, 1.0 GB/s"],
  [1000, 123456, "1000 bytes (1.0 kB) copied, 0.000123456 s, 8.1 MB/s"],
  [1000, 1000000000, "1000 bytes (1.0 kB) copied, 1 s, 1.0 kB/s"],
  [1000, 3000000001, "1000 bytes (1.0 kB) copied, 3 s, 0.3 kB/s"],
  [1000, 3600000000000, "1000 bytes (1.0 kB) copied, 3600 s, 0 B/s"],
  [1023, 1, "1023 bytes (1.0 kB) copied, 1e-09 s, 1.0 TB/s"],
  [1023, 3, "1023 bytes (1.0 kB) copied, 3e-09 s, 341 GB/s"],
  [1023, 1000, "1023 bytes (1.0 kB) copied, 1e-06 s, 1.0 GB/s"],
  [1023, 123456, "1023 bytes (1.0 kB) copied, 0.000123456 s, 8.3 MB/s"],
  [1023, 1000000000, "1023 bytes (1.0 kB) copied, 1 s, 1.0 kB/s"],
  [1023, 3000000001, "1023 bytes (1.0 kB) copied, 3 s, 0.3 kB/s"],
  [1023, 3600000000000, "1023 bytes (1.0 kB) copied, 3600 s, 0 B/s"],
  [1024, 1, "1024 bytes (1.0 kB, 1.0 KiB) copied, 1e-09 s, 1.0 TB/s"],
  [1024, 3, "1024 bytes (1.0 kB, 1.0 KiB) copied, 3e-09 s, 341 GB/s"],
  [1024, 1000, "1024 bytes (1.0 kB, 1.0 KiB) copied, 1e-06 s, 1.0 GB/s"],
  [1024, 123456, "1024 bytes (1.0 kB, 1.0 KiB) copied, 0.000123456 s, 8.3 MB/s"],
  [1024, 1000000000, "1024 bytes (1.0 kB, 1.0 KiB) copied, 1 s, 1.0 kB/s"],
  [1024, 3000000001, "1024 bytes (1.0 kB, 1.0 KiB) copied, 3 s, 0.3 kB/s"],
  [1024, 3600000000000, "1024 bytes (1.0 kB, 1.0 KiB) copied, 3600 s, 0 B/s"],
  [10239, 1, "10239 bytes (10 kB, 10 KiB) copied, 1e-09 s, 10 TB/s"],
  [10239, 3, "10239 bytes (10 kB, 10 KiB) copied, 3e-09 s, 3.4 TB/s"],
  [10239, 1000, "10239 bytes (10 kB, 10 KiB) copied, 1e-06 s, 10 GB/s"],
  [10239, 123456, "10239 bytes (10 kB, 10 KiB) copied, 0.000123456 s, 82.9 MB/s"],
  [10239, 1000000000, "10239 bytes (10 kB, 10 KiB) copied, 1 s, 10 kB/s"],
  [10239, 3000000001, "10239 bytes (10 kB, 10 KiB) copied, 3 s, 3.4 kB/s"],
  [10239, 3600000000000, "10239 bytes (10 kB, 10 KiB) copied, 3600 s, 3 B/s"],
  [1048575, 1, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 1e-09 s, 1.0 PB/s"],
  [1048575, 3, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 3e-09 s, 350 TB/s"],
  [1048575, 1000, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 1e-06 s, 1.0 TB/s"],
  [1048575, 123456, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 0.000123456 s, 8.5 GB/s"],
  [1048575, 1000000000, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 1 s, 1.0 MB/s"],
  [1048575, 3000000001, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 3 s, 350 kB/s"],
  [1048575, 3600000000000, "1048575 bytes (1.0 MB, 1.0 MiB) copied, 3600 s, 291 B/s"],
  [3145728000, 1, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 1e-09 s, 3.1 EB/s"],
  [3145728000, 3, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 3e-09 s, 1.0 EB/s"],
  [3145728000, 1000, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 1e-06 s, 3.1 PB/s"],
  [3145728000, 123456, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 0.000123456 s, 25.5 TB/s"],
  [3145728000, 1000000000, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 1 s, 3.1 GB/s"],
  [3145728000, 3000000001, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 3 s, 1.0 GB/s"],
  [3145728000, 3600000000000, "3145728000 bytes (3.1 GB, 2.9 GiB) copied, 3600 s, 874 kB/s"],
];

/** A "bytes copied" line as print_xfer_stats writes it: %g seconds, a human_readable rate. */
const TRANSFER_LINE =
  /^(0|[2-9]|\d\d+) bytes copied|^1 byte copied|^\d+ bytes \(\d+(\.\d)? [kMGTPEZY]B(, \d+(\.\d)? [KMGTPEZY]iB)?\) copied/;
const TRANSFER_TAIL = /copied, (0|\d+(\.\d+)?(e-\d\d)?) s, (\d+(\.\d)? [kMGTPEZY]?B|Infinity B)\/s$/;

/** Runs `setup` then `command` in /tmp/w beside f = "abcdefghij"; returns what it printed and g. */
function runCase(setup: string, command: string): { stdout: string; stderr: string; status: number; g: string | null } {
  const script =
    `mkdir /tmp/w && cd /tmp/w && printf abcdefghij > f\n${setup}\n${command}\ns=$?\n` +
    "printf '\\n#g#'; if [ -e g ]; then cat g; else printf '#none#'; fi; exit $s";
  const r = sh(script);
  const at = r.stdout.lastIndexOf('\n#g#');
  const g = r.stdout.slice(at + 4);
  return { stdout: r.stdout.slice(0, at), stderr: r.stderr, status: r.status, g: g === '#none#' ? null : g };
}

/** The statistics lines "… copied, TIME s, RATE/s" of stderr. */
const transferLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes(' copied, '));
const mask = (stderr: string): string => stderr.replace(/copied, [^\n]*/g, 'copied, <time>');

describe('dd matches GNU dd 9.1', () => {
  for (const [setup, command, stdout, stderr, status, g] of GOLDEN) {
    test(`${setup ? setup + '; ' : ''}${command}`, () => {
      const r = runCase(setup, command);
      expect({ stdout: r.stdout, stderr: mask(r.stderr), status: r.status, g: r.g }).toEqual({ stdout, stderr, status, g });
      for (const line of transferLines(r.stderr)) {
        expect(line).toMatch(TRANSFER_LINE);
        expect(line).toMatch(TRANSFER_TAIL);
      }
    });
  }
});

describe('copying', () => {
  test('a copy has the bytes and the size of the original, in 512-byte records', () => {
    const r = sh('seq 2000 > /tmp/s; dd if=/tmp/s of=/tmp/c; cat /tmp/c; wc -c < /tmp/c');
    const seq = Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join('');
    expect(r.stdout).toBe(`${seq}${seq.length}\n`);
    expect(seq.length).toBe(8893);
    expect(mask(r.stderr)).toBe('17+1 records in\n17+1 records out\n8893 bytes (8.9 kB, 8.7 KiB) copied, <time>\n');
  });

  // Expected values below were checked against the real dd 9.1 too.
  test('standard input to standard output, through pipes', () => {
    const r = sh('seq 2000 | dd bs=1000 2>/dev/null | dd ibs=3 obs=7 count=4 2>/dev/null | wc -c; seq 3 | dd status=none');
    expect(r.stdout).toBe('12\n1\n2\n3\n');
  });

  test('a seekable standard input is left just after what dd read', () => {
    const r = sh('printf abcdefghij > /tmp/f; (dd bs=3 count=2 skip=1 status=none of=/dev/null; cat) < /tmp/f');
    // skip=1 and count=2 blocks of 3: dd read 9 bytes, cat gets the 10th.
    expect(r.stdout).toBe('j');
  });

  test('seek= on a new file leaves a hole of NULs, and truncates an old one there', () => {
    const r = sh(
      'cd /tmp; printf abcdefghij > f; dd if=f of=new bs=2 seek=3 count=1 status=none; cat new; echo; ' +
        'printf 0123456789 > old; dd if=f of=old bs=2 seek=1 count=1 status=none; cat old; echo; ' +
        'printf 0123456789 > keep; dd if=f of=keep bs=2 seek=1 count=1 conv=notrunc status=none; cat keep',
    );
    expect(r.stdout).toBe('\0\0\0\0\0\0ab\n01ab\n01ab456789');
  });

  test('each full block is one record; a short read is a partial one', () => {
    const r = sh('(printf abc; sleep 1; printf defgh; sleep 1; printf ij) | dd bs=4 of=/dev/null status=noxfer');
    // Reads: "abc" (partial), "defg", "h" (partial), "ij" (partial).
    expect(r.stderr).toBe('1+3 records in\n1+3 records out\n');
  });
});

describe('the statistics line', () => {
  test.each(TRANSFER)('%d bytes in %d ns', (bytes, ns, line) => {
    expect(transferLine(bytes, ns, false)).toBe(line);
  });

  test('no elapsed time gives an infinite rate', () => {
    expect(transferLine(1536, 0, false)).toBe('1536 bytes (1.5 kB, 1.5 KiB) copied, 0 s, Infinity B/s');
  });

  test('a progress update rounds the seconds to whole ones', () => {
    expect(transferLine(4, 1_505_160_000, true)).toBe('4 bytes copied, 2 s, 0.0 kB/s');
  });

  test('human_readable sizes as dd prints them (base 1000 and 1024)', () => {
    expect([999n, 1000n, 1023n, 1024n, 999999n, 1048576n, 10n ** 18n].map((n) => humanReadable(n, false))).toEqual([
      '999 B', '1.0 kB', '1.0 kB', '1.0 kB', '1.0 MB', '1.0 MB', '1.0 EB',
    ]);
    expect([1023n, 1024n, 1000000n, 107374182400n, 2n ** 60n].map((n) => humanReadable(n, true))).toEqual([
      '1023 B', '1.0 KiB', '977 KiB', '100 GiB', '1.0 EiB',
    ]);
  });

  test('the time is simulated time, the same on every run', () => {
    const script = 'printf abcdefghij > /tmp/f; dd if=/tmp/f of=/tmp/g';
    const first = sh(script).stderr;
    expect(sh(script).stderr).toBe(first);
    // Pinned from the simulator: open, read, write and close at ctsim's syscall costs.
    expect(first).toBe('0+1 records in\n0+1 records out\n10 bytes copied, 1.307e-06 s, 7.7 MB/s\n');
  });

  test('status=progress rewrites one line with \\r once a second, ended by the final statistics', () => {
    const r = sh('(printf ab; sleep 1.5; printf cd) | dd status=progress bs=2 of=/dev/null');
    expect(mask(r.stderr)).toBe('\r4 bytes copied, <time>\n2+0 records in\n2+0 records out\n4 bytes copied, <time>\n');
    expect(r.stderr.split('\n')[0]).toBe('\r4 bytes copied, 2 s, 0.0 kB/s');
  });
});

describe('ctsim specifics', () => {
  test('conversions ctsim does not model are refused by name', () => {
    const r = sh('dd conv=notrunc,ebcdic,swab </dev/null');
    expect([r.stderr, r.status]).toEqual(["dd: conv=ebcdic,swab is not supported by ctsim's dd\n", 1]);
  });

  test('--help is GNU dd 9.1\'s text byte for byte', () => {
    const r = sh('dd --help');
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(3367);
    expect(createHash('sha256').update(r.stdout, 'latin1').digest('hex')).toBe('63e24d951390f7a81c190a4c166eefb3df91ee4f8a734b3915d86de313a82a80');
  });

  test('--help and --version act where they stand, before a bad operand', () => {
    const r = sh('dd foo --help | head -1; dd bs=x --vers | head -1');
    expect(r.stdout).toBe('Usage: dd [OPERAND]...\ndd (coreutils) 9.1\n');
  });

  test('installed as /usr/bin/dd', () => {
    expect(defaultPrograms().get('dd')?.paths).toEqual(['/usr/bin/dd']);
  });
});
