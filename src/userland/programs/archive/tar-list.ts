/**
 * GNU tar 1.34's listing lines (list.c simple_print_header): the bare name for `-t`
 * and `-xv`, and the `ls -l`-like line for `-tv` and `-xvv`/`-cvv`:
 *
 *     -rw-r--r-- root/root         3 2025-01-01 00:00 a/b/f
 *     hrw-r--r-- root/root         0 2025-01-01 00:00 d/h1 link to d/h2
 *
 * The owner/size column is right-aligned to a width that starts at 19 and only grows
 * over the run ("ugswidth"), so one long owner name shifts every later line.
 */
import { TYPE, type Member } from './tar-format.js';
import { quoteEscape, permString } from './tar-names.js';
import { quote } from '../../lib/gnu-quote.js';
import { gmtime } from '../../lib/time.js';

/** The first character of the long line, from the type flag (not from the mode). */
function typeChar(m: Member): string {
  switch (m.typeflag) {
    case TYPE.GNU_VOLHDR: return 'V';
    case 'M': return 'M';
    case TYPE.GNU_LONGNAME:
    case TYPE.GNU_LONGLINK: return 'L';
    case 'S':
    case TYPE.REG:
    case TYPE.AREG: return m.name.endsWith('/') ? 'd' : '-';
    case TYPE.LNK: return 'h';
    case TYPE.GNU_DUMPDIR:
    case TYPE.DIR: return 'd';
    case TYPE.SYM: return 'l';
    case TYPE.BLK: return 'b';
    case TYPE.CHR: return 'c';
    case TYPE.FIFO: return 'p';
    case TYPE.CONT: return 'C';
    default: return '?';
  }
}

/** tartime(): "YYYY-MM-DD HH:MM" in local time, which is UTC on the simulated system. */
export function tarTime(sec: number): string {
  const t = gmtime(Math.floor(sec));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${String(t.year).padStart(4, '0')}-${p(t.mon + 1)}-${p(t.mday)} ${p(t.hour)}:${p(t.min)}`;
}

/** The verbose listing of one run: its column widths persist from line to line. */
export class Listing {
  /** Width of "user/group size", and of the date: list.c's ugswidth and datewidth. */
  private ugsWidth = 19;
  private dateWidth = 16;

  constructor(private readonly numericOwner: boolean) {}

  /** ugswidth + 1 + datewidth: where "Creating directory:" ends in -xvv output (print_for_mkdir). */
  columnsWidth(): number {
    return this.ugsWidth + 1 + this.dateWidth;
  }

  /** The short form: the name as archived, escaped. */
  static short(name: string): string {
    return quoteEscape(name) + '\n';
  }

  /**
   * The long form of a member: `name` is what to show (the archived name), `link`
   * the symlink or hard link target after tar's own transformations.
   */
  long(m: Member, name: string, link: string): string {
    const user = m.uname !== '' && m.format !== 'v7' && !this.numericOwner ? m.uname : String(m.uid);
    const group = m.gname !== '' && m.format !== 'v7' && !this.numericOwner ? m.gname : String(m.gid);
    const size = m.typeflag === TYPE.CHR || m.typeflag === TYPE.BLK ? `${m.devmajor},${m.devminor}` : String(m.size);
    const pad = user.length + 1 + group.length + 1 + size.length;
    if (pad > this.ugsWidth) this.ugsWidth = pad;
    const time = tarTime(m.mtimeSec);
    if (time.length > this.dateWidth) this.dateWidth = time.length;
    let line = `${typeChar(m)}${permString(m.mode)} ${user}/${group} ${size.padStart(this.ugsWidth - pad + size.length)} ${time.padEnd(this.dateWidth)} ${quoteEscape(name)}`;
    switch (m.typeflag) {
      case TYPE.SYM: line += ` -> ${quoteEscape(link)}`; break;
      case TYPE.LNK: line += ` link to ${quoteEscape(link)}`; break;
      case TYPE.GNU_VOLHDR: line += '--Volume Header--'; break;
      case TYPE.AREG: case TYPE.REG: case TYPE.CONT: case TYPE.DIR: case TYPE.FIFO: case TYPE.CHR: case TYPE.BLK:
      case TYPE.GNU_DUMPDIR: case 'S': break;
      default: line += ` unknown file type ${quote(m.typeflag)}`;
    }
    return line + '\n';
  }
}
