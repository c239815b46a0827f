import { AppList } from '@/components/AppList';

export default function HomePage() {
  return <AppList />;
}
