/**
 * Language model tools for the chat: find schedules, read one's status, run one and wait for its end,
 * suspend and resume, and the pinned schedules. They use the services, never the commands; each tool
 * that changes server state asks first, naming the schedule and the server. Failures come back as text.
 */
import * as vscode from 'vscode';
import { EnumValue, PyramidClient, Schedule, ScheduleStatus, SearchMatchType, scheduleStatuses } from '../api';
import { isSignInNeeded } from '../api/errors';
import { FinishedRun } from '../monitor/runs';
import { latestRunSummary } from '../present/look';
import { findSchedule } from '../schedules/findSchedule';
import { Services, followStartedRun } from '../services';
import { messageText } from '../util/untrusted';
import * as text from './resultText';

/** How long the run tool waits when the input names no timeout, and the most it waits. */
export const DEFAULT_WAIT_SECONDS = 600;
export const MAX_WAIT_SECONDS = 3_600;

interface Context {
  serverUrl: string;
  host: string;
  client: PyramidClient;
}

type Outcome<T> = { ok: T } | { text: string };

function result(value: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);
}

async function signedIn(services: Services): Promise<Outcome<Context>> {
  const serverUrl = services.session.serverUrl;
  if (serverUrl === undefined) {
    return { text: text.NO_SERVER_TEXT };
  }
  const client = await services.session.clientFor(serverUrl);
  return client ? { ok: { serverUrl, host: new URL(serverUrl).host, client } } : { text: text.SIGNED_OUT_TEXT };
}

function failure(what: string, error: unknown, hint?: string): string {
  return isSignInNeeded(error) ? text.SIGNED_OUT_TEXT : text.errorText(what, (error as Error).message ?? String(error), hint);
}

/** Signed in, with the schedule the input names; or the text saying why not. */
async function target(services: Services, wanted: unknown): Promise<Outcome<{ context: Context; schedule: Schedule }>> {
  if (typeof wanted !== 'string' || !wanted.trim()) {
    return { text: 'The input must name a schedule (its name or id) in "schedule".' };
  }
  const context = await signedIn(services);
  if (!('ok' in context)) {
    return context;
  }
  try {
    const name = wanted.trim();
    const known = (id: string) => services.servers.get(context.ok.serverUrl).schedules.known(id);
    const schedule = await findSchedule(context.ok.client, name, { known, partial: true });
    if ('found' in schedule) {
      return { ok: { context: context.ok, schedule: schedule.found } };
    }
    return { text: 'several' in schedule ? text.severalMatchesText(name, schedule.several) : text.notFoundText(name, context.ok.host) };
  } catch (error) {
    return { text: failure('Looking up the schedule', error) };
  }
}

export interface FindInput {
  name?: string;
  matchType?: string;
  type?: string;
  status?: string;
}

export interface ScheduleInput {
  schedule: string;
}

export interface RunInput extends ScheduleInput {
  checkTriggers?: boolean;
  timeoutSeconds?: number;
}

const MATCH_TYPES: Record<string, SearchMatchType> = {
  contains: SearchMatchType.Contains,
  notcontains: SearchMatchType.NotContains,
  equals: SearchMatchType.Equals,
  startswith: SearchMatchType.StartsWith,
  endswith: SearchMatchType.EndsWith,
};

const squeezed = (value: string) => value.replace(/[\s_-]+/g, '').toLowerCase();
/** A type or status named by its label (`Suspended`) or its wire name (`HOLD`), in any case. */
const named = (value: EnumValue<number>, wanted: string) => squeezed(value.label) === squeezed(wanted) || squeezed(String(value.raw)) === squeezed(wanted);

