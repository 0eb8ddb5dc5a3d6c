import { render } from 'preact';
import { Popup, startRequests } from './Popup';

// Requests first, so the worker works while the page renders its shell.
const requests = startRequests();
render(<Popup requests={requests} />, document.getElementById('app')!);
