import { z } from 'zod';

/** The largest id a `serial` column holds (PostgreSQL integer); a larger one can only miss. */
export const MAX_SERIAL_ID = 2_147_483_647;

/** An id of a `serial` column: checked before it reaches a query, which would fail on it. */
export const serialIdSchema = z.int().min(1).max(MAX_SERIAL_ID);
