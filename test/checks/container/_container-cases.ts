import type { ContainerExecFacts, ContainerFacts } from '../../../src/facts/docker.js';
import { container, CONTAINER_ID } from '../_fixtures.js';

/** One container subject (the real inspect sample, as a case needs it) and what exec showed inside it. */
export const one = (c: ContainerFacts = container({ credspec: 'webapp01.json' }), exec?: ContainerExecFacts) => ({
  subjects: { container: { [CONTAINER_ID]: { 'container.inspect': c, ...(exec ? { 'container.exec': exec } : {}) } } },
});
