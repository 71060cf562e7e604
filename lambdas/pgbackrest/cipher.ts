import { createDecipheriv, createHash } from 'node:crypto';

const SALTED = Buffer.from('Salted__', 'latin1');
const PGBR = Buffer.from('PGBR', 'latin1');

/** The file carries a cipher header this monitor cannot decrypt yet (e.g. pgBackRest repository format 6). */
export class UnsupportedCipherFormatError extends Error {
  override name = 'UnsupportedCipherFormatError';
}

/** The cipher pass does not decrypt the file (OpenSSL "bad decrypt": wrong pass or damaged data). */
export class WrongCipherPassError extends Error {
  override name = 'WrongCipherPassError';
}

/** True when the bytes start with a pgBackRest cipher header (`Salted__` format 5, or `PGBR` format >= 6). */
export function isEncrypted(buf: Buffer): boolean {
  return startsWith(buf, SALTED) || startsWith(buf, PGBR);
}

function startsWith(buf: Buffer, magic: Buffer): boolean {
  return buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic);
}

// EVP_BytesToKey with one iteration; pgBackRest always derives format-5 keys with SHA-1 (cipherBlock.c).
function bytesToKeySha1(pass: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  let out = Buffer.alloc(0);
  let d = Buffer.alloc(0);
  while (out.length < 48) {
    d = createHash('sha1').update(Buffer.concat([d, pass, salt])).digest();
    out = Buffer.concat([out, d]);
  }
  return { key: out.subarray(0, 32), iv: out.subarray(32, 48) };
}

/**
 * Decrypts a pgBackRest repository file (aes-256-cbc, OpenSSL `Salted__` header, SHA-1 key derivation).
 * The pass is used as its UTF-8 text, also for base64 sub-passes. Throws {@link UnsupportedCipherFormatError}
 * or {@link WrongCipherPassError}; never includes the pass in a message.
 */
export function decryptRepoFile(buf: Buffer, pass: string): Buffer {
  if (startsWith(buf, PGBR)) {
    const format = buf.subarray(4, 7).toString('latin1');
    throw new UnsupportedCipherFormatError(`unsupported cipher header "PGBR${format}" (pgBackRest repository format ${Number(format) || format}); this monitor reads format 5 ("Salted__")`);
  }
  if (!startsWith(buf, SALTED)) throw new UnsupportedCipherFormatError('cipher header invalid: the file does not start with "Salted__"');
  if (buf.length < 32 || (buf.length - 16) % 16 !== 0) throw new WrongCipherPassError(`wrong cipher pass (bad decrypt): ciphertext of ${buf.length - 16} bytes is not whole AES blocks (truncated file?)`);
  const { key, iv } = bytesToKeySha1(Buffer.from(pass, 'utf8'), buf.subarray(8, 16));
  try {
    const d = createDecipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([d.update(buf.subarray(16)), d.final()]);
  } catch {
    throw new WrongCipherPassError('wrong cipher pass (bad decrypt)');
  }
}
