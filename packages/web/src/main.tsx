import { createRoot } from 'react-dom/client';
import { App } from './App';
import './i18n';
import { preloadRoute } from './preload';

preloadRoute(window.location.pathname, window.location.search);
const root = document.getElementById('root');
if (root === null) throw new Error('no #root');
createRoot(root).render(<App />);
