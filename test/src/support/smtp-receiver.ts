import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the SMTP server accepted. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly headers: Record<string, string>;
  readonly text: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that requires a login and keeps each message. */
export interface SmtpReceiver {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Logins refused (wrong user or password). */
  readonly refusedLogins: string[];
  close(): Promise<void>;
}

function parse(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, text: raw.slice(split + 4) };
}

/** Starts the server; it accepts `user`/`password` only (plain AUTH on loopback, no TLS). */
export async function startSmtpReceiver(login: {
  user: string;
  password: string;
}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const refusedLogins: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.password) {
        callback(null, { user: auth.username });
        return;
      }
      refusedLogins.push(auth.username ?? '');
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { headers, text } = parse(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          headers,
          text,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    refusedLogins,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
