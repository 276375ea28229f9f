// The sandbox identity provider's endpoints: token, device authorization, and the device sign-in page.
import { type SandboxContext } from '../context';
import { type ApiRequest, type ApiResponse, type Route } from '../router';

function form(req: ApiRequest): URLSearchParams {
  const text = req.rawBody.toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json') && text.trim().startsWith('{')) {
    // Lenient: some clients post JSON to token endpoints.
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(obj).map(([k, v]) => [k, String(v)]));
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): ApiResponse {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}input{font-size:1.4rem;letter-spacing:.2rem;padding:.3rem}button{font-size:1rem;margin:.5rem .5rem 0 0;padding:.4rem 1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  // No framing (a page must not trick the user into clicking Approve inside a frame), nothing loaded, and
  // the form posts only back here.
  const headers = {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // same-origin, not no-referrer: with no-referrer a browser posts the form with Origin "null", which the
    // Origin check refuses.
    'referrer-policy': 'same-origin',
  };
  return { status, raw: html, contentType: 'text/html; charset=utf-8', headers };
}

export function oauthRoutes(ctx: SandboxContext): Route[] {
  return [
    {
      // OpenID discovery, for clients that find the device and token endpoints from an issuer URL.
      method: 'GET',
      path: '/.well-known/openid-configuration',
      scope: 'root',
      auth: false,
      handler: () => ({
        status: 200,
        body: {
          issuer: ctx.baseUrl(),
          token_endpoint: `${ctx.baseUrl()}/oauth2/token`,
          device_authorization_endpoint: `${ctx.baseUrl()}/oauth2/devicecode`,
          grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        },
      }),
    },
    {
      method: 'POST',
      path: '/oauth2/token',
      scope: 'root',
      auth: false,
      body: 'form',
      handler: (req) => {
        const reply = ctx.identity.token(form(req), req.headers.authorization);
        return { status: reply.status, body: reply.body, headers: { 'cache-control': 'no-store' } };
      },
    },
    {
      method: 'POST',
      path: '/oauth2/devicecode',
      scope: 'root',
      auth: false,
      body: 'form',
      handler: (req) => {
        const reply = ctx.identity.deviceAuthorization(form(req), ctx.baseUrl());
        return { status: reply.status, body: reply.body, headers: { 'cache-control': 'no-store' } };
      },
    },
    {
      method: 'GET',
      path: '/oauth2/device',
      scope: 'root',
      auth: false,
      handler: (req) => {
        const code = escapeHtml(req.query.get('user_code') ?? '');
        return page(
          'Sign in to the CDF sandbox',
          `<p>Enter the code shown by the application that is signing in.</p>
<form method="post" action="/oauth2/device"><input name="user_code" value="${code}" autofocus autocomplete="off" required>
<div><button name="action" value="approve">Approve</button><button name="action" value="deny">Deny</button></div></form>`,
        );
      },
    },
    {
      method: 'POST',
      path: '/oauth2/device',
      scope: 'root',
      auth: false,
      body: 'form',
      handler: (req) => {
        const f = form(req);
        const userCode = f.get('user_code') ?? '';
        const approve = f.get('action') !== 'deny';
        try {
          ctx.identity.approveDeviceCode(userCode, approve);
        } catch {
          return page('Code not found', `<p>No pending sign-in has the code <b>${escapeHtml(userCode)}</b>. It may have expired.</p><p><a href="/oauth2/device">Try again</a></p>`, 404);
        }
        return page(approve ? 'Signed in' : 'Sign-in declined', `<p>${approve ? 'You can close this page and return to the application.' : 'The application will not get access.'}</p>`);
      },
    },
  ];
}
