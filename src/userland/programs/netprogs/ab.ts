/**
 * ApacheBench 2.3 (/usr/bin/ab), the core: `ab [-n N] [-c C] [-k] http://HOST[:PORT]/PATH`.
 * One process keeps C non-blocking connections going with poll(2), as ab's
 * event loop does: each request is connect, write "GET PATH HTTP/1.0" with ab's
 * headers, read the answer (to the end of the stream, or Content-Length with
 * -k when the server keeps the connection alive), and a new request starts
 * as one ends until N have. The report is ab's: the header block, "Benchmarking
 * HOST (be patient).....done" (or "Completed …" heartbeats above 150
 * requests), the server and document lines, totals, the rates, the
 * "Connection Times (ms)" table (min, mean, sample standard deviation, ab's
 * median, max; Processing = total − connect, Waiting = first byte − end of
 * write) and the percentiles, with ab's printf formats and its millisecond
 * rounding. A response whose length differs from the first counts as a
 * "Length" failure; non-2xx answers are counted apart.
 *
 * Every time is CLOCK_MONOTONIC of the simulated host, in µs as ab keeps them,
 * so a run is a pure function of the seed and the cost table.
 *
 * Simplification: only -n, -c, -k (and -V, -h); no POST/PUT (-p, -u), -t time
 * limit, -s socket timeout (ab's default 30 s is used), -H headers, TLS, -g/-e
 * files, -w HTML output or proxies; fatal errors end the run with ab's message
 * ("apr_socket_recv: Connection refused (111)") and its exit status (the error
 * number, as apr_err's exit() leaves it modulo 256).
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { AF_INET, SOCK_NONBLOCK, SOCK_STREAM } from '../../../kernel/net/sockets.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT } from '../../../kernel/syscalls/sys-net.js';
import { errOut, out } from '../../lib/io.js';
import { CLOCK_MONOTONIC, headEnd, parseHead, parseUrl, resolveHost } from './http-client.js';

type Gen<T> = Generator<Op, T, unknown>;

const AB_TIMEOUT_MS = 30_000;
const APR_TIMEUP = 70007;
const EINVAL = 22;

const USAGE = (prog: string): string =>
  `Usage: ${prog} [options] [http[s]://]hostname[:port]/path\nOptions are:\n` +
  '    -n requests     Number of requests to perform\n' +
  '    -c concurrency  Number of multiple requests to make at a time\n' +
  "    -k              Use HTTP KeepAlive feature\n" +
  '    -V              Print version number and exit\n' +
  '    -h              Display usage information (this message)\n';

const BANNER =
  'This is ApacheBench, Version 2.3 <$Revision: 1903618 $>\n' +
  'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/\n' +
  'Licensed to The Apache Software Foundation, http://www.apache.org/\n\n';

/** One request's times in µs (ab's struct data). */
interface Stat {
  ctime: number;
  time: number;
  waittime: number;
}

type ConnState = 'unconnected' | 'connecting' | 'connected' | 'reading';

interface Conn {
  fd: number;
  state: ConnState;
  start: number;
  connect: number;
  endwrite: number;
  beginread: number;
  buf: string;
  /** Bytes of this response (head and body) and its body so far. */
  read: number;
  bodyLen: number;
  headDone: boolean;
  keepalive: boolean;
  length: number | null;
  code: number;
}

function* fatal(what: string, text: string, code: number, done: number): Gen<number> {
  yield* errOut(`${what}: ${text} (${code})\n`);
  if (done) yield* out(`Total of ${done} requests completed\n`);
  return code & 255;
}

const roundMs = (us: number): number => Math.floor((us + 500) / 1000);

