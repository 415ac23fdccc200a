/**
 * File-system constants and shapes as Linux defines them: inode type and permission
 * bits (inode(7)), open(2) flags and *at() flags (x86-64 values), struct stat, and
 * directory entries (getdents64(2)).
 */

// File type bits of st_mode (inode(7)).
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

export const isDir = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isReg = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isLnk = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isChr = (mode: number): boolean => (mode & S_IFMT) === S_IFCHR;
export const isBlk = (mode: number): boolean => (mode & S_IFMT) === S_IFBLK;
export const isFifo = (mode: number): boolean => (mode & S_IFMT) === S_IFIFO;

// open(2) flags, x86-64.
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

// *at() flags and the special directory fd.
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
export const AT_EACCESS = 0x200;

// access(2) modes.
export const F_OK = 0;
export const X_OK = 1;
export const W_OK = 2;
export const R_OK = 4;

// lseek(2) whence.
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

// fcntl(2) commands and fd flags.
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;

/** Longest path (PATH_MAX, including the terminating NUL) and file name (NAME_MAX). */
export const PATH_MAX = 4096;
export const NAME_MAX = 255;
/** Symbolic links followed in one path walk before ELOOP (Linux's MAXSYMLINKS). */
export const MAXSYMLINKS = 40;

/** struct stat, with times in ns since the epoch. */
export interface Stat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeNs: number;
  mtimeNs: number;
  ctimeNs: number;
}

/** d_type values of getdents64(2). */
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

/** The d_type for an st_mode. */
export function dtype(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return DT_DIR;
    case S_IFREG:
      return DT_REG;
    case S_IFLNK:
      return DT_LNK;
    case S_IFCHR:
      return DT_CHR;
    case S_IFBLK:
      return DT_BLK;
    case S_IFIFO:
      return DT_FIFO;
    case S_IFSOCK:
      return DT_SOCK;
    default:
      return DT_UNKNOWN;
  }
}

/** One entry of a directory listing (struct linux_dirent64 without the offsets). */
export interface DirEntry {
  name: string;
  ino: number;
  type: number;
}

/** Makes a device number from major and minor (the glibc makedev layout). */
export function makedev(major: number, minor: number): number {
  return ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12);
}

export function major(dev: number): number {
  return (dev >>> 8) & 0xfff;
}

export function minor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
}

/**
 * Bytes in ctsim are "byte strings": JavaScript strings whose code units are all
 * 0–255, one per byte (latin1). Text written by the CLI is encoded to UTF-8 bytes at
 * the edge, so `wc -c` counts bytes as on Linux and binary data passes unchanged.
 */
export type Bytes = string;
