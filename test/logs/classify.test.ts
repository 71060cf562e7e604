import { classifyLog, displayUser, NO_POSTGRES_HINT } from '../../lambdas/logs/classify';

const at = (min: number, sec = 0) => `2025-11-30 11:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}.123 UTC [${1000 + min}]`;
const only = (line: string) => classifyLog(line).kinds.map((k) => k.id);

describe('classifyLog: wordings across PostgreSQL 14–17', () => {
  it.each([
    ['FATAL:  no pg_hba.conf entry for host "198.51.100.7", user "postgres", database "postgres", SSL off', 'auth.hba-rejected'],
    ['FATAL:  no pg_hba.conf entry for host "198.51.100.7", user "postgres", database "postgres", no encryption', 'auth.hba-rejected'],
    ['FATAL:  pg_hba.conf rejects connection for host "198.51.100.7", user "x", database "y", no encryption', 'auth.hba-rejected'],
    ['FATAL:  remaining connection slots are reserved for non-replication superuser connections', 'trouble.too-many-clients'],
    ['FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute', 'trouble.too-many-clients'],
    ['FATAL:  remaining connection slots are reserved for roles with privileges of the "pg_use_reserved_connections" role', 'trouble.too-many-clients'],
    ['FATAL:  sorry, too many clients already', 'trouble.too-many-clients'],
    ['LOG:  received direct SSL connection request without ALPN protocol negotiation extension', 'noise.tls-aborted'],
    ['LOG:  could not accept SSL connection: EOF detected', 'noise.tls-aborted'],
    ['FATAL:  unsupported frontend protocol 0.0: server supports 3.0 to 3.0', 'noise.unsupported-protocol'],
    ['FATAL:  unsupported frontend protocol 255.255: server supports 3.0 to 3.2', 'noise.unsupported-protocol'],
    ['FATAL:  unsupported frontend protocol 65363.19778: server supports 3.0 to 3.0', 'noise.unsupported-protocol'],
    ['FATAL:  invalid startup packet layout: expected terminator as last byte', 'noise.bad-startup-layout'],
    ['LOG:  could not receive data from client: Connection reset by peer', 'noise.connection-reset'],
    ['ERROR:  database is not accepting commands to avoid wraparound data loss in database "chronos"', 'trouble.wraparound'],
    ['ERROR:  database is not accepting commands that assign new XIDs to avoid wraparound data loss in database "chronos"', 'trouble.wraparound'],
    ['ERROR:  database is not accepting commands that assign new transaction IDs to avoid wraparound data loss in database "chronos"', 'trouble.wraparound'],
    ['WARNING:  database "chronos" must be vacuumed within 39985967 transactions', 'trouble.wraparound'],
    ['WARNING:  database with OID 16384 must be vacuumed within 2999999 transactions', 'trouble.wraparound'],
    ['PANIC:  could not write to file "pg_wal/xlogtemp.123": No space left on device', 'trouble.disk-full'],
    ['PANIC:  could not locate a valid checkpoint record', 'trouble.panic'],
    ['ERROR:  out of memory', 'trouble.out-of-memory'],
    ['LOG:  could not fork new process for connection: Cannot allocate memory', 'trouble.out-of-memory'],
    ['LOG:  server process (PID 77) was terminated by signal 9: Killed', 'trouble.server-crash'],
    ['LOG:  background worker "TimescaleDB Background Worker Scheduler" (PID 90) was terminated by signal 11: Segmentation fault', 'trouble.server-crash'],
    ['LOG:  archive command failed with exit code 1', 'trouble.archive-failed'],
    ['WARNING:  archiving write-ahead log file "000000010000000000000005" failed too many times, will try again later', 'trouble.archive-failed'],
    ['FATAL:  archive command was terminated by signal 9: Killed', 'trouble.archive-failed'],
    ['LOG:  checkpoints are occurring too frequently (9 seconds apart)', 'trouble.checkpoints-too-frequent'],
    ['FATAL:  the database system is starting up', 'lifecycle.not-accepting'],
    ['FATAL:  the database system is not yet accepting connections', 'lifecycle.not-accepting'],
    ['LOG:  database system was not properly shut down; automatic recovery in progress', 'lifecycle.crash-recovery'],
    ['LOG:  database system was interrupted; last known up at 2025-11-30 10:59:00 UTC', 'lifecycle.crash-recovery'],
    ['LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+1) on x86_64-pc-linux-gnu', 'lifecycle.start'],
    ['LOG:  database system is ready to accept connections', 'lifecycle.start'],
    ['FATAL:  terminating connection due to administrator command', 'lifecycle.terminated-by-admin'],
    ['FATAL:  database "chronos_old" does not exist', 'auth.database-missing'],
    ['FATAL:  role "chronos" does not exist', 'auth.role-missing'],
    ['LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled', 'routine.checkpoint'],
    ['2025-11-30 11:00:02.123 P00   INFO: pushed WAL file \'000000010000000000000005\' to the archive', 'routine.pgbackrest'],
    ['2025-11-30 11:00:02.123 P00  ERROR: [082]: unable to push WAL file to the archive', 'trouble.pgbackrest-error'],
  ])('%s → %s', (line, id) => {
    expect(only(`${at(0)} ${line}`.replace(/^.*? (\d{4}-\d\d-\d\d .* P00)/, '$1'))).toEqual([id]);
  });

  it('matches on the SQLSTATE when the log is verbose (%e or log_error_verbosity)', () => {
    expect(only(`${at(0)} FATAL:  28P01: password authentication failed for user "postgres"`)).toEqual(['auth.password-failed']);
    expect(only(`${at(0)} FATAL:  53300: too many open slots, in some future wording`)).toEqual(['trouble.too-many-clients']);
  });

  it('reads lines without any prefix, and jsonlog lines', () => {
    expect(only('FATAL:  no PostgreSQL user name specified in startup packet')).toEqual(['noise.no-user']);
    const json = JSON.stringify({ timestamp: '2025-11-30 11:00:02.123 UTC', pid: 7, error_severity: 'LOG', state_code: '08P01', message: 'incomplete startup packet' });
    const r = classifyLog(json);
    expect(r.kinds).toEqual([expect.objectContaining({ id: 'noise.incomplete-startup-packet', first: '2025-11-30T11:00:02.123Z' })]);
  });

  it('reads docker logs --timestamps output', () => {
    const r = classifyLog(`2025-11-30T11:00:02.123456789Z ${at(0)} LOG:  incomplete startup packet`);
    expect(r.kinds[0]).toMatchObject({ id: 'noise.incomplete-startup-packet', first: '2025-11-30T11:00:02.123Z' });
  });
});

