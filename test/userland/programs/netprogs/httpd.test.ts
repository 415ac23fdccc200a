/** BusyBox httpd: daemonizing, static files, error pages, a fork per connection. */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

const WWW = 'mkdir -p /tmp/www/sub && echo hello > /tmp/www/index.html && echo text > /tmp/www/a.txt && echo bin > /tmp/www/b.dat && echo sub > /tmp/www/sub/index.html';

describe('httpd', () => {
  test('daemonizes (the parent exits 0) and serves files by path with their types', () => {
    const t = transcript(`${WWW}\nhttpd -p 8080 -h /tmp/www; echo "httpd status=$?"`, [
      'wget -qO- http://127.0.0.1:8080/',
      'wget -qO- http://127.0.0.1:8080/sub/',
      'wget -S -O /dev/null http://127.0.0.1:8080/a.txt 2>&1 | grep -E "HTTP/|Content-|Connection"',
      'wget -S -O /dev/null http://127.0.0.1:8080/b.dat 2>&1 | grep Content-type',
    ]);
    expect(t).toContain('httpd status=0\n');
    expect(t).toContain('$ wget -qO- http://127.0.0.1:8080/\nhello\nstatus=0\n');
    expect(t).toContain('$ wget -qO- http://127.0.0.1:8080/sub/\nsub\nstatus=0\n');
    expect(t).toContain('  HTTP/1.1 200 OK\n  Content-type: text/plain\n  Connection: close\n  Content-Length: 5\n');
    expect(t).toContain('  Content-type: application/octet-stream\n');
  });

  test('404, 501 and the redirect of a directory without its slash', () => {
    const t = transcript(`${WWW}\nhttpd -p 8080 -h /tmp/www`, [
      'wget -O- http://127.0.0.1:8080/missing',
      'wget -S -O /dev/null http://127.0.0.1:8080/sub 2>&1 | grep -E "302|Location"',
    ]);
    expect(t).toContain('HTTP request sent, awaiting response... 404 Not Found\n2025-01-01 00:00:00 ERROR 404: Not Found.\n\nstatus=8\n');
    expect(t).toContain('  HTTP/1.1 302 Found\n  Location: /sub/\n');
  });

  test('a second server on the port: "httpd: bind: Address already in use", exit 1', () => {
    const t = transcript('httpd -p 8080 -h /tmp', ['httpd -p 8080 -h /tmp', 'httpd -p 8081 -h /nonexistent']);
    expect(t).toContain('$ httpd -p 8080 -h /tmp\nhttpd: bind: Address already in use\nstatus=1\n');
    expect(t).toContain("httpd: can't change directory to '/nonexistent': No such file or directory\nstatus=1\n");
  });

  test('-f -v logs each response on standard error; connections are served concurrently', () => {
    const t = transcript(`${WWW}\nhttpd -f -v -p 8080 -h /tmp/www 2>/tmp/log &\nsleep 1`, [
      'wget -q -O /tmp/1 http://127.0.0.1:8080/ & A=$!; wget -q -O /tmp/2 http://127.0.0.1:8080/a.txt & B=$!; wget -q -O /tmp/3 http://127.0.0.1:8080/nope & C=$!; wait $A $B $C',
      'cat /tmp/1 /tmp/2',
      'sort /tmp/log',
    ]);
    expect(t).toContain('$ cat /tmp/1 /tmp/2\nhello\ntext\nstatus=0\n');
    expect(t).toMatch(/\$ sort \/tmp\/log\n127\.0\.0\.1:\d+: response:200\n127\.0\.0\.1:\d+: response:200\n127\.0\.0\.1:\d+: response:404\nstatus=0\n/);
  });
});
