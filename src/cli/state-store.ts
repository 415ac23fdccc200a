/**
 * The on-disk home of a persistent simulated host (`ctsim oci --root DIR`): host.json
 * (the log, src/runtime/host-log.ts), blobs/ (uploaded archives by SHA-256) and a
 * lock file. Every write goes to a temporary file that is renamed into place, so a
 * ctsim killed at any point leaves the old state or the new one, never half of one;
 * the lock keeps two ctsim processes from interleaving their commands.
 */
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { InputError } from '../sim/input-error.js';
import { HostLogError, parseHostLog, type HostLog } from '../runtime/host-log.js';

/** The default state directory: $XDG_STATE_HOME/ctsim/oci, else ~/.local/state/ctsim/oci. */
export function defaultStateDir(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'ctsim', 'oci');
}

/**
 * mkdir -p, one level at a time. Node 20's recursive mkdirSync loops forever where a
 * parent refuses new entries with ENOENT (e.g. under /proc), so it is not used here.
 */
export function mkdirAllSync(path: string, mode: number): void {
  let cur = path.startsWith('/') ? '' : '.';
  for (const part of path.split('/').filter(Boolean)) {
    cur += '/' + part;
    try {
      mkdirSync(cur, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** How long a second ctsim waits for the lock before giving up. */
const LOCK_WAIT_MS = 30_000;

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename. */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class StateStore {
  readonly dir: string;
  private locked = false;

  constructor(dir: string) {
    this.dir = dir;
  }

  get logPath(): string {
    return join(this.dir, 'host.json');
  }

  private get lockPath(): string {
    return join(this.dir, 'lock');
  }

  /**
   * Takes the lock (waiting for another ctsim up to 30 s; a lock left by a dead process
   * is taken over). The lock file appears whole: our PID is written to a file of our own
   * that is then hard-linked to `lock` (link fails if it exists). A dead owner's lock is
   * renamed aside and checked to be still that owner's before it is removed, so two
   * ctsims taking it over at once cannot remove each other's.
   */
  lock(): void {
    try {
      mkdirAllSync(join(this.dir, 'blobs'), 0o700);
    } catch (e) {
      throw new InputError({ source: '--root', expected: 'a directory ctsim can create and write', found: `${this.dir} (${(e as NodeJS.ErrnoException).code})`, fix: 'choose another --root' });
    }
    const mine = join(this.dir, `lock.${process.pid}`);
    writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
    const deadline = Date.now() + LOCK_WAIT_MS;
    try {
      for (;;) {
        try {
          linkSync(mine, this.lockPath);
          this.locked = true;
          this.sweepLeftovers();
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        let holder: number;
        try {
          holder = parseInt(readFileSync(this.lockPath, 'utf8'), 10);
        } catch {
          continue; // released between our attempts
        }
        if (!Number.isInteger(holder) || !pidAlive(holder)) {
          const aside = join(this.dir, `lock.stale.${process.pid}`);
          try {
            renameSync(this.lockPath, aside);
          } catch {
            continue; // someone else moved it first
          }
          let moved = NaN;
          try {
            moved = parseInt(readFileSync(aside, 'utf8'), 10);
          } catch {
            /* gone */
          }
          // Not the dead owner's any more: a live ctsim took it meanwhile; give it back.
          if (moved !== holder && !(Number.isNaN(moved) && Number.isNaN(holder))) {
            try {
              linkSync(aside, this.lockPath);
            } catch {
              /* another holds it now; the one we moved loses it, as if it had died */
            }
          }
          rmSync(aside, { force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new InputError({ source: this.dir, expected: 'a state directory no other ctsim is using', found: `locked by process ${holder}`, fix: 'wait for it to finish, or use another --root' });
        }
        sleepMs(50);
      }
    } finally {
      rmSync(mine, { force: true });
    }
  }

  /**
   * Removes what a ctsim killed mid-write left (we hold the lock, so no live writer):
   * a temporary file of writeFileAtomic (`host.json.tmp-PID`, `blobs/ID.tmp-PID`) or a
   * lock attempt or takeover (`lock.PID`, `lock.stale.PID`) of a process that is gone.
   */
  private sweepLeftovers(): void {
    for (const dir of [this.dir, join(this.dir, 'blobs')]) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const m = /\.tmp-(\d+)$|^lock\.(?:stale\.)?(\d+)$/.exec(name);
        if (!m) continue;
        const pid = Number(m[1] ?? m[2]);
        if (pid !== process.pid && !pidAlive(pid)) rmSync(join(dir, name), { force: true });
      }
    }
  }

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      unlinkSync(this.lockPath);
    } catch {
      /* already gone */
    }
  }

  /** The log, or null when this directory holds no host yet. */
  load(): HostLog | null {
    if (!existsSync(this.logPath)) return null;
    try {
      return parseHostLog(readFileSync(this.logPath, 'utf8'));
    } catch (e) {
      if (!(e instanceof HostLogError)) throw e;
      throw this.unusable(e.message);
    }
  }

  /** An error for a state that cannot be used, with the way out. */
  unusable(why: string): InputError {
    return new InputError({ source: this.logPath, expected: 'a ctsim host state', found: why, fix: `run "ctsim oci --root ${this.dir} reset" to start over with an empty host` });
  }

  save(log: HostLog): void {
    writeFileAtomic(this.logPath, JSON.stringify(log));
  }

  /** Stores an archive; returns its id (SHA-256). */
  putBlob(bytes: Buffer): string {
    const id = createHash('sha256').update(bytes).digest('hex');
    const path = join(this.dir, 'blobs', id);
    if (!existsSync(path)) writeFileAtomic(path, bytes);
    return id;
  }

  /** An archive's bytes as latin1 text (the simulated host's byte strings). */
  getBlob(id: string): string {
    const path = join(this.dir, 'blobs', id);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      throw this.unusable(`blobs/${id} is missing`);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== id) throw this.unusable(`blobs/${id} is damaged`);
    return bytes.toString('latin1');
  }

  /** Removes the host: the log and the blobs (the directory and lock stay). */
  reset(): void {
    rmSync(this.logPath, { force: true });
    rmSync(join(this.dir, 'blobs'), { recursive: true, force: true });
    mkdirAllSync(join(this.dir, 'blobs'), 0o700);
  }
}
