// req.switchyard equals resolve(table, sameRequest) in Express 4 (see support/decision-property.ts).
import { EXPRESS_4 } from './support/flavours.js';
import { decisionProperty } from './support/decision-property.js';

decisionProperty(EXPRESS_4);
