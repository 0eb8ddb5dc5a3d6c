import { render } from 'preact';
import { Popup, startRequests } from './Popup';

// Requests first, so the worker works while the page renders its shell.
const requests = startRequests();
render(<Popup requests={requests} />, document.getElementById('app')!);
// The popup's own last view is already in that render: mark the frame that shows it (bench/popup.ts).
if (requests.pageView) {
  requestAnimationFrame(() => {
    performance.mark('lifeline-status-rendered');
    performance.mark('lifeline-page-view-rendered');
  });
}
