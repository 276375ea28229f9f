// OAuth2 token endpoint and device authorization bodies (RFC 6749, RFC 8628) as identity providers send them.
import * as z from 'zod/mini';
import './messages';

// Some providers send numbers as strings (expires_in: "3599").
const seconds = z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform((s: string) => Number(s)))]);

export const tokenResponse = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.optional(seconds),
  refresh_token: z.optional(z.string()),
});
export type TokenResponse = z.output<typeof tokenResponse>;

export const oauthErrorResponse = z.looseObject({
  error: z.string(),
  error_description: z.optional(z.string()),
});

export const deviceAuthorizationResponse = z.looseObject({
  device_code: z.string().check(z.minLength(1)),
  user_code: z.string().check(z.minLength(1)),
  // Google spells it verification_url.
  verification_uri: z.optional(z.string()),
  verification_url: z.optional(z.string()),
  verification_uri_complete: z.optional(z.string()),
  expires_in: seconds,
  interval: z.optional(seconds),
  message: z.optional(z.string()),
});
