import * as assert from 'node:assert/strict';
import { Schedule, ScheduleStatus, ScheduleType, SearchMatchType, scheduleDataTypes, scheduleStatuses, scheduleTypes } from '../../../src/api';
import { findSchedule } from '../../../src/schedules/findSchedule';

function schedule(name: string, scheduleId: string): Schedule {
  return { scheduleId, name, type: scheduleTypes.of(ScheduleType.Etl), status: scheduleStatuses.of(ScheduleStatus.Idle), recurrence: scheduleDataTypes.parse(0) };
}

/** findSchedule as the simulator answers it (names compared without case), with the searches it was asked. */
function server(schedules: Schedule[]) {
  const searches: { searchValue: string; matchType: SearchMatchType }[] = [];
  const client = {
    searches,
    findSchedule: async (query: { searchValue: string; matchType: SearchMatchType }) => {
      searches.push(query);
      const value = query.searchValue.toLowerCase();
      return schedules.filter((candidate) => {
        const name = candidate.name.toLowerCase();
        return query.matchType === SearchMatchType.Equals ? name === value : name.includes(value);
      });
    },
  };
  return client;
}

const nightly = schedule('Nightly Sales Load', 'id-nightly');
const regional = schedule('Regional Sales Pack', 'id-regional');

describe('findSchedule', () => {
  it('takes a schedule the store knows by its id without asking the server', async () => {
    const client = server([nightly]);
    const found = await findSchedule(client, 'id-nightly', { known: (id) => (id === 'id-nightly' ? nightly : undefined), partial: false });
    assert.deepEqual(found, { found: nightly });
    assert.equal(client.searches.length, 0);
  });

  it('finds one schedule by its exact name', async () => {
    assert.deepEqual(await findSchedule(server([nightly, regional]), 'Nightly Sales Load', { partial: false }), { found: nightly });
  });

  it('finds a schedule by an id the store does not know, through the whole list', async () => {
    const client = server([nightly, regional]);
    assert.deepEqual(await findSchedule(client, 'id-regional', { partial: false }), { found: regional });
    assert.deepEqual(client.searches.at(-1), { searchValue: '', matchType: SearchMatchType.Contains });
  });

  it('lists several schedules of one name, and settles it when only one has the name to the letter', async () => {
    const twin = schedule('Nightly Sales Load', 'id-twin');
    assert.deepEqual(await findSchedule(server([nightly, twin]), 'Nightly Sales Load', { partial: false }), { several: [nightly, twin] });
    const lower = schedule('nightly sales load', 'id-lower');
    assert.deepEqual(await findSchedule(server([nightly, lower]), 'nightly sales load', { partial: false }), { found: lower });
  });

  it('never takes a part of a name unless allowed', async () => {
    const client = server([nightly, regional]);
    assert.deepEqual(await findSchedule(client, 'Nightly', { partial: false }), { none: true });
    assert.ok(!client.searches.some((search) => search.matchType === SearchMatchType.Contains && search.searchValue === 'Nightly'));
    assert.deepEqual(await findSchedule(client, 'Nightly', { partial: true }), { found: nightly });
    assert.deepEqual(await findSchedule(client, 'Sales', { partial: true }), { several: [nightly, regional] });
  });
});
