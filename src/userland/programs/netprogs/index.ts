/**
 * Registers the network programs at Debian 12's paths: iproute2's ss
 * (/usr/bin/ss), BusyBox's httpd (/usr/sbin/httpd), GNU Wget (/usr/bin/wget) and
 * ApacheBench from apache2-utils (/usr/bin/ab).
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { ssMain } from './ss.js';
import { httpdMain } from './httpd.js';
import { wgetMain } from './wget.js';
import { abMain } from './ab.js';

export function registerNetprogs(t: ProgramTable): void {
  t.add({ name: 'ss', main: ssMain, paths: ['/usr/bin/ss'], summary: 'iproute2 ss: TCP/UDP/raw sockets over sock_diag; -t -u -w -l -a -n -4 -s -p -H, state FILTER' });
  t.add({ name: 'httpd', main: httpdMain, paths: ['/usr/sbin/httpd'], summary: 'BusyBox httpd: static files, GET/HEAD, fork per connection; -p [IP:]PORT -h HOME -f -v' });
  t.add({ name: 'wget', main: wgetMain, paths: ['/usr/bin/wget'], summary: 'GNU Wget (http:// only, names from /etc/hosts): -q -nv -O FILE -T SECONDS -t TRIES -S' });
  t.add({ name: 'ab', main: abMain, paths: ['/usr/bin/ab'], summary: 'ApacheBench 2.3: -n REQUESTS -c CONCURRENCY -k, the full report' });
}