describe('classifyLog: continuation lines and secrets', () => {
  const log = [
    `${at(0)} LOG:  archive command failed with exit code 1`,
    `${at(0)} DETAIL:  The failed archive command was: pgbackrest --repo1-s3-key-secret=AKIAEXAMPLESECRET archive-push pg_wal/000000010000000000000005`,
    `${at(1)} ERROR:  syntax error at or near "PASSWORD"`,
    `${at(1)} STATEMENT:  ALTER ROLE chronos PASSWORD 'hunter2-secret'`,
    `\tAND more continuation text with hunter2-secret`,
  ].join('\n');

  it('folds DETAIL/STATEMENT and indented lines into the entry before them and never reports their text', () => {
    const r = classifyLog(log);
    expect(r.lines).toBe(5);
    expect(r.entries).toBe(2);
    expect(JSON.stringify(r)).not.toMatch(/AKIAEXAMPLESECRET|hunter2-secret|failed archive command was/);
    expect(r.unclassified).toEqual({ entries: 1, byLevel: { ERROR: 1 }, unparsedLines: 0 });
  });

  it('hides a user name that looks like a pasted password', () => {
    const r = classifyLog(`${at(0)} FATAL:  password authentication failed for user "Xy9#secretPass!"`);
    expect(r.bruteForce.users).toEqual([{ name: '(hidden: 15 chars, not a plain role name; a pasted password?)', count: 1 }]);
    expect(JSON.stringify(r)).not.toContain('Xy9#secretPass!');
    expect(displayUser('chronos_monitor')).toBe('chronos_monitor');
  });
});

describe('classifyLog: brute-force verdict', () => {
  const fail = (min: number, user = 'postgres') => `${at(min)} FATAL:  password authentication failed for user "${user}"`;

  it('warns on 5 failures within 10 minutes', () => {
    const r = classifyLog([0, 2, 4, 6, 8].map((m) => fail(m)).join('\n'));
    expect(r.verdict).toBe('warn');
    expect(r.bruteForce).toMatchObject({ failures: 5, maxInWindow: 5, detected: true, timed: true });
    expect(r.summary).toBe('brute force suspected: 5 authentication failures within 10 min (threshold 5)');
  });

  it('stays ok on 8 failures spread so that no 10 minutes hold 5', () => {
    const r = classifyLog([0, 3, 6, 9, 30, 33, 36, 39].map((m) => fail(m, m < 30 ? 'postgres' : 'admin')).join('\n'));
    expect(r.verdict).toBe('ok');
    expect(r.bruteForce).toMatchObject({ failures: 8, maxInWindow: 4, detected: false });
    expect(r.bruteForce.users).toEqual([{ name: 'admin', count: 4 }, { name: 'postgres', count: 4 }]);
    expect(r.summary).toBe('8 authentication failure(s), at most 4 within 10 min (below 5)');
  });

  it('counts sources from %h/%r in log_line_prefix', () => {
    const line = (ip: string) => `2025-11-30 11:00:00.000 UTC [7] ${ip}(51234) postgres@postgres FATAL:  password authentication failed for user "postgres"`;
    const r = classifyLog([line('198.51.100.7'), line('198.51.100.7'), line('203.0.113.9')].join('\n'));
    expect(r.bruteForce.sources).toEqual([{ host: '198.51.100.7', count: 2 }, { host: '203.0.113.9', count: 1 }]);
  });

  it('says the rate is unknown when the lines carry no timestamps, and still warns on 5', () => {
    const r = classifyLog(Array.from({ length: 5 }, () => 'FATAL:  password authentication failed for user "root"').join('\n'));
    expect(r.bruteForce).toMatchObject({ detected: true, timed: false });
    expect(r.summary).toMatch(/no timestamps to measure the rate/);
  });
});

