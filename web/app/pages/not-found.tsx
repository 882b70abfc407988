import { t } from '../i18n/index.ts';
import { Link } from '../router.tsx';

export function NotFound() {
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p><Link href="/">{t('notFound.home')}</Link></p>
    </section>
  );
}
