#!/usr/bin/env node
// Plays the SMS provider for the demo: posts a patient's reply to the API's inbound webhook,
// signed as the provider signs it (HMAC-SHA256 over "<t>.<body>" with SMS_WEBHOOK_SECRET).
//   pnpm sms:reply -- --from +447700900101 --text STOP [--api http://127.0.0.1:3000]
// A reply is matched to the last reminder sent to that number. Node built-ins only.
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    text: { type: 'string' },
    to: { type: 'string', default: process.env.SMS_FROM ?? '+447700900000' },
    api: { type: 'string', default: `http://127.0.0.1:${process.env.API_PORT ?? 3000}` },
  },
});
if (!values.from || values.text === undefined) {
  console.error(
    'usage: pnpm sms:reply -- --from +447700900101 --text STOP [--api http://127.0.0.1:3000]',
  );
  process.exit(2);
}
const secret = process.env.SMS_WEBHOOK_SECRET ?? 'tautline-local-sms-webhook-secret-change-me';
const body = JSON.stringify({
  messageId: `SM-demo-${randomUUID()}`,
  from: values.from,
  to: values.to,
  text: values.text,
});
const t = Math.floor(Date.now() / 1000);
const signature = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
const res = await fetch(`${values.api}/api/v1/webhooks/sms`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-tautline-signature': `t=${t},v1=${signature}` },
  body,
});
console.log(`${res.status} ${await res.text()}`);
process.exit(res.ok ? 0 : 1);
