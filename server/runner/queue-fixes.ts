import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface LocalQueueInternals {
  releasing?: boolean;
  backgroundCount: number;
  decreaseBackgroundCount: () => void;
  decreaseBackgroundCountWithError: (error: unknown) => void;
  setModeReleased(): void;
  background(promise: Promise<unknown>): void;
}

/**
 * Works around a graphile-worker 0.17.3 bug. Stopping a runner releases its local queue; when
 * that queue still holds prefetched jobs, release() first marks the queue released and then
 * hands the jobs back to the database "in the background", which background() refuses once the
 * queue is released. The jobs do go back (the query has already started), but the stop is
 * reported as failed, in five error lines, and the runner exits as if it had crashed. This lets
 * background() accept the work that release() itself starts. Only 0.17.3 is patched: another
 * version is left as it is, and the shutdown test shows whether it needs this.
 */
export function patchLocalQueueRelease(): void {
  const { version } = require('graphile-worker/package.json') as { version: string };
  if (version !== '0.17.3') return;
  const { LocalQueue } = require('graphile-worker/dist/localQueue.js') as {
    LocalQueue: { prototype: LocalQueueInternals };
  };
  const proto = LocalQueue.prototype;
  const { setModeReleased, background } = proto;
  proto.setModeReleased = function patchedSetModeReleased(this: LocalQueueInternals) {
    this.releasing = true;
    try {
      setModeReleased.call(this);
    } finally {
      this.releasing = false;
    }
  };
  proto.background = function patchedBackground(
    this: LocalQueueInternals,
    promise: Promise<unknown>,
  ) {
    if (!this.releasing) {
      background.call(this, promise);
      return;
    }
    this.backgroundCount += 1;
    promise.then(this.decreaseBackgroundCount, this.decreaseBackgroundCountWithError);
  };
}
