/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The details webview: draws what the extension posts (protocol.ts) and posts back what the user
 * asks for. It makes no request and holds no token. Every text from the server goes in with
 * `textContent` or as an attribute value, never as markup; colours and fonts are the theme's
 * `--vscode-*` variables (details.css).
 */
import { formatDateTime, formatDuration } from '../../util/format';
import { CHART, ChartModel, PLOT, buildChart, runDurationMs } from '../chartModel';
import { Action, HostMessage, PanelState, PanelView, RunSummary, ScheduleHeader, TaskSummary, WebviewMessage } from '../protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const app = document.getElementById('app')!;

let panelState: PanelState | undefined;
let view: PanelView | undefined;
let selectedRunId: string | undefined;
let tasks: { executionId: string; tasks?: TaskSummary[]; error?: string } | undefined;
let liveTimer: ReturnType<typeof setInterval> | undefined;

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      if (panelState?.scheduleId !== message.state.scheduleId) {
        selectedRunId = undefined;
        tasks = undefined;
      }
      panelState = message.state;
      vscode.setState(message.state);
      if (view) {
        render();
      }
      return;
    case 'view':
      view = message.view;
      if (view.kind === 'data' && selectedRunId && !view.runs.some((run) => run.id === selectedRunId)) {
        selectedRunId = undefined;
        tasks = undefined;
      }
      render();
      return;
    case 'tasks':
    case 'tasksError':
      if (message.executionId === selectedRunId) {
        tasks = message.type === 'tasks' ? { executionId: message.executionId, tasks: message.tasks } : { executionId: message.executionId, error: message.message };
        renderTasks();
      }
      return;
  }
});

vscode.postMessage({ type: 'ready' });

// ---------------------------------------------------------------------------------------------
// Elements

type Child = Node | string | undefined | false;

