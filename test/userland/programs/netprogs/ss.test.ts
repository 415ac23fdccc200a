/**
 * ss as iproute2 6.1 prints it. The expected layouts are the real ss's, captured
 * on a Debian 12 host (the empty-namespace header, and the 127.0.0.1:8080
 * listener rows, whose widths depend on their contents); the only differences
 * are what the sockets themselves differ in (httpd's backlog 9 where Python's
 * http.server has 5).
 */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

const SERVER = 'mkdir -p /tmp/www && echo hello > /tmp/www/index.html\nhttpd -p 127.0.0.1:8080 -h /tmp/www';

describe('ss', () => {
  test('an empty namespace: the header alone, with its "PortProcess" quirk', () => {
    expect(transcript('', ['ss -V', 'ss -tuln', 'ss -un'], { isolated: true })).toBe(
      [
        '$ ss -V',
        'ss utility, iproute2-6.1.0',
        'status=0',
        '$ ss -tuln',
        'Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'status=0',
        '$ ss -un',
        'Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'status=0',
        '',
      ].join('\n'),
    );
  });

  test('a listener: -tln, -tuln, -H, -4 and the default (connected only)', () => {
    expect(transcript(SERVER, ['ss -tln', 'ss -tuln', 'ss -tnlH', 'ss -4 -tln', 'ss -t'], { isolated: true })).toBe(
      [
        '$ ss -tln',
        'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'LISTEN 0      9          127.0.0.1:8080      0.0.0.0:*          ',
        'status=0',
        '$ ss -tuln',
        'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'tcp   LISTEN 0      9          127.0.0.1:8080      0.0.0.0:*          ',
        'status=0',
        '$ ss -tnlH',
        'LISTEN 0      9      127.0.0.1:8080 0.0.0.0:*',
        'status=0',
        '$ ss -4 -tln',
        'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'LISTEN 0      9          127.0.0.1:8080      0.0.0.0:*          ',
        'status=0',
        '$ ss -t',
        'State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'status=0',
        '',
      ].join('\n'),
    );
  });

  test('an established connection widens the port columns; state filters hide State', () => {
    // The server is stopped, so the connection waits in its accept queue with the request unread.
    const setup = `${SERVER.replace('httpd -p', 'httpd -f -p')} & P=$!\nsleep 1\nkill -STOP $P\nwget -q -O- http://127.0.0.1:8080/ >/dev/null &\nsleep 1`;
    expect(transcript(setup, ['ss -tan', 'ss -tn', 'ss -ant state established', 'ss -tlnp'], { isolated: true })).toBe(
      [
        '$ ss -tan',
        'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
        'LISTEN 1      9          127.0.0.1:8080       0.0.0.0:*           ',
        'ESTAB  129    0          127.0.0.1:8080     127.0.0.1:32768       ',
        'ESTAB  0      0          127.0.0.1:32768    127.0.0.1:8080        ',
        'status=0',
        '$ ss -tn',
        'State Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
        'ESTAB 129    0          127.0.0.1:8080     127.0.0.1:32768       ',
        'ESTAB 0      0          127.0.0.1:32768    127.0.0.1:8080        ',
        'status=0',
        '$ ss -ant state established',
        'Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
        '129    0          127.0.0.1:8080     127.0.0.1:32768       ',
        '0      0          127.0.0.1:32768    127.0.0.1:8080        ',
        'status=0',
        '$ ss -tlnp',
        'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                      ',
        'LISTEN 1      9          127.0.0.1:8080      0.0.0.0:*    users:(("httpd",pid=7,fd=4))',
        'status=0',
        '',
      ].join('\n'),
    );
  });

  test('-s counts sockets by protocol', () => {
    const t = transcript(SERVER, ['ss -s'], { isolated: true });
    expect(t).toContain('TCP:   1 (estab 0, closed 0, orphaned 0, timewait 0)\n\nTransport Total     IP        IPv6\nRAW\t  0         0         0        \nUDP\t  0         0         0        \nTCP\t  1         1         0        \n');
  });

  test('errors as ss words them', () => {
    const t = transcript('', ['ss -Z', 'ss -t state bogus', 'ss --bogus | head -1'], { isolated: true });
    expect(t).toContain('$ ss -Z\nss: SELinux is not enabled.\nstatus=1\n');
    expect(t).toContain('ss: wrong state name: bogus\nstatus=255\n');
    expect(t).toContain("ss: unrecognized option '--bogus'\nUsage: ss [ OPTIONS ]\n");
  });
});
