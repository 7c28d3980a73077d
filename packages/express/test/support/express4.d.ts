// Express 4 is installed under the alias `express4` and ships no types; @types/express (5) covers
// the API both majors share.
declare module 'express4' {
  import express from 'express';
  export default express;
}