export function* abMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'ab';
  let requests = 1;
  let concurrency = 1;
  let keepalive = false;
  let urlText: string | undefined;
  const usage = function* (msg?: string): Gen<number> {
    yield* errOut((msg ? `${prog}: ${msg}\n` : '') + USAGE(prog));
    return EINVAL;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      if (urlText !== undefined) return yield* usage('wrong number of arguments');
      urlText = a;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'k') keepalive = true;
      else if (c === 'V') {
        yield* out('This is ApacheBench, Version 2.3 <$Revision: 1903618 $>\nCopyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/\nLicensed to The Apache Software Foundation, http://www.apache.org/\n');
        return 0;
      } else if (c === 'h') return yield* usage();
      else if (c === 'n' || c === 'c') {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return yield* usage(`option requires an argument -- ${c}`);
        const n = /^[0-9]+$/.test(v) ? Number(v) : 0;
        if (c === 'n') requests = n;
        else concurrency = n;
        break;
      } else return yield* usage(`illegal option -- ${c}`);
    }
  }
  if (urlText === undefined) return yield* usage('wrong number of arguments');
  if (requests <= 0) return yield* usage('Invalid number of requests');
  if (concurrency <= 0 || concurrency > 20000) return yield* usage(`Invalid Concurrency [Range 0..20000]`);
  if (concurrency > requests) {
    yield* errOut(`${prog}: Cannot use concurrency level greater than total number of requests\n`);
    return yield* usage();
  }
  const url = parseUrl(urlText, '');
  if ('error' in url || url.scheme !== 'http' || !/^[a-z]+:\/\/[^/]+\//i.test(urlText)) {
    yield* errOut(`${prog}: invalid URL\n`);
    return yield* usage();
  }
  yield* out(BANNER);
  const addr = yield* resolveHost(url.host);
  if (addr === null) return yield* fatal(`apr_sockaddr_info_get() for ${url.host}`, 'Temporary failure in name resolution', 670003, 0);
  const hostHdr = url.port === 80 ? url.host : `${url.host}:${url.port}`;
  const request = `GET ${url.path} HTTP/1.0\r\n${keepalive ? 'Connection: Keep-Alive\r\n' : ''}Host: ${hostHdr}\r\nUser-Agent: ApacheBench/2.3\r\nAccept: */*\r\n\r\n`;
  let heartbeat = 100;
  if (requests > 150) heartbeat = Math.max(100, Math.floor(requests / 10));
  else heartbeat = 0;
  yield* out(`Benchmarking ${url.host} (be patient)${heartbeat ? '\n' : '...'}`);

  const nowUs = function* (): Gen<number> {
    return Math.floor(((yield* sys.clockGettime(CLOCK_MONOTONIC)) as number) / 1000);
  };
  const start = yield* nowUs();
  let lasttime = start;
  let started = 0;
  let done = 0;
  let bad = 0;
  let errConn = 0;
  let errRecv = 0;
  let errLength = 0;
  let errExcept = 0;
  let errResponse = 0;
  let doneka = 0;
  let totalread = 0;
  let totalbread = 0;
  let doclen = -1;
  let servername = '';
  const stats: Stat[] = [];
  const conns: Conn[] = [];

  /** start_connect: a fresh socket and a non-blocking connect; false on an error that ends the run. */
  const startConnect = function* (c: Conn): Gen<SysError | null> {
    if (started >= requests) return null;
    c.read = 0;
    c.bodyLen = 0;
    c.buf = '';
    c.headDone = false;
    c.keepalive = false;
    c.length = null;
    c.code = 0;
    started++;
    c.start = yield* nowUs();
    if (c.state === 'connected') {
      // A kept-alive connection: the next request goes out at once.
      c.connect = c.start;
      return null;
    }
    for (;;) {
      const fd = yield* sys.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      if (fd instanceof SysError) return fd;
      c.fd = fd;
      const r = yield* sys.connect(fd, { family: AF_INET, addr, port: url.port });
      if (r instanceof SysError && r.errno === 'EINPROGRESS') {
        c.state = 'connecting';
        return null;
      }
      if (r instanceof SysError) {
        yield* sys.close(fd);
        errConn++;
        if (bad++ > 10) {
          yield* errOut('\nTest aborted after 10 failures\n\n');
          return r;
        }
        continue;
      }
      c.state = 'connected';
      c.connect = yield* nowUs();
      return null;
    }
  };

  const closeConnection = function* (c: Conn): Gen<SysError | null> {
    if (c.headDone || c.read > 0) {
      if (doclen < 0) doclen = c.bodyLen;
      else if (c.bodyLen !== doclen) {
        bad++;
        errLength++;
      }
      if (done < requests) {
        const t = yield* nowUs();
        lasttime = t;
        stats.push({ ctime: Math.max(0, c.connect - c.start), time: Math.max(0, t - c.start), waittime: Math.max(0, c.beginread - c.endwrite) });
        done++;
        if (heartbeat && done % heartbeat === 0) yield* out(`Completed ${done} requests\n`);
      }
    }
    yield* sys.close(c.fd);
    c.state = 'unconnected';
    return yield* startConnect(c);
  };

  for (let i = 0; i < concurrency; i++) {
    const c: Conn = { fd: -1, state: 'unconnected', start: 0, connect: 0, endwrite: 0, beginread: 0, buf: '', read: 0, bodyLen: 0, headDone: false, keepalive: false, length: null, code: 0 };
    conns.push(c);
    const e = yield* startConnect(c);
    if (e) return yield* fatal('apr_socket_connect()', e.message, e.code, done);
  }

  while (done < requests) {
    const active = conns.filter((c) => c.state !== 'unconnected');
    if (active.length === 0) break;
    const fds = active.map((c) => ({ fd: c.fd, events: c.state === 'reading' ? POLLIN : POLLOUT }));
    const ready = yield* sys.poll(fds, AB_TIMEOUT_MS);
    if (ready instanceof SysError) return yield* fatal('apr_pollset_poll', ready.message, ready.code, done);
    if (ready.every((r) => r === 0)) return yield* fatal('apr_pollset_poll', 'The timeout specified has expired', APR_TIMEUP, done);
    for (let i = 0; i < active.length; i++) {
      const c = active[i];
      const rev = ready[i];
      if (!rev) continue;
      if (c.state === 'connecting') {
        if (rev & POLLERR || (rev & POLLHUP && !(rev & POLLOUT))) {
          // ab lets recv discover the error, which is fatal.
          bad++;
          errExcept++;
          const d = yield* sys.read(c.fd, 1);
          const e = d instanceof SysError ? d : null;
          if (e) {
            errRecv++;
            return yield* fatal('apr_socket_recv', e.message, e.code, done);
          }
          const f = yield* closeConnection(c);
          if (f) return yield* fatal('apr_socket_connect()', f.message, f.code, done);
          continue;
        }
        c.state = 'connected';
        c.connect = yield* nowUs();
      }
      if (c.state === 'connected') {
        // write_request: the whole request fits the send buffer.
        const w = yield* sys.write(c.fd, request);
        if (w instanceof SysError) {
          bad++;
          errExcept++;
          const f = yield* closeConnection(c);
          if (f) return yield* fatal('apr_socket_connect()', f.message, f.code, done);
          continue;
        }
        c.endwrite = yield* nowUs();
        c.state = 'reading';
        continue;
      }
      // read_connection
      const d = yield* sys.read(c.fd, 8192);
      if (d instanceof SysError) {
        if (d.errno === 'EAGAIN') continue;
        errRecv++;
        return yield* fatal('apr_socket_recv', d.message, d.code, done);
      }
      if (d === '') {
        const f = yield* closeConnection(c);
        if (f) return yield* fatal('apr_socket_connect()', f.message, f.code, done);
        continue;
      }
      if (c.read === 0) c.beginread = yield* nowUs();
      c.read += d.length;
      totalread += d.length;
      if (!c.headDone) {
        c.buf += d;
        const end = headEnd(c.buf);
        if (end < 0) continue;
        c.headDone = true;
        const head = parseHead(c.buf.slice(0, end));
        c.code = head?.code ?? 0;
        if (!servername) servername = head?.headers.get('server') ?? '';
        if (c.code < 200 || c.code >= 300) errResponse++;
        const len = head?.headers.get('content-length');
        c.length = len !== undefined && /^[0-9]+$/.test(len) ? Number(len) : null;
        c.keepalive = keepalive && c.length !== null && /keep-alive/i.test(head?.headers.get('connection') ?? '');
        const body = c.buf.length - end;
        c.bodyLen = body;
        totalbread += body;
        c.buf = '';
      } else {
        c.bodyLen += d.length;
        totalbread += d.length;
      }
      if (c.keepalive && c.length !== null && c.bodyLen >= c.length) {
        doneka++;
        if (doclen < 0) doclen = c.bodyLen;
        else if (c.bodyLen !== doclen) {
          bad++;
          errLength++;
        }
        const t = yield* nowUs();
        lasttime = t;
        stats.push({ ctime: Math.max(0, c.connect - c.start), time: Math.max(0, t - c.start), waittime: Math.max(0, c.beginread - c.endwrite) });
        done++;
        if (heartbeat && done % heartbeat === 0) yield* out(`Completed ${done} requests\n`);
        if (started >= requests) {
          yield* sys.close(c.fd);
          c.state = 'unconnected';
        } else {
          c.state = 'connected';
          yield* startConnect(c);
        }
      }
    }
  }
  for (const c of conns) if (c.state !== 'unconnected') yield* sys.close(c.fd);
  yield* out(heartbeat ? `Finished ${done} requests\n` : '..done\n');
  yield* out(report({ servername, host: url.host, port: url.port, path: url.path, doclen: Math.max(0, doclen), concurrency, timetaken: (lasttime - start) / 1e6, done, bad, errConn, errRecv, errLength, errExcept, errResponse, keepalive, doneka, totalread, totalbread, stats }));
  return 0;
}

