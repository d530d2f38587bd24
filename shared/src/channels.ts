/**
 * The senders of notifications (`@faultline/shared/channels`): team channels over HTTP (Slack,
 * Teams, PagerDuty, the signed generic webhook), any push endpoint, and e-mail over SMTP. The
 * correlator's pages and the billing bridge's budget warnings both go through them; each caller
 * composes its own message. Runtime code with network I/O, kept out of the package's index so
 * that what only needs contracts (the api, the dashboard) does not load nodemailer.
 */
export * from './channels/http-post.js';
export * from './channels/team-channel.js';
export * from './channels/mailer.js';
