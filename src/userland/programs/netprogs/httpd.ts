/**
 * BusyBox 1.35's httpd (/usr/sbin/httpd), the static-file part: `httpd -p
 * [IP:]PORT [-h HOME] [-f] [-v[v[v]]]`. It changes to HOME (default the current
 * directory), binds and listens (backlog 9, SO_REUSEADDR), then, unless -f,
 * daemonizes: forks, the parent exits 0 and the child starts a session with its
 * standard streams on /dev/null. Each accepted connection is served by a forked
 * child (SIGCHLD ignored, so children are reaped by the kernel): one request,
 * GET or HEAD, answered with "HTTP/1.1 CODE TEXT", Content-type by extension,
 * Date, Connection: close, and for files Last-Modified, ETag, Accept-Ranges and
 * Content-Length; errors (400, 403, 404, 501) carry BusyBox's small HTML page.
 * A directory is served by its index.html; a directory named without its
 * trailing slash is redirected (302). -v logs "IP:PORT: response:CODE" to
 * standard error, -vv also "url:PATH", -vvv also "connected".
 *
 * Simplification: no CGI, httpd.conf (IP allow/deny, basic auth, MIME
 * additions), Range requests, keep-alive, proxying or -i (inetd); POST is
 * answered 501; the request head is read with a 60 s receive timeout, as
 * BusyBox's HEADER_READ_TIMEOUT; the CPU time charged per request is a design
 * choice.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { AF_INET, SOCK_STREAM } from '../../../kernel/net/sockets.js';
import { formatIpv4, parseIpv4 } from '../../../kernel/net/inet.js';
import { SOL_SOCKET, SO_RCVTIMEO, SO_REUSEADDR } from '../../../kernel/syscalls/sys-net.js';
import { O_RDONLY, O_RDWR, isDir, isReg } from '../../../kernel/vfs/types.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { errOut, writeAll } from '../../lib/io.js';
import { formatNs } from '../../lib/time.js';
import { CLOCK_REALTIME } from './http-client.js';

type Gen<T> = Generator<Op, T, unknown>;

/** CPU time to parse a request and build the headers (a design choice), in ns. */
const REQUEST_CPU_NS = 15_000;
const LISTEN_BACKLOG = 9;
const HEADER_READ_TIMEOUT_US = 60_000_000;

/** BusyBox's http_response table: code → [text, explanation]. */
const RESPONSES: Record<number, [string, string]> = {
  200: ['OK', ''],
  302: ['Found', ''],
  400: ['Bad Request', 'Unsupported method'],
  403: ['Forbidden', ''],
  404: ['Not Found', 'The requested URL was not found'],
  501: ['Not Implemented', 'The requested method is not recognized'],
};

/** Content types by file suffix (BusyBox's built-in table, the common part). */
const MIME: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  txt: 'text/plain',
  js: 'application/javascript',
  json: 'application/json',
  xml: 'application/xml',
  png: 'image/png',
  gif: 'image/gif',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

interface Opts {
  addr: number;
  port: number;
  home: string | null;
  foreground: boolean;
  verbose: number;
}

function* die(msg: string): Gen<number> {
  yield* errOut(`httpd: ${msg}\n`);
  return 1;
}

function* usage(): Gen<number> {
  yield* errOut('Usage: httpd [-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]\nor httpd -d/-e/-m STRING\n\nListen for incoming HTTP requests\n\n\t-i\t\tInetd mode\n\t-f\t\tDon\'t daemonize\n\t-v[v]\t\tVerbose\n\t-p [IP:]PORT\tBind to IP:PORT (default *:80)\n\t-u USER[:GRP]\tSet uid/gid after binding to port\n\t-r REALM\tAuthentication Realm for Basic Authentication\n\t-h HOME\t\tHome directory (default .)\n\t-c FILE\t\tConfiguration file (default {/etc,HOME}/httpd.conf)\n\t-m STRING\tMD5 crypt STRING\n\t-e STRING\tHTML encode STRING\n\t-d STRING\tURL decode STRING\n');
  return 1;
}

