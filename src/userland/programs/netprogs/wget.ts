/**
 * GNU Wget 1.21.3 (/usr/bin/wget) for plain HTTP: `wget [-q|-nv] [-O FILE|-O -]
 * [-T SECONDS] [-t TRIES] [-S] URL…`. It prints what GNU wget prints in its
 * default verbose mode ("--DATE--  URL", "Resolving…", "Connecting to…",
 * "HTTP request sent, awaiting response... 200 OK", "Length:", "Saving to:",
 * the dot progress rows and the "saved [N/N]" line), sends GNU wget's request
 * head (HTTP/1.1, Keep-Alive) and reads the body until Content-Length bytes or
 * the end of the stream. The output file is -O's, or the last part of the URL's
 * path ("index.html" for a directory) with ".1", ".2"… added when it exists.
 * Exit status as wget(1) lists them: 0 success, 1 generic (bad URL), 2 option
 * parse error, 3 file I/O error, 4 network failure, 8 the server answered an
 * error.
 *
 * Times are the simulated clock's: the dates from CLOCK_REALTIME, rates and
 * durations from CLOCK_MONOTONIC, so they follow the cost table and the
 * outside network's delay.
 *
 * Simplification: http:// only (https:// and ftp:// are refused with a note:
 * ctsim has no TLS); names come from /etc/hosts only (the rootfs has no DNS);
 * connection refused and unreachable networks are not retried, timeouts and
 * read errors are, as GNU wget does, but without its back-off waits; the dot
 * rows' rates are each row's average, computed when the download ends; no
 * recursion, cookies, authentication, --spider, -c or chunked transfer coding;
 * redirects (3xx with Location) are followed up to 20 times.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { formatIpv4 } from '../../../kernel/net/inet.js';
import { O_CREAT, O_TRUNC, O_WRONLY } from '../../../kernel/vfs/types.js';
import { errOut, utf8, writeAll } from '../../lib/io.js';
import { formatNs } from '../../lib/time.js';
import { CLOCK_MONOTONIC, CLOCK_REALTIME, connectTcp, headEnd, parseHead, parseUrl, recvSome, resolveHost, sendAll, type Url } from './http-client.js';

type Gen<T> = Generator<Op, T, unknown>;

const LQ = utf8('‘');
const RQ = utf8('’');
const q = (s: string): string => `${LQ}${s}${RQ}`;
const TRY_HELP = "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n";
/** wget's default read timeout (--read-timeout=900), in ms. */
const READ_TIMEOUT_MS = 900_000;
const MAX_REDIRECTS = 20;

interface Opts {
  verbosity: 'quiet' | 'nv' | 'verbose';
  output: string | null;
  timeoutMs: number;
  tries: number;
  serverResponse: boolean;
  urls: string[];
}

const EXIT = { ok: 0, generic: 1, parse: 2, io: 3, network: 4, server: 8 } as const;

function* usageError(msg: string): Gen<number> {
  yield* errOut(`wget: ${msg}\n${TRY_HELP}`);
  return EXIT.parse;
}

const LONG_WITH_ARG: Record<string, string> = { 'output-document': 'O', timeout: 'T', tries: 't' };
const LONG_FLAG: Record<string, string> = { quiet: 'q', 'server-response': 'S', 'no-verbose': 'nv', verbose: 'v', version: 'V', help: 'h' };

