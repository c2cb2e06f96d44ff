import { data } from '@remix-run/node';

// Every unknown URL: a 404 rendered by the root error boundary, in the reader's language.
export async function loader() {
  throw data({ reason: 'not-found' as const }, { status: 404 });
}

export async function action() {
  throw data({ reason: 'not-found' as const }, { status: 404 });
}

export default function NotFound() {
  return null;
}
