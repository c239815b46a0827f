import { originSettingsFromEnv, trustedOrigins } from '../auth/auth';

/**
 * The header the admin UI sends with every tRPC call. A page on another site cannot add a
 * custom header to a cross-site request without a CORS preflight, which this server never
 * grants, so a mutation carrying it comes from our own pages (or from a non-browser client,
 * which has no victim's cookie to ride on).
 */
export const CSRF_HEADER = 'x-app-actions-csrf';

/**
 * Refuses a tRPC POST that may come from another site: it must carry CSRF_HEADER, and its
 * Origin and Sec-Fetch-Site, when the browser sends them, must be ours. SameSite=Lax session
 * cookies already stay off cross-site POSTs; this is the second lock, for older browsers and
 * for sibling subdomains, which count as same-site.
 */
export function refuseCrossSiteMutation(request: Request): Response | null {
  if (request.headers.get(CSRF_HEADER) !== '1') {
    return forbidden(`Send the ${CSRF_HEADER}: 1 header with tRPC mutations`);
  }
  const origin = request.headers.get('origin');
  if (origin !== null && !trustedOrigins(originSettingsFromEnv()).includes(origin)) {
    return forbidden('Requests from this origin are not accepted; see PUBLIC_URL');
  }
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return forbidden('Cross-site requests are not accepted');
  }
  return null;
}

function forbidden(message: string): Response {
  const body = { error: { message, code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403 } } };
  return new Response(JSON.stringify(body), {
    status: 403,
    headers: { 'content-type': 'application/json' },
  });
}
