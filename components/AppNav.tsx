'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

import { productErrorOf } from './productError';
import { useTRPC } from './TrpcProvider';

/** The app's name and its sections; the current section is marked for assistive technology. */
export function AppNav({ appId }: { appId: number }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const app = useQuery(trpc.apps.get.queryOptions({ appId }));
  const sections = [
    { href: `/apps/${appId}/actions`, label: 'Actions' },
    { href: `/apps/${appId}/logs`, label: 'Run logs' },
    { href: `/apps/${appId}/data`, label: 'Data' },
    { href: `/apps/${appId}/outbox`, label: 'Outbox' },
  ];

  return (
    <div className="mb-4 flex flex-wrap items-center gap-x-6 border-b border-slate-200 pb-2">
      <p className="text-sm text-slate-500">
        <Link href="/" className="hover:underline">
          Apps
        </Link>{' '}
        / <span className="font-medium text-slate-800">{app.data?.name ?? `App ${appId}`}</span>
      </p>
      <nav aria-label="App sections" className="flex gap-4 text-sm">
        {sections.map((section) => {
          const current = pathname === section.href || pathname.startsWith(`${section.href}/`);
          return (
            <Link
              key={section.href}
              href={section.href}
              aria-current={current ? 'page' : undefined}
              className={
                current
                  ? 'border-b-2 border-indigo-600 pb-0.5 font-semibold text-indigo-700'
                  : 'pb-0.5 text-slate-600 hover:text-slate-900'
              }
            >
              {section.label}
            </Link>
          );
        })}
      </nav>
      {app.isError ? (
        <p role="alert" className="basis-full text-sm text-red-700">
          {productErrorOf(app.error).message}
        </p>
      ) : null}
    </div>
  );
}
