/**
 * What wget and ab share: http:// URLs, host names from /etc/hosts (glibc's
 * "files" source; the rootfs has no resolver), a TCP connect with a timeout
 * (non-blocking connect, then poll for POLLOUT and SO_ERROR, as both tools do
 * it), and reading an HTTP response head.
 */
import * as sys from '../../lib/sys.js';
import { ERRNO, SysError, err, type Errno } from '../../../kernel/errno.js';
import type { Op } from '../../../kernel/proc/program.js';
import { AF_INET, SOCK_NONBLOCK, SOCK_STREAM } from '../../../kernel/net/sockets.js';
import { parseIpv4, type Ipv4 } from '../../../kernel/net/inet.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, SOL_SOCKET, SO_ERROR } from '../../../kernel/syscalls/sys-net.js';
import { readHosts } from '../../lib/hosts.js';

type Gen<T> = Generator<Op, T, unknown>;

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;

export interface Url {
  scheme: string;
  host: string;
  port: number;
  /** The path with its query, always starting with "/". */
  path: string;
  /** The URL as wget prints it (scheme added, "/" for an empty path). */
  text: string;
}

/** A URL or why it is not one: 'scheme:NAME', 'host', 'port'. */
export function parseUrl(input: string, defaultScheme = 'http'): Url | { error: 'scheme' | 'host' | 'port'; scheme?: string } {
  let rest = input;
  let scheme = defaultScheme;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = input.slice(m[0].length);
  }
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'ftp') return { error: 'scheme', scheme };
  const slash = rest.search(/[/?#]/);
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '/' : rest.slice(slash);
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/#.*$/, '');
  const colon = hostPort.lastIndexOf(':');
  const host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
  const portText = colon >= 0 ? hostPort.slice(colon + 1) : '';
  if (host === '') return { error: 'host', scheme };
  let port = scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  if (portText !== '') {
    if (!/^[0-9]+$/.test(portText) || Number(portText) > 65535 || Number(portText) === 0) return { error: 'port', scheme };
    port = Number(portText);
  }
  const defaultPort = port === (scheme === 'https' ? 443 : 80);
  return { scheme, host, port, path, text: `${scheme}://${host}${defaultPort ? '' : `:${port}`}${path}` };
}

/** `host` as an address: a dotted quad, or the first /etc/hosts line naming it; null when nothing knows it. */
export function* resolveHost(host: string): Gen<Ipv4 | null> {
  const literal = parseIpv4(host);
  if (literal !== null) return literal;
  const want = host.toLowerCase();
  return (yield* readHosts()).find((h) => h.names.some((n) => n.toLowerCase() === want))?.addr ?? null;
}

/** getsockopt(SO_ERROR)'s errno number as a SysError, or null for none. */
function soError(v: number | SysError): SysError | null {
  if (v instanceof SysError) return v;
  if (v === 0) return null;
  return err((Object.keys(ERRNO) as Errno[]).find((k) => ERRNO[k] === v) ?? 'EIO', `SO_ERROR reported error ${v}`);
}

/**
 * A connected non-blocking TCP socket to (addr, port), or the connect error;
 * ETIMEDOUT when `timeoutMs` passes first (-1: wait as long as the kernel does).
 */
export function* connectTcp(addr: Ipv4, port: number, timeoutMs: number): Gen<number | SysError> {
  const fd = yield* sys.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd instanceof SysError) return fd;
  const c = yield* sys.connect(fd, { family: AF_INET, addr, port });
  if (c instanceof SysError && c.errno !== 'EINPROGRESS') {
    yield* sys.close(fd);
    return c;
  }
  if (c instanceof SysError) {
    const ready = yield* sys.poll([{ fd, events: POLLOUT }], timeoutMs);
    if (ready instanceof SysError) {
      yield* sys.close(fd);
      return ready;
    }
    if (!(ready[0] & (POLLOUT | POLLERR | POLLHUP))) {
      yield* sys.close(fd);
      return err('ETIMEDOUT', 'the connect timeout passed');
    }
    const e = soError(yield* sys.getsockopt(fd, SOL_SOCKET, SO_ERROR));
    if (e) {
      yield* sys.close(fd);
      return e;
    }
  }
  return fd;
}

/** Writes all of `data` to a non-blocking socket, waiting for room with poll. */
export function* sendAll(fd: number, data: string): Gen<SysError | undefined> {
  let off = 0;
  while (off < data.length) {
    const n = yield* sys.write(fd, data.slice(off));
    if (n instanceof SysError) {
      if (n.errno !== 'EAGAIN') return n;
      yield* sys.poll([{ fd, events: POLLOUT }], -1);
      continue;
    }
    off += n;
  }
  return undefined;
}

/** What arrives on a non-blocking socket next ('' at end of stream), ETIMEDOUT after `timeoutMs` (-1: no limit). */
export function* recvSome(fd: number, timeoutMs: number): Gen<string | SysError> {
  for (;;) {
    const d = yield* sys.read(fd, 65536);
    if (!(d instanceof SysError) || d.errno !== 'EAGAIN') return d;
    const ready = yield* sys.poll([{ fd, events: POLLIN }], timeoutMs);
    if (ready instanceof SysError) return ready;
    if (ready[0] === 0) return err('ETIMEDOUT', 'the read timeout passed');
  }
}

export interface ResponseHead {
  /** The status line, e.g. "HTTP/1.0 200 OK". */
  statusLine: string;
  code: number;
  reason: string;
  /** Header lines as received, without CRLF. */
  lines: string[];
  headers: Map<string, string>;
}

/** Parses a response head (the bytes before the blank line). */
export function parseHead(head: string): ResponseHead | null {
  const lines = head.split(/\r?\n/);
  const m = /^HTTP\/[0-9.]+ ([0-9]{3}) ?(.*)$/.exec(lines[0]);
  if (!m) return null;
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  return { statusLine: lines[0], code: Number(m[1]), reason: m[2], lines: lines.slice(1), headers };
}

/** The end of the head in `buf` (index after the blank line), or -1. */
export function headEnd(buf: string): number {
  const a = buf.indexOf('\r\n\r\n');
  const b = buf.indexOf('\n\n');
  if (a >= 0 && (b < 0 || a < b)) return a + 4;
  return b >= 0 ? b + 2 : -1;
}
