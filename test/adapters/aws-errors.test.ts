import { awsFailure, awsFailureKind, describeAwsError } from '../../lambdas/adapters/aws-errors';
import { clearSecrets, registerSecret } from '../../lambdas/core/redact';

const sdkError = (name: string, status?: number, message = 'm') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

afterEach(() => clearSecrets());

describe('awsFailureKind', () => {
  it.each([
    ['AccessDenied', 403, 'denied'],
    ['AccessDeniedException', 400, 'denied'],
    ['ExpiredTokenException', 400, 'auth'],
    ['CredentialsProviderError', undefined, 'auth'],
    ['NotFoundException', 400, 'not-found'],
    ['NoSuchBucket', 404, 'not-found'],
    ['TimeoutError', undefined, 'timeout'],
    ['SomethingNew', 403, 'denied'],
    ['InternalError', 500, 'error'],
    ['Unknown', 404, 'error'],
  ] as const)('maps %s (HTTP %s) to %s', (name, status, kind) => {
    expect(awsFailureKind(sdkError(name, status))).toBe(kind);
  });

  it('maps socket errors to unreachable, also when the retry layer flattened them to text', () => {
    expect(awsFailureKind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('unreachable');
    expect(awsFailureKind(new Error('AWS SDK error wrapper for Error: getaddrinfo ENOTFOUND lightsail.ca-central-1.amazonaws.com'))).toBe('unreachable');
  });
});

describe('awsFailure', () => {
  it('calls a 404 without an AWS error code an unexpected answer, not "not found" (a proxy or a wrong endpoint)', () => {
    expect(awsFailure(sdkError('Unknown', 404, 'UnknownError'), 'lightsail:GetInstance', 'instance i')).toEqual({
      ok: false,
      kind: 'error',
      reason: 'lightsail:GetInstance on instance i: HTTP 404 without an AWS error code (Unknown: UnknownError); is the endpoint an AWS API?',
    });
  });

  it('names the IAM action and the object of a denial', () => {
    expect(awsFailure(sdkError('AccessDenied', 403, 'Access Denied'), 's3:GetLifecycleConfiguration', 'bucket b')).toEqual({
      ok: false,
      kind: 'denied',
      reason: 's3:GetLifecycleConfiguration denied on bucket b (AccessDenied: Access Denied)',
    });
  });

  it('keeps only the first line of a message and removes registered secrets', () => {
    registerSecret('hunter2-secret');
    expect(describeAwsError(sdkError('ValidationException', 400, 'value hunter2-secret is bad\nstack...'))).toBe('ValidationException: value *** is bad');
  });
});
