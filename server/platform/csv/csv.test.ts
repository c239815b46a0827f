import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  callHost,
  createPlatformTestDatabase,
  resultOf,
  runAction,
  type PlatformTestDatabase,
} from '../../../test/platform-scope';
import { isAppError } from '../../errors';
import type { PlatformScope } from '../types';
import { csvPackage } from './package';
import {
  decodeCsv,
  encodeCsv,
  MAX_CSV_CHARS,
  MAX_CSV_ROWS,
  type EncodeOptions,
} from './service';

let test: PlatformTestDatabase;
let scope: PlatformScope;

beforeAll(async () => {
  test = await createPlatformTestDatabase();
  scope = await test.newScope();
});

afterAll(async () => {
  await test?.drop();
});

function failure(run: () => unknown): { status: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('[CSV]: encode and decode', () => {
  it('round-trips objects with quotes, commas, line breaks and missing keys', () => {
    const rows = [
      { Name: 'Ada, Countess', Quote: 'She said "hi"', Notes: 'line one\nline two' },
      { Name: 'Bob', Age: 41 },
    ];
    const text = encodeCsv(rows);
    expect(text.split('\r\n')[0]).toBe('Name,Quote,Notes,Age');
    expect(decodeCsv(text)).toEqual([
      { Name: 'Ada, Countess', Quote: 'She said "hi"', Notes: 'line one\nline two', Age: '' },
      { Name: 'Bob', Quote: '', Notes: '', Age: '41' },
    ]);
    expect(decodeCsv(text, { dynamicTyping: true })[1]).toMatchObject({ Age: 41 });
  });

  it('handles array rows, column order, other delimiters and no header', () => {
    const options: EncodeOptions = { columns: ['a', 'b'], delimiter: ';', newline: '\n' };
    const text = encodeCsv([{ b: 2, a: 1 }], options);
    expect(text).toBe('a;b\n1;2');
    expect(decodeCsv(text, { header: false })).toEqual([['a', 'b'], ['1', '2']]);
    expect(encodeCsv([[1, null, true]], { header: false })).toBe('1,,true');
  });

  it('keeps odd column names as ordinary keys', () => {
    const rows = decodeCsv('__proto__,name,name,\r\nx,a,b,c,extra');
    expect(rows).toEqual([
      { ['__proto__']: 'x', name: 'a', name_1: 'b', '': 'c', __parsed_extra: ['extra'] },
    ]);
    const [row] = rows;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(row && Object.hasOwn(row, '__proto__')).toBe(true);
  });

  it('can neutralise spreadsheet formulas', () => {
    expect(encodeCsv([{ cell: '=SUM(A1)' }], { escapeFormulae: true })).toContain("'=SUM(A1)");
    // Only listed columns must be cells; an object elsewhere in the row is left out.
    expect(encodeCsv([{ a: 1, b: { x: 1 } }], { columns: ['a'] })).toBe('a\r\n1');
    expect(() => encodeCsv([{ a: 1, b: { x: 1 } }])).toThrow(
      /rows: 0: a row must be an array or an object of cells \(text, numbers, true\/false or null\)/,
    );
    // A line break anywhere in the cell must not hide its first character.
    const multiline = [{ a: '=1+1\nx' }, { a: '@x\r\ny' }, { a: '=HYPERLINK("http://evil")\n' }];
    expect(encodeCsv(multiline, { escapeFormulae: true, newline: '\n' })).toBe(
      'a\n"\'=1+1\nx"\n"\'@x\r\ny"\n"\'=HYPERLINK(""http://evil"")\n"',
    );
  });
});

describe('[CSV]: refusals and caps', () => {
  it('refuses broken quoting and bad options', () => {
    expect(failure(() => decodeCsv('a,b\r\n"unclosed,1')).message).toContain('CSV.decode');
    expect(failure(() => decodeCsv('a', { delimiter: '"' })).message).toContain('delimiter');
    expect(failure(() => encodeCsv([{ a: { nested: 1 } }])).status).toBe('BAD_REQUEST');
    expect(failure(() => encodeCsv('a,b')).message).toContain('CSV.encode: rows');
  });

  it('caps rows and characters both ways', () => {
    const tooManyRows = Array.from({ length: MAX_CSV_ROWS + 1 }, () => [1]);
    expect(failure(() => encodeCsv(tooManyRows)).message).toContain(`${MAX_CSV_ROWS} rows`);
    const longText = `h\n${'1\n'.repeat(MAX_CSV_ROWS + 1)}`;
    expect(failure(() => decodeCsv(longText)).status).toBe('PAYLOAD_TOO_LARGE');
    expect(decodeCsv(`h\n${'1\n'.repeat(MAX_CSV_ROWS)}`)).toHaveLength(MAX_CSV_ROWS);
    expect(failure(() => decodeCsv('x'.repeat(MAX_CSV_CHARS + 1))).message).toContain('characters');
    const wide = Array.from({ length: 30 }, () => ({ text: 'y'.repeat(200_000) }));
    expect(failure(() => encodeCsv(wide)).status).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('[CSV]: host methods and inside an action', () => {
  it('names the argument at fault', async () => {
    const error: unknown = await callHost(csvPackage, scope, 'decode', [5, null]).catch(
      (caught: unknown) => caught,
    );
    expect(isAppError(error) && error.message).toBe(
      'CSV.decode: text: Invalid input: expected string, received number',
    );
  });

  it('encodes and decodes through Fliplet.CSV with no parser in the isolate', async () => {
    const code = `async function execute() {
      const text = await Fliplet.CSV.encode([{ city: 'Dublin', pop: 592713 }]);
      const rows = await Fliplet.CSV.decode(text, { dynamicTyping: true });
      return { text, rows, papa: typeof Papa };
    }`;
    expect(resultOf(await runAction(scope, code, ['fliplet-csv']))).toEqual({
      text: 'city,pop\r\nDublin,592713',
      rows: [{ city: 'Dublin', pop: 592713 }],
      papa: 'undefined',
    });
  });
});
