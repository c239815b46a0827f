'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';

import { useAdminOrganization } from './useAdminOrganization';

const sections = [
  { href: '/settings/users', label: 'Users' },
  { href: '/settings/tokens', label: 'API tokens' },
  { href: '/settings/audit', label: 'Audit trail' },
];

const bar = 'mb-4 flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-slate-200 pb-2';

/** The settings sections, and the organisation they are about when the user runs several. */
export function SettingsNav({ organizationId }: { organizationId: number | null }) {
  const pathname = usePathname();
  const router = useRouter();
  const { organizations, current } = useAdminOrganization(organizationId);
  const query = current ? `?org=${current.id}` : '';

  return (
    <div className={bar}>
      <h1 className="text-sm font-medium text-slate-800">Settings</h1>
      <nav aria-label="Settings sections" className="flex gap-4 text-sm">
        {sections.map((section) => {
          const active = pathname === section.href;
          return (
            <Link
              key={section.href}
              href={`${section.href}${query}`}
              aria-current={active ? 'page' : undefined}
              className={
                active
                  ? 'border-b-2 border-indigo-600 pb-0.5 font-semibold text-indigo-700'
                  : 'pb-0.5 text-slate-600 hover:text-slate-900'
              }
            >
              {section.label}
            </Link>
          );
        })}
      </nav>
      {organizations.length > 1 ? (
        <label className="ml-auto flex items-center gap-2 text-sm">
          Organisation
          <select
            className="rounded border border-slate-300 px-2 py-1"
            value={current?.id ?? ''}
            onChange={(event) => router.push(`${pathname}?org=${event.target.value}`)}
          >
            {organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}
