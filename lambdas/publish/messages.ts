import { formatDuration } from '../core/format';
import { redact } from '../core/redact';
import { runbookFor } from '../core/runbook';
import type { Alert } from './alerts';

/** One rendered notification: SNS sends `email` to email subscribers and `sms` to phones. */
export interface AlertMessage {
  /** Email subject: one line, at most 100 characters (SNS limit). */
  subject: string;
  /** Full text: measured value, threshold and the command to run, per check. */
  email: string;
  /** One SMS segment: ASCII only, at most 140 characters. */
  sms: string;
}

/** Where the alert came from, for the header and the links. */
export interface MessageContext {
  /** Lightsail instance name (names the monitored system). */
  instanceName: string;
  region: string;
  /** The function that ran the checks (`database`, `backups`, ...). */
  source: string;
  /** CloudWatch dashboard name, for a link. */
  dashboardName?: string;
  /** pgBackRest stanza, for the runbook line (`Likely fix:`); without it the line is left out. */
  stanza?: string;
  /** Repository bucket, for the bucket runbook lines. */
  bucket?: string;
}

/** Hard SMS limit: one GSM-7/ASCII segment is 160 characters; 140 leaves room for carrier prefixes. */
export const SMS_MAX_CHARS = 140;

/** The command an operator runs to see one check in detail from a laptop. */
export function commandFor(checkId: string): string {
  return `npx chronos-monitor check --only ${checkId}`;
}

const label = (a: Alert): string => {
  const st = a.status.toUpperCase();
  if (a.kind === 'recovery') return 'RECOVERED';
  return a.kind === 'reminder' ? `STILL ${st}` : st;
};

const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

function subjectOf(alerts: Alert[], ctx: MessageContext): string {
  const first = alerts[0];
  const more = alerts.length > 1 ? ` (+${alerts.length - 1} more)` : '';
  const s = ascii(`chronos-monitor ${ctx.instanceName}: ${label(first)} ${first.checkId}${more}`).replace(/\s+/g, ' ');
  return s.length <= 100 ? s : `${s.slice(0, 97)}...`;
}

function smsOf(alerts: Alert[], ctx: MessageContext): string {
  const head = `[${ascii(ctx.instanceName).slice(0, 24)}] `;
  const tail = ' - details by email';
  const parts = alerts.map((a) => ascii(`${label(a)} ${a.checkId}`));
  for (let n = parts.length; n >= 1; n--) {
    const more = n < parts.length ? ` +${parts.length - n} more` : '';
    const text = `${head}${parts.slice(0, n).join('; ')}${more}${tail}`;
    if (text.length <= SMS_MAX_CHARS) return text;
  }
  return `${head}${parts[0]}`.slice(0, SMS_MAX_CHARS);
}

function blockOf(a: Alert, now: Date, ctx: MessageContext): string {
  // A start "in the future" means the clock went back; it started no later than now.
  const since = new Date(Math.min(Date.parse(a.since), now.getTime()));
  const lasted = formatDuration((now.getTime() - since.getTime()) / 1000);
  const sinceText = `${since.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (a.kind === 'recovery') {
    return [`RECOVERED  ${a.checkId} is ${a.status} again after ${lasted} (bad since ${sinceText})`, `  ${a.summary}`].join('\n');
  }
  const lines = [`${label(a)}  ${a.checkId} (since ${sinceText}, ${lasted})`, `  ${a.summary}`];
  if (a.status === 'unknown') lines.push('  The monitor cannot see this: treat it as broken until a check says otherwise.');
  if (a.flapping) {
    lines.push(
      a.kind === 'reminder' && a.reentries > 0
        ? `  Flapping: went bad again ${a.reentries} time(s) since the last message.`
        : '  Flapping: it recovered shortly before; further flaps are folded into this incident.',
    );
  }
  lines.push(`  What to do: run \`${commandFor(a.checkId)}\` and follow its advice.`);
  const fix = ctx.stanza ? runbookFor(a.checkId, { instanceName: ctx.instanceName, region: ctx.region, stanza: ctx.stanza, bucket: ctx.bucket }) : undefined;
  if (fix) lines.push(`  Likely fix: ${fix}`);
  return lines.join('\n');
}

/** Renders one run's alerts as one notification (one email, one SMS), redacted. */
export function renderAlerts(alerts: Alert[], ctx: MessageContext, now: Date): AlertMessage {
  if (alerts.length === 0) throw new Error('renderAlerts needs at least one alert');
  const bad = alerts.filter((a) => a.kind !== 'recovery').length;
  const good = alerts.length - bad;
  const header = `chronos-monitor: ${bad} check(s) need attention, ${good} recovered. Instance ${ctx.instanceName} (${ctx.region}), ${ctx.source} checks at ${now.toISOString()}.`;
  const footer: string[] = [];
  if (ctx.dashboardName) {
    footer.push(`Dashboard: https://${ctx.region}.console.aws.amazon.com/cloudwatch/home?region=${ctx.region}#dashboards/dashboard/${ctx.dashboardName}`);
  }
  footer.push('Reminders repeat while a check stays bad; a recovery message follows when it is fixed.');
  const email = [header, '', ...alerts.map((a) => blockOf(a, now, ctx)).join('\n\n').split('\n'), '', ...footer].join('\n');
  return { subject: redact(subjectOf(alerts, ctx)), email: redact(email), sms: redact(smsOf(alerts, ctx)) };
}
