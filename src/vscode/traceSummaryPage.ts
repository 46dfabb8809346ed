// The trace editor's page: a strict CSP (no network, our stylesheet only, one inline script
// allowed by a fresh nonce) and a small script that renders the summary the host posts. All
// text from the trace is set with textContent, never as HTML. No `vscode` import.
import { escapeHtml } from '../shared/html';
import type { TraceStats } from '../trace/stats';

/** What the host sends the page. */
export type ToTraceSummaryPage =
  | { type: 'loading'; fileName: string; percent: number }
  | { type: 'summary'; fileName: string; summary: TraceSummaryView }
  | { type: 'error'; fileName: string; message: string };

/** What the page sends the host; validated there (the webview is untrusted). */
export type FromTraceSummaryPage = { type: 'ready' } | { type: 'showTimeline' } | { type: 'openInInspector' };

/** The part of TraceStats the page shows, with long lists cut. */
export type TraceSummaryView = Omit<TraceStats, 'objects' | 'anomalies' | 'invalidLines'> & {
  anomalies: TraceStats['anomalies'];
  invalidLines: TraceStats['invalidLines'];
};

/** Entries of long lists the page shows; the rest is counted. */
export const LISTED_IN_PAGE = 100;

export function summaryView(stats: TraceStats): TraceSummaryView {
  const { objects: _objects, anomalies, invalidLines, ...rest } = stats;
  return { ...rest, anomalies: anomalies.slice(0, LISTED_IN_PAGE), invalidLines: invalidLines.slice(0, LISTED_IN_PAGE) };
}

export function traceSummaryCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function traceSummaryHtml(options: { cspSource: string; nonce: string; styleUri: string; fileName: string }): string {
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(traceSummaryCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>${attr(options.fileName)}</title>
</head>
<body>
<header>
  <h1 id="title">${attr(options.fileName)}</h1>
  <div class="actions">
    <button id="showTimeline" disabled>Show Timeline</button>
    <button id="openInInspector" class="secondary" disabled>Open in Inspector</button>
  </div>
</header>
<main id="root"><p id="status">Reading the trace…</p></main>
<script nonce="${attr(options.nonce)}">${PAGE_SCRIPT}</script>
</body>
</html>`;
}

// Plain ES2020 for the webview. Builds every node with createElement + textContent.
const PAGE_SCRIPT = String.raw`
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  const buttons = ['showTimeline', 'openInInspector'].map((id) => document.getElementById(id));
  buttons.forEach((button) => button.addEventListener('click', () => vscode.postMessage({ type: button.id })));

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function section(title, children) {
    const s = el('section');
    s.appendChild(el('h2', title));
    children.forEach((c) => s.appendChild(c));
    return s;
  }
  function table(headers, rows) {
    const t = el('table');
    const head = el('tr');
    headers.forEach((h) => head.appendChild(el('th', h)));
    t.appendChild(head);
    rows.forEach((row) => {
      const tr = el('tr');
      row.forEach((cell) => tr.appendChild(el('td', cell, typeof cell === 'number' ? 'number' : undefined)));
      t.appendChild(tr);
    });
    return t;
  }
  function iso(ms) {
    const d = new Date(ms);
    return isNaN(d.getTime()) ? String(ms) : d.toISOString();
  }
  function seconds(s) {
    if (s < 60) return (Math.round(s * 1000) / 1000) + ' s';
    const m = Math.floor(s / 60);
    return m < 60 ? m + ' min ' + Math.round(s - m * 60) + ' s' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  function more(total, shown) {
    return total > shown ? [el('p', '… and ' + (total - shown) + ' more (nkmedia-inspect stats FILE lists them all)', 'muted')] : [];
  }

  function render(s) {
    root.replaceChildren();
    const h = s.header;
    const facts = [
      ['Format', 'NkMEDIA trace version ' + h.version + (s.compressed ? ', gzip' : '')],
      ['Created', h.created + (h.tool ? ' by ' + h.tool : '')],
      ['Source', h.source ? [h.source.name, h.source.url, h.source.user ? 'as ' + h.source.user : ''].filter(Boolean).join(' ') : '(not recorded)'],
      ['Server', s.dialect.label + (s.dialect.how === 'detected' ? ' (detected from the events)' : '')],
      ['Ends', s.endCounts.normal + ' normal, ' + s.endCounts.declined + ' declined, ' + s.endCounts.fault + ' faults'],
      ['Subscriptions', (h.subscriptions || []).map((x) => [x.class, x.subclass || '*', x.type || '*', x.obj_id || '*'].join('/')).join(', ') || '(not recorded)'],
      ['Events', String(s.events)],
      ['Markers', Object.entries(s.markers).filter((e) => e[1] > 0).map((e) => e[1] + ' ' + e[0]).join(', ') || 'none'],
      ['Time span', s.timeSpan ? iso(s.timeSpan.first) + ' → ' + iso(s.timeSpan.last) + ' (' + seconds(s.timeSpan.seconds) + ')' : 'no events'],
    ];
    root.appendChild(section('Summary', [table(['', ''], facts)]));

    const c = s.objectCounts;
    const objectRows = ['session', 'room', 'call', 'other'].map((kind) => [kind, c[kind], Object.entries(s.objectStates[kind]).map((e) => e[1] + ' ' + e[0]).join(', ')]);
    root.appendChild(section('Objects (' + c.total + ')', [table(['kind', 'count', 'states'], objectRows)]));

    root.appendChild(section('Events per subclass and type', [table(['class/subclass', 'type', 'count'], s.types.map((t) => [t.class + '/' + (t.subclass || '(none)'), (t.type || '(none)') + (t.known ? '' : ' (not in the NkMEDIA reference)'), t.count]))]));

    const anomalyTotal = Object.values(s.anomalyCounts).reduce((a, b) => a + b, 0);
    root.appendChild(section('Anomalies (' + anomalyTotal + ')', [
      table(['time', 'object', 'what'], s.anomalies.map((a) => [iso(a.ts), a.objectKey, a.message])),
      ...more(anomalyTotal, s.anomalies.length),
    ]));

    const bad = [table(['line', 'reason'], s.invalidLines.map((b) => [b.line, b.reason])), ...more(s.invalidLineCount, s.invalidLines.length)];
    if (s.streamError) bad.unshift(el('p', s.streamError, 'warning'));
    root.appendChild(section('Invalid lines (' + s.invalidLineCount + ')', s.invalidLineCount > 0 || s.streamError ? bad : [el('p', 'none', 'muted')]));
    buttons.forEach((b) => (b.disabled = false));
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message.type !== 'string') return;
    if (message.type === 'loading') {
      root.replaceChildren(el('p', 'Reading the trace… ' + Math.floor(message.percent) + '%'));
    } else if (message.type === 'summary') {
      render(message.summary);
    } else if (message.type === 'error') {
      root.replaceChildren(el('p', message.message, 'error'));
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;
