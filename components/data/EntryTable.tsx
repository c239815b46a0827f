import { formatTime } from '../formatters';
import { secondaryButton } from '../styles';
import { cellText, type EntryData } from './entryForm';

// Column names are shown as they are stored, so not upper-cased like other tables' headings.
const headText = 'text-xs font-medium text-slate-500';

const deleteButton =
  'ml-2 rounded text-sm text-red-700 hover:underline focus-visible:outline-none ' +
  'focus-visible:ring-2 focus-visible:ring-red-500';

export interface BrowserEntry {
  id: number;
  data: EntryData;
  updatedAt: string;
}

interface EntryTableProps {
  sourceName: string;
  columns: readonly string[];
  entries: readonly BrowserEntry[];
  /** Shown only to people who may change entries. */
  onEdit: ((entry: BrowserEntry) => void) | null;
  onDelete: ((entry: BrowserEntry) => void) | null;
}

/** One page of entries: a column per data source column, values on one line each. */
export function EntryTable({ sourceName, columns, entries, onEdit, onDelete }: EntryTableProps) {
  const editable = onEdit !== null || onDelete !== null;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Entries of {sourceName}</caption>
        <thead className={`border-b border-slate-200 bg-slate-50 ${headText}`}>
          <tr>
            <th scope="col" className="px-3 py-2">
              ID
            </th>
            {columns.map((column) => (
              <th key={column} scope="col" className="px-3 py-2">
                {column}
              </th>
            ))}
            <th scope="col" className="px-3 py-2">
              Updated
            </th>
            {editable ? (
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Changes</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-b border-slate-100 last:border-0">
              <th scope="row" className="px-3 py-2 font-mono text-xs font-normal text-slate-500">
                {entry.id}
              </th>
              {columns.map((column) => {
                const text = cellText(entry.data[column]);
                return (
                  <td key={column} className="max-w-xs truncate px-3 py-2" title={text}>
                    {column in entry.data ? text : <span className="text-slate-300">—</span>}
                  </td>
                );
              })}
              <td className="whitespace-nowrap px-3 py-2 text-slate-500">
                {formatTime(entry.updatedAt)}
              </td>
              {editable ? (
                <td className="whitespace-nowrap px-3 py-2 text-right">
                  {onEdit ? (
                    <button
                      type="button"
                      className={secondaryButton}
                      aria-label={`Edit entry ${entry.id}`}
                      onClick={() => onEdit(entry)}
                    >
                      Edit
                    </button>
                  ) : null}{' '}
                  {onDelete ? (
                    <button
                      type="button"
                      className={deleteButton}
                      aria-label={`Delete entry ${entry.id}`}
                      onClick={() => onDelete(entry)}
                    >
                      Delete
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
