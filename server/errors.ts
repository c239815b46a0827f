/**
 * One error type for the whole product. Every failure a caller can act on carries one of the
 * status codes below; the table maps each to its HTTP status so REST, tRPC and the SDK agree.
 */
export const errorStatuses = {
  // validation
  NAME_REQUIRED: 400,
  NAME_EMPTY: 400,
  NAME_TOO_LONG: 400,
  NAME_INVALID_CHARS: 400,
  NAME_ALREADY_EXISTS: 409,
  CODE_REQUIRED: 400,
  CODE_EMPTY: 400,
  CODE_VALIDATION_FAILED: 400,
  ENVIRONMENT_INVALID: 400,
  FREQUENCY_INVALID: 400,
  FREQUENCY_TOO_FREQUENT: 400,
  TIMEZONE_INVALID: 400,
  TRIGGERS_INVALID: 400,
  TRIGGER_TYPE_INVALID: 400,
  TRIGGER_NOT_ALLOWED: 400,
  DEPENDENCIES_INVALID: 400,
  ACTIVE_INVALID: 400,
  PAYLOAD_INVALID: 400,
  BAD_REQUEST: 400,
  // operational
  ACTION_NOT_FOUND: 404,
  ACTION_NOT_V3: 400,
  CANNOT_UPDATE_PRODUCTION: 400,
  CANNOT_DELETE_PRODUCTION: 400,
  CLIENT_ACTION_NOT_RUNNABLE: 400,
  ACTION_INACTIVE: 400,
  ACTION_NOT_RUNNABLE: 400,
  APP_NOT_PUBLISHED: 400,
  ACTION_NOT_PUBLISHED: 400,
  EXECUTION_FAILED: 400,
  EXECUTION_TIMEOUT: 504,
  PUBLISH_FAILED: 500,
  APP_NOT_FOUND: 404,
  DATA_SOURCE_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RESULT_TOO_LARGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  // accounts (admin app only)
  ORGANIZATION_NOT_FOUND: 404,
  ALREADY_MEMBER: 409,
  LAST_ADMIN: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorStatus = keyof typeof errorStatuses;

export class AppError extends Error {
  readonly status: ErrorStatus;
  /** Extra machine-readable detail (for example the field or line at fault). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    status: ErrorStatus,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'AppError';
    this.status = status;
    this.details = options?.details;
  }

  get httpStatus(): number {
    return errorStatuses[this.status];
  }

  toJSON(): { status: ErrorStatus; error: string } & Record<string, unknown> {
    return { status: this.status, error: this.message, ...(this.details ?? {}) };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
