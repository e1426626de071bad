import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { sessionToken } from './api/session-token.js';
import './styles.css';

// First, before any route change: the session's page token arrives in the URL fragment and is taken from there.
sessionToken();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