export function findSchedulesTool(services: Services): vscode.LanguageModelTool<FindInput> {
  return {
    async invoke({ input }) {
      const context = await signedIn(services);
      if (!('ok' in context)) {
        return result(context.text);
      }
      const matchType = input.matchType === undefined ? SearchMatchType.Contains : MATCH_TYPES[squeezed(input.matchType)];
      if (matchType === undefined) {
        return result(`Unknown matchType: use one of Contains, NotContains, Equals, StartsWith, EndsWith.`);
      }
      try {
        const found = await context.ok.client.findSchedule({ searchValue: input.name ?? '', matchType });
        const wanted = found.filter(
          (schedule) =>
            (input.type === undefined || named(schedule.type, input.type)) && (input.status === undefined || named(schedule.status, input.status)),
        );
        return result(text.scheduleListText(context.ok.host, wanted));
      } catch (error) {
        return result(failure('Finding schedules', error));
      }
    },
  };
}

export function getScheduleStatusTool(services: Services): vscode.LanguageModelTool<ScheduleInput> {
  return {
    async invoke({ input }) {
      const found = await target(services, input.schedule);
      if (!('ok' in found)) {
        return result(found.text);
      }
      const { context, schedule } = found.ok;
      try {
        const executions = await services.servers.get(context.serverUrl).history.executions(schedule.scheduleId);
        return result(text.scheduleStatusText(context.host, schedule, executions));
      } catch (error) {
        return result(failure('Reading the runs', error));
      }
    },
  };
}

export function runScheduleTool(services: Services): vscode.LanguageModelTool<RunInput> {
  return {
    async prepareInvocation({ input }) {
      const { name, host } = await confirmationTarget(services, input.schedule);
      const triggers = input.checkTriggers ? ' with its triggers checked' : '';
      return {
        invocationMessage: `Running "${messageText(name, 100)}" on ${host} and waiting for its end…`,
        confirmationMessages: {
          title: 'Run a Pyramid schedule',
          message: `Run "${messageText(name, 200)}"${triggers} on ${host}?`,
        },
      };
    },
    async invoke({ input }, token) {
      const found = await target(services, input.schedule);
      if (!('ok' in found)) {
        return result(found.text);
      }
      const { context, schedule } = found.ok;
      const { serverUrl, host, client } = context;
      let executionId: string;
      try {
        executionId = await client.runSchedule(schedule.scheduleId, { checkTriggers: input.checkTriggers ?? false });
      } catch (error) {
        return result(failure('Starting the run', error, 'The run may have started anyway: check its status before running it again.'));
      }
      // Listening before the monitor follows it: a run that ends at its first check is not missed.
      const finished = waitForEnd(services, executionId, token, waitSeconds(input.timeoutSeconds));
      await followStartedRun(services, { executionId, scheduleId: schedule.scheduleId, scheduleName: schedule.name, serverUrl }, ' from the chat');
      const started = Date.now();
      const run = await finished;
      if (!run) {
        return result(text.runStillGoingText(host, schedule.name, executionId, Date.now() - started));
      }
      return result(
        text.runEndedText(host, { name: schedule.name, executionId, outcome: run.outcome, durationMs: run.finishedAt - run.startedAt, taskErrors: run.taskErrors }),
      );
    },
  };
}

function waitSeconds(asked: unknown): number {
  return typeof asked === 'number' && Number.isFinite(asked) && asked >= 0 ? Math.min(asked, MAX_WAIT_SECONDS) : DEFAULT_WAIT_SECONDS;
}

/** The run's end as the monitor sees it, or undefined after the timeout or a cancellation. */
function waitForEnd(services: Services, executionId: string, token: vscode.CancellationToken, seconds: number): Promise<FinishedRun | undefined> {
  return new Promise((resolve) => {
    const done = (run: FinishedRun | undefined) => {
      clearTimeout(timer);
      finish.dispose();
      cancel.dispose();
      resolve(run);
    };
    const finish = services.monitor.onDidFinish((run) => run.kind === 'execution' && run.executionId === executionId && done(run));
    const cancel = token.onCancellationRequested(() => done(undefined));
    const timer = setTimeout(() => done(undefined), seconds * 1000);
  });
}

