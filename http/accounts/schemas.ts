// Request bodies of the account routes, as zod schemas: one source for validation (strict: unknown
// members are refused) and for the OpenAPI document (z.toJSONSchema). Free-text fields are patterns,
// not just lengths: no markup, no control characters, nothing a shell or a template would care about.
import { z } from 'zod';

export const GENDERS = ['FEMALE', 'MALE', 'OTHER', 'UNDISCLOSED'] as const;
export const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s+'] as const;
/** Korea's 17 first-level divisions: the recommendation groups users by these. */
export const REGIONS = [
  'SEOUL', 'BUSAN', 'DAEGU', 'INCHEON', 'GWANGJU', 'DAEJEON', 'ULSAN', 'SEJONG', 'GYEONGGI', 'GANGWON',
  'CHUNGBUK', 'CHUNGNAM', 'JEONBUK', 'JEONNAM', 'GYEONGBUK', 'GYEONGNAM', 'JEJU',
] as const;

const email = z.email().max(254).describe('sign-in email; compared case-insensitively');
/** The policy (length, deny-list, not the email) is checked by password.ts with a clearer message. */
const password = z.string().min(1).max(1024);
const nickname = z.string().regex(/^[\p{L}\p{N}_-]{2,20}$/u, '2 to 20 letters, digits, _ or -').describe('public name, unique');
const name = z.string().regex(/^[\p{L}\p{M}][\p{L}\p{M} .'-]{0,49}$/u, '1 to 50 letters, spaces, dots, apostrophes or hyphens');
const phone = z.string().regex(/^0\d{1,2}-?\d{3,4}-?\d{4}$/, 'a Korean phone number such as 010-1234-5678');
const category = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a category id: lower-case letters, digits and hyphens');
const payout = z.string().regex(/^\d[\d-]{5,29}$/, '6 to 30 digits and hyphens');

export const SignupBody = z.strictObject({
  email,
  password,
  nickname,
  name,
  gender: z.enum(GENDERS),
  ageBand: z.enum(AGE_BANDS),
  region: z.enum(REGIONS),
  phone: phone.optional(),
  preferredCategory: category.optional(),
  payoutAccount: payout.optional(),
});

export const LoginBody = z.strictObject({ email, password });

/**
 * Any string up to 256 characters: a malformed token gets the same VERIFICATION_FAILED as an unknown,
 * used or expired one, not a different error.
 */
export const VerifyBody = z.strictObject({
  token: z.string().min(1).max(256).describe('the token from the verification link (after `#token=`)'),
  password: password.describe('the password chosen at signup'),
  nickname: nickname.optional().describe('a replacement, when the nickname chosen at signup was taken since (NICKNAME_TAKEN)'),
});

export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256) });
/** In cookie mode the token comes in the cookie: the body is empty or `{}`. */
export const CookieRefreshBody = z.strictObject({});

export const ProfilePatch = z
  .strictObject({
    nickname: nickname.optional(),
    name: name.optional(),
    gender: z.enum(GENDERS).optional(),
    ageBand: z.enum(AGE_BANDS).optional(),
    region: z.enum(REGIONS).optional(),
    phone: phone.nullable().optional(),
    preferredCategory: category.nullable().optional(),
    payoutAccount: payout.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'name at least one field to change');

export const PasswordChangeBody = z.strictObject({ currentPassword: password, newPassword: password });
export const PasswordSetBody = z.strictObject({ newPassword: password });
export const WithdrawBody = z.strictObject({ password: password.optional() });
export const RoleBody = z.strictObject({ role: z.enum(['USER', 'ADMIN']) });
