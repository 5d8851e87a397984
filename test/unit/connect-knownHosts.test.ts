// known_hosts parsing against hand-made lines; the same rules are exercised end to end against a
// real sshd (and ssh-keygen's own hashing) in test/acceptance/connect/tunnel.test.ts.
import { strict as assert } from 'node:assert';
import { createHmac, randomBytes } from 'node:crypto';
import { fingerprintOf, keysForHost, keyTypeOf, knownHostsLine, sameFingerprint } from '../../src/core/connect/knownHosts';

/** A fake public key blob: the type string as SSH encodes it, then some bytes. */
function blob(type: string, body: string): Buffer {
  const name = Buffer.from(type, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(name.length);
  return Buffer.concat([len, name, Buffer.from(body)]);
}
const ed = blob('ssh-ed25519', 'first');
const rsa = blob('ssh-rsa', 'second');
const line = (patterns: string, key: Buffer) => `${patterns} ${keyTypeOf(key)} ${key.toString('base64')}`;
const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};
const found = (text: string, host: string, port: number) => keysForHost(text, host, port).map((k) => `${k.keyType}@${k.line}${k.revoked ? ' revoked' : ''}`);

describe('known_hosts', () => {
  it('reads the key type from the blob and prints fingerprints as ssh-keygen does', () => {
    assert.equal(keyTypeOf(ed), 'ssh-ed25519');
    assert.equal(keyTypeOf(Buffer.from([0, 0])), 'unknown');
    assert.match(fingerprintOf(ed), /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.ok(sameFingerprint(` ${fingerprintOf(ed)}= `, fingerprintOf(ed)));
  });

  it('port 22 uses the bare name, any other port [host]:port only', () => {
    const text = [line('db.example', ed), line('[db.example]:2222', rsa)].join('\n');
    assert.deepEqual(found(text, 'db.example', 22), ['ssh-ed25519@1']);
    assert.deepEqual(found(text, 'db.example', 2222), ['ssh-rsa@2']);
    assert.deepEqual(found(text, 'db.example', 2200), []);
  });

  it('comma lists, wildcards, negation and case', () => {
    const text = [line('a.example,B.Example', ed), line('*.corp,!secret.corp', rsa), line('host?', ed)].join('\n');
    assert.deepEqual(found(text, 'b.example', 22), ['ssh-ed25519@1']);
    assert.deepEqual(found(text, 'x.corp', 22), ['ssh-rsa@2']);
    assert.deepEqual(found(text, 'secret.corp', 22), []);
    assert.deepEqual(found(text, 'host1', 22), ['ssh-ed25519@3']);
    assert.deepEqual(found(text, 'host12', 22), []);
  });

  it('hashed entries, with the port form hashed as written', () => {
    const text = [line(hashed('bastion'), ed), line(hashed('[bastion]:2022'), rsa)].join('\n');
    assert.deepEqual(found(text, 'bastion', 22), ['ssh-ed25519@1']);
    assert.deepEqual(found(text, 'Bastion', 2022), ['ssh-rsa@2']);
    assert.deepEqual(found(text, 'other', 22), []);
  });

  it('comments, blank and broken lines are skipped; @revoked is kept and marked; @cert-authority is ignored', () => {
    const text = ['# comment', '', 'bastion', `@revoked ${line('bastion', rsa)}`, `@cert-authority ${line('bastion', ed)}`, line('bastion', ed)].join('\r\n');
    assert.deepEqual(found(text, 'bastion', 22), ['ssh-rsa@4 revoked', 'ssh-ed25519@6']);
  });

  it('the line written for a trusted key is found again', () => {
    const text = knownHostsLine('10.0.0.5', 2222, ed);
    assert.equal(text, `[10.0.0.5]:2222 ssh-ed25519 ${ed.toString('base64')}`);
    assert.ok(keysForHost(text, '10.0.0.5', 2222)[0]?.blob.equals(ed));
  });
});
