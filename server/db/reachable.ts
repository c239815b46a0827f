import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * The first folder on the way to `target` that other users cannot pass through (no execute
 * bit for "others"), or undefined. Run as root, the embedded Postgres runs as the `postgres`
 * system user, which must reach both its binaries (in node_modules) and DATA_DIR; a private
 * folder such as a `mktemp -d` one or /root stops it with a raw EACCES from initdb.
 */
export function privateFolderOnPath(target: string): string | undefined {
  const folders: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const folder of folders) {
    let mode: number;
    try {
      mode = statSync(folder).mode;
    } catch {
      return undefined; // not created yet: mkdir makes it with the usual 755
    }
    if ((mode & 0o001) === 0) return folder;
  }
  return undefined;
}
