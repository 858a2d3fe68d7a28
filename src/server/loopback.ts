/**
 * Whether a listen address only accepts connections from this machine: `localhost`,
 * 127.0.0.0/8, `::1` (in any spelling, bracketed or not) and IPv4-mapped 127.x addresses.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isLoopbackIpv4(name)) return true;
  const groups = name.includes(':') ? ipv6Groups(name) : null;
  if (!groups) return false;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 7) && groups[7] === 1) return true;
  // ::ffff:127.x.y.z
  return zeros(0, 5) && groups[5] === 0xffff && groups[6]! >> 8 === 127;
}

function isLoopbackIpv4(name: string): boolean {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name)?.slice(1).map(Number);
  return octets !== undefined && octets[0] === 127 && octets.every((octet) => octet <= 255);
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(name: string): number[] | null {
  let text = name;
  const tail: number[] = [];
  const mapped = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) {
    const octets = mapped[2]!.split('.').map(Number);
    if (octets.some((octet) => octet > 255)) return null;
    tail.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    text = mapped[1]!.endsWith('::') ? mapped[1]! : mapped[1]!.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  const missing = 8 - tail.length - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const fill = Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0');
  return [...head, ...fill, ...rest].map((group) => Number.parseInt(group, 16)).concat(tail);
}
