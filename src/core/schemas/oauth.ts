// OAuth2 token endpoint and device authorization bodies (RFC 6749, RFC 8628) as identity providers send them.
import { z } from 'zod';

// Some providers send numbers as strings (expires_in: "3599").
const seconds = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

export const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: seconds.optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponse>;

export const oauthErrorResponse = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

export const deviceAuthorizationResponse = z.looseObject({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  // Google spells it verification_url.
  verification_uri: z.string().optional(),
  verification_url: z.string().optional(),
  verification_uri_complete: z.string().optional(),
  expires_in: seconds,
  interval: seconds.optional(),
  message: z.string().optional(),
});
