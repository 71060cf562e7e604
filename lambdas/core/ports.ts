/**
 * The data sources the checks read, one per outside system. Adapters under `lambdas/adapters/` implement
 * them; tests may pass fakes. Every method is memoized per run by its adapter, so several checks can ask
 * for the same facts and the source is read once.
 */
import type { FailureKind, Observed } from './observed';

// ---------- Lightsail ----------
/** The Lightsail facts the instance belt needs. */
export interface InstanceFacts {
  name: string;
  /** Lightsail state name: pending, running, stopping, stopped, ... */
  state: string;
  publicIpAddress?: string;
  privateIpAddress?: string;
  /** Whether the public IP is a static IP. */
  isStaticIp?: boolean;
  bundleId?: string;
  blueprintId?: string;
  availabilityZone?: string;
}
/** Static IP as Lightsail reports it. */
export interface StaticIpFacts {
  name: string;
  ipAddress?: string;
  isAttached: boolean;
  attachedTo?: string;
}
/** Lightsail read calls. */
export interface InstanceSource {
  instance(name: string): Promise<Observed<InstanceFacts>>;
  staticIp(name: string): Promise<Observed<StaticIpFacts>>;
}

// ---------- PostgreSQL ----------
/** What a login told us. `reachable` and `loggedIn` are reported separately. */
export interface ConnectFacts {
  /** Milliseconds from socket open to first query answered. */
  latencyMs: number;
  serverVersionNum: number;
  serverVersion: string;
  tls: boolean;
  tlsVersion?: string;
  inRecovery: boolean;
  startedAt: string;
  database: string;
}
/** One installed extension. */
export interface ExtensionFacts {
  name: string;
  version: string;
}
/** Archiver and WAL position facts, computed with the server's clock. The one source of the unarchived-data figure. */
export interface ArchiverFacts {
  archiveMode: string; // 'off' | 'on' | 'always'
  archiveTimeoutSeconds: number;
  archivedCount: number;
  failedCount: number;
  lastArchivedWal: string | null;
  lastArchivedTime: string | null; // ISO
  lastFailedWal: string | null;
  lastFailedTime: string | null; // ISO
  statsReset: string | null;
  /** last_failed_time > last_archived_time (or archived never). */
  failingNow: boolean;
  /** `.ready` files in pg_wal/archive_status, or null when not readable. */
  readyCount: number | null;
  /** Age in seconds of the oldest `.ready` file (server clock), or null when none/unreadable. */
  oldestReadySeconds: number | null;
  /** pg_current_wal_lsn() as `X/Y`, null in recovery. */
  currentLsn: string | null;
  /** Current timeline id (pg_control_checkpoint().timeline_id). */
  timeline: number;
  walSegmentSizeBytes: number;
  /** Bytes of WAL written but not yet archived (includes the partly written current segment). */
  unarchivedBytes: number | null;
  /** Server clock at the time of the query (ISO). */
  serverNow: string;
  /** pg_is_in_recovery(); a standby neither writes nor (with archive_mode=on) archives WAL. */
  inRecovery?: boolean;
  /** Why `readyCount` is null (e.g. permission denied for pg_ls_archive_statusdir). */
  readyUnreadableReason?: string;
  /** The failure kind behind `readyUnreadableReason` ('denied' = missing grant, anything else = not a grant problem). */
  readyUnreadableKind?: FailureKind;
}
/** Database reads; each memoized per run. A failure of kind 'config' means the database was not contacted. */
export interface DatabaseSource {
  connect(): Promise<Observed<ConnectFacts>>;
  extensions(): Promise<Observed<ExtensionFacts[]>>;
  sizeBytes(): Promise<Observed<number>>;
  archiver(): Promise<Observed<ArchiverFacts>>;
  /** The cluster's `system_identifier` (pg_control_system(), as text: it exceeds 2^53); optional for fakes. */
  systemIdentifier?(): Promise<Observed<string>>;
  /** Closes the connection; safe to call more than once. */
  close(): Promise<void>;
}

// ---------- pgBackRest repository (S3 or posix) ----------
/** One object in the repository. `key` is relative to the repository root (repo1-path). */
export interface RepoObject {
  key: string;
  size: number;
  lastModified: Date;
  /** S3 storage class when known (STANDARD, GLACIER_IR, DEEP_ARCHIVE, ...). */
  storageClass?: string;
}
/** A directory-style listing: objects directly under a prefix and sub-prefixes (folders). */
export interface RepoListing {
  objects: RepoObject[];
  prefixes: string[];
  /** Requests it took (S3 pages or 1 for posix). */
  requests: number;
}
/** Raw access to a pgBackRest repository, S3 or posix behind one interface. */
export interface RepositoryStore {
  /** Human description for messages, e.g. `s3://bucket/var/lib/pgbackrest` (never credentials). */
  describe(): string;
  /** Reads one object; `not-found` when missing. */
  read(key: string, signal?: AbortSignal): Promise<Observed<Buffer>>;
  /** Lists one folder level (delimiter `/`), following every page; `invalid` when pagination is inconsistent. */
  list(prefix: string, signal?: AbortSignal): Promise<Observed<RepoListing>>;
  /** Metadata of one object, or `not-found`. */
  head(key: string, signal?: AbortSignal): Promise<Observed<RepoObject>>;
}

// ---------- S3 bucket settings ----------
/** Bucket settings as S3 reports them. Absent configurations are `null`, not errors. */
export interface BucketSettings {
  versioning: 'Enabled' | 'Suspended' | 'Disabled';
  encryption: { algorithm: string; bucketKey: boolean; kmsKeyId?: string } | null;
  publicAccessBlock: { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean } | null;
  lifecycle: LifecycleRuleFacts[] | null;
}
/** One lifecycle rule, normalised. */
export interface LifecycleRuleFacts {
  id: string;
  enabled: boolean;
  prefix: string;
  transitions: { days: number; storageClass: string }[];
  expirationDays?: number;
  noncurrentTransitions: { days: number; storageClass: string }[];
  noncurrentExpirationDays?: number;
  abortIncompleteMultipartDays?: number;
  /** Absolute expiration date (ISO) when the rule expires by date rather than by age. */
  expirationDate?: string;
  /** Tag filter: the rule applies only to objects carrying all these tags. */
  tags?: Record<string, string>;
  /** Size filter: the rule applies only to objects larger than this many bytes. */
  objectSizeGreaterThan?: number;
  /** Size filter: the rule applies only to objects smaller than this many bytes. */
  objectSizeLessThan?: number;
}
/** Bucket-settings reads; each setting is observed separately so one denied call does not hide the others. */
export interface BucketSource {
  versioning(): Promise<Observed<BucketSettings['versioning']>>;
  encryption(): Promise<Observed<BucketSettings['encryption']>>;
  publicAccessBlock(): Promise<Observed<BucketSettings['publicAccessBlock']>>;
  lifecycle(): Promise<Observed<BucketSettings['lifecycle']>>;
}
