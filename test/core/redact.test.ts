import { clearSecrets, redact, redactDeep, registerSecret } from '../../lambdas/core/redact';

const QUOTED = 'Pw"q\\uote$1x';

afterEach(() => clearSecrets());

describe('redact', () => {
  it('hides a secret with a quote and a backslash in JSON text, where it appears escaped', () => {
    registerSecret(QUOTED);
    const json = JSON.stringify({ reason: `127.0.0.1:5432/${QUOTED}: database "${QUOTED}" does not exist` }, null, 2);
    expect(json).toContain('Pw\\"q\\\\uote$1x');
    const out = redact(json);
    expect(out).not.toContain('Pw\\"q\\\\uote$1x');
    expect(out).not.toContain('uote$1x');
    expect(JSON.parse(out)).toEqual({ reason: '127.0.0.1:5432/***: database "***" does not exist' });
  });

  it('hides the raw and the URL-encoded forms', () => {
    registerSecret(QUOTED);
    expect(redact(`user "${QUOTED}" url postgresql://u:${encodeURIComponent(QUOTED)}@h`)).toBe('user "***" url postgresql://u:***@h');
  });

  it('hides a secret with control characters in JSON text', () => {
    registerSecret('tab\there-secret');
    expect(redact(JSON.stringify(['tab\there-secret']))).toBe('["***"]');
  });

  it('hides a secret shorter than 4 characters only where it stands as a whole token', () => {
    registerSecret('x');
    expect(redact('connect failed: timeout expired for user "x" at 0x1f')).toBe('connect failed: timeout expired for user "***" at 0x1f');
    expect(redact(JSON.stringify({ user: 'x' }))).toBe('{"user":"***"}');
  });

  it('hides a secret of 4 characters or more wherever it appears, even inside a word', () => {
    registerSecret('expired');
    expect(redact('timeout expired; unexpiredness')).toBe('timeout ***; un***ness');
  });
});

describe('redactDeep', () => {
  it('redacts every string and key of an object, including secrets that JSON would escape', () => {
    registerSecret(QUOTED);
    const out = redactDeep({ summary: `db "${QUOTED}"`, details: { list: [QUOTED, 3, null, true], [QUOTED]: 'key' }, at: new Date(0) });
    expect(out).toEqual({ summary: 'db "***"', details: { list: ['***', 3, null, true], '***': 'key' }, at: '1970-01-01T00:00:00.000Z' });
    expect(JSON.stringify(out)).not.toContain('uote$1x');
  });

  it('returns the value unchanged when no secret is registered', () => {
    const v = { a: 1 };
    expect(redactDeep(v)).toBe(v);
  });
});
