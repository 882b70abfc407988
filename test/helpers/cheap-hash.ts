// Test servers hash passwords at argon2id's cheapest sane cost: at OWASP's (19 MiB, 2 passes) every signup
// and sign-in of the suite costs tens of milliseconds of CPU. test/accounts/password.test.ts checks the
// production default and that production refuses less, so a server a test starts in production keeps it.
export function cheapPasswordHash(env: Record<string, string | undefined>): Record<string, string> {
  return env.NODE_ENV === 'production' ? {} : { PASSWORD_HASH_MEMORY_KIB: '256', PASSWORD_HASH_PASSES: '1' };
}
