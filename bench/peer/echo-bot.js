'use strict';
// The peer for the side-by-side benchmark: a stock botbuilder 4.23 echo bot (CloudAdapter +
// ConfigurationBotFrameworkAuthentication) validating the same Bot Framework tokens against
// the same local OpenID metadata as SendPlans.Bot, and replying to the same fake Connector.
//
// What differs from a default echo bot (and why), and nothing else:
//  1. ToBotFromChannelOpenIdMetadataUrl = the bench's local OpenID metadata (the public one is
//     out of reach). Issuer, audience (MicrosoftAppId), endorsement and serviceurl checks are
//     botbuilder's own.
//  2. The outbound Connector token comes from StaticTokenCredentialsFactory below: a
//     PasswordServiceClientCredentialFactory (so app-id checks are unchanged) whose
//     createCredentials returns TokenCredentials with a fixed token, instead of asking Entra ID
//     over the internet. SendPlans.Bot gets its token from MSAL against a local fake Entra.
//  3. The HTTP layer is node's own http server with a 20-line shim that gives CloudAdapter the
//     req.body / res.status / res.send / res.end it expects, instead of restify or express,
//     so the peer spends as little as possible outside botbuilder.
//
// Usage: node bench/peer/echo-bot.js   (settings from the environment:)
//   PORT, MICROSOFT_APP_ID, OPENID_METADATA_URL, CONNECTOR_TOKEN
const http = require('http');
const {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
} = require('botbuilder');
const { PasswordServiceClientCredentialFactory, TokenCredentials } = require('botframework-connector');

const port = Number(process.env.PORT || 3979);
const appId = process.env.MICROSOFT_APP_ID;
const metadataUrl = process.env.OPENID_METADATA_URL;
const connectorToken = process.env.CONNECTOR_TOKEN || 'connector-token-from-fake-entra';
if (!appId || !metadataUrl) {
  console.error('MICROSOFT_APP_ID and OPENID_METADATA_URL are required');
  process.exit(2);
}

class StaticTokenCredentialsFactory extends PasswordServiceClientCredentialFactory {
  constructor(id) {
    super(id, 'unused-password');
    this.credentials = new TokenCredentials(connectorToken);
  }

  async createCredentials() {
    return this.credentials;
  }
}

const auth = new ConfigurationBotFrameworkAuthentication(
  {
    MicrosoftAppId: appId,
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  },
  new StaticTokenCredentialsFactory(appId),
);
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
  console.error('turn error', error);
  await context.sendActivity('The bot encountered an error.');
};

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text}`);
      await next();
    });
  }
}
const bot = new EchoBot();

// The shim: what restify/express would give CloudAdapter.process.
function shimResponse(res) {
  return {
    socket: res.socket,
    header: (name, value) => res.setHeader(name, value),
    status: (code) => { res.statusCode = code; },
    send: (body) => {
      if (body === undefined || body === null) return;
      if (typeof body === 'object' && !Buffer.isBuffer(body)) {
        res.setHeader('content-type', 'application/json');
        res.write(JSON.stringify(body));
      } else {
        res.write(body);
      }
    },
    end: () => res.end(),
  };
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.end('alive');
    return;
  }
  if (req.url !== '/api/messages') {
    res.statusCode = 404;
    res.end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    adapter.process(req, shimResponse(res), (context) => bot.run(context)).catch((e) => {
      console.error(e);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
});
server.keepAliveTimeout = 65000;
server.listen(port, '127.0.0.1', () => console.log(`echo-bot listening on http://127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
