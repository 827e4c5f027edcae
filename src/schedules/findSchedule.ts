/**
 * Finds the one schedule a name or an id stands for, as the chat tools and tasks.json name schedules.
 * An id or an exact name is taken as it is; a part of a name only where the caller allows it (the chat,
 * never a tasks.json, which must not start another schedule when names change). No `vscode` import.
 */
import { PyramidClient, Schedule, SearchMatchType } from '../api';

export type FoundSchedule = { found: Schedule } | { several: readonly Schedule[] } | { none: true };

export interface FindScheduleOptions {
  /** The schedules already loaded, looked up by id before asking the server. */
  known?: (scheduleId: string) => Schedule | undefined;
  /** Also a schedule whose name contains `wanted`, when no name equals it. */
  partial: boolean;
}

export async function findSchedule(client: Pick<PyramidClient, 'findSchedule'>, wanted: string, options: FindScheduleOptions): Promise<FoundSchedule> {
  const known = options.known?.(wanted);
  if (known) {
    return { found: known };
  }
  const matchTypes = options.partial ? [SearchMatchType.Equals, SearchMatchType.Contains] : [SearchMatchType.Equals];
  for (const matchType of matchTypes) {
    const found = await client.findSchedule({ searchValue: wanted, matchType });
    const byId = found.find((schedule) => schedule.scheduleId === wanted);
    if (byId || found.length === 1) {
      return { found: byId ?? found[0] };
    }
    if (found.length > 1) {
      // Equals may ignore case on the server: a name equal to the letter settles it.
      const exact = found.filter((schedule) => schedule.name === wanted);
      return exact.length === 1 ? { found: exact[0] } : { several: found };
    }
  }
  const all = await client.findSchedule({ searchValue: '', matchType: SearchMatchType.Contains });
  const byId = all.find((schedule) => schedule.scheduleId === wanted);
  return byId ? { found: byId } : { none: true };
}
