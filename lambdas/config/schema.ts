import { z } from 'zod';

/** Where a secret is read from at run time. Secrets are never written into templates, logs or reports. */
export const SecretSourceSchema = z.union(
  [
    z.strictObject({ env: z.string().min(1) }),
    z.strictObject({ ssmParameter: z.string().regex(/^\/[\w.\-/]+$/, 'an SSM parameter name starting with "/"') }),
    z.strictObject({ secretsManager: z.string().min(1) }),
  ],
  { error: 'a secret source: {"env":"NAME"}, {"ssmParameter":"/name"} or {"secretsManager":"id"}' },
);
export type SecretSource = z.infer<typeof SecretSourceSchema>;

/**
 * Upper bounds per unit. Node timers silently turn any delay above 2^31-1 ms into 1 ms, so an unbounded
 * timeout (`1e300`) would time out everything at once; the bounds are also far beyond any sane setting.
 */
const MAX = {
  milliseconds: { max: 600_000, human: '10 minutes' },
  minutes: { max: 10_080, human: '7 days' },
  hours: { max: 8_760, human: '365 days' },
} as const;
type Unit = keyof typeof MAX;

/** A positive number of `what` (a key of {@link MAX}), bounded above with a message naming the bound. */
const positive = (what: Unit) =>
  z
    .number({ error: `a positive number of ${what}` })
    .positive({ error: `a positive number of ${what}` })
    .max(MAX[what].max, { error: `a number of ${what} no larger than ${MAX[what].max} (${MAX[what].human})` });

/** Largest value a signed 32-bit integer field (pgBackRest, S3 lifecycle days) accepts. */
const INT32_MAX = 2_147_483_647;

/** A warn/fail threshold pair where a larger value is worse; warn must not exceed fail. */
const pair = (what: Unit, warn: number, fail: number) =>
  z
    .strictObject({ warn: positive(what), fail: positive(what) })
    .refine((p) => p.warn <= p.fail, { error: `a pair with warn <= fail (${what})` })
    .default({ warn, fail });

const versionString = z.string().regex(/^\d+(\.\d+)*$/, 'a dotted version such as "2.17.2"');

const endpoint = z.url({ error: 'an http(s) URL such as "http://127.0.0.1:4569"' }).optional();

export const S3RepositorySchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().min(3, 'an S3 bucket name'),
  /** pgBackRest `repo1-path`; the leading `/` is stripped to form the key prefix. */
  path: z.string().default('/var/lib/pgbackrest'),
  /** Optional S3 endpoint (S3-compatible servers, tests). */
  endpoint,
  forcePathStyle: z.boolean().optional(),
  region: z.string().optional(),
});

