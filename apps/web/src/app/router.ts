// A very small History API router: the location as React state, and navigate() for links.
// Routes are matched in App.tsx; the server answers every non-/api path with index.html.

import { useEffect, useState, type MouseEvent } from 'react';

export interface AppLocation {
  pathname: string;
  search: URLSearchParams;
}

const listeners = new Set<() => void>();

function readLocation(): AppLocation {
  return { pathname: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

/** Goes to `href` without a page load; `replace` keeps filter edits out of the back history. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function useLocation(): AppLocation {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const update = () => setLocation(readLocation());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Plain left clicks on in-app links navigate in place; modified clicks open tabs as usual. */
export function onLinkClick(event: MouseEvent<HTMLAnchorElement>, href: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}
