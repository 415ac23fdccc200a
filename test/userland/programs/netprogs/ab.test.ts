/** ApacheBench's report over the simulated clock: complete, and a pure function of the seed. */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

const SERVER = 'mkdir -p /tmp/www && echo hello > /tmp/www/index.html\nhttpd -p 8080 -h /tmp/www';

describe('ab', () => {
  test('-n 20 -c 4 against httpd: the whole report, identical on a second run', () => {
    const a = transcript(SERVER, ['ab -n 20 -c 4 http://127.0.0.1:8080/'], { isolated: true });
    const b = transcript(SERVER, ['ab -n 20 -c 4 http://127.0.0.1:8080/'], { isolated: true });
    expect(a).toBe(b);
    expect(a).toMatch(
      new RegExp(
        [
          'This is ApacheBench, Version 2\\.3 <\\$Revision: 1903618 \\$>',
          'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www\\.zeustech\\.net/',
          'Licensed to The Apache Software Foundation, http://www\\.apache\\.org/',
          '',
          'Benchmarking 127\\.0\\.0\\.1 \\(be patient\\)\\.\\.\\.\\.\\.done',
          '',
          '',
          'Server Software:        ',
          'Server Hostname:        127\\.0\\.0\\.1',
          'Server Port:            8080',
          '',
          'Document Path:          /',
          'Document Length:        6 bytes',
          '',
          'Concurrency Level:      4',
          'Time taken for tests:   \\d+\\.\\d{3} seconds',
          'Complete requests:      20',
          'Failed requests:        0',
          'Total transferred:      \\d+ bytes',
          'HTML transferred:       120 bytes',
          'Requests per second:    \\d+\\.\\d\\d \\[#/sec\\] \\(mean\\)',
          'Time per request:       \\d+\\.\\d{3} \\[ms\\] \\(mean\\)',
          'Time per request:       \\d+\\.\\d{3} \\[ms\\] \\(mean, across all concurrent requests\\)',
          'Transfer rate:          \\d+\\.\\d\\d \\[Kbytes/sec\\] received',
          '',
          'Connection Times \\(ms\\)',
          '              min  mean\\[\\+/-sd\\] median   max',
          'Connect: {4}[ \\d]{5} [ \\d]{4} [ \\d.]{5} [ \\d]{6} [ \\d]{7}',
          'Processing: [ \\d]{5} [ \\d]{4} [ \\d.]{5} [ \\d]{6} [ \\d]{7}',
          'Waiting: {4}[ \\d]{5} [ \\d]{4} [ \\d.]{5} [ \\d]{6} [ \\d]{7}',
          'Total: {6}[ \\d]{5} [ \\d]{4} [ \\d.]{5} [ \\d]{6} [ \\d]{7}',
          '',
          'Percentage of the requests served within a certain time \\(ms\\)',
          '  50%  [ \\d]{5}\n  66%  [ \\d]{5}\n  75%  [ \\d]{5}\n  80%  [ \\d]{5}\n  90%  [ \\d]{5}\n  95%  [ \\d]{5}\n  98%  [ \\d]{5}\n  99%  [ \\d]{5}',
          ' 100%  [ \\d]{5} \\(longest request\\)',
          'status=0',
        ].join('\n'),
      ),
    );
    // Each response: HTTP/1.1 head plus the 6-byte body; 20 of them.
    const total = Number(/Total transferred: +(\d+)/.exec(a)![1]);
    expect(total % 20).toBe(0);
  });

  test('the outside server: ~10 ms round trips show in the connection times', () => {
    const t = transcript('', ['ab -n 4 -c 2 http://www.example.com/']);
    expect(t).toContain('Server Software:        ctsim-remote\nServer Hostname:        www.example.com\nServer Port:            80\n');
    expect(t).toContain('Complete requests:      4\nFailed requests:        0\n');
    expect(Number(/Connect: +(\d+)/.exec(t)![1])).toBeGreaterThanOrEqual(10);
  });

  test('errors: connection refused (apr_socket_recv, 111), a URL without a path (usage, 22)', () => {
    const t = transcript('', ['ab -n 5 http://127.0.0.1:9/', 'ab -n 5 http://127.0.0.1:8080 2>&1 | head -2'], { isolated: true });
    expect(t).toContain('Benchmarking 127.0.0.1 (be patient)...apr_socket_recv: Connection refused (111)\nstatus=111\n');
    expect(t).toContain('ab: invalid URL\nUsage: ab [options] [http[s]://]hostname[:port]/path\n');
  });
});
