/**
 * libpq's sslmode, sslrootcert, sslcert and sslkey as node-postgres `ssl` options (Node's TLS
 * options). The files are read here, before any socket is opened, so a missing or unreadable file
 * is a message naming the file and the profile, not a crash halfway through a handshake.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import { PgdriftError, messageOf } from '../errors';
import { describeTarget, type ConnectionTarget } from './target';

export function sslOptions(target: ConnectionTarget): ConnectionOptions | false {
  // node-postgres cannot fall back from TLS to plain text the way libpq's "prefer" does, so
  // "prefer" connects without TLS; ask for "require" or stronger to insist on encryption.
  if (target.sslmode === 'disable' || target.sslmode === 'prefer') return false;
  if ((target.sslcert === undefined) !== (target.sslkey === undefined)) {
    throw tlsFileError(target, 'a client certificate needs both sslcert and sslkey (only one is set)');
  }
  const options: ConnectionOptions = {};
  if (target.sslcert !== undefined && target.sslkey !== undefined) {
    options.cert = readPem(target, target.sslcert, 'client certificate (sslcert)');
    options.key = readPem(target, target.sslkey, 'client key (sslkey)');
  }
  // libpq: "if a root CA file exists, the behavior of sslmode=require will be the same as that of
  // verify-ca" — given a CA, require checks the chain too.
  const ca = target.sslrootcert === undefined ? undefined : readPem(target, target.sslrootcert, 'CA certificate (sslrootcert)');
  if (target.sslmode === 'require' && ca === undefined) return { ...options, rejectUnauthorized: false };
  if (ca !== undefined) options.ca = ca;
  options.rejectUnauthorized = true;
  if (target.sslmode !== 'verify-full') {
    // verify-ca: the chain must lead to the CA, whatever name the certificate carries.
    options.checkServerIdentity = () => undefined;
    return options;
  }
  // verify-full checks the name the user asked for. Through an SSH tunnel the socket goes to
  // 127.0.0.1, so the check (and SNI, which must not carry an IP address: RFC 6066) use the real
  // host, as libpq does when hostaddr differs from host.
  const realHost = target.host;
  options.checkServerIdentity = (_socketHost, cert) => checkServerIdentity(realHost, cert);
  if (target.via && isIP(realHost) === 0) options.servername = realHost;
  return options;
}

function readPem(target: ConnectionTarget, file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : messageOf(error);
    throw tlsFileError(target, `cannot read the ${what} file "${file}": ${reason}`, error);
  }
}

function tlsFileError(target: ConnectionTarget, reason: string, cause?: unknown): PgdriftError {
  const owner = target.profile === undefined ? describeTarget(target) : `profile "${target.profile}" (${describeTarget(target)})`;
  return new PgdriftError('tls-failed', `${owner}: ${reason}`, { cause, fix: target.profile === undefined ? undefined : 'edit-profile' });
}
