/**
 * OpenSSH's known_hosts format, as far as a tunnel needs it: which keys a file holds for one host
 * and port, and the line that records a newly trusted key. Lines are
 * `[@marker] patterns keytype base64-key [comment]`; patterns are a comma list of names, where a
 * non-default port is written `[host]:port`, `*` and `?` are wildcards, a leading `!` negates, and a
 * hashed entry `|1|salt|hash` is HMAC-SHA1(salt, name) in base64 (HashKnownHosts).
 */
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostKey {
  /** The key's own type, as named inside its blob: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, … */
  keyType: string;
  /** The public key in SSH wire format (the base64 field decoded). */
  blob: Buffer;
  /** 1-based line number in the file, for messages that tell the user which line to remove. */
  line: number;
  /** `@revoked` lines name keys that must never be accepted. */
  revoked: boolean;
}

/** The name known_hosts files use for a host: OpenSSH writes `[host]:port` unless the port is 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** "SHA256:…" as `ssh-keygen -lf` and `ssh` print it: base64 of the blob's SHA-256, no padding. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Compares fingerprints the way users copy them: surrounding space and base64 padding ignored. */
export function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/=+$/, '');
  return norm(a) === norm(b);
}

/** The type string that starts every SSH public key blob (uint32 length, then the name). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  if (len === 0 || 4 + len > blob.length) return 'unknown';
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** Every key the file's text holds for this host and port, including revoked ones. */
export function keysForHost(text: string, host: string, port: number): KnownHostKey[] {
  const name = knownHostsName(host, port);
  const keys: KnownHostKey[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = (lines[i] ?? '').trim().split(/\s+/);
    if (fields.length === 0 || fields[0] === '' || fields[0]?.startsWith('#')) continue;
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      // CA lines sign host certificates, which ssh2 does not verify; they vouch for no plain key.
      if (marker === '@cert-authority') continue;
      if (marker !== '@revoked') continue;
      revoked = true;
    }
    const [patterns, , base64] = fields;
    if (!patterns || !base64 || !matchesHost(patterns, name)) continue;
    const blob = Buffer.from(base64, 'base64');
    if (blob.length === 0) continue;
    keys.push({ keyType: keyTypeOf(blob), blob, line: i + 1, revoked });
  }
  return keys;
}

/** One known_hosts line recording this key for this host and port (unhashed, so it can be read). */
export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostsName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

function matchesHost(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return matchesHashed(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      // A negated pattern that matches excludes the host from the whole line.
      if (globMatches(pattern.slice(1), name)) return false;
    } else if (globMatches(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

function matchesHashed(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  const expected = createHmac('sha1', Buffer.from(salt, 'base64')).update(name.toLowerCase()).digest('base64');
  return expected === hash;
}

/** Host names compare case-insensitively, as OpenSSH lowercases them before matching. */
function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}
