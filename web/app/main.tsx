// Entry: the styles, the app in #app, and the session found again through the refresh cookie.
import './styles.css';
import { render } from 'preact';
import { App } from './app.tsx';
import { resume } from './state/auth.ts';

render(<App />, document.getElementById('app') as HTMLElement);
void resume();
