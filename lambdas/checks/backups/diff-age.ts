import type { CheckDefinition } from '../../core/check';
import { backupAgeOutcome } from './full-age';

/** `backup.diff-age`: the newest full-or-diff backup finished within `backups.diffAgeHours`. */
export const diffAgeCheck: CheckDefinition = {
  id: 'backup.diff-age',
  belt: 'backups',
  description: 'Newest full or differential backup (by backup-timestamp-stop) is younger than backups.diffAgeHours',
  run: (ctx) =>
    backupAgeOutcome(ctx, {
      types: ['full', 'diff'],
      noun: 'full or diff backup',
      metric: 'DiffBackupAgeSeconds',
      limitsHours: ctx.config.backups.diffAgeHours,
      configField: 'backups.diffAgeHours',
      graceFor: 'any',
    }),
};
