/**
 * Shell variables (dash's var.c): a table of name → value with the export,
 * readonly and unset flags, `local` scopes, and the environment passed to exec.
 *
 * The environment lists exported variables in the order dash's hash table holds
 * them — bucket (first byte × 16 + sum of the name's bytes) mod 39, then insertion
 * order within a bucket — so `env` run from ctsim's sh prints what it prints on Debian.
 */

export const V_EXPORT = 1;
export const V_READONLY = 2;
/** Declared (export x / readonly x / local x) but without a value. */
export const V_UNSET = 4;

export interface Var {
  value: string;
  flags: number;
  /** Creation order, for dash's hash-chain order. */
  seq: number;
  /** dash's hash bucket of the name. */
  bucket: number;
}

/** A variable's bytes as dash stores it: "name=value" and its NUL. */
function varBytes(name: string, value: string): number {
  return name.length + value.length + 2;
}

/** dash's hashvar(): the bucket of a name in a 39-entry table. */
function bucketOf(name: string): number {
  let h = name.charCodeAt(0) << 4;
  for (let i = 0; i < name.length; i++) h += name.charCodeAt(i);
  return h % 39;
}

/** A saved variable for `local`: the name and what to restore (undefined: it did not exist). */
export interface SavedVar {
  name: string;
  saved: Var | undefined;
}

export class VarTable {
  private map = new Map<string, Var>();
  /**
   * The map (and its Var objects) may be another table's too (`clone`): copied before
   * this table first changes a variable. A forked child mostly execs or exits without
   * changing one, and the shell forks for nearly every command.
   */
  private shared = false;
  private seq = 0;
  /** The exported environment, rebuilt when an exported variable changes. */
  private envCache: string[] | null = null;
  /**
   * The bytes the variables hold as dash keeps them ("name=value\0" each, as
   * savestr'd): what the shell's data charges to its heap (memory.ts).
   */
  bytes = 0;
  /** Called when a variable with a side effect changes (PATH, OPTIND, IFS). */
  onChange: ((name: string) => void) | null = null;

  /** The value of a set variable, or undefined. */
  get(name: string): string | undefined {
    const v = this.map.get(name);
    return v === undefined || v.flags & V_UNSET ? undefined : v.value;
  }

  /** The variable itself (read it only: it may be shared with a clone until a change). */
  lookup(name: string): Var | undefined {
    return this.map.get(name);
  }

  isReadonly(name: string): boolean {
    const v = this.map.get(name);
    return v !== undefined && (v.flags & V_READONLY) !== 0;
  }

  /**
   * Sets a variable. `flags` are added to its flags. Returns false when it is
   * read-only (the caller reports the error).
   */
  set(name: string, value: string, flags = 0): boolean {
    this.own();
    const v = this.map.get(name);
    if (v !== undefined) {
      if (v.flags & V_READONLY) return false;
      this.bytes += value.length - v.value.length;
      v.value = value;
      const had = v.flags;
      v.flags = (v.flags & ~V_UNSET) | flags;
      if ((had | v.flags) & V_EXPORT) this.envCache = null;
    } else {
      this.map.set(name, { value, flags, seq: this.seq++, bucket: bucketOf(name) });
      this.bytes += varBytes(name, value);
      if (flags & V_EXPORT) this.envCache = null;
    }
    if (this.onChange !== null && (name === 'PATH' || name === 'OPTIND' || name === 'IFS')) this.onChange(name);
    return true;
  }

  /** Adds flags (export, readonly) to a variable, creating it unset if needed. */
  setFlags(name: string, flags: number): void {
    this.own();
    const v = this.map.get(name);
    if (v !== undefined) {
      v.flags |= flags;
    } else {
      this.map.set(name, { value: '', flags: flags | V_UNSET, seq: this.seq++, bucket: bucketOf(name) });
      this.bytes += varBytes(name, '');
    }
    this.envCache = null;
  }

  /** unset: false when the variable is read-only. */
  unset(name: string): boolean {
    this.own();
    const v = this.map.get(name);
    if (v === undefined) return true;
    if (v.flags & V_READONLY) return false;
    if (v.flags & V_EXPORT) this.envCache = null;
    this.bytes -= varBytes(name, v.value);
    this.map.delete(name);
    if (this.onChange !== null && (name === 'PATH' || name === 'OPTIND' || name === 'IFS')) this.onChange(name);
    return true;
  }

  /** Saves a variable before `local` shadows it. */
  save(name: string): SavedVar {
    const v = this.map.get(name);
    return { name, saved: v === undefined ? undefined : { ...v } };
  }

  /** Restores a variable saved by `save` (function return). */
  restore(s: SavedVar): void {
    this.own();
    const cur = this.map.get(s.name);
    if ((cur && cur.flags & V_EXPORT) || (s.saved && s.saved.flags & V_EXPORT)) this.envCache = null;
    if (cur !== undefined) this.bytes -= varBytes(s.name, cur.value);
    if (s.saved === undefined) this.map.delete(s.name);
    else {
      this.map.set(s.name, s.saved);
      this.bytes += varBytes(s.name, s.saved.value);
    }
    if (this.onChange !== null && (s.name === 'PATH' || s.name === 'OPTIND' || s.name === 'IFS')) this.onChange(s.name);
  }

  /** The environment for execve: exported, set variables in dash's hash-table order. */
  environment(): string[] {
    if (this.envCache !== null) return this.envCache;
    const list: Var[] = [];
    const names: string[] = [];
    for (const [name, v] of this.map) {
      if ((v.flags & (V_EXPORT | V_UNSET)) === V_EXPORT) {
        list.push(v);
        names.push(name);
      }
    }
    const idx = list.map((_, i) => i);
    idx.sort((a, b) => list[a].bucket - list[b].bucket || list[a].seq - list[b].seq);
    this.envCache = idx.map((i) => `${names[i]}=${list[i].value}`);
    return this.envCache;
  }

  /** Every variable, sorted by name as strcmp does (for `set`, `export -p`). */
  sorted(): [string, Var][] {
    return [...this.map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** An independent copy (a forked child's variables), sharing the map until either side changes it. */
  clone(): VarTable {
    const t = new VarTable();
    t.map = this.map;
    t.shared = this.shared = true;
    t.seq = this.seq;
    t.bytes = this.bytes;
    t.envCache = this.envCache;
    return t;
  }

  /** Makes the map this table's own before a change (see `shared`). */
  private own(): void {
    if (!this.shared) return;
    const m = new Map<string, Var>();
    for (const [k, v] of this.map) m.set(k, { ...v });
    this.map = m;
    this.shared = false;
  }
}

/** dash's single_quote(): `it's` → `'it'"'"'s'`. */
export function singleQuote(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    let q = s.indexOf("'", i);
    if (q < 0) q = s.length;
    out += `'${s.slice(i, q)}'`;
    i = q;
    if (i >= s.length) break;
    let j = i;
    while (s[j] === "'") j++;
    out += `"${s.slice(i, j)}"`;
    i = j;
    if (i >= s.length) break;
  }
  return out;
}
