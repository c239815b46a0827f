import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { ApprovedLibrary } from './libraries';

const sources = new Map<string, string>();

/**
 * The installed npm copy of an approved library, read once per process. Server only: the
 * library list itself (./libraries.ts) is also bundled into the browser editor.
 */
export function librarySource(library: ApprovedLibrary): string {
  let source = sources.get(library.url);
  if (source === undefined) {
    // The source tree's node_modules, not this module's URL: inside the Next build it moves.
    const file = path.join(process.cwd(), 'node_modules', library.packageName, library.file);
    source = readFileSync(file, 'utf8');
    sources.set(library.url, source);
  }
  return source;
}
