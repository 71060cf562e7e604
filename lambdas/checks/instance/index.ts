import type { CheckDefinition } from '../../core/check';
import { instanceState } from './state';
import { instanceStaticIp } from './static-ip';

/** The instance belt's checks, in report order. */
export const instanceChecks: CheckDefinition[] = [instanceState, instanceStaticIp];