interface Results {
  servername: string;
  host: string;
  port: number;
  path: string;
  doclen: number;
  concurrency: number;
  timetaken: number;
  done: number;
  bad: number;
  errConn: number;
  errRecv: number;
  errLength: number;
  errExcept: number;
  errResponse: number;
  keepalive: boolean;
  doneka: number;
  totalread: number;
  totalbread: number;
  stats: Stat[];
}

/** ab's output_results: the report after the run (pure). */
export function report(r: Results): string {
  let s = '\n\n';
  s += `Server Software:        ${r.servername}\nServer Hostname:        ${r.host}\nServer Port:            ${r.port}\n\n`;
  s += `Document Path:          ${r.path}\nDocument Length:        ${r.doclen} bytes\n\n`;
  s += `Concurrency Level:      ${r.concurrency}\nTime taken for tests:   ${r.timetaken.toFixed(3)} seconds\n`;
  s += `Complete requests:      ${r.done}\nFailed requests:        ${r.bad}\n`;
  if (r.bad) s += `   (Connect: ${r.errConn}, Receive: ${r.errRecv}, Length: ${r.errLength}, Exceptions: ${r.errExcept})\n`;
  if (r.errResponse) s += `Non-2xx responses:      ${r.errResponse}\n`;
  if (r.keepalive) s += `Keep-Alive requests:    ${r.doneka}\n`;
  s += `Total transferred:      ${r.totalread} bytes\nHTML transferred:       ${r.totalbread} bytes\n`;
  if (r.timetaken && r.done) {
    s += `Requests per second:    ${(r.done / r.timetaken).toFixed(2)} [#/sec] (mean)\n`;
    s += `Time per request:       ${((r.concurrency * r.timetaken * 1000) / r.done).toFixed(3)} [ms] (mean)\n`;
    s += `Time per request:       ${((r.timetaken * 1000) / r.done).toFixed(3)} [ms] (mean, across all concurrent requests)\n`;
    s += `Transfer rate:          ${(r.totalread / 1024 / r.timetaken).toFixed(2)} [Kbytes/sec] received\n`;
  }
  const n = r.done;
  if (n > 0) {
    const st = r.stats.slice(0, n);
    const col = (f: (x: Stat) => number): { min: number; mean: number; sd: number; median: number; max: number } => {
      const v = st.map(f);
      const total = v.reduce((a, b) => a + b, 0);
      const mean = Math.floor(total / n);
      const sd = n > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - mean) * (x - mean), 0) / (n - 1)) : 0;
      const sorted = [...v].sort((a, b) => a - b);
      // ab's median: the middle element, or (for odd counts) the mean of it and the next.
      const median = n > 1 && n % 2 ? Math.floor((sorted[Math.floor(n / 2)] + sorted[Math.floor(n / 2) + 1]) / 2) : sorted[Math.floor(n / 2)];
      return { min: roundMs(Math.min(...v)), mean: roundMs(mean), sd: sd / 1000, median: roundMs(median), max: roundMs(Math.max(...v)) };
    };
    const line = (name: string, c: ReturnType<typeof col>): string =>
      `${name}${String(c.min).padStart(5)} ${String(c.mean).padStart(4)} ${c.sd.toFixed(1).padStart(5)} ${String(c.median).padStart(6)} ${String(c.max).padStart(7)}\n`;
    s += '\nConnection Times (ms)\n              min  mean[+/-sd] median   max\n';
    s += line('Connect:    ', col((x) => x.ctime));
    s += line('Processing: ', col((x) => x.time - x.ctime));
    s += line('Waiting:    ', col((x) => x.waittime));
    s += line('Total:      ', col((x) => x.time));
    if (n > 1) {
      const byTime = st.map((x) => x.time).sort((a, b) => a - b);
      s += '\nPercentage of the requests served within a certain time (ms)\n';
      for (const p of [50, 66, 75, 80, 90, 95, 98, 99]) s += `  ${p}%  ${String(roundMs(byTime[Math.floor((n * p) / 100)])).padStart(5)}\n`;
      s += ` 100%  ${String(roundMs(byTime[n - 1])).padStart(5)} (longest request)\n`;
    }
  }
  return s;
}
