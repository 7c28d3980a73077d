// req.switchyard equals resolve(table, sameRequest) in Express 5 (see support/decision-property.ts).
import { EXPRESS_5 } from './support/flavours.js';
import { decisionProperty } from './support/decision-property.js';

decisionProperty(EXPRESS_5);
