import { PAGES, type PageId } from '../state/routes.js';
import { Link } from './Link.js';

export function Nav({ current }: { current: PageId }) {
  return (
    <nav className="nav">
      <div className="brand">
        apisify<span className="brand-sub">desktop</span>
      </div>
      <ul>
        {PAGES.map((page) => (
          <li key={page.id} className={page.id === current ? 'active' : undefined} data-testid={`nav-${page.id}`}>
            <Link to={page.id}>{page.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
