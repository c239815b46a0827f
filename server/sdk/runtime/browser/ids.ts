/** Random ids for runs and analytics, and the two analytics ids kept across page loads. */

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A version 4 UUID. `crypto.randomUUID` exists only in secure contexts (https, localhost);
 * an app served over plain http on a LAN still gets one from `getRandomValues`.
 */
export function uuid(): string {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const t = hex(bytes);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const remembered = new Map<string, string>();

/**
 * An id stored under `key`, created on first use. Storage can be missing or refuse writes
 * (private modes, sandboxed frames); the id then lives as long as the page.
 */
export function storedId(storage: () => Storage, key: string): string {
  try {
    const store = storage();
    const existing = store.getItem(key);
    if (existing && UUID.test(existing)) return existing;
    const created = uuid();
    store.setItem(key, created);
    return created;
  } catch {
    let id = remembered.get(key);
    if (!id) {
      id = uuid();
      remembered.set(key, id);
    }
    return id;
  }
}
