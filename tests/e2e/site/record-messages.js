// Records every window message, so tests can prove the extension posts nothing to the page. Loaded first, from
// <head>, by the demo and test pages.
window.receivedMessages = [];
addEventListener('message', (event) => window.receivedMessages.push(String(JSON.stringify(event.data))));
