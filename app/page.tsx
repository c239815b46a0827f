import { AppList } from '@/components/AppList';
import { requireUser } from '@/server/auth/pages';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  await requireUser('/');
  return <AppList />;
}