export const PosixRepositorySchema = z.strictObject({
  type: z.literal('posix'),
  path: z.string().regex(/^\//, 'an absolute directory path (starting with "/")'),
});

export const RepositorySchema = z.discriminatedUnion('type', [S3RepositorySchema, PosixRepositorySchema], {
  error: 'a repository: {"type":"s3","bucket":...} or {"type":"posix","path":...}',
});
export type RepositoryConfig = z.infer<typeof RepositorySchema>;

const LifecycleRuleSchema = z.strictObject({
  /** Days after creation at which objects move to the class. */
  transitions: z
    .array(z.strictObject({ days: z.number().int().nonnegative().max(INT32_MAX), storageClass: z.string().min(1) }))
    .default([]),
  expirationDays: z.number().int().positive().max(INT32_MAX).optional(),
  noncurrentTransitions: z
    .array(z.strictObject({ days: z.number().int().nonnegative().max(INT32_MAX), storageClass: z.string().min(1) }))
    .optional(),
  noncurrentExpirationDays: z.number().int().positive().max(INT32_MAX).optional(),
});

export const ConfigSchema = z.strictObject({
  /** AWS region of the instance, the bucket and the monitor. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as "ca-central-1"').default('ca-central-1'),
  instance: z.strictObject({
    name: z.string().min(1, 'the Lightsail instance name'),
    staticIpName: z.string().min(1).optional(),
  }),
  database: z.strictObject({
    host: z.string().min(1, 'a host name or IP address'),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    password: SecretSourceSchema.optional(),
    tls: z
      .strictObject({
        mode: z.enum(['disable', 'require', 'verify-full']).default('require'),
        caFile: z.string().optional(),
      })
      .default({ mode: 'require' }),
    expectedMajorVersion: z.number().int().min(9).max(99).optional(),
    expectedExtensions: z.record(z.string(), versionString).default({}),
    /** Overrides the WAL segment size read from the database (bytes, a power of two from 1 MiB to 1 GiB). */
    walSegmentSizeBytes: z
      .number()
      .int()
      .refine((n) => n >= 1 << 20 && n <= 1 << 30 && (n & (n - 1)) === 0, 'a power of two from 1048576 to 1073741824')
      .optional(),
    connectTimeoutMs: positive('milliseconds').default(5000),
    queryTimeoutMs: positive('milliseconds').default(5000),
  }),
  backups: z.strictObject({
    repository: RepositorySchema,
    // pgBackRest allows letters, digits, `_`, `.` and `-`; a name of dots only would be a path (`.`, `..`).
    stanza: z.string().regex(/^(?!\.+$)[A-Za-z0-9_.-]+$/, 'a pgBackRest stanza name (letters, digits, "_", "." and "-", not only dots)'),
    cipherPass: SecretSourceSchema.optional(),
    retention: z
      // pgBackRest caps repo-retention-full/diff at 9999999.
      .strictObject({ full: z.number().int().positive().max(9_999_999).default(4), diff: z.number().int().positive().max(9_999_999).optional() })
      .default({ full: 4 }),
    fullAgeHours: pair('hours', 26, 30),
    diffAgeHours: pair('hours', 7, 9),
    rpoMinutes: pair('minutes', 10, 15),
    /** Extra age allowed while a backup is visibly in progress; a heartbeat older than this means stalled. */
    inProgressGraceHours: positive('hours').default(2),
  }),
  bucket: z
    .strictObject({
      versioning: z.enum(['Enabled', 'Suspended', 'Disabled']).default('Enabled'),
      encryption: z.enum(['AES256', 'aws:kms', 'aws:kms:dsse']).default('AES256'),
      bucketKey: z.boolean().optional(),
      publicAccessBlock: z.boolean().default(true),
      lifecycle: LifecycleRuleSchema.optional(),
    })
    .default({ versioning: 'Enabled', encryption: 'AES256', publicAccessBlock: true }),
  checks: z
    .strictObject({
      /** Per-check deadline; a check still running then becomes `unknown`. */
      deadlineMs: positive('milliseconds').default(20000),
      disabled: z.array(z.string()).default([]),
    })
    .default({ deadlineMs: 20000, disabled: [] }),
  schedule: z.strictObject({ rateMinutes: z.number().int().min(1).max(60).default(15) }).default({ rateMinutes: 15 }),
  alerts: z
    .strictObject({
      emails: z.array(z.email({ error: 'an email address' })).default([]),
      smsNumbers: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as "+15145550100"')).default([]),
      repeatHours: positive('hours').default(6),
      smsMonthlySpendLimitUsd: z.number().nonnegative().default(1),
    })
    .default({ emails: [], smsNumbers: [], repeatHours: 6, smsMonthlySpendLimitUsd: 1 }),
  metrics: z
    .strictObject({
      namespace: z.string().min(1).default('Chronos/Monitor'),
      /** Publish the opt-in metrics too (each costs US$0.30/month beyond the free tier). */
      extra: z.boolean().default(false),
    })
    .default({ namespace: 'Chronos/Monitor', extra: false }),
  /** Endpoint overrides so every AWS client can be pointed at loopback. */
  endpoints: z
    .strictObject({ s3: endpoint, lightsail: endpoint, cloudwatch: endpoint, sns: endpoint, ssm: endpoint, secretsManager: endpoint })
    .default({}),
});

/** The validated configuration shared by the CLI, the Lambdas and the CDK app. */
export type MonitorConfig = z.infer<typeof ConfigSchema>;
/** The configuration as written in the file (defaults not yet applied). */
export type MonitorConfigInput = z.input<typeof ConfigSchema>;
