/**
 * IPv4 and Ethernet addresses as the stack keeps them: an IPv4 address is an
 * unsigned 32-bit number, a MAC address the lowercase text `aa:bb:cc:dd:ee:ff`
 * (which is also how iproute2 prints it).
 */

export type Ipv4 = number;
export type Mac = string;

export const MAC_BROADCAST: Mac = 'ff:ff:ff:ff:ff:ff';
export const MAC_ZERO: Mac = '00:00:00:00:00:00';
export const INADDR_ANY: Ipv4 = 0;

/** Parses dotted-quad text (inet_pton(3): exactly four decimal parts 0-255), or null. */
export function parseIpv4(text: string): Ipv4 | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

export function formatIpv4(a: Ipv4): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** The netmask of a prefix length 0-32, as an unsigned number. */
export function prefixMask(len: number): Ipv4 {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** `a` with its host bits cleared. */
export function networkOf(a: Ipv4, len: number): Ipv4 {
  return (a & prefixMask(len)) >>> 0;
}

export function inPrefix(a: Ipv4, net: Ipv4, len: number): boolean {
  return networkOf(a, len) === networkOf(net, len);
}

/** The directed broadcast address of `a`'s prefix. */
export function broadcastOf(a: Ipv4, len: number): Ipv4 {
  return (networkOf(a, len) | (~prefixMask(len) >>> 0)) >>> 0;
}

export function isMulticast(a: Ipv4): boolean {
  return a >>> 28 === 0xe;
}

/** Parses `aa:bb:cc:dd:ee:ff` (any case), or null. */
export function parseMac(text: string): Mac | null {
  return /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(text)
    ? text
        .split(':')
        .map((b) => b.padStart(2, '0').toLowerCase())
        .join(':')
    : null;
}

export function macFromBytes(bytes: readonly number[]): Mac {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function macBytes(mac: Mac): number[] {
  return mac.split(':').map((b) => parseInt(b, 16));
}

/** True for group (multicast or broadcast) addresses: bit 0 of the first byte. */
export function isGroupMac(mac: Mac): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** Orders MAC addresses as memcmp would (the bridge takes its smallest port's). */
export function compareMac(a: Mac, b: Mac): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The EUI-64 IPv6 link-local address of a MAC, as `ip addr` prints it (fe80::…/64). */
export function linkLocal6(mac: Mac): string {
  const b = macBytes(mac);
  const words = [((b[0] ^ 2) << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
  // fe80:0:0:0 then the interface ID; leading zero words join the "::" run (inet_ntop).
  while (words.length > 1 && words[0] === 0) words.shift();
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`;
}
