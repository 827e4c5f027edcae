import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { schedulesStartedOnFolderOpen } from '../../../src/tasks/automaticTasks';

const onOpen = { runOptions: { runOn: 'folderOpen' } };
const pyramid = (label: string, schedule: string, extra: object = {}) => ({ label, type: 'pyramid', schedule, ...extra });
const shell = (label: string, extra: object = {}) => ({ label, type: 'shell', command: 'true', ...extra });

describe('schedulesStartedOnFolderOpen', () => {
  it('is empty when no task starts when the folder opens', () => {
    assert.deepEqual([...schedulesStartedOnFolderOpen([[pyramid('load', 'Nightly Sales Load'), shell('build')]])], []);
  });

  it('names the schedule of a pyramid task that starts when the folder opens', () => {
    const found = schedulesStartedOnFolderOpen([[pyramid('load', ' Nightly Sales Load ', onOpen), pyramid('other', 'Inventory Refresh')]]);
    assert.deepEqual([...found], ['Nightly Sales Load']);
  });

  it('follows dependsOn through other tasks, in every form VS Code takes', () => {
    const found = schedulesStartedOnFolderOpen([
      [
        shell('open', { dependsOn: 'prepare', ...onOpen }),
        shell('prepare', { dependsOn: ['a', { label: 'b', type: 'pyramid' }] }),
        pyramid('a', 'Schedule A'),
        pyramid('b', 'Schedule B'),
        pyramid('c', 'Schedule C'),
      ],
    ]);
    assert.deepEqual([...found].sort(), ['Schedule A', 'Schedule B']);
  });

  it('takes a provided task named by its label, and a pyramid task without a label by the label VS Code gives it', () => {
    const found = schedulesStartedOnFolderOpen([
      [shell('open', { dependsOn: ['pyramid: Provided One', 'pyramid: Unlabelled'], ...onOpen })],
      [{ type: 'pyramid', schedule: 'Unlabelled' }],
    ]);
    assert.deepEqual([...found].sort(), ['Provided One', 'Unlabelled']);
  });

  it('looks across the tasks.json of every folder and the workspace', () => {
    const found = schedulesStartedOnFolderOpen([undefined, [shell('open', { dependsOn: 'load', ...onOpen })], [pyramid('load', 'In Another Folder')]]);
    assert.deepEqual([...found], ['In Another Folder']);
  });

  it('ends on cycles', () => {
    const found = schedulesStartedOnFolderOpen([[shell('x', { dependsOn: 'y', ...onOpen }), shell('y', { dependsOn: ['x', 'z'] }), pyramid('z', 'Z', { dependsOn: 'x' })]]);
    assert.deepEqual([...found], ['Z']);
  });

  it('never throws on whatever a tasks.json holds', () => {
    fc.assert(
      fc.property(fc.array(fc.anything()), (lists) => {
        schedulesStartedOnFolderOpen(lists);
      }),
    );
  });

  it('is not changed by tasks no automatic task leads to', () => {
    const label = fc.constantFrom('a', 'b', 'c', 'pyramid: S');
    const task = fc.record({ label, type: fc.constantFrom('pyramid', 'shell'), schedule: fc.constantFrom('S', 'T'), dependsOn: fc.array(label, { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(task, { maxLength: 6 }), fc.array(task, { maxLength: 4 }), (tasks, unreachable) => {
        const before = schedulesStartedOnFolderOpen([tasks]);
        // Labels nothing refers to, and no folderOpen: nothing can reach these.
        const lonely = unreachable.map((entry, index) => ({ ...entry, label: `lonely ${index}` }));
        assert.deepEqual([...schedulesStartedOnFolderOpen([tasks, lonely])].sort(), [...before].sort());
      }),
    );
  });
});
