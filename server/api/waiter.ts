import { db } from '../db/client';
import { RunWaiter } from '../runs/waiter';

let shared: RunWaiter | undefined;

/** The web process's one waiter for run results (one LISTEN connection). */
export function runWaiter(): RunWaiter {
  shared ??= new RunWaiter(db().$client);
  return shared;
}
