/** Why a source could not give an answer; checks map these to statuses (usually `unknown` or `fail`). */
export type FailureKind =
  | 'unreachable' // no answer at the network level (refused, DNS, timeout before the protocol answered)
  | 'timeout' // the source answered too slowly
  | 'auth' // the source answered but refused our credentials
  | 'denied' // authenticated but not allowed (IAM, GRANT)
  | 'not-found' // the named object does not exist
  | 'invalid' // the object exists but cannot be parsed or verified
  | 'config' // our own configuration is missing something (e.g. no cipher pass for an encrypted repo)
  | 'error'; // anything else

/** A value read from the outside world, or the reason it could not be read. Expected failures are values. */
export type Observed<T> = { ok: true; value: T } | { ok: false; kind: FailureKind; reason: string };

/** Wraps a value. */
export const observed = <T>(value: T): Observed<T> => ({ ok: true, value });

/** Wraps a failure; `reason` must be one line and secret-free (it is redacted again before output). */
export const failed = <T = never>(kind: FailureKind, reason: string): Observed<T> => ({ ok: false, kind, reason });

/** Memoizes an async loader so that every check of one run shares one read of the source. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load());
}

/**
 * Memoizes a loader per run: every check of one run (one `deps` object) shares one result, and the next
 * run (new `deps`) loads afresh. For facts several checks read, such as the parsed repository.
 */
export function perRun<C extends { deps: object }, T>(load: (ctx: C) => T): (ctx: C) => T {
  const cache = new WeakMap<object, T>();
  return (ctx) => {
    if (!cache.has(ctx.deps)) cache.set(ctx.deps, load(ctx));
    return cache.get(ctx.deps) as T;
  };
}