function* parse(argv: readonly string[]): Gen<Opts | number> {
  const o: Opts = { addr: 0, port: 80, home: null, foreground: false, verbose: 0 };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') return yield* usage();
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'f') o.foreground = true;
      else if (c === 'v') o.verbose++;
      else if (c === 'p' || c === 'h') {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) {
          yield* errOut(`httpd: option requires an argument -- '${c}'\n`);
          return yield* usage();
        }
        j = a.length;
        if (c === 'h') o.home = v;
        else {
          const colon = v.lastIndexOf(':');
          const portText = colon >= 0 ? v.slice(colon + 1) : v;
          if (colon >= 0) {
            const ip = parseIpv4(v.slice(0, colon));
            if (ip === null) return yield* die(`bad address '${v.slice(0, colon)}'`);
            o.addr = ip;
          }
          if (!/^[0-9]+$/.test(portText) || Number(portText) > 65535) return yield* die(`invalid number '${portText}'`);
          o.port = Number(portText);
        }
      } else return yield* usage();
    }
  }
  return o;
}

function responseHead(code: number, type: string, dateNs: number, extra: string): string {
  const [text] = RESPONSES[code];
  return `HTTP/1.1 ${code} ${text}\r\nContent-type: ${type}\r\nDate: ${formatNs('%a, %d %b %Y %H:%M:%S GMT', dateNs)}\r\nConnection: close\r\n${extra}`;
}

/** Decodes %XX escapes; null for a malformed one. */
function urlDecode(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      out += s[i];
      continue;
    }
    const h = s.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
    out += String.fromCharCode(parseInt(h, 16));
    i += 2;
  }
  return out;
}

/** Serves one connection: read the request head, answer, close. */
function* serve(fd: number, peer: string, verbose: number): Gen<number> {
  const log = function* (msg: string): Gen<void> {
    yield* errOut(`${peer}: ${msg}\n`);
  };
  if (verbose > 2) yield* log('connected');
  yield* sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, HEADER_READ_TIMEOUT_US);
  let buf = '';
  while (!/\r?\n\r?\n/.test(buf) && buf.length < 65536) {
    const d = yield* sys.read(fd, 65536);
    if (d instanceof SysError || d === '') break;
    buf += d;
    // HTTP/0.9 requests have no headers: the request line is all.
    if (/^[A-Z]+ \S+\r?\n/.test(buf) && !/^[A-Z]+ \S+ HTTP\//.test(buf)) break;
  }
  yield* sys.compute(REQUEST_CPU_NS);
  const now = (yield* sys.clockGettime(CLOCK_REALTIME)) as number;
  const send = function* (code: number, type: string, extra: string, body: string, head: boolean): Gen<void> {
    if (verbose) yield* log(`response:${code}`);
    yield* writeAll(fd, responseHead(code, type, now, extra) + '\r\n' + (head ? '' : body));
  };
  const sendError = function* (code: number, head = false): Gen<void> {
    const [text, info] = RESPONSES[code];
    const page = `<HTML><HEAD><TITLE>${code} ${text}</TITLE></HEAD>\n<BODY><H1>${code} ${text}</H1>\n${info}\n</BODY></HTML>\n`;
    yield* send(code, 'text/html', `Content-Length: ${page.length}\r\n`, page, head);
  };
  const line = buf.split(/\r?\n/)[0];
  const m = /^([A-Z]+) (\S+)(?: HTTP\/[0-9.]+)?$/.exec(line);
  if (!m) {
    yield* sendError(400);
    return 0;
  }
  const [, method, rawUrl] = m;
  if (verbose > 1) yield* log(`url:${rawUrl}`);
  if (method !== 'GET' && method !== 'HEAD') {
    yield* sendError(501);
    return 0;
  }
  const isHead = method === 'HEAD';
  const path = urlDecode(rawUrl.replace(/\?.*$/, ''));
  if (path === null || !path.startsWith('/') || path.split('/').includes('..')) {
    yield* sendError(400, isHead);
    return 0;
  }
  let file = `.${path}`;
  let st = yield* sys.stat(file);
  if (!(st instanceof SysError) && isDir(st.mode)) {
    if (!path.endsWith('/')) {
      yield* send(302, 'text/html', `Location: ${path}/${rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : ''}\r\nContent-Length: 0\r\n`, '', isHead);
      return 0;
    }
    file += 'index.html';
    st = yield* sys.stat(file);
  }
  if (st instanceof SysError || !isReg(st.mode)) {
    yield* sendError(st instanceof SysError && st.errno === 'EACCES' ? 403 : 404, isHead);
    return 0;
  }
  const ffd = yield* sys.open(file, O_RDONLY);
  if (ffd instanceof SysError) {
    yield* sendError(ffd.errno === 'EACCES' ? 403 : 404, isHead);
    return 0;
  }
  const dot = file.lastIndexOf('.');
  const ext = dot > file.lastIndexOf('/') ? file.slice(dot + 1).toLowerCase() : '';
  const type = MIME[ext] ?? 'application/octet-stream';
  const mtimeSec = Math.floor(st.mtimeNs / 1e9);
  const extra =
    `Last-Modified: ${formatNs('%a, %d %b %Y %H:%M:%S GMT', st.mtimeNs)}\r\n` +
    `ETag: "${mtimeSec.toString(16)}-${st.size.toString(16)}"\r\n` +
    `Accept-Ranges: bytes\r\nContent-Length: ${st.size}\r\n`;
  if (verbose) yield* log('response:200');
  const e = yield* writeAll(fd, responseHead(200, type, now, extra) + '\r\n');
  if (!e && !isHead) {
    for (;;) {
      const chunk = yield* sys.read(ffd, 65536);
      if (chunk instanceof SysError || chunk === '') break;
      if (yield* writeAll(fd, chunk)) break;
    }
  }
  yield* sys.close(ffd);
  return 0;
}

