// The Pyramid steps the journeys share: a window signed in to its own simulator (and more windows of
// the same user), and the few conversations (sign in, run from the palette, pin from a row's menu)
// that take several screens.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator } from 'playwright-core';
import { DEMO_USER, PyramidSimulator } from '../simulator/server';
import { openWorkbench, screenshotIfFailed, type UiSession } from './session';
import type { Workbench } from './workbench';

export const SCHEDULES_VIEW = 'Schedules';
/** The extension's id: publisher.name. */
export const EXTENSION_ID = 'pyramid-community.pyramid-schedules';
/** The extension's one status bar item for watched runs. */
export const RUNS_ITEM = `${EXTENSION_ID}.pyramid.runs`;
/** Where VS Code shows an extension's passing status bar message, such as "Signed in to ...". */
export const EXTENSION_MESSAGE_ITEM = 'status.extensionMessage';

/** Wide enough for a schedule's name and content item on one row. */
const SIDE_BAR_WIDTH = 440;

export interface Journey {
  simulator: PyramidSimulator;
  session: UiSession;
  workbench: Workbench;
  close(): Promise<void>;
}

export interface JourneyOptions {
  /** Multiplies every run duration of the demo schedules. */
  durationScale: number;
  /** More user settings, e.g. a colour theme for the pictures. */
  userSettings?: Record<string, unknown>;
  /** Other extensions installed beside the one under test. */
  extensionFolders?: { id: string; dir: string }[];
}

/** A simulator and a window configured for it (polling every second), with the Pyramid view open. */
export async function startJourney({ durationScale, userSettings, extensionFolders }: JourneyOptions): Promise<Journey> {
  const simulator = await PyramidSimulator.start({ durationScale });
  let session: UiSession;
  try {
    session = await openWorkbench({
      userSettings: {
        'pyramid.serverUrl': simulator.url,
        'pyramid.pollIntervalSeconds': 1,
        'pyramid.maxPollIntervalSeconds': 2,
        'pyramid.notifyOn': 'failures',
        ...userSettings,
      },
      extensionFolders,
    });
  } catch (error) {
    await simulator.stop();
    throw error;
  }
  const { workbench } = session;
  const close = async () => {
    await session.close();
    await simulator.stop();
  };
  try {
    await showPyramidView(workbench);
  } catch (error) {
    await close();
    throw error;
  }
  return { simulator, session, workbench, close };
}

/** Opens the Pyramid view, wide enough for the rows. */
export async function showPyramidView(workbench: Workbench): Promise<void> {
  await workbench.openViewContainer('Pyramid');
  await workbench.resizeSideBar(SIDE_BAR_WIDTH);
}

/**
 * Opens another window of the journey's code-server on a folder of its own, with the Pyramid view;
 * it is signed in as the first one is (the windows share the secrets). It comes to the front.
 */
export async function openAnotherWindow(journey: Journey, folderName: string): Promise<Workbench> {
  const folder = path.join(path.dirname(journey.session.server.workspaceDir), folderName);
  fs.mkdirSync(folder, { recursive: true });
  const workbench = await journey.session.openWindow({ folder });
  await showPyramidView(workbench);
  await workbench.treeRow(SCHEDULES_VIEW, 'Nightly Sales Load').last().waitFor();
  return workbench;
}

/**
 * Mocha hooks for a describe block whose tests share one window, signed in once; a failing test
 * leaves a picture. Returns the journey for the tests to use.
 */
export function signedInJourney(options: JourneyOptions): () => Journey {
  let journey: Journey | undefined;
  before(async function () {
    this.timeout(120_000);
    journey = await startJourney(options);
    await signInThroughUi(journey);
  });
  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, ...(journey?.session.windows() ?? []));
  });
  after(async () => {
    await journey?.close();
  });
  return () => {
    if (!journey) {
      throw new Error('the journey did not start');
    }
    return journey;
  };
}

/** "Pyramid: Sign In" up to the quick pick of sign-in methods, which it leaves open. */
export async function openSignIn(workbench: Workbench, serverUrl: string): Promise<void> {
  await workbench.runCommand('Pyramid: Sign In');
  await workbench.waitForQuickInput(`Sign in to ${new URL(serverUrl).host}`);
  await workbench.moveMouseAway();
}

/** The sign-in method quick pick is open: answers it, the user name and the password boxes. */
export async function signInWithPassword(workbench: Workbench, serverUrl: string): Promise<void> {
  const host = new URL(serverUrl).host;
  await workbench.pickQuickPickItem('Sign in with username and password');
  await workbench.waitForQuickInput(`Sign in to ${host} (1/2)`);
  await workbench.answerQuickInput(DEMO_USER.userName);
  await workbench.waitForQuickInput(`Sign in to ${host} (2/2)`);
  await workbench.answerQuickInput(DEMO_USER.password);
}

/** Signs in as the demo user through the same screens a user goes through, and waits for the tree. */
export async function signInThroughUi(journey: Journey): Promise<void> {
  const { workbench, simulator } = journey;
  await openSignIn(workbench, simulator.url);
  await signInWithPassword(workbench, simulator.url);
  await workbench.treeRow(SCHEDULES_VIEW, 'Nightly Sales Load').waitFor();
}

/** "Pyramid: Run Schedule", then the schedule picked from its quick pick. */
export async function runFromPalette(workbench: Workbench, scheduleName: string): Promise<void> {
  await workbench.runCommand('Pyramid: Run Schedule');
  await workbench.waitForQuickInput('Run Schedule');
  await workbench.pickQuickPickItem(scheduleName);
}

/** The runSchedule requests the simulator received for one schedule. */
export function runRequestsFor(simulator: PyramidSimulator, scheduleName: string): number {
  const { scheduleId } = simulator.schedule(scheduleName);
  return simulator.requests.filter((request) => request.path === 'tasks/runSchedule' && request.body.includes(scheduleId)).length;
}

/** A schedule's row in the Pinned group: the group comes first, so of the schedule's rows it is the first. */
export function pinnedRow(workbench: Workbench, scheduleName: string): Locator {
  return workbench.treeRow(SCHEDULES_VIEW, scheduleName).first();
}

/** Pins a schedule from the context menu of its row in its group, and waits for its row in the Pinned group. */
export async function pinFromContextMenu(workbench: Workbench, scheduleName: string): Promise<void> {
  const rows = workbench.treeRow(SCHEDULES_VIEW, scheduleName);
  await workbench.openContextMenu(rows.last());
  await workbench.clickContextMenuItem('Pin Schedule');
  await rows.nth(1).waitFor();
}