function* parse(argv: readonly string[]): Gen<Opts | number> {
  const o: Opts = { verbosity: 'verbose', output: null, timeoutMs: -1, tries: 20, serverResponse: false, urls: [] };
  const set = function* (c: string, v: string): Gen<number | null> {
    if (c === 'O') o.output = v;
    else if (c === 'T') {
      const secs = Number(v);
      if (!/^[0-9]*\.?[0-9]+$/.test(v)) {
        yield* errOut(`wget: --timeout: Invalid time period ${q(v)}\n`);
        return EXIT.parse;
      }
      o.timeoutMs = secs === 0 ? -1 : Math.max(1, Math.round(secs * 1000));
    } else if (c === 't') {
      if (!/^[0-9]+$/.test(v) && v !== 'inf') {
        yield* errOut(`wget: --tries: Invalid number ${q(v)}.\n`);
        return EXIT.parse;
      }
      o.tries = v === 'inf' || v === '0' ? Infinity : Number(v);
    }
    return null;
  };
  const flag = function* (c: string): Gen<number | null> {
    if (c === 'q') o.verbosity = 'quiet';
    else if (c === 'nv') o.verbosity = 'nv';
    else if (c === 'v') o.verbosity = 'verbose';
    else if (c === 'S') o.serverResponse = true;
    else if (c === 'V') {
      yield* writeAll(1, 'GNU Wget 1.21.3 built on linux-gnu.\n');
      return EXIT.ok;
    } else if (c === 'h') {
      yield* writeAll(1, 'GNU Wget 1.21.3, a non-interactive network retriever.\n' + TRY_HELP.split('\n')[0] + '\n');
      return EXIT.ok;
    }
    return null;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.urls.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (LONG_WITH_ARG[name]) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) return yield* usageError(`option '--${name}' requires an argument`);
        const r = yield* set(LONG_WITH_ARG[name], v);
        if (r !== null) return r;
      } else if (LONG_FLAG[name] && eq < 0) {
        const r = yield* flag(LONG_FLAG[name]);
        if (r !== null) return r;
      } else return yield* usageError(`unrecognized option '${eq >= 0 ? a.slice(0, eq) : a}'`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (a === '-nv') {
        o.verbosity = 'nv';
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if ('OTt'.includes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (v === undefined) return yield* usageError(`option requires an argument -- '${c}'`);
          const r = yield* set(c, v);
          if (r !== null) return r;
          break;
        }
        if (!'qSvVh'.includes(c)) return yield* usageError(`invalid option -- '${c}'`);
        const r = yield* flag(c);
        if (r !== null) return r;
      }
      continue;
    }
    o.urls.push(a);
  }
  if (o.urls.length === 0) {
    yield* errOut(`wget: missing URL\n${TRY_HELP}`);
    return EXIT.generic;
  }
  return o;
}

