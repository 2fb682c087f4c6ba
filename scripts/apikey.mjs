#!/usr/bin/env node
// Prints a new random API key (give it to the caller, once) and the entry for AUTH_API_KEYS_FILE
// (which holds only its SHA-256). Usage: npm run --silent apikey -- <name> [read,write,admin] [pattern…]
import { createHash, randomBytes } from 'node:crypto';

const [name = 'new-key', scopes = 'read', ...firewalls] = process.argv.slice(2);
const key = `nfw_${randomBytes(32).toString('base64url')}`;
const entry = {
  name,
  sha256: createHash('sha256').update(key, 'utf8').digest('hex'),
  scopes: scopes.split(',').filter(Boolean),
  firewalls: firewalls.length > 0 ? firewalls : ['arn:aws:network-firewall:*:*:firewall/*'],
};
console.log(`key (give to the caller, store nowhere else): ${key}`);
console.log(`entry for AUTH_API_KEYS_FILE:\n${JSON.stringify(entry, null, 2)}`);
