import { TRPCClientError } from '@trpc/client';

import { isRecord } from './isRecord';

/** A failure as the product reports it: its status code (NAME_TOO_LONG, …) and message. */
export interface ProductError {
  status: string;
  message: string;
}

/**
 * Reads the product's own status code that the tRPC error formatter puts in `data.app`; any
 * other failure (network, server crash) keeps a generic status so the UI can still say something.
 */
export function productErrorOf(error: unknown): ProductError {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    const app = isRecord(data) ? data.app : null;
    if (isRecord(app) && typeof app.status === 'string') {
      const message = typeof app.error === 'string' ? app.error : error.message;
      return { status: app.status, message };
    }
    return { status: 'REQUEST_FAILED', message: error.message };
  }
  return {
    status: 'REQUEST_FAILED',
    message: error instanceof Error ? error.message : 'The request failed',
  };
}
