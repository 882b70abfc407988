// Sign-up: the server mails a link to the address (to the address's owner only, whether or not it has an
// account), and the account is made when that link is opened (the verify-email page).
import { useState } from 'preact/hooks';
import type { Api } from '../../../client/index.ts';
import { t, type Key } from '../i18n/index.ts';
import { api } from '../okj.ts';
import { Link } from '../router.tsx';
import { invalidFields, messageOf } from '../ui/errors.ts';
import { Field, FormMessage, TextField } from '../ui/field.tsx';

type Form = Api.SignupRequest;
const GENDERS = ['FEMALE', 'MALE', 'OTHER', 'UNDISCLOSED'] as const;
const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s+'] as const;
const REGIONS = [
  'SEOUL', 'BUSAN', 'DAEGU', 'INCHEON', 'GWANGJU', 'DAEJEON', 'ULSAN', 'SEJONG', 'GYEONGGI', 'GANGWON',
  'CHUNGBUK', 'CHUNGNAM', 'JEONBUK', 'JEONNAM', 'GYEONGBUK', 'GYEONGNAM', 'JEJU',
] as const satisfies readonly Form['region'][];

export function SignUpPage() {
  const [f, setF] = useState<Form>({ email: '', password: '', nickname: '', name: '', gender: 'UNDISCLOSED', ageBand: '30s', region: 'SEOUL' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [bad, setBad] = useState<Set<string>>(new Set());
  const [sentTo, setSentTo] = useState<string | null>(null);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setF({ ...f, [k]: v });
  const err = (k: string) => (bad.has(k) ? t('signup.fix') : null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Form = { ...f };
      if (body.phone === '') delete body.phone;
      await api.auth.signup(body);
      setSentTo(f.email);
    } catch (x) {
      setError(messageOf(x));
      setBad(invalidFields(x));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo !== null) {
    return (
      <section>
        <h1>{t('signup.sentTitle')}</h1>
        <p role="status">{t('signup.sent', { email: sentTo })}</p>
      </section>
    );
  }
  const select = <K extends 'gender' | 'ageBand' | 'region'>(k: K, values: readonly Form[K][], label: Key, prefix: string) => (
    <Field label={t(label)}>
      {(a) => (
        <select {...a} name={k} value={f[k]} onChange={(e) => set(k)(e.currentTarget.value as Form[K])}>
          {values.map((v) => <option key={v} value={v}>{t(`${prefix}.${v}` as Key)}</option>)}
        </select>
      )}
    </Field>
  );
  return (
    <section class="narrow">
      <h1>{t('signup.title')}</h1>
      <form onSubmit={submit} noValidate={false}>
        <TextField label={t('field.email')} type="email" name="email" autoComplete="email" required value={f.email} onValue={set('email')} error={err('email')} />
        <TextField label={t('field.password')} type="password" name="password" autoComplete="new-password" required minLength={10} value={f.password}
          onValue={set('password')} hint={t('signup.passwordHint')} error={err('password')} />
        <TextField label={t('field.nickname')} name="nickname" autoComplete="nickname" required pattern="[\p{L}\p{N}_\-]{2,20}" value={f.nickname}
          onValue={set('nickname')} hint={t('signup.nicknameHint')} error={err('nickname')} />
        <TextField label={t('field.name')} name="name" autoComplete="name" required value={f.name} onValue={set('name')} error={err('name')} />
        {select('gender', GENDERS, 'field.gender', 'gender')}
        {select('ageBand', AGE_BANDS, 'field.ageBand', 'age')}
        {select('region', REGIONS, 'field.region', 'region')}
        <TextField label={t('field.phone')} type="tel" name="phone" autoComplete="tel" value={f.phone ?? ''} onValue={set('phone')} hint={t('signup.phoneHint')} error={err('phone')} />
        <FormMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>{busy ? t('common.sending') : t('signup.submit')}</button>
      </form>
      <p>{t('signup.haveAccount')} <Link href="/signin">{t('nav.signin')}</Link></p>
    </section>
  );
}
