// request.switchyard equals resolve(table, sameRequest) in Fastify 4 (see support/decision-property.ts).
import { FASTIFY_4 } from './support/flavours.js';
import { decisionProperty } from './support/decision-property.js';

decisionProperty(FASTIFY_4);
