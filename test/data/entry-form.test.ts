import { describe, expect, it } from 'vitest';

import {
  cellText,
  columnsOf,
  dataFromJson,
  dataOf,
  fieldsOf,
  type EntryField,
} from '../../components/data/entryForm';

describe('[DATA BROWSER]: entry form', () => {
  it('lists the known columns, then keys only some entries have', () => {
    const rows = [{ Name: 'Ada', Seats: 2 }, { Phone: '1', Name: 'Alan' }];
    expect(columnsOf(['Name', 'Email'], rows)).toEqual(['Name', 'Email', 'Seats', 'Phone']);
  });

  it('shows text as it is and other values as JSON', () => {
    expect([cellText('a "b"'), cellText(2), cellText(null), cellText({ a: [1] })]).toEqual([
      'a "b"',
      '2',
      'null',
      '{"a":[1]}',
    ]);
    expect(cellText(undefined)).toBe('');
  });

  it('gives each value back its own type after an edit', () => {
    const data = { Name: 'Ada', Seats: 2, VIP: false, Tags: ['a'], Notes: null, Empty: '' };
    const fields = fieldsOf(['Name', 'Email'], data);
    expect(fields.map((f) => [f.column, f.kind, f.text])).toEqual([
      ['Name', 'text', 'Ada'],
      ['Email', 'text', ''],
      ['Seats', 'number', '2'],
      ['VIP', 'boolean', 'false'],
      ['Tags', 'json', '["a"]'],
      ['Notes', 'json', 'null'],
      ['Empty', 'text', ''],
    ]);
    // Untouched, the form gives back exactly the data: an empty column it lacked stays absent.
    expect(dataOf(fields)).toEqual({ ok: true, data });

    const edit = (column: string, text: string): EntryField[] =>
      fields.map((f) => (f.column === column ? { ...f, text } : f));
    expect(dataOf(edit('Seats', ' 3.5 '))).toMatchObject({ ok: true, data: { Seats: 3.5 } });
    expect(dataOf(edit('VIP', 'true'))).toMatchObject({ ok: true, data: { VIP: true } });
    expect(dataOf(edit('Email', 'ada@example.com'))).toMatchObject({
      ok: true,
      data: { Email: 'ada@example.com' },
    });
    // Emptying a number or JSON field removes the key; emptying text keeps "".
    const cleared = dataOf(edit('Tags', ''));
    expect(cleared.ok && 'Tags' in cleared.data).toBe(false);
    expect(dataOf(edit('Name', ''))).toMatchObject({ ok: true, data: { Name: '' } });
  });

  it('names every field it cannot read', () => {
    const fields = fieldsOf([], { Seats: 2, Tags: [] });
    const broken = fields.map((f) => ({ ...f, text: f.column === 'Seats' ? 'two' : '[1,' }));
    expect(dataOf(broken)).toEqual({
      ok: false,
      errors: { Seats: 'Enter a number', Tags: expect.stringMatching(/^Not valid JSON/) },
    });
  });

  it('reads JSON mode as one object only', () => {
    expect(dataFromJson('{"Name":"Ada","Seats":2}')).toEqual({
      ok: true,
      data: { Name: 'Ada', Seats: 2 },
    });
    for (const text of ['[1]', '"Ada"', 'null', '{']) {
      expect(dataFromJson(text)).toMatchObject({ ok: false, errors: { json: expect.any(String) } });
    }
  });
});
