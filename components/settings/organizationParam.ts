/** `?org=` of a settings page's address: an organisation id, or null for "the first". */
export function organizationParam(value: string | string[] | undefined): number | null {
  const id = typeof value === 'string' && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(id) ? id : null;
}
