/** Express 4 and 5 side by side: every test runs against both majors. */
import express5 from 'express';
import type { Express } from 'express';
import express4 from 'express4';

export interface Flavour {
  readonly name: string;
  readonly express: () => Express;
  readonly json: typeof express5.json;
  readonly urlencoded: typeof express5.urlencoded;
  readonly text: typeof express5.text;
  readonly raw: typeof express5.raw;
  readonly Router: typeof express5.Router;
}

function flavour(name: string, factory: typeof express5): Flavour {
  return {
    name,
    express: () => factory(),
    json: factory.json,
    urlencoded: factory.urlencoded,
    text: factory.text,
    raw: factory.raw,
    Router: factory.Router,
  };
}

export const EXPRESS_5 = flavour('express 5', express5);
export const EXPRESS_4 = flavour('express 4', express4);
export const flavours: readonly Flavour[] = [EXPRESS_5, EXPRESS_4];
