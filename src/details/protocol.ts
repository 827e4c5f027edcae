/**
 * The messages between the details panel (extension host) and its webview, both ways. Only plain
 * data crosses: dates as epoch milliseconds, server text as strings the webview inserts with
 * `textContent`. The webview never sees a token, a client or a URL to call. No `vscode` import: the
 * webview bundle compiles it too.
 */

/** How a run or a task ended, as the chart colours it. */
export type RunOutcome = 'succeeded' | 'partial' | 'failed' | 'running' | 'canceled' | 'skipped' | 'unknown';

/** A run of the schedule's history, as the chart and the table show it. */
export interface RunSummary {
  id: string;
  /** Epoch ms; undefined when the server gave none. */
  startedAt?: number;
  endedAt?: number;
  outcome: RunOutcome;
  /** "Finished with errors", "Running", …; '' when unknown. */
  outcomeLabel: string;
  counts: { succeeded: number; partial: number; failed: number; running: number; other: number };
  error?: string;
}

export interface TaskSummary {
  id: string;
  name: string;
  status: string;
  outcome: RunOutcome;
  startedAt?: number;
  endedAt?: number;
  executor?: string;
  /** The full error text, its `{0}` parameters filled in; only for a task that ended badly. */
  error?: string;
  summary?: string;
  /** It ended badly: Re-run Task applies. */
  rerunnable: boolean;
  /** Files a publication's finished task produced; absent for other tasks. */
  outputs?: OutputSummary[];
}

/** A file a task produced, opened in the browser by its id. */
export interface OutputSummary {
  id: string;
  name: string;
}

/** The schedule's header. */
export interface ScheduleHeader {
  scheduleId: string;
  name: string;
  type: string;
  status: string;
  /** Suspend applies to an active schedule, Resume to a suspended one. */
  state: 'active' | 'suspended' | 'inactive';
  contentItem?: string;
  contentItemId?: string;
  createdBy?: string;
  createdAt?: number;
  startsAt?: number;
  endsAt?: number;
  recurrence?: string;
  description?: string;
  pinned: boolean;
  /** A run of it is followed by the monitor. */
  watched: boolean;
  /** For a followed run with an estimate: `about 3 min left` and where that comes from (`usually 4m 10s (…)`). */
  estimate?: { label: string; basis: string };
}

/** What the panel shows; one at a time. */
export type PanelView =
  | { kind: 'loading'; name: string }
  | { kind: 'signedOut'; name: string; server: string }
  | { kind: 'serverChanged'; name: string; openedOn: string; configured?: string }
  | { kind: 'error'; name: string; message: string }
  | { kind: 'data'; header: ScheduleHeader; runs: RunSummary[]; limit: number; server: string };

/** What the webview keeps across reloads (its `setState`), and what the serializer restores from. */
export interface PanelState {
  scheduleId: string;
  name: string;
  origin: string;
  kept: boolean;
}

export type HostMessage =
  | { type: 'state'; state: PanelState }
  | { type: 'view'; view: PanelView }
  | { type: 'tasks'; executionId: string; tasks: TaskSummary[] }
  | { type: 'tasksError'; executionId: string; message: string };

export type Action = 'run' | 'runCheckTriggers' | 'suspend' | 'resume' | 'pin' | 'unpin' | 'openInPyramid';
export type CopyField = 'scheduleId' | 'contentItemId';

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'retry' }
  | { type: 'signIn' }
  | { type: 'keepOpen' }
  | { type: 'action'; action: Action }
  | { type: 'copy'; field: CopyField }
  | { type: 'selectRun'; executionId: string }
  | { type: 'rerunTask'; executionId: string; taskId: string }
  | { type: 'openOutput'; executionId: string; taskId: string; outputId: string };

const ACTIONS: readonly string[] = ['run', 'runCheckTriggers', 'suspend', 'resume', 'pin', 'unpin', 'openInPyramid'] satisfies Action[];
const COPY_FIELDS: readonly string[] = ['scheduleId', 'contentItemId'] satisfies CopyField[];

/** A message from the webview, checked field by field: anything else is undefined and ignored. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'retry':
    case 'signIn':
    case 'keepOpen':
      return { type: message.type };
    case 'action':
      return typeof message.action === 'string' && ACTIONS.includes(message.action) ? { type: 'action', action: message.action as Action } : undefined;
    case 'copy':
      if (typeof message.field !== 'string' || !COPY_FIELDS.includes(message.field)) {
        return undefined;
      }
      return { type: 'copy', field: message.field as CopyField };
    case 'selectRun':
      return typeof message.executionId === 'string' ? { type: 'selectRun', executionId: message.executionId } : undefined;
    case 'rerunTask':
      return typeof message.executionId === 'string' && typeof message.taskId === 'string'
        ? { type: 'rerunTask', executionId: message.executionId, taskId: message.taskId }
        : undefined;
    case 'openOutput':
      return typeof message.executionId === 'string' && typeof message.taskId === 'string' && typeof message.outputId === 'string'
        ? { type: 'openOutput', executionId: message.executionId, taskId: message.taskId, outputId: message.outputId }
        : undefined;
    default:
      return undefined;
  }
}

/** A state the webview kept, or undefined when it is not one of ours. */
export function parsePanelState(raw: unknown): PanelState | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const { scheduleId, name, origin, kept } = raw as Record<string, unknown>;
  if (typeof scheduleId !== 'string' || !scheduleId || typeof origin !== 'string' || !origin) {
    return undefined;
  }
  return { scheduleId, name: typeof name === 'string' ? name : scheduleId, origin, kept: kept === true };
}
