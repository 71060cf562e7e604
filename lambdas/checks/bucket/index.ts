import type { CheckDefinition } from '../../core/check';
import { bucketConfig } from './config';
import { bucketLifecycle } from './lifecycle';

/** The bucket belt's checks, in report order. */
export const bucketChecks: CheckDefinition[] = [bucketConfig, bucketLifecycle];