/** An element with text and children; strings become text nodes, never markup. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; attrs?: Record<string, string> } = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) {
    element.className = props.class;
  }
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== undefined && child !== false) {
      element.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  }
  return element;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string; id?: string } = {}): HTMLButtonElement {
  const element = el('button', { class: options.secondary ? 'secondary' : undefined, attrs: { type: 'button', ...(options.id ? { 'data-id': options.id } : {}) } }, label);
  if (options.title) {
    element.title = options.title;
  }
  element.addEventListener('click', onClick);
  return element;
}

function dateText(ms: number | undefined): string {
  return ms === undefined ? '—' : formatDateTime(new Date(ms));
}

// ---------------------------------------------------------------------------------------------
// Views

function render(): void {
  stopLive();
  app.replaceChildren();
  if (!view) {
    return;
  }
  document.body.dataset.view = view.kind;
  switch (view.kind) {
    case 'loading':
      app.append(el('h1', {}, view.name), el('p', { class: 'state loading', attrs: { role: 'status' } }, el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), 'Loading the runs…'));
      return;
    case 'signedOut':
      app.append(
        el('h1', {}, view.name),
        el('p', { class: 'state' }, `You are signed out of ${view.server}. Sign in to see this schedule's runs.`),
        el('p', {}, button('Sign In', () => vscode.postMessage({ type: 'signIn' }))),
      );
      return;
    case 'serverChanged':
      app.append(
        el('h1', {}, view.name),
        el(
          'p',
          { class: 'state warning' },
          `This panel showed a schedule of ${view.openedOn}. The configured server is now ${view.configured ?? 'none'}, so its data is not shown here. Open the schedule again from the Schedules view.`,
        ),
      );
      return;
    case 'error':
      app.append(
        el('h1', {}, view.name),
        el('p', { class: 'state error', attrs: { role: 'alert' } }, `Could not load the runs: ${view.message}`),
        el('p', {}, button('Retry', () => vscode.postMessage({ type: 'retry' }))),
      );
      return;
    case 'data':
      // The selected run's tasks come right under the chart whose bar selected it, before the table.
      app.append(headerSection(view.header), runsSection(view.runs));
      if (view.runs.length) {
        app.append(el('section', { class: 'tasks', attrs: { id: 'tasks', 'aria-live': 'polite' } }), runsTable(view.runs, view.limit));
      }
      renderTasks();
      if (view.runs.some((run) => run.outcome === 'running')) {
        liveTimer = setInterval(renderChart, 1000);
      }
      return;
  }
}

function stopLive(): void {
  clearInterval(liveTimer);
  liveTimer = undefined;
}

function headerSection(header: ScheduleHeader): HTMLElement {
  const act = (action: Action) => () => vscode.postMessage({ type: 'action', action });
  const status = el('span', { class: `badge ${header.state}` }, header.state === 'suspended' ? `Suspended (${header.status})` : header.status);
  const fields: [string, Child][] = [
    ['Type', header.type || undefined],
    ['Content item', header.contentItem],
    ['Recurrence', header.recurrence],
    ['Created', header.createdAt === undefined && !header.createdBy ? undefined : [dateText(header.createdAt), header.createdBy && `by ${header.createdBy}`].filter(Boolean).join(' ')],
    ['Starts', header.startsAt === undefined ? undefined : dateText(header.startsAt)],
    ['Ends', header.endsAt === undefined ? undefined : dateText(header.endsAt)],
    ['Schedule ID', idWithCopy(header.scheduleId, 'scheduleId')],
    ['Content item ID', header.contentItemId && idWithCopy(header.contentItemId, 'contentItemId')],
  ];
  const list = el('dl', { class: 'fields' });
  for (const [name, value] of fields) {
    if (value) {
      list.append(el('dt', {}, name), el('dd', {}, value));
    }
  }
  const actions = el(
    'div',
    { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Schedule actions' } },
    button('Run', act('run')),
    button('Run with Triggers Checked', act('runCheckTriggers'), { secondary: true }),
    header.state === 'active' && button('Suspend', act('suspend'), { secondary: true }),
    header.state === 'suspended' && button('Resume', act('resume'), { secondary: true }),
    header.pinned ? button('Unpin', act('unpin'), { secondary: true }) : button('Pin', act('pin'), { secondary: true }),
    header.contentItemId && button('Open in Pyramid', act('openInPyramid'), { secondary: true, title: 'Open the content item in the browser' }),
    button('Refresh', () => vscode.postMessage({ type: 'retry' }), { secondary: true, title: 'Read the runs from the server again' }),
    panelState && !panelState.kept && button('Keep Open', () => vscode.postMessage({ type: 'keepOpen' }), { secondary: true, title: 'Give this schedule a panel of its own' }),
  );
  return el(
    'header',
    {},
    el('h1', {}, header.name),
    el('p', { class: 'status' }, status, header.watched && el('span', { class: 'badge running', attrs: header.estimate ? { title: header.estimate.basis } : {} }, header.estimate ? `Run in progress · ${header.estimate.label}` : 'Run in progress'), header.pinned && el('span', { class: 'badge' }, 'Pinned')),
    header.description && el('p', { class: 'description' }, header.description),
    list,
    actions,
  );
}

function idWithCopy(id: string, field: 'scheduleId' | 'contentItemId'): HTMLElement {
  return el('span', { class: 'id' }, el('code', {}, id), button('Copy', () => vscode.postMessage({ type: 'copy', field }), { secondary: true, title: 'Copy to the clipboard' }));
}

// ---------------------------------------------------------------------------------------------
// Runs: chart, statistics and table

function runsSection(runs: RunSummary[]): HTMLElement {
  const section = el('section', { class: 'runs' }, el('h2', {}, runs.length ? `Last ${runs.length} run${runs.length === 1 ? '' : 's'}` : 'Runs'));
  if (runs.length === 0) {
    section.append(el('p', { class: 'state empty' }, 'No runs yet. Runs appear here once the schedule has run.'));
    return section;
  }
  section.append(
    el('div', { class: 'chart-row' }, el('div', { class: 'chart', attrs: { id: 'chart' } }), el('aside', { class: 'stats', attrs: { id: 'stats', 'aria-label': 'Statistics' } })),
    el('div', { class: 'tooltip', attrs: { id: 'tooltip', role: 'tooltip', hidden: '' } }),
  );
  queueMicrotask(renderChart);
  return section;
}

function renderChart(): void {
  if (view?.kind !== 'data') {
    return;
  }
  const chart = document.getElementById('chart');
  const stats = document.getElementById('stats');
  if (!chart || !stats) {
    return;
  }
  const focusedRun = (document.activeElement as Element | null)?.getAttribute('data-run');
  const model = buildChart(view.runs, Date.now());
  chart.replaceChildren(chartSvg(model));
  stats.replaceChildren(statsList(model));
  if (focusedRun) {
    (chart.querySelector(`[data-run="${CSS.escape(focusedRun)}"]`) as SVGElement | null)?.focus();
  }
}

function chartSvg(model: ChartModel): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'group', 'aria-label': 'Run durations by start time; use the arrow keys to move between runs' });
  for (const tick of model.ticks) {
    root.append(svg('line', { class: 'grid', x1: PLOT.left, x2: PLOT.left + PLOT.width, y1: tick.y, y2: tick.y }));
    const label = svg('text', { class: 'axis', x: PLOT.left - 6, y: tick.y + 4, 'text-anchor': 'end' });
    label.textContent = formatDuration(tick.durationMs);
    root.append(label);
  }
  if (model.span) {
    const baseline = PLOT.top + PLOT.height + 18;
    const from = svg('text', { class: 'axis', x: PLOT.left, y: baseline, 'text-anchor': 'start' });
    from.textContent = formatDateTime(new Date(model.span.from));
    const to = svg('text', { class: 'axis', x: PLOT.left + PLOT.width, y: baseline, 'text-anchor': 'end' });
    to.textContent = formatDateTime(new Date(model.span.to));
    root.append(from, to);
  }
  const focusable = model.bars.find((bar) => bar.run.id === selectedRunId) ?? model.bars[model.bars.length - 1];
  model.bars.forEach((bar, index) => {
    const rect = svg('rect', {
      class: `bar ${bar.outcome}${bar.run.id === selectedRunId ? ' selected' : ''}`,
      x: bar.x.toFixed(1),
      y: bar.y.toFixed(1),
      width: bar.width.toFixed(1),
      height: bar.height.toFixed(1),
      rx: 1,
      tabindex: bar === focusable ? 0 : -1,
      role: 'button',
      'aria-label': runText(bar.run).join(', '),
      'aria-pressed': String(bar.run.id === selectedRunId),
      'data-run': bar.run.id,
    });
    rect.addEventListener('click', () => selectRun(bar.run.id));
    rect.addEventListener('mouseenter', () => showTooltip(rect, bar.run));
    rect.addEventListener('mouseleave', hideTooltip);
    rect.addEventListener('focus', () => showTooltip(rect, bar.run));
    rect.addEventListener('blur', hideTooltip);
    rect.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, Home: -Infinity, End: Infinity }[event.key];
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        selectRun(bar.run.id);
      } else if (step !== undefined) {
        event.preventDefault();
        const next = Math.max(0, Math.min(model.bars.length - 1, Number.isFinite(step) ? index + step : step < 0 ? 0 : model.bars.length - 1));
        const bars = root.querySelectorAll<SVGRectElement>('rect.bar');
        bars.forEach((other, i) => other.setAttribute('tabindex', i === next ? '0' : '-1'));
        bars[next].focus();
      }
    });
    root.append(rect);
  });
  return root;
}

function statsList(model: ChartModel): HTMLElement {
  const { stats } = model;
  const list = el('dl', {});
  const row = (name: string, value: string) => list.append(el('dt', {}, name), el('dd', { attrs: { 'data-stat': name } }, value));
  row('Median', stats.medianMs === undefined ? '—' : formatDuration(stats.medianMs));
  row('90th percentile', stats.p90Ms === undefined ? '—' : formatDuration(stats.p90Ms));
  row('Success rate', stats.successRate === undefined ? '—' : `${Math.round(stats.successRate * 100)}%`);
  return el('div', {}, list, el('p', { class: 'note' }, `over ${stats.finished} finished run${stats.finished === 1 ? '' : 's'}`));
}

/** Start, outcome, duration and task counts of a run: the tooltip's lines and the bar's accessible name. */
function runText(run: RunSummary): string[] {
  const duration = runDurationMs(run, Date.now());
  const { counts } = run;
  const tally = [
    counts.succeeded && `${counts.succeeded} succeeded`,
    counts.partial && `${counts.partial} with errors`,
    counts.failed && `${counts.failed} failed`,
    counts.running && `${counts.running} running`,
    counts.other && `${counts.other} other`,
  ].filter(Boolean);
  return [
    `Started ${dateText(run.startedAt)}`,
    run.outcomeLabel || 'Unknown outcome',
    duration === undefined ? 'duration unknown' : `${run.outcome === 'running' ? 'running for' : 'took'} ${formatDuration(duration)}`,
    tally.length ? `tasks: ${tally.join(', ')}` : 'no tasks',
  ];
}

