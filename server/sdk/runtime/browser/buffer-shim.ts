/**
 * The one `Buffer` function the shared sandbox modules use (console caps and result size in
 * console-buffer.ts and outcomes.ts count UTF-8 bytes with `Buffer.byteLength`). The browser
 * bundle injects this in place of Node's global (see ../bundle.ts), so the page checks runs
 * with the server's own code instead of a copy of it.
 */
const encoder = new TextEncoder();

export const Buffer = {
  byteLength(text: string, _encoding?: string): number {
    return encoder.encode(text).length;
  },
};
