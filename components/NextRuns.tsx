import { formatRun, viewerZone, type SchedulePreviewResult } from './schedulePreview';
import { captionText } from './styles';

/**
 * The next runs in the action's zone and in the viewer's own, side by side, with the note for
 * runs on a day the clocks change.
 */
export function NextRuns({ preview }: { preview: SchedulePreviewResult }) {
  if (preview.runs.length === 0) return null;
  const local = viewerZone();
  return (
    <div className="grid gap-1">
      <table className="w-full text-left text-xs">
        <caption className={`text-left ${captionText}`}>Next {preview.runs.length} runs</caption>
        <thead>
          <tr className="text-slate-500">
            <th scope="col" className="py-1 pr-2 font-medium">
              In {preview.zone}
            </th>
            <th scope="col" className="py-1 font-medium">
              Your time ({local})
            </th>
          </tr>
        </thead>
        <tbody className="font-mono">
          {preview.runs.map((run) => (
            <tr key={run.toISOString()} className="border-t border-slate-100">
              <td className="py-1 pr-2">
                <time dateTime={run.toISOString()}>{formatRun(run, preview.zone)}</time>
              </td>
              <td className="py-1 text-slate-600">{formatRun(run)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.dst ? (
        <p role="note" className="text-xs text-amber-800">
          Clock change: {preview.dst}
        </p>
      ) : null}
    </div>
  );
}