function showTooltip(target: Element, run: RunSummary): void {
  const tooltip = document.getElementById('tooltip');
  if (!tooltip) {
    return;
  }
  tooltip.replaceChildren(...runText(run).map((line) => el('div', {}, line)));
  tooltip.hidden = false;
  // Above the bar, inside the section that holds the tooltip.
  const box = target.getBoundingClientRect();
  const area = (tooltip.offsetParent ?? document.body).getBoundingClientRect();
  tooltip.style.left = `${Math.max(0, Math.min(box.left - area.left, area.width - tooltip.offsetWidth))}px`;
  tooltip.style.top = `${Math.max(0, box.top - area.top - tooltip.offsetHeight - 6)}px`;
}

function hideTooltip(): void {
  const tooltip = document.getElementById('tooltip');
  if (tooltip) {
    tooltip.hidden = true;
  }
}

function runsTable(runs: RunSummary[], limit: number): HTMLElement {
  const body = el('tbody', {});
  for (const run of runs) {
    const duration = runDurationMs(run, Date.now());
    const select = el('button', { class: 'link', attrs: { type: 'button', 'aria-pressed': String(run.id === selectedRunId) } }, dateText(run.startedAt));
    select.addEventListener('click', () => selectRun(run.id));
    const tally = [
      run.counts.succeeded && `✓ ${run.counts.succeeded}`,
      run.counts.partial && `◐ ${run.counts.partial}`,
      run.counts.failed && `✗ ${run.counts.failed}`,
      run.counts.running && `… ${run.counts.running}`,
    ].filter(Boolean);
    body.append(
      el(
        'tr',
        { class: run.id === selectedRunId ? 'selected' : undefined, attrs: { 'data-run': run.id } },
        el('td', {}, select),
        el('td', {}, el('span', { class: `dot ${run.outcome}`, attrs: { 'aria-hidden': 'true' } }), run.outcomeLabel || 'Unknown'),
        el('td', { class: 'number' }, duration === undefined ? '—' : formatDuration(duration)),
        el('td', {}, tally.join(' ')),
        el('td', { class: 'error-text' }, run.error ?? ''),
      ),
    );
  }
  return el(
    'table',
    { class: 'runs-table' },
    el('caption', {}, `The last ${runs.length} runs (at most ${limit}, setting pyramid.detailsRuns), newest first. Choose a run's start to see its tasks.`),
    el('thead', {}, el('tr', {}, ...['Started', 'Outcome', 'Duration', 'Tasks', 'Error'].map((name) => el('th', { attrs: { scope: 'col' } }, name)))),
    body,
  );
}

