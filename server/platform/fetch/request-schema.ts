import { z } from 'zod';

/** What an action may ask of `fetch`, checked on the host. */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Set by the platform for every request; an action that sets them would break the framing. */
const PLATFORM_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

const headerName = z
  .string()
  .regex(TOKEN, 'is not a valid header name')
  .transform((name) => name.toLowerCase())
  .refine((name) => !PLATFORM_HEADERS.has(name), 'is set by the platform and cannot be changed');

const headerValue = z.string().max(16 * 1024).regex(/^[^\r\n\0]*$/, 'cannot contain line breaks');

/** An object or a list of pairs; names become lower case, repeated names are joined. */
const headersSchema = z
  .union([z.record(z.string(), headerValue), z.array(z.tuple([z.string(), headerValue]))])
  .transform((headers) => (Array.isArray(headers) ? headers : Object.entries(headers)))
  .pipe(z.array(z.tuple([headerName, headerValue])).max(100, 'at most 100 headers'))
  .transform((pairs) => {
    const merged: Record<string, string> = {};
    for (const [name, value] of pairs) {
      merged[name] = name in merged ? `${merged[name]}, ${value}` : value;
    }
    return merged;
  });

export const fetchInitSchema = z
  .strictObject({
    method: z
      .string()
      .regex(TOKEN, 'is not a valid method')
      .transform((method) => method.toUpperCase())
      .refine((method) => !['CONNECT', 'TRACE', 'TRACK'].includes(method), 'is not allowed')
      .default('GET'),
    headers: headersSchema.default({}),
    body: z.string().nullish(),
    redirect: z.enum(['follow', 'manual', 'error']).default('follow'),
  })
  .refine((init) => init.body == null || !['GET', 'HEAD'].includes(init.method), {
    error: 'a GET or HEAD request cannot have a body',
    path: ['body'],
  });

export const fetchUrlSchema = z.string().min(1, 'cannot be empty').max(8 * 1024);

export type FetchInit = z.input<typeof fetchInitSchema>;
export type CheckedInit = z.output<typeof fetchInitSchema>;
