// An in-app link: a real <a href> (so it can be opened in a new tab) that navigates in place.

import type { ReactNode } from 'react';
import { onLinkClick } from '../app/router.js';

export function Link({ href, children, className, current }: { href: string; children: ReactNode; className?: string; current?: boolean }) {
  return (
    <a href={href} className={className} aria-current={current ? 'page' : undefined} onClick={(event) => onLinkClick(event, href)}>
      {children}
    </a>
  );
}
