/**
 * Re-dates a captured backup.info so the demo's newest backup finished a chosen time ago. Only the epoch fields
 * `backup-timestamp-start/stop` move (all by one constant, so intervals stay as pgBackRest measured them); labels
 * keep the capture time, which is harmless because the monitor never reads time from labels. The checksum is
 * recomputed with the monitor's own algorithm (lambdas/pgbackrest/info.ts) so the file still verifies.
 */
import { computeInfoChecksum, parseBackupInfo, parseInfoText } from '../../lambdas/pgbackrest/info';

const STAMP = /("backup-timestamp-(?:start|stop)":)(\d+)/g;

/** Epoch seconds at which the newest backup in a backup.info text stopped. */
export function newestBackupStop(text: string): number {
  const info = parseBackupInfo(text);
  if (info.backups.length === 0) throw new Error('backup.info lists no backup; re-run scripts/capture-demo-repo.sh');
  return Math.max(...info.backups.map((b) => b.timestampStop));
}

/** Shifts every backup's start/stop epoch by `shiftSeconds` and rewrites `backrest-checksum` to match. */
export function redateBackupInfo(text: string, shiftSeconds: number): string {
  if (!Number.isInteger(shiftSeconds)) throw new Error(`shiftSeconds must be an integer, got ${shiftSeconds}`);
  let section = '';
  const shifted = text
    .split('\n')
    .map((line) => {
      if (line.startsWith('[')) section = line;
      return section === '[backup:current]' ? line.replace(STAMP, (_, key: string, n: string) => `${key}${Number(n) + shiftSeconds}`) : line;
    })
    .join('\n');
  const checksum = computeInfoChecksum(parseInfoText(shifted, 'backup.info'));
  const out = shifted.replace(/^backrest-checksum="[0-9a-f]{40}"$/m, `backrest-checksum="${checksum}"`);
  if (out === shifted && !shifted.includes(`backrest-checksum="${checksum}"`)) throw new Error('backup.info has no backrest-checksum line');
  return out;
}