/** wget's human-readable size for the Length line: 293K, 1.2M. */
function humanSize(n: number): string {
  const units = ['K', 'M', 'G', 'T'];
  let v = n;
  let i = -1;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? (Math.round(v * 10) / 10).toFixed(1) : Math.round(v)}${units[i]}`;
}

/** calc_rate: a rate in bytes/s and its unit index (B, K, M, G). */
function calcRate(bytes: number, secs: number): [number, number] {
  let rate = bytes / Math.max(secs, 1e-6);
  let unit = 0;
  while (rate >= 1024 && unit < 3) {
    rate /= 1024;
    unit++;
  }
  return [rate, unit];
}

const prec = (r: number): number => (r >= 99.95 ? 0 : r >= 9.995 ? 1 : 2);

/** print_decimal: a duration in seconds as the dot progress ends its last row. */
function decimal(x: number): string {
  if (x >= 9.95) return x.toFixed(0);
  if (x >= 0.95) return x.toFixed(1);
  if (x >= 0.001) return Number(x.toPrecision(1)).toString();
  if (x >= 0.0005) return x.toFixed(3);
  return '0';
}

/** The "dot" progress rows of a finished download (50 KiB per row, 1 KiB per dot). */
function dotRows(total: number, length: number | null, secs: number): string {
  const ROW = 50 * 1024;
  let text = '\n';
  const rows = Math.max(1, Math.ceil(total / ROW));
  for (let r = 0; r < rows; r++) {
    const last = r === rows - 1;
    const inRow = Math.min(ROW, total - r * ROW);
    const dots = last ? Math.floor(inRow / 1024) : 50;
    let line = `${String(r * 50).padStart(6)}K`;
    for (let i = 0; i < 50; i++) {
      if (i % 10 === 0) line += ' ';
      line += i < dots ? '.' : ' ';
    }
    if (length) line += `${String(Math.floor(((last ? total : (r + 1) * ROW) * 100) / length)).padStart(3)}%`;
    const rowSecs = (secs * inRow) / Math.max(total, 1);
    const [rate, unit] = calcRate(inRow, rowSecs);
    line += ` ${rate.toFixed(prec(rate)).padStart(4)}${' KMG'[unit]}`;
    line += last ? `=${secs >= 10 ? `${Math.round(secs)}s` : `${decimal(secs)}s`}` : ` 0s`;
    text += line + '\n';
  }
  return text + '\n';
}

function rateText(bytes: number, secs: number): string {
  const [rate, unit] = calcRate(bytes, secs);
  return `${rate.toFixed(prec(rate))} ${['B/s', 'KB/s', 'MB/s', 'GB/s'][unit]}`;
}

class Log {
  constructor(private readonly level: Opts['verbosity']) {}
  *v(text: string): Gen<void> {
    if (this.level === 'verbose') yield* errOut(text);
  }
  *nv(text: string): Gen<void> {
    if (this.level !== 'quiet') yield* errOut(text);
  }
}

function* now(clock: number): Gen<number> {
  return (yield* sys.clockGettime(clock)) as number;
}

const stamp = function* (): Gen<string> {
  return formatNs('%Y-%m-%d %H:%M:%S', yield* now(CLOCK_REALTIME));
};

/** A file name for the download that does not exist yet (wget's unique_name). */
function* uniqueName(base: string): Gen<string> {
  if ((yield* sys.stat(base)) instanceof SysError) return base;
  for (let i = 1; ; i++) if ((yield* sys.stat(`${base}.${i}`)) instanceof SysError) return `${base}.${i}`;
}

type Outcome = { status: number; retry?: boolean; redirect?: string };

/** One attempt at one URL. `out` is -O's descriptor (1 for "-"), or null to pick a file name. */
function* attempt(url: Url, o: Opts, log: Log, outFd: number | null, outName: string | null): Gen<Outcome> {
  const addr = yield* resolveHost(url.host);
  const literal = formatIpv4(addr ?? 0) === url.host;
  if (!literal) {
    yield* log.v(`Resolving ${url.host} (${url.host})... `);
    if (addr === null) {
      yield* log.v('failed: Temporary failure in name resolution.\n');
      yield* log.nv(`wget: unable to resolve host address ${q(url.host)}\n`);
      return { status: EXIT.network };
    }
    yield* log.v(`${formatIpv4(addr)}\n`);
  }
  const ip = formatIpv4(addr!);
  yield* log.v(literal ? `Connecting to ${ip}:${url.port}... ` : `Connecting to ${url.host} (${url.host})|${ip}|:${url.port}... `);
  const fd = yield* connectTcp(addr!, url.port, o.timeoutMs);
  if (fd instanceof SysError) {
    yield* log.v(`failed: ${fd.message}.\n`);
    return { status: EXIT.network, retry: fd.errno === 'ETIMEDOUT' };
  }
  yield* log.v('connected.\n');
  const hostHdr = url.port === 80 ? url.host : `${url.host}:${url.port}`;
  const req = `GET ${url.path} HTTP/1.1\r\nHost: ${hostHdr}\r\nUser-Agent: Wget/1.21.3\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: Keep-Alive\r\n\r\n`;
  const se = yield* sendAll(fd, req);
  yield* log.v(`HTTP request sent, awaiting response... ${o.serverResponse ? '\n' : ''}`);
  const readTimeout = o.timeoutMs > 0 ? o.timeoutMs : READ_TIMEOUT_MS;
  let buf = '';
  let end = -1;
  let readErr: SysError | null = se ?? null;
  while (!readErr && (end = headEnd(buf)) < 0) {
    const d = yield* recvSome(fd, readTimeout);
    if (d instanceof SysError) readErr = d;
    else if (d === '') break;
    else buf += d;
  }
  if (readErr || end < 0) {
    yield* sys.close(fd);
    yield* log.v(readErr ? `Read error (${readErr.message}) in headers.\n` : 'No data received.\n');
    return { status: EXIT.network, retry: true };
  }
  const head = parseHead(buf.slice(0, end));
  if (!head) {
    yield* sys.close(fd);
    yield* log.v('Malformed status line.\n');
    return { status: EXIT.network, retry: true };
  }
  if (o.serverResponse && o.verbosity !== 'quiet') yield* errOut([head.statusLine, ...head.lines.filter((l) => l !== '')].map((l) => `  ${l}\n`).join(''));
  else yield* log.v(`${head.code} ${head.reason}\n`);
  const location = head.headers.get('location');
  if (head.code >= 300 && head.code < 400 && location) {
    yield* sys.close(fd);
    yield* log.v(`Location: ${location} [following]\n`);
    return { status: EXIT.ok, redirect: location };
  }
  if (head.code >= 400) {
    yield* sys.close(fd);
    if (o.verbosity === 'nv') yield* errOut(`${url.text}:\n`);
    yield* log.nv(`${yield* stamp()} ERROR ${head.code}: ${head.reason}.\n`);
    if (o.verbosity === 'verbose') yield* errOut('\n');
    return { status: EXIT.server };
  }
  const lenText = head.headers.get('content-length');
  const length = lenText !== undefined && /^[0-9]+$/.test(lenText) ? Number(lenText) : null;
  const type = head.headers.get('content-type');
  const typeText = type ? ` [${type}]` : '';
  yield* log.v(length === null ? `Length: unspecified${typeText}\n` : `Length: ${length}${length >= 1024 ? ` (${humanSize(length)})` : ''}${typeText}\n`);
  let fdOut = outFd;
  let name = outName;
  if (fdOut === null) {
    const last = url.path.replace(/\?.*$/, '').split('/').pop() ?? '';
    name = yield* uniqueName(decodeURIComponent(last) || 'index.html');
    const f = yield* sys.open(name, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    if (f instanceof SysError) {
      yield* sys.close(fd);
      yield* log.nv(`${name}: ${f.message}\n`);
      return { status: EXIT.io };
    }
    fdOut = f;
  }
  yield* log.v(`Saving to: ${name === '-' ? q('STDOUT') : q(name!)}\n`);
  const t0 = yield* now(CLOCK_MONOTONIC);
  let got = 0;
  let body = buf.slice(end);
  let status: number = EXIT.ok;
  let failure: string | null = null;
  for (;;) {
    if (length !== null && got + body.length > length) body = body.slice(0, length - got);
    if (body) {
      const we = yield* writeAll(fdOut, body);
      if (we) {
        failure = `Cannot write to ${q(name === '-' ? '-' : name!)} (${we.message}).\n`;
        status = EXIT.io;
        break;
      }
      got += body.length;
    }
    if (length !== null && got >= length) break;
    const d = yield* recvSome(fd, readTimeout);
    if (d instanceof SysError) {
      failure = `Read error at byte ${got}${length !== null ? `/${length}` : ''} (${d.message}). `;
      status = EXIT.network;
      break;
    }
    if (d === '') break;
    body = d;
  }
  yield* sys.close(fd);
  const secs = ((yield* now(CLOCK_MONOTONIC)) - t0) / 1e9;
  if (outFd === null) yield* sys.close(fdOut);
  if (failure) {
    yield* log.nv(failure + (status === EXIT.network ? 'Giving up.\n\n' : '\n'));
    return { status };
  }
  yield* log.v(dotRows(got, length, secs));
  const sizes = length !== null ? `[${got}/${length}]` : `[${got}]`;
  const when = yield* stamp();
  if (o.verbosity === 'verbose') yield* errOut(`${when} (${rateText(got, secs)}) - ${name === '-' ? 'written to stdout' : `${q(name!)} saved`} ${sizes}\n\n`);
  else if (o.verbosity === 'nv') yield* errOut(`${when} URL:${url.text} ${sizes} -> "${name}" [1]\n`);
  return { status: EXIT.ok };
}

export function* wgetMain({ argv }: ProgramArgs): Program {
  const o = yield* parse(argv);
  if (typeof o === 'number') return o;
  const log = new Log(o.verbosity);
  let outFd: number | null = null;
  if (o.output === '-') outFd = 1;
  else if (o.output !== null) {
    const f = yield* sys.open(o.output, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
    if (f instanceof SysError) {
      yield* errOut(`${o.output}: ${f.message}\n`);
      return EXIT.io;
    }
    outFd = f;
  }
  let worst = 0;
  for (const text of o.urls) {
    let url = parseUrl(text);
    let status: number = EXIT.ok;
    for (let hops = 0; ; hops++) {
      if ('error' in url) {
        if (url.error === 'scheme') {
          yield* log.nv(`${text}: Unsupported scheme ${q(url.scheme!)}.\n`);
          if (url.scheme === 'https' || url.scheme === 'ftp') yield* log.nv(`wget: ctsim's wget speaks plain HTTP only (no TLS, no FTP)\n`);
        } else yield* log.nv(`${text}: ${url.error === 'host' ? 'Invalid host name' : 'Bad port number'}.\n`);
        status = EXIT.generic;
        break;
      }
      if (url.scheme !== 'http') {
        yield* log.nv(`${text}: Unsupported scheme ${q(url.scheme)}.\nwget: ctsim's wget speaks plain HTTP only (no TLS, no FTP)\n`);
        status = EXIT.generic;
        break;
      }
      let r: Outcome = { status: EXIT.ok };
      for (let tryNo = 1; tryNo <= o.tries; tryNo++) {
        yield* log.v(`--${yield* stamp()}--  ${tryNo > 1 ? `(try:${String(tryNo).padStart(2)})  ` : ''}${url.text}\n`);
        r = yield* attempt(url, o, log, outFd, o.output);
        if (!r.retry) break;
        yield* log.v(tryNo < o.tries ? 'Retrying.\n\n' : 'Giving up.\n\n');
      }
      status = r.status;
      if (r.redirect === undefined || hops >= MAX_REDIRECTS) break;
      const base: Url = url;
      url = r.redirect.startsWith('/') ? parseUrl(`${base.scheme}://${base.host}:${base.port}${r.redirect}`) : parseUrl(r.redirect);
      if (!('error' in url) && url.port === 80 && url.text.includes(':80/')) url.text = url.text.replace(':80/', '/');
    }
    if (status !== EXIT.ok && (worst === 0 || status < worst)) worst = status;
  }
  if (outFd !== null && outFd !== 1) yield* sys.close(outFd);
  return worst;
}
