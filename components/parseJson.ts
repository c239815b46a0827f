export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON.parse without throwing, keeping the parser's message to show beside the input. */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Not valid JSON' };
  }
}
