import type { CheckDefinition } from '../../core/check';
import { diffAgeCheck } from './diff-age';
import { fullAgeCheck } from './full-age';
import { qualityCheck } from './quality';
import { recoverabilityCheck } from './recoverability';
import { repositoryCheck } from './repository';
import { retentionCheck } from './retention';
import { rpoCheck } from './rpo';
import { walAgeCheck } from './wal-age';
import { walContinuityCheck } from './wal-continuity';

/** The backups belt's checks, in report order. */
export const backupsChecks: CheckDefinition[] = [
  repositoryCheck,
  fullAgeCheck,
  diffAgeCheck,
  walAgeCheck,
  walContinuityCheck,
  rpoCheck,
  recoverabilityCheck,
  qualityCheck,
  retentionCheck,
];
