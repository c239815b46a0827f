import type { Metadata } from 'next';
import { redirect } from 'next/navigation';

import { SignInForm } from '@/components/auth/SignInForm';
import { currentUser, safeNextPath } from '@/server/auth/pages';

export const metadata: Metadata = { title: 'Sign in · App Actions' };
export const dynamic = 'force-dynamic';

export default async function LoginPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const next = safeNextPath((await props.searchParams).next);
  if (await currentUser()) redirect(next);
  return <SignInForm next={next} />;
}
