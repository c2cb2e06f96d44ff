// The web-streams build of react-dom/server has no types of its own; it is the same API.
declare module 'react-dom/server.browser' {
  export { renderToReadableStream } from 'react-dom/server';
}
