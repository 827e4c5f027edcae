/**
 * The terminal of a `pyramid` task: finds the schedule on the configured server, starts one run,
 * prints the run's lines as the output channel has them, and closes with the run's outcome as its
 * exit code. The run monitor does the following; this only listens, so closing the terminal stops the
 * task, never the run, which stays followed in the status bar.
 */
import * as vscode from 'vscode';
import { Schedule, isSignInNeeded } from '../api';
import { mayHaveReachedServer } from '../commands/errors';
import { RunRef, WatchedRun, describeRun } from '../monitor/runs';
import { RunLine, runLines } from '../runLog';
import { findSchedule } from '../schedules/findSchedule';
import { Services, followStartedRun, mayStartAnotherRun } from '../services';
import { confirm } from '../ui/messages';
import { terminalText } from '../util/untrusted';
import { EXIT_CODE, exitCodeOf } from './exitCodes';

export const TASK_TYPE = 'pyramid';

/** A task as tasks.json writes it; every field is checked before use. */
export interface PyramidTaskDefinition extends vscode.TaskDefinition {
  /** The schedule's exact name or its id. */
  schedule?: unknown;
  checkTriggers?: unknown;
}

const CTRL_C = '\x03';
const COLOUR: Record<RunLine['level'], string> = { info: '', warn: '\x1b[33m', error: '\x1b[31m' };
const RESET = '\x1b[0m';

/** What the terminal needs besides the services: the schedules that start when a folder opens (read at start). */
export interface RunTerminalOptions {
  schedulesStartedOnFolderOpen: () => ReadonlySet<string>;
}

