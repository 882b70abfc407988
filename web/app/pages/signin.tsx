// Sign-in with email and password, or Google when the server offers it. Afterwards, back to the page
// that asked for it (`?next=`, a path of this app only).
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { api, googleSignIn } from '../okj.ts';
import { Link, location, navigate } from '../router.tsx';
import { expectSession, signedIn } from '../state/auth.ts';
import { messageOf, messageOfCode } from '../ui/errors.ts';
import { FormMessage, TextField } from '../ui/field.tsx';

/** Only a path of this site: never `//elsewhere` or a URL (an open redirect). */
const nextOf = (q: URLSearchParams): string => {
  const n = q.get('next') ?? '/';
  return /^\/(?![/\\])/.test(n) ? n : '/';
};

export function SignInPage() {
  const q = location.get().query;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const failed = q.get('error');
  const [error, setError] = useState<string | null>(failed === null ? null : messageOfCode(failed));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await api.auth.login({ email, password }));
      navigate(nextOf(q), { replace: true });
    } catch (x) {
      setError(messageOf(x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1>{t('signin.title')}</h1>
      <form onSubmit={submit}>
        <TextField label={t('field.email')} type="email" name="email" autoComplete="username" required value={email} onValue={setEmail} />
        <TextField label={t('field.password')} type="password" name="password" autoComplete="current-password" required value={password} onValue={setPassword} />
        <FormMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>{busy ? t('common.sending') : t('signin.submit')}</button>
      </form>
      {googleSignIn && (
        <p><a class="button google" href="/api/v1/auth/google/start?mode=cookie" onClick={expectSession}>{t('signin.google')}</a></p>
      )}
      <p>{t('signin.noAccount')} <Link href="/signup">{t('nav.signup')}</Link></p>
    </section>
  );
}
