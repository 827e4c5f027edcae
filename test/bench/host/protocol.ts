// What the benchmark runner and the in-host benchmark module tell each other, through the environment
// of the extension host and a JSON file.

/** Where the module writes its InHostResult. */
export const RESULT_FILE_ENV = 'PYRAMID_BENCH_RESULT';
/** JSON list of BenchServer: the simulators to list, smallest first. */
export const SERVERS_ENV = 'PYRAMID_BENCH_SERVERS';

export interface BenchServer {
  size: number;
  url: string;
}

export interface TreeRepetition {
  /** getChildren() of the root with a stale list: findSchedule, parse, group. */
  coldRootMs: number;
  /** From the findSchedule task's end (answer parsed) to the root's items. */
  listedToRootMs: number;
  /** getChildren() of the first group: its first page of schedule items. */
  firstPageMs: number;
  /** getChildren() of every group that starts expanded: their first pages. */
  expandedGroupsMs: number;
  peakExtraHeap: number;
}

export interface TreeInHost {
  size: number;
  repetitions: TreeRepetition[];
  rootItems: string[];
  firstPageItems: number;
  /** Items of the expanded groups' first pages together. */
  expandedGroupItems: number;
  largestGroup: {
    label: string;
    schedules: number;
    firstPageItems: number;
    firstPageMs: number;
    secondPageItems?: number;
    secondPageMs?: number;
    /** What Show more asked VS Code to refresh. */
    showMoreRefreshes?: 'group' | 'tree';
  };
  /** getChildren() of the root with the list already loaded. */
  warmRootMs: number[];
  retainedHeap: number;
}

export interface RunToStatus {
  /** Schedules on the server (and so items in the tree). */
  size: number;
  schedule: string;
  /** Until the runSchedule command returned (the run was started and is watched). */
  commandMs: number;
  /** Until the status bar item showed the run's first status. */
  statusShownMs: number;
  statusText: string;
}

/** What one change notification of the monitor costs the extension host. */
export interface MonitorChangeCost {
  size: number;
  /** A change naming one run (a run started, changed status, ended or stopped being watched). */
  runMs: number[];
  /** A change of every run at once (the recent runs cleared). */
  allMs: number[];
}

export interface InHostResult {
  vscodeVersion: string;
  /** Right after activation, before any sign-in. */
  idle: { monitorHasTimer: boolean; watchedRuns: number };
  /** Requiring a fresh copy of the bundle in this extension host. */
  bundleEvaluationMs: number[];
  trees: TreeInHost[];
  runs: RunToStatus[];
  monitorChanges: MonitorChangeCost[];
  error?: string;
}