export function* httpdMain({ argv }: ProgramArgs): Program {
  const o = yield* parse(argv);
  if (typeof o === 'number') return o;
  if (o.home !== null) {
    const c = yield* sys.chdir(o.home);
    if (c instanceof SysError) return yield* die(`can't change directory to '${o.home}': ${c.message}`);
  }
  const lfd = yield* sys.socket(AF_INET, SOCK_STREAM, 0);
  if (lfd instanceof SysError) return yield* die(`socket: ${lfd.message}`);
  yield* sys.setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, 1);
  const b = yield* sys.bind(lfd, { family: AF_INET, addr: o.addr, port: o.port });
  if (b instanceof SysError) return yield* die(`bind: ${b.message}`);
  const l = yield* sys.listen(lfd, LISTEN_BACKLOG);
  if (l instanceof SysError) return yield* die(`listen: ${l.message}`);
  yield* sys.sigaction(SIG.SIGCHLD, { handler: 'ignore' });
  if (!o.foreground) {
    // bb_daemonize: the parent returns to the shell; the child runs the server.
    const pid = yield* sys.fork(function* (): Program {
      yield* sys.setsid();
      const nul = yield* sys.open('/dev/null', O_RDWR);
      if (!(nul instanceof SysError)) {
        for (const fd of [0, 1, 2]) yield* sys.dup2(nul, fd);
        if (nul > 2) yield* sys.close(nul);
      }
      return yield* acceptLoop(lfd, o.verbose);
    });
    if (pid instanceof SysError) return yield* die(`fork: ${pid.message}`);
    return 0;
  }
  return yield* acceptLoop(lfd, o.verbose);
}

function* acceptLoop(lfd: number, verbose: number): Gen<number> {
  for (;;) {
    const c = yield* sys.accept(lfd);
    if (c instanceof SysError) {
      if (c.errno === 'EINTR' || c.errno === 'ECONNABORTED') continue;
      return yield* die(`accept: ${c.message}`);
    }
    const peer = `${formatIpv4(c.addr.addr)}:${c.addr.port}`;
    const pid = yield* sys.fork(function* (): Program {
      yield* sys.close(lfd);
      const status = yield* serve(c.fd, peer, verbose);
      yield* sys.close(c.fd);
      return status;
    });
    if (pid instanceof SysError) yield* errOut(`httpd: fork: ${pid.message}\n`);
    yield* sys.close(c.fd);
  }
}
