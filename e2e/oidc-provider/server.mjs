// A real OpenID Connect provider for the end-to-end tests: oidc-provider with its development
// interactions (any password), on 127.0.0.1 and a free port, with one confidential client (code flow,
// PKCE, client_secret_post) for the portal at PORTAL_URL and one user per portal role plus one without.
// Prints one line, {"issuer": "..."}, once it listens; stops on SIGTERM or when stdin closes.
import http from 'node:http';
import Provider from 'oidc-provider';

const portalUrl = process.env.PORTAL_URL;
const clientSecret = process.env.CLIENT_SECRET ?? 'e2e-client-secret';
if (!portalUrl) {
  console.error('error: PORTAL_URL is not set (the portal\'s base URL, e.g. http://127.0.0.1:5180)');
  process.exit(2);
}

// The role claim carries group names; the portal maps them to its roles (Authentication:Oidc:RoleMap).
const users = {
  'ada-admin': { name: 'Ada Admin', email: 'ada@example.com', roles: ['portal-admins', 'everyone'] },
  'sam-support': { name: 'Sam Support', email: 'sam@example.com', roles: ['portal-support', 'everyone'] },
  'cora-customer': { name: 'Cora Customer', email: 'cora@example.com', roles: ['portal-customers'] },
  'nora-nobody': { name: 'Nora Nobody', email: 'nora@example.com', roles: ['everyone'] },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'telemetry-portal',
      client_secret: clientSecret,
      redirect_uris: [`${portalUrl}/signin-oidc`],
      post_logout_redirect_uris: [`${portalUrl}/signout-callback-oidc`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      roles: ['roles'],
    },
    scopes: ['openid', 'profile', 'email', 'roles'],
    // The roles also go in the id token, as Entra ID and Keycloak put them there.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    cookies: { keys: ['telemetry-portal-e2e-cookie-key'] },
    async findAccount(ctx, id) {
      const user = users[id];
      if (!user) {
        return undefined;
      }

      return {
        accountId: id,
        async claims() {
          return { sub: id, preferred_username: id, ...user };
        },
      };
    },
  });
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
