'use client';

import { useState } from 'react';

import { useCan } from './auth/useCan';
import { NewActionDialog } from './NewActionDialog';
import { primaryButton } from './styles';

/** Opens the dialog that creates an action from a template. */
export function NewActionButton({ appId, takenNames }: { appId: number; takenNames: string[] }) {
  const [open, setOpen] = useState(false);
  if (!useCan('edit', appId)) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className={primaryButton}>
        New action
      </button>
      {open ? (
        <NewActionDialog appId={appId} takenNames={takenNames} onClose={() => setOpen(false)} />
      ) : null}
    </>
  );
}