describe('classifyLog: verdicts and times', () => {
  it('is ok with only scanner noise and routine lines', () => {
    const r = classifyLog([`${at(0)} LOG:  incomplete startup packet`, `${at(5)} FATAL:  unsupported frontend protocol 0.0: server supports 3.0 to 3.0`, `${at(9)} LOG:  checkpoint starting: time`].join('\n'));
    expect(r).toMatchObject({ verdict: 'ok', summary: '2 scanner probe(s) (harmless)', firstTime: '2025-11-30T11:00:00.123Z', lastTime: '2025-11-30T11:09:00.123Z' });
    expect(r.categories).toEqual({ trouble: 0, auth: 0, lifecycle: 0, noise: 2, routine: 1 });
  });

  it('fails on a PANIC and lists it first with its first and last time', () => {
    const r = classifyLog([`${at(0)} LOG:  incomplete startup packet`, `${at(1)} PANIC:  could not write to file "pg_wal/xlogtemp.9": No space left on device`, `${at(2)} PANIC:  could not write to file "pg_wal/xlogtemp.9": No space left on device`].join('\n'));
    expect(r.verdict).toBe('fail');
    expect(r.kinds[0]).toMatchObject({ id: 'trouble.disk-full', count: 2, first: '2025-11-30T11:01:00.123Z', last: '2025-11-30T11:02:00.123Z' });
  });

  it('keeps a timestamp in a zone it cannot place as printed', () => {
    const r = classifyLog('2025-11-30 06:00:02.123 EST [1] LOG:  incomplete startup packet');
    expect(r.firstTime).toBe('2025-11-30 06:00:02.123 EST');
  });

  it('counts lines that are not PostgreSQL log entries, and says unknown when none is', () => {
    const r = classifyLog('PostgreSQL init process complete; ready for start up.\n\nfixing permissions on existing directory');
    expect(r).toMatchObject({ verdict: 'unknown', lines: 2, entries: 0, summary: `no PostgreSQL log lines found (2 line(s) read, none in a PostgreSQL log format) — ${NO_POSTGRES_HINT}`, unclassified: { unparsedLines: 2 } });
  });

  it('says unknown, not ok, for empty input (docker logs without 2>&1) and hints at 2>&1', () => {
    const r = classifyLog('');
    expect(r).toMatchObject({ verdict: 'unknown', lines: 0, entries: 0, firstTime: null });
    expect(r.summary).toBe('no PostgreSQL log lines found (the input is empty) — did you forget 2>&1? (docker logs prints the server log on stderr)');
  });

  it('says unknown for binary input', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(classifyLog(bytes.toString('utf8')).verdict).toBe('unknown');
  });

  it('says unknown for JSON lines that are not PostgreSQL jsonlog', () => {
    const text = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ts: '2025-11-30T11:00:00Z', level: 'info', msg: `request ${i} served` })).join('\n');
    expect(classifyLog(text)).toMatchObject({ verdict: 'unknown', entries: 0, lines: 20 });
  });

  it('says unknown when most lines are not PostgreSQL log lines, naming the share', () => {
    const text = [`${at(0)} LOG:  incomplete startup packet`, ...Array.from({ length: 9 }, (_, i) => `GET /index.html ${i} 200`)].join('\n');
    expect(classifyLog(text)).toMatchObject({
      verdict: 'unknown',
      summary: 'only 1 of 10 lines are in a PostgreSQL log format: is this a PostgreSQL log? Seen: 1 scanner probe(s) (harmless)',
    });
  });

  it('still fails on real trouble among mostly foreign lines', () => {
    const text = [`${at(0)} PANIC:  could not locate a valid checkpoint record`, 'foo', 'bar', 'baz'].join('\n');
    expect(classifyLog(text).verdict).toBe('fail');
  });

  it('stays ok when PostgreSQL lines are the majority next to container start-up output', () => {
    const text = ['PostgreSQL init process complete; ready for start up.', `${at(0)} LOG:  starting PostgreSQL 16.4 on x86_64`, `${at(0)} LOG:  database system is ready to accept connections`].join('\n');
    expect(classifyLog(text)).toMatchObject({ verdict: 'ok', entries: 2, unclassified: { unparsedLines: 1 } });
  });

  it('folds continuation lines the same when the text ends without a newline or uses CRLF', () => {
    const crlf = [`${at(0)} ERROR:  syntax error at or near "x"`, `${at(0)} STATEMENT:  x`, `${at(1)} LOG:  incomplete startup packet`, ''].join('\r\n');
    expect(classifyLog(crlf)).toMatchObject({ lines: 3, entries: 2, unclassified: { unparsedLines: 0 }, firstTime: '2025-11-30T11:00:00.123Z', lastTime: '2025-11-30T11:01:00.123Z' });
  });
});
