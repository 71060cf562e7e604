import { execFileSync } from 'node:child_process';
import { decryptRepoFile, isEncrypted, UnsupportedCipherFormatError, WrongCipherPassError } from '../../lambdas/pgbackrest/cipher';
import { requireTool } from '../support/pg-cluster';

const PASS = 'correct-horse-battery-staple';

/** Encrypts like pgBackRest does (OpenSSL enc, aes-256-cbc, SHA-1 key derivation). */
function opensslEncrypt(plain: string, pass: string): Buffer {
  requireTool('/usr/bin/openssl', 'the openssl CLI is needed to produce reference ciphertext');
  return execFileSync('/usr/bin/openssl', ['enc', '-aes-256-cbc', '-md', 'sha1', '-salt', '-pass', `pass:${pass}`], { input: plain, stdio: ['pipe', 'pipe', 'ignore'] });
}

describe('decryptRepoFile', () => {
  const plain = '[backrest]\nbackrest-format=5\n';

  it('decrypts what `openssl enc -aes-256-cbc -md sha1` wrote', () => {
    const enc = opensslEncrypt(plain, PASS);
    expect(isEncrypted(enc)).toBe(true);
    expect(decryptRepoFile(enc, PASS).toString('utf8')).toBe(plain);
  });

  it('uses a base64 sub-pass as its text, not the bytes it encodes', () => {
    const subPass = 'pL0n6xP5mZ8wZyJ3n+R4R0l0ZGhGdXJ0aGVyVGV4dEhlcmUxMjM0NTY3ODkwYWJj';
    expect(decryptRepoFile(opensslEncrypt(plain, subPass), subPass).toString('utf8')).toBe(plain);
  });

  it('reports a wrong pass as "wrong cipher pass (bad decrypt)" without echoing either pass', () => {
    const enc = opensslEncrypt(plain, PASS);
    let err: unknown;
    for (const wrong of ['not-the-pass', 'another-wrong-one', 'third-wrong-pass']) {
      try {
        decryptRepoFile(enc, wrong);
      } catch (e) {
        err = e;
        break;
      }
    }
    expect(err).toBeInstanceOf(WrongCipherPassError);
    expect((err as Error).name).toBe('WrongCipherPassError');
    expect((err as Error).message).toBe('wrong cipher pass (bad decrypt)');
    expect((err as Error).message).not.toContain(PASS);
  });

  it('reports a truncated ciphertext as bad decrypt, not a crash', () => {
    const enc = opensslEncrypt(plain, PASS);
    expect(() => decryptRepoFile(enc.subarray(0, enc.length - 5), PASS)).toThrow(WrongCipherPassError);
  });

  it('rejects a repository-format-6 "PGBR" header as unsupported, naming the format', () => {
    const buf = Buffer.concat([Buffer.from('PGBR006\0', 'latin1'), Buffer.alloc(32)]);
    expect(isEncrypted(buf)).toBe(true);
    expect(() => decryptRepoFile(buf, PASS)).toThrow(UnsupportedCipherFormatError);
    expect(() => decryptRepoFile(buf, PASS)).toThrow(/format 6/);
  });

  it('treats plaintext as not encrypted and refuses to decrypt it', () => {
    const buf = Buffer.from(plain);
    expect(isEncrypted(buf)).toBe(false);
    expect(() => decryptRepoFile(buf, PASS)).toThrow(/does not start with "Salted__"/);
  });
});
