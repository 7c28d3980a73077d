// request.switchyard equals resolve(table, sameRequest) in Fastify 5 (see support/decision-property.ts).
import { FASTIFY_5 } from './support/flavours.js';
import { decisionProperty } from './support/decision-property.js';

decisionProperty(FASTIFY_5);
