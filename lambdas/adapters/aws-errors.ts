/**
 * Turns an AWS SDK error into an {@link Observed} failure. The adapters know which IAM action and which
 * object a call was about; this module knows how the SDK spells denial, absence, bad credentials and dead
 * networks. Messages are redacted because some SDK errors echo request parameters.
 */
import { failed, type FailureKind, type Observed } from '../core/observed';
import { redact } from '../core/redact';

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'AllAccessDisabled', 'AuthorizationError']);
const AUTH = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'TokenRefreshRequired',
  'UnauthenticatedException',
]);
const NOT_FOUND = new Set(['NotFoundException', 'NoSuchBucket', 'NoSuchKey', 'NotFound', 'ParameterNotFound', 'ResourceNotFoundException', 'DoesNotExist']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** What an SDK error looks like from the outside. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The kind of failure an SDK error stands for. */
export function awsFailureKind(err: unknown): FailureKind {
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? e.Code ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (DENIED.has(name)) return 'denied';
  if (AUTH.has(name)) return 'auth';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError' || e.code === 'ETIMEDOUT') return 'timeout';
  if (e.code && UNREACHABLE_CODES.has(e.code)) return 'unreachable';
  // The retry middleware may re-wrap a socket error as plain text ("AWS SDK error wrapper for Error: connect
  // ECONNREFUSED ..."), dropping `code`; the code still appears in the message.
  const inText = /\b(E[A-Z_]{4,})\b/.exec(e.message ?? '')?.[1];
  if (inText && UNREACHABLE_CODES.has(inText)) return inText === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
  if (status === 403) return 'denied';
  // A 404 without an AWS error name is not AWS saying "no such object": real APIs name the missing thing
  // (NotFoundException, NoSuchKey, ...). It is a proxy or a wrong endpoint, so the monitor cannot see: 'error'.
  return 'error';
}

/** One line, secret-free description of an SDK error: `Name: message`. */
export function describeAwsError(err: unknown): string {
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? e.Code ?? 'Error';
  const message = (e.message ?? String(err)).split('\n')[0].trim();
  return redact(message && message !== name ? `${name}: ${message}` : name);
}

/**
 * Maps an SDK error to a failure whose reason names the call. A denial reads `s3:GetLifecycleConfiguration
 * denied on bucket x`; bad credentials carry the SSO hint because that is the operator's usual fix.
 */
export function awsFailure<T = never>(err: unknown, action: string, target: string): Observed<T> {
  const kind = awsFailureKind(err);
  const detail = describeAwsError(err);
  switch (kind) {
    case 'denied':
      return failed(kind, `${action} denied on ${target} (${detail})`);
    case 'auth':
      return failed(kind, `AWS credentials rejected or missing for ${action} on ${target} (${detail}); with an SSO profile run \`aws sso login --profile <profile>\``);
    case 'not-found':
      return failed(kind, `${target} not found (${detail})`);
    case 'timeout':
      return failed(kind, `${action} on ${target} timed out (${detail})`);
    case 'unreachable':
      return failed(kind, `${action} on ${target}: AWS endpoint unreachable (${detail})`);
    default:
      if ((err as SdkErrorShape)?.$metadata?.httpStatusCode === 404) {
        return failed(kind, `${action} on ${target}: HTTP 404 without an AWS error code (${detail}); is the endpoint an AWS API?`);
      }
      return failed(kind, `${action} on ${target} failed (${detail})`);
  }
}