function selectRun(executionId: string): void {
  selectedRunId = executionId;
  tasks = { executionId };
  vscode.postMessage({ type: 'selectRun', executionId });
  for (const row of document.querySelectorAll('tr[data-run]')) {
    const selected = row.getAttribute('data-run') === executionId;
    row.classList.toggle('selected', selected);
    row.querySelector('button')?.setAttribute('aria-pressed', String(selected));
  }
  renderChart();
  renderTasks();
}

// ---------------------------------------------------------------------------------------------
// The selected run's tasks

function renderTasks(): void {
  const section = document.getElementById('tasks');
  if (!section || view?.kind !== 'data') {
    return;
  }
  const run = view.runs.find((candidate) => candidate.id === selectedRunId);
  if (!run || !tasks) {
    section.replaceChildren(el('p', { class: 'note' }, 'Select a run in the chart or the table to see its tasks.'));
    return;
  }
  const heading = el('h2', {}, `Tasks of the run started ${dateText(run.startedAt)}`);
  if (tasks.error !== undefined) {
    section.replaceChildren(heading, el('p', { class: 'state error' }, `Could not load the tasks: ${tasks.error}`));
    return;
  }
  if (!tasks.tasks) {
    section.replaceChildren(heading, el('p', { class: 'state loading' }, 'Loading the tasks…'));
    return;
  }
  if (tasks.tasks.length === 0) {
    section.replaceChildren(heading, el('p', { class: 'state empty' }, 'This run has no tasks.'));
    return;
  }
  const body = el('tbody', {});
  for (const task of tasks.tasks) {
    const duration = task.startedAt !== undefined && task.endedAt !== undefined ? formatDuration(task.endedAt - task.startedAt) : '—';
    body.append(
      el(
        'tr',
        { attrs: { 'data-task': task.id } },
        el('td', {}, task.name),
        el('td', {}, el('span', { class: `dot ${task.outcome}`, attrs: { 'aria-hidden': 'true' } }), task.status),
        el('td', {}, dateText(task.startedAt)),
        el('td', { class: 'number' }, duration),
        el('td', {}, task.executor ?? '—'),
        el(
          'td',
          { class: 'task-actions' },
          task.rerunnable && button('Re-run', () => vscode.postMessage({ type: 'rerunTask', executionId: run.id, taskId: task.id }), { secondary: true, title: 'Run this task again and follow it' }),
        ),
      ),
    );
    const detail = task.error ?? task.summary;
    if (detail) {
      body.append(el('tr', { class: task.error ? 'task-error' : 'task-summary' }, el('td', { attrs: { colspan: '6' } }, el('div', { class: 'message' }, detail))));
    }
    if (task.outputs) {
      const list = el('ul', { class: 'outputs', attrs: { 'aria-label': `Outputs of ${task.name}` } });
      for (const output of task.outputs) {
        const open = () => vscode.postMessage({ type: 'openOutput', executionId: run.id, taskId: task.id, outputId: output.id });
        list.append(el('li', {}, el('span', { class: 'output-name' }, output.name), button('Open', open, { secondary: true, title: 'Open the download page in the browser' })));
      }
      const content = task.outputs.length ? list : el('p', { class: 'note' }, 'No outputs.');
      body.append(el('tr', { class: 'task-outputs' }, el('td', { attrs: { colspan: '6' } }, content)));
    }
  }
  section.replaceChildren(
    heading,
    el(
      'table',
      { class: 'tasks-table' },
      el('thead', {}, el('tr', {}, ...['Task', 'Status', 'Started', 'Duration', 'Executor'].map((name) => el('th', { attrs: { scope: 'col' } }, name)), el('th', {}, el('span', { class: 'visually-hidden' }, 'Actions')))),
      body,
    ),
  );
}