export class ScheduleRunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  private readonly listeners: vscode.Disposable[] = [];
  /** The run this task started, once started. */
  private started: RunRef | undefined;
  private pausedForSignIn = false;
  /** The task is over: its exit code was given, or the terminal was closed. */
  private over = false;

  constructor(
    private readonly services: Services,
    private readonly definition: PyramidTaskDefinition,
    private readonly options: RunTerminalOptions,
  ) {}

  open(): void {
    this.run().catch((error: unknown) => this.end(EXIT_CODE.notFollowed, `Unexpected error: ${failureText(error)}`));
  }

  /** The terminal was closed or the task terminated: the run, if any, goes on and stays followed. */
  close(): void {
    if (this.over) {
      return;
    }
    this.over = true;
    this.dispose();
    if (this.started) {
      this.services.log.info(`${describeRun(this.started)}: the task stopped waiting for it; the run goes on on the server and stays followed here.`);
    }
  }

  handleInput(data: string): void {
    if (data.includes(CTRL_C) && !this.over) {
      this.end(
        EXIT_CODE.notFollowed,
        this.started ? 'Stopped waiting. The run goes on on the server and stays followed in the status bar.' : 'Stopped. If a run was being started, it stays followed in the status bar.',
      );
    }
  }

  private async run(): Promise<void> {
    const wanted = typeof this.definition.schedule === 'string' ? this.definition.schedule.trim() : '';
    if (!wanted) {
      return this.end(EXIT_CODE.notFollowed, 'The task must name a schedule in "schedule": its exact name or its id.');
    }
    const serverUrl = this.services.session.serverUrl;
    if (serverUrl === undefined) {
      return this.end(EXIT_CODE.notFollowed, 'No Pyramid server is configured. Run "Pyramid: Sign In", then run the task again.');
    }
    const host = new URL(serverUrl).host;
    if ('server' in this.definition || 'serverUrl' in this.definition) {
      this.say(`A task cannot choose the server: it runs on the configured one, ${host}.`, 'warn');
    }
    const client = await this.services.session.clientFor(serverUrl);
    if (!client) {
      return this.end(EXIT_CODE.notFollowed, `Not signed in to ${host}. Run "Pyramid: Sign In", then run the task again.`);
    }

    let schedule: Schedule;
    try {
      const known = (id: string) => this.services.servers.get(serverUrl).schedules.known(id);
      const found = await findSchedule(client, wanted, { known, partial: false });
      if ('none' in found) {
        return this.end(EXIT_CODE.notFollowed, `No schedule named "${wanted}" and no schedule with that id on ${host}.`);
      }
      if ('several' in found) {
        this.say(`Several schedules on ${host} are named "${wanted}". Name one by its id in tasks.json:`, 'error');
        found.several.forEach((match) => this.say(`  ${match.scheduleId}  ${match.name}`, 'error'));
        return this.end(EXIT_CODE.notFollowed);
      }
      schedule = found.found;
    } catch (error) {
      return this.end(EXIT_CODE.notFollowed, `Could not look up "${wanted}" on ${host}: ${failureText(error)}`);
    }

    if (!(await this.mayStart(wanted, schedule.scheduleId, schedule.name, host)) || this.over) {
      return;
    }
    const checkTriggers = this.definition.checkTriggers === true;
    let executionId: string;
    try {
      executionId = await client.runSchedule(schedule.scheduleId, { checkTriggers });
    } catch (error) {
      const hint = mayHaveReachedServer(error) ? ' The run may have started anyway: check its runs before running it again.' : '';
      return this.end(EXIT_CODE.notFollowed, `Could not run "${schedule.name}" on ${host}: ${failureText(error)}${hint}`);
    }
    const run = { executionId, scheduleId: schedule.scheduleId, scheduleName: schedule.name, serverUrl };
    const how = checkTriggers ? ' from a task, with triggers checked' : ' from a task';
    if (!this.over) {
      // Listening before the monitor follows it: a run that ends at its first check is not missed.
      this.started = { ...run, kind: 'execution' };
      this.listen(executionId);
      this.line(runLines.started(run, how));
      this.say('Closing this terminal stops the task, not the run: the run goes on on the server and stays followed in the status bar.');
    }
    await followStartedRun(this.services, run, how);
  }

  /** Whether to start: a task that may have started because a folder opened, or a second run, asks first. */
  private async mayStart(wanted: string, scheduleId: string, name: string, host: string): Promise<boolean> {
    const automatic = this.options.schedulesStartedOnFolderOpen();
    if (automatic.has(wanted) || automatic.has(scheduleId) || automatic.has(name)) {
      this.say(`This schedule is run by a task that starts when the folder opens: waiting for your answer before running it.`);
      const yes = await confirm(
        `Run "${name}" on ${host}?`,
        'Run',
        'A task in tasks.json runs this schedule when the folder opens. Nothing runs on the server unless you choose Run.',
      );
      if (!yes) {
        this.end(EXIT_CODE.notFollowed, 'Not started: the run was not confirmed.');
        return false;
      }
    }
    if (!(await mayStartAnotherRun(this.services, scheduleId, name))) {
      this.end(EXIT_CODE.notFollowed, 'Not started: a run of this schedule is already in progress.');
      return false;
    }
    return true;
  }

  /** Prints the run's lines as the monitor sees it and ends the task with its outcome. */
  private listen(executionId: string): void {
    const { monitor } = this.services;
    const mine = (run: RunRef) => run.kind === 'execution' && run.executionId === executionId;
    this.listeners.push(
      monitor.onDidTransition((transition) => mine(transition.run) && this.line(runLines.transition(transition))),
      monitor.onDidOverstay((run) => mine(run) && this.line(runLines.overstayed(run, monitor.estimateOf(run)))),
      monitor.onDidFinish((run) => {
        if (mine(run)) {
          runLines.finished(run).forEach((line) => this.line(line));
          this.end(exitCodeOf(run.outcome));
        }
      }),
      monitor.onDidStall((run) => {
        if (mine(run)) {
          this.line(runLines.stalled(run));
          this.end(EXIT_CODE.notFollowed, 'Could not follow the run to its end. It stays in the status bar, where Retry checks it again.');
        }
      }),
      monitor.onDidLose((run) => mine(run) && this.end(EXIT_CODE.notFollowed, `The server no longer knows this run (${run.problem}).`)),
      monitor.onDidChange(() => {
        const run: WatchedRun | undefined = monitor.watched.find(mine);
        if (run?.state === 'paused' && !this.pausedForSignIn) {
          this.pausedForSignIn = true;
          this.say(`Sign-in needed (${run.problem}). Run "Pyramid: Sign In": this task waits, then goes on.`, 'warn');
        } else if (run?.state === 'watching' && this.pausedForSignIn) {
          this.pausedForSignIn = false;
          this.say('Signed in again: following the run.');
        }
      }),
    );
  }

  private line(line: RunLine): void {
    this.say(line.text, line.level);
  }

  /** One line: the time, then the text as a terminal may show it (no escape sequence of the server's survives). */
  private say(text: string, level: RunLine['level'] = 'info'): void {
    if (this.over) {
      return;
    }
    const colour = COLOUR[level];
    this.writeEmitter.fire(`${timeOfDay(new Date())} ${colour}${terminalText(text)}${colour ? RESET : ''}\r\n`);
  }

  private end(code: number, message?: string): void {
    if (message !== undefined) {
      this.say(message, code === EXIT_CODE.finished ? 'info' : 'error');
    }
    if (this.over) {
      return;
    }
    this.over = true;
    this.dispose();
    this.closeEmitter.fire(code);
  }

  private dispose(): void {
    this.listeners.splice(0).forEach((listener) => listener.dispose());
  }
}

/** A request's error, and what to do when it is an expired sign-in. */
function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return isSignInNeeded(error) ? `${message.replace(/\.?$/, '.')} Run "Pyramid: Sign In", then run the task again.` : message;
}

function timeOfDay(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}
