import { NextResponse, type NextRequest } from 'next/server';

/** The request header that tells server-rendered pages which address was asked for. */
export const REQUESTED_PATH_HEADER = 'x-app-actions-path';

/**
 * Passes the requested path and query on to the page, so a signed-out visitor who followed a
 * deep link (say a log explorer view a colleague shared) comes back to it after signing in.
 * Layouts cannot see the full address by themselves.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUESTED_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/apps/:path*', '/settings/:path*'] };
