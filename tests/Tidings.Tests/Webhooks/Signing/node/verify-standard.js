// Verifies a Standard Webhooks signed request independently of Tidings.
// stdin: JSON { headers: { name: value }, bodyBase64, secret?, publicKey?, now? }
//  - secret (whsec_…): verified with the `standardwebhooks` package: new Webhook(secret).verify(body, headers) (v1).
//  - publicKey (whpk_…): v1a (ed25519). standardwebhooks 1.1.x only knows v1 (it skips every other version), so v1a is
//    verified with Node's own crypto.verify(null, content, ed25519 key), on the same signed content and time window.
//  - now (Unix seconds, optional): the clock to check the timestamp against, for fixed test vectors.
// Exit 0 when it verifies; otherwise prints why on stderr and exits 1.
'use strict';
const crypto = require('crypto');
const { Webhook } = require('standardwebhooks');

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
if (input.now !== undefined) Date.now = () => input.now * 1000;
const body = Buffer.from(input.bodyBase64 || '', 'base64');
const headers = {};
for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;

if (input.secret) {
  try {
    new Webhook(input.secret).verify(body.toString('utf8'), headers, { jsonParse: false });
  } catch (e) {
    fail('standardwebhooks: ' + e.message);
  }
  process.stdout.write('verified v1\n');
} else if (input.publicKey) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) fail('missing required headers');
  const seconds = parseInt(timestamp, 10);
  if (Number.isNaN(seconds) || Math.abs(Math.floor(Date.now() / 1000) - seconds) > 5 * 60) fail('timestamp outside tolerance');
  const raw = Buffer.from(input.publicKey.replace(/^whpk_/, ''), 'base64');
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), body]);
  const ok = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    return version === 'v1a' && signature !== undefined && crypto.verify(null, content, key, Buffer.from(signature, 'base64'));
  });
  if (!ok) fail('no matching v1a signature');
  process.stdout.write('verified v1a\n');
} else {
  fail('give a secret or a publicKey');
}
