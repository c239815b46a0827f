import { captionText } from '../styles';
import type { FeedEntry } from './previewState';

function time(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour12: false });
}

/** What a feed line says about an event: its screen, or its custom fields. */
function summary(entry: FeedEntry): string {
  const { data } = entry;
  if (entry.type === 'analytics.pageView') {
    return `${String(data._pageTitle)} (#${String(data._pageId)})`;
  }
  const own = Object.entries(data).filter(([key]) => !key.startsWith('_'));
  return own.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ');
}

/** Every analytics event the page sent, newest first, with the actions it started. */
export function EventFeed({ feed }: { feed: FeedEntry[] }) {
  return (
    <section aria-labelledby="event-feed-title" className="min-w-0">
      <h2 id="event-feed-title" className={`mb-2 ${captionText}`}>
        Analytics events
      </h2>
      {feed.length === 0 ? (
        <p className="text-sm text-slate-500">
          No events yet: move between screens or tap a button.
        </p>
      ) : (
        <ol aria-label="Analytics events" className="space-y-1 text-sm">
          {feed.map((entry) => (
            <li key={entry.key} className="rounded border border-slate-200 bg-white px-2 py-1">
              <span className="mr-2 font-mono text-xs text-slate-500">{time(entry.at)}</span>
              <span className="font-medium">{entry.type}</span>{' '}
              <span className="text-slate-700">{summary(entry)}</span>
              <span className="block text-xs text-slate-500">
                {entry.matched.length === 0
                  ? 'No action triggered'
                  : `Triggered: ${entry.matched.join(', ')}`}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
