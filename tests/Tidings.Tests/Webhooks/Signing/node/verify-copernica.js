// Verifies a Copernica-style signed webhook request with Joyent's `http-signature` package, independently of Tidings.
// stdin: JSON { method, path, headers: { name: value }, bodyBase64, publicKeyPem, expectedKeyId?, expectedCopernicaId? }
// Exit 0 when it verifies; otherwise prints why on stderr and exits 1.
'use strict';
const crypto = require('crypto');
const httpSignature = require('http-signature');

function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const headers = {};
for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
const body = Buffer.from(input.bodyBase64 || '', 'base64');
const request = { method: input.method, url: input.path, httpVersion: '1.1', headers };

let parsed;
try {
  // What Copernica's checklist says a signature must cover at least.
  parsed = httpSignature.parseRequest(request, {
    headers: ['(request-target)', 'host', 'date', 'x-copernica-id', 'digest'],
    clockSkew: 60,
  });
} catch (e) {
  fail('parseRequest: ' + e.message);
}
if (parsed.params.algorithm !== 'rsa-sha256') fail('algorithm is ' + parsed.params.algorithm);
if (input.expectedKeyId && parsed.params.keyId !== input.expectedKeyId) fail('keyId is ' + parsed.params.keyId);
if (input.expectedCopernicaId && headers['x-copernica-id'] !== input.expectedCopernicaId) fail('x-copernica-id is ' + headers['x-copernica-id']);
if (!httpSignature.verifySignature(parsed, input.publicKeyPem)) fail('signature does not verify');

// The signature covers the Digest header; the Digest must also match the body (RFC 3230), or the body was swapped.
const digest = headers['digest'] || '';
const at = digest.indexOf('=');
if (at < 0 || digest.slice(0, at).toLowerCase() !== 'sha-256') fail('digest is not SHA-256: ' + digest);
if (digest.slice(at + 1) !== crypto.createHash('sha256').update(body).digest('base64')) fail('digest does not match the body');
if (headers['content-length'] !== undefined && Number(headers['content-length']) !== body.length) fail('content-length does not match the body');
process.stdout.write('verified ' + parsed.params.keyId + '\n');
