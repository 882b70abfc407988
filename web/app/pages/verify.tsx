// The page the signup mail links to: `/verify-email#token=...`. The token stays in the fragment (never
// sent to a server, never in logs) and is taken out of the address bar at once; the signup's password
// proves the mailbox's owner is the person who signed up, and the account is made and signed in.
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { api } from '../okj.ts';
import { Link, navigate } from '../router.tsx';
import { signedIn } from '../state/auth.ts';
import { codeOf, messageOf } from '../ui/errors.ts';
import { FormMessage, TextField } from '../ui/field.tsx';
import { toast } from '../ui/toasts.tsx';

function takeToken(): string | null {
  const token = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash)?.[1] ?? null;
  if (token !== null) history.replaceState(null, '', window.location.pathname);
  return token;
}

export function VerifyPage() {
  const [token] = useState(takeToken);
  const [password, setPassword] = useState('');
  const [nickname, setNickname] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (token === null) {
    return (
      <section class="narrow">
        <h1>{t('verify.title')}</h1>
        <p role="alert">{t('verify.noToken')}</p>
        <p><Link href="/signup">{t('nav.signup')}</Link></p>
      </section>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const tokens = await api.auth.verify(nickname === null ? { token, password } : { token, password, nickname });
      signedIn(tokens);
      toast(t('verify.done'), 'success');
      navigate('/', { replace: true });
    } catch (x) {
      if (codeOf(x) === 'NICKNAME_TAKEN' && nickname === null) setNickname('');
      setError(messageOf(x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <form onSubmit={submit}>
        <TextField label={t('field.password')} type="password" name="password" autoComplete="current-password" required value={password} onValue={setPassword} />
        {nickname !== null && (
          <TextField label={t('verify.newNickname')} name="nickname" required value={nickname} onValue={setNickname} hint={t('signup.nicknameHint')} />
        )}
        <FormMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>{busy ? t('common.sending') : t('verify.submit')}</button>
      </form>
    </section>
  );
}
