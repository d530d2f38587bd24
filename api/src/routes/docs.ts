import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';

/**
 * `GET /api/docs`: a small page that renders the OpenAPI document. The document needs a token,
 * so the page asks for one (or reuses the dashboard's, same origin) and fetches it with
 * `Authorization: Bearer`. Script and style are separate files, so the strict CSP (`script-src
 * 'self'`, no inline code) holds, and the page builds the DOM with `textContent` only.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Faultline API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/api/docs/docs.css">
<script type="module" src="/api/docs/docs.js"></script>
</head>
<body>
<header><h1>Faultline API</h1><p>Reference generated from <code>/api/openapi.json</code>. Prose: docs/api.md.</p></header>
<form id="sign-in" hidden>
<label>Token <input id="token" type="password" autocomplete="off" required></label>
<button type="submit">Show the API</button>
<p id="problem" role="alert"></p>
</form>
<main id="reference"></main>
</body>
</html>
`;

const SCRIPT = `const form = document.getElementById('sign-in');
const input = document.getElementById('token');
const problem = document.getElementById('problem');
const reference = document.getElementById('reference');
const KEY = 'faultline.token';

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function render(doc) {
  reference.replaceChildren();
  reference.append(el('p', (doc.info.title || '') + ' ' + (doc.info.version || '')));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const section = el('section', undefined, 'op');
      const head = el('h2');
      head.append(el('span', method.toUpperCase(), 'method ' + method), el('code', ' ' + path));
      section.append(head, el('p', op.summary || ''));
      const params = (op.parameters || []).map((p) => p.in + ' ' + p.name + (p.required ? ' (required)' : ''));
      if (params.length > 0) section.append(el('p', 'Parameters: ' + params.join(', ')));
      const body = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
      if (body) section.append(el('pre', JSON.stringify(body.schema, null, 2)));
      const codes = Object.entries(op.responses || {}).map(([code, r]) => code + ' ' + (r.description || ''));
      section.append(el('p', 'Answers: ' + codes.join('; ')));
      reference.append(section);
    }
  }
}

async function load(token) {
  const response = await fetch('/api/openapi.json', { headers: { authorization: 'Bearer ' + token } });
  if (response.status === 401 || response.status === 403) {
    sessionStorage.removeItem(KEY);
    form.hidden = false;
    problem.textContent = 'That token was refused.';
    return;
  }
  if (!response.ok) {
    form.hidden = false;
    problem.textContent = 'The API answered ' + response.status + '.';
    return;
  }
  form.hidden = true;
  render(await response.json());
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = input.value.trim();
  if (token === '') return;
  sessionStorage.setItem(KEY, token);
  void load(token);
});

const saved = sessionStorage.getItem(KEY) || localStorage.getItem(KEY);
if (saved) void load(saved);
else form.hidden = false;
`;

const STYLE = `body { margin: 0 auto; max-width: 60rem; padding: 1rem; font-family: system-ui, sans-serif;
  background: #0a0d12; color: #f2f5f8; }
code, pre { font-family: ui-monospace, monospace; }
pre { background: #151a22; padding: 0.5rem; overflow: auto; }
.op { border-top: 1px solid #2a3340; padding: 0.5rem 0; }
.op h2 { font-size: 1.1rem; margin: 0.3rem 0; }
.method { display: inline-block; min-width: 4rem; font-weight: 700; }
.get { color: #4fb3ff; } .post { color: #3ecf6e; }
label { display: block; margin: 1rem 0; } input { font: inherit; padding: 0.4rem; }
[role=alert] { color: #ff8a80; }
`;

/** The docs page and its two files, public (they hold no data). */
export const docsRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  const files: [string, string, string][] = [
    ['/api/docs', 'text/html; charset=utf-8', PAGE],
    ['/api/docs/docs.js', 'text/javascript; charset=utf-8', SCRIPT],
    ['/api/docs/docs.css', 'text/css; charset=utf-8', STYLE],
  ];
  for (const [url, type, body] of files) {
    app.get(
      url,
      { config: { access: 'public' }, schema: { hide: true } },
      async (_request, reply) => {
        await reply.type(type).header('cache-control', 'no-cache').send(body);
      },
    );
  }
  done();
};
