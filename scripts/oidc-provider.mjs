#!/usr/bin/env node
// A local OpenID Provider for development and tests (the OpenID-certified `oidc-provider`
// package), standing in for ID-porten and Ansattporten. Never use it in production: any
// login name signs in, without a password.
//
//   node scripts/oidc-provider.mjs [--port 0] [--host 127.0.0.1] [--id-token-ttl 120]
//                                  [--clients '<JSON list of client metadata>']
//
// Each option can also come from the environment: OIDC_PROVIDER_PORT, OIDC_PROVIDER_HOST,
// OIDC_PROVIDER_ID_TOKEN_TTL, OIDC_PROVIDER_CLIENTS. Port 0 picks a free port. Once
// listening, the script prints one line, "oidc-provider listening on <issuer>", so a caller
// (make run, the test fixture) knows where it is.
//
// Claims are derived from the login name:
//   sub     the login name
//   pid     the login name when it is 11 digits (a national identity number)
//   email   <name>@eksempel.no
//   acr     the first acr_values asked for (default idporten-loa-substantial);
//           a name starting with "lav-" gets idporten-loa-low, to test a too low level
//   groups  saksbehandler -> saksbehandlere, beslutter -> beslutter, redaktor -> redaktor;
//           any other name none
// The ID token is valid for --id-token-ttl seconds counted from when the authorization
// code was issued, so a code redeemed late gives an ID token that has already expired.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_PROVIDER_PORT || '0' },
    host: { type: 'string', default: process.env.OIDC_PROVIDER_HOST || '127.0.0.1' },
    'id-token-ttl': { type: 'string', default: process.env.OIDC_PROVIDER_ID_TOKEN_TTL || '120' },
    clients: { type: 'string', default: process.env.OIDC_PROVIDER_CLIENTS || '[]' },
  },
});

const ID_TOKEN_TTL = Number.parseInt(args['id-token-ttl'], 10);
const ACR_LEVELS = ['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'];
const GROUPS = { saksbehandler: ['saksbehandlere'], beslutter: ['beslutter'], redaktor: ['redaktor'] };

const now = () => Math.floor(Date.now() / 1000);

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function accountFor(accountId) {
  const name = accountId.replace(/^lav-/, '');
  return {
    accountId,
    async claims() {
      const claims = { sub: accountId, email: `${name}@eksempel.no`, groups: GROUPS[name] || [] };
      if (/^\d{11}$/.test(name)) claims.pid = name;
      return claims;
    },
  };
}

function acrFor(login, asked) {
  if (login.startsWith('lav-')) return 'idporten-loa-low';
  const first = (asked || '').split(' ').find((value) => ACR_LEVELS.includes(value));
  return first || 'idporten-loa-substantial';
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main>${body}</main></body></html>`;
}

function loginPage(uid, error = '') {
  return page('Testinnlogging', `<h1>Testinnlogging</h1>
<p>Lokal testleverandør: alle brukernavn logger inn, uten passord. Et fødselsnummer (11 siffer)
gir en søker; saksbehandler, beslutter og redaktor gir ansatte med grupper. «lav-» foran navnet
gir lavt sikkerhetsnivå.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Brukernavn</label> <input id="login" name="login" autocomplete="username" required>
<button type="submit">Logg inn</button></form>`);
}

function logoutSource(ctx, form) {
  ctx.body = page('Logg ut', `<h1>Logg ut</h1><p>Vil du logge ut av testleverandøren?</p>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Logg ut</button>
<button type="submit" form="op.logoutForm">Forbli innlogget</button>`);
}

function postLogoutSuccessSource(ctx) {
  ctx.body = page('Logget ut', '<h1>Logget ut</h1><p>Du er logget ut av testleverandøren.</p>');
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

// Consent is given at once: the local provider stands in for providers whose clients are
// pre-approved, as ID-porten's and Ansattporten's are.
async function grantConsent(provider, req, res, details) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  const missing = details.prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'consent') {
    await grantConsent(provider, req, res, details);
    return;
  }
  if (req.method === 'POST') {
    const login = ((await readBody(req)).get('login') || '').trim();
    if (login) {
      const result = { login: { accountId: login, acr: acrFor(login, details.params.acr_values) } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(details.uid, 'Skriv et brukernavn.'));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(loginPage(details.uid));
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const server = createServer();
server.listen(Number.parseInt(args.port, 10), args.host, () => {
  const issuer = `http://${args.host}:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: JSON.parse(args.clients),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: (ctx, sub) => accountFor(sub),
    claims: { openid: ['sub', 'acr'], profile: ['pid', 'email', 'groups'] },
    // ID-porten puts the identity (pid) in the ID token itself.
    conformIdTokenClaims: false,
    acrValues: ACR_LEVELS,
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: { url: (ctx, details) => `/interaction/${details.uid}` },
    ttl: {
      IdToken: (ctx) => ID_TOKEN_TTL - (now() - (ctx?.oidc?.entities?.AuthorizationCode?.iat ?? now())),
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Feil', `<h1>Feil</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`);
    },
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((error) => {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${error.name}: ${error.message}`);
      });
    } else {
      callback(req, res);
    }
  });
  console.log(`oidc-provider listening on ${issuer}`);
});

const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