/** What a confirmation names: the schedule as the server knows it (else as asked for), and the server's host. */
async function confirmationTarget(services: Services, asked: unknown): Promise<{ name: string; host: string }> {
  const found = await target(services, asked);
  if ('ok' in found) {
    return { name: found.ok.schedule.name, host: found.ok.context.host };
  }
  const serverUrl = services.session.serverUrl;
  return { name: String(asked), host: serverUrl ? new URL(serverUrl).host : 'the Pyramid server' };
}

function suspendTool(services: Services, suspend: boolean): vscode.LanguageModelTool<ScheduleInput> {
  const verb = suspend ? 'Suspend' : 'Resume';
  return {
    async prepareInvocation({ input }) {
      const { name, host } = await confirmationTarget(services, input.schedule);
      return {
        invocationMessage: `${suspend ? 'Suspending' : 'Resuming'} "${messageText(name, 100)}" on ${host}…`,
        confirmationMessages: { title: `${verb} a Pyramid schedule`, message: `${verb} "${messageText(name, 200)}" on ${host}?` },
      };
    },
    async invoke({ input }) {
      const found = await target(services, input.schedule);
      if (!('ok' in found)) {
        return result(found.text);
      }
      const { context, schedule } = found.ok;
      try {
        await (suspend ? context.client.suspendSchedule(schedule.scheduleId) : context.client.resumeSchedule(schedule.scheduleId));
      } catch (error) {
        return result(failure(`${suspend ? 'Suspending' : 'Resuming'} the schedule`, error));
      }
      services.log.info(`${schedule.name}: ${suspend ? 'suspended' : 'resumed'} from the chat.`);
      services.servers.get(context.serverUrl).schedules.update({ ...schedule, status: scheduleStatuses.of(suspend ? ScheduleStatus.Hold : ScheduleStatus.Idle) });
      return result(text.changedText(context.host, schedule.name, suspend));
    },
  };
}

export function pinnedStatusTool(services: Services): vscode.LanguageModelTool<Record<string, never>> {
  return {
    async invoke() {
      const data = services.servers.configured();
      if (!data) {
        return result(text.NO_SERVER_TEXT);
      }
      const origin = data.server.origin;
      const host = new URL(data.server.url).host;
      const failing = new Set(services.pins.runs.failing(origin).map((pin) => pin.scheduleId));
      const now = Date.now();
      const lines = services.pins.pinsHere().map((pin) => {
        const latest = services.pins.runs.latest(origin, pin.scheduleId);
        return { name: pin.name, scheduleId: pin.scheduleId, failing: failing.has(pin.scheduleId), summary: latest ? latestRunSummary(latest.executions, now).text : 'not checked yet' };
      });
      return result(text.pinnedText(host, lines));
    },
  };
}

export interface ChatTools {
  findSchedules: vscode.LanguageModelTool<FindInput>;
  getScheduleStatus: vscode.LanguageModelTool<ScheduleInput>;
  runSchedule: vscode.LanguageModelTool<RunInput>;
  suspendSchedule: vscode.LanguageModelTool<ScheduleInput>;
  resumeSchedule: vscode.LanguageModelTool<ScheduleInput>;
  pinnedStatus: vscode.LanguageModelTool<Record<string, never>>;
}

export function createChatTools(services: Services): ChatTools {
  return {
    findSchedules: findSchedulesTool(services),
    getScheduleStatus: getScheduleStatusTool(services),
    runSchedule: runScheduleTool(services),
    suspendSchedule: suspendTool(services, true),
    resumeSchedule: suspendTool(services, false),
    pinnedStatus: pinnedStatusTool(services),
  };
}

export function registerChatTools(tools: ChatTools): vscode.Disposable[] {
  return Object.entries(tools).map(([name, tool]) => vscode.lm.registerTool(`pyramid_${name}`, tool as vscode.LanguageModelTool<unknown>));
}
