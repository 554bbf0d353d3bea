import { createRoot } from 'react-dom/client';
import { App } from './App';
import { askSessionAtBoot } from './auth';
import './i18n';
import { preloadRoute } from './preload';

askSessionAtBoot();
preloadRoute(window.location.pathname, window.location.search);
const root = document.getElementById('root');
if (root === null) throw new Error('no #root');
createRoot(root).render(<App />);
