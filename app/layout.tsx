import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

import { AccountMenu } from '@/components/auth/AccountMenu';
import { TrpcProvider } from '@/components/TrpcProvider';

import './globals.css';

export const metadata: Metadata = {
  title: 'App Actions',
  description: 'Write, run, schedule and debug code-based app actions',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <TrpcProvider>
          <header className="border-b border-slate-200 bg-white">
            <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3" aria-label="Main">
              <Link href="/" className="font-semibold text-indigo-700">
                App Actions
              </Link>
              <AccountMenu />
            </nav>
          </header>
          <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        </TrpcProvider>
      </body>
    </html>
  );
}
