#!/usr/bin/env node
// Sign in to the Finesse emulator over XMPP-over-WebSocket (RFC 7395) with strophe.js (a
// client nobody here wrote), change the agent's state over REST, and wait for the matching
// User event.
//
// Usage: node strophe_client.mjs --ws-url wss://127.0.0.1:8445/ws/ --domain 127.0.0.1 \
//          --user 1001 --password ringside --extension 2001 --ca ca.pem \
//          --rest-url https://127.0.0.1:8445/finesse/api [--timeout 30]
// NODE_EXTRA_CA_CERTS must name the CA file: strophe opens the WebSocket itself.
//
// Prints exactly one JSON line on stdout and exits 0 on success, 1 on failure, 2 when the
// npm packages are missing.
import { readFileSync } from 'node:fs';
import https from 'node:https';

function parseArgs(argv) {
  const args = { timeout: 30, resource: 'strophe-interop' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    args[key] = argv[i + 1];
  }
  for (const required of ['wsUrl', 'domain', 'user', 'password', 'extension', 'ca', 'restUrl']) {
    if (!args[required]) {
      throw new Error(`missing --${required.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  }
  args.timeout = Number(args.timeout);
  return args;
}

function finish(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(result.ok ? 0 : 1));
}

function withTimeout(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function restPut(args, body) {
  const url = new URL(`${args.restUrl}/User/${args.user}`);
  const credentials = Buffer.from(`${args.user}:${args.password}`).toString('base64');
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: 'PUT',
        ca: readFileSync(args.ca),
        headers: {
          Authorization: `Basic ${credentials}`,
          'Content-Type': 'application/xml',
          requestId: 'strophe-interop',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function childText(element, name) {
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && node.localName.toLowerCase() === name.toLowerCase()) {
      return node.textContent.trim();
    }
  }
  return null;
}

function firstChild(element, name) {
  for (let node = element?.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && node.localName.toLowerCase() === name.toLowerCase()) {
      return node;
    }
  }
  return null;
}

async function main() {
  let Strophe, $pres, $iq, DOMParser;
  try {
    ({ Strophe, $pres, $iq } = await import('strophe.js'));
    ({ DOMParser } = await import('@xmldom/xmldom'));
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, client: 'strophe.js', error: `npm packages missing (run npm install in tests/interop): ${error.message}` })}\n`,
      () => process.exit(2),
    );
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  // Strophe logs to the console; stdout carries only the result line.
  Strophe.setLogLevel(Strophe.LogLevel.FATAL);
  const result = { client: 'strophe.js', transport: 'websocket', ok: false, events_seen: [] };
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    finish({ ...result, error: 'NODE_EXTRA_CA_CERTS must point at the lab CA file' });
    return;
  }

  const connection = new Strophe.Connection(args.wsUrl);
  let finessePresence;
  const finessePresenceSeen = new Promise((resolve) => {
    finessePresence = resolve;
  });
  let readySeen;
  const readyEvent = new Promise((resolve) => {
    readySeen = resolve;
  });
  let connected;
  let failed;
  const signedIn = new Promise((resolve, reject) => {
    connected = resolve;
    failed = reject;
  });

  connection.addHandler(
    (presence) => {
      const from = presence.getAttribute('from') || '';
      if (from.split('/')[0] === `finesse@${args.domain}`) {
        finessePresence(presence.getAttribute('type') === 'unavailable' ? 'unavailable' : 'available');
      }
      return true;
    },
    null,
    'presence',
  );
  connection.addHandler(
    (message) => {
      const items = message.getElementsByTagName('items')[0];
      const notification = message.getElementsByTagName('notification')[0];
      if (!items || !notification) {
        return true;
      }
      const update = new DOMParser().parseFromString(notification.textContent, 'text/xml').documentElement;
      const user = firstChild(firstChild(update, 'data'), 'user');
      const state = user ? childText(user, 'state') : null;
      const event = { node: items.getAttribute('node'), state, to: message.getAttribute('to') };
      result.events_seen.push(event);
      if (event.node === `/finesse/api/User/${args.user}` && state === 'READY') {
        readySeen(event);
      }
      return true;
    },
    null,
    'message',
  );

  const jid = `${args.user.toLowerCase()}@${args.domain}/${args.resource}`;
  connection.connect(jid, args.password, (status, condition) => {
    if (status === Strophe.Status.CONNECTED) {
      connected();
    } else if (status === Strophe.Status.AUTHFAIL) {
      failed(new Error('authentication failed'));
    } else if (status === Strophe.Status.CONNFAIL || status === Strophe.Status.ERROR) {
      failed(new Error(`connection failed: ${condition}`));
    }
  });

  try {
    await withTimeout(signedIn, args.timeout, 'sign-in');
    connection.send($pres().c('priority').t('0'));
    connection.sendIQ($iq({ type: 'get' }).c('query', { xmlns: Strophe.NS.ROSTER }));
    result.finesse_presence = await withTimeout(finessePresenceSeen, args.timeout, 'finesse@ presence');
    result.login_status = await restPut(
      args,
      `<User><state>LOGIN</state><extension>${args.extension}</extension></User>`,
    );
    result.ready_status = await restPut(args, '<User><state>READY</state></User>');
    const event = await withTimeout(readyEvent, args.timeout, 'the READY User event');
    Object.assign(result, {
      ok: result.finesse_presence === 'available',
      state: event.state,
      event_node: event.node,
      event_to: event.to,
    });
  } catch (error) {
    result.error = error.message;
  }
  connection.disconnect('done');
  finish(result);
}

main().catch((error) => finish({ ok: false, client: 'strophe.js', error: String(error?.stack || error) }));
