import { notFound } from 'next/navigation';

/** Largest id a Postgres integer column holds; anything beyond cannot name a row. */
const MAX_ID = 2_147_483_647;

/** A positive integer id from a URL segment; anything else is a 404, not a failed request. */
export function routeId(segment: string): number {
  const id = /^[1-9][0-9]{0,9}$/.test(segment) ? Number(segment) : NaN;
  if (!Number.isSafeInteger(id) || id > MAX_ID) notFound();
  return id;
}
