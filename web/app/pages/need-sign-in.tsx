// Shown in place of a page that needs a signed-in user (or an admin).
import { t } from '../i18n/index.ts';
import { Link, location } from '../router.tsx';

export function NeedSignIn({ admin = false }: { admin?: boolean }) {
  const here = location.get().path;
  return (
    <section>
      <h1>{admin ? t('need.adminTitle') : t('need.title')}</h1>
      <p>{admin ? t('need.adminBody') : t('need.body')}</p>
      {!admin && (
        <p class="actions">
          <Link class="button" href={`/signin?next=${encodeURIComponent(here)}`}>{t('nav.signin')}</Link>
          <Link href="/signup">{t('nav.signup')}</Link>
        </p>
      )}
    </section>
  );
}
