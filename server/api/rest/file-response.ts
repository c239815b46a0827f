/**
 * Serving stored media bytes from the product's own origin. A file is whatever an action or
 * app stored, so it must never run as a page of this origin: every answer carries a CSP
 * `sandbox` (no scripts, an opaque origin) and `nosniff`, and only types that browsers show
 * passively are sent `inline`; HTML, SVG, PDF and the rest are downloads.
 */

const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/json',
]);

const FALLBACK_TYPE = 'application/octet-stream';

export function fileResponse(
  file: { name: string; contentType: string },
  bytes: Uint8Array,
): Response {
  const contentType = headerSafe(file.contentType) ? file.contentType : FALLBACK_TYPE;
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const inline = INLINE_TYPES.has(essence) || /^(audio|video)\//.test(essence);
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': contentType,
      'content-length': String(bytes.byteLength),
      'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', file.name),
      'content-security-policy': 'sandbox',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      // The address may carry ?token=: never send it on to another site.
      'referrer-policy': 'no-referrer',
    },
  });
}

/**
 * `inline` or `attachment` with the file name twice: a plain ASCII fallback in `filename` and
 * the exact name, percent-encoded, in `filename*` (RFC 6266 / RFC 8187).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Stored types are checked on upload; this also keeps non-Latin-1 text out of a header. */
function headerSafe(value: string): boolean {
  return /^[\x20-\x7e]+$/.test(value);
}
