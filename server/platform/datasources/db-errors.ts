import { AppError } from '../../errors';

// Postgres rejects some user input only when it runs: a bad regular expression or LIKE
// escape, text that jsonb cannot store, or (from the driver) a where clause so large that it
// needs more bind parameters than a statement can carry. Those are the caller's mistakes.
const inputErrors: Record<string, string> = {
  '2201B': 'invalid regular expression',
  '22025': 'invalid escape in a LIKE pattern',
  '22P05': 'text contains a character that cannot be stored (\\u0000)',
  MAX_PARAMETERS_EXCEEDED: 'the query has too many conditions',
};

export async function translateDbErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const reason = inputErrors[pgErrorCode(error) ?? ''];
    if (reason === undefined) throw error;
    throw new AppError('BAD_REQUEST', `${reason}: ${pgErrorMessage(error)}`, { cause: error });
  }
}

/** The Postgres error behind an error, which Drizzle wraps as `cause`. */
function pgError(error: unknown): { code: string; message: string } | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('code' in current && typeof current.code === 'string') {
      return { code: current.code, message: current.message };
    }
  }
  return undefined;
}

export function pgErrorCode(error: unknown): string | undefined {
  return pgError(error)?.code;
}

function pgErrorMessage(error: unknown): string {
  return pgError(error)?.message ?? 'rejected by the database';
}
