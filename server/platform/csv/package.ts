import { z } from 'zod';

import { hostMethod } from '../communicate/host-method';
import type { HostMethod, PlatformPackage } from '../types';
import {
  decodeCsv,
  decodeOptionsSchema,
  decodeTextSchema,
  encodeCsv,
  encodeOptionsSchema,
  encodeRowsSchema,
} from './service';

/** `Fliplet.CSV` inside the sandbox: parsing happens on the host, the isolate only forwards. */
const shim = `(function (hostCall) {
  'use strict';
  const orNull = (value) => (value === undefined ? null : value);
  Fliplet.CSV = Object.freeze({
    encode: (rows, options) => hostCall('CSV', 'encode', [rows, orNull(options)]),
    decode: (text, options) => hostCall('CSV', 'decode', [text, orNull(options)]),
  });
})(__hostCall);
`;

export const csvPackage: PlatformPackage = {
  name: 'fliplet-csv',
  namespace: 'CSV',
  shim,
  host: hostMethods,
};

function hostMethods(): Record<string, HostMethod> {
  const encodeOptions = encodeOptionsSchema.nullable().transform((options) => options ?? {});
  const decodeOptions = decodeOptionsSchema.nullable().transform((options) => options ?? {});
  return {
    encode: hostMethod(
      'CSV.encode',
      ['rows', 'options'],
      z.tuple([encodeRowsSchema, encodeOptions]),
      async ([rows, options]) => encodeCsv(rows, options),
    ),
    decode: hostMethod(
      'CSV.decode',
      ['text', 'options'],
      z.tuple([decodeTextSchema, decodeOptions]),
      async ([text, options]) => decodeCsv(text, options),
    ),
  };
}
