import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { clearSecretCache, createSecretReader } from '../../lambdas/adapters/secrets';
import { clearSecrets, redact } from '../../lambdas/core/redact';

const ssm = mockClient(SSMClient);
const sm = mockClient(SecretsManagerClient);
const creds = { region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
const clients = { ssm: new SSMClient(creds), secretsManager: new SecretsManagerClient(creds) };
const PASSWORD = 'pw-7f3a!Secret/Value';

beforeEach(() => {
  ssm.reset();
  sm.reset();
  clearSecretCache();
  clearSecrets();
});
afterAll(() => {
  ssm.restore();
  sm.restore();
  clearSecrets();
});

describe('createSecretReader', () => {
  it('reads an SSM SecureString with decryption and registers it for redaction', async () => {
    ssm.on(GetParameterCommand, { Name: '/chronos/db-password', WithDecryption: true }).resolves({ Parameter: { Value: PASSWORD } });
    expect(await createSecretReader(clients).read({ ssmParameter: '/chronos/db-password' })).toEqual({ ok: true, value: PASSWORD });
    expect(redact(`user "${PASSWORD}" failed; url postgresql://${encodeURIComponent(PASSWORD)}@h`)).toBe('user "***" failed; url postgresql://***@h');
  });

  it('reads a Secrets Manager string secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'chronos/repo-cipher' }).resolves({ SecretString: PASSWORD });
    expect(await createSecretReader(clients).read({ secretsManager: 'chronos/repo-cipher' })).toEqual({ ok: true, value: PASSWORD });
    expect(redact(PASSWORD)).toBe('***');
  });

  it('reads a Secrets Manager binary secret as UTF-8', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new TextEncoder().encode(PASSWORD) });
    expect(await createSecretReader(clients).read({ secretsManager: 'bin' })).toEqual({ ok: true, value: PASSWORD });
  });

  it('reads an environment variable without touching AWS', async () => {
    const reader = createSecretReader(clients, { env: { PGPASSWORD: PASSWORD } });
    expect(await reader.read({ env: 'PGPASSWORD' })).toEqual({ ok: true, value: PASSWORD });
    expect(redact(PASSWORD)).toBe('***');
    expect(ssm.calls()).toHaveLength(0);
  });

  it('names an unset environment variable', async () => {
    expect(await createSecretReader(clients, { env: {} }).read({ env: 'PGPASSWORD' })).toEqual({ ok: false, kind: 'config', reason: 'environment variable PGPASSWORD is not set' });
  });

  it('names a missing SSM parameter', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: { httpStatusCode: 400 } }));
    const r = await createSecretReader(clients).read({ ssmParameter: '/chronos/nope' });
    expect(r).toMatchObject({ ok: false, kind: 'not-found' });
    expect(r.ok ? '' : r.reason).toMatch(/^SSM parameter \/chronos\/nope not found/);
  });

  it('names the IAM actions when SSM or KMS denies the read', async () => {
    ssm.on(GetParameterCommand).rejects(
      new SSMServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'not authorized to perform: ssm:GetParameter' }),
    );
    const r = await createSecretReader(clients).read({ ssmParameter: '/chronos/db-password' });
    expect(r).toEqual({
      ok: false,
      kind: 'denied',
      reason: 'ssm:GetParameter (with kms:Decrypt) denied on SSM parameter /chronos/db-password (AccessDeniedException: not authorized to perform: ssm:GetParameter)',
    });
  });

  it('names a missing Secrets Manager secret', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    const r = await createSecretReader(clients).read({ secretsManager: 'chronos/nope' });
    expect(r).toMatchObject({ ok: false, kind: 'not-found' });
    expect(r.ok ? '' : r.reason).toMatch(/^Secrets Manager secret chronos\/nope not found/);
  });

  it('reports an empty value as a configuration problem', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '' } });
    expect(await createSecretReader(clients).read({ ssmParameter: '/chronos/empty' })).toEqual({ ok: false, kind: 'config', reason: 'SSM parameter /chronos/empty is empty' });
  });

  it('reuses a value for 15 minutes, then reads it again', async () => {
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: 'first-value' } }).resolvesOnce({ Parameter: { Value: 'rotated-value' } });
    let now = 1_000_000;
    const reader = createSecretReader(clients, { clock: () => now });
    const src = { ssmParameter: '/chronos/db-password' };
    expect(await reader.read(src)).toEqual({ ok: true, value: 'first-value' });
    now += 14 * 60 * 1000;
    expect(await createSecretReader(clients, { clock: () => now }).read(src)).toEqual({ ok: true, value: 'first-value' }); // shared per process
    now += 2 * 60 * 1000;
    expect(await reader.read(src)).toEqual({ ok: true, value: 'rotated-value' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('does not cache failures', async () => {
    ssm.on(GetParameterCommand).rejectsOnce(new ParameterNotFound({ message: 'x', $metadata: {} })).resolves({ Parameter: { Value: 'later' } });
    const reader = createSecretReader(clients);
    expect((await reader.read({ ssmParameter: '/p' })).ok).toBe(false);
    expect(await reader.read({ ssmParameter: '/p' })).toEqual({ ok: true, value: 'later' });
  });

  it('never puts the value into a failure reason, even when AWS echoes it', async () => {
    // First read registers the value; a later error message that quotes it must come out redacted.
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: PASSWORD } });
    await createSecretReader(clients).read({ ssmParameter: '/a' });
    clearSecretCache();
    ssm.on(GetParameterCommand).rejects(new SSMServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message: `bad value ${PASSWORD}` }));
    const r = await createSecretReader(clients).read({ ssmParameter: '/a' });
    expect(r.ok ? '' : r.reason).not.toContain(PASSWORD);
    expect(r.ok ? '' : r.reason).toContain('***');
  });
});
