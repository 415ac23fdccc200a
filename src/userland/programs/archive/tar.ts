/**
 * tar(1), GNU tar 1.34 as Debian 12 ships it (`--format=gnu -f-`): -c creates a
 * GNU-format archive, -t lists one (`-tv` in the `ls -l`-like form), -x extracts
 * one — directories, files, symlinks, hard links, FIFOs and devices, with modes,
 * owners and times — from a ustar, GNU or pax archive. The archive is -f FILE, or
 * standard input/output by default; -C DIR changes directory first.
 *
 * Simplification: there is no compression program on the simulated system, so -z,
 * -j, -J, -Z and compressed archives fail as GNU tar fails without gzip.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isReg } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { out } from '../../lib/io.js';
import { UserDb } from '../../lib/passwd.js';
import { createArchive } from './tar-create.js';
import { extractArchive } from './tar-extract.js';
import { ArchiveWriter, Diag, FdBlockSource, TarFatal, compressorMissing, openArchiveForRead, openArchiveForWrite, type Gen } from './tar-io.js';
import { Listing } from './tar-list.js';
import { quoteEscape } from './tar-names.js';
import { parseTarCommand, type TarOptions } from './tar-options.js';
import { checkArchiveStart, forEachMember, skipMember } from './tar-read.js';

/** User CPU to start tar — a design choice. */
const TAR_NS = 30_000;

const VERSION =
  'tar (GNU tar) 1.34\n' +
  'Copyright (C) 2021 Free Software Foundation, Inc.\n' +
  'License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n' +
  'This is free software: you are free to change and redistribute it.\n' +
  'There is NO WARRANTY, to the extent permitted by law.\n\n' +
  'Written by John Gilmore and Jay Fenlason.\n';

/** GNU's --help, cut to the options this tar has (the lines are GNU's). */
const HELP =
  'Usage: tar [OPTION...] [FILE]...\n' +
  "GNU 'tar' saves many files together into a single tape or disk archive, and can\n" +
  'restore individual files from the archive.\n\n' +
  'Examples:\n' +
  '  tar -cf archive.tar foo bar  # Create archive.tar from files foo and bar.\n' +
  '  tar -tvf archive.tar         # List all files in archive.tar verbosely.\n' +
  '  tar -xf archive.tar          # Extract all files from archive.tar.\n\n' +
  ' Main operation mode:\n\n' +
  '  -c, --create               create a new archive\n' +
  '  -t, --list                 list the contents of an archive\n' +
  '  -x, --extract, --get       extract files from an archive\n\n' +
  ' Local file name selection:\n\n' +
  '  -C, --directory=DIR        change to directory DIR\n\n' +
  ' Overwrite control:\n\n' +
  '  -k, --keep-old-files       don\'t replace existing files when extracting,\n' +
  '                             treat them as errors\n' +
  '      --overwrite            overwrite existing files when extracting\n' +
  "      --skip-old-files       don't replace existing files when extracting,\n" +
  '                             silently skip over them\n\n' +
  ' Select output stream:\n\n' +
  '  -O, --to-stdout            extract files to standard output\n\n' +
  ' Handling of file attributes:\n\n' +
  "  -m, --touch                don't extract file modified time\n" +
  '      --no-same-owner        extract files as yourself (default for ordinary\n' +
  '                             users)\n' +
  "      --no-same-permissions  apply the user's umask when extracting permissions\n" +
  '                             from the archive (default for ordinary users)\n' +
  '      --numeric-owner        always use numbers for user/group names\n' +
  '  -p, --preserve-permissions, --same-permissions\n' +
  '                             extract information about file permissions\n' +
  '                             (default for superuser)\n' +
  '      --same-owner           try extracting files with the same ownership as\n' +
  '                             exists in the archive (default for superuser)\n\n' +
  ' Device selection and switching:\n\n' +
  '  -f, --file=ARCHIVE         use archive file or device ARCHIVE\n\n' +
  ' Compression options:\n\n' +
  '  -j, --bzip2                filter the archive through bzip2\n' +
  '  -J, --xz                   filter the archive through xz\n' +
  '      --zstd                 filter the archive through zstd\n' +
  '  -z, --gzip, --gunzip, --ungzip   filter the archive through gzip\n' +
  '  -Z, --compress, --uncompress   filter the archive through compress\n\n' +
  ' Local file selection:\n\n' +
  '  -h, --dereference          follow symlinks; archive and dump the files they\n' +
  '                             point to\n' +
  "  -P, --absolute-names       don't strip leading '/'s from file names\n\n" +
  ' File name transformations:\n\n' +
  '      --strip-components=NUMBER   strip NUMBER leading components from file\n' +
  '                             names on extraction\n\n' +
  ' Informative output:\n\n' +
  '  -v, --verbose              verbosely list files processed\n\n' +
  ' Compatibility options:\n\n' +
  '  -o                         when creating, same as --old-archive; when\n' +
  '                             extracting, same as --no-same-owner\n\n' +
  ' Other options:\n\n' +
  '  -?, --help                 give this help list\n' +
  '      --usage                give a short usage message\n' +
  '      --version              print program version\n\n' +
  'Mandatory or optional arguments to long options are also mandatory or optional\n' +
  'for any corresponding short options.\n\n' +
  '*This* tar defaults to:\n' +
  '--format=gnu -f- -b20 --quoting-style=escape --rmt-command=/usr/sbin/rmt\n' +
  '--rsh-command=/usr/bin/rsh\n';

