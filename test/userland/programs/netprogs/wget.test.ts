/**
 * GNU Wget's log lines and exit statuses, checked against what wget 1.21.3
 * printed on a Debian 12 host for the same cases (dates and rates aside: they
 * come from the simulated clock).
 */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

const SERVER = 'mkdir -p /tmp/www && echo hello > /tmp/www/index.html\nhttpd -p 8080 -h /tmp/www';

describe('wget', () => {
  test('a download to standard output, quiet and verbose', () => {
    const t = transcript(SERVER, ['wget -qO- http://127.0.0.1:8080/', 'wget -O- http://127.0.0.1:8080/'], { isolated: true });
    expect(t).toContain('$ wget -qO- http://127.0.0.1:8080/\nhello\nstatus=0\n');
    expect(t).toMatch(
      /\$ wget -O- http:\/\/127\.0\.0\.1:8080\/\n--2025-01-01 00:00:0\d-- {2}http:\/\/127\.0\.0\.1:8080\/\nConnecting to 127\.0\.0\.1:8080\.\.\. connected\.\nHTTP request sent, awaiting response\.\.\. 200 OK\nLength: 6 \[text\/html\]\nSaving to: ‘STDOUT’\nhello\n\n {5}0K {55}100% [ 0-9.]{4}[ KMG]=0s\n\n2025-01-01 00:00:0\d \([0-9.]+ [KMG]?B\/s\) - written to stdout \[6\/6\]\n\nstatus=0\n/,
    );
  });

  test('a file named after the URL, then index.html.1', () => {
    const t = transcript(SERVER, ['cd /tmp && wget -q http://127.0.0.1:8080/ && wget -q http://127.0.0.1:8080/ && cat index.html index.html.1'], { isolated: true });
    expect(t).toContain('hello\nhello\nstatus=0\n');
  });

  test('the outside web server by name, from /etc/hosts', () => {
    const t = transcript('', ['wget -O /tmp/page http://www.example.com/', 'cat /tmp/page']);
    expect(t).toContain(
      'Resolving www.example.com (www.example.com)... 203.0.113.10\nConnecting to www.example.com (www.example.com)|203.0.113.10|:80... connected.\nHTTP request sent, awaiting response... 200 OK\nLength: 96 [text/html]\nSaving to: ‘/tmp/page’\n',
    );
    expect(t).toContain('<html><body><h1>www.example.com</h1><p>Hello from outside the simulated host.</p></body></html>\nstatus=0\n');
  });

  test('failures: 404 (8), refused (4), unresolvable (4), unreachable (4), timeout (4)', () => {
    const t = transcript(SERVER, [
      'wget -qO- http://127.0.0.1:8080/missing',
      'wget -O- http://127.0.0.1:9/',
      'wget -O- http://localhost:9/',
      'wget -T 1 -t 1 -O- http://nosuchhost.invalid/',
      'wget -T 1 -t 2 -O- http://10.99.0.1/',
    ], { isolated: true });
    expect(t).toContain('$ wget -qO- http://127.0.0.1:8080/missing\nstatus=8\n');
    expect(t).toContain('Connecting to 127.0.0.1:9... failed: Connection refused.\nstatus=4\n');
    expect(t).toContain('Resolving localhost (localhost)... 127.0.0.1\nConnecting to localhost (localhost)|127.0.0.1|:9... failed: Connection refused.\nstatus=4\n');
    expect(t).toContain("Resolving nosuchhost.invalid (nosuchhost.invalid)... failed: Temporary failure in name resolution.\nwget: unable to resolve host address ‘nosuchhost.invalid’\nstatus=4\n");
    expect(t).toContain('Connecting to 10.99.0.1:80... failed: Network is unreachable.\nstatus=4\n');
    const slow = transcript('', ['wget -T 1 -t 1 -O- http://192.168.1.99/']);
    expect(slow).toContain('Connecting to 192.168.1.99:80... failed: Connection timed out.\nGiving up.\n\nstatus=4\n');
  });

  test('bad URLs and options', () => {
    const t = transcript('', ['wget -O- notaurl://x', 'wget -O- http://', 'wget -O- http://127.0.0.1:99999/', 'wget', 'wget -O- --bogus-opt http://127.0.0.1/', 'wget -q https://www.example.com/'], { isolated: true });
    expect(t).toContain('notaurl://x: Unsupported scheme ‘notaurl’.\nstatus=1\n');
    expect(t).toContain('http://: Invalid host name.\nstatus=1\n');
    expect(t).toContain('http://127.0.0.1:99999/: Bad port number.\nstatus=1\n');
    expect(t).toContain("$ wget\nwget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\nstatus=1\n");
    expect(t).toContain("wget: unrecognized option '--bogus-opt'\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\nstatus=2\n");
    expect(t).toContain('$ wget -q https://www.example.com/\nstatus=1\n');
  });
});
