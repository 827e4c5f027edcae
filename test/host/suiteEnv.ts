// Environment variables through which the runners talk to the in-host suite. Kept apart so that
// the suite imports these names and nothing else from the runners.

/** A file listing every request the startup server received (see startupServer.ts). */
export const STARTUP_REQUEST_LOG_ENV = 'PYRAMID_STARTUP_REQUEST_LOG';
/** The URL of that server, which pyramid.serverUrl is set to when the window starts. */
export const STARTUP_SERVER_URL_ENV = 'PYRAMID_STARTUP_SERVER_URL';
/** Where the suite writes its counts as JSON (desktop runs, whose output the runner cannot read). */
export const RESULTS_FILE_ENV = 'PYRAMID_TEST_RESULTS';
