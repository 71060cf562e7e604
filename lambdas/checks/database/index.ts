import type { CheckDefinition } from '../../core/check';
import { dbArchiver } from './archiver';
import { dbConnect } from './connect';
import { dbExtensions } from './extensions';
import { dbSize } from './size';

/** The database belt's checks, in report order. */
export const databaseChecks: CheckDefinition[] = [dbConnect, dbExtensions, dbSize, dbArchiver];
