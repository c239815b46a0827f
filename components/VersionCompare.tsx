import type { ActionDraft } from './actionDraft';
import { bodyOf } from './actionDraft';
import { settingsJson } from './actionSnapshot';
import type { ActionVersion } from './apiTypes';
import { DiffView } from './DiffView';
import { formatTime } from './formatters';

/** A version's code and settings against the editor's current draft. */
export function VersionCompare({ version, draft }: { version: ActionVersion; draft: ActionDraft }) {
  const body = bodyOf(draft);
  const current = {
    ...draft,
    frequency: typeof body.frequency === 'string' ? body.frequency : null,
    timezone: typeof body.timezone === 'string' ? body.timezone : null,
  };
  const versionLabel = `Version #${version.id} (${formatTime(version.createdAt)})`;
  return (
    <>
      <DiffView
        label="Code"
        language="javascript"
        original={version.fields.code}
        modified={draft.code}
        originalLabel={versionLabel}
        modifiedLabel="Editor now"
      />
      <DiffView
        label="Settings"
        language="json"
        original={settingsJson(version.fields)}
        modified={settingsJson(current)}
        originalLabel={versionLabel}
        modifiedLabel="Editor now"
      />
    </>
  );
}