const USAGE =
  'Usage: tar [-cxtvpPkOmhojJzZ?] [-C DIR] [-f ARCHIVE] [--create] [--list]\n' +
  '            [--extract] [--get] [--directory=DIR] [--file=ARCHIVE]\n' +
  '            [--keep-old-files] [--overwrite] [--skip-old-files] [--to-stdout]\n' +
  '            [--touch] [--no-same-owner] [--no-same-permissions]\n' +
  '            [--numeric-owner] [--preserve-permissions] [--same-permissions]\n' +
  '            [--same-owner] [--bzip2] [--xz] [--zstd] [--gzip] [--gunzip]\n' +
  '            [--ungzip] [--compress] [--uncompress] [--dereference]\n' +
  '            [--absolute-names] [--strip-components=NUMBER] [--verbose]\n' +
  '            [--help] [--usage] [--version] [FILE]...\n';

export function* tarMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'tar';
  yield TAR_NS;
  const cmd = yield* parseTarCommand(prog, argv.slice(1));
  if (cmd.kind === 'exit') return cmd.status;
  if (cmd.kind !== 'run') {
    yield* out(cmd.kind === 'help' ? HELP : cmd.kind === 'usage' ? USAGE : VERSION);
    return 0;
  }
  const o = cmd.options;
  // stdlis: the listing goes to standard error when standard output carries data.
  const d = new Diag(prog, o.toStdout || (o.subcommand === 'create' && o.archive === '-') ? 2 : 1);
  let db: UserDb | null = null;
  const users = function* (): Gen<UserDb> {
    db ??= yield* UserDb.load();
    return db;
  };
  try {
    if (o.subcommand === 'create') yield* runCreate(d, o, users);
    else yield* runRead(d, o, users);
  } catch (e) {
    if (!(e instanceof TarFatal)) throw e;
    yield* d.list.flush();
    return 2;
  }
  return yield* d.finish();
}

/** -C DIR for -t and -x: every one, in order, after the archive is open. */
function* changeDirectories(d: Diag, o: TarOptions): Gen<void> {
  for (const a of o.args) {
    if (!('dir' in a)) continue;
    const r = yield* sys.chdir(a.dir);
    if (r instanceof SysError) yield* d.fatal(`${quoteEscape(a.dir, true)}: Cannot open: ${r.message}`);
  }
}

function* runRead(d: Diag, o: TarOptions, users: () => Gen<UserDb>): Gen<void> {
  const fd = yield* openArchiveForRead(d, o.archive);
  const src = new FdBlockSource(fd, d, o.archive);
  yield* checkArchiveStart(d, src, o);
  yield* changeDirectories(d, o);
  const listing = new Listing(o.numericOwner);
  if (o.subcommand === 'list') {
    yield* forEachMember(d, src, o, function* (m, n) {
      yield* d.say(o.verbose > 0 ? listing.long(m, n.shown, n.link) : Listing.short(n.shown));
      yield* skipMember(d, src, m.size);
    });
    return;
  }
  const root = (yield* sys.geteuid()) === 0;
  const umask = (yield* sys.umask(0)) as number;
  yield* sys.umask(umask);
  yield* extractArchive({ o, d, src, listing, root, samePermissions: o.samePermissions ?? root, sameOwner: o.sameOwner ?? root, umask, users });
}

function* runCreate(d: Diag, o: TarOptions, users: () => Gen<UserDb>): Gen<void> {
  const fd = yield* openArchiveForWrite(d, o.archive);
  if (o.compressor !== null) yield* compressorMissing(d, o.compressor, true, false);
  const st = yield* sys.fstat(fd);
  const archive = !(st instanceof SysError) && isReg(st.mode) ? { dev: st.dev, ino: st.ino } : null;
  const owner = o.numericOwner ? null : yield* users();
  const longLinkOwner = { uname: owner?.userName(0) ?? '', gname: owner?.groupName(0) ?? '' };
  const w = new ArchiveWriter(fd, d, o.archive);
  yield* createArchive({ o, d, w, listing: new Listing(o.numericOwner), archive, users, longLinkOwner });
  if (fd !== 1) yield* sys.close(fd);
}
